// Writing one document and all its facts, in one transaction: the document row, its sources,
// its near-duplicate bands, its entities (each joined to a store-wide identity), relations,
// events with their participants, quotes and claims, and the full-text index. A crash at any
// point leaves either all of it or none of it.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Extraction, Entity, Evidence } from '../model/contract.js';
import type { Database } from './schema.js';
import { textEntity, type Backend } from './migrations.js';
import { chunks } from './transaction.js';
import { encodeExtraction } from './extraction-codec.js';
import { bandKeys, decodeSignature, encodeSignature, minhash, similarity, NEAR_DUPLICATE_THRESHOLD } from '../resolve/near-duplicate.js';
import { chooseCandidate, isTextEntity, mayJoin, nameKey, ownTextId, type Candidate, type EntityContext } from '../resolve/identity.js';

export type StoredDocumentInput = { text: string; title?: string; published?: string; source?: string; url?: string; externalId?: string };

export type PutOutcome =
  | { status: 'stored'; id: string }
  | { status: 'near-duplicate'; id: string; of: string; similarity: number }
  | { status: 'duplicate'; id: string };

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The store's id of a text: the same text has the same id in every store. */
export function documentId(text: string): string {
  return 'd' + contentHash(text).slice(0, 16);
}

const EVIDENCE_TEXT_MAX = 600;
function evidenceText(text: string, evidence: readonly Evidence[]): string {
  const e = evidence[0];
  if (!e) return '';
  return text.slice(e.start, Math.min(e.end, e.start + EVIDENCE_TEXT_MAX));
}

