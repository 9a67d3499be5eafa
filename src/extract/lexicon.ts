// Looking up the knowledge base's word lists at token positions. Phrase keys are the tokens'
// match keys joined by spaces (hyphens drop out), so "Lt. Gen." and "training-camp" match as
// written in the lists; a token that starts (or ends) no phrase is passed over at once.
import type { Token } from '../model/analysis.js';
import type { WordEntry, WordList } from '../knowledge/knowledge.js';

export type PhraseHit = { start: number; end: number; entries: WordEntry[] }; // token indices, end exclusive

type KeyOf = (t: Token) => string;
const surface: KeyOf = (t) => t.key;
/** Lemmas for word lists written as base forms ("battle" matches "battling"). */
export const lemmaKey: KeyOf = (t) => (t.key === '' ? '' : t.lemma);

/** The longest phrase of `list` that starts at token i (and stays in its sentence). */
export function phraseAt(_text: string, tokens: readonly Token[], i: number, list: WordList, keyOf: KeyOf = surface): PhraseHit | undefined {
  const first = tokens[i];
  if (!first || !list.firstWords.has(keyOf(first))) return undefined;
  let best: PhraseHit | undefined;
  let key = '';
  let words = 0;
  for (let j = i; j < tokens.length && tokens[j].sentence === first.sentence && words < list.maxWords; j++) {
    const k = keyOf(tokens[j]);
    if (k === '') continue;
    if (key && !list.prefixes.has(key)) break;
    key = key ? `${key} ${k}` : k;
    words++;
    const entries = list.byKey.get(key);
    if (entries) best = { start: i, end: j + 1, entries };
  }
  return best;
}

/** The longest phrase of `list` that ends at token j (inclusive). */
export function phraseEndingAt(_text: string, tokens: readonly Token[], j: number, list: WordList, keyOf: KeyOf = surface): PhraseHit | undefined {
  const last = tokens[j];
  if (!last || !list.lastWords.has(keyOf(last))) return undefined;
  let best: PhraseHit | undefined;
  let key = '';
  let words = 0;
  for (let i = j; i >= 0 && tokens[i].sentence === last.sentence && words < list.maxWords; i--) {
    const k = keyOf(tokens[i]);
    if (k === '') continue;
    key = key ? `${k} ${key}` : k;
    words++;
    const entries = list.byKey.get(key);
    if (entries) best = { start: i, end: j + 1, entries };
  }
  return best;
}
