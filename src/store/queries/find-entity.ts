// From what an analyst types to an entity: an id, a name or any name the reports used for it
// ("Daesh"), or words of a name. Several matches come back ranked by how many stories name them.
import { sql } from 'kysely';
import { textEntity, type Backend } from '../migrations.js';
import { nameKey } from '../../resolve/identity.js';
import { loadEntities, entityRef, storyCounts, type Db } from './refs.js';
import type { EntityRef } from '../../model/store.js';

export type EntityMatch = EntityRef & { documents: number };

/** Entities with the stories naming them, most first; by name, only those some document still names. */
async function ranked(db: Db, ids: string[], byName = true): Promise<EntityMatch[]> {
  const unique = [...new Set(ids)].slice(0, 50);
  const [ents, counts] = await Promise.all([loadEntities(db, unique), storyCounts(db, unique)]);
  return unique
    .filter((id) => ents.has(id) && (!byName || counts.has(id)))
    .map((id) => ({ ...entityRef(ents.get(id)!), documents: counts.get(id) ?? 0 }))
    .sort((a, b) => b.documents - a.documents || a.id.localeCompare(b.id));
}

/** Entities the query names, best first; empty when nothing matches. */
export async function findEntities(db: Db, backend: Backend, query: string): Promise<EntityMatch[]> {
  const q = query.trim();
  if (!q) return [];
  const byId = await db.selectFrom('entities').select('id').where('id', '=', q).executeTakeFirst();
  if (byId) return ranked(db, [byId.id], false);
  const k = nameKey(q);
  const [said, textNamed, aliased] = await Promise.all([
    db
      .selectFrom('doc_entity_names as n')
      .innerJoin('doc_entities as de', (j) => j.onRef('de.doc_id', '=', 'n.doc_id').onRef('de.local_id', '=', 'n.local_id'))
      .select('de.entity_id')
      .distinct()
      .where('n.name_key', '=', k)
      .limit(50)
      .execute(),
    db.selectFrom('doc_entities').select('entity_id').distinct().where('name_key', '=', k).where(textEntity()).limit(50).execute(),
    db.selectFrom('entity_aliases').select('entity_id').where('name_key', '=', k).limit(50).execute(),
  ]);
  const named = [...said, ...textNamed, ...aliased];
  if (named.length) return ranked(db, named.map((r) => r.entity_id));
  const words = k.split(' ').filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (!words.length) return [];
  let ids: string[];
  if (backend === 'sqlite') {
    const match = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' ');
    const rows = await sql<{ entity_id: string }>`select distinct entity_id from entities_fts where entities_fts match ${match} limit 50`.execute(db);
    ids = rows.rows.map((r) => r.entity_id);
  } else {
    const q = words.join(' ');
    const rows = await sql<{ entity_id: string }>`
      select id as entity_id from entities where to_tsvector('simple', name) @@ plainto_tsquery('simple', ${q})
      union select entity_id from entity_aliases where to_tsvector('simple', name_key) @@ plainto_tsquery('simple', ${q})
      limit 50`.execute(db);
    ids = rows.rows.map((r) => r.entity_id);
  }
  return ranked(db, ids);
}
