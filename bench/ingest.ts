// What storing costs on top of extracting, and how fast the store answers afterwards, for SQLite
// and PostgreSQL, over N realistic news documents built from the GMB sentences (Voice of America)
// in ../shared/corpora (read in place; see bench/gmb-docs.ts).
//
//   1. documents   N documents of 8-20 sentences, dated 2004-2012, with ~2% near-duplicate copies
//                  and ~1% exact duplicates (seeded: the same N gives the same documents).
//   2. extraction  createPipeline() + JSON.stringify(toExtraction(pipeline.run(doc))) per document,
//                  in this process (what `faultline extract --jsonl` does): documents/s, words/s.
//                  The extractions are saved to OUT/extractions-N.jsonl for --reuse-extractions.
//   3. ingest      per backend, into a fresh store (a new SQLite file under OUT; a new PostgreSQL
//                  schema, dropped at the end): the real ingest() of src/ingest/ingest.ts over the
//                  documents as SourceItems, with the same pipeline. Documents/s, words/s (all N
//                  inputs' words), ingest time / extraction time (the storage overhead), the counts,
//                  and the store's size (SQLite: file + WAL after a TRUNCATE checkpoint; PostgreSQL:
//                  pg_total_relation_size over the schema's tables). With --reuse-extractions the
//                  saved extractions are stored instead, as ingest() stores them (putDocuments(),
//                  32 a transaction) but without the pipeline; the time counts those calls only,
//                  and there is no ratio.
//   4. queries     per backend, after ingest: --queries seeded subjects of each kind, after 10
//                  warm-up calls each, one call at a time; p50, p95 and max wall time in ms of
//                  dossier (entity names, half among the 50 in most documents, half at random),
//                  events ({actor}, {type, from, to} over a year, {near: a located place, km: 100}),
//                  graph (depth 1), search (two content words of a document; a quoted two-word phrase).
//   5. report      a table on stdout and OUT/ingest-N.json with every figure, machine, node, date.
//
// usage (after `npx tsc -p tsconfig.json`):
//   node dist/bench/ingest.js                        10,000 documents, both backends
//   node dist/bench/ingest.js --docs 100000 --reuse-extractions
//                  100,000: stores the extractions saved by an earlier run of the same size, or
//                  extracts and saves them first when there are none (then only storing is timed)
//   options: --docs 10000 --backends sqlite,postgres --pg postgres://postgres@127.0.0.1:5432/test
//            --queries 200 --out .bench/ingest --reuse-extractions --keep (keep the SQLite file and
//            the PostgreSQL schema) --no-analyze (see below)
// PostgreSQL plans from statistics that only ANALYZE gathers; autovacuum runs it as tables grow,
// but a server may have it off (the local test server does). Then, unless --no-analyze, the
// benchmark stands in for it, running ANALYZE on the schema every minute during the writes; and
// on every server it runs ANALYZE once before the queries (timed, reported). Without statistics
// the planner takes the tables for nearly empty and joins them by nested loops over whole-table
// scans (graph: every source participant against every target participant, 900,000 row pairs
// and 150-250 ms a call at 300 documents; the pairs grow with the square of the store).
// Prints "bench/ingest: skipped: ..." and exits 0 when ../shared/corpora/gmb is absent; skips the
// PostgreSQL backend, saying so, when the server does not answer.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createPipeline, toExtraction, type DocumentInput, type Pipeline } from '../src/pipeline.js';
import { ingest } from '../src/ingest/ingest.js';
import { extractorOf, workerExtractor, type Extractor } from '../src/ingest/extractor.js';
import type { SourceItem } from '../src/ingest/sources.js';
import { NotFoundError, openStore, type PutOutcome, type Store, type StoredDocumentInput } from '../src/store/store.js';
import type { Backend } from '../src/store/migrations.js';
import type { Extraction } from '../src/model/contract.js';
import { PLOVER_TYPES } from '../src/model/contract.js';
import type { Stats } from '../src/model/store.js';
import { DEFAULT_SEED, GMB_ZIP, buildDocuments, hasGmb, mulberry32, pick, randInt, readGmbSentences, type BenchDocument, type Rand } from './gmb-docs.js';

const NAME = 'bench/ingest';
const AUTOVACUUM_NAPTIME_MS = 60_000;
const WARMUP = 10;
const PIPELINE_WARMUP = 30;
const TOP_ENTITIES = 50;
/** Documents a transaction when storing saved extractions: ingest()'s default batch. */
const STORE_BATCH = 256;

