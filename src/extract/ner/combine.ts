// The tagger inside the mention stage: it adds the names the knowledge base and the rules miss
// and types unknown capitalised spans, never overriding what they are sure of (its candidates are
// the weakest in resolveOverlaps). A name it tags once is tagged wherever it recurs in the document.
import type { Token } from '../../model/analysis.js';
import type { MentionType } from '../../model/contract.js';
import type { Candidate } from '../find-mentions.js';
import { tagSpans, type NerModel } from './model.js';

/** Tokens tagged either side of an unclaimed capitalised word. */
const WINDOW = 4;
const FUNCTION_POS = new Set(['DET', 'ADP', 'CCONJ', 'SCONJ', 'PRON', 'AUX', 'PART', 'PUNCT', 'SYM', 'NUM']);

export type TaggerContext = {
  /** Tokens the knowledge base or the rules are sure of; a tagged span touching one is dropped. */
  taken: (i: number) => boolean;
  /** Tokens worth a look (unclaimed capitalised words, or a town's name that may be a person's);
   * windows are tagged around them. Defaults to the tokens not taken. */
  open?: (i: number) => boolean;
  /** Whether tokens a..b are only a title ("Lieutenant Colonel"), which names no one. */
  isTitle?: (a: number, b: number) => boolean;
  /** Whether token i is a lower-case word that makes the name before it a place ("Gali district"). */
  isPlaceHead?: (i: number) => boolean;
  /** Each token's knowledge-base label (gazetteer.ts), a feature for the tagger. */
  kbLabels?: readonly (string | undefined)[];
};

/** The caller decides between a tagged span and the place names it contains (find-mentions.ts). */
export function taggerCandidates(model: NerModel, tokens: readonly Token[], context: TaggerContext): Candidate[] {
  const { taken, isTitle = () => false, isPlaceHead = () => false, kbLabels = [] } = context;
  const open = context.open ?? ((i: number) => !taken(i));
  const out: Candidate[] = [];
  let s = 0;
  while (s < tokens.length) {
    let e = s;
    while (e < tokens.length && tokens[e].sentence === tokens[s].sentence) e++;
    // only around capitalised words nothing else has claimed: windows of a few tokens either side,
    // merged, are tagged as short sentences (the features look two words either way)
    const windows: [number, number][] = [];
    for (let i = s; i < e; i++) {
      if (!tokens[i].cap || !open(i) || FUNCTION_POS.has(tokens[i].pos) || (i === s && tokens[i].pos !== 'PROPN')) continue;
      const a = Math.max(s, i - WINDOW);
      const b = Math.min(e, i + WINDOW + 1);
      const last = windows[windows.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else windows.push([a, b]);
    }
    for (const [ws, we] of windows) {
      const sent = tokens.slice(ws, we).map((t, k) => ({ text: t.text, pos: t.pos, kb: kbLabels[ws + k] }));
      for (const span of tagSpans(model, sent)) {
        const a = ws + span.start;
        const b = ws + span.end;
        // a name has a capital, and a sentence-initial common word alone is not one
        if (!tokens.slice(a, b).some((t) => t.cap)) continue;
        if (b - a === 1 && a === s && tokens[a].pos !== 'PROPN') continue;
        if (FUNCTION_POS.has(tokens[a].pos) && tokens[a].norm !== 'al') continue;
        if (tokens.slice(a, b).some((_, k) => taken(a + k)) || isTitle(a, b)) continue;
        // "Central Asian countries": an adjective of a place, not a name of its own ("Gali district" is a name)
        const after = tokens[b];
        if (span.type !== 'NATIONALITY' && /(?:an|ese|ish|i)$/.test(tokens[b - 1].text) && after && !after.cap && after.pos === 'NOUN' && !isPlaceHead(b)) continue;
        out.push({ start: a, end: b, type: span.type as MentionType, rule: 'tagger', strength: 1 });
      }
    }
    s = e;
  }
  // "Jean-Pierre Bemba": the tokenizer splits a hyphenated word into its parts, which the tagger
  // (trained on corpora that keep it whole) may tag as two names; a name does not end at a hyphen
  out.sort((x, y) => x.start - y.start);
  for (let k = out.length - 1; k > 0; k--) {
    const a = out[k - 1];
    const b = out[k];
    const hyphen = tokens[a.end];
    if (a.type !== b.type || b.start !== a.end + 1 || !hyphen || !/^[-\u2010\u2011]$/.test(hyphen.text)) continue;
    if (tokens[a.end - 1].end !== hyphen.start || hyphen.end !== tokens[b.start].start) continue;
    a.end = b.end;
    out.splice(k, 1);
  }
  const seen = new Map<string, MentionType>();
  for (const c of out) seen.set(tokens.slice(c.start, c.end).map((t) => t.key).join(' '), c.type);
  // document-level consistency: the same words elsewhere get the same type
  if (seen.size) {
    const firstWords = new Map<string, string[]>();
    for (const k of seen.keys()) {
      const w = k.split(' ')[0];
      firstWords.set(w, [...(firstWords.get(w) ?? []), k]);
    }
    for (let i = 0; i < tokens.length; i++) {
      const keys = firstWords.get(tokens[i].key);
      if (!keys || !tokens[i].cap) continue;
      for (const k of keys) {
        const n = k.split(' ').length;
        if (i + n > tokens.length) continue;
        if (tokens.slice(i, i + n).map((t) => t.key).join(' ') !== k) continue;
        if (out.some((c) => c.start === i && c.end === i + n) || tokens.slice(i, i + n).some((_, k) => taken(i + k))) continue;
        out.push({ start: i, end: i + n, type: seen.get(k)!, rule: 'tagger-consistency', strength: 1 });
      }
    }
  }
  return out;
}
