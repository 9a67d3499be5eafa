// Relations around entities, aggregated across documents: one line per (type, source, target)
// with the number of stories behind it, when it was first and last reported, and its evidence.
import { sql } from 'kysely';
import { SYMMETRIC_RELATIONS, type RelationType } from '../../model/contract.js';
import type { RelationSummary } from '../../model/store.js';
import { chunks } from '../transaction.js';
import { loadEntities, refOf, span, type Db } from './refs.js';

export type RelationRow = {
  type: string; src: string; tgt: string; doc_id: string; story_id: string; published: string | null;
  since: string | null; until: string | null; evidence: string; evidence_text: string;
};

/** Every relation touching any of the entities, as store-wide ids; two index lookups a slice (either end). */
export async function relationRows(db: Db, entityIds: readonly string[], perSideLimit = 20_000): Promise<RelationRow[]> {
  const out: RelationRow[] = [];
  const seen = new Set<string>();
  for (const part of chunks(entityIds, 1, 2000)) {
    if (!part.length) continue;
    for (const side of ['source_local', 'target_local'] as const) {
      const rows = await db
        .selectFrom('doc_entities as me')
        .innerJoin('relations as r', (j) => j.onRef('r.doc_id', '=', 'me.doc_id').onRef(`r.${side}`, '=', 'me.local_id'))
        .innerJoin('doc_entities as s', (j) => j.onRef('s.doc_id', '=', 'r.doc_id').onRef('s.local_id', '=', 'r.source_local'))
        .innerJoin('doc_entities as t', (j) => j.onRef('t.doc_id', '=', 'r.doc_id').onRef('t.local_id', '=', 'r.target_local'))
        .innerJoin('documents as d', 'd.id', 'r.doc_id')
        .select(['r.type', 's.entity_id as src', 't.entity_id as tgt', 'r.doc_id', 'r.id', 'd.story_id', 'd.published', 'r.since', 'r.until', 'r.evidence', 'r.evidence_text'])
        .where('me.entity_id', 'in', part)
        .orderBy('r.doc_id')
        .orderBy('r.id')
        .limit(perSideLimit)
        .execute();
      for (const r of rows) {
        const k = `${r.doc_id}\u0001${r.id}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(r);
      }
    }
  }
  return out;
}

const earlier = (a: string | undefined, b: string | null) => (b && (!a || b < a) ? b : a);
const later = (a: string | undefined, b: string | null) => (b && (!a || b > a) ? b : a);

export type RelationGroup = {
  type: string; src: string; tgt: string; stories: Set<string>; since?: string; until?: string;
  firstSeen?: string; lastSeen?: string; evidence: RelationRow[];
};

/** Groups relation rows by (type, source, target); symmetric types ignore direction. */
export function groupRelations(rows: readonly RelationRow[]): RelationGroup[] {
  const groups = new Map<string, RelationGroup>();
  for (const r of rows) {
    if (r.src === r.tgt) continue; // two names merged into one entity: no longer a relation
    const [src, tgt] = SYMMETRIC_RELATIONS.has(r.type) && r.tgt < r.src ? [r.tgt, r.src] : [r.src, r.tgt];
    const k = `${r.type}\u0001${src}\u0001${tgt}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { type: r.type, src, tgt, stories: new Set(), evidence: [] }));
    g.stories.add(r.story_id);
    g.since = earlier(g.since, r.since);
    g.until = later(g.until, r.until);
    g.firstSeen = earlier(g.firstSeen, r.published);
    g.lastSeen = later(g.lastSeen, r.published);
    if (g.evidence.length < 3 && !g.evidence.some((e) => e.story_id === r.story_id)) g.evidence.push(r);
  }
  return [...groups.values()].sort((a, b) => b.stories.size - a.stories.size || a.type.localeCompare(b.type) || a.src.localeCompare(b.src) || a.tgt.localeCompare(b.tgt));
}

export async function summariseRelations(db: Db, groups: readonly RelationGroup[]): Promise<RelationSummary[]> {
  const ents = await loadEntities(db, groups.flatMap((g) => [g.src, g.tgt]));
  return groups.map((g) => ({
    type: g.type as RelationType,
    source: refOf(ents, g.src),
    target: refOf(ents, g.tgt),
    documents: g.stories.size,
    ...(g.since ? { since: g.since } : {}),
    ...(g.until ? { until: g.until } : {}),
    ...(g.firstSeen ? { firstSeen: g.firstSeen } : {}),
    ...(g.lastSeen ? { lastSeen: g.lastSeen } : {}),
    evidence: g.evidence.map((r) => span(r.doc_id, r.evidence, r.evidence_text)),
  }));
}

export { sql };