// ---- options ----------------------------------------------------------------------------------

/** Extraction worker threads for ingest() (--workers; 0: this thread). */
let WORKERS = 0;

type Options = { docs: number; backends: Backend[]; pg: string; queries: number; out: string; reuse: boolean; keep: boolean; analyze: boolean };

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      docs: { type: 'string', default: '10000' },
      backends: { type: 'string', default: 'sqlite,postgres' },
      pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
      queries: { type: 'string', default: '200' },
      out: { type: 'string', default: '.bench/ingest' },
      'reuse-extractions': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'no-analyze': { type: 'boolean', default: false },
      workers: { type: 'string', default: '0' },
    },
  });
  WORKERS = Number(values.workers);
  if (!Number.isInteger(WORKERS) || WORKERS < 0) throw new Error(`--workers ${values.workers}: give a whole number, 0 for this thread`);
  const docs = Number(values.docs);
  const queries = Number(values.queries);
  if (!Number.isInteger(docs) || docs < 20) throw new Error(`--docs ${values.docs}: give a whole number of at least 20`);
  if (!Number.isInteger(queries) || queries < 1) throw new Error(`--queries ${values.queries}: give a whole number of at least 1`);
  const backends = values.backends!.split(',').map((b) => b.trim()).filter(Boolean);
  for (const b of backends) if (b !== 'sqlite' && b !== 'postgres') throw new Error(`--backends: "${b}" is neither sqlite nor postgres`);
  return { docs, backends: backends as Backend[], pg: values.pg!, queries, out: resolve(values.out!), reuse: values['reuse-extractions']!, keep: values.keep!, analyze: !values['no-analyze'] };
}

// ---- small helpers ----------------------------------------------------------------------------

const log = (message: string) => process.stderr.write(`${NAME}: ${message}\n`);
const seconds = (since: number) => (performance.now() - since) / 1000;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
let peakRss = 0;
/** The 1-minute load average, sampled as the run goes: above the core count, other work competed for the CPU. */
const loads: number[] = [];
const noteLoad = () => loads.push(round(loadavg()[0], 2));
const noteMemory = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  noteLoad();
};

/** Logs about ten times over a long loop, never for short ones. */
function progress(label: string, total: number, started: number) {
  const step = Math.max(1000, Math.ceil(total / 10));
  return (done: number) => {
    if (done % 500 === 0) noteMemory();
    if (done % step === 0 && done < total) log(`${label} ${done}/${total} (${seconds(started).toFixed(0)} s)`);
  };
}

/** Runs work every ms milliseconds, one run at a time, until stopped (waiting for a run under way). */
function every(ms: number, work: () => Promise<unknown>) {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => (running = running.then(work).catch(() => {})), ms);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

const inputOf = (d: BenchDocument): DocumentInput => ({ id: d.id, text: d.text, title: d.title, published: d.published, source: d.source });

// ---- 1. documents -----------------------------------------------------------------------------

type Corpus = { docs: BenchDocument[]; sentences: number; words: number; originals: number; nearCopies: number; exactCopies: number; buildSeconds: number; fingerprint: string };

function makeCorpus(n: number): Corpus {
  const t0 = performance.now();
  const sentences = readGmbSentences();
  const docs = buildDocuments(sentences, n);
  const hash = createHash('sha256');
  for (const d of docs) hash.update(`${d.id}\u0001${d.title}\u0001${d.published}\u0001${d.source}\u0001${d.text}\u0002`);
  const count = (kind: BenchDocument['kind']) => docs.filter((d) => d.kind === kind).length;
  return {
    docs,
    sentences: sentences.length,
    words: docs.reduce((s, d) => s + d.words, 0),
    originals: count('original'),
    nearCopies: count('near-duplicate'),
    exactCopies: count('duplicate'),
    buildSeconds: round(seconds(t0), 2),
    fingerprint: hash.digest('hex').slice(0, 16),
  };
}

// ---- 2. extraction ----------------------------------------------------------------------------

type ExtractionFigures = { file: string; reused: boolean; madeAt: string; seconds?: number; documentsPerSecond?: number; wordsPerSecond?: number; jsonBytes?: number };
type ExtractionMeta = { documents: number; seed: number; fingerprint: string; stages: readonly string[]; madeAt: string };

const extractionFile = (o: Options) => join(o.out, `extractions-${o.docs}.jsonl`);

