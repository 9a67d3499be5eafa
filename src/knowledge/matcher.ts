// One matcher for every name the knowledge base knows. Names are looked up by their match key
// (folded, no diacritics, lower case, hyphens as spaces) starting at token boundaries, longest
// first; short all-capital acronyms must match case as well ("US" but not "us").
import { matchKey, normalizeForMatch } from '../text/fold.js';
import type { KbEntry } from './knowledge.js';

export type NameTarget = { entry: KbEntry; alias: string; caseSensitive: boolean; cased: string };
/** The longest match at a token, and the shorter ones there, longest first. */
export type TokenMatch = { startToken: number; endToken: number; targets: NameTarget[]; shorter: { endToken: number; targets: NameTarget[] }[] };

const ACRONYM = /^[A-Z0-9][A-Z0-9.&-]{0,5}$/;

export class NameMatcher {
  private readonly byKey = new Map<string, NameTarget[]>();
  /** first word of a key -> the longest key starting with it, in characters */
  private readonly firstWord = new Map<string, number>();
  /** every word-boundary prefix of every key, so a look-ahead stops as soon as no name can follow */
  private readonly prefixes = new Set<string>();
  names = 0;

  add(entry: KbEntry, alias: string): void {
    // a leading article is not part of the name: "The Washington Post" is found as "Washington Post"
    const key = matchKey(alias).replace(/^the /, '');
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
    for (let sp = key.indexOf(' '); sp > 0; sp = key.indexOf(' ', sp + 1)) this.prefixes.add(key.slice(0, sp));
    const sp = key.indexOf(' ');
    const first = sp < 0 ? key : key.slice(0, sp);
    if ((this.firstWord.get(first) ?? 0) < key.length) this.firstWord.set(first, key.length);
  }

  lookup(name: string): NameTarget[] {
    return this.byKey.get(matchKey(name).replace(/^the /, '')) ?? [];
  }

  /**
   * All matches over a token sequence, longest per start token. Keys are rebuilt from the tokens'
   * match keys exactly as matchKey would build them from the text: a space where whitespace or a
   * hyphen separates two tokens, nothing where they touch ("Da" + "'esh").
   */
  matchTokens(text: string, tokens: readonly { start: number; end: number; key: string }[]): TokenMatch[] {
    const out: TokenMatch[] = [];
    const n = tokens.length;
    const glued = (j: number) => tokens[j].start === tokens[j - 1].end && tokens[j - 1].key !== '' && tokens[j].key !== '';
    for (let i = 0; i < n; i++) {
      if (tokens[i].key === '') continue;
      // the first word: this token and any glued to it
      let word = tokens[i].key;
      let maxLen = this.firstWord.get(word) ?? 0;
      for (let j = i + 1; j < n && glued(j); j++) {
        word += tokens[j].key;
        const ml = this.firstWord.get(word);
        if (ml !== undefined && ml > maxLen) maxLen = ml;
      }
      if (maxLen === 0) continue;
      const found: { endToken: number; targets: NameTarget[] }[] = [];
      let key = '';
      for (let j = i; j < n; j++) {
        const k = tokens[j].key;
        if (k === '') continue;
        const sep = key !== '' && !glued(j);
        if (sep && !this.prefixes.has(key)) break;
        key = key === '' ? k : sep ? `${key} ${k}` : key + k;
        if (key.length > maxLen) break;
        const list = this.byKey.get(key);
        if (!list) continue;
        const surface = text.slice(tokens[i].start, tokens[j].end);
        const cased = list.some((t) => t.caseSensitive) ? casedKey(surface) : surface;
        // all-capital text ("GUAM") names an acronym, not the ordinary name spelt the same way
        const shouting = cased.length > 1 && !/\p{Ll}/u.test(cased) && /\p{Lu}.*\p{Lu}/u.test(cased);
        const targets = list.filter((t) =>
          t.caseSensitive ? t.cased === cased : shouting ? !/\p{Ll}/u.test(t.alias) : /\p{Lu}/u.test(cased) || !/\p{Lu}/u.test(t.alias),
        );
        if (targets.length) found.unshift({ endToken: j, targets });
      }
      if (found.length) out.push({ startToken: i, endToken: found[0].endToken, targets: found[0].targets, shorter: found.slice(1) });
    }
    return out;
  }
}

/** The surface without diacritics and with hyphens and runs of space as one space, case kept. */
function casedKey(s: string): string {
  return normalizeForMatch(s).cased.trim();
}
