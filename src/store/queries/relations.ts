// Relations around entities, aggregated across documents: one line per (type, source, target)
// with the number of stories behind it, when it was first and last reported, and its evidence.
import { sql } from 'kysely';
import { SYMMETRIC_RELATIONS, type RelationType } from '../../model/contract.js';
import type { RelationSummary } from '../../model/store.js';
import { chunks } from '../transaction.js';
import { globalIds, key, loadEntities, refOf, span, type Db } from './refs.js';

export type RelationRow = {
  type: string; src: string; tgt: string; doc_id: string; story_id: string; published: string | null;
  since: string | null; until: string | null; evidence: string; evidence_text: string;
};

/**
 * Every relation touching any of the entities, with both ends as store-wide ids. Simple indexed
 * queries joined here rather than one six-way join: PostgreSQL spends longer planning such a
 * join than running it.
 */
export async function relationRows(db: Db, entityIds: readonly string[], perSideLimit = 20_000): Promise<RelationRow[]> {
  type Raw = { doc_id: string; id: string; type: string; source_local: string; target_local: string; since: string | null; until: string | null; evidence: string; evidence_text: string };
  const raw = new Map<string, Raw>();
  for (const part of chunks(entityIds, 1, 2000)) {
    if (!part.length) continue;
    for (const side of ['source_local', 'target_local'] as const) {
      const rows = await db
        .selectFrom('doc_entities as me')
        .innerJoin('relations as r', (j) => j.onRef('r.doc_id', '=', 'me.doc_id').onRef(`r.${side}`, '=', 'me.local_id'))
        .select(['r.doc_id', 'r.id', 'r.type', 'r.source_local', 'r.target_local', 'r.since', 'r.until', 'r.evidence', 'r.evidence_text'])
        .where('me.entity_id', 'in', part)
        .limit(perSideLimit)
        .execute();
      for (const r of rows) raw.set(`${r.doc_id}\u0001${r.id}`, r);
    }
  }
  if (!raw.size) return [];
  const rows = [...raw.values()].sort((a, b) => a.doc_id.localeCompare(b.doc_id) || a.id.localeCompare(b.id));
  const [globals, docs] = await Promise.all([
    globalIds(db, rows.flatMap((r) => [[r.doc_id, r.source_local] as [string, string], [r.doc_id, r.target_local] as [string, string]])),
    storiesOf(db, rows.map((r) => r.doc_id)),
  ]);
  return rows.map((r) => ({
    type: r.type,
    src: globals.get(key(r.doc_id, r.source_local)) ?? r.source_local,
    tgt: globals.get(key(r.doc_id, r.target_local)) ?? r.target_local,
    doc_id: r.doc_id,
    story_id: docs.get(r.doc_id)?.story_id ?? r.doc_id,
    published: docs.get(r.doc_id)?.published ?? null,
    since: r.since,
    until: r.until,
    evidence: r.evidence,
    evidence_text: r.evidence_text,
  }));
}

/** The story and date of each document, in one query a slice. */
export async function storiesOf(db: Db, docIds: Iterable<string>): Promise<Map<string, { story_id: string; published: string | null }>> {
  const out = new Map<string, { story_id: string; published: string | null }>();
  for (const part of chunks([...new Set(docIds)], 1, 5000)) {
    if (!part.length) continue;
    for (const d of await db.selectFrom('documents').select(['id', 'story_id', 'published']).where('id', 'in', part).execute()) out.set(d.id, d);
  }
  return out;
}

const earlier = (a: string | undefined, b: string | null) => (b && (!a || b < a) ? b : a);
const later = (a: string | undefined, b: string | null) => (b && (!a || b > a) ? b : a);

export type RelationGroup = {
  /** Stories behind it: counted here from rows, or by the database (count) for large groups. */
  type: string; src: string; tgt: string; stories: Set<string>; count?: number; since?: string; until?: string;
  firstSeen?: string; lastSeen?: string; evidence: RelationRow[];
};

