// Near-duplicate detection for news documents: the same wire story republished with a new
// headline, dateline or byline, site boilerplate ("Read more", "Sign up for our newsletter"), a
// paragraph dropped or a few words edited.
//
// Method. A document is reduced to the set of its word 5-shingles (every run of five consecutive
// words of the normalised text, hashed to 32 bits). Two documents' resemblance is the Jaccard
// similarity of those sets, |A ∩ B| / |A ∪ B|. MinHash estimates it: for each of SIGNATURE_SIZE
// fixed hash functions h_i the signature keeps min over the set of h_i(shingle), and
// P[min h_i(A) = min h_i(B)] = J(A, B), so the fraction of equal positions estimates J (standard
// error sqrt(J(1-J)/128): 0.03 at J = 0.85, 0.044 at J = 0.5). LSH banding cuts the signature into
// BANDS bands of ROWS rows and hashes each band to a short key; a store indexes the keys, looks up
// candidates that share at least one key and confirms them with similarity().
//
// Parameters, from the pairs measured in test/resolve/near-duplicate.test.ts (a ~400-word wire
// story and its copies; estimated / exact Jaccard):
//   republications  - new headline, byline, dateline 0.86/0.86; boilerplate top, middle and bottom
//                     0.77/0.80; a paragraph dropped 0.89/0.87; six words edited 0.87/0.86; quotes,
//                     dashes, spaces, accents, full-width digits 1.00/1.00 (they normalise away);
//                     an aggregator's copy with all of these at once 0.59/0.63; two such copies
//                     against each other 0.67/0.65; a second story syndicated with its end cut
//                     0.74/0.69.
//   hard negatives  - another agency's story of the same raid (same actors, places, numbers)
//                     0.02/0.00; the next day's follow-up reusing a paragraph 0.10/0.07; two stories
//                     from one "X killed in attack on Y" template 0.27/0.26, and the same template
//                     cut to briefs, where the shared background is most of each text, 0.39/0.43;
//                     a lede against its story 0.02/0.08.
// Jaccard J means each text shares about 2J / (1 + J) of itself with the other: 0.55 is 71%.
// NEAR_DUPLICATE_THRESHOLD = 0.55 sits between the lowest republication (exact 0.63) and the
// highest negative (exact 0.43), about two standard errors of the estimate from each (0.043 at
// J = 0.6): a pair of true J 0.63 is estimated under 0.55 about 3% of the time, one of 0.43 over it
// about 0.3%. A higher threshold (0.7) would still catch every single-change copy but miss most
// aggregator copies that combine boilerplate, a new headline and a cut; a lower one would start to
// merge templated briefs, whose shared background can exceed half the text.
//
// Bands: 32 x 4. Given the estimate, the equal positions of two signatures are spread at random,
// and the pair shares no band key only if each of the 32 bands holds an unequal position. For a
// pair estimated at 0.55 that happens 2.3% of the time, at 0.6 0.3%, at 0.65 1e-4, at 0.7 6e-7,
// and from 0.76 (97 equal positions, at most 31 unequal) never, by pigeonhole. 16 x 8 would miss 88%
// of the pairs estimated at 0.55 and 37% at 0.7. The price of 32 x 4 is candidates that
// similarity() then rejects: a pair of true J = s shares a band with probability 1 - (1 - s^4)^32,
// 0.3% at s = 0.1, 5% at 0.2, 23% at 0.3, 56% at 0.4 and 87% at 0.5. No hard negative above shared
// a key; pairs between 0.3 and 0.55 (templated briefs, heavy partial reprints) are a small part of a
// news store, and each costs one 128-position comparison. With 128 hashes no banding both keeps
// pairs at 0.55 and drops pairs at 0.5; recall was preferred, since a missed pair is lost for good.
//
// Length. Jaccard is symmetric, so a short text inside a long one scores about |short| / |long|
// (a 35-word lede against its 400-word story: 0.08); containment is not duplication here. A text
// of fewer than SHINGLE_WORDS words gets a single shingle made of all its words, so two such
// texts match only when their normalised words are identical (similarity 1) and otherwise score
// near 0. Short texts in general behave all-or-nothing: a changed word changes up to five
// shingles, so one number changed in the middle of a 14-word sentence (10 shingles) leaves 5 of
// 15 in common (0.33, measured in the test). Below a few dozen words the estimate is also coarse
// (a one-shingle text has one distinct value in all 128 positions). Texts of a few dozen words
// should therefore not be judged on MinHash alone. A text with no words at all gets the
// all-0xffffffff signature, which isNearDuplicate never accepts; its band keys are the same as
// every other empty text's, so a store should not index it.
//
// Cost, for a text of n characters, w words and s <= w distinct shingles, with H = SIGNATURE_SIZE:
// shingles() is O(n + s log s) (normalisation, hashing, sort to deduplicate); minhash() adds
// O(s * H) multiply-xor steps (a 400-word text: about 51,000, well under a millisecond);
// bandKeys() is O(H); similarity() O(H); encode/decode O(H). Memory is O(n + s + H).
//
// Determinism. Every hash is written here (FNV-1a for words, a murmur3-style combiner for
// shingles, multiply-add universal hashes with a fixed avalanche for the MinHash family, seeded
// by a fixed splitmix32 stream), all in 32-bit Math.imul arithmetic: the same text gives the same
// signature and band keys on every run and machine. Changing SHINGLE_WORDS, the normalisation,
// the seeds or the band hash invalidates stored signatures and keys.
//
// Scripts without spaces between words (Chinese, Japanese, Thai) become a few long "words" per
// sentence, so they behave like short texts; this module is meant for space-delimited text.

