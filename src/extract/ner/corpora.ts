// Readers for the open NER corpora in ../shared/corpora (see its README.md), each returning
// sentences of tokens and BIO tags over our four types: PER, ORG, LOC, NAT.
//
// How each corpus's tags map to ours:
//
// | corpus            | theirs                                   | ours                                   |
// |-------------------|------------------------------------------|----------------------------------------|
// | gmb (silver)      | per                                      | PER                                    |
// |                   | org                                      | ORG                                    |
// |                   | geo                                      | LOC                                    |
// |                   | gpe, last token's Penn POS JJ/NN/NNS     | NAT ("Iraqi", "Afghans", "Greek Cypriots") |
// |                   | gpe, last token's Penn POS NNP/NNPS      | LOC ("Nepal", "United States")         |
// |                   | tim, art, eve, nat                       | O                                      |
// | wikigold          | I-PER, I-ORG, I-LOC (IO)                 | PER, ORG, LOC; a run of I-X is one span |
// |                   | I-MISC                                   | O (it holds nationalities: NAT unknown)|
// | uner-en-pud, -ewt | B-/I-PER, ORG, LOC (IOB2)                | PER, ORG, LOC as is                    |
// | gum               | person / organization / place runs whose | PER / ORG / LOC over the proper-noun   |
// |                   | head (last token) is a proper noun       | part ("the United States" → "United States") |
// |                   | the same types headed by a common noun   | O ("the group", "an attorney")         |
// |                   | anything else                            | O                                      |
// | crossner-politics | politician, person                       | PER                                    |
// |                   | politicalparty, organisation             | ORG                                    |
// |                   | country, location                        | LOC                                    |
// |                   | misc that is a known demonym             | NAT (only with a demonym list)         |
// |                   | misc otherwise, election, event, ...     | O                                      |
//
// GUM flattens nested mentions into one type per token with no span boundaries: a run that mixes
// proper and common nouns ("Scientology defector") cannot be split back into mentions, so such
// sentences are left out rather than taught wrongly.
//
// `nat` says whether a corpus annotates nationalities. Where it does not (WikiGold, UNER, GUM,
// CrossNER without a demonym list), an "O" on "Iraqi" means "not annotated", not "not an entity":
// training does not penalise NAT predictions there and scoring ignores them.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { issue, type Issue, type Result } from '../../model/issues.js';
import { posTag } from './pos.js';

export type CorpusSentence = {
  tokens: string[];
  /** BIO over PER, ORG, LOC, NAT. */
  tags: string[];
  /** UPOS tags, where the reader already needed them. */
  pos?: string[];
};

export type Corpus = {
  name: string;
  /** Bootstrapped by tools rather than annotated by hand. */
  silver: boolean;
  /** Whether the corpus annotates nationalities (see above). */
  nat: boolean;
  sentences: CorpusSentence[];
  /** Sentences dropped while reading, and why. */
  dropped: number;
};

const unreadable = (file: string, e: unknown): Result<never> => ({
  ok: false,
  issues: [issue('input.unreadable', file, `cannot read corpus file ${file}: ${(e as Error).message}`)],
});

const malformed = (file: string, line: number, message: string): Result<never> => ({
  ok: false,
  issues: [issue('input.bad-record', `${file}:${line}`, `corpus file ${file}, line ${line}: ${message}`)],
});

function readText(file: string, encoding: BufferEncoding = 'utf8'): Result<string> {
  try {
    return { ok: true, value: readFileSync(file, encoding) };
  } catch (e) {
    return unreadable(file, e);
  }
}

// ---- GMB ----

