// Versioned migrations, one list for both backends, applied on open by Kysely's migrator (which
// records them in its own table and locks against a second process migrating at once). Tables
// are written with Kysely's schema builder; only full-text search differs: FTS5 in SQLite, a
// tsvector column with a GIN index in PostgreSQL.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';

export type Backend = 'sqlite' | 'postgres';

/**
 * The condition of a text entity's row, written the same (a literal, never a bound parameter) in
 * the partial index and in the queries that must use it: a planner uses a partial index only
 * where the query's condition is the index's own.
 */
export const textEntity = () => sql<SqlBool>`own_id like 'x:%'`;

/** The most text a document contributes to PostgreSQL's full-text index (tsvector has a 1 MB cap). */
export const PG_FTS_CHARS = 400_000;

function initial(backend: Backend): Migration {
  // Tables keyed by their columns need no separate rowid b-tree in SQLite: one b-tree fewer to write per row.
  const compact = <T extends { modifyEnd(n: ReturnType<typeof sql>): T }>(b: T): T => (backend === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b);
  return {
    async up(db: Kysely<any>) {
      const real = backend === 'postgres' ? 'double precision' : 'real';
      await db.schema
        .createTable('documents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('content_hash', 'text', (c) => c.notNull().unique())
        .addColumn('external_id', 'text')
        .addColumn('title', 'text')
        .addColumn('published', 'text')
        .addColumn('source', 'text')
        .addColumn('url', 'text')
        .addColumn('chars', 'integer', (c) => c.notNull())
        .addColumn('words', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('extraction', sql.raw(backend === 'postgres' ? 'bytea' : 'blob'), (c) => c.notNull())
        .addColumn('minhash', 'text', (c) => c.notNull())
        .addColumn('near_dup_of', 'text')
        .addColumn('near_dup_similarity', sql.raw(real))
        .addColumn('story_id', 'text', (c) => c.notNull())
        .addColumn('ingested_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('documents_published').on('documents').column('published').execute();
      await db.schema.createIndex('documents_story').on('documents').column('story_id').execute();

      await db.schema
        .createTable('document_sources')
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('source_key', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('url', 'text')
        .addColumn('external_id', 'text')
        .addPrimaryKeyConstraint('document_sources_pk', ['doc_id', 'source_key'])
        .$call(compact)
        .execute();

      await db.schema
        .createTable('document_bands')
        .addColumn('band', 'text', (c) => c.notNull())
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_bands_pk', ['band', 'doc_id'])
        .$call(compact)
        .execute();

      await db.schema
        .createTable('entities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('kind', 'text')
        .addColumn('kb', 'text')
        .addColumn('country', 'text')
        .addColumn('lat', sql.raw(real))
        .addColumn('lon', sql.raw(real))
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('entities_lat').on('entities').columns(['lat', 'lon']).execute();

      await db.schema
        .createTable('doc_entities')
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('local_id', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('own_id', 'text', (c) => c.notNull())
        .addColumn('story_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('kind', 'text')
        .addColumn('country', 'text')
        .addColumn('roles', 'text')
        .addColumn('aliases', 'text', (c) => c.notNull())
        .addColumn('mentions', 'integer', (c) => c.notNull())
        .addColumn('linked_why', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('doc_entities_pk', ['doc_id', 'local_id'])
        .$call(compact)
        .execute();
      // An entity's stories counted from the index alone, and its documents found from it.
      await db.schema.createIndex('doc_entities_entity').on('doc_entities').columns(['entity_id', 'story_id', 'doc_id']).execute();
      // Earlier identities of a name the knowledge base does not know: only text entities, which
      // are the only ones ever looked up by name here (knowledge-base names are in entity_aliases).
      await db.schema
        .createIndex('doc_entities_text_name')
        .on('doc_entities')
        .columns(['name_key', 'type', 'entity_id'])
        .where(textEntity())
        .execute();

      await db.schema
        .createTable('doc_entity_names')
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('local_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('doc_entity_names_pk', ['name_key', 'doc_id', 'local_id'])
        .$call(compact)
        .execute();

      await db.schema
        .createTable('entity_aliases')
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('entity_aliases_pk', ['name_key', 'entity_id'])
        .$call(compact)
        .execute();

      await db.schema
        .createTable('relations')
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('source_local', 'text', (c) => c.notNull())
        .addColumn('target_local', 'text', (c) => c.notNull())
        .addColumn('since', 'text')
        .addColumn('until', 'text')
        .addColumn('confidence', sql.raw(real), (c) => c.notNull())
        .addColumn('rule', 'text')
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('evidence_text', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('relations_pk', ['doc_id', 'id'])
        .$call(compact)
        .execute();
      await db.schema.createIndex('relations_source').on('relations').columns(['doc_id', 'source_local']).execute();
      await db.schema.createIndex('relations_target').on('relations').columns(['doc_id', 'target_local']).execute();

      await db.schema
        .createTable('events')
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('mode', 'text')
        .addColumn('modality', 'text', (c) => c.notNull())
        .addColumn('contexts', 'text')
        .addColumn('location_local', 'text')
        .addColumn('time_text', 'text')
        .addColumn('time_start', 'text')
        .addColumn('time_end', 'text')
        .addColumn('date_lo', 'text')
        .addColumn('date_hi', 'text')
        .addColumn('date_basis', 'text')
        .addColumn('quantities', 'text')
        .addColumn('confidence', sql.raw(real), (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('evidence_text', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['doc_id', 'id'])
        .$call(compact)
        .execute();
      await db.schema.createIndex('events_date').on('events').columns(['date_lo', 'date_hi']).execute();
      await db.schema.createIndex('events_type').on('events').columns(['type', 'date_lo']).execute();
      await db.schema.createIndex('events_location').on('events').columns(['doc_id', 'location_local']).execute();

      await db.schema
        .createTable('event_participants')
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('local_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('event_participants_pk', ['doc_id', 'event_id', 'local_id', 'role'])
        .$call(compact)
        .execute();
      await db.schema.createIndex('event_participants_entity').on('event_participants').columns(['doc_id', 'local_id']).execute();

      await db.schema
        .createTable('quotes')
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('speaker_local', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('start_offset', 'integer', (c) => c.notNull())
        .addColumn('end_offset', 'integer', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('quotes_pk', ['doc_id', 'id'])
        .$call(compact)
        .execute();
      await db.schema.createIndex('quotes_speaker').on('quotes').columns(['doc_id', 'speaker_local']).execute();

      await db.schema
        .createTable('quote_mentions')
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('quote_id', 'text', (c) => c.notNull())
        .addColumn('local_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('quote_mentions_pk', ['doc_id', 'local_id', 'quote_id'])
        .$call(compact)
        .execute();

      await db.schema
        .createTable('claims')
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('subject_local', 'text')
        .addColumn('property', 'text')
        .addColumn('value', sql.raw(real))
        .addColumn('min', sql.raw(real))
        .addColumn('max', sql.raw(real))
        .addColumn('unit', 'text')
        .addColumn('approximate', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('source_local', 'text')
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('evidence_text', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('claims_pk', ['doc_id', 'id'])
        .$call(compact)
        .execute();
      await db.schema.createIndex('claims_subject').on('claims').columns(['doc_id', 'subject_local']).execute();
      await db.schema.createIndex('claims_property').on('claims').columns(['property']).execute();

      await db.schema
        .createTable('merges')
        .addColumn('id', backend === 'postgres' ? 'serial' : 'integer', (c) => (backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('from_entity', 'text', (c) => c.notNull())
        .addColumn('into_entity', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('undone_at', 'text')
        .execute();
      await db.schema.createIndex('merges_into').on('merges').columns(['into_entity']).execute();
      await db.schema.createIndex('merges_from').on('merges').columns(['from_entity']).execute();

      await db.schema
        .createTable('merge_moves')
        .addColumn('merge_id', 'integer', (c) => c.notNull())
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('local_id', 'text', (c) => c.notNull())
        .addColumn('from_entity', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('merge_moves_pk', ['merge_id', 'doc_id', 'local_id'])
        .$call(compact)
        .execute();

      if (backend === 'sqlite') {
        // External-content FTS5 over the documents' rowid: the text is stored once, in documents.
        await sql`create virtual table documents_fts using fts5(title, text, content='documents', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
        await sql`create virtual table entities_fts using fts5(name, entity_id unindexed, tokenize='unicode61 remove_diacritics 2')`.execute(db);
      } else {
        await sql`alter table documents add column tsv tsvector generated always as (
          setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
          setweight(to_tsvector('english', left(text, ${sql.lit(PG_FTS_CHARS)})), 'B')) stored`.execute(db);
        await sql`create index documents_tsv on documents using gin (tsv)`.execute(db);
        await sql`create index entities_name_tsv on entities using gin (to_tsvector('simple', name))`.execute(db);
        await sql`create index entity_aliases_tsv on entity_aliases using gin (to_tsvector('simple', name_key))`.execute(db);
      }
    },
  };
}

export function migrationProvider(backend: Backend): MigrationProvider {
  return {
    async getMigrations() {
      return { '0001_initial': initial(backend) };
    },
  };
}
