// What is in the store, in a few counts.
import { sql } from 'kysely';
import type { Stats } from '../../model/store.js';
import type { Db } from './refs.js';

export async function stats(db: Db): Promise<Stats> {
  const count = (table: 'relations' | 'events' | 'quotes' | 'claims') => db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const [docs, entities, rel, ev, qu, cl, merges] = await Promise.all([
    db
      .selectFrom('documents')
      .select([
        sql<number>`count(*)`.as('n'),
        sql<number>`count(distinct story_id)`.as('stories'),
        sql<number>`coalesce(sum(words), 0)`.as('words'),
        sql<string | null>`min(published)`.as('first'),
        sql<string | null>`max(published)`.as('last'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('entities as e')
      .select(['e.type', sql<number>`count(*)`.as('n')])
      .where(({ exists, selectFrom }) => exists(selectFrom('doc_entities as de').select('de.doc_id').whereRef('de.entity_id', '=', 'e.id')))
      .groupBy('e.type')
      .orderBy('e.type')
      .execute(),
    count('relations'),
    count('events'),
    count('quotes'),
    count('claims'),
    db.selectFrom('merges').select(['kind', sql<number>`count(*)`.as('n')]).where('undone_at', 'is', null).groupBy('kind').execute(),
  ]);
  const m = new Map(merges.map((r) => [r.kind, Number(r.n)]));
  return {
    documents: Number(docs.n),
    stories: Number(docs.stories),
    nearDuplicates: Number(docs.n) - Number(docs.stories),
    words: Number(docs.words),
    entities: Object.fromEntries(entities.map((r) => [r.type, Number(r.n)])),
    facts: { relations: Number(rel.n), events: Number(ev.n), quotes: Number(qu.n), claims: Number(cl.n) },
    published: { ...(docs.first ? { from: docs.first } : {}), ...(docs.last ? { to: docs.last } : {}) },
    merges: { auto: m.get('auto') ?? 0, manual: m.get('manual') ?? 0, split: m.get('split') ?? 0 },
  };
}