/** The first file of a zip archive (stored or deflated), read with zlib only. */
export function unzipFirstFile(zip: Buffer, file: string): Result<{ name: string; data: Buffer }> {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return malformed(file, 0, 'not a zip archive (no end-of-central-directory record)');
  const central = zip.readUInt32LE(eocd + 16);
  if (central + 46 > zip.length || zip.readUInt32LE(central) !== 0x02014b50) return malformed(file, 0, 'zip central directory is damaged');
  const method = zip.readUInt16LE(central + 10);
  let compressedSize = zip.readUInt32LE(central + 20);
  let size = zip.readUInt32LE(central + 24);
  const nameLength = zip.readUInt16LE(central + 28);
  const extraLength = zip.readUInt16LE(central + 30);
  let localOffset = zip.readUInt32LE(central + 42);
  const name = zip.toString('utf8', central + 46, central + 46 + nameLength);
  // Zip64: a field of all ones is in the 0x0001 extra block instead, in this order.
  const FULL = 0xffffffff;
  if (size === FULL || compressedSize === FULL || localOffset === FULL) {
    let at = central + 46 + nameLength;
    const extraEnd = at + extraLength;
    while (at + 4 <= extraEnd && zip.readUInt16LE(at) !== 0x0001) at += 4 + zip.readUInt16LE(at + 2);
    if (at + 4 > extraEnd) return malformed(file, 0, `zip entry ${name} has 32-bit overflowed sizes but no zip64 extra field`);
    let field = at + 4;
    const next = (): number => {
      const v = Number(zip.readBigUInt64LE(field));
      field += 8;
      return v;
    };
    if (size === FULL) size = next();
    if (compressedSize === FULL) compressedSize = next();
    if (localOffset === FULL) localOffset = next();
  }
  if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== 0x04034b50) return malformed(file, 0, `zip entry ${name} is damaged`);
  const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  const compressed = zip.subarray(dataStart, dataStart + compressedSize);
  let data: Buffer;
  try {
    if (method === 0) data = Buffer.from(compressed);
    else if (method === 8) data = inflateRawSync(compressed);
    else return malformed(file, 0, `zip entry ${name} uses compression method ${method}; expected 0 (stored) or 8 (deflate)`);
  } catch (e) {
    return malformed(file, 0, `zip entry ${name} does not inflate: ${(e as Error).message}`);
  }
  if (data.length !== size) return malformed(file, 0, `zip entry ${name} inflated to ${data.length} bytes, expected ${size}`);
  return { ok: true, value: { name, data } };
}

