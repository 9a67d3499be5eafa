// The mention stage on the tagger's held-out dev split: what the trained tagger adds to the
// knowledge base and rules. Three systems on the same sentences, scored the same way:
//   tagger on     the pipeline up to linkEntities, with the tagger (what `faultline extract` does)
//   tagger off    the same, `tagger: false`: knowledge base and rules only
//   tagger alone  model.ts tagSpans on the corpus tokens (the number in data/ner/dev-report.json)
// The dev split is training's: readCorpora, then every 10th sentence of each corpus (i % 10 === 9),
// through toTrainingSentences so the tagger sees the same POS tags as in training. Each sentence
// is its tokens joined by single spaces, run as one document (see src/cli/eval.ts for why), and
// every system's spans are compared with the gold as character spans. As in training's scoring,
// NATIONALITY predictions are ignored on corpora that do not annotate nationalities. Mention
// types the corpora do not have (FACILITY, WEAPON, ...) are not scored.
//
// The corpora's labels are not Faultline's contract: GMB is silver (it tags "Kabul" a person and
// "Mr." a name of its own), the corpora tag "U.S." in "U.S. military" where the contract has one
// organisation, and they leave out names inside other names ("1992 United Kingdom general
// election"). So the same three systems are also scored on eval/dev-sample-gold.jsonl: every 14th
// sentence of this dev split (411), annotated blind by the contract's rules (eval/README.md), and
// on the corpora's own labels for the same sentences, side by side. The file holds offsets only,
// never corpus text; each line's `check` (FNV-1a of the sentence) says it still fits the corpora.
//   node dist/bench/ner-dev.js [--corpora DIR] [--adjudicated FILE]
// Prints a table and one JSON line. Skips (exit 0) when the corpora folder is absent.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { joinTokens, mentionStagePipeline, predictMentions, toCharSpans } from '../src/cli/eval.js';
import { readCorpora } from '../src/extract/ner/corpora.js';
import { ALL_TYPES, POL_TYPES, readAdjudicatedSample, sentenceCheck } from '../src/extract/ner/dev-eval.js';
import { emptyTally, summarise, tallySpans, type ScoredSpan, type SpanScores, type SpanTally } from '../src/extract/ner/evaluate.js';
import { spansFromLabels } from '../src/extract/ner/labels.js';
import { loadNerModel, projectRoot, tagSpans } from '../src/extract/ner/model.js';
import { gazetteerFor } from '../src/extract/ner/corpus-gazetteer.js';
import { loadDemonyms, toTrainingSentences } from '../src/extract/ner/train.js';
import { formatIssue, type Issue } from '../src/model/issues.js';

const args = process.argv.slice(2);
const at = args.indexOf('--corpora');
const corporaDir = at >= 0 ? args[at + 1] : resolve(projectRoot(), '..', 'shared', 'corpora');
const adjAt = args.indexOf('--adjudicated');
const adjudicatedFile = adjAt >= 0 ? args[adjAt + 1] : resolve(projectRoot(), 'eval', 'dev-sample-gold.jsonl');
if (!corporaDir || !existsSync(corporaDir)) {
  console.log(`bench/ner-dev: skipped: the corpora folder ${corporaDir ?? '(none given)'} is absent (the dev split comes from ../shared/corpora)`);
  process.exit(0);
}

const read = readCorpora(corporaDir, { demonyms: loadDemonyms() });
if (!read.ok) {
  console.error(read.issues.map(formatIssue).join('\n'));
  process.exit(1);
}
const model = loadNerModel();
if (!model.ok) {
  console.error(model.issues.map(formatIssue).join('\n'));
  process.exit(1);
}
// a model trained with knowledge-base labels is scored with them, as the mention stage runs it
const dev = toTrainingSentences(read.value, { split: 'dev', gazetteer: gazetteerFor(model.value) });
const tokenCount = dev.reduce((n, s) => n + s.tokens.length, 0);

const adjudicated = new Map(adjudicatedFile && existsSync(adjudicatedFile) ? readAdjudicatedSample(adjudicatedFile).map((a) => [a.index, a]) : []);
let adjudicatedMismatch = 0;