export const SIGNATURE_SIZE = 128;
export const BANDS = 32;
export const ROWS = 4;
/** Estimated Jaccard at or above which two documents are near-duplicates (see the header). */
export const NEAR_DUPLICATE_THRESHOLD = 0.55;
/** Words per shingle. */
export const SHINGLE_WORDS = 5;

if (BANDS * ROWS !== SIGNATURE_SIZE) throw new Error('near-duplicate: BANDS * ROWS must equal SIGNATURE_SIZE');

// ---------------------------------------------------------------------------------------------
// Normalisation

// Letters that NFKD does not decompose into a base letter and marks.
const STROKED: Record<string, string> = {
  'ł': 'l', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ħ': 'h', 'ŧ': 't', 'ı': 'i', 'ŀ': 'l', 'ƚ': 'l', 'ɨ': 'i',
  'æ': 'ae', 'œ': 'oe', 'ß': 'ss', 'þ': 'th',
};
const STROKED_RE = /[łøđðħŧıŀƚɨæœßþ]/g;
const MARKS_RE = /\p{M}+/gu;
// Apostrophes join the parts of a word ("Ukraine's" → "ukraines", "don’t" → "dont").
const APOSTROPHE_RE = /['\u2018\u2019\u02bc\u02bb\u2032`\u00b4]/g;
// Spaces grouping digits ("4 000" with a no-break or thin space), replaced before NFKD turns
// them into plain spaces; then group and decimal marks: "4,000" and "4.000" → "4000".
const DIGIT_SPACE_RE = /(\p{Nd})[\u00a0\u202f\u2009](?=\p{Nd})/gu;
const DIGIT_SEP_RE = /(\d)[.,](?=\d)/g;
const NON_WORD_RE = /[^\p{L}\p{N}]+/gu;

/** The words of a text: lower-cased, Unicode-folded, punctuation dropped, digits kept. */
export function normalizedWords(text: string): string[] {
  const s = text
    .toLowerCase() // before NFKD: some lower-case mappings ("İ" → "i̇") introduce marks
    .replace(APOSTROPHE_RE, '') // before NFKD, which turns "´" into a space and a mark
    .replace(DIGIT_SPACE_RE, '$1')
    .normalize('NFKD')
    .replace(MARKS_RE, '')
    .replace(STROKED_RE, (c) => STROKED[c] ?? c)
    .replace(DIGIT_SEP_RE, '$1')
    .replace(NON_WORD_RE, ' ')
    .trim();
  return s === '' ? [] : s.split(' ');
}

// ---------------------------------------------------------------------------------------------
// 32-bit hashing

/** FNV-1a over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3 finaliser: a bijection on 32 bits with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One murmur3 mixing round of k into h (order-sensitive). */
function mixIn(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

const SHINGLE_SEED = 0x5eed0f5a;

/**
 * Hashed word shingles of the normalised text, distinct and sorted ascending. A text of fewer
 * than SHINGLE_WORDS words (but at least one) gives one shingle of all its words; a text with no
 * words gives an empty array.
 */
export function shingles(text: string): Uint32Array {
  const words = normalizedWords(text);
  const w = words.length;
  if (w === 0) return new Uint32Array(0);
  const wh = new Uint32Array(w);
  for (let i = 0; i < w; i++) wh[i] = fnv1a(words[i]);
  const k = Math.min(SHINGLE_WORDS, w);
  const count = w - k + 1;
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = SHINGLE_SEED;
    for (let j = 0; j < k; j++) h = mixIn(h, wh[i + j]);
    out[i] = fmix32(h ^ k);
  }
  out.sort();
  let u = 0;
  for (let i = 0; i < count; i++) if (i === 0 || out[i] !== out[u - 1]) out[u++] = out[i];
  return out.slice(0, u);
}

// ---------------------------------------------------------------------------------------------
// MinHash

/** splitmix32: a fixed, seeded stream for the hash family's coefficients. */
function splitmix32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

// h_i(x) = avalanche(a_i * x + b_i mod 2^32), a_i odd: a permutation of the 32-bit values for
// each i. The multiply-add alone orders values by poorly mixed high bits; the xor-shift-multiply
// after it makes each h_i behave as an independent random permutation.
const COEF_A = new Int32Array(SIGNATURE_SIZE);
const COEF_B = new Int32Array(SIGNATURE_SIZE);
{
  const next = splitmix32(0x46a17e11);
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    COEF_A[i] = next() | 1;
    COEF_B[i] = next();
  }
}
const EMPTY = 0xffffffff;

