// `faultline eval`: scores the MENTION STAGE of the real pipeline (segment → tokenize →
// resolveDates → findMentions → linkEntities, the stages that make the mentions users get) against
// gold mentions, as exact and overlap precision, recall and F1 per type and micro-averaged.
//
//   faultline eval --conll FILE [--map B-per=PERSON,...] [--types PERSON,ORGANIZATION,LOCATION] [--no-tagger] [--json]
//   faultline eval --jsonl GOLD.jsonl [--types ...] [--no-tagger] [--json]
//
// CoNLL: each sentence's text is its tokens joined by single spaces (each token's character
// offsets are recorded), and it runs through the pipeline as ONE DOCUMENT PER SENTENCE. Batching
// sentences into one document would be faster, but the mention stage works per document (the
// tagger gives a name it tagged once the same type wherever it recurs, acronyms defined once
// apply to the whole document, a country named anywhere steers place readings), so unrelated
// sentences would leak into each other's scores; and one sentence a document is fast enough (the
// 5,751 dev sentences of bench/ner-dev.ts take under 10 s). Gold BIO spans and predicted mentions are both
// compared as character spans over that text.
//
// JSONL: one gold document a line, {"id", "text", "mentions": [{"start", "end", "type"}]}, with
// half-open UTF-16 character offsets and contract mention types; each line is one document.
//
// Exit codes as for every command: 0 scored, 1 an input was unreadable or had bad lines (JSONL:
// the good lines are still scored), 2 usage.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { createPipeline, stageList, type Pipeline } from '../pipeline.js';
import { MENTION_TYPES } from '../model/contract.js';
import { formatIssue, issue, type Issue, type Result } from '../model/issues.js';
import { emptyTally, GoldMentionSchema, readConll, summarise, tallySpans, type ScoredSpan, type SpanScores, type SpanTally } from '../extract/ner/evaluate.js';

export const EVAL_FORMAT = 'faultline.eval/v1';
export const DEFAULT_EVAL_TYPES: readonly string[] = ['PERSON', 'ORGANIZATION', 'LOCATION'];

/** One document to score: its text and its gold mentions as character spans. */
export type GoldDocument = { id: string; text: string; gold: ScoredSpan[] };

// ---- the mention stage ----

/** The pipeline's stages up to and including linkEntities: what makes the mentions of an extraction. */
export function mentionStages() {
  const last = stageList.findIndex((s) => s.name === 'linkEntities');
  if (last < 0) throw new Error(`no stage "linkEntities" in the pipeline; stages: ${stageList.map((s) => s.name).join(', ')}`);
  return stageList.filter((_, i) => i <= last);
}

export function mentionStagePipeline(options: { tagger: boolean; dataRoot?: string }): Pipeline {
  return createPipeline({ stages: mentionStages(), tagger: options.tagger, dataRoot: options.dataRoot });
}

/** The mentions the pipeline finds in `text`, of the given types, as character spans; and its issues. */
export function predictMentions(pipeline: Pipeline, id: string, text: string, types: ReadonlySet<string>): { spans: ScoredSpan[]; issues: Issue[] } {
  const doc = pipeline.run({ id, text });
  const spans = (doc.layers.mentions ?? []).filter((m) => types.has(m.type)).map((m) => ({ start: m.start, end: m.end, type: m.type }));
  return { spans, issues: doc.issues };
}

// ---- token sentences as text ----

/** Tokens joined by single spaces, and each token's character span in that text. */
export function joinTokens(tokens: readonly string[]): { text: string; offsets: { start: number; end: number }[] } {
  const offsets: { start: number; end: number }[] = [];
  let at = 0;
  for (const t of tokens) {
    offsets.push({ start: at, end: at + t.length });
    at += t.length + 1;
  }
  return { text: tokens.join(' '), offsets };
}

/** Token spans (end exclusive) → character spans over joinTokens' text. */
export function toCharSpans(spans: readonly ScoredSpan[], offsets: readonly { start: number; end: number }[]): ScoredSpan[] {
  return spans.map((s) => ({ start: offsets[s.start].start, end: offsets[s.end - 1].end, type: s.type }));
}

// ---- reading gold files ----

/** `--map B-per=PERSON,org=ORGANIZATION,MISC=O`: their type (a B-/I- prefix is ignored) → ours or O. */
export function parseTypeMap(value: string): Result<Record<string, string>> {
  const map: Record<string, string> = {};
  const known = [...MENTION_TYPES, 'O'];
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(?:[BIESLU][-_])?([^=\s]+)=([A-Za-z_]+)$/.exec(pair);
    const ours = m?.[2].toUpperCase();
    if (!m || !known.includes(ours!)) {
      return { ok: false, issues: [issue('input.bad-record', '--map', `--map entry "${pair}" is not THEIRS=OURS with OURS one of ${known.join(', ')}`)] };
    }
    map[m[1]] = ours!;
  }
  return { ok: true, value: map };
}