/** The saved extractions' description, when it matches these documents. */
function savedExtractions(o: Options, corpus: Corpus): ExtractionMeta | undefined {
  const file = extractionFile(o);
  if (!existsSync(file) || !existsSync(`${file}.meta.json`)) return undefined;
  const meta = JSON.parse(readFileSync(`${file}.meta.json`, 'utf8')) as ExtractionMeta;
  return meta.fingerprint === corpus.fingerprint && meta.documents === corpus.docs.length ? meta : undefined;
}

/**
 * Each document through the pipeline and the contract, as `faultline extract --jsonl` does; only
 * that is timed, not writing the lines (written to a .partial file, renamed when complete). The
 * first documents go through once untimed before, so the timing does not include V8's warm-up
 * (ingest, which runs later in the same process, would not pay it either).
 */
function extractAll(pipeline: Pipeline, corpus: Corpus, file: string): ExtractionFigures {
  for (const d of corpus.docs.slice(0, PIPELINE_WARMUP)) JSON.stringify(toExtraction(pipeline.run(inputOf(d))));
  const tick = progress('extract', corpus.docs.length, performance.now());
  const fd = openSync(`${file}.partial`, 'w');
  let busy = 0;
  let bytes = 0;
  try {
    corpus.docs.forEach((d, i) => {
      const t = performance.now();
      const line = JSON.stringify(toExtraction(pipeline.run(inputOf(d))));
      busy += performance.now() - t;
      bytes += writeSync(fd, line + '\n');
      tick(i + 1);
    });
  } finally {
    closeSync(fd);
  }
  renameSync(`${file}.partial`, file);
  const madeAt = new Date().toISOString();
  const meta: ExtractionMeta = { documents: corpus.docs.length, seed: DEFAULT_SEED, fingerprint: corpus.fingerprint, stages: pipeline.stageNames, madeAt };
  writeFileSync(`${file}.meta.json`, JSON.stringify(meta, null, 2) + '\n');
  const s = busy / 1000;
  return { file, reused: false, madeAt, seconds: round(s, 2), documentsPerSecond: round(corpus.docs.length / s), wordsPerSecond: Math.round(corpus.words / s), jsonBytes: bytes };
}

// ---- 3. ingest ----------------------------------------------------------------------------------

type Counts = { ingested: number; duplicate: number; nearDuplicate: number; failed: number };
type WriteFigures = {
  mode: string;
  seconds: number;
  documentsPerSecond: number;
  wordsPerSecond: number;
  /** ingest time / extraction time; only for ingest(). */
  overRatio?: number;
  /** reading and parsing the saved extractions, not counted in seconds. */
  readSeconds?: number;
  counts: Counts;
  failures: { input: string; reason: string }[];
};

async function* sourceItems(docs: readonly BenchDocument[]): AsyncGenerator<SourceItem> {
  for (const d of docs) yield { input: d.source, ok: true, doc: inputOf(d) };
}

async function ingestAll(store: Store, pipeline: Pipeline, corpus: Corpus, extraction: ExtractionFigures): Promise<WriteFigures> {
  const tick = progress(`ingest ${store.backend}`, corpus.docs.length, performance.now());
  const workers = WORKERS;
  const extractor: Extractor = workers > 0 ? await workerExtractor(workers) : extractorOf(pipeline);
  const s = await ingest(store, extractor, sourceItems(corpus.docs), { onProgress: (p) => tick(p.documents) }).finally(() => extractor.close());
  return {
    mode: workers > 0 ? `ingest(), ${workers} extraction workers` : 'ingest(), extraction in this thread',
    seconds: round(s.seconds, 2),
    documentsPerSecond: round(s.documents / s.seconds),
    wordsPerSecond: Math.round(corpus.words / s.seconds),
    ...(extraction.seconds ? { overRatio: round(s.seconds / extraction.seconds, 2) } : {}),
    counts: { ingested: s.ingested, duplicate: s.duplicate, nearDuplicate: s.nearDuplicate, failed: s.failed },
    failures: s.failures.slice(0, 10),
  };
}

/**
 * The saved extractions, line i for document i, written as ingest() writes them: putDocuments()
 * with STORE_BATCH documents a transaction, each document of a failed batch again alone with
 * putDocument(). Only those calls are timed, not reading and parsing the file.
 */