export async function summariseRelations(db: Db, groups: readonly RelationGroup[]): Promise<RelationSummary[]> {
  const ents = await loadEntities(db, groups.flatMap((g) => [g.src, g.tgt]));
  return groups.map((g) => ({
    type: g.type as RelationType,
    source: refOf(ents, g.src),
    target: refOf(ents, g.tgt),
    documents: g.count ?? g.stories.size,
    ...(g.since ? { since: g.since } : {}),
    ...(g.until ? { until: g.until } : {}),
    ...(g.firstSeen ? { firstSeen: g.firstSeen } : {}),
    ...(g.lastSeen ? { lastSeen: g.lastSeen } : {}),
    evidence: g.evidence.map((r) => span(r.doc_id, r.evidence, r.evidence_text)),
  }));
}

export { sql };

/**
 * Relation groups around entities counted in the database, so a hub ("United States", in
 * thousands of reports) costs one aggregate a side rather than thousands of rows here; the
 * evidence of each group comes from a bounded sample of its rows.
 */
export async function relationGroups(db: Db, entityIds: readonly string[], limit = 200, evidenceSample = 200): Promise<RelationGroup[]> {
  const groups = new Map<string, RelationGroup>();
  for (const part of chunks(entityIds, 1, 2000)) {
    if (!part.length) continue;
    for (const [mine, other] of [['source_local', 'target_local'], ['target_local', 'source_local']] as const) {
      const rows = await db
        .selectFrom('doc_entities as me')
        .innerJoin('relations as r', (j) => j.onRef('r.doc_id', '=', 'me.doc_id').onRef(`r.${mine}`, '=', 'me.local_id'))
        .innerJoin('doc_entities as o', (j) => j.onRef('o.doc_id', '=', 'r.doc_id').onRef('o.local_id', '=', `r.${other}`))
        .innerJoin('documents as d', 'd.id', 'r.doc_id')
        .select([
          'r.type',
          'me.entity_id as me',
          'o.entity_id as other',
          sql<number>`count(distinct d.story_id)`.as('n'),
          sql<string | null>`min(d.published)`.as('first'),
          sql<string | null>`max(d.published)`.as('last'),
          sql<string | null>`min(r.since)`.as('since'),
          sql<string | null>`max(r.until)`.as('until'),
        ])
        .where('me.entity_id', 'in', part)
        .groupBy(['r.type', 'me.entity_id', 'o.entity_id'])
        .execute();
      for (const r of rows) {
        const [src, tgt] = mine === 'source_local' ? [r.me, r.other] : [r.other, r.me];
        if (src === tgt) continue;
        const [a, b] = SYMMETRIC_RELATIONS.has(r.type) && tgt < src ? [tgt, src] : [src, tgt];
        const k = `${r.type}\u0001${a}\u0001${b}`;
        const g = groups.get(k);
        const n = Number(r.n);
        // a symmetric relation counted from both sides: the larger count, never the sum (a story may state it both ways)
        if (!g) groups.set(k, { type: r.type, src: a, tgt: b, stories: new Set(), count: n, since: r.since ?? undefined, until: r.until ?? undefined, firstSeen: r.first ?? undefined, lastSeen: r.last ?? undefined, evidence: [] });
        else {
          g.count = Math.max(g.count ?? 0, n);
          g.since = earlier(g.since, r.since);
          g.until = later(g.until, r.until);
          g.firstSeen = earlier(g.firstSeen, r.first);
          g.lastSeen = later(g.lastSeen, r.last);
        }
      }
    }
  }
  const top = [...groups.values()].sort((x, y) => (y.count ?? 0) - (x.count ?? 0) || x.type.localeCompare(y.type) || x.src.localeCompare(y.src) || x.tgt.localeCompare(y.tgt)).slice(0, limit);
  const byKey = new Map(top.map((g) => [`${g.type}\u0001${g.src}\u0001${g.tgt}`, g]));
  for (const r of evidenceSample > 0 ? await relationRows(db, entityIds, evidenceSample) : []) {
    const [a, b] = SYMMETRIC_RELATIONS.has(r.type) && r.tgt < r.src ? [r.tgt, r.src] : [r.src, r.tgt];
    const g = byKey.get(`${r.type}\u0001${a}\u0001${b}`);
    if (g && g.evidence.length < 3 && !g.evidence.some((e) => e.story_id === r.story_id)) g.evidence.push(r);
  }
  return top;
}
