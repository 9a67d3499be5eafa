// Merging and splitting identities, reversibly. A merge moves every document entity of one
// entity to another; a split moves one document's entity back to the identity it forms alone.
// Each records the rows it moved and why, so undoing it puts exactly those rows back.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Merge } from '../../model/store.js';

type Trx = Kysely<Database>;

export class IdentityError extends Error {}

async function record(trx: Trx, kind: string, from: string, into: string, reason: string, rows: { doc_id: string; local_id: string; entity_id: string }[], now: string): Promise<number> {
  const m = await trx.insertInto('merges').values({ kind, from_entity: from, into_entity: into, reason, created_at: now, undone_at: null }).returning('id').executeTakeFirstOrThrow();
  const id = Number(m.id);
  for (let i = 0; i < rows.length; i += 5000)
    await trx.insertInto('merge_moves').values(rows.slice(i, i + 5000).map((r) => ({ merge_id: id, doc_id: r.doc_id, local_id: r.local_id, from_entity: r.entity_id }))).execute();
  return id;
}

async function mustExist(trx: Trx, id: string) {
  const e = await trx.selectFrom('entities').select(['id', 'type']).where('id', '=', id).executeTakeFirst();
  if (!e) throw new IdentityError(`no entity "${id}" in the store`);
  return e;
}

/** Every document entity now in `from` joins `into`. */
export async function mergeEntities(trx: Trx, from: string, into: string, reason: string, now: string): Promise<number> {
  if (from === into) throw new IdentityError(`cannot merge "${from}" into itself`);
  const [a, b] = [await mustExist(trx, from), await mustExist(trx, into)];
  if (a.type !== b.type) throw new IdentityError(`"${from}" is a ${a.type} and "${into}" a ${b.type}; only entities of one type merge`);
  const rows = await trx.selectFrom('doc_entities').select(['doc_id', 'local_id', 'entity_id']).where('entity_id', '=', from).execute();
  if (!rows.length) throw new IdentityError(`"${from}" is named in no document`);
  const id = await record(trx, 'manual', from, into, reason, rows, now);
  await trx.updateTable('doc_entities').set({ entity_id: into }).where('entity_id', '=', from).execute();
  return id;
}

/** The entity as named in one document leaves `entity` and forms its own identity again. */
export async function splitEntity(trx: Trx, entity: string, docId: string, reason: string, now: string): Promise<number> {
  const rows = await trx.selectFrom('doc_entities').select(['doc_id', 'local_id', 'entity_id', 'own_id']).where('entity_id', '=', entity).where('doc_id', '=', docId).execute();
  if (!rows.length) throw new IdentityError(`document "${docId}" does not name "${entity}"`);
  const movable = rows.filter((r) => r.own_id !== entity);
  if (!movable.length) throw new IdentityError(`in "${docId}", "${entity}" is the entity's own identity (${rows[0].own_id}); there is nothing to split it from`);
  const own = movable[0].own_id;
  const id = await record(trx, 'split', entity, own, reason, movable, now);
  for (const r of movable) await trx.updateTable('doc_entities').set({ entity_id: r.own_id }).where('doc_id', '=', r.doc_id).where('local_id', '=', r.local_id).execute();
  return id;
}

/** Puts back the rows a merge or split moved. */
export async function undoMerge(trx: Trx, mergeId: number, now: string): Promise<void> {
  const m = await trx.selectFrom('merges').selectAll().where('id', '=', mergeId).executeTakeFirst();
  if (!m) throw new IdentityError(`no merge or split #${mergeId}`);
  if (m.undone_at) throw new IdentityError(`#${mergeId} was already undone on ${m.undone_at}`);
  if (m.kind === 'auto') {
    // an automatic join moved the one document entity whose own identity it was
    await trx.updateTable('doc_entities').set({ entity_id: m.from_entity }).where('own_id', '=', m.from_entity).execute();
  } else {
    const moves = await trx.selectFrom('merge_moves').selectAll().where('merge_id', '=', mergeId).execute();
    for (const mv of moves) await trx.updateTable('doc_entities').set({ entity_id: mv.from_entity }).where('doc_id', '=', mv.doc_id).where('local_id', '=', mv.local_id).execute();
  }
  await trx.updateTable('merges').set({ undone_at: now }).where('id', '=', mergeId).execute();
}

export async function listMerges(db: Kysely<Database>, entity?: string, limit = 200): Promise<Merge[]> {
  let q = db.selectFrom('merges as m').leftJoin('merge_moves as mv', 'mv.merge_id', 'm.id').select(['m.id', 'm.kind', 'm.from_entity', 'm.into_entity', 'm.reason', 'm.created_at', 'm.undone_at', (eb) => eb.fn.count<number>('mv.doc_id').as('moved')]);
  if (entity) q = q.where((eb) => eb.or([eb('m.from_entity', '=', entity), eb('m.into_entity', '=', entity)]));
  const rows = await q.groupBy(['m.id', 'm.kind', 'm.from_entity', 'm.into_entity', 'm.reason', 'm.created_at', 'm.undone_at']).orderBy('m.id').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, from: r.from_entity, into: r.into_entity, reason: r.reason, createdAt: r.created_at, undone: r.undone_at !== null, moved: r.kind === 'auto' ? 1 : Number(r.moved) }));
}