const SYSTEMS = ['on', 'off', 'alone'] as const;
type System = (typeof SYSTEMS)[number];
const LABEL: Record<System, string> = { on: 'tagger on', off: 'tagger off', alone: 'tagger alone' };
type Tallies = { all: SpanTally; goldSets: SpanTally; perCorpus: Map<string, SpanTally>; sampleCorpus: SpanTally; sampleAdjudicated: SpanTally };
const tallies = Object.fromEntries(
  SYSTEMS.map((s) => [s, { all: emptyTally(), goldSets: emptyTally(), perCorpus: new Map(), sampleCorpus: emptyTally(), sampleAdjudicated: emptyTally() }]),
) as Record<System, Tallies>;
const seconds: Record<System, number> = { on: 0, off: 0, alone: 0 };
const pipelines = { on: mentionStagePipeline({ tagger: true }), off: mentionStagePipeline({ tagger: false }) };
const scored = new Set<string>(ALL_TYPES);
const problems: Issue[] = [];

dev.forEach((s, i) => {
  const { text, offsets } = joinTokens(s.tokens.map((t) => t.text));
  const gold = toCharSpans(spansFromLabels(s.tags), offsets);
  for (const system of SYSTEMS) {
    const t0 = performance.now();
    let predicted: ScoredSpan[];
    if (system === 'alone') predicted = toCharSpans(tagSpans(model.value, s.tokens), offsets);
    else {
      const p = predictMentions(pipelines[system], `${s.corpus}:dev:${i}`, text, scored);
      predicted = p.spans;
      problems.push(...p.issues.filter((x) => x.severity === 'error'));
    }
    seconds[system] += (performance.now() - t0) / 1000;
    const t = tallies[system];
    const adj = adjudicated.get(i);
    if (adj && adj.check !== sentenceCheck(text)) {
      if (system === 'on') adjudicatedMismatch++;
    } else if (adj) {
      // the blind annotation has nationalities on every corpus
      tallySpans(t.sampleAdjudicated, adj.mentions, predicted);
    }
    if (!s.nat) predicted = predicted.filter((p) => p.type !== 'NATIONALITY');
    if (adj) tallySpans(t.sampleCorpus, gold, predicted);
    tallySpans(t.all, gold, predicted);
    if (!s.silver) tallySpans(t.goldSets, gold, predicted);
    if (!t.perCorpus.has(s.corpus)) t.perCorpus.set(s.corpus, emptyTally());
    tallySpans(t.perCorpus.get(s.corpus)!, gold, predicted);
  }
});

type SystemScores = {
  all: SpanScores;
  personOrgLocation: SpanScores;
  goldSets: SpanScores;
  perCorpus: Record<string, SpanScores>;
  /** The adjudicated sample's sentences, on the corpora's labels and on the blind contract labels. */
  sample?: { corpusLabels: SpanScores; contractLabels: SpanScores; contractLabelsAllFour: SpanScores };
};
const results = Object.fromEntries(
  SYSTEMS.map((s) => {
    const t = tallies[s];
    const r: SystemScores = {
      all: summarise(t.all, ALL_TYPES),
      personOrgLocation: summarise(t.all, POL_TYPES),
      goldSets: summarise(t.goldSets, POL_TYPES),
      perCorpus: Object.fromEntries([...t.perCorpus].map(([c, x]) => [c, summarise(x, POL_TYPES)])),
      ...(adjudicated.size && !adjudicatedMismatch
        ? { sample: { corpusLabels: summarise(t.sampleCorpus, POL_TYPES), contractLabels: summarise(t.sampleAdjudicated, POL_TYPES), contractLabelsAllFour: summarise(t.sampleAdjudicated, ALL_TYPES) } }
        : {}),
    };
    return [s, r];
  }),
) as Record<System, SystemScores>;

