// Knowledge-base membership as a tagger feature. The knowledge base's own matches
// (find-mentions.ts kbCandidates) become one label per token, "B-LOCATION/city", "I-ORGANIZATION",
// which the tagger reads next to the word, its shape and its neighbours (features.ts `kb`). It is
// a feature, never an override: training shows the tagger how far each kind of match is to be
// trusted (a country is nearly always a place, a one-word town is often somebody's surname).
// The same function labels corpus sentences in training and the document's tokens at run time,
// so the tagger sees at run time exactly the kind of labels it was trained on.
import type { Token } from '../../model/analysis.js';
import { wordToken } from '../../text/tokenize.js';
import type { Candidate } from '../find-mentions.js';

/** Places by how sure a match is to be a place: towns and provinces often are not. */
const PLACE_TIER: Readonly<Record<number, string>> = { 1: 'city', 2: 'province', 3: 'region', 4: 'state' };

/** The label class of one knowledge-base match: its mention type, for places with the tier. */
export function gazetteerClass(c: Pick<Candidate, 'type' | 'kb'>): string {
  const tier = c.type === 'LOCATION' && c.kb ? PLACE_TIER[c.kb.priority] : undefined;
  return tier ? `${c.type}/${tier}` : c.type;
}

/**
 * BIO labels over `n` tokens from knowledge-base matches (token spans, end exclusive). Matches may
 * overlap (kbCandidates keeps the longest at each start): the longest, then the earliest, wins.
 */
export function gazetteerLabels(n: number, matches: readonly Pick<Candidate, 'start' | 'end' | 'type' | 'kb'>[]): (string | undefined)[] {
  const out: (string | undefined)[] = new Array(n).fill(undefined);
  const order = [...matches].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  for (const m of order) {
    let free = true;
    for (let i = m.start; i < m.end; i++) if (out[i] !== undefined) free = false;
    if (!free) continue;
    const cls = gazetteerClass(m);
    out[m.start] = `B-${cls}`;
    for (let i = m.start + 1; i < m.end; i++) out[i] = `I-${cls}`;
  }
  return out;
}

/**
 * Tokens as the pipeline would make them, from a corpus sentence's words and POS tags: the text
 * is the words joined by single spaces (as `faultline eval` runs a corpus sentence).
 */
export function tokensFromWords(words: readonly string[], pos: readonly string[]): { text: string; tokens: Token[] } {
  const tokens: Token[] = [];
  let at = 0;
  words.forEach((w, i) => {
    tokens.push({ ...wordToken(at, w, pos[i] ?? 'X'), sentence: 0 });
    at += w.length + 1;
  });
  return { text: words.join(' '), tokens };
}
