// Looking up the knowledge base's word lists at token positions.
import type { Token } from '../model/analysis.js';
import type { WordEntry, WordList } from '../knowledge/knowledge.js';
import { matchKey } from '../text/fold.js';

export type PhraseHit = { start: number; end: number; entries: WordEntry[] }; // token indices, end exclusive

/** The longest phrase of `list` that starts at token i (and stays in its sentence). */
export function phraseAt(text: string, tokens: readonly Token[], i: number, list: WordList): PhraseHit | undefined {
  let best: PhraseHit | undefined;
  const sent = tokens[i]?.sentence;
  for (let j = i; j < tokens.length && j < i + list.maxWords + 2 && tokens[j].sentence === sent; j++) {
    const key = matchKey(text.slice(tokens[i].start, tokens[j].end));
    const entries = list.byKey.get(key);
    if (entries) best = { start: i, end: j + 1, entries };
  }
  return best;
}

/** The longest phrase of `list` that ends at token j (inclusive). */
export function phraseEndingAt(text: string, tokens: readonly Token[], j: number, list: WordList): PhraseHit | undefined {
  let best: PhraseHit | undefined;
  const sent = tokens[j]?.sentence;
  for (let i = j; i >= 0 && i > j - list.maxWords - 2 && tokens[i].sentence === sent; i--) {
    const key = matchKey(text.slice(tokens[i].start, tokens[j].end));
    const entries = list.byKey.get(key);
    if (entries) best = { start: i, end: j + 1, entries };
  }
  return best;
}

export function has(list: WordList, phrase: string, category?: string): WordEntry | undefined {
  return list.byKey.get(matchKey(phrase))?.find((e) => !category || e.category === category);
}
