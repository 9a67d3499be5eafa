// The store: one interface over SQLite and PostgreSQL, for the CLI, the library, the HTTP API and
// the exports alike. Writes go through putDocument (one document, one transaction); questions
// come back as the schemas of src/model/store.ts.
import { sql } from 'kysely';
import type { Extraction } from '../model/contract.js';
import type { Contradiction, Dossier, EventFilter, Graph, Merge, SearchHit, Stats, StoredClaim, StoredEvent, DocumentRef } from '../model/store.js';
import { openDatabase, DEFAULT_DB, type OpenedDatabase, type QueryLogger } from './open.js';
import type { Backend } from './migrations.js';
import { inTransaction } from './transaction.js';
import { decodeExtraction } from './extraction-codec.js';
import { writeDocument, documentId, ContextCache, type PutOutcome, type StoredDocumentInput } from './write-document.js';
import { findEntities, type EntityMatch } from './queries/find-entity.js';
import { dossier } from './queries/dossier.js';
import { placesNear, queryEvents } from './queries/events.js';
import { egoGraph, type GraphOptions } from './queries/graph.js';
import { claimsAbout, contradictions, publicClaim } from './queries/claims.js';
import { searchDocuments, type SearchOptions } from './queries/search.js';
import { stats } from './queries/stats.js';
import { documentRef } from './queries/refs.js';
import { IdentityError, listMerges, mergeEntities, splitEntity, undoMerge } from './queries/merges.js';

export { DEFAULT_DB, documentId, IdentityError };
export type { PutOutcome, StoredDocumentInput, EntityMatch };

/** A question named something the store does not hold (an entity, a place, a document). */
export class NotFoundError extends Error {}

export type StoredDocument = DocumentRef & { text: string; extraction: Extraction; nearDuplicateOf?: string; sources: { source?: string; url?: string; externalId?: string }[] };

export interface Store {
  readonly backend: Backend;
  /** The file path, or the URL without its password. */
  readonly location: string;
  /** The id of the document with exactly this text, if stored. */
  findText(text: string): Promise<string | undefined>;
  /** Records another place the same text came from (an exact duplicate); no change when known. */
  addSource(text: string, doc: StoredDocumentInput): Promise<string | undefined>;
  putDocument(doc: StoredDocumentInput, extraction: Extraction): Promise<PutOutcome>;
  /**
   * Several documents in one transaction (each whole, as with putDocument, and all or none of
   * them): what a batch ingest does to spend one commit on many documents.
   */
  putDocuments(items: readonly { doc: StoredDocumentInput; extraction: Extraction }[]): Promise<PutOutcome[]>;
  document(id: string): Promise<StoredDocument | undefined>;
  documents(options?: { limit?: number; offset?: number; from?: string; to?: string }): Promise<{ total: number; items: DocumentRef[] }>;
  search(query: string, options?: SearchOptions): Promise<{ total: number; items: SearchHit[] }>;
  findEntities(query: string): Promise<EntityMatch[]>;
  dossier(nameOrId: string): Promise<Dossier>;
  events(filter?: EventFilter): Promise<{ total: number; items: StoredEvent[] }>;
  graph(nameOrId: string, options?: GraphOptions): Promise<Graph>;
  claims(nameOrId: string, property?: string): Promise<StoredClaim[]>;
  contradictions(options?: { property?: string; limit?: number }): Promise<Contradiction[]>;
  stats(): Promise<Stats>;
  merge(from: string, into: string, reason: string): Promise<number>;
  split(entity: string, documentId: string, reason: string): Promise<number>;
  undo(mergeId: number): Promise<void>;
  merges(entity?: string): Promise<Merge[]>;
  /** Refreshes the query planner's statistics: worth it after a large ingest. */
  optimize(): Promise<void>;
  close(): Promise<void>;
}

const TABLES = [
  'documents', 'document_sources', 'document_bands', 'entities', 'doc_entities', 'doc_entity_names', 'entity_aliases',
  'relations', 'events', 'event_participants', 'quotes', 'quote_mentions', 'claims', 'merges', 'merge_moves',
] as const;

class KyselyStore implements Store {
  readonly backend: Backend;
  readonly location: string;
  private readonly contexts = new ContextCache();
  constructor(private readonly opened: OpenedDatabase, private readonly clock: () => string) {
    this.backend = opened.backend;
    this.location = opened.location;
  }
  private get db() {
    return this.opened.db;
  }

  async findText(text: string) {
    const row = await this.db.selectFrom('documents').select('id').where('id', '=', documentId(text)).executeTakeFirst();
    return row?.id;
  }

  async addSource(text: string, doc: StoredDocumentInput) {
    const id = await this.findText(text);
    if (!id) return undefined;
    const key = [doc.source ?? '', doc.url ?? '', doc.externalId ?? ''].join('\u0001');
    await this.db
      .insertInto('document_sources')
      .values({ doc_id: id, source_key: key, source: doc.source ?? null, url: doc.url ?? null, external_id: doc.externalId ?? null })
      .onConflict((oc) => oc.columns(['doc_id', 'source_key']).doNothing())
      .execute();
    return id;
  }

  putDocument(doc: StoredDocumentInput, extraction: Extraction) {
    return inTransaction(this.db, this.backend, (trx) => writeDocument(trx, this.backend, doc, extraction, this.clock(), this.contexts));
  }