/** Words of a text, as runs of non-space: what the store and ingest count. */
export function wordCount(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

const pad = (d: string, end: boolean) => (d.length === 4 ? `${d}-${end ? '12-31' : '01-01'}` : d.length === 7 ? `${d}-${end ? '31' : '01'}` : d);

const sourceKey = (doc: StoredDocumentInput) => [doc.source ?? '', doc.url ?? '', doc.externalId ?? ''].join('\u0001');

async function addSource(trx: Kysely<Database>, id: string, doc: StoredDocumentInput) {
  await trx
    .insertInto('document_sources')
    .values({ doc_id: id, source_key: sourceKey(doc), source: doc.source ?? null, url: doc.url ?? null, external_id: doc.externalId ?? null })
    .onConflict((oc) => oc.columns(['doc_id', 'source_key']).doNothing())
    .execute();
}

/** The earlier document this one repeats, found through shared bands and confirmed by similarity. */
async function findNearDuplicate(trx: Kysely<Database>, signature: Uint32Array, bands: string[]) {
  const rows = await trx
    .selectFrom('document_bands as b')
    .innerJoin('documents as d', 'd.id', 'b.doc_id')
    .select(['d.id', 'd.minhash', 'd.story_id'])
    .where('b.band', 'in', bands)
    .groupBy(['d.id', 'd.minhash', 'd.story_id'])
    .orderBy('d.id')
    .limit(64)
    .execute();
  let best: { story: string; similarity: number; id: string } | undefined;
  for (const r of rows) {
    const s = similarity(signature, decodeSignature(r.minhash));
    if (s >= NEAR_DUPLICATE_THRESHOLD && (!best || s > best.similarity || (s === best.similarity && r.id < best.id))) best = { story: r.story_id, similarity: s, id: r.id };
  }
  return best;
}

type Resolved = { entityId: string; ownId: string; why: string; auto?: { from: string; into: string; reason: string } };

/** The context of an entity within its document: its country, role titles and the other entities named. */
function contextOf(e: Entity, extraction: Extraction, globalOf: (local: string) => string): EntityContext {
  const coMentioned = new Map<string, string>();
  for (const o of extraction.entities) if (o.id !== e.id && !isTextEntity(o.id)) coMentioned.set(globalOf(o.id), o.type);
  return { name: e.name, type: e.type, countries: e.country ? [e.country] : [], roleTitles: (e.roles ?? []).map((r) => r.title), coMentioned };
}

/** Rows of a candidate read for its context: enough to see its roles, countries and company. */
const CONTEXT_DOCS = 8;
/** Candidates considered per name: the identities that name covers most often. */
const CANDIDATES_PER_NAME = 4;

/**
 * Candidates in the store for the text entities of a document: the identities their names
 * already belong to (most documents first), each with its countries, roles and the entities
 * named beside it in a sample of its documents. A handful of indexed queries however common the name.
 */
async function loadCandidates(trx: Kysely<Database>, entities: readonly Entity[], cache?: ContextCache): Promise<Map<string, Candidate[]>> {
  const keys = [...new Set(entities.flatMap((e) => [e.name, ...e.aliases].map(nameKey)).filter(Boolean))];
  const byKeyType = new Map<string, Candidate[]>();
  if (!keys.length) return byKeyType;
  const groups = [];
  for (const part of chunks(keys, 1))
    groups.push(
      ...(await trx
        .selectFrom('doc_entities')
        .select(['entity_id', 'name_key', 'type', sql<number>`count(*)`.as('n')])
        .where('name_key', 'in', part)
        .where(textEntity())
        .groupBy(['entity_id', 'name_key', 'type'])
        .execute()),
    );
  const perKey = new Map<string, typeof groups>();
  for (const g of groups) (perKey.get(`${g.name_key}\u0001${g.type}`) ?? perKey.set(`${g.name_key}\u0001${g.type}`, []).get(`${g.name_key}\u0001${g.type}`)!).push(g);
  const cands = new Map<string, Candidate & { keys: Set<string> }>();
  for (const [k, list] of perKey)
    for (const g of list.sort((a, b) => Number(b.n) - Number(a.n) || a.entity_id.localeCompare(b.entity_id)).slice(0, CANDIDATES_PER_NAME)) {
      let c = cands.get(g.entity_id);
      if (!c) cands.set(g.entity_id, (c = { entityId: g.entity_id, name: '', type: g.type, countries: [], roleTitles: [], coMentioned: new Map(), documents: 0, keys: new Set() }));
      c.keys.add(k);
      c.documents = Math.max(c.documents, Number(g.n));
    }
  const contexts = await loadContexts(trx, [...cands.keys()], cache);
  for (const c of cands.values()) {
    const ctx = contexts.get(c.entityId);
    c.name = ctx?.name ?? c.entityId;
    (c as { countries: readonly string[] }).countries = ctx?.countries ?? [];
    (c as { roleTitles: readonly string[] }).roleTitles = ctx?.roleTitles ?? [];
    (c as { coMentioned: ReadonlyMap<string, string> }).coMentioned = ctx?.coMentioned ?? new Map();
    for (const k of c.keys) (byKeyType.get(k) ?? byKeyType.set(k, []).get(k)!).push(c);
  }
  return byKeyType;
}

/** What identity resolution knows of an entity already in the store, from a sample of its documents. */
export type CandidateContext = { name: string; countries: string[]; roleTitles: string[]; coMentioned: Map<string, string> };

/**
 * Contexts of candidates, kept between documents: a name that recurs (a leader named in every
 * other report) is read once, not once a document. A sample, so a little staleness does not
 * matter; merges and splits clear it.
 */
export class ContextCache {
  private readonly map = new Map<string, CandidateContext>();
  constructor(private readonly max = 20_000) {}
  get(id: string) {
    return this.map.get(id);
  }
  set(id: string, ctx: CandidateContext) {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(id, ctx);
  }
  clear() {
    this.map.clear();
  }
}

async function loadContexts(trx: Kysely<Database>, ids: readonly string[], cache?: ContextCache): Promise<Map<string, CandidateContext>> {
  const out = new Map<string, CandidateContext>();
  const missing = ids.filter((id) => {
    const hit = cache?.get(id);
    if (hit) out.set(id, hit);
    return !hit;
  });
  if (!missing.length) return out;
  const sampled = new Map<string, string[]>();
  for (const id of missing) {
    const rows = await trx.selectFrom('doc_entities').select(['doc_id', 'country', 'roles']).where('entity_id', '=', id).orderBy('doc_id').limit(CONTEXT_DOCS).execute();
    const ctx: CandidateContext = { name: id, countries: [], roleTitles: [], coMentioned: new Map() };
    for (const r of rows) {
      if (r.country && !ctx.countries.includes(r.country)) ctx.countries.push(r.country);
      for (const role of r.roles ? (JSON.parse(r.roles) as { title: string }[]) : []) if (!ctx.roleTitles.includes(role.title)) ctx.roleTitles.push(role.title);
    }
    sampled.set(id, rows.map((r) => r.doc_id));
    out.set(id, ctx);
  }
  const docs = [...new Set([...sampled.values()].flat())];
  if (docs.length) {
    const rows = await trx.selectFrom('doc_entities').select(['doc_id', 'entity_id', 'type']).where('doc_id', 'in', docs).execute();
    const byDoc = new Map<string, { entity_id: string; type: string }[]>();
    for (const r of rows) (byDoc.get(r.doc_id) ?? byDoc.set(r.doc_id, []).get(r.doc_id)!).push(r);
    for (const [id, ds] of sampled) for (const d of ds) for (const r of byDoc.get(d) ?? []) if (r.entity_id !== id) out.get(id)!.coMentioned.set(r.entity_id, r.type);
  }
  for (const e of await trx.selectFrom('entities').select(['id', 'name']).where('id', 'in', missing).execute()) out.get(e.id)!.name = e.name;
  for (const id of missing) cache?.set(id, out.get(id)!);
  return out;
}


async function resolveEntities(trx: Kysely<Database>, docId: string, extraction: Extraction, cache?: ContextCache): Promise<Map<string, Resolved>> {
  const out = new Map<string, Resolved>();
  for (const e of extraction.entities) if (!isTextEntity(e.id)) out.set(e.id, { entityId: e.id, ownId: e.id, why: 'knowledge base' });
  const text = extraction.entities.filter((e) => isTextEntity(e.id));
  if (!text.length) return out;
  const candidates = await loadCandidates(trx, text.filter(mayJoin), cache);
  const globalOf = (local: string) => out.get(local)?.entityId ?? local;
  for (const e of text) {
    const own = ownTextId(e.id, docId);
    const pool = new Map<string, Candidate>();
    for (const n of [e.name, ...e.aliases]) for (const c of candidates.get(`${nameKey(n)}\u0001${e.type}`) ?? []) pool.set(c.entityId, c);
    const best = chooseCandidate(contextOf(e, extraction, globalOf), [...pool.values()]);
    if (best) out.set(e.id, { entityId: best.candidate.entityId, ownId: own, why: best.decision.reason, auto: { from: own, into: best.candidate.entityId, reason: best.decision.reason } });
    else out.set(e.id, { entityId: own, ownId: own, why: 'new: no earlier entity of this name with shared context' });
  }
  return out;
}

/** Aliases of an entity in this document: each surface form, how often, and why it was linked. */
function aliasesOf(extraction: Extraction): Map<string, { text: string; linkedBy: string; count: number }[]> {
  const out = new Map<string, Map<string, { text: string; linkedBy: string; count: number }>>();
  for (const m of extraction.mentions) {
    if (!m.entity) continue;
    const per = out.get(m.entity) ?? out.set(m.entity, new Map()).get(m.entity)!;
    const k = `${m.text}\u0001${m.linkedBy ?? ''}`;
    const a = per.get(k);
    if (a) a.count++;
    else per.set(k, { text: m.text, linkedBy: m.linkedBy ?? (m.attributes?.rule as string | undefined) ?? 'name', count: 1 });
  }
  return new Map([...out].map(([k, v]) => [k, [...v.values()]]));
}

export async function writeDocument(trx: Kysely<Database>, backend: Backend, doc: StoredDocumentInput, extraction: Extraction, now: string, cache?: ContextCache): Promise<PutOutcome> {
  const hash = contentHash(doc.text);
  const id = 'd' + hash.slice(0, 16);
  const existing = await trx.selectFrom('documents').select('id').where('id', '=', id).executeTakeFirst();
  if (existing) {
    await addSource(trx, id, doc);
    return { status: 'duplicate', id };
  }
  const signature = minhash(doc.text);
  const bands = bandKeys(signature);
  const near = await findNearDuplicate(trx, signature, bands);
  const stored: Extraction = { ...extraction, document: { ...extraction.document, id } };
  if (doc.externalId && doc.externalId !== id) stored.attributes = { ...(extraction.attributes ?? {}), externalId: doc.externalId };
  const inserted = await trx
    .insertInto('documents')
    .values({
      id,
      content_hash: hash,
      external_id: doc.externalId ?? null,
      title: doc.title ?? null,
      published: doc.published ?? null,
      source: doc.source ?? null,
      url: doc.url ?? null,
      chars: doc.text.length,
      words: wordCount(doc.text),
      text: doc.text,
      extraction: encodeExtraction(stored),
      minhash: encodeSignature(signature),
      near_dup_of: near?.story ?? null,
      near_dup_similarity: near?.similarity ?? null,
      story_id: near?.story ?? id,
      ingested_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    // Another writer stored the same text between our check and our insert.
    await addSource(trx, id, doc);
    return { status: 'duplicate', id };
  }
  await addSource(trx, id, doc);
  for (const part of chunks(bands, 2)) await trx.insertInto('document_bands').values(part.map((band) => ({ band, doc_id: id }))).onConflict((oc) => oc.doNothing()).execute();

  const resolved = await resolveEntities(trx, id, extraction, cache);
  const globalOf = (local: string) => resolved.get(local)?.entityId ?? local;
  await writeEntities(trx, backend, id, near?.story ?? id, extraction, resolved, globalOf, now);
  await writeFacts(trx, id, doc.text, extraction, doc.published);
  await indexNames(trx, backend, id, extraction);
  return near ? { status: 'near-duplicate', id, of: near.story, similarity: near.similarity } : { status: 'stored', id };
}

async function writeEntities(trx: Kysely<Database>, backend: Backend, id: string, story: string, extraction: Extraction, resolved: Map<string, Resolved>, globalOf: (l: string) => string, now: string) {
  const newEntities = extraction.entities.map((e) => {
    const r = resolved.get(e.id)!;
    return {
      id: r.ownId,
      name: e.name,
      type: e.type,
      kind: e.kind ?? null,
      kb: e.kb ?? null,
      country: e.country ?? null,
      lat: e.geo?.lat ?? null,
      lon: e.geo?.lon ?? null,
      origin: isTextEntity(e.id) ? 'text' : 'kb',
      created_at: now,
    };
  });
  // A text entity joined to an earlier one still gets a row of its own, so a split has somewhere to send it.
  const known = new Set<string>();
  for (const part of chunks(newEntities.map((e) => e.id), 1))
    for (const r of await trx.selectFrom('entities').select('id').where('id', 'in', part).execute()) known.add(r.id);
  // In id order, as every writer does: two transactions inserting the same new entities never wait on each other in a cycle.
  const fresh = newEntities.filter((e) => !known.has(e.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const part of chunks(fresh, 10)) if (part.length) await trx.insertInto('entities').values(part).onConflict((oc) => oc.column('id').doNothing()).execute();
  // The knowledge base's names of an entity, once: so "ISKP" finds it even where no report said ISKP.
  const aliasRows = new Map<string, { name_key: string; entity_id: string }>();
  for (const e of extraction.entities)
    if (!isTextEntity(e.id) && !known.has(e.id))
      for (const n of [e.name, ...e.aliases]) {
        const k = nameKey(n);
        if (k) aliasRows.set(`${k}\u0001${e.id}`, { name_key: k, entity_id: e.id });
      }
  const aliasList = [...aliasRows.values()].sort((a, b) => (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.entity_id < b.entity_id ? -1 : 1));
  for (const part of chunks(aliasList, 2)) if (part.length) await trx.insertInto('entity_aliases').values(part).onConflict((oc) => oc.doNothing()).execute();
  if (backend === 'sqlite') {
    // Words of every new entity's names, for finding it by part of a name (PostgreSQL indexes the columns themselves).
    const words = [...fresh.map((e) => ({ name: e.name, entity_id: e.id })), ...[...aliasRows.values()].map((a) => ({ name: a.name_key, entity_id: a.entity_id }))];
    for (const part of chunks(words, 2))
      if (part.length) await sql`insert into entities_fts(name, entity_id) values ${sql.join(part.map((w) => sql`(${w.name}, ${w.entity_id})`))}`.execute(trx);
  }
  const aliases = aliasesOf(extraction);
  const rows = extraction.entities.map((e) => {
    const r = resolved.get(e.id)!;
    const als = aliases.get(e.id) ?? [];
    return {
      doc_id: id,
      local_id: e.id,
      entity_id: r.entityId,
      own_id: r.ownId,
      story_id: story,
      name: e.name,
      name_key: nameKey(e.name),
      type: e.type,
      kind: e.kind ?? null,
      country: e.country ?? null,
      roles: e.roles?.length ? JSON.stringify(e.roles.map((role) => ({ ...role, of: role.of ? globalOf(role.of) : undefined }))) : null,
      aliases: JSON.stringify(als),
      mentions: als.reduce((n, a) => n + a.count, 0),
      linked_why: r.why,
    };
  });
  for (const part of chunks(rows, 14)) if (part.length) await trx.insertInto('doc_entities').values(part).execute();
  // One row a join, all in one statement; the row it moved is the one whose own_id is `from`, so undoing needs no list.
  const joins = extraction.entities.map((e) => resolved.get(e.id)?.auto).filter((a): a is NonNullable<Resolved['auto']> => Boolean(a));
  for (const part of chunks(joins, 6))
    if (part.length) await trx.insertInto('merges').values(part.map((a) => ({ kind: 'auto', from_entity: a.from, into_entity: a.into, reason: a.reason, created_at: now, undone_at: null }))).execute();
}

async function writeFacts(trx: Kysely<Database>, id: string, text: string, x: Extraction, published: string | undefined) {
  const relations = x.relations.map((r) => ({
    doc_id: id,
    id: r.id,
    type: r.type,
    source_local: r.source,
    target_local: r.target,
    since: r.since ?? null,
    until: r.until ?? null,
    confidence: r.confidence,
    rule: (r.attributes?.rule as string | undefined) ?? null,
    evidence: JSON.stringify(r.evidence),
    evidence_text: evidenceText(text, r.evidence),
  }));
  for (const part of chunks(relations, 11)) if (part.length) await trx.insertInto('relations').values(part).execute();

  const events = x.events.map((e) => {
    const start = e.time?.start;
    const end = e.time?.end ?? start;
    const basis = start ? 'event' : published ? 'published' : null;
    return {
      doc_id: id,
      id: e.id,
      type: e.type,
      mode: e.mode ?? null,
      modality: e.modality,
      contexts: e.contexts?.length ? JSON.stringify(e.contexts) : null,
      location_local: e.location ?? null,
      time_text: e.time?.text ?? null,
      time_start: start ?? null,
      time_end: e.time?.end ?? null,
      date_lo: start ? pad(start, false) : published ? pad(published, false) : null,
      date_hi: end ? pad(end, true) : published ? pad(published, true) : null,
      date_basis: basis,
      quantities: e.quantities?.length ? JSON.stringify(e.quantities) : null,
      confidence: e.confidence,
      evidence: JSON.stringify(e.evidence),
      evidence_text: evidenceText(text, e.evidence),
    };
  });
  for (const part of chunks(events, 17)) if (part.length) await trx.insertInto('events').values(part).execute();
  const participants = new Map<string, { doc_id: string; event_id: string; local_id: string; role: string }>();
  for (const e of x.events) for (const p of e.participants) participants.set(`${e.id}\u0001${p.entity}\u0001${p.role}`, { doc_id: id, event_id: e.id, local_id: p.entity, role: p.role });
  for (const part of chunks([...participants.values()], 4)) if (part.length) await trx.insertInto('event_participants').values(part).execute();

  const quotes = x.quotes.map((q) => ({ doc_id: id, id: q.id, speaker_local: q.speaker ?? null, text: q.text, start_offset: q.start, end_offset: q.end, evidence: JSON.stringify(q.evidence) }));
  for (const part of chunks(quotes, 7)) if (part.length) await trx.insertInto('quotes').values(part).execute();
  const about = new Map<string, { doc_id: string; quote_id: string; local_id: string }>();
  for (const q of x.quotes)
    for (const m of x.mentions) if (m.entity && m.start >= q.start && m.end <= q.end) about.set(`${q.id}\u0001${m.entity}`, { doc_id: id, quote_id: q.id, local_id: m.entity });
  for (const part of chunks([...about.values()], 3)) if (part.length) await trx.insertInto('quote_mentions').values(part).execute();

  const claims = x.claims.map((c) => ({
    doc_id: id,
    id: c.id,
    subject_local: c.subject ?? null,
    property: c.property ?? null,
    value: c.value ?? null,
    min: c.min ?? null,
    max: c.max ?? null,
    unit: c.unit ?? null,
    approximate: c.approximate ? 1 : 0,
    text: c.text,
    source_local: c.source ?? null,
    evidence: JSON.stringify(c.evidence),
    evidence_text: evidenceText(text, c.evidence),
  }));
  for (const part of chunks(claims, 13)) if (part.length) await trx.insertInto('claims').values(part).execute();
}

/**
 * The names a report used for an entity that are neither its canonical name nor a name the
 * knowledge base gives it (those are found through doc_entities and entity_aliases), so that any
 * name a report used finds the entity; in SQLite also the documents' full-text index
 * (PostgreSQL's tsvector column is generated from the row).
 */
async function indexNames(trx: Kysely<Database>, backend: Backend, id: string, x: Extraction) {
  const keys = new Map<string, { name_key: string; doc_id: string; local_id: string }>();
  const said = new Map<string, Set<string>>();
  for (const m of x.mentions) if (m.entity && !m.nominal) (said.get(m.entity) ?? said.set(m.entity, new Set()).get(m.entity)!).add(m.text);
  for (const e of x.entities) {
    const known = new Set([e.name, ...(isTextEntity(e.id) ? [] : e.aliases)].map(nameKey));
    for (const n of said.get(e.id) ?? []) {
      const k = nameKey(n);
      if (k && !known.has(k)) keys.set(`${e.id}\u0001${k}`, { name_key: k, doc_id: id, local_id: e.id });
    }
  }
  for (const part of chunks([...keys.values()], 3)) if (part.length) await trx.insertInto('doc_entity_names').values(part).onConflict((oc) => oc.doNothing()).execute();
  if (backend === 'sqlite') await sql`insert into documents_fts(rowid, title, text) select rowid, coalesce(title, ''), text from documents where id = ${id}`.execute(trx);
}