function signatureOf(set: Uint32Array): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  const n = set.length;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    const a = COEF_A[i];
    const b = COEF_B[i];
    let min = EMPTY;
    for (let j = 0; j < n; j++) {
      let h = (Math.imul(a, set[j]) + b) | 0;
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      h ^= h >>> 12;
      h = Math.imul(h, 0x297a2d39);
      h = (h ^ (h >>> 15)) >>> 0;
      if (h < min) min = h;
    }
    sig[i] = min;
  }
  return sig;
}

/** The MinHash signature of a text: SIGNATURE_SIZE values, identical across runs and machines. */
export function minhash(text: string): Uint32Array {
  return signatureOf(shingles(text));
}

function isEmptySignature(s: Uint32Array): boolean {
  for (let i = 0; i < s.length; i++) if (s[i] !== EMPTY) return false;
  return true;
}

function checkSize(s: Uint32Array, what: string): void {
  if (!(s instanceof Uint32Array) || s.length !== SIGNATURE_SIZE) {
    const got = s instanceof Uint32Array ? `${s.length} values` : typeof s;
    throw new Error(`${what}: expected a Uint32Array of ${SIGNATURE_SIZE} values, got ${got}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Banding, comparison

/**
 * BANDS keys, one a band: "07:9f3a2c1b" is band 7 (two decimal digits) and a 32-bit hash of its
 * ROWS values. Two signatures share a key when they agree on every row of that band (and, by a
 * 2^-32 accident, otherwise).
 */
export function bandKeys(signature: Uint32Array): string[] {
  checkSize(signature, 'bandKeys');
  const keys = new Array<string>(BANDS);
  for (let band = 0; band < BANDS; band++) {
    let h = band;
    const base = band * ROWS;
    for (let r = 0; r < ROWS; r++) h = mixIn(h, signature[base + r]);
    const hex = fmix32(h ^ ROWS).toString(16).padStart(8, '0');
    keys[band] = `${band < 10 ? '0' : ''}${band}:${hex}`;
  }
  return keys;
}

/**
 * The fraction of positions where the two signatures agree: the estimated Jaccard similarity.
 * Throws an Error unless both are Uint32Arrays of SIGNATURE_SIZE values.
 */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  checkSize(a, 'similarity');
  checkSize(b, 'similarity');
  let equal = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) equal++;
  return equal / SIGNATURE_SIZE;
}

/**
 * True when the estimated Jaccard similarity reaches NEAR_DUPLICATE_THRESHOLD. The signature of a
 * text with no words matches nothing, not even another empty one.
 */
export function isNearDuplicate(a: Uint32Array, b: Uint32Array): boolean {
  if (similarity(a, b) < NEAR_DUPLICATE_THRESHOLD) return false;
  return !isEmptySignature(a) && !isEmptySignature(b);
}

// ---------------------------------------------------------------------------------------------
// Text form

const ENCODED_LENGTH = Math.ceil((SIGNATURE_SIZE * 4) / 3) * 4;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 of the signature's values as little-endian 32-bit words (684 characters for 128). */
export function encodeSignature(s: Uint32Array): string {
  checkSize(s, 'encodeSignature');
  const bytes = Buffer.alloc(SIGNATURE_SIZE * 4);
  for (let i = 0; i < SIGNATURE_SIZE; i++) bytes.writeUInt32LE(s[i], i * 4);
  return bytes.toString('base64');
}

/** The inverse of encodeSignature; throws an Error saying what is wrong with a malformed value. */
export function decodeSignature(s: string): Uint32Array {
  if (typeof s !== 'string') throw new Error(`decodeSignature: expected a string, got ${s === null ? 'null' : typeof s}`);
  if (s.length !== ENCODED_LENGTH) {
    throw new Error(`decodeSignature: expected ${ENCODED_LENGTH} base64 characters (${SIGNATURE_SIZE} 32-bit values), got ${s.length}`);
  }
  if (!BASE64_RE.test(s)) throw new Error('decodeSignature: not base64 (characters outside A-Z a-z 0-9 + / =)');
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== SIGNATURE_SIZE * 4) {
    throw new Error(`decodeSignature: expected ${SIGNATURE_SIZE * 4} bytes, decoded ${bytes.length}`);
  }
  const out = new Uint32Array(SIGNATURE_SIZE);
  for (let i = 0; i < SIGNATURE_SIZE; i++) out[i] = bytes.readUInt32LE(i * 4);
  return out;
}
