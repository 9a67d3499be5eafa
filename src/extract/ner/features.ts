// Feature extraction for the statistical entity tagger.
//
// Every feature is a 32-bit key: a template id mixed with the hash of its value(s). Nothing is
// built as a string per feature, so tagging allocates almost nothing: the per-word part (word,
// lower-cased form, shapes, prefixes, suffixes, flags) is hashed once per distinct word and
// cached, and each static template emits exactly one key per token, so a sentence's static
// features are a flat `n × STATIC_TEMPLATES.length` array. The history templates (previous
// predicted tags) are added per token by the greedy decoder.
//
// The knowledge-base feature (`kb`, e.g. "B-LOCATION") is only ever a feature, alone and joined
// with the token's shape: the tagger learns how far to trust a gazetteer match, it is never an
// override.

/** What the tagger reads of a token: its text, its Universal POS tag (wink-nlp) and, where a
 * knowledge-base/gazetteer match covers it, that match's type with its position ("B-LOCATION"). */
export type TaggerToken = { readonly text: string; readonly pos: string; readonly kb?: string };

/** Templates that depend on the input only; each emits one key per token, in this order. */
export const STATIC_TEMPLATES = [
  'bias', 'word', 'lower', 'shape', 'short-shape',
  'prefix1', 'prefix2', 'prefix3', 'prefix4', 'suffix1', 'suffix2', 'suffix3', 'suffix4',
  'flags', 'initial|flags',
  'pos', 'pos-1', 'pos+1', 'pos-2', 'pos+2', 'pos-1|pos', 'pos|pos+1', 'pos|short-shape',
  'lower-1', 'lower+1', 'lower-2', 'lower+2',
  'shape-1', 'shape+1', 'shape-2', 'shape+2',
  'lower-1|lower', 'lower|lower+1', 'short-shape-1|short-shape|short-shape+1',
  'kb', 'kb|shape', 'kb-1', 'kb+1',
] as const;

/** Templates over the previous predicted tags (greedy decoding only). */
export const HISTORY_TEMPLATES = ['tag-1', 'tag-2|tag-1', 'tag-1|lower', 'tag-1|short-shape', 'tag-1|pos'] as const;

export const STATIC_COUNT = STATIC_TEMPLATES.length;

const T = (name: (typeof STATIC_TEMPLATES)[number]): number => STATIC_TEMPLATES.indexOf(name);

/** Static templates that read only the token's own word (their keys depend on nothing else). */
export const WORD_TEMPLATES: readonly number[] = [
  'word', 'lower', 'shape', 'short-shape', 'prefix1', 'prefix2', 'prefix3', 'prefix4',
  'suffix1', 'suffix2', 'suffix3', 'suffix4', 'flags',
].map((n) => T(n as (typeof STATIC_TEMPLATES)[number]));

/** Static templates that read only one neighbour's word, by offset: -1, +1, -2, +2. */
export const NEIGHBOUR_OFFSETS: readonly number[] = [-1, 1, -2, 2];
export const NEIGHBOUR_TEMPLATES: readonly (readonly number[])[] = [
  [T('lower-1'), T('shape-1')],
  [T('lower+1'), T('shape+1')],
  [T('lower-2'), T('shape-2')],
  [T('lower+2'), T('shape+2')],
];
export const HISTORY_COUNT = HISTORY_TEMPLATES.length;

// Layout of a word's cached hashes.
const W_WORD = 0, W_LOWER = 1, W_SHAPE = 2, W_SHORT = 3, W_PREFIX = 4, W_SUFFIX = 8, W_FLAGS = 12, W_SIZE = 13;

const FLAG_CAPITAL = 1, FLAG_ALL_CAPS = 2, FLAG_DIGIT = 4, FLAG_HYPHEN = 8, FLAG_PERIOD = 16;

/** FNV-1a over UTF-16 code units. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** murmur3's finaliser: spreads the bits so keys can index a power-of-two table directly. */
function fmix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

// Key 0 marks an empty slot in the feature table, so no feature may hash to it.
function nonZero(h: number): number {
  return h === 0 ? 1 : h;
}

function key1(template: number, a: number): number {
  return nonZero(fmix(Math.imul(template + 1, 0x9e3779b1) ^ a));
}

function key2(template: number, a: number, b: number): number {
  return nonZero(fmix(Math.imul(fmix(Math.imul(template + 1, 0x9e3779b1) ^ a), 0x27d4eb2f) ^ b));
}

function key3(template: number, a: number, b: number, c: number): number {
  return key2(template, fmix(Math.imul(a, 0x165667b1) ^ b), c);
}

function charClass(ch: string): string {
  if (ch >= '0' && ch <= '9') return 'd';
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  if (lower === upper) return ch;
  return ch === upper ? 'X' : 'x';
}

/** The word's shape, runs of one class cut at four: "Washington" → "Xxxxx", "UN" → "XX",
 * "U.S." → "X.X.", "al-Shabaab" → "xx-Xxxxx", "1,200" → "d,ddd", "ISIS-K" → "XXXX-X". */
