// Scoring a model on held-out sentences: per type, micro over PERSON+ORGANIZATION+LOCATION and
// over all four, and per corpus. Used by training (dev-report.json) and by the test that checks
// the shipped weights still reproduce the recorded score.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { hashString } from './features.js';
import { emptyTally, GoldMentionSchema, summarise, tallySpans, type SpanScores, type SpanTally } from './evaluate.js';
import { spansFromLabels } from './labels.js';
import { tagSentence, type NerModel, type TaggerToken } from './model.js';

export type EvalSentence = {
  tokens: readonly TaggerToken[];
  tags: readonly string[];
  /** Whether the sentence's corpus annotates nationalities; if not, NAT predictions are ignored. */
  nat: boolean;
  corpus: string;
  /** From a silver corpus (GMB); the rest are pooled as "gold sets" too. */
  silver?: boolean;
};

export type NerEvaluation = {
  sentences: number;
  tokens: number;
  all: SpanScores;
  personOrgLocation: SpanScores;
  /** PERSON+ORGANIZATION+LOCATION over the hand-annotated corpora only. */
  goldSets: SpanScores;
  perCorpus: Record<string, SpanScores>;
};

export const ALL_TYPES = ['PERSON', 'ORGANIZATION', 'LOCATION', 'NATIONALITY'] as const;
export const POL_TYPES = ['PERSON', 'ORGANIZATION', 'LOCATION'] as const;

export function evaluateTagger(model: NerModel, sentences: readonly EvalSentence[]): NerEvaluation {
  const tally = emptyTally();
  const goldSets = emptyTally();
  const perCorpus = new Map<string, SpanTally>();
  let tokens = 0;
  for (const s of sentences) {
    tokens += s.tokens.length;
    const gold = spansFromLabels(s.tags);
    let predicted = spansFromLabels(tagSentence(model, s.tokens));
    if (!s.nat) predicted = predicted.filter((p) => p.type !== 'NATIONALITY');
    tallySpans(tally, gold, predicted);
    if (s.silver !== true) tallySpans(goldSets, gold, predicted);
    let c = perCorpus.get(s.corpus);
    if (c === undefined) {
      c = emptyTally();
      perCorpus.set(s.corpus, c);
    }
    tallySpans(c, gold, predicted);
  }
  return {
    sentences: sentences.length,
    tokens,
    all: summarise(tally, ALL_TYPES),
    personOrgLocation: summarise(tally, POL_TYPES),
    goldSets: summarise(goldSets, POL_TYPES),
    perCorpus: Object.fromEntries([...perCorpus].map(([name, t]) => [name, summarise(t, POL_TYPES)])),
  };
}

// ---- the dev split annotated by the contract's rules (eval/dev-gold.jsonl) ----

/** Every 14th dev sentence was annotated first and read while rules were fixed; the rest was not. */
export function isSeenDevSentence(index: number): boolean {
  return index % 14 === 0;
}

/** One line of eval/dev-gold.jsonl: a dev sentence by its index in the dev split, the FNV-1a hash
 * of its tokens joined by single spaces, and its mentions as character offsets there. */
export type AdjudicatedSentence = { index: number; check: string; mentions: { start: number; end: number; type: string }[] };

/** The sentence's check value, as written in eval/dev-gold.jsonl. */
export function sentenceCheck(text: string): string {
  return (hashString(text) >>> 0).toString(16);
}

const ContractGoldLineSchema = z.object({
  id: z.string().regex(/^dev-\d+$/),
  check: z.string().regex(/^[0-9a-f]+$/),
  mentions: z.array(GoldMentionSchema),
});

/** Reads eval/dev-gold.jsonl (see eval/README.md); throws on a malformed line, naming it. */
export function readContractGold(file: string): AdjudicatedSentence[] {
  const out: AdjudicatedSentence[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, k) => {
    if (!line.trim()) return;
    const x = ContractGoldLineSchema.safeParse(JSON.parse(line));
    if (!x.success) throw new Error(`${file}:${k + 1}: expected {"id": "dev-N", "check": "<hex>", "mentions": [{"start", "end", "type"}]}: ${x.error.issues[0]?.message}`);
    out.push({ index: Number(x.data.id.slice(4)), check: x.data.check, mentions: x.data.mentions });
  });
  return out;
}
