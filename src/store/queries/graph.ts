// The ego network of an entity: actors as nodes; relations and events between two actors as
// typed, signed edges with the number of stories behind each. Breadth first to the depth asked,
// keeping the best-supported edges when a hub would flood the picture.
import type { Graph, GraphEdge } from '../../model/store.js';
import { chunks } from '../transaction.js';
import { globalIds, key, loadEntities, refOf, storyCounts, type Db } from './refs.js';
import { relationGroups, storiesOf } from './relations.js';

const RELATION_SIGN: Record<string, number> = {
  ALLY_OF: 1, SUPPORTS: 1, MEMBER_OF: 1, LEADS: 1, COMMUNICATES_WITH: 0,
  FIGHTS: -1, OPPOSES: -1, LOCATED_IN: 0, HAS_BASE_IN: 0, BORDERS: 0, ALIAS_OF: 0,
};
/** PLOVER's cooperative and conflictual types; REQUEST is neither. */
const EVENT_SIGN: Record<string, number> = {
  AGREE: 1, CONSULT: 1, SUPPORT: 1, CONCEDE: 1, COOPERATE: 1, AID: 1, RETREAT: 1, REQUEST: 0,
  ACCUSE: -1, REJECT: -1, THREATEN: -1, PROTEST: -1, SANCTION: -1, MOBILIZE: -1, COERCE: -1, ASSAULT: -1,
};
const DIRECTED_RELATIONS = new Set(['MEMBER_OF', 'LEADS', 'SUPPORTS', 'OPPOSES', 'LOCATED_IN', 'HAS_BASE_IN']);
/** Edges of these types say where things are, not how actors stand to each other. */
const PLACE_RELATIONS = new Set(['LOCATED_IN', 'BORDERS']);

type EventEdgeRow = { type: string; src: string; tgt: string; story_id: string; date_lo: string | null };

/** The most events of a step read for its edges: a hub's thousands are sampled, not all loaded. */
const EVENT_SAMPLE = 3000;

/** Events in which one of the entities is a source or target, as (type, source, target) pairs of store-wide ids. */
async function eventEdgeRows(db: Db, ids: readonly string[]): Promise<EventEdgeRow[]> {
  const mine: { doc_id: string; event_id: string }[] = [];
  for (const part of chunks(ids, 1, 2000)) {
    if (!part.length) continue;
    mine.push(
      ...(await db
        .selectFrom('doc_entities as me')
        .innerJoin('event_participants as p', (j) => j.onRef('p.doc_id', '=', 'me.doc_id').onRef('p.local_id', '=', 'me.local_id'))
        .select(['p.doc_id', 'p.event_id'])
        .where('me.entity_id', 'in', part)
        .where('p.role', 'in', ['source', 'target'])
        .limit(EVENT_SAMPLE)
        .execute()),
    );
  }
  if (!mine.length) return [];
  const wanted = new Set(mine.map((m) => key(m.doc_id, m.event_id)));
  const docs = [...new Set(mine.map((m) => m.doc_id))];
  const parts: { doc_id: string; event_id: string; local_id: string; role: string }[] = [];
  const events = new Map<string, { type: string; modality: string; date_lo: string | null }>();
  for (const slice of chunks(docs, 1, 2000)) {
    const [p, e] = await Promise.all([
      db.selectFrom('event_participants').select(['doc_id', 'event_id', 'local_id', 'role']).where('doc_id', 'in', slice).where('role', 'in', ['source', 'target']).execute(),
      db.selectFrom('events').select(['doc_id', 'id', 'type', 'modality', 'date_lo']).where('doc_id', 'in', slice).execute(),
    ]);
    for (const r of p) if (wanted.has(key(r.doc_id, r.event_id))) parts.push(r);
    for (const r of e) if (wanted.has(key(r.doc_id, r.id))) events.set(key(r.doc_id, r.id), r);
  }
  const [globals, stories] = await Promise.all([globalIds(db, parts.map((p) => [p.doc_id, p.local_id] as [string, string])), storiesOf(db, docs)]);
  const byEvent = new Map<string, { sources: string[]; targets: string[]; doc: string }>();
  for (const p of parts) {
    const k = key(p.doc_id, p.event_id);
    const g = byEvent.get(k) ?? byEvent.set(k, { sources: [], targets: [], doc: p.doc_id }).get(k)!;
    (p.role === 'source' ? g.sources : g.targets).push(globals.get(key(p.doc_id, p.local_id)) ?? p.local_id);
  }
  const mineSet = new Set(ids);
  const out: EventEdgeRow[] = [];
  for (const [k, g] of byEvent) {
    const e = events.get(k);
    if (!e || e.modality === 'denied') continue;
    for (const src of g.sources)
      for (const tgt of g.targets)
        if (mineSet.has(src) || mineSet.has(tgt)) out.push({ type: e.type, src, tgt, story_id: stories.get(g.doc)?.story_id ?? g.doc, date_lo: e.date_lo });
  }
  return out;
}

