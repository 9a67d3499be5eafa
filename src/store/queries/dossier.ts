// The dossier of one entity: everything the store knows about it, each part with its sources.
import { sql } from 'kysely';
import type { Dossier } from '../../model/store.js';
import { documentRef, entityRef, loadEntities, refOf, type Db } from './refs.js';
import { relationGroups, summariseRelations } from './relations.js';
import { queryEvents } from './events.js';
import { quotesAbout, quotesBy } from './quotes.js';
import { claimsAbout, findContradictions, publicClaim } from './claims.js';
import type { EntityMatch } from './find-entity.js';

type AliasAgg = { text: string; docs: Set<string>; why: Set<string> };

async function aliasesAndRoles(db: Db, entityId: string) {
  const rows = await db
    .selectFrom('doc_entities as de')
    .innerJoin('documents as d', 'd.id', 'de.doc_id')
    .select(['de.aliases', 'de.roles', 'd.story_id'])
    .where('de.entity_id', '=', entityId)
    .limit(5000)
    .execute();
  const aliases = new Map<string, AliasAgg>();
  const roles = new Map<string, { title: string; of?: string; since?: string; until?: string; docs: Set<string> }>();
  for (const r of rows) {
    for (const a of JSON.parse(r.aliases) as { text: string; linkedBy: string }[]) {
      const agg = aliases.get(a.text) ?? aliases.set(a.text, { text: a.text, docs: new Set(), why: new Set() }).get(a.text)!;
      agg.docs.add(r.story_id);
      agg.why.add(a.linkedBy);
    }
    for (const role of r.roles ? (JSON.parse(r.roles) as { title: string; of?: string; since?: string; until?: string }[]) : []) {
      const k = [role.title, role.of ?? '', role.since ?? '', role.until ?? ''].join('\u0001');
      (roles.get(k) ?? roles.set(k, { ...role, docs: new Set() }).get(k)!).docs.add(r.story_id);
    }
  }
  return { aliases: [...aliases.values()], roles: [...roles.values()] };
}

async function documentsOf(db: Db, entityId: string) {
  const base = db.selectFrom('doc_entities as de').innerJoin('documents as d', 'd.id', 'de.doc_id').where('de.entity_id', '=', entityId);
  const [count, items] = await Promise.all([
    db.selectFrom('doc_entities').select(sql<number>`count(distinct story_id)`.as('n')).where('entity_id', '=', entityId).executeTakeFirst(),
    base
      .select(['d.id', 'd.title', 'd.published', 'd.source', 'd.url', sql<number>`sum(de.mentions)`.as('mentions')])
      .where('d.near_dup_of', 'is', null)
      .groupBy(['d.id', 'd.title', 'd.published', 'd.source', 'd.url'])
      .orderBy('d.published', 'desc')
      .orderBy('d.id')
      .limit(25)
      .execute(),
  ]);
  return { total: Number(count?.n ?? 0), items: items.map((d) => ({ ...documentRef(d), mentions: Number(d.mentions) })) };
}

async function mergesOf(db: Db, entityId: string) {
  const rows = await db
    .selectFrom('merges')
    .selectAll()
    .where((eb) => eb.or([eb('into_entity', '=', entityId), eb('from_entity', '=', entityId)]))
    .orderBy('id')
    .limit(200)
    .execute();
  return rows.map((m) => ({ id: Number(m.id), kind: m.kind, from: m.from_entity, into: m.into_entity, reason: m.reason, createdAt: m.created_at, undone: m.undone_at !== null }));
}

export async function dossier(db: Db, match: EntityMatch, others: EntityMatch[]): Promise<Dossier> {
  const id = match.id;
  const [ents, ar, rels, events, by, about, claims, docs, merges] = await Promise.all([
    loadEntities(db, [id]),
    aliasesAndRoles(db, id),
    relationGroups(db, [id], 100),
    queryEvents(db, { actorId: id, limit: 100 }),
    quotesBy(db, id),
    quotesAbout(db, id),
    claimsAbout(db, id),
    documentsOf(db, id),
    mergesOf(db, id),
  ]);
  const e = ents.get(id)!;
  const relations = await summariseRelations(db, rels);
  const roleOf = await loadEntities(db, ar.roles.map((r) => r.of).filter((x): x is string => Boolean(x)));
  return {
    entity: {
      ...entityRef(e),
      ...(e.kb ? { kb: e.kb } : {}),
      ...(e.country ? { country: e.country } : {}),
      ...(e.lat !== null && e.lon !== null ? { lat: e.lat, lon: e.lon } : {}),
      origin: e.origin,
    },
    ids: [id, ...(e.kb ? [e.kb] : [])],
    aliases: ar.aliases
      .map((a) => ({ text: a.text, documents: a.docs.size, why: [...a.why].sort() }))
      .sort((a, b) => b.documents - a.documents || a.text.localeCompare(b.text)),
    roles: ar.roles
      .map((r) => ({ title: r.title, ...(r.of ? { of: refOf(roleOf, r.of) } : {}), ...(r.since ? { since: r.since } : {}), ...(r.until ? { until: r.until } : {}), documents: r.docs.size }))
      .sort((a, b) => b.documents - a.documents || a.title.localeCompare(b.title)),
    merges,
    relations,
    events: { total: events.total, items: [...events.items].reverse() },
    quotesBy: by,
    quotesAbout: about,
    claims: claims.map(publicClaim),
    contradictions: findContradictions(claims),
    documents: docs,
    otherMatches: others,
  };
}
