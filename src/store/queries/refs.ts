// Small shared pieces of the queries: entity and document references, spans with their words.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { DocumentRef, EntityRef } from '../../model/store.js';
import type { Evidence } from '../../model/contract.js';
import { chunks } from '../transaction.js';

export type Db = Kysely<Database>;

export type EntityRow = { id: string; name: string; type: string; kind: string | null; country: string | null; lat: number | null; lon: number | null; kb: string | null; origin: string };

export function entityRef(r: Pick<EntityRow, 'id' | 'name' | 'type' | 'kind'>): EntityRef {
  return { id: r.id, name: r.name, type: r.type, ...(r.kind ? { kind: r.kind } : {}) };
}

/** Entity rows by id, in one query a slice. Unknown ids are absent from the map. */
export async function loadEntities(db: Db, ids: Iterable<string>): Promise<Map<string, EntityRow>> {
  const all = [...new Set(ids)];
  const out = new Map<string, EntityRow>();
  for (const part of chunks(all, 1, 5000)) {
    if (!part.length) continue;
    const rows = await db.selectFrom('entities').select(['id', 'name', 'type', 'kind', 'country', 'lat', 'lon', 'kb', 'origin']).where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

export function refOf(entities: Map<string, EntityRow>, id: string): EntityRef {
  const e = entities.get(id);
  return e ? entityRef(e) : { id, name: id, type: 'UNKNOWN' };
}

export type DocRow = { id: string; title: string | null; published: string | null; source: string | null; url: string | null };

export function documentRef(d: DocRow): DocumentRef {
  return {
    id: d.id,
    ...(d.title ? { title: d.title } : {}),
    ...(d.published ? { published: d.published } : {}),
    ...(d.source ? { source: d.source } : {}),
    ...(d.url ? { url: d.url } : {}),
  };
}

/** The first evidence span with the words stored beside it. */
export function span(doc: string, evidenceJson: string, words: string) {
  const ev = (JSON.parse(evidenceJson) as Evidence[])[0];
  return { document: doc, start: ev?.start ?? 0, end: ev ? ev.start + words.length : 0, text: words };
}

/** Store-wide entity of each (document, local id) pair, in one query a slice. */
export async function globalIds(db: Db, pairs: Iterable<[string, string]>): Promise<Map<string, string>> {
  const byDoc = new Map<string, Set<string>>();
  for (const [d, l] of pairs) (byDoc.get(d) ?? byDoc.set(d, new Set()).get(d)!).add(l);
  const out = new Map<string, string>();
  const docs = [...byDoc.keys()];
  for (const part of chunks(docs, 1, 2000)) {
    if (!part.length) continue;
    const rows = await db.selectFrom('doc_entities').select(['doc_id', 'local_id', 'entity_id']).where('doc_id', 'in', part).execute();
    for (const r of rows) if (byDoc.get(r.doc_id)?.has(r.local_id)) out.set(`${r.doc_id}\u0001${r.local_id}`, r.entity_id);
  }
  return out;
}

export const key = (doc: string, local: string) => `${doc}\u0001${local}`;

/** Stories (near-duplicates counted once) naming each entity, in one query a slice. */
export async function storyCounts(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks(ids, 1, 2000)) {
    if (!part.length) continue;
    const rows = await db
      .selectFrom('doc_entities')
      .select(['entity_id', sql<number>`count(distinct story_id)`.as('n')])
      .where('entity_id', 'in', part)
      .groupBy('entity_id')
      .execute();
    for (const r of rows) out.set(r.entity_id, Number(r.n));
  }
  return out;
}
