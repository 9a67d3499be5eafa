// One matcher for every name the knowledge base knows. Names are looked up by their match key
// (folded, no diacritics, lower case, hyphens as spaces) starting at token boundaries, longest
// first; short all-capital acronyms must match case as well ("US" but not "us").
import { matchKey, type NormalizedText } from '../text/fold.js';
import type { KbEntry } from './knowledge.js';

export type NameTarget = { entry: KbEntry; alias: string; caseSensitive: boolean; cased: string };
export type NameMatch = { start: number; end: number; targets: NameTarget[] };

const ACRONYM = /^[A-Z0-9][A-Z0-9.&-]{0,5}$/;

export class NameMatcher {
  private readonly byKey = new Map<string, NameTarget[]>();
  /** first word of a key -> the longest key starting with it, in characters */
  private readonly firstWord = new Map<string, number>();
  names = 0;

  add(entry: KbEntry, alias: string): void {
    const key = matchKey(alias);
    if (!key || key.length < 2) return;
    const caseSensitive = ACRONYM.test(alias.replace(/\s+/g, '')) && /[A-Z]/.test(alias);
    const cased = alias.replace(/[-\u2010-\u2015\s]+/g, ' ').trim();
    let list = this.byKey.get(key);
    if (!list) {
      list = [];
      this.byKey.set(key, list);
      this.names++;
    }
    if (list.some((t) => t.entry === entry && t.caseSensitive === caseSensitive && t.cased === cased)) return;
    list.push({ entry, alias, caseSensitive, cased });
    const sp = key.indexOf(' ');
    const first = sp < 0 ? key : key.slice(0, sp);
    if ((this.firstWord.get(first) ?? 0) < key.length) this.firstWord.set(first, key.length);
  }

  lookup(name: string): NameTarget[] {
    return this.byKey.get(matchKey(name)) ?? [];
  }

  /**
   * All matches starting at the given token starts (normalized offsets), longest per start.
   * `starts` and `ends` are the normalized start and end of every token, in order.
   */
  matchTokens(norm: NormalizedText, starts: Int32Array, ends: Int32Array): { startToken: number; endToken: number; targets: NameTarget[] }[] {
    const out: { startToken: number; endToken: number; targets: NameTarget[] }[] = [];
    const n = starts.length;
    for (let i = 0; i < n; i++) {
      const s = starts[i];
      // the first word of the text at this token: up to the next space
      let sp = norm.lower.indexOf(' ', s);
      if (sp < 0) sp = norm.lower.length;
      // try the token (and the tokens glued to it, "Da'esh") within that word
      let maxLen = 0;
      for (let j = i; j < n && ends[j] <= sp; j++) {
        const ml = this.firstWord.get(norm.lower.slice(s, ends[j]));
        if (ml !== undefined && ml > maxLen) maxLen = ml;
      }
      if (maxLen === 0) continue;
      let best: { endToken: number; targets: NameTarget[] } | undefined;
      for (let j = i; j < n && ends[j] - s <= maxLen; j++) {
        const key = norm.lower.slice(s, ends[j]);
        const list = this.byKey.get(key);
        if (!list) continue;
        const cased = norm.cased.slice(s, ends[j]);
        // all-capital text ("GUAM") names an acronym, not the ordinary name spelt the same way
        const shouting = cased.length > 1 && !/\p{Ll}/u.test(cased) && /\p{Lu}.*\p{Lu}/u.test(cased);
        const targets = list.filter((t) =>
          t.caseSensitive ? t.cased === cased : shouting ? !/\p{Ll}/u.test(t.alias) : /\p{Lu}/u.test(cased) || !/\p{Lu}/u.test(t.alias),
        );
        if (targets.length) best = { endToken: j, targets };
      }
      if (best) out.push({ startToken: i, endToken: best.endToken, targets: best.targets });
    }
    return out;
  }
}
