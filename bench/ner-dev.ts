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
// election"). So the same three systems are also scored on eval/dev-gold.jsonl: the dev split
// annotated blind by the contract's rules (eval/README.md). It is reported whole and in two parts:
// every 14th sentence (411), which was read while the rules were being fixed, and the rest, which
// was not. The file holds offsets only, never corpus text; each line's `check` (FNV-1a of the
// sentence) says it still fits the corpora.
//   node dist/bench/ner-dev.js [--corpora DIR] [--contract-gold FILE]
// Prints a table and one JSON line. Skips (exit 0) when the corpora folder is absent.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { joinTokens, mentionStagePipeline, predictMentions, toCharSpans } from '../src/cli/eval.js';
import { readCorpora } from '../src/extract/ner/corpora.js';
import { ALL_TYPES, isSeenDevSentence, POL_TYPES, readContractGold, sentenceCheck } from '../src/extract/ner/dev-eval.js';
import { emptyTally, summarise, tallySpans, type ScoredSpan, type SpanScores, type SpanTally } from '../src/extract/ner/evaluate.js';
import { spansFromLabels } from '../src/extract/ner/labels.js';
import { loadNerModel, projectRoot, tagSpans } from '../src/extract/ner/model.js';
import { gazetteerFor } from '../src/extract/ner/corpus-gazetteer.js';
import { loadDemonyms, toTrainingSentences } from '../src/extract/ner/train.js';
import { formatIssue, type Issue } from '../src/model/issues.js';

const args = process.argv.slice(2);
const at = args.indexOf('--corpora');
const corporaDir = at >= 0 ? args[at + 1] : resolve(projectRoot(), '..', 'shared', 'corpora');
const cgAt = args.indexOf('--contract-gold');
const contractFile = cgAt >= 0 ? args[cgAt + 1] : resolve(projectRoot(), 'eval', 'dev-gold.jsonl');
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

const contract = new Map(contractFile && existsSync(contractFile) ? readContractGold(contractFile).map((a) => [a.index, a]) : []);
let contractMismatch = 0;
/** Parts of the contract-annotated split: the sentences read while fixing rules, and the others. */
const PARTS = ['whole', 'seen', 'unseen'] as const;
type Part = (typeof PARTS)[number];
const partOf = (i: number): Part => (isSeenDevSentence(i) ? 'seen' : 'unseen');

const SYSTEMS = ['on', 'off', 'alone'] as const;
type System = (typeof SYSTEMS)[number];
const LABEL: Record<System, string> = { on: 'tagger on', off: 'tagger off', alone: 'tagger alone' };
type PartTallies = Record<Part, { corpus: SpanTally; contract: SpanTally }>;
type Tallies = { all: SpanTally; goldSets: SpanTally; perCorpus: Map<string, SpanTally>; parts: PartTallies; contractPerCorpus: Map<string, SpanTally> };
const emptyParts = () => Object.fromEntries(PARTS.map((p) => [p, { corpus: emptyTally(), contract: emptyTally() }])) as PartTallies;
const tallies = Object.fromEntries(SYSTEMS.map((s) => [s, { all: emptyTally(), goldSets: emptyTally(), perCorpus: new Map(), parts: emptyParts(), contractPerCorpus: new Map() }])) as Record<System, Tallies>;
const seconds: Record<System, number> = { on: 0, off: 0, alone: 0 };
const pipelines = { on: mentionStagePipeline({ tagger: true }), off: mentionStagePipeline({ tagger: false }) };
const scored = new Set<string>(ALL_TYPES);
const problems: Issue[] = [];