const f3 = (x: number) => x.toFixed(3);
type P = SpanScores['exact']['micro'];
const row = (name: string, system: System, x: P, o: P) =>
  `${name.padEnd(22)} ${LABEL[system].padEnd(13)} | ${f3(x.precision)} ${f3(x.recall)} ${f3(x.f1)} | ${f3(o.precision)} ${f3(o.recall)} ${f3(o.f1)} | ${String(o.gold).padStart(6)} ${String(o.predicted).padStart(6)}`;
const lines = [
  `bench/ner-dev: the mention stage on the dev split, ${dev.length.toLocaleString('en')} sentences, ${tokenCount.toLocaleString('en')} tokens (${corporaDir})`,
  `${'type'.padEnd(22)} ${'system'.padEnd(13)} | exact P R     F1    | overlap P R   F1    |   gold   pred`,
];
for (const type of ALL_TYPES) for (const s of SYSTEMS) lines.push(row(type, s, results[s].all.exact.perType[type], results[s].all.overlap.perType[type]));
for (const s of SYSTEMS) lines.push(row('all four, micro', s, results[s].all.exact.micro, results[s].all.overlap.micro));
for (const s of SYSTEMS) lines.push(row('P+O+L gold sets, micro', s, results[s].goldSets.exact.micro, results[s].goldSets.overlap.micro));
for (const s of SYSTEMS) lines.push(row('P+O+L, micro', s, results[s].personOrgLocation.exact.micro, results[s].personOrgLocation.overlap.micro));
lines.push('', `P+O+L overlap F1 by corpus: ${'corpus'.padEnd(18)} ${SYSTEMS.map((s) => LABEL[s].padStart(12)).join(' ')}`);
for (const c of Object.keys(results.on.perCorpus)) lines.push(`${''.padEnd(27)} ${c.padEnd(18)} ${SYSTEMS.map((s) => f3(results[s].perCorpus[c].overlap.micro.f1).padStart(12)).join(' ')}`);
if (adjudicatedMismatch) lines.push('', `adjudicated sample: ${adjudicatedMismatch} sentences no longer match ${adjudicatedFile} (the corpora changed); not scored`);
else if (adjudicated.size) {
  lines.push('', `the adjudicated sample (${adjudicated.size} dev sentences, ${adjudicatedFile}), P+O+L overlap F1 / exact F1:`);
  lines.push(`${'labels'.padEnd(34)} ${SYSTEMS.map((s) => LABEL[s].padStart(15)).join(' ')}`);
  const cell = (x: SpanScores) => `${f3(x.overlap.micro.f1)} / ${f3(x.exact.micro.f1)}`.padStart(15);
  lines.push(`${"the corpora's".padEnd(34)} ${SYSTEMS.map((s) => cell(results[s].sample!.corpusLabels)).join(' ')}`);
  lines.push(`${"the contract's (blind)".padEnd(34)} ${SYSTEMS.map((s) => cell(results[s].sample!.contractLabels)).join(' ')}`);
  lines.push(`${"the contract's, with NATIONALITY".padEnd(34)} ${SYSTEMS.map((s) => cell(results[s].sample!.contractLabelsAllFour)).join(' ')}`);
  for (const type of ALL_TYPES)
    lines.push(`${`  ${type}`.padEnd(34)} ${SYSTEMS.map((s) => cell({ overlap: { perType: {}, micro: results[s].sample!.contractLabelsAllFour.overlap.perType[type] }, exact: { perType: {}, micro: results[s].sample!.contractLabelsAllFour.exact.perType[type] } })).join(' ')}`);
}
lines.push('', `seconds: ${SYSTEMS.map((s) => `${LABEL[s]} ${seconds[s].toFixed(1)}`).join(', ')}`);
lines.push(`P+O+L micro overlap F1: ${SYSTEMS.map((s) => `${LABEL[s]} ${f3(results[s].personOrgLocation.overlap.micro.f1)}`).join(', ')}`);
console.log(lines.join('\n'));
if (problems.length) console.error(`${problems.length} documents had errors; first: ${formatIssue(problems[0])}`);
console.log(JSON.stringify({ format: 'faultline.bench.ner-dev/v1', corpora: corporaDir, sentences: dev.length, tokens: tokenCount, seconds, systems: results }));
process.exitCode = problems.length ? 1 : 0;
