// The shipped weights (data/ner/model.json) must still score what data/ner/dev-report.json says
// they scored on the dev split when trained. Decodes the dev split only; never retrains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gazetteerFor } from '../../../src/extract/ner/corpus-gazetteer.js';
import { readCorpora } from '../../../src/extract/ner/corpora.js';
import { evaluateTagger } from '../../../src/extract/ner/dev-eval.js';
import { defaultNerModelPath, loadNerModel, projectRoot } from '../../../src/extract/ner/model.js';
import { loadDemonyms, toTrainingSentences, type NerTrainingReport } from '../../../src/extract/ner/train.js';

test('the shipped weights reproduce the dev-split score in data/ner/dev-report.json', (t) => {
  const root = projectRoot();
  const corpora = resolve(root, '../shared/corpora');
  if (!existsSync(corpora)) {
    t.skip(`../shared/corpora absent: ${corpora} holds the training corpora the dev split comes from`);
    return;
  }
  const report = JSON.parse(readFileSync(join(root, 'data', 'ner', 'dev-report.json'), 'utf8')) as NerTrainingReport;
  const model = loadNerModel();
  assert.ok(model.ok, `cannot load ${defaultNerModelPath()}`);
  if (!model.ok) return;
  const read = readCorpora(corpora, { demonyms: loadDemonyms(root) });
  assert.ok(read.ok);
  if (!read.ok) return;
  assert.deepEqual(
    read.value.map((c) => c.name),
    Object.keys(report.corpora),
    'the corpora present now are the ones the model was trained on',
  );
  const dev = toTrainingSentences(read.value, { split: 'dev', gazetteer: gazetteerFor(model.value) });
  const scores = evaluateTagger(model.value, dev);
  assert.equal(scores.sentences, report.dev.sentences);
  const pairs: [string, number, number][] = [
    ['P+O+L overlap F1', scores.personOrgLocation.overlap.micro.f1, report.dev.personOrgLocation.overlap.micro.f1],
    ['P+O+L exact F1', scores.personOrgLocation.exact.micro.f1, report.dev.personOrgLocation.exact.micro.f1],
    ['all-types overlap F1', scores.all.overlap.micro.f1, report.dev.all.overlap.micro.f1],
  ];
  for (const type of Object.keys(report.dev.all.overlap.perType)) {
    pairs.push([`${type} overlap F1`, scores.all.overlap.perType[type].f1, report.dev.all.overlap.perType[type].f1]);
  }
  for (const [name, now, recorded] of pairs) {
    assert.ok(Math.abs(now - recorded) <= 0.01, `${name}: ${now.toFixed(4)} now, ${recorded.toFixed(4)} recorded`);
  }
});
