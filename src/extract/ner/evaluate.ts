// Scoring mention spans, and reading users' CoNLL files to score against. Pure functions: the
// CLI (`faultline eval`) reads files and prints; these only count.
//
// Two matchings: exact (same type, same start and end) and overlap (same type, the spans share
// at least one position; each gold span and each predicted span is matched at most once, first
// come first served in start order). Offsets may be token or character indices, half-open.
import { z } from 'zod';
import { MentionTypeSchema } from '../../model/contract.js';
import { issue, type Issue, type Result } from '../../model/issues.js';
import { spansFromLabels } from './labels.js';

export type ScoredSpan = { start: number; end: number; type: string };

/** A gold mention in a JSONL gold file: character offsets, half-open, and its type. */
export const GoldMentionSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  type: MentionTypeSchema,
  text: z.string().optional(),
});

export type Counts = { gold: number; predicted: number; matched: number };
export type Prf = Counts & { precision: number; recall: number; f1: number };

/** Running counts per type for both matchings; add sentence after sentence. */
export type SpanTally = { exact: Record<string, Counts>; overlap: Record<string, Counts> };

export type SpanScores = {
  exact: { perType: Record<string, Prf>; micro: Prf };
  overlap: { perType: Record<string, Prf>; micro: Prf };
};

export function emptyTally(): SpanTally {
  return { exact: {}, overlap: {} };
}

function bump(table: Record<string, Counts>, type: string, field: keyof Counts): void {
  const c = (table[type] ??= { gold: 0, predicted: 0, matched: 0 });
  c[field]++;
}

const byStart = (a: ScoredSpan, b: ScoredSpan): number => a.start - b.start || a.end - b.end;

/** Adds one unit's (sentence's, document's) gold and predicted spans to `tally`; returns it. */
export function tallySpans(tally: SpanTally, gold: readonly ScoredSpan[], predicted: readonly ScoredSpan[]): SpanTally {
  for (const g of gold) {
    bump(tally.exact, g.type, 'gold');
    bump(tally.overlap, g.type, 'gold');
  }
  for (const p of predicted) {
    bump(tally.exact, p.type, 'predicted');
    bump(tally.overlap, p.type, 'predicted');
  }
  const exact = new Set(gold.map((g) => `${g.type}\u0000${g.start}\u0000${g.end}`));
  for (const p of predicted) {
    const k = `${p.type}\u0000${p.start}\u0000${p.end}`;
    if (exact.has(k)) {
      bump(tally.exact, p.type, 'matched');
      exact.delete(k);
    }
  }
  const golds = [...gold].sort(byStart);
  const used = new Uint8Array(golds.length);
  for (const p of [...predicted].sort(byStart)) {
    // Prefer an exact partner, then the first overlapping one.
    let pick = -1;
    for (let j = 0; j < golds.length; j++) {
      const g = golds[j];
      if (used[j] || g.type !== p.type || g.start >= p.end || p.start >= g.end) continue;
      if (g.start === p.start && g.end === p.end) {
        pick = j;
        break;
      }
      if (pick < 0) pick = j;
    }
    if (pick >= 0) {
      used[pick] = 1;
      bump(tally.overlap, p.type, 'matched');
    }
  }
  return tally;
}