  putDocuments(items: readonly { doc: StoredDocumentInput; extraction: Extraction }[]) {
    return inTransaction(this.db, this.backend, async (trx) => {
      const now = this.clock();
      const out: PutOutcome[] = [];
      for (const { doc, extraction } of items) out.push(await writeDocument(trx, this.backend, doc, extraction, now, this.contexts));
      return out;
    });
  }

  async document(id: string): Promise<StoredDocument | undefined> {
    const d = await this.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!d) return undefined;
    const sources = await this.db.selectFrom('document_sources').select(['source', 'url', 'external_id']).where('doc_id', '=', id).orderBy('source_key').execute();
    return {
      ...documentRef(d),
      text: d.text,
      extraction: decodeExtraction(d.extraction),
      ...(d.near_dup_of ? { nearDuplicateOf: d.near_dup_of } : {}),
      sources: sources.map((s) => ({ ...(s.source ? { source: s.source } : {}), ...(s.url ? { url: s.url } : {}), ...(s.external_id ? { externalId: s.external_id } : {}) })),
    };
  }

  async documents(o: { limit?: number; offset?: number; from?: string; to?: string } = {}) {
    let q = this.db.selectFrom('documents');
    if (o.from) q = q.where('published', '>=', o.from);
    if (o.to) q = q.where('published', '<=', o.to + '\uffff');
    const [count, rows] = await Promise.all([
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      q.select(['id', 'title', 'published', 'source', 'url']).orderBy('published', 'desc').orderBy('id').limit(o.limit ?? 50).offset(o.offset ?? 0).execute(),
    ]);
    return { total: Number(count.n), items: rows.map(documentRef) };
  }

  search(query: string, options?: SearchOptions) {
    return searchDocuments(this.db, this.backend, query, options);
  }

  findEntities(query: string) {
    return findEntities(this.db, this.backend, query);
  }

  private async one(nameOrId: string): Promise<{ match: EntityMatch; others: EntityMatch[] }> {
    const matches = await this.findEntities(nameOrId);
    if (!matches.length) throw new NotFoundError(`no entity named "${nameOrId}" in the store (${this.location})`);
    return { match: matches[0], others: matches.slice(1, 10) };
  }

  async dossier(nameOrId: string) {
    const { match, others } = await this.one(nameOrId);
    return dossier(this.db, match, others);
  }

  async events(filter: EventFilter = {}) {
    const { actor, near, km, ...rest } = filter;
    const actorId = actor ? (await this.one(actor)).match.id : undefined;
    let places: Map<string, number> | undefined;
    if (near) {
      const candidates = await this.findEntities(near);
      const ents = await this.db.selectFrom('entities').select(['id', 'lat', 'lon']).where('id', 'in', candidates.length ? candidates.map((c) => c.id) : ['']).execute();
      const located = candidates.map((c) => ents.find((e) => e.id === c.id)).find((e) => e && e.lat !== null && e.lon !== null);
      if (!located) throw new NotFoundError(`no place named "${near}" with coordinates in the store (${this.location})`);
      places = await placesNear(this.db, { lat: located.lat!, lon: located.lon! }, km ?? 50);
    }
    return queryEvents(this.db, { ...rest, actorId, places });
  }

  async graph(nameOrId: string, options?: GraphOptions) {
    const { match } = await this.one(nameOrId);
    return egoGraph(this.db, match.id, options);
  }

  async claims(nameOrId: string, property?: string) {
    const { match } = await this.one(nameOrId);
    return (await claimsAbout(this.db, match.id, property)).map(publicClaim);
  }

  contradictions(options?: { property?: string; limit?: number }) {
    return contradictions(this.db, options);
  }

  stats() {
    return stats(this.db);
  }

  merge(from: string, into: string, reason: string) {
    this.contexts.clear();
    return inTransaction(this.db, this.backend, (trx) => mergeEntities(trx, from, into, reason, this.clock()));
  }

  split(entity: string, docId: string, reason: string) {
    this.contexts.clear();
    return inTransaction(this.db, this.backend, (trx) => splitEntity(trx, entity, docId, reason, this.clock()));
  }

  undo(mergeId: number) {
    this.contexts.clear();
    return inTransaction(this.db, this.backend, (trx) => undoMerge(trx, mergeId, this.clock()));
  }

  merges(entity?: string) {
    return listMerges(this.db, entity);
  }

  async optimize() {
    if (this.backend === 'sqlite') {
      // A sampled ANALYZE: fast on any size, and enough for the planner to start from the right index.
      await sql`pragma analysis_limit = 1000`.execute(this.db);
      await sql`analyze`.execute(this.db);
    } else {
      for (const t of TABLES) await sql`analyze ${sql.table(t)}`.execute(this.db);
    }
  }

  async close() {
    await this.db.destroy();
  }
}

export type OpenStoreOptions = { clock?: () => string; onQuery?: QueryLogger };

/** Opens the store at a SQLite path (created on first use) or a postgres:// URL, migrated to the latest version. */
export async function openStore(target: string = process.env.FAULTLINE_DB || DEFAULT_DB, options: OpenStoreOptions = {}): Promise<Store> {
  const opened = await openDatabase(target, options.onQuery);
  return new KyselyStore(opened, options.clock ?? (() => new Date().toISOString()));
}
