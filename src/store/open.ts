// Opening a store: a SQLite file (the embedded default) or a PostgreSQL URL, through one Kysely
// query layer; migrations are applied on open. Every way the target can be unusable becomes an
// Error whose message names it and says why (StoreOpenError), never a stack trace for the user.
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import { Migrator } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrationProvider, type Backend } from './migrations.js';

export const DEFAULT_DB = './faultline.db';

export class StoreOpenError extends Error {
  constructor(readonly target: string, reason: string) {
    super(`${target}: ${reason}`);
  }
}

export type OpenedDatabase = { db: Kysely<Database>; backend: Backend; location: string; schema?: string; sqlite?: BetterSqlite3.Database };

/** Called with each query's SQL and time, for profiling (bench/, --debug); never with its parameters. */
export type QueryLogger = (sqlText: string, ms: number) => void;
const logWith = (onQuery?: QueryLogger) => (onQuery ? (e: LogEvent) => onQuery(e.query.sql, e.queryDurationMillis) : undefined);

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The URL without its password, for messages. */
export function redactUrl(target: string): string {
  try {
    const u = new URL(target);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return target;
  }
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function checkSqliteFile(path: string): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory()) throw new StoreOpenError(path, 'is a directory, not a database file');
  if (st.size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    if (head.toString('latin1') !== SQLITE_MAGIC) throw new StoreOpenError(path, 'is not a SQLite database (its first bytes are not "SQLite format 3")');
  } finally {
    closeSync(fd);
  }
}

function openSqlite(path: string, onQuery?: QueryLogger): OpenedDatabase {
  checkSqliteFile(path);
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 30000');
    raw.pragma('cache_size = -262144');
    raw.pragma('mmap_size = 1073741824');
    raw.pragma('wal_autocheckpoint = 20000');
  } catch (e) {
    throw new StoreOpenError(path, `cannot open as a SQLite database: ${(e as Error).message}`);
  }
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }), log: logWith(onQuery) }), backend: 'sqlite', location: path, sqlite: raw };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/i;

/** Creates the schema unless it exists; two processes creating it at once is not an error. */
async function createSchema(client: pg.PoolClient, schema: string) {
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (e) {
    // 23505 / 42P06: another opener created it between the check and the insert into pg_namespace
    if (!['23505', '42P06'].includes((e as { code?: string }).code ?? '')) throw e;
  }
}

async function openPostgres(target: string, onQuery?: QueryLogger): Promise<OpenedDatabase> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new StoreOpenError(redactUrl(target), 'is not a valid PostgreSQL URL (postgres://user@host:port/database)');
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new StoreOpenError(redactUrl(target), `schema "${schema}" is not a plain identifier`);
  url.searchParams.delete('schema');
  // Each connection starts in the schema (a run of the tests, a tenant), so queries name no schema.
  const options = schema ? `-c search_path=${schema}` : undefined;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4, connectionTimeoutMillis: 10_000, options });
  pool.on('error', () => {}); // an idle client's error surfaces on the next query instead of killing the process
  try {
    const client = await pool.connect();
    try {
      if (schema) await createSchema(client, schema);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => {});
    const err = e as NodeJS.ErrnoException;
    throw new StoreOpenError(redactUrl(target), `cannot connect to PostgreSQL: ${err.code === 'ECONNREFUSED' ? 'connection refused (is the server running?)' : err.message}`);
  }
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: logWith(onQuery) }), backend: 'postgres', location: redactUrl(target), schema };
}

/**
 * BEGIN IMMEDIATE without blocking the event loop: better-sqlite3's busy wait is synchronous, so
 * a second store opened in the same process would wait on a lock its own thread holds.
 */
async function beginImmediate(raw: BetterSqlite3.Database, location: string, timeoutMs = 30_000): Promise<void> {
  const saved = raw.pragma('busy_timeout', { simple: true }) as number;
  raw.pragma('busy_timeout = 0');
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        raw.exec('begin immediate');
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw new StoreOpenError(location, `cannot lock the database to migrate it: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } finally {
    raw.pragma(`busy_timeout = ${saved}`);
  }
}

/**
 * Opens (creating where needed) and migrates the store at `target`: a file path or a postgres://
 * URL. In PostgreSQL the migrator locks and runs each migration in a transaction. In SQLite it
 * does neither, so the migrations run inside one BEGIN IMMEDIATE here: a second process opening
 * a new file waits and then finds them done, and a process killed while migrating leaves the file
 * as it was.
 */
export async function openDatabase(target: string = DEFAULT_DB, onQuery?: QueryLogger): Promise<OpenedDatabase> {
  const opened = isPostgresUrl(target) ? await openPostgres(target, onQuery) : openSqlite(target, onQuery);
  const migrator = new Migrator({ db: opened.db as Kysely<any>, provider: migrationProvider(opened.backend), migrationTableSchema: opened.schema });
  if (opened.sqlite) await beginImmediate(opened.sqlite, opened.location);
  const { error, results } = await migrator.migrateToLatest();
  if (opened.sqlite) opened.sqlite.exec(error ? 'rollback' : 'commit');
  if (error) {
    await opened.db.destroy().catch(() => {});
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new StoreOpenError(opened.location, `migration ${failed ?? ''} failed: ${(error as Error).message}`);
  }
  if (opened.backend === 'sqlite') await sql`pragma optimize`.execute(opened.db).catch(() => {});
  return opened;
}