function prf(c: Counts): Prf {
  const precision = c.predicted === 0 ? 0 : c.matched / c.predicted;
  const recall = c.gold === 0 ? 0 : c.matched / c.gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

/** Precision, recall and F1 per type and micro-averaged over `types` (default: every type seen). */
export function summarise(tally: SpanTally, types?: readonly string[]): SpanScores {
  const side = (table: Record<string, Counts>): { perType: Record<string, Prf>; micro: Prf } => {
    const names = types ?? Object.keys(table).sort();
    const perType: Record<string, Prf> = {};
    const total: Counts = { gold: 0, predicted: 0, matched: 0 };
    for (const t of names) {
      const c = table[t] ?? { gold: 0, predicted: 0, matched: 0 };
      perType[t] = prf(c);
      total.gold += c.gold;
      total.predicted += c.predicted;
      total.matched += c.matched;
    }
    return { perType, micro: prf(total) };
  };
  return { exact: side(tally.exact), overlap: side(tally.overlap) };
}

/** Scores units of gold and predicted spans in one go. */
export function scoreSpans(
  units: readonly { gold: readonly ScoredSpan[]; predicted: readonly ScoredSpan[] }[],
  types?: readonly string[],
): SpanScores {
  const tally = emptyTally();
  for (const u of units) tallySpans(tally, u.gold, u.predicted);
  return summarise(tally, types);
}

// ---- CoNLL ----

export type ConllSentence = {
  tokens: string[];
  /** BIO over our type names: "B-PERSON", "I-LOCATION", "O". */
  tags: string[];
  /** The same as spans in token indices. */
  spans: ScoredSpan[];
  /** 1-based line of the sentence's first token. */
  line: number;
};

export type ConllOptions = {
  /** Their type → ours ("PERSON", "ORGANIZATION", "LOCATION", "NATIONALITY", or "O" to drop). Unlisted types use DEFAULT_CONLL_MAP. */
  map?: Record<string, string>;
  /** Column of the token, 0-based; negative counts from the end. Default 0. */
  tokenColumn?: number;
  /** Column of the tag, 0-based; negative counts from the end. Default -1 (the last). */
  tagColumn?: number;
  /** Names the input in issues (a file path). */
  input?: string;
};

/** Common type names → ours. Anything else (MISC, DATE, ...) is dropped. */
export const DEFAULT_CONLL_MAP: Readonly<Record<string, string>> = {
  PER: 'PERSON', PERSON: 'PERSON',
  ORG: 'ORGANIZATION', ORGANIZATION: 'ORGANIZATION', ORGANISATION: 'ORGANIZATION',
  LOC: 'LOCATION', LOCATION: 'LOCATION', GPE: 'LOCATION',
  NAT: 'NATIONALITY', NATIONALITY: 'NATIONALITY', NORP: 'NATIONALITY',
  FAC: 'FACILITY', FACILITY: 'FACILITY',
};

const TAG = /^(?:([BIESLU])[-_])?([A-Za-z][\w.-]*)$/;

/**
 * Reads CoNLL-style text: one token a line, columns separated by tabs (or, in a line without a
 * tab, by spaces), blank lines between sentences, `#` comment lines and -DOCSTART- lines skipped.
 * Tags in IO, IOB1, IOB2/BIO or BILOU/BIOES all come out as BIO over our types.
 */
export function readConll(text: string, options: ConllOptions = {}): Result<ConllSentence[]> {
  const input = options.input ?? 'conll';
  const map = { ...DEFAULT_CONLL_MAP, ...(options.map ?? {}) };
  const pick = (fields: string[], column: number): string | undefined => fields[column < 0 ? fields.length + column : column];
  const tokenColumn = options.tokenColumn ?? 0;
  const tagColumn = options.tagColumn ?? -1;
  const sentences: ConllSentence[] = [];
  const issues: Issue[] = [];
  let tokens: string[] = [];
  let raw: string[] = [];
  let firstLine = 0;
  const flush = (): void => {
    if (tokens.length > 0) {
      // Decode their scheme into spans over their types, then map and re-encode as BIO.
      const theirSpans = spansOverTypes(raw);
      const tags: string[] = new Array(tokens.length).fill('O');
      const spans: ScoredSpan[] = [];
      for (const s of theirSpans) {
        const ours = map[s.type] ?? map[s.type.toUpperCase()];
        if (ours === undefined || ours === 'O' || ours === '') continue;
        spans.push({ start: s.start, end: s.end, type: ours });
        tags[s.start] = `B-${ours}`;
        for (let j = s.start + 1; j < s.end; j++) tags[j] = `I-${ours}`;
      }
      sentences.push({ tokens, tags, spans, line: firstLine });
    }
    tokens = [];
    raw = [];
  };
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() === '') {
      flush();
      continue;
    }
    const fields = line.includes('\t') ? line.split('\t') : line.trim().split(/ +/);
    if (fields[0] === '-DOCSTART-') {
      flush();
      continue;
    }
    const token = pick(fields, tokenColumn);
    const tag = pick(fields, tagColumn);
    const isTag = tag !== undefined && (tag === 'O' || TAG.test(tag));
    // A "#" line is a comment ("# sent_id = 3", "# the source names.") unless it reads as a token
    // "#" with a tag: the token column is "#" alone and the line is not a sentence of words.
    const comment = line.startsWith('#') && (!isTag || fields.length < 2 || fields[0] !== '#' || /^#\s*[\w.-]+\s*=/.test(line) || (!line.includes('\t') && fields.length > 4));
    if (comment) continue;
    if (token === undefined || tag === undefined || fields.length < 2) {
      issues.push(issue('input.bad-record', `${input}:${n + 1}`, `line ${n + 1} of ${input} has ${fields.length} column(s); expected a token in column ${tokenColumn} and a tag in column ${tagColumn}: ${JSON.stringify(line.slice(0, 80))}`));
      continue;
    }
    if (!isTag) {
      issues.push(issue('input.bad-record', `${input}:${n + 1}`, `line ${n + 1} of ${input}: ${JSON.stringify(tag)} is not a tag; expected O, B-X, I-X, E-X, S-X, L-X, U-X or X`));
      continue;
    }
    if (tokens.length === 0) firstLine = n + 1;
    tokens.push(token);
    raw.push(tag);
  }
  flush();
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: sentences };
}

/** Spans over the raw type names of any IO/IOB/BILOU tag sequence ("I-PER", "PER", "S-LOC"). */
function spansOverTypes(tags: readonly string[]): ScoredSpan[] {
  // Normalise to "P-TYPE" (a bare type is I-) and let spansFromLabels decode, carrying type
  // names through an index so unknown names survive.
  const names: string[] = [];
  const index = new Map<string, number>();
  const labels = tags.map((tag) => {
    if (tag === 'O') return 'O';
    const m = TAG.exec(tag);
    if (m === null) return 'O';
    const prefix = (m[1] ?? 'I').toUpperCase();
    const type = m[2];
    let k = index.get(type);
    if (k === undefined) {
      k = names.length;
      names.push(type);
      index.set(type, k);
    }
    return `${prefix}-${k}`;
  });
  return spansOverIndexedTypes(labels).map((s) => ({ start: s.start, end: s.end, type: names[s.type] }));
}

function spansOverIndexedTypes(labels: readonly string[]): { start: number; end: number; type: number }[] {
  // Same rules as spansFromLabels (labels.ts), over arbitrary type names.
  const out: { start: number; end: number; type: number }[] = [];
  let start = -1;
  let type = -1;
  const close = (end: number): void => {
    if (start >= 0) out.push({ start, end, type });
    start = -1;
    type = -1;
  };
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === 'O') {
      close(i);
      continue;
    }
    const p = label.charAt(0);
    const t = Number(label.slice(2));
    if (p === 'B' || p === 'U' || p === 'S' || start < 0 || t !== type) {
      close(i);
      start = i;
      type = t;
    }
    if (p === 'L' || p === 'U' || p === 'E' || p === 'S') close(i + 1);
  }
  close(labels.length);
  return out;
}

/** Spans of a BIO/BILOU label sequence over our types, for scoring. */
export function spansOf(labels: readonly string[]): ScoredSpan[] {
  return spansFromLabels(labels);
}
