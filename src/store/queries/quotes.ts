// Quotes by an entity (it is the speaker) and about it (it is named inside the quoted words).
import type { StoredQuote } from '../../model/store.js';
import { documentRef, globalIds, key, loadEntities, refOf, type Db } from './refs.js';

type QuoteRow = { doc_id: string; id: string; speaker_local: string | null; text: string; start_offset: number; end_offset: number; title: string | null; published: string | null; source: string | null; url: string | null };
const cols = ['q.doc_id', 'q.id', 'q.speaker_local', 'q.text', 'q.start_offset', 'q.end_offset', 'd.title', 'd.published', 'd.source', 'd.url'] as const;

async function hydrate(db: Db, rows: QuoteRow[]): Promise<StoredQuote[]> {
  const globals = await globalIds(db, rows.filter((r) => r.speaker_local).map((r) => [r.doc_id, r.speaker_local!] as [string, string]));
  const ents = await loadEntities(db, globals.values());
  return rows.map((r) => {
    const speaker = r.speaker_local ? globals.get(key(r.doc_id, r.speaker_local)) : undefined;
    return {
      id: `${r.doc_id}/${r.id}`,
      document: documentRef({ id: r.doc_id, title: r.title, published: r.published, source: r.source, url: r.url }),
      ...(speaker ? { speaker: refOf(ents, speaker) } : {}),
      text: r.text,
      start: r.start_offset,
      end: r.end_offset,
    };
  });
}

/** Quotes whose speaker is the entity. */
export async function quotesBy(db: Db, entityId: string, limit = 50): Promise<StoredQuote[]> {
  const q = db
    .selectFrom('doc_entities as de')
    .innerJoin('quotes as q', (j) => j.onRef('q.doc_id', '=', 'de.doc_id').onRef('q.speaker_local', '=', 'de.local_id'));
  return latest(db, q, entityId, limit);
}

/** Quotes that name the entity inside the quoted words. */
export async function quotesAbout(db: Db, entityId: string, limit = 50): Promise<StoredQuote[]> {
  const q = db
    .selectFrom('doc_entities as de')
    .innerJoin('quote_mentions as qm', (j) => j.onRef('qm.doc_id', '=', 'de.doc_id').onRef('qm.local_id', '=', 'de.local_id'))
    .innerJoin('quotes as q', (j) => j.onRef('q.doc_id', '=', 'qm.doc_id').onRef('q.id', '=', 'qm.quote_id'));
  return latest(db, q, entityId, limit);
}

/** The newest quotes of one story each (near-duplicates left out) from a join that reaches `q` from the entity's rows `de`. */
async function latest(db: Db, joined: ReturnType<typeof quotesJoin>, entityId: string, limit: number): Promise<StoredQuote[]> {
  const rows = await joined
    .innerJoin('documents as d', 'd.id', 'q.doc_id')
    .select(cols)
    .where('de.entity_id', '=', entityId)
    .where('d.near_dup_of', 'is', null)
    .orderBy('d.published', 'desc')
    .orderBy('q.doc_id')
    .orderBy('q.id')
    .limit(limit)
    .execute();
  return hydrate(db, rows);
}

/** The shape both joins share, for typing `latest`. */
function quotesJoin(db: Db) {
  return db.selectFrom('doc_entities as de').innerJoin('quotes as q', (j) => j.onRef('q.doc_id', '=', 'de.doc_id'));
}
