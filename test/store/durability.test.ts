// The store under stress, through the real CLI on both backends: an ingest killed in the middle
// of a batch leaves only whole documents and finishes on a rerun; ingesting the same batch twice
// changes nothing; two ingests at once store each text and each entity once; readers keep
// answering while an ingest writes; two openers of a new store at once both succeed; and a bad
// --db target fails with a message naming it.
// The batch is generated below: varied reports, no two of them near-duplicates. Each test
// checks the store itself, through a plain connection of its own (raw SQL, no Kysely).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.js';
import { BACKENDS, PG_URL, dropSchema, pgTarget, sqliteTarget } from '../helpers/stores.js';
import { CLI, ROOT } from '../helpers/paths.js';

// ---- a batch of short, distinct conflict reports -------------------------------------------

type Doc = { id: string; text: string; published: string; source: string };

type Theatre = { group: string; force: string; country: string; region: string; towns: string[]; capital: string };

const THEATRES: Theatre[] = [
  { group: 'al-Shabaab', force: 'Somali National Army', country: 'Somali', region: 'Lower Shabelle', towns: ['Afgoye', 'Marka', 'Wanlaweyn', 'Baraawe', 'Qoryooley'], capital: 'Mogadishu' },
  { group: "Jama'at Nusrat al-Islam wal-Muslimin", force: 'Malian army', country: 'Malian', region: 'Mopti region', towns: ['Djenne', 'Sevare', 'Bandiagara', 'Douentza', 'Boni'], capital: 'Bamako' },
  { group: 'Boko Haram', force: 'Nigerian army', country: 'Nigerian', region: 'Borno State', towns: ['Bama', 'Gwoza', 'Monguno', 'Dikwa', 'Konduga'], capital: 'Abuja' },
  { group: 'Islamic State Khorasan Province', force: 'Taliban security forces', country: 'Afghan', region: 'Nangarhar province', towns: ['Jalalabad', 'Achin', 'Khogyani', 'Spin Ghar', 'Kama'], capital: 'Kabul' },
  { group: 'M23', force: 'Congolese army', country: 'Congolese', region: 'North Kivu', towns: ['Rutshuru', 'Sake', 'Kitshanga', 'Kiwanja', 'Masisi'], capital: 'Kinshasa' },
  { group: 'Houthis', force: 'Yemeni government forces', country: 'Yemeni', region: 'Marib province', towns: ['Marib', 'Sirwah', 'Harib', 'Raghwan', 'Majzar'], capital: 'Aden' },
  { group: 'Hayat Tahrir al-Sham', force: 'Syrian army', country: 'Syrian', region: 'Idlib province', towns: ['Saraqib', 'Ariha', 'Jisr al-Shughur', 'Kafr Nabl', 'Sarmin'], capital: 'Damascus' },
  { group: 'Rapid Support Forces', force: 'Sudanese Armed Forces', country: 'Sudanese', region: 'North Darfur', towns: ['El Fasher', 'Kutum', 'Mellit', 'Tawila', 'Kabkabiya'], capital: 'Khartoum' },
  { group: 'Ansarul Islam', force: 'Burkinabe army', country: 'Burkinabe', region: 'Sahel region', towns: ['Djibo', 'Dori', 'Arbinda', 'Gorom-Gorom', 'Sebba'], capital: 'Ouagadougou' },
  { group: 'Islamic State Mozambique Province', force: 'Mozambican forces', country: 'Mozambican', region: 'Cabo Delgado', towns: ['Palma', 'Macomia', 'Mocimboa da Praia', 'Muidumbe', 'Quissanga'], capital: 'Maputo' },
];

