// Events across the corpus: by actor, PLOVER type, date range and distance from a place. Events
// of near-duplicate documents are the same reports of the same story: each is listed once, from
// the first document of its story, with the number of copies beside it.
import { sql } from 'kysely';
import type { EventFilter, StoredEvent } from '../../model/store.js';
import type { PloverType } from '../../model/contract.js';
import { documentRef, globalIds, key, loadEntities, refOf, span, type Db } from './refs.js';

const EARTH_KM = 6371;
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Places with coordinates within `km` of a point, nearest first, with their distance. */
export async function placesNear(db: Db, center: { lat: number; lon: number }, km: number): Promise<Map<string, number>> {
  const dLat = km / 111.2;
  const dLon = km / (111.2 * Math.max(0.01, Math.cos((center.lat * Math.PI) / 180)));
  const rows = await db
    .selectFrom('entities')
    .select(['id', 'lat', 'lon'])
    .where('lat', '>=', center.lat - dLat)
    .where('lat', '<=', center.lat + dLat)
    .where('lon', '>=', center.lon - dLon)
    .where('lon', '<=', center.lon + dLon)
    .execute();
  const out = new Map<string, number>();
  for (const r of rows) {
    if (r.lat === null || r.lon === null) continue;
    const d = haversineKm(center, { lat: r.lat, lon: r.lon });
    if (d <= km) out.set(r.id, Math.round(d * 10) / 10);
  }
  return out;
}

const dayLo = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
const dayHi = (d: string) => (d.length === 4 ? `${d}-12-31` : d.length === 7 ? `${d}-31` : d);

export type ResolvedEventFilter = Omit<EventFilter, 'actor' | 'near'> & { actorId?: string; places?: Map<string, number> };

