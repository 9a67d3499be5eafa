import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNerModel, parseNerModel, serialiseNerModel, spansFromLabels, tagSentence } from '../../../src/extract/ner/model.js';
import { bilouToBio, bioToBilou } from '../../../src/extract/ner/labels.js';
import { trainTagger } from '../../../src/extract/ner/train.js';
import { syntheticSentences } from './synthetic.js';

test('loading a missing model names the path and says how to make one', () => {
  const path = join(tmpdir(), 'faultline-no-such-dir', 'model.json');
  const r = loadNerModel(path);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.issues[0].code, 'ner.model-missing');
  assert.equal(r.issues[0].input, path);
  assert.match(r.issues[0].message, /no such file/);
  assert.ok(r.issues[0].message.includes(path));
});

test('loading a corrupt model names the path and the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ner-'));
  try {
    const cases: [string, RegExp][] = [
      ['{"format": "faultline.ner/v1", "scheme": "BIO"', /not valid JSON/],
      ['{"format": "something-else"}', /format is "something-else"/],
      ['[1, 2]', /format is undefined/],
    ];
    const good = JSON.parse(serialiseNerModel(trainTagger(syntheticSentences(10), { epochs: 1, minCount: 1 })));
    cases.push([JSON.stringify({ ...good, data: 'AAAA' + good.data }), /weights|decompress/]);
    cases.push([JSON.stringify({ ...good, features: good.features + 1 }), /expected \d+ for \d+ features/]);
    cases.push([JSON.stringify({ ...good, templates: { static: ['word'], history: [] } }), /feature templates differ/]);
    cases.forEach(([text, reason], i) => {
      const path = join(dir, `model-${i}.json`);
      writeFileSync(path, text);
      const r = loadNerModel(path);
      assert.equal(r.ok, false, text.slice(0, 40));
      if (r.ok) return;
      assert.ok(r.issues[0].message.includes(path), r.issues[0].message);
      assert.match(r.issues[0].message, reason);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model survives serialising: same labels after parse', () => {
  const sentences = syntheticSentences(20);
  const model = trainTagger(sentences, { epochs: 3, decoder: 'viterbi', minCount: 1 });
  const parsed = parseNerModel(serialiseNerModel(model), 'memory');
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  for (const s of syntheticSentences(5, 20)) assert.deepEqual(tagSentence(parsed.value, s.tokens), tagSentence(model, s.tokens));
});

test('tagSentence handles an empty sentence and one token', () => {
  const model = trainTagger(syntheticSentences(10), { epochs: 1, minCount: 1 });
  assert.deepEqual(tagSentence(model, []), []);
  assert.equal(tagSentence(model, [{ text: 'Mosul', pos: 'PROPN' }]).length, 1);
});

test('spansFromLabels reads BIO, IO, IOB1 and BILOU, ends exclusive', () => {
  const cases: [string[], [number, number, string][]][] = [
    [['B-PER', 'I-PER', 'O', 'B-LOC'], [[0, 2, 'PERSON'], [3, 4, 'LOCATION']]],
    [['I-ORG', 'I-ORG', 'I-LOC'], [[0, 2, 'ORGANIZATION'], [2, 3, 'LOCATION']]],
    [['B-LOC', 'B-LOC', 'I-LOC'], [[0, 1, 'LOCATION'], [1, 3, 'LOCATION']]],
    [['U-NAT', 'B-ORG', 'I-ORG', 'L-ORG', 'U-ORG'], [[0, 1, 'NATIONALITY'], [1, 4, 'ORGANIZATION'], [4, 5, 'ORGANIZATION']]],
    [['O', 'I-PER', 'O'], [[1, 2, 'PERSON']]],
    [['B-PERSON', 'I-PERSON'], [[0, 2, 'PERSON']]],
    [['B-MISC', 'I-MISC', 'B-LOC'], [[2, 3, 'LOCATION']]],
  ];
  for (const [labels, spans] of cases) {
    assert.deepEqual(spansFromLabels(labels).map((s) => [s.start, s.end, s.type]), spans, labels.join(' '));
  }
});

test('BIO and BILOU convert both ways', () => {
  const bio = ['B-PER', 'I-PER', 'I-PER', 'O', 'B-LOC', 'B-NAT', 'I-NAT'];
  const bilou = ['B-PER', 'I-PER', 'L-PER', 'O', 'U-LOC', 'B-NAT', 'L-NAT'];
  assert.deepEqual(bioToBilou(bio), bilou);
  assert.deepEqual(bilouToBio(bilou), bio);
});
