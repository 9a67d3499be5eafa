// Entity tagger speed: model load time, and tokens per second of tagSentence over the dev split
// (median of 5 timed runs after one warm-up). Needs ../shared/corpora for the dev sentences.
//   node dist/bench/ner.js [model.json]
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCorpora } from '../src/extract/ner/corpora.js';
import { defaultNerModelPath, loadNerModel, projectRoot, tagSentence } from '../src/extract/ner/model.js';
import { formatIssue } from '../src/model/issues.js';
import { gazetteerFor } from '../src/extract/ner/corpus-gazetteer.js';
import { loadDemonyms, toTrainingSentences } from '../src/extract/ner/train.js';

const path = process.argv[2] ?? defaultNerModelPath();
const loads: number[] = [];
let loaded = loadNerModel(path);
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  loaded = loadNerModel(path);
  loads.push(performance.now() - t0);
}
if (!loaded.ok) {
  console.error(loaded.issues.map(formatIssue).join('\n'));
  process.exit(1);
}
const model = loaded.value;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`model ${path}: ${model.decoder} decoding, ${model.scheme}, ${model.table.size} features; load ${median(loads).toFixed(0)} ms (median of 5)`);

const corpora = resolve(projectRoot(), '../shared/corpora');
if (!existsSync(corpora)) {
  console.log(`../shared/corpora absent (${corpora}): no dev split to time tagging on`);
  process.exit(0);
}
const read = readCorpora(corpora, { demonyms: loadDemonyms() });
if (!read.ok) {
  console.error(read.issues.map(formatIssue).join('\n'));
  process.exit(1);
}
const dev = toTrainingSentences(read.value, { split: 'dev', gazetteer: gazetteerFor(model) });
const tokens = dev.reduce((n, s) => n + s.tokens.length, 0);
const run = (): number => {
  const t0 = performance.now();
  for (const s of dev) tagSentence(model, s.tokens);
  return performance.now() - t0;
};
// The first pass fills the per-word caches and warms the JIT: report it apart.
const cold = run();
console.log(`first pass (cold caches): ${Math.round((tokens / cold) * 1000).toLocaleString('en')} tokens/s`);
const times = Array.from({ length: 5 }, run);
const ms = median(times);
console.log(`tagSentence: ${dev.length} sentences, ${tokens} tokens in ${ms.toFixed(0)} ms: ${Math.round((tokens / ms) * 1000).toLocaleString('en')} tokens/s (median of 5 after warm-up)`);
