// Realistic news documents for the benchmarks, built deterministically from the GMB sentences
// (Voice of America news) in ../shared/corpora/gmb/ner_dataset.csv.zip, read in place (the zip's
// CSV is inflated in memory, never copied to disk). The zip reading duplicates bench/extract.ts on
// purpose, so that file stays as it is.
//
// buildDocuments(sentences, n) makes n documents of 8-20 consecutive sentences each, in corpus
// order while the corpus lasts (about 3,300 documents) and then as short runs from seeded random
// offsets (see nextSentences), with about 2%
// near-duplicate copies (a dateline, one sentence dropped or edited, a boilerplate line) and 1%
// exact duplicates of earlier documents. One seeded stream draws everything in order, so the first
// k documents are the same whatever n is.
import { existsSync, readFileSync } from 'node:fs';
import { unzipFirstFile } from '../src/extract/ner/corpora.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file runs from dist/bench/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GMB_ZIP = join(ROOT, '..', 'shared', 'corpora', 'gmb', 'ner_dataset.csv.zip');
export const hasGmb = () => existsSync(GMB_ZIP);

/** A 32-bit seeded PRNG (mulberry32): the same seed gives the same numbers in [0, 1) everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const randInt = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
export const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

// ---- reading the corpus ---------------------------------------------------------------------

/** The first file of a zip, inflated, through the corpus reader the tagger's trainer uses. */
export function readZipEntry(path: string): Buffer {
  const entry = unzipFirstFile(readFileSync(path), path);
  if (!entry.ok) throw new Error(entry.issues.map((i) => i.message).join('; '));
  return entry.value.data;
}

const ATTACH_LEFT = /^(?:[.,;:!?%)\]]|\.\.\.?|['’](?:s|ll|m|re|ve|d|t)?|n't)$/i;
const ATTACH_RIGHT = /^[($[#]$/;

/** A sentence's tokens as text: punctuation against its word, quotes alternately opening and closing. */
export function detokenize(tokens: readonly string[]): string {
  let out = '';
  let glueNext = true;
  let quoteOpen = false;
  for (const t of tokens) {
    let glue = glueNext || ATTACH_LEFT.test(t);
    glueNext = ATTACH_RIGHT.test(t);
    if (t === '"') {
      if (quoteOpen) glue = true;
      else glueNext = true;
      quoteOpen = !quoteOpen;
    }
    out += (glue || !out ? '' : ' ') + t;
  }
  return out;
}

/** The four fields of a CSV line (Sentence #,Word,POS,Tag), quoted fields unquoted ('","' is a comma). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  for (let i = 0; i <= line.length; ) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return [...fields, value + line.slice(j)]; // unterminated: the rest
        value += line.slice(j, q);
        if (line[q + 1] === '"') {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      fields.push(value);
      i = j + 1; // past the comma
    } else {
      const c = line.indexOf(',', i);
      fields.push(line.slice(i, c < 0 ? line.length : c));
      i = c < 0 ? line.length + 1 : c + 1;
    }
  }
  return fields;
}

/** Every sentence of the GMB CSV (a sentence starts where its first field is set), in corpus order. */
export function readGmbSentences(zip: string = GMB_ZIP): string[] {
  const csv = new TextDecoder('windows-1252').decode(readZipEntry(zip));
  const sentences: string[] = [];
  let tokens: string[] = [];
  const end = () => {
    if (tokens.length) sentences.push(detokenize(tokens));
    tokens = [];
  };
  for (let at = csv.indexOf('\n') + 1; at > 0 && at < csv.length; ) {
    const next = csv.indexOf('\n', at);
    const f = csvFields(csv.slice(at, next < 0 ? csv.length : next).replace(/\r$/, ''));
    at = next < 0 ? csv.length : next + 1;
    if (f.length < 4 || !f[1]) continue;
    if (f[0]) end();
    tokens.push(f[1]);
  }
  end();
  return sentences;
}

// ---- building documents ---------------------------------------------------------------------

export type BenchDocument = {
  id: string;
  text: string;
  title: string;
  published: string;
  source: string;
  words: number;
  kind: 'original' | 'near-duplicate' | 'duplicate';
  /** The id of the document a copy was made from. */
  of?: string;
};

export const DEFAULT_SEED = 20_240_611;
const MIN_SENTENCES = 8;
const MAX_SENTENCES = 20;
const EXACT_DUPLICATE_SHARE = 0.01;
const NEAR_DUPLICATE_SHARE = 0.02;
const FIRST_DAY = Date.UTC(2004, 0, 1);
const DAYS = Math.round((Date.UTC(2012, 11, 31) - FIRST_DAY) / 86_400_000) + 1;

const DATELINES = ['WASHINGTON (VOA) - ', 'NAIROBI (VOA) - ', 'ISLAMABAD (VOA) - ', 'BAGHDAD (VOA) - ', 'JERUSALEM (VOA) - ', 'MOSCOW (VOA) - ', 'KABUL (VOA) - '];
const BOILERPLATE = [
  'Some information for this report provided by AP, AFP and Reuters.',
  'Follow VOA News on Twitter and Facebook for the latest updates.',
  'This report was compiled from wire services.',
  'Copyright Voice of America. All rights reserved.',
];

export const wordsOf = (text: string) => text.match(/\S+/g)?.length ?? 0;
const isoDay = (day: number) => new Date(FIRST_DAY + day * 86_400_000).toISOString().slice(0, 10);
const laterDay = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);

/** The first sentence, cut at a word boundary to at most 100 characters. */
function titleOf(first: string): string {
  if (first.length <= 100) return first;
  const cut = first.slice(0, 99);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), 60)).replace(/[\s,;:]+$/, '') + '…';
}

