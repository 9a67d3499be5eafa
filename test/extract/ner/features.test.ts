import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeatureExtractor, STATIC_COUNT, STATIC_TEMPLATES, shortShape, wordShape } from '../../../src/extract/ner/features.js';

test('word shapes', () => {
  const cases: [string, string, string][] = [
    ['Mosul', 'Xxxxx', 'Xx'],
    ['Washington', 'Xxxxx', 'Xx'],
    ['UN', 'XX', 'X'],
    ['U.S.', 'X.X.', 'X.X.'],
    ['al-Shabaab', 'xx-Xxxxx', 'x-Xx'],
    ['1,200', 'd,ddd', 'd,d'],
    ['ISIS-K', 'XXXX-X', 'X-X'],
    ['Bogotá', 'Xxxxx', 'Xx'],
  ];
  for (const [word, shape, short] of cases) {
    assert.equal(wordShape(word), shape, word);
    assert.equal(shortShape(word), short, word);
  }
});

test('each static template gives one key per token; the kb label changes only kb keys', () => {
  const ex = new FeatureExtractor();
  const tokens = [
    { text: 'Fighting', pos: 'NOUN' },
    { text: 'near', pos: 'ADP' },
    { text: 'Gao', pos: 'PROPN' },
  ];
  assert.equal(ex.prepare(tokens), 3);
  const plain = ex.keys.slice(0, 3 * STATIC_COUNT);
  assert.ok(plain.every((k) => k !== 0));
  ex.prepare(tokens.map((t, i) => (i === 2 ? { ...t, kb: 'B-LOCATION' } : t)));
  const withKb = ex.keys.slice(0, 3 * STATIC_COUNT);
  const changed: string[] = [];
  for (let i = 0; i < 3; i++) {
    for (let k = 0; k < STATIC_COUNT; k++) {
      if (plain[i * STATIC_COUNT + k] !== withKb[i * STATIC_COUNT + k]) changed.push(`${i}:${STATIC_TEMPLATES[k]}`);
    }
  }
  assert.deepEqual(changed, ['1:kb+1', '2:kb', '2:kb|shape']);
});