dev.forEach((s, i) => {
  const { text, offsets } = joinTokens(s.tokens.map((t) => t.text));
  const gold = toCharSpans(spansFromLabels(s.tags), offsets);
  const cg = contract.get(i);
  const fits = cg !== undefined && cg.check === sentenceCheck(text);
  if (cg && !fits) contractMismatch++;
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
    // the contract's annotation has nationalities on every corpus
    if (fits) {
      for (const part of ['whole', partOf(i)] as const) tallySpans(t.parts[part].contract, cg.mentions, predicted);
      if (!t.contractPerCorpus.has(s.corpus)) t.contractPerCorpus.set(s.corpus, emptyTally());
      tallySpans(t.contractPerCorpus.get(s.corpus)!, cg.mentions, predicted);
    }
    if (!s.nat) predicted = predicted.filter((p) => p.type !== 'NATIONALITY');
    if (fits) for (const part of ['whole', partOf(i)] as const) tallySpans(t.parts[part].corpus, gold, predicted);
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
  /** The contract-annotated sentences, whole and in parts, on the corpora's labels and on the contract's. */
  contract?: Record<Part, { sentences: number; corpusLabels: SpanScores; contractLabels: SpanScores; contractLabelsAllFour: SpanScores }>;
  /** P+O+L on the contract's labels, by corpus. */
  contractPerCorpus?: Record<string, SpanScores>;
};
const results = Object.fromEntries(
  SYSTEMS.map((s) => {
    const t = tallies[s];
    const r: SystemScores = {
      all: summarise(t.all, ALL_TYPES),
      personOrgLocation: summarise(t.all, POL_TYPES),
      goldSets: summarise(t.goldSets, POL_TYPES),
      perCorpus: Object.fromEntries([...t.perCorpus].map(([c, x]) => [c, summarise(x, POL_TYPES)])),
      ...(contract.size && !contractMismatch
        ? {
            contract: Object.fromEntries(
              PARTS.map((p) => [
                p,
                {
                  sentences: [...contract.keys()].filter((i) => p === 'whole' || partOf(i) === p).length,
                  corpusLabels: summarise(t.parts[p].corpus, POL_TYPES),
                  contractLabels: summarise(t.parts[p].contract, POL_TYPES),
                  contractLabelsAllFour: summarise(t.parts[p].contract, ALL_TYPES),
                },
              ]),
            ) as SystemScores['contract'],
            contractPerCorpus: Object.fromEntries([...t.contractPerCorpus].map(([c, x]) => [c, summarise(x, POL_TYPES)])),
          }
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
if (contractMismatch) lines.push('', `contract gold: ${contractMismatch} sentences no longer match ${contractFile} (the corpora changed); not scored`);
else if (contract.size) {
  const c = (sys: System) => results[sys].contract!;
  lines.push('', `the same sentences annotated by the contract (${contractFile}), P+O+L overlap F1 / exact F1:`);
  lines.push(`${'sentences and labels'.padEnd(44)} ${SYSTEMS.map((s) => LABEL[s].padStart(15)).join(' ')}`);
  const cell = (x: SpanScores) => `${f3(x.overlap.micro.f1)} / ${f3(x.exact.micro.f1)}`.padStart(15);
  const partName: Record<Part, string> = { whole: 'all annotated', seen: 'every 14th (seen)', unseen: 'the rest (unseen)' };
  for (const p of PARTS) {
    const n = c('on')[p].sentences;
    lines.push(`${`${partName[p]}, ${n}, the corpora's`.padEnd(44)} ${SYSTEMS.map((s) => cell(c(s)[p].corpusLabels)).join(' ')}`);
    lines.push(`${`${partName[p]}, ${n}, the contract's`.padEnd(44)} ${SYSTEMS.map((s) => cell(c(s)[p].contractLabels)).join(' ')}`);
  }
  lines.push(`${"all annotated, the contract's, all four".padEnd(44)} ${SYSTEMS.map((s) => cell(c(s).whole.contractLabelsAllFour)).join(' ')}`);
  for (const type of ALL_TYPES) {
    const one = (x: SpanScores): SpanScores => ({ overlap: { perType: {}, micro: x.overlap.perType[type] }, exact: { perType: {}, micro: x.exact.perType[type] } });
    lines.push(`${`  ${type}`.padEnd(44)} ${SYSTEMS.map((s) => cell(one(c(s).whole.contractLabelsAllFour))).join(' ')}`);
  }
  for (const corpus of Object.keys(results.on.contractPerCorpus ?? {}))
    lines.push(`${`  P+O+L, the contract's, ${corpus}`.padEnd(44)} ${SYSTEMS.map((s) => cell(results[s].contractPerCorpus![corpus])).join(' ')}`);
}
lines.push('', `seconds: ${SYSTEMS.map((s) => `${LABEL[s]} ${seconds[s].toFixed(1)}`).join(', ')}`);
lines.push(`P+O+L micro overlap F1: ${SYSTEMS.map((s) => `${LABEL[s]} ${f3(results[s].personOrgLocation.overlap.micro.f1)}`).join(', ')}`);
console.log(lines.join('\n'));
if (problems.length) console.error(`${problems.length} documents had errors; first: ${formatIssue(problems[0])}`);
console.log(JSON.stringify({ format: 'faultline.bench.ner-dev/v1', corpora: corporaDir, sentences: dev.length, tokens: tokenCount, seconds, systems: results }));
process.exitCode = problems.length ? 1 : 0;