async function storeSaved(store: Store, corpus: Corpus, file: string): Promise<WriteFigures> {
  const started = performance.now();
  const tick = progress(`store ${store.backend}`, corpus.docs.length, started);
  const counts: Counts = { ingested: 0, duplicate: 0, nearDuplicate: 0, failed: 0 };
  const failures: { input: string; reason: string }[] = [];
  const count = (out: PutOutcome) => counts[out.status === 'stored' ? 'ingested' : out.status === 'duplicate' ? 'duplicate' : 'nearDuplicate']++;
  let busy = 0;
  let batch: { d: BenchDocument; item: { doc: StoredDocumentInput; extraction: Extraction } }[] = [];
  const flush = async () => {
    const t = performance.now();
    try {
      (await store.putDocuments(batch.map((b) => b.item))).forEach(count);
    } catch {
      for (const { d, item } of batch)
        await store.putDocument(item.doc, item.extraction).then(count, (e: Error) => {
          counts.failed++;
          if (failures.length < 10) failures.push({ input: d.source, reason: e.message });
        });
    }
    busy += performance.now() - t;
    batch = [];
  };
  let i = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const d = corpus.docs[i++];
    const extraction = JSON.parse(line) as Extraction;
    if (!d || extraction.document.id !== d.id) throw new Error(`${file}:${i}: holds ${extraction.document.id}, expected ${d?.id ?? 'no more lines'}; run without --reuse-extractions to make it again`);
    batch.push({ d, item: { doc: { text: d.text, title: d.title, published: d.published, source: d.source, externalId: d.id }, extraction } });
    if (batch.length >= STORE_BATCH) await flush();
    tick(i);
  }
  await flush();
  if (i !== corpus.docs.length) throw new Error(`${file}: ${i} extractions for ${corpus.docs.length} documents; run without --reuse-extractions to make it again`);
  const s = busy / 1000;
  return {
    mode: `putDocuments() from saved extractions, ${STORE_BATCH} a transaction`,
    seconds: round(s, 2),
    documentsPerSecond: round(corpus.docs.length / s),
    wordsPerSecond: Math.round(corpus.words / s),
    readSeconds: round(seconds(started) - s, 2),
    counts,
    failures,
  };
}

// ---- the two backends -------------------------------------------------------------------------

type EntityRow = { id: string; name: string; type: string; lat: number | null; lon: number | null; docs: number };

/** Every entity that documents name, with the number of documents naming it, most first. */
const ENTITY_SQL = `
  select e.id, e.name, e.type, e.lat, e.lon, count(distinct de.doc_id) as docs
  from entities e join doc_entities de on de.entity_id = e.id
  group by e.id, e.name, e.type, e.lat, e.lon
  order by docs desc, e.id`;

const asEntity = (r: Record<string, unknown>): EntityRow => ({
  id: String(r.id),
  name: String(r.name),
  type: String(r.type),
  lat: r.lat === null ? null : Number(r.lat),
  lon: r.lon === null ? null : Number(r.lon),
  docs: Number(r.docs),
});

/** A fresh, empty place for one backend's store, and what the benchmark asks of it besides the Store. */
type Target = {
  backend: Backend;
  /** What openStore is given. */
  location: string;
  version(): Promise<string>;
  entities(): Promise<EntityRow[]>;
  /** Bytes on disk, after the store is closed. */
  size(): Promise<number>;
  /** Removes the file or schema (unless --keep). */
  dispose(): Promise<void>;
  /** PostgreSQL: refreshes the planner's statistics of the schema's tables (ANALYZE). */
  analyze?: () => Promise<void>;
  /** PostgreSQL: whether the server's autovacuum is on (it would ANALYZE growing tables by itself). */
  autovacuum?: boolean;
};

function sqliteTarget(o: Options): Target {
  const path = join(o.out, `ingest-${o.docs}.sqlite`);
  const files = [path, `${path}-wal`, `${path}-shm`];
  for (const f of files) rmSync(f, { force: true });
  const withDb = <T>(work: (db: BetterSqlite3.Database) => T): T => {
    const db = new BetterSqlite3(path);
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    backend: 'sqlite',
    location: path,
    version: async () => withDb((db) => String((db.prepare('select sqlite_version() as v').get() as { v: string }).v)),
    entities: async () => withDb((db) => (db.prepare(ENTITY_SQL).all() as Record<string, unknown>[]).map(asEntity)),
    size: async () => {
      withDb((db) => db.pragma('wal_checkpoint(TRUNCATE)'));
      return files.slice(0, 2).reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
    },
    dispose: async () => {
      if (!o.keep) for (const f of files) rmSync(f, { force: true });
    },
  };
}

/** The URL without any ?schema=. */
function serverUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.delete('schema');
  return u.toString();
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>, schema?: string): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl(url), connectionTimeoutMillis: 5000, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  c.on('error', () => {});
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/** Why the server does not answer, or undefined when it does. */
async function pgUnreachable(url: string): Promise<string | undefined> {
  try {
    await withClient(url, (c) => c.query('select 1'));
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return [err.code, err.message].filter(Boolean).join(': ') || String(e);
  }
}