export function wordShape(word: string): string {
  let out = '';
  let last = '';
  let run = 0;
  for (const ch of word) {
    const c = charClass(ch);
    if (c === last) {
      run++;
      if (run > 4) continue;
    } else {
      last = c;
      run = 1;
    }
    out += c;
  }
  return out;
}

/** The shape with every run collapsed: "Mosul" → "Xx", "U.S." → "X.X.", "1,200" → "d,d". */
export function shortShape(word: string): string {
  let out = '';
  let last = '';
  for (const ch of word) {
    const c = charClass(ch);
    if (c !== last) out += c;
    last = c;
  }
  return out;
}

function wordFlags(word: string): number {
  let flags = 0;
  let letters = 0;
  let uppers = 0;
  for (const ch of word) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower !== upper) {
      letters++;
      if (ch === upper) uppers++;
    } else if (ch >= '0' && ch <= '9') flags |= FLAG_DIGIT;
    else if (ch === '-' || ch === '\u2010' || ch === '\u2011') flags |= FLAG_HYPHEN;
    else if (ch === '.') flags |= FLAG_PERIOD;
  }
  const first = word.charAt(0);
  if (first !== first.toLowerCase()) flags |= FLAG_CAPITAL;
  if (letters >= 2 && uppers === letters) flags |= FLAG_ALL_CAPS;
  return flags;
}

function computeWordInfo(word: string): Int32Array {
  const info = new Int32Array(W_SIZE);
  const lower = word.toLowerCase();
  info[W_WORD] = hashString(word);
  info[W_LOWER] = hashString(lower);
  info[W_SHAPE] = hashString(wordShape(word));
  info[W_SHORT] = hashString(shortShape(word));
  for (let k = 1; k <= 4; k++) {
    info[W_PREFIX + k - 1] = hashString(lower.slice(0, k));
    info[W_SUFFIX + k - 1] = hashString(lower.slice(-k));
  }
  info[W_FLAGS] = wordFlags(word);
  return info;
}

function paddingInfo(name: string): Int32Array {
  const h = hashString(name);
  const info = new Int32Array(W_SIZE).fill(h);
  info[W_FLAGS] = -1;
  return info;
}

const BEFORE = paddingInfo('\u0002<s>');
const AFTER = paddingInfo('\u0003</s>');
const POS_BEFORE = hashString('\u0002<s>');
const POS_AFTER = hashString('\u0003</s>');
const KB_NONE = hashString('\u0004no-kb');
const KB_BEFORE = hashString('\u0002<s>');
const KB_AFTER = hashString('\u0003</s>');

/** Words cached before the cache is emptied and refilled. */
const WORD_CACHE_LIMIT = 200_000;

/**
 * Turns sentences into feature keys. One extractor belongs to one model (or one training run);
 * it keeps a cache of word hashes and reusable buffers, so it is not shared across threads.
 */
export class FeatureExtractor {
  private readonly words = new Map<string, Int32Array>();
  private readonly posHashes = new Map<string, number>();
  private infos: Int32Array[] = [];
  private pos = new Int32Array(64);
  private kb = new Int32Array(64);
  private n = 0;
  /** Static keys of the prepared sentence: token i's keys at [i * STATIC_COUNT, (i + 1) * STATIC_COUNT). */
  keys = new Int32Array(64 * STATIC_COUNT);

  /** A word's cached hashes (word, lower, shapes, prefixes, suffixes, flags). */
  wordInfo(word: string): Int32Array {
    let info = this.words.get(word);
    if (info === undefined) {
      if (this.words.size >= WORD_CACHE_LIMIT) this.words.clear();
      info = computeWordInfo(word);
      this.words.set(word, info);
    }
    return info;
  }

  private tagHash(tag: string): number {
    let h = this.posHashes.get(tag);
    if (h === undefined) {
      h = hashString(tag);
      this.posHashes.set(tag, h);
    }
    return h;
  }

  /**
   * The keys a word gives in the word-only templates (WORD_TEMPLATES order), then in each
   * neighbour role (NEIGHBOUR_TEMPLATES order): what `prepare` emits for it, wherever it stands.
   * Lets a decoder cache each word's summed weights.
   */
  wordKeys(word: string, w: Int32Array = this.wordInfo(word)): Int32Array {
    const out = new Int32Array(WORD_TEMPLATES.length + 8);
    let o = 0;
    out[o++] = key1(T('word'), w[W_WORD]);
    out[o++] = key1(T('lower'), w[W_LOWER]);
    out[o++] = key1(T('shape'), w[W_SHAPE]);
    out[o++] = key1(T('short-shape'), w[W_SHORT]);
    for (let k = 0; k < 4; k++) out[o++] = key1(T('prefix1') + k, w[W_PREFIX + k]);
    for (let k = 0; k < 4; k++) out[o++] = key1(T('suffix1') + k, w[W_SUFFIX + k]);
    out[o++] = key1(T('flags'), w[W_FLAGS]);
    for (const [lower, shape] of NEIGHBOUR_TEMPLATES) {
      out[o++] = key1(lower, w[W_LOWER]);
      out[o++] = key1(shape, w[W_SHAPE]);
    }
    return out;
  }

