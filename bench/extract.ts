// Words per second and peak memory of the whole pipeline over a fixed corpus of at least 200,000
// words: the GMB sentences from ../shared/corpora (read in place, never copied), grouped into
// documents of about 400 words. Median of several runs in one process, after a warm-up run.
// usage: node dist/bench/extract.js [--runs 5] [--no-tagger] [--stages a,b,c]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readZipEntry } from './gmb-docs.js';
import { createPipeline, stageList } from '../src/pipeline.js';
import { ROOT } from '../test/helpers/paths.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt('--runs', '5'));
const tagger = !args.includes('--no-tagger');
const zip = join(ROOT, '..', 'shared', 'corpora', 'gmb', 'ner_dataset.csv.zip');
if (!existsSync(zip)) {
  console.log(`bench/extract: skipped: ${zip} is absent (the GMB corpus in ../shared/corpora makes the benchmark corpus)`);
  process.exit(0);
}

// Sentences are read from the CSV only until the corpus is big enough, so the benchmark's own
// reading (a million CSV lines) does not inflate the peak memory it reports for the pipeline.
const csv = readZipEntry(zip).toString('latin1');
const docs: string[] = [];
let doc: string[] = [];
let words = 0;
let total = 0;
let current: string[] = [];
const endSentence = () => {
  if (!current.length) return;
  const s = current.join(' ').replace(/ ([.,;:!?%)'])/g, '$1').replace(/\( /g, '(');
  current = [];
  doc.push(s);
  const n = s.split(' ').length;
  words += n;
  total += n;
  if (words >= 400) {
    docs.push(doc.join(' '));
    doc = [];
    words = 0;
  }
};
for (let at = csv.indexOf('\n') + 1; at > 0 && at < csv.length && total < 210000; ) {
  const next = csv.indexOf('\n', at);
  const line = csv.slice(at, next < 0 ? csv.length : next).replace(/\r$/, '');
  at = next < 0 ? csv.length : next + 1;
  const m = /^(Sentence: \d+)?,(.*),([^,]*),([^,]*)$/.exec(line);
  if (!m) continue;
  if (m[1]) endSentence();
  current.push(m[2].replace(/^"|"$/g, ''));
}
const t0 = performance.now();
// --stages segment,tokenize,... runs a prefix of the pipeline (the core: --stages core)
const only = opt('--stages', '');
const CORE = ['segment', 'tokenize', 'resolveDates', 'findMentions', 'linkEntities'];
const wanted = only === 'core' ? CORE : only ? only.split(',') : undefined;
const pipeline = createPipeline({ tagger, ...(wanted ? { stages: stageList.filter((s) => wanted.includes(s.name)) } : {}) });
const loadMs = performance.now() - t0;
// Wall time, and the process's CPU time (user + system, all threads, so V8's background garbage
// collection too) beside it: on a shared virtual machine the wall clock also counts time the core
// was taken away, the CPU time does not; it is the stricter figure for "one core".
const runOnce = () => {
  const s = performance.now();
  const c = process.cpuUsage();
  docs.forEach((text, i) => pipeline.run({ id: `gmb-${i}`, text, published: '2010-01-01' }));
  const cpu = process.cpuUsage(c);
  return { wall: performance.now() - s, cpu: (cpu.user + cpu.system) / 1000 };
};
runOnce(); // warm-up
const times: number[] = [];
const cpuTimes: number[] = [];
let peak = process.memoryUsage().rss;
for (let r = 0; r < runs; r++) {
  const t = runOnce();
  times.push(t.wall);
  cpuTimes.push(t.cpu);
  peak = Math.max(peak, process.memoryUsage().rss);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const medianCpu = cpuTimes[Math.floor(cpuTimes.length / 2)];
console.log(
  JSON.stringify({
    bench: 'extract',
    tagger,
    stages: pipeline.stageNames,
    documents: docs.length,
    words: total,
    knowledgeLoadMs: Math.round(loadMs),
    runs,
    medianMs: Math.round(median),
    wordsPerSecond: Math.round(total / (median / 1000)),
    wordsPerCpuSecond: Math.round(total / (medianCpu / 1000)),
    documentsPerSecond: Math.round((docs.length / (median / 1000)) * 10) / 10,
    peakRssMB: Math.round(peak / 1048576),
    msPerStagePerRun: Object.fromEntries([...pipeline.timings].map(([k, v]) => [k, Math.round(v / (runs + 1))])),
  }),
);