/** `--types PERSON,ORGANIZATION`: contract mention types. */
export function parseTypes(value: string): Result<string[]> {
  const types = value.split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
  const bad = types.filter((t) => !(MENTION_TYPES as readonly string[]).includes(t));
  if (bad.length || !types.length) {
    return { ok: false, issues: [issue('input.bad-record', '--types', `--types "${value}": ${bad.length ? `unknown type ${bad.map((b) => `"${b}"`).join(', ')}` : 'no type given'}; known: ${MENTION_TYPES.join(', ')}`)] };
  }
  return { ok: true, value: [...new Set(types)] };
}

function readText(file: string): Result<string> {
  try {
    return { ok: true, value: readFileSync(file, 'utf8').replace(/^\uFEFF/, '') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (e as Error).message;
    return { ok: false, issues: [issue('input.unreadable', file, `cannot read ${file}: ${reason}`)] };
  }
}

/** A CoNLL file as documents, one per sentence, with gold character spans. */
export function readConllGold(file: string, map: Record<string, string> = {}): Result<GoldDocument[]> {
  const text = readText(file);
  if (!text.ok) return text;
  const read = readConll(text.value, { input: file, map });
  if (!read.ok) return read;
  if (!read.value.length) return { ok: false, issues: [issue('input.empty', file, `${file} holds no sentences; expected one token and tag a line, blank lines between sentences`)] };
  return {
    ok: true,
    value: read.value.map((s) => {
      const { text: sentence, offsets } = joinTokens(s.tokens);
      return { id: `${file}:${s.line}`, text: sentence, gold: toCharSpans(s.spans, offsets) };
    }),
  };
}

export const GoldLineSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  mentions: z.array(GoldMentionSchema),
});

/** One JSONL gold line; the issue names the file and line and says what was expected. */
export function goldFromJsonLine(line: string, lineNo: number, file: string): Result<GoldDocument> {
  const where = `${file}:${lineNo}`;
  const bad = (code: 'input.bad-json' | 'input.bad-record', message: string): Result<GoldDocument> => ({ ok: false, issues: [issue(code, where, `line ${lineNo} of ${file}: ${message}`)] });
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return bad('input.bad-json', `not valid JSON (${(e as Error).message})`);
  }
  const parsed = GoldLineSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return bad('input.bad-record', `${first.path.join('.') || 'the line'}: ${first.message}; expected {"id", "text", "mentions": [{"start", "end", "type"}]}`);
  }
  const { id, text, mentions } = parsed.data;
  for (const [k, m] of mentions.entries()) {
    if (m.end <= m.start || m.end > text.length) return bad('input.bad-record', `mentions.${k}: span ${m.start}-${m.end} is not within the text (0-${text.length}) with start < end`);
    if (m.text !== undefined && text.slice(m.start, m.end) !== m.text) {
      return bad('input.bad-record', `mentions.${k}: text.slice(${m.start}, ${m.end}) is ${JSON.stringify(text.slice(m.start, m.end))}, not ${JSON.stringify(m.text)}`);
    }
  }
  return { ok: true, value: { id, text, gold: mentions.map((m) => ({ start: m.start, end: m.end, type: m.type })) } };
}

/** A JSONL gold file: the good lines, and an issue for each bad one. */
export function readJsonlGold(file: string): { ok: false; issues: Issue[] } | { ok: true; value: GoldDocument[]; issues: Issue[] } {
  const text = readText(file);
  if (!text.ok) return text;
  const docs: GoldDocument[] = [];
  const issues: Issue[] = [];
  const ids = new Map<string, number>();
  text.value.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const g = goldFromJsonLine(line, i + 1, file);
    if (!g.ok) return issues.push(...g.issues);
    const seen = ids.get(g.value.id);
    if (seen !== undefined) return issues.push(issue('input.bad-record', `${file}:${i + 1}`, `line ${i + 1} of ${file}: id "${g.value.id}" was already used on line ${seen}; expected unique ids`));
    ids.set(g.value.id, i + 1);
    docs.push(g.value);
  });
  if (!docs.length && !issues.length) issues.push(issue('input.empty', file, `${file} holds no gold lines; expected one {"id", "text", "mentions"} a line`));
  return { ok: true, value: docs, issues };
}

// ---- scoring and printing ----

/** Runs each document through the mention stage and adds its spans of `types` to `tally`. */
export function tallyMentionStage(pipeline: Pipeline, docs: readonly GoldDocument[], types: readonly string[], tally: SpanTally = emptyTally()): { tally: SpanTally; issues: Issue[] } {
  const wanted = new Set(types);
  const issues: Issue[] = [];
  for (const d of docs) {
    const p = predictMentions(pipeline, d.id, d.text, wanted);
    issues.push(...p.issues);
    tallySpans(tally, d.gold.filter((g) => wanted.has(g.type)), p.spans);
  }
  return { tally, issues };
}

const f3 = (x: number) => x.toFixed(3);