  /**
   * Computes the static keys of a sentence into `this.keys`; returns the token count. `infos`,
   * when given, are the tokens' `wordInfo`s (a caller with its own word cache saves a lookup).
   * With `useKb` false, `kb` labels are read as absent (for a model trained without them).
   */
  prepare(tokens: readonly TaggerToken[], infos?: readonly Int32Array[], useKb = true): number {
    const n = tokens.length;
    this.n = n;
    if (this.pos.length < n) {
      const size = Math.max(n, this.pos.length * 2);
      this.pos = new Int32Array(size);
      this.kb = new Int32Array(size);
      this.keys = new Int32Array(size * STATIC_COUNT);
    }
    const own = this.infos;
    own.length = n;
    for (let i = 0; i < n; i++) {
      const t = tokens[i];
      own[i] = infos === undefined ? this.wordInfo(t.text) : infos[i];
      this.pos[i] = this.tagHash(t.pos);
      this.kb[i] = t.kb === undefined || !useKb ? KB_NONE : this.tagHash(t.kb);
    }
    const keys = this.keys;
    const pos = this.pos;
    const kb = this.kb;
    const words = own;
    let o = 0;
    for (let i = 0; i < n; i++) {
      const w = words[i];
      const wm1 = i >= 1 ? words[i - 1] : BEFORE;
      const wm2 = i >= 2 ? words[i - 2] : BEFORE;
      const wp1 = i + 1 < n ? words[i + 1] : AFTER;
      const wp2 = i + 2 < n ? words[i + 2] : AFTER;
      const p0 = pos[i];
      const pm1 = i >= 1 ? pos[i - 1] : POS_BEFORE;
      const pm2 = i >= 2 ? pos[i - 2] : POS_BEFORE;
      const pp1 = i + 1 < n ? pos[i + 1] : POS_AFTER;
      const pp2 = i + 2 < n ? pos[i + 2] : POS_AFTER;
      const k0 = kb[i];
      let t = 0;
      keys[o++] = key1(t++, 0);
      keys[o++] = key1(t++, w[W_WORD]);
      keys[o++] = key1(t++, w[W_LOWER]);
      keys[o++] = key1(t++, w[W_SHAPE]);
      keys[o++] = key1(t++, w[W_SHORT]);
      for (let k = 0; k < 4; k++) keys[o++] = key1(t++, w[W_PREFIX + k]);
      for (let k = 0; k < 4; k++) keys[o++] = key1(t++, w[W_SUFFIX + k]);
      keys[o++] = key1(t++, w[W_FLAGS]);
      keys[o++] = key2(t++, i === 0 ? 1 : 0, w[W_FLAGS]);
      keys[o++] = key1(t++, p0);
      keys[o++] = key1(t++, pm1);
      keys[o++] = key1(t++, pp1);
      keys[o++] = key1(t++, pm2);
      keys[o++] = key1(t++, pp2);
      keys[o++] = key2(t++, pm1, p0);
      keys[o++] = key2(t++, p0, pp1);
      keys[o++] = key2(t++, p0, w[W_SHORT]);
      keys[o++] = key1(t++, wm1[W_LOWER]);
      keys[o++] = key1(t++, wp1[W_LOWER]);
      keys[o++] = key1(t++, wm2[W_LOWER]);
      keys[o++] = key1(t++, wp2[W_LOWER]);
      keys[o++] = key1(t++, wm1[W_SHAPE]);
      keys[o++] = key1(t++, wp1[W_SHAPE]);
      keys[o++] = key1(t++, wm2[W_SHAPE]);
      keys[o++] = key1(t++, wp2[W_SHAPE]);
      keys[o++] = key2(t++, wm1[W_LOWER], w[W_LOWER]);
      keys[o++] = key2(t++, w[W_LOWER], wp1[W_LOWER]);
      keys[o++] = key3(t++, wm1[W_SHORT], w[W_SHORT], wp1[W_SHORT]);
      keys[o++] = key1(t++, k0);
      keys[o++] = key2(t++, k0, w[W_SHAPE]);
      keys[o++] = key1(t++, i >= 1 ? kb[i - 1] : KB_BEFORE);
      keys[o++] = key1(t++, i + 1 < n ? kb[i + 1] : KB_AFTER);
    }
    return n;
  }

  /**
   * Writes the history keys of token `i` of the prepared sentence into `out` from `offset`.
   * `prev1`/`prev2` are label indices of the previous two predictions, or -1 before the start.
   */
  history(i: number, prev1: number, prev2: number, out: Int32Array, offset: number): void {
    const w = this.infos[i];
    const base = STATIC_COUNT;
    out[offset] = key1(base, prev1);
    out[offset + 1] = key2(base + 1, prev2, prev1);
    out[offset + 2] = key2(base + 2, prev1, w[W_LOWER]);
    out[offset + 3] = key2(base + 3, prev1, w[W_SHORT]);
    out[offset + 4] = key2(base + 4, prev1, this.pos[i]);
  }

  /** Token count of the prepared sentence. */
  get length(): number {
    return this.n;
  }
}
