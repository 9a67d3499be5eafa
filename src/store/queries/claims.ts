// Numeric claims about an entity, and the claims that disagree: the same subject and property,
// stated by different sources in different stories, with ranges that do not meet.
import { sql } from 'kysely';
import type { Contradiction, StoredClaim } from '../../model/store.js';
import { documentRef, globalIds, key, loadEntities, refOf, span, type Db } from './refs.js';

type ClaimRow = {
  doc_id: string; id: string; subject_local: string | null; property: string | null; value: number | null; min: number | null; max: number | null;
  unit: string | null; approximate: number; text: string; source_local: string | null; evidence: string; evidence_text: string;
  title: string | null; published: string | null; source: string | null; url: string | null; story_id: string;
};

const claimColumns = [
  'c.doc_id', 'c.id', 'c.subject_local', 'c.property', 'c.value', 'c.min', 'c.max', 'c.unit', 'c.approximate', 'c.text', 'c.source_local',
  'c.evidence', 'c.evidence_text', 'd.title', 'd.published', 'd.source', 'd.url', 'd.story_id',
] as const;

export type StoredClaimWithStory = StoredClaim & { story: string; subjectId?: string; sourceId?: string };

async function hydrateClaims(db: Db, rows: ClaimRow[]): Promise<StoredClaimWithStory[]> {
  const pairs: [string, string][] = [];
  for (const r of rows) {
    if (r.subject_local) pairs.push([r.doc_id, r.subject_local]);
    if (r.source_local) pairs.push([r.doc_id, r.source_local]);
  }
  const globals = await globalIds(db, pairs);
  const ents = await loadEntities(db, globals.values());
  return rows.map((r) => {
    const subject = r.subject_local ? globals.get(key(r.doc_id, r.subject_local)) : undefined;
    const source = r.source_local ? globals.get(key(r.doc_id, r.source_local)) : undefined;
    return {
      id: `${r.doc_id}/${r.id}`,
      document: documentRef(r),
      ...(subject ? { subject: refOf(ents, subject), subjectId: subject } : {}),
      ...(r.property ? { property: r.property } : {}),
      ...(r.value !== null ? { value: r.value } : {}),
      ...(r.min !== null ? { min: r.min } : {}),
      ...(r.max !== null ? { max: r.max } : {}),
      ...(r.unit ? { unit: r.unit } : {}),
      approximate: r.approximate === 1,
      text: r.text,
      ...(source ? { source: refOf(ents, source), sourceId: source } : {}),
      evidence: span(r.doc_id, r.evidence, r.evidence_text),
      story: r.story_id,
    };
  });
}

export async function claimsAbout(db: Db, entityId: string, property?: string, limit = 200): Promise<StoredClaimWithStory[]> {
  let q = db
    .selectFrom('doc_entities as de')
    .innerJoin('claims as c', (j) => j.onRef('c.doc_id', '=', 'de.doc_id').onRef('c.subject_local', '=', 'de.local_id'))
    .innerJoin('documents as d', 'd.id', 'c.doc_id')
    .select(claimColumns)
    .where('de.entity_id', '=', entityId);
  if (property) q = q.where('c.property', '=', property);
  const rows = await q.orderBy('d.published', 'desc').orderBy('c.doc_id').orderBy('c.id').limit(limit).execute();
  return hydrateClaims(db, rows as ClaimRow[]);
}

/** The range a claim allows: an approximate figure is taken as 10% either way; "up to" has no floor. */
function rangeOf(c: StoredClaim): [number, number] | undefined {
  if (c.value !== undefined) return c.approximate ? [c.value * 0.9, c.value * 1.1] : [c.value, c.value];
  if (c.min !== undefined || c.max !== undefined) return [c.min ?? 0, c.max ?? Infinity];
  return undefined;
}

const MIN_GAP = 0.1;

/** Pairs of claims that disagree, from different stories and sources; the widest gaps first. */
export function findContradictions(claims: readonly StoredClaimWithStory[]): Contradiction[] {
  const groups = new Map<string, StoredClaimWithStory[]>();
  for (const c of claims) {
    if (!c.subjectId || !c.property || !rangeOf(c)) continue;
    const k = `${c.subjectId}\u0001${c.property}\u0001${c.unit ?? ''}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(c);
  }
  const out: Contradiction[] = [];
  for (const list of groups.values()) {
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i], b = list[j];
        if (a.story === b.story) continue;
        if (a.sourceId && b.sourceId && a.sourceId === b.sourceId) continue; // one source revising its figure
        const [alo, ahi] = rangeOf(a)!;
        const [blo, bhi] = rangeOf(b)!;
        const apart = alo > bhi ? alo - bhi : blo > ahi ? blo - ahi : 0;
        const scale = Math.max(Math.abs(alo), Math.abs(blo), Number.isFinite(ahi) ? Math.abs(ahi) : 0, Number.isFinite(bhi) ? Math.abs(bhi) : 0);
        const gap = scale ? apart / scale : 0;
        if (gap < MIN_GAP) continue;
        const [first, second] = a.id < b.id ? [a, b] : [b, a];
        out.push({ subject: a.subject!, property: a.property!, ...(a.unit ? { unit: a.unit } : {}), a: strip(first), b: strip(second), gap: Math.round(gap * 1000) / 1000 });
      }
  }
  return out.sort((x, y) => y.gap - x.gap || x.a.id.localeCompare(y.a.id) || x.b.id.localeCompare(y.b.id));
}

function strip(c: StoredClaimWithStory): StoredClaim {
  const { story: _s, subjectId: _a, sourceId: _b, ...rest } = c;
  return rest;
}
export const publicClaim = strip;

/** Contradictions across the store: subjects and properties stated in more than one story, then compared. */
export async function contradictions(db: Db, options: { property?: string; limit?: number } = {}): Promise<Contradiction[]> {
  let groups = db
    .selectFrom('claims as c')
    .innerJoin('doc_entities as de', (j) => j.onRef('de.doc_id', '=', 'c.doc_id').onRef('de.local_id', '=', 'c.subject_local'))
    .innerJoin('documents as d', 'd.id', 'c.doc_id')
    .select(['de.entity_id', 'c.property'])
    .where('c.property', 'is not', null)
    .groupBy(['de.entity_id', 'c.property'])
    .having(sql<number>`count(distinct d.story_id)`, '>', 1);
  if (options.property) groups = groups.where('c.property', '=', options.property);
  const candidates = await groups.orderBy('de.entity_id').orderBy('c.property').limit(500).execute();
  const out: Contradiction[] = [];
  for (const g of candidates) out.push(...findContradictions(await claimsAbout(db, g.entity_id, g.property ?? undefined, 100)));
  return out.sort((x, y) => y.gap - x.gap || x.a.id.localeCompare(y.a.id) || x.b.id.localeCompare(y.b.id)).slice(0, options.limit ?? 200);
}
