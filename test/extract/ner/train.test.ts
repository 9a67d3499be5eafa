import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainTagger, trainNer, isDevIndex, seededRandom } from '../../../src/extract/ner/train.js';
import { loadNerModel, serialiseNerModel, spansFromLabels, tagSentence } from '../../../src/extract/ner/model.js';
import { posTag } from '../../../src/extract/ner/pos.js';
import { syntheticSentences, syntheticWikigold } from './synthetic.js';

function tokensOf(sentence: string): { text: string; pos: string }[] {
  const words = sentence.split(' ');
  const pos = posTag(words);
  return words.map((text, i) => ({ text, pos: pos[i] }));
}

for (const decoder of ['viterbi', 'greedy'] as const) {
  test(`the ${decoder} trainer learns a small synthetic corpus and tags a held-out sentence`, () => {
    const model = trainTagger(syntheticSentences(40), { epochs: 8, seed: 7, decoder, minCount: 1 });
    // A frame seen in training, with names in a combination never seen together.
    const sentence = 'Ivan Kozlov , a spokesman for the African Union , said fighters had withdrawn from Aleppo on Monday .';
    const tokens = tokensOf(sentence);
    const labels = tagSentence(model, tokens);
    assert.equal(labels.length, tokens.length);
    const found = spansFromLabels(labels).map((s) => [tokens.slice(s.start, s.end).map((t) => t.text).join(' '), s.type]);
    assert.deepEqual(found, [
      ['Ivan Kozlov', 'PERSON'],
      ['African Union', 'ORGANIZATION'],
      ['Aleppo', 'LOCATION'],
    ]);
    const nat = tokensOf('Hundreds of Somali refugees crossed into Kabul last week , aid workers said .');
    const natSpans = spansFromLabels(tagSentence(model, nat)).map((s) => [nat[s.start].text, s.type]);
    assert.deepEqual(natSpans, [['Somali', 'NATIONALITY'], ['Kabul', 'LOCATION']]);
  });
}

test('training is deterministic: same sentences and seed give identical weights', () => {
  const sentences = syntheticSentences(30);
  const a = serialiseNerModel(trainTagger(sentences, { epochs: 3, seed: 42, decoder: 'viterbi', minCount: 1 }));
  const b = serialiseNerModel(trainTagger(sentences, { epochs: 3, seed: 42, decoder: 'viterbi', minCount: 1 }));
  assert.equal(a, b);
  const c = serialiseNerModel(trainTagger(sentences, { epochs: 3, seed: 43, decoder: 'viterbi', minCount: 1 }));
  assert.notEqual(a, c, 'another seed shuffles differently');
});

test('the seeded PRNG repeats and the dev split is every 10th sentence', () => {
  const r1 = seededRandom(5);
  const r2 = seededRandom(5);
  for (let i = 0; i < 5; i++) assert.equal(r1(), r2());
  assert.deepEqual([...Array(30).keys()].filter(isDevIndex), [9, 19, 29]);
});

test('trainNer reads a corpora folder, writes a model that loads, and a dev report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ner-'));
  try {
    mkdirSync(join(dir, 'corpora', 'wikigold'), { recursive: true });
    writeFileSync(join(dir, 'corpora', 'wikigold', 'wikigold.conll.txt'), syntheticWikigold(50));
    const out = join(dir, 'out', 'model.json');
    const lines: string[] = [];
    const report = await trainNer({ corporaDir: join(dir, 'corpora'), outPath: out, epochs: 4, seed: 3, minCount: 1, log: (l) => lines.push(l) });
    assert.deepEqual(report.corpora.wikigold, { train: 45, dev: 5, dropped: 0, silver: false, nat: false });
    assert.equal(report.dev.sentences, 5);
    assert.ok(report.dev.personOrgLocation.overlap.micro.f1 > 0.5, `dev F1 ${report.dev.personOrgLocation.overlap.micro.f1}`);
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'dev-report.json'), 'utf8'));
    assert.equal(saved.dev.personOrgLocation.overlap.micro.f1, report.dev.personOrgLocation.overlap.micro.f1);
    const loaded = loadNerModel(out);
    assert.ok(loaded.ok);
    assert.ok(lines.some((l) => l.includes('corpus folder') && l.includes('gmb')), 'absent corpora are reported');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trainNer names the folder when no corpus is present', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ner-'));
  try {
    await assert.rejects(trainNer({ corporaDir: dir, outPath: join(dir, 'm.json'), log: () => {} }), (e: Error) => e.message.includes(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the knowledge-base label is a learned feature, not an override', () => {
  const kbType: Record<string, string> = { PER: 'PERSON', ORG: 'ORGANIZATION', LOC: 'LOCATION', NAT: 'NATIONALITY' };
  // Gazetteer labels on every name, and a wrong one on "residents" that training shows to be noise.
  const sentences = syntheticSentences(40).map((s) => ({
    ...s,
    tokens: s.tokens.map((t, i) => {
      const tag = s.tags[i];
      if (tag !== 'O') return { ...t, kb: `${tag.slice(0, 2)}${kbType[tag.slice(2)]}` };
      if (t.text === 'residents') return { ...t, kb: 'B-ORGANIZATION' };
      return t;
    }),
  }));
  const model = trainTagger(sentences, { epochs: 8, seed: 7, minCount: 1 });
  const tokens = tokensOf('Syrian troops entered Zanbara after heavy shelling overnight , residents said .').map((t) => {
    if (t.text === 'Syrian') return { ...t, kb: 'B-NATIONALITY' };
    if (t.text === 'Zanbara') return { ...t, kb: 'B-LOCATION' };
    if (t.text === 'residents') return { ...t, kb: 'B-ORGANIZATION' };
    return t;
  });
  const spans = spansFromLabels(tagSentence(model, tokens)).map((s) => [tokens[s.start].text, s.type]);
  assert.deepEqual(spans, [['Syrian', 'NATIONALITY'], ['Zanbara', 'LOCATION']]);
});
