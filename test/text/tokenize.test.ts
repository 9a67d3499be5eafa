import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPipeline } from '../../src/pipeline.js';
import { stageList } from '../../src/pipeline.js';

const tokenizer = createPipeline({ stages: stageList.filter((s) => s.name === 'segment' || s.name === 'tokenize'), tagger: false });

test('a word with letters beyond Latin-1 is one token, with exact offsets', () => {
  // wink-nlp alone splits these at "ć", "ł", "Ł", "ź", "Ş", "ı"
  const text = 'Cvjetko Popović met Stanisław Sczaniecki in Łódź and Şanlıurfa on Monday.';
  const doc = tokenizer.run({ id: 'latin-ext', text });
  const tokens = doc.layers.tokens ?? [];
  assert.deepEqual(
    tokens.map((t) => t.text),
    ['Cvjetko', 'Popović', 'met', 'Stanisław', 'Sczaniecki', 'in', 'Łódź', 'and', 'Şanlıurfa', 'on', 'Monday', '.'],
  );
  for (const t of tokens) assert.equal(text.slice(t.start, t.end), t.text);
  const glued = tokens.filter((t) => /[^\u0000-\u00ff]/.test(t.text));
  for (const t of glued) {
    assert.equal(t.pos, 'PROPN', `${t.text} is a name`);
    assert.ok(t.cap);
  }
  assert.equal(tokens.find((t) => t.text === 'Łódź')?.key, 'lodz');
});

test('contractions and hyphenated words still split as before', () => {
  const doc = tokenizer.run({ id: 'split', text: "They can't stop the Iran-backed militia." });
  assert.deepEqual((doc.layers.tokens ?? []).map((t) => t.text), ['They', 'ca', "n't", 'stop', 'the', 'Iran', '-', 'backed', 'militia', '.']);
});
