import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConll, scoreSpans, type ScoredSpan } from '../../../src/extract/ner/evaluate.js';

const span = (start: number, end: number, type: string): ScoredSpan => ({ start, end, type });

test('exact and overlap matching differ on boundaries, per type and micro', () => {
  // "Malian soldiers killed Amadou Koufa near Mopti , the Malian army said"
  const gold = [span(0, 1, 'NATIONALITY'), span(3, 5, 'PERSON'), span(6, 7, 'LOCATION'), span(9, 11, 'ORGANIZATION')];
  const predicted = [
    span(0, 1, 'NATIONALITY'), // exact
    span(4, 5, 'PERSON'), // overlaps the person
    span(6, 7, 'ORGANIZATION'), // right place, wrong type
    span(9, 10, 'NATIONALITY'), // overlaps the organization, wrong type
  ];
  const s = scoreSpans([{ gold, predicted }]);
  assert.equal(s.exact.perType.NATIONALITY.matched, 1);
  assert.equal(s.exact.perType.PERSON.matched, 0);
  assert.equal(s.overlap.perType.PERSON.matched, 1);
  assert.equal(s.overlap.perType.LOCATION.recall, 0);
  assert.equal(s.overlap.perType.ORGANIZATION.precision, 0);
  assert.equal(s.overlap.perType.NATIONALITY.precision, 0.5);
  assert.equal(s.overlap.perType.NATIONALITY.recall, 1);
  assert.deepEqual([s.exact.micro.matched, s.exact.micro.gold, s.exact.micro.predicted], [1, 4, 4]);
  assert.equal(s.overlap.micro.matched, 2);
  assert.equal(s.overlap.micro.f1, 0.5);
});

test('overlap matches each gold span at most once', () => {
  const gold = [span(10, 30, 'ORGANIZATION')];
  const predicted = [span(10, 18, 'ORGANIZATION'), span(19, 30, 'ORGANIZATION')];
  const s = scoreSpans([{ gold, predicted }]);
  assert.equal(s.overlap.micro.matched, 1);
  assert.equal(s.overlap.micro.precision, 0.5);
  assert.equal(s.overlap.micro.recall, 1);
});

test('overlap prefers the exact partner when two gold spans overlap a prediction', () => {
  const gold = [span(0, 5, 'LOCATION'), span(3, 8, 'LOCATION')];
  const predicted = [span(3, 8, 'LOCATION'), span(0, 4, 'LOCATION')];
  assert.equal(scoreSpans([{ gold, predicted }]).overlap.micro.matched, 2);
});

test('types restrict the micro average; absent types score zero, not NaN', () => {
  const s = scoreSpans([{ gold: [span(0, 1, 'PERSON'), span(2, 3, 'NATIONALITY')], predicted: [span(0, 1, 'PERSON')] }], ['PERSON', 'LOCATION']);
  assert.equal(s.exact.micro.f1, 1);
  assert.deepEqual(Object.keys(s.exact.perType), ['PERSON', 'LOCATION']);
  assert.equal(s.exact.perType.LOCATION.f1, 0);
});

test('readConll reads IO tags, space separated, with -DOCSTART-', () => {
  const text = ['-DOCSTART- O', '', 'Hassan I-PER', 'Nasrallah I-PER', 'addressed O', 'Hezbollah I-ORG', 'supporters O', 'in O', 'Beirut I-LOC', '. O', ''].join('\n');
  const r = readConll(text);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.value.length, 1);
  assert.deepEqual(r.value[0].tags, ['B-PERSON', 'I-PERSON', 'O', 'B-ORGANIZATION', 'O', 'O', 'B-LOCATION', 'O']);
  assert.deepEqual(r.value[0].spans, [span(0, 2, 'PERSON'), span(3, 4, 'ORGANIZATION'), span(6, 7, 'LOCATION')]);
  assert.equal(r.value[0].line, 3);
});

test('readConll reads BIO (IOB2) with # comments, tabs and chosen columns', () => {
  const text = [
    '# sent_id = n01',
    '# text = Kenyan police met UN officials in Nairobi',
    '1\tKenyan\tB-NORP\t_',
    '2\tpolice\tO\t_',
    '3\tmet\tO\t_',
    '4\tUN\tB-ORG\t_',
    '5\tofficials\tO\t_',
    '6\tin\tO\t_',
    '7\tNairobi\tB-GPE\t_',
    '',
    '1\tSahel\tB-LOC\t_',
    '2\tRegion\tI-LOC\t_',
  ].join('\n');
  const r = readConll(text, { tokenColumn: 1, tagColumn: 2 });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.value.length, 2);
  assert.deepEqual(r.value[0].tokens[0], 'Kenyan');
  assert.deepEqual(r.value[0].spans, [span(0, 1, 'NATIONALITY'), span(3, 4, 'ORGANIZATION'), span(6, 7, 'LOCATION')]);
  assert.deepEqual(r.value[1].tags, ['B-LOCATION', 'I-LOCATION']);
});

test('readConll reads BILOU and BIOES, and a user map drops or renames types', () => {
  const bilou = ['Islamic B-ORG', 'State L-ORG', 'fighters O', 'left U-LOC_X', 'Raqqa U-LOC', ''].join('\n');
  const r = readConll(bilou, { map: { LOC_X: 'O' } });
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.value[0].spans, [span(0, 2, 'ORGANIZATION'), span(4, 5, 'LOCATION')]);
  const bioes = ['Abu B-MIL', 'Bakr E-MIL', 'Baghdadi S-MIL', ''].join('\n');
  const m = readConll(bioes, { map: { MIL: 'PERSON' } });
  assert.ok(m.ok);
  if (m.ok) assert.deepEqual(m.value[0].spans, [span(0, 2, 'PERSON'), span(2, 3, 'PERSON')]);
});

test('readConll reads IOB1: B- only between touching spans of one type', () => {
  const r = readConll(['Russia I-LOC', 'Ukraine B-LOC', 'talks O'].join('\n'));
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.value[0].spans, [span(0, 1, 'LOCATION'), span(1, 2, 'LOCATION')]);
});

test('readConll keeps a "#" token that has a tag', () => {
  const r = readConll(['#\tO', 'Gaza\tB-LOC', ''].join('\n'));
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.value[0].tokens, ['#', 'Gaza']);
});

test('readConll reports bad lines with the input name and line number', () => {
  const r = readConll(['Mosul B-LOC', 'fell', 'quickly b-??'].join('\n'), { input: 'gold.conll' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.issues.length, 2);
  assert.equal(r.issues[0].input, 'gold.conll:2');
  assert.match(r.issues[0].message, /line 2 of gold\.conll has 1 column/);
  assert.match(r.issues[1].message, /"b-\?\?" is not a tag/);
});

test('readConll: a comment line whose last word looks like a tag is still a comment (regression)', () => {
  const text = '# The annotators marked the following names.\n# sent_id = 7\nRebels O\nseized O\nGoma B-LOC\n. O\n\n#\tO\n';
  const r = readConll(text, { input: 'notes.conll' });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.value.length, 2);
  assert.deepEqual(r.value[0].tokens, ['Rebels', 'seized', 'Goma', '.']);
  assert.deepEqual(r.value[0].spans, [{ start: 2, end: 3, type: 'LOCATION' }]);
  assert.deepEqual(r.value[1].tokens, ['#']);
});