/** Sentences as paragraphs of one to three sentences, as wire copy is laid out. */
function layout(rand: Rand, sentences: readonly string[]): string {
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; ) {
    const n = randInt(rand, 1, 3);
    paragraphs.push(sentences.slice(i, i + n).join(' '));
    i += n;
  }
  return paragraphs.join('\n\n');
}

/** A few words edited: a number changed, or an attribution added. */
function editSentence(rand: Rand, s: string): string {
  const number = /\d+/.exec(s);
  if (number) return s.slice(0, number.index) + String(Number(number[0]) + randInt(rand, 1, 9)) + s.slice(number.index + number[0].length);
  return /[.!?]$/.test(s) ? s.slice(0, -1) + ', officials said.' : s + ', officials said.';
}

type Original = { doc: BenchDocument; sentences: string[] };

/** A republication: a dateline before the first sentence, one sentence dropped or edited, a boilerplate line after. */
function nearCopy(rand: Rand, o: Original, i: number): BenchDocument {
  const sentences = [...o.sentences];
  const at = randInt(rand, 1, sentences.length - 1);
  if (rand() < 0.5) sentences.splice(at, 1);
  else sentences[at] = editSentence(rand, sentences[at]);
  sentences[0] = pick(rand, DATELINES) + sentences[0];
  const text = `${layout(rand, sentences)}\n\n${pick(rand, BOILERPLATE)}`;
  return { id: `gmb-${i}`, text, title: o.doc.title, published: laterDay(o.doc.published, randInt(rand, 0, 1)), source: `gmb/${i}`, words: wordsOf(text), kind: 'near-duplicate', of: o.doc.id };
}

/** The same text again from another source, a day or two later at most. */
function exactCopy(rand: Rand, o: Original, i: number): BenchDocument {
  return { ...o.doc, id: `gmb-${i}`, published: laterDay(o.doc.published, randInt(rand, 0, 2)), source: `gmb/${i}`, kind: 'duplicate', of: o.doc.id };
}

/**
 * Sentences for the next original: the next run of the corpus while it lasts; after that, runs
 * of 3-7 sentences from seeded random offsets until the length is reached. One long run per
 * document would not do there: at 100,000 documents each sentence is drawn about 30 times, and
 * runs from nearby offsets share most of their text, so thousands of originals would be
 * near-duplicates of each other (measured: 43% of 10,000); two documents of short runs share at
 * most a run or so.
 */
function nextSentences(rand: Rand, sentences: readonly string[], cursor: { at: number }): string[] {
  const len = randInt(rand, MIN_SENTENCES, MAX_SENTENCES);
  if (cursor.at + len <= sentences.length) {
    cursor.at += len;
    return sentences.slice(cursor.at - len, cursor.at);
  }
  const out: string[] = [];
  while (out.length < len) {
    const run = Math.min(randInt(rand, 3, 7), len - out.length);
    const start = randInt(rand, 0, sentences.length - run);
    out.push(...sentences.slice(start, start + run));
  }
  return out;
}

/** n documents from the corpus sentences; see the header. */
export function buildDocuments(sentences: readonly string[], n: number, seed = DEFAULT_SEED): BenchDocument[] {
  const rand = mulberry32(seed);
  const docs: BenchDocument[] = [];
  const originals: Original[] = [];
  const cursor = { at: 0 }; // the next unused sentence while the corpus lasts
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (originals.length >= 10 && r < EXACT_DUPLICATE_SHARE) docs.push(exactCopy(rand, pick(rand, originals), i));
    else if (originals.length >= 10 && r < EXACT_DUPLICATE_SHARE + NEAR_DUPLICATE_SHARE) docs.push(nearCopy(rand, pick(rand, originals), i));
    else {
      const run = nextSentences(rand, sentences, cursor);
      const text = layout(rand, run);
      const doc: BenchDocument = { id: `gmb-${i}`, text, title: titleOf(run[0]), published: isoDay(randInt(rand, 0, DAYS - 1)), source: `gmb/${i}`, words: wordsOf(text), kind: 'original' };
      originals.push({ doc, sentences: run });
      docs.push(doc);
    }
  }
  return docs;
}