/** Splits one CSV line (RFC 4180 quoting). */
function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line.charAt(i) === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          value += line.slice(i);
          i = line.length;
          break;
        }
        value += line.slice(i, q);
        if (line.charAt(q + 1) === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      i++; // the comma
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

const GMB_TYPES: Readonly<Record<string, string>> = { per: 'PER', org: 'ORG', geo: 'LOC' };

/** Maps one GMB sentence's tags (per/org/geo/gpe/...) with its Penn POS tags to ours. */
export function mapGmbTags(tags: readonly string[], penn: readonly string[]): string[] {
  const out: string[] = new Array(tags.length).fill('O');
  let i = 0;
  while (i < tags.length) {
    const tag = tags[i];
    if (tag === 'O' || tag.length < 3) {
      i++;
      continue;
    }
    const type = tag.slice(2);
    let end = i + 1;
    while (end < tags.length && tags[end] === `I-${type}`) end++;
    let ours: string | undefined = GMB_TYPES[type];
    if (type === 'gpe') {
      const last = penn[end - 1];
      ours = last === 'NNP' || last === 'NNPS' ? 'LOC' : 'NAT';
    }
    if (ours !== undefined) {
      out[i] = `B-${ours}`;
      for (let j = i + 1; j < end; j++) out[j] = `I-${ours}`;
    }
    i = end;
  }
  return out;
}

/** GMB's `ner_dataset.csv.zip` (latin-1 CSV `Sentence #,Word,POS,Tag`). */
export function readGmb(dir: string): Result<CorpusSentence[]> {
  const file = join(dir, 'ner_dataset.csv.zip');
  let zip: Buffer;
  try {
    zip = readFileSync(file);
  } catch (e) {
    return unreadable(file, e);
  }
  const entry = unzipFirstFile(zip, file);
  if (!entry.ok) return entry;
  const lines = entry.value.data.toString('latin1').split(/\r?\n/);
  if (!/^Sentence #,Word,POS,Tag$/.test(lines[0] ?? '')) {
    return malformed(file, 1, `expected the header "Sentence #,Word,POS,Tag", found ${JSON.stringify(lines[0]?.slice(0, 60))}`);
  }
  const sentences: CorpusSentence[] = [];
  let words: string[] = [];
  let penn: string[] = [];
  let tags: string[] = [];
  const flush = (): void => {
    if (words.length > 0) sentences.push({ tokens: words, tags: mapGmbTags(tags, penn) });
    words = [];
    penn = [];
    tags = [];
  };
  let last = lines.length;
  while (last > 1 && lines[last - 1] === '') last--;
  for (let n = 1; n < last; n++) {
    const fields = splitCsv(lines[n]);
    if (fields.length !== 4) return malformed(file, n + 1, `expected 4 CSV fields, found ${fields.length}: ${JSON.stringify(lines[n].slice(0, 80))}`);
    const [sentence, word, pos, tag] = fields;
    if (tag !== 'O' && !/^[BI]-[a-z]+$/.test(tag)) return malformed(file, n + 1, `tag ${JSON.stringify(tag)} is not O, B-x or I-x`);
    if (sentence !== '') flush();
    words.push(word);
    penn.push(pos);
    tags.push(tag);
  }
  // The CSV stops at Excel's row limit (1,048,576 rows), cutting its last sentence: drop that one.
  if (last < 1_048_576) flush();
  return { ok: true, value: sentences };
}

// ---- CoNLL-like files ----

type Columns = { token: number; tag: number; separator: RegExp };

/** Reads blank-line separated token/tag lines, skipping `#` comments and -DOCSTART-. */
function readColumns(file: string, text: string, columns: Columns): Result<{ tokens: string[]; tags: string[] }[]> {
  const sentences: { tokens: string[]; tags: string[] }[] = [];
  let tokens: string[] = [];
  let tags: string[] = [];
  const flush = (): void => {
    if (tokens.length > 0) sentences.push({ tokens, tags });
    tokens = [];
    tags = [];
  };
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line.startsWith('#') && !line.includes('\t')) continue;
    const fields = line.split(columns.separator);
    if (fields[0] === '-DOCSTART-') {
      flush();
      continue;
    }
    const width = Math.max(columns.token, columns.tag) + 1;
    if (fields.length < width) return malformed(file, n + 1, `expected at least ${width} columns, found ${fields.length}: ${JSON.stringify(line.slice(0, 80))}`);
    tokens.push(fields[columns.token]);
    tags.push(fields[columns.tag]);
  }
  flush();
  return { ok: true, value: sentences };
}

function checkTags(file: string, tags: readonly string[], pattern: RegExp): Issue | undefined {
  for (const tag of tags) if (!pattern.test(tag)) return issue('input.bad-record', file, `corpus file ${file}: tag ${JSON.stringify(tag)} does not match ${pattern}`);
  return undefined;
}

/** WikiGold: IO tags (I-PER, I-ORG, I-LOC, I-MISC), space separated. A run of I-X is one span. */
export function readWikigold(dir: string): Result<CorpusSentence[]> {
  const file = join(dir, 'wikigold.conll.txt');
  const text = readText(file);
  if (!text.ok) return text;
  const read = readColumns(file, text.value, { token: 0, tag: 1, separator: / / });
  if (!read.ok) return read;
  const out: CorpusSentence[] = [];
  for (const s of read.value) {
    const bad = checkTags(file, s.tags, /^(O|I-(PER|ORG|LOC|MISC))$/);
    if (bad) return { ok: false, issues: [bad] };
    const tags = s.tags.map((tag, i) => {
      if (tag === 'O' || tag === 'I-MISC') return 'O';
      const type = tag.slice(2);
      return s.tags[i - 1] === tag ? `I-${type}` : `B-${type}`;
    });
    out.push({ tokens: s.tokens, tags });
  }
  return { ok: true, value: out };
}