const FIRST = ['Abdi', 'Moussa', 'Ibrahim', 'Hamid', 'Jean-Pierre', 'Yahya', 'Khaled', 'Osman', 'Souleymane', 'Armando', 'Farah', 'Idrissa', 'Musa', 'Karim', 'Patrick'];
const LAST = ['Warsame', 'Coulibaly', 'Abubakar', 'Stanikzai', 'Mbala', 'Saree', 'Haddad', 'Bashir', 'Ouedraogo', 'Nhaca', 'Guled', 'Diallo', 'Bello', 'Rahimi', 'Kabeya'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const TARGETS = ['an army base', 'a police checkpoint', 'a military convoy', 'a market', 'a displacement camp', 'a border post', 'a mosque', 'a fuel depot', 'a village', 'a supply column', 'a district office'];
const WEAPONS = ['mortar shells', 'drones', 'a car bomb', 'rocket-propelled grenades', 'heavy machine guns', 'roadside bombs', 'artillery'];
const WHO = ['soldiers', 'civilians', 'police officers', 'militiamen', 'villagers', 'traders', 'guards'];

const pick = <T>(xs: readonly T[], i: number) => xs[((i % xs.length) + xs.length) % xs.length];

type Slot = (t: Theatre, i: number) => string;

const TITLES: Slot[] = [
  (t, i) => `${t.group} fighters attack ${pick(TARGETS, i).replace(/^an? /, '')} near ${pick(t.towns, i)}`,
  (t, i) => `${7 + i} killed as fighting spreads to ${pick(t.towns, i + 2)}`,
  (t, i) => `${t.force} says it repelled assault in ${t.region}`,
  (t, i) => `Residents flee ${pick(t.towns, i + 1)} after overnight clashes`,
  (t, i) => `Strike hits ${pick(TARGETS, i + 3).replace(/^an? /, '')} outside ${pick(t.towns, i + 4)}`,
];

const LEDES: Slot[] = [
  (t, i) => `${t.group} fighters attacked ${pick(TARGETS, i)} near ${pick(t.towns, i)} in ${t.region} on ${pick(DAYS, i)}, killing ${7 + i} ${pick(WHO, i)} and wounding ${3 + 2 * i} others, ${t.country} officials said.`,
  (t, i) => `At least ${11 + i} ${pick(WHO, i + 1)} died when gunmen stormed ${pick(t.towns, i + 2)} early on ${pick(DAYS, i + 3)}, and the ${t.force} blamed ${t.group} for the raid.`,
  (t, i) => `The ${t.force} said on ${pick(DAYS, i + 1)} that its troops had pushed back a dawn assault by ${t.group} on ${pick(TARGETS, i + 2)} outside ${pick(t.towns, i + 3)}, losing ${2 + (i % 9)} men.`,
  (t, i) => `Hundreds of families left ${pick(t.towns, i + 1)} after ${t.group} and the ${t.force} fought through the night with ${pick(WEAPONS, i)}, aid workers in ${t.region} reported.`,
  (t, i) => `An air strike destroyed ${pick(TARGETS, i + 3)} outside ${pick(t.towns, i + 4)} on ${pick(DAYS, i + 5)}; a local official counted ${4 + i} bodies and accused the ${t.force} of hitting civilians.`,
  (t, i) => `${t.group} seized ${pick(t.towns, i)} on ${pick(DAYS, i + 2)} after a two-day battle in which ${9 + i} ${pick(WHO, i + 4)} were killed, according to hospital staff in ${t.capital}.`,
];

const DETAILS: Slot[] = [
  (t, i) => `Witnesses described ${pick(WEAPONS, i + 1)} falling on the road to ${pick(t.towns, i + 3)} for ${2 + (i % 5)} hours.`,
  (t, i) => `The ${t.force} sent ${20 + 5 * i} reinforcements from ${t.capital} by road, a security source told reporters.`,
  (t, i) => `Telephone lines to ${pick(t.towns, i + 4)} were cut and ${300 + 40 * i} people crossed into neighbouring districts, the UN refugee agency said.`,
  (t, i) => `It was the ${pick(['second', 'third', 'fourth', 'fifth'], i)} such raid in ${t.region} since ${pick(['January', 'March', 'May', 'August', 'October'], i + 1)}.`,
  (t, i) => `Doctors at the hospital in ${pick(t.towns, i + 1)} said they had run out of blood and were treating ${12 + i} patients on the floor.`,
  (t, i) => `Local elders in ${pick(t.towns, i + 2)} said the attackers arrived on ${10 + i} motorcycles and burned ${pick(['shops', 'granaries', 'vehicles', 'houses'], i)} before leaving.`,
  (t, i) => `Nobody claimed the attack on ${pick(t.towns, i + 3)}, but ${t.group} had threatened the area in a statement ${2 + (i % 6)} weeks ago.`,
];

const QUOTES: Slot[] = [
  (t, i) => `"We will not let ${t.group} take ${pick(t.towns, i)}," said ${pick(FIRST, i)} ${pick(LAST, i + 3)}, a spokesman for the ${t.force}.`,
  (t, i) => `"The situation in ${pick(t.towns, i + 1)} is very bad, there is no food and no water," ${pick(FIRST, i + 2)} ${pick(LAST, i + 5)}, a resident, told reporters by phone.`,
  (t, i) => `${pick(FIRST, i + 4)} ${pick(LAST, i + 1)}, the governor of ${t.region}, said: "Our forces are in control and the roads to ${pick(t.towns, i + 2)} are open again."`,
  (t, i) => `"They came at night and shot at everyone," said ${pick(FIRST, i + 6)} ${pick(LAST, i + 7)}, who escaped from ${pick(t.towns, i + 3)} with ${3 + (i % 4)} children.`,
  (t, i) => `A ${t.group} commander, ${pick(FIRST, i + 8)} ${pick(LAST, i + 9)}, said in an audio message that "the fight for ${pick(t.towns, i + 4)} has only begun".`,
];

const CLAIMS: Slot[] = [
  (t, i) => `${t.group} has about ${1000 + 250 * i} fighters in ${t.region}, according to UN monitors.`,
  (t, i) => `The ${t.force} estimates that ${t.group} lost ${30 + i} fighters in ${pick(['June', 'July', 'September', 'November'], i)} alone.`,
  (t, i) => `More than ${(20 + i) * 1000} people have been displaced in ${t.region} this year, the International Organization for Migration says.`,
  (t, i) => `Officials in ${t.capital} say the conflict has killed at least ${400 + 37 * i} people since the start of the year.`,
];

/** Document i: a title and four sentences, each slot chosen by a different step so no two share a plan. */
function makeDoc(i: number): Doc {
  const t = THEATRES[i % THEATRES.length];
  const title = pick(TITLES, i * 3 + 1)(t, i);
  const body = [pick(LEDES, i * 5 + 2)(t, i), pick(DETAILS, i * 3)(t, i), pick(QUOTES, i * 2 + Math.floor(i / 10))(t, i), pick(CLAIMS, i + Math.floor(i / 10))(t, i)];
  const day = String(1 + (i % 28)).padStart(2, '0');
  return { id: `report-${i}`, text: `${title}\n\n${body.join(' ')}`, published: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${day}`, source: `wire/report-${i}.txt` };
}

const DOCS: Doc[] = Array.from({ length: 100 }, (_, i) => makeDoc(i));
/** The batch the crash test kills and completes (and the rerun test ingests again). */
const CRASH_BATCH = 60;

function writeJsonl(path: string, docs: readonly Doc[]): string {
  writeFileSync(path, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  return path;
}

// ---- running the CLI -------------------------------------------------------------------------

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number };

/**
 * One extraction worker: the ingest still extracts in a worker thread while its main thread
 * writes (the default's design), but loads the knowledge base once, not once per core.
 */
// A few documents a transaction, so a batch of dozens spans several commits to crash between and read around.
const INGEST_OPTIONS = ['--workers', '1', '--batch', '8'];

/** The longest a CLI run may take before it is killed and the test fails saying so. */
const RUN_LIMIT_MS = 60_000;

/**
 * Starts `faultline ingest FILE --db TARGET`; `done` settles when it exits. A run still going
 * after RUN_LIMIT_MS is killed, and `done` rejects naming it with what it printed.
 */
function startIngest(file: string, target: string): { child: ChildProcess; done: Promise<Run> } {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'ingest', file, '--db', target, ...INGEST_OPTIONS], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, RUN_LIMIT_MS);
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`faultline ingest ${file} --db ${target} did not finish within ${RUN_LIMIT_MS / 1000} s; it printed: ${stderr}${stdout}`));
      else resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
  return { child, done };
}

/** Kills a child that a failed test left running. */
function stop(child: ChildProcess | undefined) {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

async function ingestAll(file: string, target: string): Promise<Run> {
  return startIngest(file, target).done;
}

type Summary = { ingested: number; duplicate: number; nearDuplicate: number; failed: number; inputs: number };

function summary(r: Run): Summary {
  const m = /(\d+) ingested, (\d+) duplicate, (\d+) near-duplicate, (\d+) failed \((\d+) inputs/.exec(r.stderr);
  assert.ok(m, `no ingest summary on stderr: ${r.stderr}`);
  const [ingested, duplicate, nearDuplicate, failed, inputs] = m.slice(1).map(Number);
  return { ingested, duplicate, nearDuplicate, failed, inputs };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value, or fails with `what` after `ms`. */
async function waitFor<T>(what: string, ms: number, every: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

// ---- looking at the store directly -----------------------------------------------------------

type Row = Record<string, unknown>;
/** A plain connection to a store, beside the one the CLI uses: raw SQL, no Kysely. */
type Raw = {
  backend: 'sqlite' | 'postgres';
  all(query: string): Promise<Row[]>;
  /** Whether another connection is inside a transaction that has written (or, in SQLite, holds the write lock). */
  writerInTransaction(): Promise<boolean>;
  close(): Promise<void>;
};

async function rawConnection(backend: 'sqlite' | 'postgres', target: string, schema?: string): Promise<Raw> {
  if (backend === 'sqlite') {
    const db = new BetterSqlite3(target, { fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    // A second connection that never waits: BEGIN IMMEDIATE fails at once while a writer holds the lock.
    const probe = new BetterSqlite3(target, { fileMustExist: true, timeout: 0 });
    probe.pragma('busy_timeout = 0');
    return {
      backend,
      all: async (q) => db.prepare(q).all() as Row[],
      writerInTransaction: async () => {
        try {
          probe.exec('begin immediate');
          probe.exec('rollback');
          return false;
        } catch (e) {
          if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
          throw e;
        }
      },
      close: async () => (probe.close(), void db.close()),
    };
  }
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  const all = async (q: string) => (await client.query(q)).rows as Row[];
  return {
    backend,
    all,
    // a transaction that has inserted into documents holds ROW EXCLUSIVE on it until it ends
    writerInTransaction: async () =>
      (
        await all(`select 1 from pg_locks l join pg_class c on c.oid = l.relation join pg_namespace n on n.oid = c.relnamespace
                   where n.nspname = '${schema}' and c.relname = 'documents' and l.mode = 'RowExclusiveLock' and l.pid <> pg_backend_pid()`)
      ).length > 0,
    close: () => client.end(),
  };
}

async function count(raw: Raw, query: string): Promise<number> {
  const rows = await raw.all(query);
  return Number(Object.values(rows[0])[0]);
}

/** The stored extraction: JSON text, or JSON deflated into a blob. */
function storedExtraction(v: unknown): Record<string, unknown[]> {
  if (typeof v === 'string') return JSON.parse(v) as Record<string, unknown[]>;
  const buf = Buffer.from(v as Uint8Array);
  let json: string;
  try {
    json = inflateRawSync(buf).toString('utf8');
  } catch {
    json = buf.toString('utf8');
  }
  return JSON.parse(json) as Record<string, unknown[]>;
}

const FACT_TABLES = [
  ['events', 'events'],
  ['relations', 'relations'],
  ['quotes', 'quotes'],
  ['claims', 'claims'],
  ['doc_entities', 'entities'],
] as const;

/**
 * Every stored document is whole: for each, the rows of its facts in each table are exactly as
 * many as the arrays of its stored extraction, and no table holds facts of a document that is not
 * stored. Returns the number of documents and of facts, so callers can see it was not vacuous.
 */
async function assertWhole(raw: Raw, label: string): Promise<{ documents: number; facts: number }> {
  const docs = (await raw.all('select id, extraction from documents')).map((d) => ({ id: String(d.id), x: storedExtraction(d.extraction) }));
  const problems: string[] = [];
  let facts = 0;
  for (const [table, key] of FACT_TABLES) {
    const counts = new Map((await raw.all(`select doc_id, count(*) as n from ${table} group by doc_id`)).map((r) => [String(r.doc_id), Number(r.n)]));
    for (const d of docs) {
      const want = d.x[key].length;
      const got = counts.get(d.id) ?? 0;
      facts += got;
      if (got !== want) problems.push(`${d.id}: ${got} rows in ${table}, its extraction has ${want} ${key}`);
      counts.delete(d.id);
    }
    for (const [doc, n] of counts) problems.push(`${table} holds ${n} rows of ${doc}, which is not in documents`);
  }
  assert.deepEqual(problems, [], `${label}: half-written documents`);
  return { documents: docs.length, facts };
}

/** Each text once, and each entity row once, with no doc_entity pointing nowhere. */
async function assertNoDuplicates(raw: Raw, label: string) {
  assert.deepEqual(await raw.all('select content_hash, count(*) as n from documents group by content_hash having count(*) > 1'), [], `${label}: a text stored twice`);
  assert.deepEqual(await raw.all('select id, count(*) as n from entities group by id having count(*) > 1'), [], `${label}: an entity row twice`);
  assert.deepEqual(
    await raw.all('select distinct de.entity_id from doc_entities de left join entities e on e.id = de.entity_id where e.id is null'),
    [],
    `${label}: doc_entities pointing at no entity`,
  );
  assert.deepEqual(
    await raw.all('select distinct de.own_id from doc_entities de left join entities e on e.id = de.own_id where e.id is null'),
    [],
    `${label}: doc_entities whose own entity has no row`,
  );
  assert.deepEqual(
    await raw.all("select doc_id, entity_id, count(*) as n from doc_entities where own_id = entity_id and own_id not like 'x:%' group by doc_id, entity_id having count(*) > 1"),
    [],
    `${label}: a knowledge-base entity twice in one document`,
  );
}

/** Every table's rows, counted and hashed in primary-key order, with the ids of documents and entities. */
async function snapshot(raw: Raw, schema?: string) {
  let tables: { name: string; order: string[] }[];
  if (raw.backend === 'sqlite') {
    const names = (await raw.all("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")).map((r) => String(r.name));
    tables = [];
    for (const name of names) {
      const cols = await raw.all(`pragma table_info("${name}")`);
      const pk = cols.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => `"${c.name}"`);
      // virtual tables (FTS5) and their shadow tables without a declared key: by rowid
      tables.push({ name, order: pk.length ? pk : ['rowid'] });
    }
  } else {
    const names = (await raw.all(`select table_name from information_schema.tables where table_schema = '${schema}' and table_type = 'BASE TABLE' order by table_name`)).map((r) => String(r.table_name));
    tables = [];
    for (const name of names) {
      const pk = await raw.all(
        `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
         where i.indrelid = '"${schema}"."${name}"'::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`,
      );
      const cols = await raw.all(`select column_name from information_schema.columns where table_schema = '${schema}' and table_name = '${name}' order by ordinal_position`);
      tables.push({ name, order: (pk.length ? pk.map((r) => r.attname) : cols.map((c) => c.column_name)).map((c) => `"${String(c)}"`) });
    }
  }
  const out: Record<string, { rows: number; sha256: string }> = {};
  for (const t of tables) {
    const rows = await raw.all(`select * from "${t.name}" order by ${t.order.join(', ')}`);
    const h = createHash('sha256');
    for (const r of rows) h.update(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
    out[t.name] = { rows: rows.length, sha256: h.digest('hex') };
  }
  return {
    tables: out,
    documents: (await raw.all('select id from documents order by id')).map((r) => String(r.id)),
    entities: (await raw.all('select id from entities order by id')).map((r) => String(r.id)),
  };
}

// ---- the tests -------------------------------------------------------------------------------

type Target = { target: string; schema?: string; cleanup(): Promise<void> };

function freshTarget(backend: 'sqlite' | 'postgres'): Target {
  if (backend === 'sqlite') {
    const { target, dir } = sqliteTarget();
    return { target, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const { target, schema } = pgTarget();
  return { target, schema, cleanup: () => dropSchema(schema) };
}

/** Creates (migrates) the store at `target` before any child process touches it. */
async function createStore(target: string) {
  const s = await openStore(target);
  await s.close();
}

// The two backends run side by side (each spends most of its time in CLI processes); within
// one backend the tests run one after another.
describe('durability of the store', { concurrency: true }, () => {
  for (const { backend, skip } of BACKENDS) {
    describe(`on ${backend}`, { skip, concurrency: 1 }, () => {
      let dir: string;
      const targets: Target[] = [];
      /** The store the crash test finished: the whole batch of `file`. */
      let completed: { file: string; target: Target; documents: number } | undefined;
      const fresh = () => {
        const t = freshTarget(backend);
        targets.push(t);
        return t;
      };
      before(() => {
        dir = mkdtempSync(join(tmpdir(), 'faultline-durability-'));
      });
      after(async () => {
        for (const t of targets) await t.cleanup().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      });

      test('an ingest killed in the middle of a batch leaves only whole documents; the rerun finishes it', async (ctx) => {
        const docs = DOCS.slice(0, CRASH_BATCH);
        const file = writeJsonl(join(dir, 'crash.jsonl'), docs);
        const t = fresh();
        await createStore(t.target);
        const raw = await rawConnection(backend, t.target, t.schema);
        let child: ChildProcess | undefined;
        try {
          const started = startIngest(file, t.target);
          child = started.child;
          const done = started.done;
          let exited: Run | undefined;
          let broke: Error | undefined;
          done.then((r) => (exited = r), (e: Error) => (broke = e));
          const storedAtKill = await waitFor('5 documents in the store', 30_000, 5, async () => {
            if (broke) throw broke;
            if (exited) throw new Error(`the ingest exited (code ${exited.code}) before it could be killed: ${exited.stderr}`);
            const n = await count(raw, 'select count(*) from documents');
            return n >= 5 ? n : undefined;
          });
          // then kill it at a moment it is writing: the ingest commits several documents a
          // transaction, and the kill waits until one is open
          await waitFor('the ingest to be inside a write transaction after the first documents', 30_000, 1, async () => {
            if (broke) throw broke;
            if (exited) throw new Error(`the ingest exited (code ${exited.code}) before it was seen writing again: ${exited.stderr}`);
            return (await raw.writerInTransaction()) ? true : undefined;
          });
          child.kill('SIGKILL');
          const killed = await done;
          assert.equal(killed.signal, 'SIGKILL', `the ingest was not killed: code ${killed.code}, ${killed.stderr}`);
          const afterKill = await count(raw, 'select count(*) from documents');
          assert.ok(afterKill < docs.length, `the ingest stored all ${docs.length} documents before it was killed: the test did not crash it mid-batch`);
          assert.ok(afterKill >= storedAtKill);
          const whole = await assertWhole(raw, 'after the kill');
          assert.equal(whole.documents, afterKill);
          assert.ok(whole.facts > afterKill, `only ${whole.facts} fact rows for ${afterKill} documents`);
          ctx.diagnostic(`killed inside a write transaction with ${afterKill} of ${docs.length} documents stored, all whole (${whole.facts} fact rows)`);

          const rerun = await ingestAll(file, t.target);
          assert.equal(rerun.code, 0, rerun.stderr);
          const s = summary(rerun);
          assert.deepEqual(s, { ingested: docs.length - afterKill, duplicate: afterKill, nearDuplicate: 0, failed: 0, inputs: docs.length }, rerun.stderr);
          assert.equal(await count(raw, 'select count(*) from documents'), new Set(docs.map((d) => d.text)).size);
          await assertWhole(raw, 'after the rerun');
          await assertNoDuplicates(raw, 'after the rerun');
          completed = { file, target: t, documents: docs.length };
        } finally {
          stop(child);
          await raw.close();
        }
      });

      test('ingesting the same batch again changes nothing, down to the timestamps', async () => {
        // The store the crash test completed holds the whole batch (saving a CLI run); when that
        // test did not get there, the batch is ingested here first.
        let base = completed;
        if (!base) {
          const docs = DOCS.slice(0, CRASH_BATCH);
          const file = writeJsonl(join(dir, 'again.jsonl'), docs);
          const t = fresh();
          const first = await ingestAll(file, t.target);
          assert.equal(first.code, 0, first.stderr);
          assert.deepEqual(summary(first), { ingested: docs.length, duplicate: 0, nearDuplicate: 0, failed: 0, inputs: docs.length }, first.stderr);
          base = { file, target: t, documents: docs.length };
        }
        const { file, target: t, documents } = base;
        const raw = await rawConnection(backend, t.target, t.schema);
        try {
          const before = await snapshot(raw, t.schema);
          assert.equal(before.documents.length, documents);
          assert.ok(before.entities.length > 20, `only ${before.entities.length} entities`);
          assert.ok(before.tables.events.rows > 0 && before.tables.quotes.rows > 0 && before.tables.claims.rows > 0, JSON.stringify(before.tables));
          await sleep(20); // a rewritten timestamp would differ
          const second = await ingestAll(file, t.target);
          assert.equal(second.code, 0, second.stderr);
          assert.deepEqual(summary(second), { ingested: 0, duplicate: documents, nearDuplicate: 0, failed: 0, inputs: documents }, second.stderr);
          const again = await snapshot(raw, t.schema);
          assert.deepEqual(again.documents, before.documents);
          assert.deepEqual(again.entities, before.entities);
          assert.deepEqual(again.tables, before.tables);
        } finally {
          await raw.close();
        }
      });

      test('two ingests at once on overlapping batches store each text and each entity once', async () => {
        // the same five texts in both batches under different ids, first, so both race for them;
        // the overlap 15..29 is met from opposite ends
        const shared = DOCS.slice(45, 50);
        const a = [...shared.map((d, k) => ({ ...d, id: `a-shared-${k}` })), ...DOCS.slice(0, 30)];
        const b = [...shared.map((d, k) => ({ ...d, id: `b-shared-${k}` })), ...DOCS.slice(15, 45).reverse()];
        const fileA = writeJsonl(join(dir, 'batch-a.jsonl'), a);
        const fileB = writeJsonl(join(dir, 'batch-b.jsonl'), b);
        const distinct = new Set([...a, ...b].map((d) => d.text)).size;
        assert.equal(distinct, 50);
        const t = fresh();
        // created first: this is about two writers; two first opens at once are the next test
        await createStore(t.target);
        const [ra, rb] = await Promise.all([ingestAll(fileA, t.target), ingestAll(fileB, t.target)]);
        assert.equal(ra.code, 0, `batch A: ${ra.stderr}`);
        assert.equal(rb.code, 0, `batch B: ${rb.stderr}`);
        const sa = summary(ra);
        const sb = summary(rb);
        assert.equal(sa.failed + sb.failed, 0);
        assert.equal(sa.ingested + sa.nearDuplicate + sb.ingested + sb.nearDuplicate, distinct, `${ra.stderr}\n${rb.stderr}`);
        assert.equal(sa.duplicate + sb.duplicate, a.length + b.length - distinct, `${ra.stderr}\n${rb.stderr}`);
        const raw = await rawConnection(backend, t.target, t.schema);
        try {
          assert.equal(await count(raw, 'select count(*) from documents'), distinct);
          await assertNoDuplicates(raw, 'after two ingests at once');
          await assertWhole(raw, 'after two ingests at once');
          // each shared text keeps both of its sources
          const sources = await raw.all("select external_id from document_sources where external_id like '%-shared-%' order by external_id");
          assert.deepEqual(
            sources.map((r) => r.external_id),
            [...shared.map((_, k) => `a-shared-${k}`), ...shared.map((_, k) => `b-shared-${k}`)],
          );
        } finally {
          await raw.close();
        }
      });

      test(
        'two openers of a new store at the same moment both succeed',
        async () => {
          const t = fresh();
          const opened = await Promise.allSettled([openStore(t.target), openStore(t.target)]);
          for (const o of opened) if (o.status === 'fulfilled') await o.value.close();
          assert.deepEqual(
            opened.map((o) => (o.status === 'fulfilled' ? 'opened' : (o.reason as Error).message)),
            ['opened', 'opened'],
          );
        },
      );

      test('readers keep answering while an ingest writes', async (ctx) => {
        // a hundred documents: several commits (the ingest writes a few dozen a transaction), each long enough to read around
        const docs = DOCS.slice(0, 100);
        const file = writeJsonl(join(dir, 'read.jsonl'), docs);
        const t = fresh();
        const store: Store = await openStore(t.target);
        let child: ChildProcess | undefined;
        try {
          const started = startIngest(file, t.target);
          child = started.child;
          const done = started.done;
          let exited: Run | undefined;
          let broke: Error | undefined;
          done.then((r) => (exited = r), (e: Error) => (broke = e));
          const reads: { at: number; documents: number; hits: number; ms: number }[] = [];
          const t0 = performance.now();
          const errors: string[] = [];
          const deadline = performance.now() + RUN_LIMIT_MS + 5_000;
          while (!exited && !broke && performance.now() < deadline) {
            try {
              const started = performance.now();
              const s = await store.stats();
              const hits = await store.search('attack');
              reads.push({ at: Math.round(started - t0), documents: s.documents, hits: hits.total, ms: Math.round(performance.now() - started) });
            } catch (e) {
              errors.push((e as Error).message);
            }
            await sleep(50);
          }
          if (broke) throw broke;
          assert.ok(exited, `the ingest did not finish within ${RUN_LIMIT_MS / 1000} s`);
          assert.equal(exited.code, 0, exited.stderr);
          assert.deepEqual(errors, [], 'reads failed during the ingest');
          for (let k = 1; k < reads.length; k++) assert.ok(reads[k].documents >= reads[k - 1].documents, `the document count went down: ${JSON.stringify(reads)}`);
          assert.ok(reads.length >= 5, `only ${reads.length} reads during the ingest`);
          const during = reads.filter((r) => r.documents > 0 && r.documents < docs.length);
          assert.ok(during.length >= 1, `no read saw the batch half-stored (the ingest took ${Math.round(exited.ms)} ms): ${JSON.stringify(reads.map((r) => [r.at, r.documents, r.ms]))}`);
          ctx.diagnostic(`${reads.length} reads during the ingest, ${during.length} of them while it was writing; documents seen: ${[...new Set(reads.map((r) => r.documents))].join(', ')}; slowest read ${Math.round(Math.max(...reads.map((r) => r.ms)))} ms`);
          const final = await store.stats();
          assert.equal(final.documents, docs.length);
          assert.ok((await store.search('attack')).total > 0);
        } finally {
          stop(child);
          await store.close();
        }
      });
    });
  }
});

// Bad targets, after the rest: spawnSync holds this process's event loop, which would starve the
// polling of the tests above if it ran beside them. None of them needs a server.
describe('a bad --db target fails at once with a message naming it', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-durability-'));
    writeJsonl(join(dir, 'two.jsonl'), DOCS.slice(0, 2));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (target: string) => {
    const started = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'ingest', join(dir, 'two.jsonl'), '--db', target], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    return { ...r, ms: performance.now() - started };
  };

  test('sqlite: a text file is named, said not to be a database, and left as it was', () => {
    const bad = join(dir, 'notes.txt');
    const content = Buffer.from('These are notes, not a database.\nLine two.\n');
    writeFileSync(bad, content);
    const beside = readdirSync(dir).sort();
    const r = cli(bad);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.stderr.includes(bad), r.stderr);
    assert.match(r.stderr, /is not a SQLite database/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace');
    assert.deepEqual(readFileSync(bad), content, 'the text file was written to');
    assert.deepEqual(readdirSync(dir).sort(), beside, 'files appeared beside the text file (a journal, a WAL)');
  });

  test('sqlite: a directory is named and said to be one', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const r = cli(folder);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.stderr.includes(folder), r.stderr);
    assert.match(r.stderr, /is a directory/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace');
    assert.deepEqual(readdirSync(folder), []);
  });

  test('postgres: a port nobody listens on is named and said to refuse, within seconds', () => {
    const url = 'postgres://postgres@127.0.0.1:1/test';
    const r = cli(url);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.stderr.includes(url), r.stderr);
    assert.match(r.stderr, /connection refused/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace');
    assert.ok(r.ms < 8000, `took ${Math.round(r.ms)} ms`);
  });
});
