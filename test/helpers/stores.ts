// Stores for tests: a fresh SQLite file, and a fresh schema in the local PostgreSQL
// (FAULTLINE_TEST_PG, default postgres://postgres@127.0.0.1:5432/test). Where no PostgreSQL
// answers, PG_SKIP says so and the PostgreSQL tests skip with that message.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.js';

export const PG_URL = process.env.FAULTLINE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';

async function pgAnswers(): Promise<string | false> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return false;
  } catch (e) {
    return `no PostgreSQL answers at ${PG_URL} (${(e as Error).message}); set FAULTLINE_TEST_PG or start the server`;
  } finally {
    await client.end().catch(() => {});
  }
}

export const PG_SKIP: string | false = await pgAnswers();

let n = 0;
/** A schema name unique to this process and call. */
export function freshSchema(): string {
  return `t_${process.pid}_${Date.now().toString(36)}_${n++}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export type TestStore = { store: Store; target: string; cleanup(): Promise<void> };

export function sqliteTarget(): { target: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-store-'));
  return { target: join(dir, 'test.db'), dir };
}

export function pgTarget(): { target: string; schema: string } {
  const schema = freshSchema();
  return { target: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`, schema };
}

export async function makeStore(backend: 'sqlite' | 'postgres', clock?: () => string): Promise<TestStore> {
  if (backend === 'sqlite') {
    const { target, dir } = sqliteTarget();
    const store = await openStore(target, { clock });
    return { store, target, cleanup: async () => (await store.close().catch(() => {}), rmSync(dir, { recursive: true, force: true })) };
  }
  const { target, schema } = pgTarget();
  const store = await openStore(target, { clock });
  return { store, target, cleanup: async () => (await store.close().catch(() => {}), await dropSchema(schema)) };
}

export const BACKENDS = [
  { backend: 'sqlite' as const, skip: false as string | false },
  { backend: 'postgres' as const, skip: PG_SKIP },
];