async function postgresTarget(o: Options): Promise<Target> {
  const schema = `bench_ingest_${process.pid}_${Date.now().toString(36)}`;
  const u = new URL(o.pg);
  u.searchParams.set('schema', schema);
  const autovacuum = await withClient(o.pg, async (c) => (await c.query('show autovacuum')).rows[0].autovacuum === 'on');
  return {
    backend: 'postgres',
    location: u.toString(),
    autovacuum,
    analyze: () =>
      withClient(o.pg, async (c) => {
        const tables = (await c.query('select tablename from pg_tables where schemaname = $1', [schema])).rows.map((r) => `"${schema}"."${r.tablename}"`);
        if (tables.length) await c.query(`analyze ${tables.join(', ')}`);
      }),
    version: () => withClient(o.pg, async (c) => String((await c.query('show server_version')).rows[0].server_version)),
    entities: () => withClient(o.pg, async (c) => (await c.query(ENTITY_SQL)).rows.map(asEntity), schema),
    size: () =>
      withClient(o.pg, async (c) => {
        const r = await c.query(
          `select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = $1 and c.relkind in ('r', 'p', 'm')`,
          [schema],
        );
        return Number(r.rows[0].bytes);
      }),
    dispose: async () => {
      if (!o.keep) await withClient(o.pg, (c) => c.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

// ---- 4. queries ---------------------------------------------------------------------------------

type Call = { kind: string; form: string; subject: string; run: (store: Store) => Promise<number /* results */> };
type Latency = { calls: number; p50: number; p95: number; max: number; mean: number; slowest: { subject: string; ms: number; results: number }; notFound: number; errors: number; firstError?: string };

const STOPWORDS = new Set(
  'about after again against also among another because been before being between both could during each from have having here into itself just last made many more most much must only other over said same says should since some such than that their them then there these they this those through under until very were what when where which while whom will with would year years your percent including'.split(' '),
);
const contentWords = (text: string) => (text.match(/\b[A-Za-z]{4,}\b/g) ?? []).map((w) => w.toLowerCase()).filter((w) => !STOPWORDS.has(w));

/** Two distinct content words of one document. */
function searchWords(rand: Rand, docs: readonly BenchDocument[]): string {
  for (;;) {
    const words = [...new Set(contentWords(pick(rand, docs).text))];
    if (words.length < 2) continue;
    const a = pick(rand, words);
    const b = pick(rand, words.filter((w) => w !== a));
    return `${a} ${b}`;
  }
}

/** Two consecutive words of one document, at least one of them a content word, quoted. */
function searchPhrase(rand: Rand, docs: readonly BenchDocument[]): string {
  for (;;) {
    const tokens = pick(rand, docs).text.split(/\s+/);
    const pairs: string[] = [];
    for (let i = 0; i + 1 < tokens.length; i++) {
      const [a, b] = [tokens[i], tokens[i + 1]];
      if (/^[A-Za-z]+$/.test(a) && /^[A-Za-z]+$/.test(b) && contentWords(`${a} ${b}`).length) pairs.push(`${a} ${b}`);
    }
    if (pairs.length) return `"${pick(rand, pairs)}"`;
  }
}

/** A one-year window starting on a random day of 2004-2011. */
function yearWindow(rand: Rand): { from: string; to: string } {
  const start = Date.UTC(2004, 0, 1) + randInt(rand, 0, 8 * 365 - 1) * 86_400_000;
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: iso(start), to: iso(start + 364 * 86_400_000) };
}

/** Alternately one of the most-named and one at random. */
const mixed = <T>(rand: Rand, top: readonly T[], all: readonly T[], j: number): T => pick(rand, j % 2 === 0 ? top : all);

/** WARMUP + n calls of each kind, from one seeded stream, so both backends get the same subjects for the same store. */
function planCalls(entities: readonly EntityRow[], docs: readonly BenchDocument[], n: number): Call[][] {
  const rand = mulberry32(DEFAULT_SEED ^ 0x5eed);
  const names = entities.filter((e) => /\p{L}/u.test(e.name));
  const top = names.slice(0, TOP_ENTITIES);
  const located = names.filter((e) => e.lat !== null && e.lon !== null);
  const stored = docs.filter((d) => d.kind !== 'duplicate');
  const total = WARMUP + n;
  const times = <T>(make: (j: number) => T) => Array.from({ length: total }, (_, j) => make(j));
  const entity = times((j): Call => {
    const name = mixed(rand, top, names, j).name;
    return { kind: 'entity', form: 'dossier', subject: name, run: async (s) => (await s.dossier(name)).documents.total };
  });
  const events = times((j): Call => {
    const form = located.length ? ['actor', 'window', 'near'][j % 3] : ['actor', 'window'][j % 2];
    if (form === 'actor') {
      const actor = mixed(rand, top, names, Math.floor(j / 3)).name;
      return { kind: 'events', form, subject: `actor ${actor}`, run: async (s) => (await s.events({ actor })).total };
    }
    if (form === 'window') {
      const type = pick(rand, PLOVER_TYPES);
      const { from, to } = yearWindow(rand);
      return { kind: 'events', form, subject: `${type} ${from}..${to}`, run: async (s) => (await s.events({ type, from, to })).total };
    }
    const near = mixed(rand, located.slice(0, TOP_ENTITIES), located, Math.floor(j / 3)).name;
    return { kind: 'events', form, subject: `near ${near}, 100 km`, run: async (s) => (await s.events({ near, km: 100 })).total };
  });
  const graph = times((j): Call => {
    const name = mixed(rand, top, names, j).name;
    return { kind: 'graph', form: 'depth 1', subject: name, run: async (s) => (await s.graph(name, { depth: 1 })).nodes.length };
  });
  const search = times((j): Call => {
    const q = j % 2 === 0 ? searchWords(rand, stored) : searchPhrase(rand, stored);
    return { kind: 'search', form: j % 2 === 0 ? 'words' : 'phrase', subject: q, run: async (s) => (await s.search(q)).total };
  });
  return names.length ? [entity, events, graph, search] : [search];
}

type Timed = { call: Call; ms: number; results: number; notFound?: boolean; error?: string };

async function timeCall(store: Store, call: Call): Promise<Timed> {
  const t = performance.now();
  try {
    const results = await call.run(store);
    return { call, ms: performance.now() - t, results };
  } catch (e) {
    const ms = performance.now() - t;
    if (e instanceof NotFoundError) return { call, ms, results: 0, notFound: true };
    return { call, ms, results: 0, error: (e as Error).message };
  }
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];

function summarize(timed: readonly Timed[]): Latency {
  const ms = timed.map((t) => t.ms).sort((a, b) => a - b);
  const slowest = timed.reduce((a, b) => (b.ms > a.ms ? b : a));
  const firstError = timed.find((t) => t.error)?.error;
  return {
    calls: timed.length,
    p50: round(percentile(ms, 0.5), 2),
    p95: round(percentile(ms, 0.95), 2),
    max: round(ms[ms.length - 1], 2),
    mean: round(ms.reduce((a, b) => a + b, 0) / ms.length, 2),
    slowest: { subject: slowest.call.subject, ms: round(slowest.ms, 2), results: slowest.results },
    notFound: timed.filter((t) => t.notFound).length,
    errors: timed.filter((t) => t.error).length,
    ...(firstError ? { firstError } : {}),
  };
}

/** Each kind: its warm-up calls, then its measured calls one at a time; summaries per kind and per kind/form. */
async function measureQueries(store: Store, plan: Call[][]): Promise<Record<string, Latency>> {
  const out: Record<string, Latency> = {};
  for (const calls of plan) {
    noteLoad();
    for (const c of calls.slice(0, WARMUP)) await timeCall(store, c);
    const timed: Timed[] = [];
    for (const c of calls.slice(WARMUP)) timed.push(await timeCall(store, c));
    const kind = calls[0].kind;
    out[kind] = summarize(timed);
    const forms = [...new Set(timed.map((t) => t.call.form))];
    if (forms.length > 1) for (const f of forms) out[`${kind}.${f}`] = summarize(timed.filter((t) => t.call.form === f));
    log(`${store.backend} ${kind}: p50 ${out[kind].p50} ms, p95 ${out[kind].p95} ms, max ${out[kind].max} ms (${out[kind].slowest.subject})`);
  }
  return out;
}

// ---- one backend, start to end ----------------------------------------------------------------

type BackendFigures =
  | { skipped: string }
  | ({ location: string; version: string; autovacuum?: boolean; analyzeSeconds?: number; analyzedDuringWrites?: boolean; storeBytes: number; bytesPerDocument: number; stats: Stats; queries: Record<string, Latency> } & WriteFigures);

async function runBackend(backend: Backend, o: Options, corpus: Corpus, pipeline: Pipeline | undefined, extraction: ExtractionFigures): Promise<BackendFigures> {
  if (backend === 'postgres') {
    const why = await pgUnreachable(o.pg);
    if (why) {
      console.log(`${NAME}: postgres skipped: ${serverUrl(o.pg)} does not answer (${why})`);
      return { skipped: `the server does not answer: ${why}` };
    }
  }
  const target = backend === 'sqlite' ? sqliteTarget(o) : await postgresTarget(o);
  try {
    const store = await openStore(target.location);
    let write: WriteFigures;
    let analyzeSeconds: number | undefined;
    let stats: Stats;
    let queries: Record<string, Latency>;
    try {
      log(`${backend}: ${o.reuse ? 'storing the saved extractions' : 'ingest'} into ${store.location}`);
      // With autovacuum off nothing gathers PostgreSQL's planner statistics: do what it would, every minute.
      const standIn = o.analyze && target.analyze && target.autovacuum === false ? every(AUTOVACUUM_NAPTIME_MS, target.analyze) : undefined;
      try {
        write = o.reuse ? await storeSaved(store, corpus, extraction.file) : await ingestAll(store, pipeline!, corpus, extraction);
      } finally {
        await standIn?.stop();
      }
      noteMemory();
      if (o.analyze) {
        // what `faultline ingest` does at its end: refresh the planner's statistics
        const t = performance.now();
        await store.optimize();
        analyzeSeconds = round(seconds(t), 2);
      }
      stats = await store.stats();
      queries = await measureQueries(store, planCalls(await target.entities(), corpus.docs, o.queries));
    } finally {
      await store.close();
    }
    const storeBytes = await target.size();
    const location = backend === 'postgres' ? store.location : target.location;
    const server = target.autovacuum === undefined ? { analyzeSeconds } : { autovacuum: target.autovacuum, analyzeSeconds, analyzedDuringWrites: o.analyze && !target.autovacuum };
    return { location, version: await target.version(), ...server, ...write, storeBytes, bytesPerDocument: Math.round(storeBytes / corpus.docs.length), stats, queries };
  } finally {
    await target.dispose();
  }
}

// ---- 5. report ----------------------------------------------------------------------------------

const fmt = (x: number | undefined, digits = 0) => (x === undefined ? '-' : x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const fmtMs = (x: number) => fmt(x, x < 10 ? 2 : x < 100 ? 1 : 0);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ')).join('\n');
}

function report(o: Options, corpus: Corpus, extraction: ExtractionFigures, results: Record<string, BackendFigures>): string {
  type Ran = Exclude<BackendFigures, { skipped: string }>;
  const names = Object.keys(results).filter((n) => !('skipped' in results[n]));
  const ran = names.map((n) => results[n] as Ran);
  const skipped = Object.entries(results).flatMap(([n, r]) => ('skipped' in r ? [`${n}: skipped: ${r.skipped}`] : []));
  const row = (label: string, cell: (r: Ran) => string) => [label, ...ran.map(cell)];
  const mode = o.reuse ? 'store' : 'ingest';
  const rows = [
    ['', ...names],
    row(`${mode} documents/s`, (r) => fmt(r.documentsPerSecond, 1)),
    row(`${mode} words/s`, (r) => fmt(r.wordsPerSecond)),
    row(`${mode} seconds`, (r) => fmt(r.seconds, 1)),
    ...(o.reuse ? [] : [row('ingest / extraction time', (r) => (r.overRatio === undefined ? '-' : `${fmt(r.overRatio, 2)}x`))]),
    row('ingested', (r) => fmt(r.counts.ingested)),
    row('duplicate', (r) => fmt(r.counts.duplicate)),
    row('near-duplicate', (r) => fmt(r.counts.nearDuplicate)),
    row('failed', (r) => fmt(r.counts.failed)),
    row('store MB', (r) => fmt(r.storeBytes / 1048576, 1)),
    row('store KB/document', (r) => fmt(r.bytesPerDocument / 1024, 1)),
    row('ANALYZE before queries s', (r) => (r.analyzeSeconds === undefined ? '-' : fmt(r.analyzeSeconds, 2))),
    row('entities / events', (r) => `${fmt(Object.values(r.stats.entities).reduce((a, b) => a + b, 0))} / ${fmt(r.stats.facts.events)}`),
  ];
  const kinds = [...new Set(ran.flatMap((r) => Object.keys(r.queries)))];
  for (const k of kinds) rows.push(row(`${k.includes('.') ? '  ' : ''}${k} ms p50/p95/max`, (r) => (r.queries[k] ? `${fmtMs(r.queries[k].p50)} / ${fmtMs(r.queries[k].p95)} / ${fmtMs(r.queries[k].max)}` : '-')));
  const head = [
    `${NAME}: ${fmt(corpus.docs.length)} documents (${fmt(corpus.words)} words; ${corpus.nearCopies} near-duplicate copies, ${corpus.exactCopies} exact duplicates made) from ${fmt(corpus.sentences)} GMB sentences`,
    extraction.reused
      ? `extraction: reused ${extraction.file} (made ${extraction.madeAt}); stored with putDocuments(), ${STORE_BATCH} a transaction (reading and parsing the file not timed; no ingest/extraction ratio)`
      : `extraction: ${fmt(extraction.documentsPerSecond, 1)} documents/s, ${fmt(extraction.wordsPerSecond)} words/s (${fmt(extraction.seconds, 1)} s)`,
    `queries: ${o.queries} per kind after ${WARMUP} warm-up calls, one at a time`,
  ];
  const notes = names.flatMap((n) => {
    const r = results[n];
    if ('skipped' in r || r.autovacuum !== false) return [];
    return [`${n}: autovacuum is off on this server; ${r.analyzedDuringWrites ? 'ANALYZE was run every minute during the writes in its stead' : 'no ANALYZE during the writes (--no-analyze)'}`];
  });
  const errors = names.flatMap((n) => {
    const r = results[n];
    return 'skipped' in r ? [] : Object.entries(r.queries).filter(([k, q]) => q.errors && !k.includes('.')).map(([k, q]) => `${n} ${k}: ${q.errors} errors, e.g. ${q.firstError}`);
  });
  return [...head, ...skipped, ...notes, ...(ran.length ? ['', table(rows)] : []), ...errors].join('\n');
}

function machine() {
  const cpu = cpus();
  return { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, platform: platform(), release: release(), memoryGB: round(totalmem() / 1024 ** 3, 1) };
}

// ---- main ---------------------------------------------------------------------------------------

async function main() {
  const o = parseOptions(process.argv.slice(2));
  if (!hasGmb()) {
    console.log(`${NAME}: skipped: ${GMB_ZIP} is absent (the GMB corpus in ../shared/corpora makes the documents)`);
    return;
  }
  mkdirSync(o.out, { recursive: true });
  noteLoad();
  const corpus = makeCorpus(o.docs);
  log(`${corpus.docs.length} documents, ${corpus.words} words (built in ${corpus.buildSeconds.toFixed(1)} s)`);
  const saved = o.reuse ? savedExtractions(o, corpus) : undefined;
  if (o.reuse && !saved) log(`no saved extractions for these ${o.docs} documents in ${o.out}: extracting them once`);
  // The pipeline (its knowledge base) is loaded only when something is to be extracted.
  const t0 = performance.now();
  const pipeline = saved ? undefined : createPipeline();
  const pipelineFigures = pipeline ? { loadSeconds: round(seconds(t0), 2), stages: pipeline.stageNames } : { stages: saved!.stages };
  const extraction: ExtractionFigures = saved ? { file: extractionFile(o), reused: true, madeAt: saved.madeAt } : extractAll(pipeline!, corpus, extractionFile(o));
  noteMemory();
  const results: Record<string, BackendFigures> = {};
  for (const b of o.backends) results[b] = await runBackend(b, o, corpus, pipeline, extraction);
  console.log(report(o, corpus, extraction, results));
  const file = join(o.out, `ingest-${o.docs}.json`);
  const { docs: _docs, ...corpusFigures } = corpus;
  noteLoad();
  const load = { min: Math.min(...loads), max: Math.max(...loads), samples: loads.length };
  if (load.max > cpus().length) console.log(`note: the load average reached ${load.max} on ${cpus().length} cores: other work competed for the CPU, so the figures are pessimistic and noisy`);
  const json = {
    bench: 'ingest',
    date: new Date().toISOString(),
    machine: { ...machine(), loadAverage: load },
    node: process.version,
    options: { ...o, warmupCalls: WARMUP, pipelineWarmupDocuments: PIPELINE_WARMUP, seed: DEFAULT_SEED },
    corpus: corpusFigures,
    pipeline: pipelineFigures,
    extraction,
    backends: results,
    peakRssMB: Math.round(peakRss / 1048576),
  };
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nwritten: ${file}`);
}

main().catch((e) => {
  console.error(`${NAME}: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
