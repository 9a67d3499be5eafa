// Sentences, tokens, parts of speech and lemmas from wink-nlp, segment by segment, with offsets
// into the original text. Whitespace tokens are dropped; every token satisfies
// text.slice(start, end) === token.text.
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { defineStage, type Sentence, type Token } from '../model/analysis.js';
import { fold, matchKey } from './fold.js';

type Nlp = ReturnType<typeof winkNLP>;
let shared: Nlp | undefined;
/** One wink-nlp instance per process: its model is large and read-only. */
export function winkInstance(): Nlp {
  shared ??= winkNLP(model, ['sbd', 'pos']);
  return shared;
}

const CAP = /^[\p{Lu}]/u;
const HYPHEN_IN = /[-\u2010\u2011]/;
/** Nothing to fold: plain ASCII without a backtick. */
const ASCII_PLAIN = /^[\x20-\x5f\x61-\x7e]*$/;

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;
/** Has a letter wink-nlp splits words at (outside Latin-1). */
export const beyondLatin1 = (s: string): boolean => BEYOND_LATIN1.test(s);

const lowerFolded = (s: string) => (ASCII_PLAIN.test(s) ? s.toLowerCase() : fold(s).toLowerCase());

/** One token at `start`, its sentence still unknown (-1); `lemma` defaults to the word itself. */
export function wordToken(start: number, text: string, pos: string, lemma: string = text): Token {
  return { start, end: start + text.length, text, norm: lowerFolded(text), key: matchKey(text), pos, lemma: lowerFolded(lemma), sentence: -1, cap: CAP.test(text) };
}
const LETTER_AT_END = /\p{L}$/u;
const LETTER_AT_START = /^\p{L}/u;

/**
 * wink-nlp's tokenizer splits words at letters outside Latin-1: "Popović" → "Popovi" + "ć",
 * "Łódź" → "Ł" + "ód" + "ź". Says, for each piece after the first, whether it continues the
 * word before it: the two touch, letter against letter, and one of them has such a letter.
 */
export function continuesWord(prev: string, prevEnd: number, next: string, nextStart: number): boolean {
  return prevEnd === nextStart && LETTER_AT_END.test(prev) && LETTER_AT_START.test(next) && (beyondLatin1(prev) || beyondLatin1(next));
}

/** The part of speech of a word glued from pieces: a capitalised word is a name; else the first piece's tag that is not X. */
export function gluedPos(word: string, tags: readonly string[]): string {
  if (CAP.test(word)) return 'PROPN';
  return tags.find((t) => t !== 'X') ?? 'X';
}

export function tokenizeRange(nlp: Nlp, text: string, start: number, end: number, segment: number, sentences: Sentence[], tokens: Token[]): void {
  const its = nlp.its;
  const part = text.slice(start, end);
  const doc = nlp.readDoc(part);
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const lemmas = doc.tokens().out(its.lemma as never) as string[];
  // wink token index -> our token index (or -1 for whitespace)
  const map = new Int32Array(values.length).fill(-1);
  // each wink token's offset in `part` (-1: whitespace, or a form wink changed)
  const offsets = new Int32Array(values.length).fill(-1);
  let cursor = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (pos[i] === 'SPACE' || v.trim() === '') continue;
    const at = part.indexOf(v, cursor);
    if (at < 0) continue; // wink normalised something away: no offset we can vouch for
    offsets[i] = at;
    cursor = at + v.length;
  }
  for (let i = 0; i < values.length; i++) {
    const at = offsets[i];
    if (at < 0) continue;
    let v = values[i];
    // glue the pieces of a word wink split at a letter beyond Latin-1
    let last = i;
    const tags = [pos[i]];
    while (last + 1 < values.length && offsets[last + 1] >= 0 && continuesWord(values[last], offsets[last] + values[last].length, values[last + 1], offsets[last + 1])) {
      last++;
      tags.push(pos[last]);
    }
    if (last > i) {
      v = part.slice(at, offsets[last] + values[last].length);
      for (let k = i; k <= last; k++) map[k] = tokens.length;
      tokens.push(wordToken(start + at, v, gluedPos(v, tags)));
      i = last;
      continue;
    }
    map[i] = tokens.length;
    // "anti-Western", "Deir-ez-Zor", "Iran-backed": the parts of a hyphenated word are tokens of their own,
    // so that names inside it can be matched
    const parts = v.length > 2 && HYPHEN_IN.test(v) && /\p{L}[-\u2010\u2011]\p{L}/u.test(v) ? v.split(/([-\u2010\u2011])/) : [v];
    if (parts.length > 1) {
      let off = start + at;
      for (const p of parts) {
        if (p) tokens.push(wordToken(off, p, /^[-\u2010\u2011]$/.test(p) ? 'PUNCT' : pos[i], p === parts[parts.length - 1] ? (lemmas[i] ?? v).split(/[-\u2010\u2011]/).pop()! : p));
        off += p.length;
      }
      continue;
    }
    tokens.push(wordToken(start + at, v, pos[i], lemmas[i] ?? v));
  }
  const spans = doc.sentences().out(its.span) as unknown as [number, number][];
  for (const [a, b] of spans) {
    let first = -1;
    let last = -1;
    for (let i = a; i <= b; i++) if (map[i] >= 0) { if (first < 0) first = map[i]; last = map[i]; }
    // a hyphenated last word was split: the sentence runs to its last part
    if (last >= 0) {
      let nextMapped = tokens.length;
      for (let i = b + 1; i < map.length; i++) if (map[i] >= 0) { nextMapped = map[i]; break; }
      last = nextMapped - 1;
    }
    if (first < 0) continue;
    const idx = sentences.length;
    sentences.push({ start: tokens[first].start, end: tokens[last].end, segment });
    for (let t = first; t <= last; t++) tokens[t].sentence = idx;
  }
  // tokens wink left outside any sentence join the previous one
  for (let t = 0; t < tokens.length; t++) if (tokens[t].sentence < 0) tokens[t].sentence = Math.max(0, sentences.length - 1);
}

export const tokenize = defineStage({
  name: 'tokenize',
  reads: ['segments'],
  writes: ['sentences', 'tokens'],
  setup: () => {
    const nlp = winkInstance();
    return (doc) => {
      const sentences: Sentence[] = [];
      const tokens: Token[] = [];
      doc.layers.segments.forEach((s, i) => tokenizeRange(nlp, doc.text, s.start, s.end, i, sentences, tokens));
      return { sentences, tokens };
    };
  },
});