/** Universal NER (`*.iob2`): CoNLL-U-like, columns id, token, IOB2 tag, ...; `#` comments. */
export function readUner(dir: string): Result<CorpusSentence[]> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.iob2')).sort();
  } catch (e) {
    return unreadable(dir, e);
  }
  if (files.length === 0) return { ok: false, issues: [issue('input.unreadable', dir, `no *.iob2 file in ${dir}`)] };
  const out: CorpusSentence[] = [];
  for (const name of files) {
    const file = join(dir, name);
    const text = readText(file);
    if (!text.ok) return text;
    const read = readColumns(file, text.value, { token: 1, tag: 2, separator: /\t/ });
    if (!read.ok) return read;
    for (const s of read.value) {
      const bad = checkTags(file, s.tags, /^(O|[BI]-(PER|ORG|LOC))$/);
      if (bad) return { ok: false, issues: [bad] };
      out.push({ tokens: s.tokens, tags: s.tags });
    }
  }
  return { ok: true, value: out };
}

const CROSSNER_TYPES: Readonly<Record<string, string>> = {
  politician: 'PER',
  person: 'PER',
  politicalparty: 'ORG',
  organisation: 'ORG',
  country: 'LOC',
  location: 'LOC',
};

/** CrossNER politics: train, dev and test files (in that order), token TAB BIO tag. */
export function readCrossner(dir: string, demonyms?: ReadonlySet<string>): Result<CorpusSentence[]> {
  const out: CorpusSentence[] = [];
  for (const name of ['train.txt', 'dev.txt', 'test.txt']) {
    const file = join(dir, name);
    const text = readText(file);
    if (!text.ok) return text;
    const read = readColumns(file, text.value, { token: 0, tag: 1, separator: /\t/ });
    if (!read.ok) return read;
    for (const s of read.value) {
      const bad = checkTags(file, s.tags, /^(O|[BI]-[a-z]+)$/);
      if (bad) return { ok: false, issues: [bad] };
      const tags = s.tags.map((tag, i) => {
        if (tag === 'O') return 'O';
        const type = tag.slice(2);
        const ours = CROSSNER_TYPES[type];
        if (ours !== undefined) return `${tag.charAt(0)}-${ours}`;
        // A one-token misc that is a demonym ("Russian") is a nationality.
        if (type === 'misc' && demonyms !== undefined && tag.startsWith('B-') && s.tags[i + 1] !== 'I-misc' && demonyms.has(s.tokens[i])) return 'B-NAT';
        return 'O';
      });
      out.push({ tokens: s.tokens, tags });
    }
  }
  return { ok: true, value: out };
}

const GUM_TYPES: Readonly<Record<string, string>> = { person: 'PER', organization: 'ORG', place: 'LOC' };
// Words allowed inside a proper name between capitalised words: "Bank of England", "Trinidad and Tobago".
const NAME_CONNECTORS = new Set(['of', 'and', 'for', 'the', 'de', 'al', 'el', '&', '-', "'s"]);

/**
 * Maps one GUM sentence (one type per token, no boundaries) to BIO, keeping only person, place
 * and organization runs headed by a proper noun. Returns undefined when a run mixes proper and
 * common nouns and so cannot be mapped safely.
 */