function eventEdges(rows: readonly EventEdgeRow[]): GraphEdge[] {
  const groups = new Map<string, { type: string; src: string; tgt: string; stories: Set<string>; first?: string; last?: string }>();
  for (const r of rows) {
    if (r.src === r.tgt) continue;
    const k = `${r.type}\u0001${r.src}\u0001${r.tgt}`;
    const g = groups.get(k) ?? groups.set(k, { type: r.type, src: r.src, tgt: r.tgt, stories: new Set() }).get(k)!;
    g.stories.add(r.story_id);
    if (r.date_lo && (!g.first || r.date_lo < g.first)) g.first = r.date_lo;
    if (r.date_lo && (!g.last || r.date_lo > g.last)) g.last = r.date_lo;
  }
  return [...groups.values()].map((g) => ({
    source: g.src, target: g.tgt, type: `event:${g.type}`, sign: EVENT_SIGN[g.type] ?? 0, directed: true, documents: g.stories.size,
    ...(g.first ? { firstSeen: g.first } : {}), ...(g.last ? { lastSeen: g.last } : {}),
  }));
}

export type GraphOptions = { depth?: number; maxNodes?: number; places?: boolean };

export async function egoGraph(db: Db, center: string, options: GraphOptions = {}): Promise<Graph> {
  const depth = Math.min(Math.max(options.depth ?? 1, 1), 3);
  const maxNodes = options.maxNodes ?? 150;
  const depthOf = new Map<string, number>([[center, 0]]);
  const edges = new Map<string, GraphEdge>();
  let frontier = [center];
  let truncated = false;
  for (let d = 1; d <= depth && frontier.length; d++) {
    const [rel, ev] = await Promise.all([relationGroups(db, frontier, 2000, 0), eventEdgeRows(db, frontier)]);
    const found: GraphEdge[] = [
      ...rel
        .filter((g) => options.places || !PLACE_RELATIONS.has(g.type))
        .map((g) => ({
          source: g.src, target: g.tgt, type: g.type, sign: RELATION_SIGN[g.type] ?? 0, directed: DIRECTED_RELATIONS.has(g.type), documents: g.count ?? g.stories.size,
          ...(g.firstSeen ? { firstSeen: g.firstSeen } : {}), ...(g.lastSeen ? { lastSeen: g.lastSeen } : {}),
        })),
      ...eventEdges(ev),
    ].sort((a, b) => b.documents - a.documents || a.type.localeCompare(b.type) || a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
    const next: string[] = [];
    for (const e of found) {
      for (const n of [e.source, e.target]) {
        if (depthOf.has(n)) continue;
        if (depthOf.size >= maxNodes) {
          truncated = true;
          continue;
        }
        depthOf.set(n, d);
        next.push(n);
      }
      if (depthOf.has(e.source) && depthOf.has(e.target)) edges.set(`${e.type}\u0001${e.source}\u0001${e.target}`, e);
    }
    frontier = next;
  }
  const ids = [...depthOf.keys()];
  const [ents, counts] = await Promise.all([loadEntities(db, ids), storyCounts(db, ids)]);
  return {
    center,
    nodes: ids.map((id) => ({ ...refOf(ents, id), depth: depthOf.get(id)!, documents: counts.get(id) ?? 0, ...(ents.get(id)?.country ? { country: ents.get(id)!.country! } : {}) })),
    edges: [...edges.values()],
    truncated,
  };
}
