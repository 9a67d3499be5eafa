// Folding for matching only: typographic quotes, apostrophes, dashes and odd spaces become their
// plain forms one code unit for one, so offsets never move. The document text itself is never
// changed; stages match on folded copies and report offsets into the original.

const FOLD: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u02bc': "'", '\u2032': "'", '`': "'", '\u00b4': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u00ab': '"', '\u00bb': '"', '\u2033': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-', '\u00ad': '-',
  '\u00a0': ' ', '\u2002': ' ', '\u2003': ' ', '\u2009': ' ', '\u200a': ' ', '\u202f': ' ', '\u3000': ' ',
  '\u2026': '.',
};
const FOLD_RE = /[\u2018\u2019\u201a\u201b\u02bc\u2032`\u00b4\u201c-\u201f\u00ab\u00bb\u2033\u2010-\u2015\u2212\u00ad\u00a0\u2002\u2003\u2009\u200a\u202f\u3000\u2026]/g;

/** Same length as the input: each typographic character replaced by its plain form. */
export function fold(s: string): string {
  return s.replace(FOLD_RE, (c) => FOLD[c] ?? c);
}

const STROKED: Record<string, string> = {
  '\u0131': 'i', '\u0141': 'L', '\u0142': 'l', '\u0110': 'D', '\u0111': 'd', '\u00d8': 'O', '\u00f8': 'o', '\u0126': 'H', '\u0127': 'h', '\u0166': 'T', '\u0167': 't', '\u00d0': 'D', '\u00f0': 'd',
};
const baseCache = new Map<number, string>();
/** The character without diacritics, one code unit or none (a lone combining mark). */
function baseChar(ch: string, code: number): string {
  if (code < 128) return ch;
  let b = baseCache.get(code);
  if (b === undefined) {
    const f = FOLD[ch];
    if (f !== undefined) b = f;
    else if (/\p{M}/u.test(ch)) b = '';
    else {
      const d = ch.normalize('NFD').replace(/\p{M}/gu, '');
      b = d.length === 1 ? d : ch.length === 1 ? ch : '';
      // letters with a stroke or a dotless form do not decompose: "Łódź" → "lodz", "Đakovo" → "dakovo"
      const plain = STROKED[ch];
      if (plain !== undefined) b = plain;
    }
    baseCache.set(code, b);
  }
  return b;
}

/**
 * A key for matching names: folded, without diacritics, lower-cased, hyphens and runs of
 * whitespace as one space. "Deir ez‑Zor" and "deir ez zor" give the same key.
 */
const keyCache = new Map<string, string>();
export function matchKey(s: string): string {
  let k = keyCache.get(s);
  if (k !== undefined) return k;
  let out = '';
  let lastSpace = true;
  for (let i = 0; i < s.length; i++) {
    let ch = baseChar(s[i], s.charCodeAt(i));
    if (ch === '') continue;
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '-') {
      if (lastSpace) continue;
      ch = ' ';
      lastSpace = true;
    } else {
      lastSpace = false;
      const l = ch.toLowerCase();
      if (l.length === 1) ch = l;
    }
    out += ch;
  }
  k = out.trimEnd();
  if (keyCache.size > 200000) keyCache.clear();
  keyCache.set(s, k);
  return k;
}

export type NormalizedText = {
  /** Case kept. */
  cased: string;
  lower: string;
  /** normalized index -> original index */
  toOrig: Int32Array;
  /** original index -> normalized index (of the next kept character) */
  fromOrig: Int32Array;
};

/** The normalized text used by matchers, with maps both ways to the original offsets. */
export function normalizeForMatch(text: string): NormalizedText {
  const n = text.length;
  const cased: string[] = [];
  const lower: string[] = [];
  const toOrig = new Int32Array(n + 1);
  const fromOrig = new Int32Array(n + 1);
  let out = 0;
  let lastSpace = true;
  for (let i = 0; i < n; i++) {
    fromOrig[i] = out;
    const code = text.charCodeAt(i);
    let ch = text[i];
    // surrogate pairs (emoji, math letters) are kept as two units; they never match names
    ch = baseChar(ch, code);
    if (ch === '') continue;
    const isSpace = ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '-' || ch === '\u000b' || ch === '\f';
    if (isSpace) {
      if (lastSpace) continue;
      ch = ' ';
      lastSpace = true;
    } else lastSpace = false;
    cased.push(ch);
    const l = ch.toLowerCase();
    lower.push(l.length === 1 ? l : ch);
    toOrig[out] = i;
    out++;
  }
  fromOrig[n] = out;
  toOrig[out] = n;
  return { cased: cased.join(''), lower: lower.join(''), toOrig: toOrig.subarray(0, out + 1), fromOrig };
}