export function mapGumTypes(tokens: readonly string[], types: readonly string[], pos: readonly string[]): string[] | undefined {
  const out: string[] = new Array(tokens.length).fill('O');
  let i = 0;
  while (i < tokens.length) {
    const type = types[i];
    const ours = GUM_TYPES[type];
    let end = i + 1;
    while (end < tokens.length && types[end] === type) end++;
    if (ours !== undefined) {
      let head = end - 1;
      while (head > i && pos[head] === 'PUNCT') head--;
      const hasProper = pos.slice(i, end).some((p) => p === 'PROPN');
      if (pos[head] === 'PROPN') {
        // The name: from the first capitalised word to the head, nothing but name words between.
        let start = i;
        while (start < head && !/^\p{Lu}/u.test(tokens[start])) start++;
        for (let j = start; j <= head; j++) {
          if (!/^\p{Lu}/u.test(tokens[j]) && !/^\d/.test(tokens[j]) && !NAME_CONNECTORS.has(tokens[j].toLowerCase())) return undefined;
        }
        out[start] = `B-${ours}`;
        for (let j = start + 1; j <= head; j++) out[j] = `I-${ours}`;
      } else if (hasProper) {
        return undefined;
      }
    }
    i = end;
  }
  return out;
}

/** GUM TSV files (token TAB entity type), every file under the folder in name order. */
export function readGum(dir: string): Result<{ sentences: CorpusSentence[]; dropped: number }> {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.tsv')) files.push(p);
    }
  };
  try {
    walk(dir);
  } catch (e) {
    return unreadable(dir, e);
  }
  if (files.length === 0) return { ok: false, issues: [issue('input.unreadable', dir, `no *.tsv file under ${dir}`)] };
  const out: CorpusSentence[] = [];
  let dropped = 0;
  for (const file of files) {
    const text = readText(file);
    if (!text.ok) return text;
    const read = readColumns(file, text.value, { token: 0, tag: 1, separator: /\t/ });
    if (!read.ok) return read;
    for (const s of read.value) {
      const bad = checkTags(file, s.tags, /^(O|[a-z]+)$/);
      if (bad) return { ok: false, issues: [bad] };
      const pos = posTag(s.tokens);
      const tags = mapGumTypes(s.tokens, s.tags, pos);
      if (tags === undefined) dropped++;
      else out.push({ tokens: s.tokens, tags, pos });
    }
  }
  return { ok: true, value: { sentences: out, dropped } };
}

// ---- all of them ----

export const CORPUS_NAMES = ['gmb', 'wikigold', 'uner-en-pud', 'uner-en-ewt', 'gum', 'crossner-politics'] as const;

/**
 * Reads every corpus folder present under `dir`, in CORPUS_NAMES order. A missing folder is
 * skipped with an info issue; a malformed file fails the whole read.
 */
export function readCorpora(dir: string, options: { demonyms?: ReadonlySet<string> } = {}): Result<Corpus[]> {
  if (!existsSync(dir)) return { ok: false, issues: [issue('input.unreadable', dir, `corpora folder ${dir} does not exist`)] };
  const corpora: Corpus[] = [];
  const notes: Issue[] = [];
  for (const name of CORPUS_NAMES) {
    const folder = join(dir, name);
    if (!existsSync(folder)) {
      notes.push({ ...issue('input.unreadable', folder, `corpus folder ${folder} is absent: skipped`), severity: 'info' });
      continue;
    }
    let sentences: CorpusSentence[];
    let dropped = 0;
    let nat = false;
    if (name === 'gmb') {
      const r = readGmb(folder);
      if (!r.ok) return r;
      sentences = r.value;
      nat = true;
    } else if (name === 'wikigold') {
      const r = readWikigold(folder);
      if (!r.ok) return r;
      sentences = r.value;
    } else if (name === 'gum') {
      const r = readGum(folder);
      if (!r.ok) return r;
      sentences = r.value.sentences;
      dropped = r.value.dropped;
    } else if (name === 'crossner-politics') {
      const r = readCrossner(folder, options.demonyms);
      if (!r.ok) return r;
      sentences = r.value;
      nat = options.demonyms !== undefined;
    } else {
      const r = readUner(folder);
      if (!r.ok) return r;
      sentences = r.value;
    }
    corpora.push({ name, silver: name === 'gmb', nat, sentences, dropped });
  }
  return { ok: true, value: corpora, issues: notes };
}