export async function queryEvents(db: Db, f: ResolvedEventFilter): Promise<{ total: number; items: StoredEvent[] }> {
  const limit = f.limit ?? 100;
  const offset = f.offset ?? 0;
  let q = db
    .selectFrom('events as e')
    .innerJoin('documents as d', 'd.id', 'e.doc_id')
    .where('d.near_dup_of', 'is', null);
  if (f.actorId) {
    q = q
      .innerJoin('event_participants as p', (j) => j.onRef('p.doc_id', '=', 'e.doc_id').onRef('p.event_id', '=', 'e.id'))
      .innerJoin('doc_entities as pe', (j) => j.onRef('pe.doc_id', '=', 'p.doc_id').onRef('pe.local_id', '=', 'p.local_id'))
      .where('pe.entity_id', '=', f.actorId);
  }
  if (f.places) {
    const ids = [...f.places.keys()];
    if (!ids.length) return { total: 0, items: [] };
    q = q
      .innerJoin('doc_entities as le', (j) => j.onRef('le.doc_id', '=', 'e.doc_id').onRef('le.local_id', '=', 'e.location_local'))
      .where('le.entity_id', 'in', ids.slice(0, 5000));
  }
  if (f.type) q = q.where('e.type', '=', f.type);
  if (f.from) q = q.where('e.date_hi', '>=', dayLo(f.from));
  if (f.to) q = q.where('e.date_lo', '<=', dayHi(f.to));
  if (f.document) q = q.where('e.doc_id', '=', f.document);
  const [countRow, rows] = await Promise.all([
    q.select(sql<number>`count(distinct e.doc_id || '/' || e.id)`.as('n')).executeTakeFirst(),
    q
      .select([
        'e.doc_id', 'e.id', 'e.type', 'e.mode', 'e.modality', 'e.location_local', 'e.time_text', 'e.time_start', 'e.time_end',
        'e.date_basis', 'e.quantities', 'e.confidence', 'e.evidence', 'e.evidence_text', 'e.date_lo',
        'd.title', 'd.published', 'd.source', 'd.url',
      ])
      .distinct()
      .orderBy('e.date_lo', 'desc')
      .orderBy('e.doc_id')
      .orderBy('e.id')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total: Number(countRow?.n ?? 0), items: await hydrateEvents(db, rows, f.places) };
}

type EventRow = {
  doc_id: string; id: string; type: string; mode: string | null; modality: string; location_local: string | null;
  time_text: string | null; time_start: string | null; time_end: string | null; date_basis: string | null; date_lo: string | null;
  quantities: string | null; confidence: number; evidence: string; evidence_text: string;
  title: string | null; published: string | null; source: string | null; url: string | null;
};

/** Participants, places and copies of a page of events, in three queries. */
export async function hydrateEvents(db: Db, rows: EventRow[], distances?: Map<string, number>): Promise<StoredEvent[]> {
  if (!rows.length) return [];
  const docs = [...new Set(rows.map((r) => r.doc_id))];
  const parts = await db.selectFrom('event_participants').select(['doc_id', 'event_id', 'local_id', 'role']).where('doc_id', 'in', docs).execute();
  const wanted = new Set(rows.map((r) => key(r.doc_id, r.id)));
  const byEvent = new Map<string, { local_id: string; role: string }[]>();
  for (const p of parts) if (wanted.has(key(p.doc_id, p.event_id))) (byEvent.get(key(p.doc_id, p.event_id)) ?? byEvent.set(key(p.doc_id, p.event_id), []).get(key(p.doc_id, p.event_id))!).push(p);
  const pairs: [string, string][] = [];
  for (const r of rows) {
    for (const p of byEvent.get(key(r.doc_id, r.id)) ?? []) pairs.push([r.doc_id, p.local_id]);
    if (r.location_local) pairs.push([r.doc_id, r.location_local]);
  }
  const [globals, copies] = await Promise.all([
    globalIds(db, pairs),
    db.selectFrom('documents').select(['story_id', sql<number>`count(*)`.as('n')]).where('story_id', 'in', docs).groupBy('story_id').execute(),
  ]);
  const copiesOf = new Map(copies.map((c) => [c.story_id, Number(c.n) - 1]));
  const ents = await loadEntities(db, globals.values());
  return rows.map((r) => {
    const loc = r.location_local ? globals.get(key(r.doc_id, r.location_local)) : undefined;
    const locRow = loc ? ents.get(loc) : undefined;
    const participants = (byEvent.get(key(r.doc_id, r.id)) ?? [])
      .map((p) => ({ ...refOf(ents, globals.get(key(r.doc_id, p.local_id)) ?? p.local_id), role: p.role }))
      .sort((a, b) => a.role.localeCompare(b.role) || a.id.localeCompare(b.id));
    const start = r.time_start ?? (r.date_basis === 'published' ? r.published ?? undefined : undefined);
    return {
      id: `${r.doc_id}/${r.id}`,
      document: documentRef({ id: r.doc_id, title: r.title, published: r.published, source: r.source, url: r.url }),
      type: r.type as PloverType,
      ...(r.mode ? { mode: r.mode } : {}),
      modality: r.modality,
      date: {
        ...(start ? { start } : {}),
        ...(r.time_end ? { end: r.time_end } : {}),
        ...(r.time_text ? { text: r.time_text } : {}),
        ...(r.date_basis ? { basis: r.date_basis as 'event' | 'published' } : {}),
      },
      participants,
      ...(loc
        ? {
            location: {
              ...refOf(ents, loc),
              ...(locRow?.lat != null && locRow?.lon != null ? { lat: locRow.lat, lon: locRow.lon } : {}),
              ...(distances?.has(loc) ? { km: distances.get(loc)! } : {}),
            },
          }
        : {}),
      ...(r.quantities ? { quantities: JSON.parse(r.quantities) } : {}),
      confidence: r.confidence,
      evidence: span(r.doc_id, r.evidence, r.evidence_text),
      copies: copiesOf.get(r.doc_id) ?? 0,
    };
  });
}
