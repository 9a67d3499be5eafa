// One transaction on one connection, the same way on both backends. SQLite takes the write lock
// at the start (BEGIN IMMEDIATE), so two writing processes wait for each other instead of failing
// when a read turns into a write; PostgreSQL uses its default, read committed.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Backend } from './migrations.js';

export async function inTransaction<T>(db: Kysely<Database>, backend: Backend, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(backend === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
    try {
      const out = await work(conn);
      await sql.raw('commit').execute(conn);
      return out;
    } catch (e) {
      await sql.raw('rollback').execute(conn).catch(() => {});
      throw e;
    }
  });
}

/** Rows in slices small enough for either backend's limit on bound parameters. */
export function* chunks<T>(rows: readonly T[], columns: number, maxParams = 30_000): Generator<T[]> {
  const size = Math.max(1, Math.floor(maxParams / Math.max(1, columns)));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