/** Scores as table rows: exact and overlap P/R/F1 per type and micro, then the counts behind them. */
export function formatScores(s: SpanScores): string[] {
  const prf = 'P      R      F1   ';
  const counts = `${'gold'.padStart(5)} ${'pred'.padStart(5)} ${'exact'.padStart(5)} ${'overlap'.padStart(7)}`;
  const lines = [`${''.padEnd(14)} | ${'exact'.padEnd(prf.length)} | ${'overlap'.padEnd(prf.length)} |`, `${'type'.padEnd(14)} | ${prf} | ${prf} | ${counts}`];
  type Row = SpanScores['exact']['micro'];
  const three = (x: Row) => [x.precision, x.recall, x.f1].map((v) => v.toFixed(3)).join('  ');
  const row = (name: string, x: Row, o: Row) =>
    `${name.padEnd(14)} | ${three(x)} | ${three(o)} | ${String(o.gold).padStart(5)} ${String(o.predicted).padStart(5)} ${String(x.matched).padStart(5)} ${String(o.matched).padStart(7)}`;
  for (const t of Object.keys(s.exact.perType)) lines.push(row(t, s.exact.perType[t], s.overlap.perType[t]));
  lines.push(row('micro', s.exact.micro, s.overlap.micro));
  return lines;
}

export type EvalOptions = { conll?: string; jsonl?: string; map?: string; types?: string; tagger: boolean; json?: boolean; data?: string };

function printIssues(issues: readonly Issue[]): void {
  // the same warning (a missing tagger model) comes from every document: say it once
  const seen = new Set<string>();
  for (const i of issues) {
    const key = i.severity === 'error' ? formatIssue(i) : `${i.code} ${i.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    process.stderr.write(formatIssue(i) + '\n');
  }
}

export async function evalCommand(opts: EvalOptions): Promise<number> {
  const usage = (message: string) => {
    process.stderr.write(`faultline eval: ${message}\n`);
    return 2;
  };
  if (!opts.conll === !opts.jsonl) return usage('give one gold file: --conll FILE or --jsonl FILE');
  if (opts.map !== undefined && !opts.conll) return usage('--map applies to --conll only');
  const types = opts.types === undefined ? { ok: true as const, value: [...DEFAULT_EVAL_TYPES] } : parseTypes(opts.types);
  if (!types.ok) return usage(types.issues[0].message);
  const map = opts.map === undefined ? { ok: true as const, value: {} } : parseTypeMap(opts.map);
  if (!map.ok) return usage(map.issues[0].message);

  const file = (opts.conll ?? opts.jsonl)!;
  const read = opts.conll ? readConllGold(opts.conll, map.value) : readJsonlGold(opts.jsonl!);
  if (!read.ok) {
    printIssues(read.issues);
    return 1;
  }
  const badLines = read.issues ?? [];
  printIssues(badLines);
  if (!read.value.length) return 1;

  const pipeline = mentionStagePipeline({ tagger: opts.tagger, dataRoot: opts.data });
  const { tally, issues } = tallyMentionStage(pipeline, read.value, types.value);
  printIssues(issues);
  const failed = issues.some((i) => i.severity === 'error');
  const scores = summarise(tally, types.value);
  // gold of types the score leaves out: say so, so a low count is not a surprise
  const unscored = new Map<string, number>();
  for (const d of read.value) for (const g of d.gold) if (!types.value.includes(g.type)) unscored.set(g.type, (unscored.get(g.type) ?? 0) + 1);
  if (unscored.size) process.stderr.write(`note: gold mentions of types not scored: ${[...unscored].map(([t, n]) => `${t} ${n}`).join(', ')} (add them to --types)\n`);

  const unit = opts.conll ? 'sentences' : 'documents';
  const count = `${read.value.length} ${read.value.length === 1 ? unit.slice(0, -1) : unit}`;
  if (opts.json) {
    const out = { format: EVAL_FORMAT, input: file, kind: opts.conll ? 'conll' : 'jsonl', tagger: opts.tagger, types: types.value, [unit]: read.value.length, skippedLines: badLines.length, ...scores };
    process.stdout.write(JSON.stringify(out) + '\n');
  } else {
    const skipped = badLines.length ? ` (${badLines.length} bad line${badLines.length === 1 ? '' : 's'} skipped)` : '';
    const head = `${file}: ${count}${skipped}; mention stage, tagger ${opts.tagger ? 'on' : 'off'}`;
    process.stdout.write([head, ...formatScores(scores)].join('\n') + '\n');
  }
  return badLines.length || failed ? 1 : 0;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('score the mention stage against gold mentions: a CoNLL file (one sentence a document) or JSONL {id, text, mentions}')
    .option('--conll <file>', 'gold tokens and BIO/IO/BILOU tags, one token a line, blank lines between sentences')
    .option('--jsonl <file>', 'gold documents, one {"id", "text", "mentions": [{"start", "end", "type"}]} a line')
    .option('--map <pairs>', 'CoNLL type names to ours, e.g. B-per=PERSON,geo=LOCATION,MISC=O')
    .option('--types <list>', 'mention types to score', DEFAULT_EVAL_TYPES.join(','))
    .option('--no-tagger', 'score without the trained entity tagger (knowledge base and rules only)')
    .option('--json', 'print one JSON object instead of a table')
    .option('--data <dir>', 'knowledge base folder (default: the built-in data/)')
    .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
    .action(async (opts: EvalOptions) => {
      process.exitCode = await evalCommand(opts);
    });
}
