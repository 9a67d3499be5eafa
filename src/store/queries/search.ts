// Full-text search over documents: FTS5 with BM25 in SQLite, tsvector with ts_rank_cd in
// PostgreSQL. The same query language on both: words (all must occur), "quoted phrases",
// OR between alternatives and -word to exclude. Snippets come back with highlight offsets, so
// callers render them as text and never as markup.
import { sql } from 'kysely';
import type { Backend } from '../migrations.js';
import type { SearchHit } from '../../model/store.js';
import { documentRef, type Db } from './refs.js';

const OPEN = '\u0002';
const CLOSE = '\u0003';

type Term = { text: string; phrase: boolean; negated: boolean; or: boolean };

/** Words, phrases, OR and -word from what an analyst typed; anything else is a plain word. */
export function parseQuery(q: string): Term[] {
  const terms: Term[] = [];
  const re = /(-?)"([^"]*)"|(\S+)/g;
  let pendingOr = false;
  for (let m; (m = re.exec(q)); ) {
    if (m[3] === 'OR') {
      pendingOr = terms.length > 0;
      continue;
    }
    const negated = m[1] === '-' || (m[3]?.startsWith('-') ?? false);
    const raw = m[2] ?? m[3]!.replace(/^-/, '');
    const text = raw.replace(/[^\p{L}\p{N}'\s-]/gu, ' ').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    terms.push({ text, phrase: m[2] !== undefined, negated, or: pendingOr });
    pendingOr = false;
  }
  return terms;
}

function fts5Query(terms: Term[]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  let out = '';
  for (const t of terms) {
    if (t.negated) {
      if (out) out += ` NOT ${quote(t.text)}`;
      continue;
    }
    out += out ? (t.or ? ` OR ${quote(t.text)}` : ` AND ${quote(t.text)}`) : quote(t.text);
  }
  return out;
}

function websearch(terms: Term[]): string {
  return terms.map((t) => `${t.or ? 'or ' : ''}${t.negated ? '-' : ''}${t.phrase ? `"${t.text}"` : t.text}`).join(' ');
}

/** Highlight markers out of a snippet, as offsets. */
export function unmark(marked: string): { snippet: string; highlights: { start: number; end: number }[] } {
  let snippet = '';
  const highlights: { start: number; end: number }[] = [];
  let open = -1;
  for (const ch of marked) {
    if (ch === OPEN) open = snippet.length;
    else if (ch === CLOSE) {
      if (open >= 0 && snippet.length > open) highlights.push({ start: open, end: snippet.length });
      open = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

export type SearchOptions = { from?: string; to?: string; limit?: number; offset?: number };

export async function searchDocuments(db: Db, backend: Backend, query: string, o: SearchOptions = {}): Promise<{ total: number; items: SearchHit[] }> {
  const terms = parseQuery(query);
  if (!terms.some((t) => !t.negated)) return { total: 0, items: [] };
  const limit = o.limit ?? 20;
  const offset = o.offset ?? 0;
  const from = o.from ? sql`and d.published >= ${o.from}` : sql``;
  const to = o.to ? sql`and d.published <= ${o.to + '\uffff'}` : sql``;
  type Row = { id: string; title: string | null; published: string | null; source: string | null; url: string | null; rank: number; snip: string };
  let rows: Row[];
  let total: number;
  if (backend === 'sqlite') {
    const match = fts5Query(terms);
    const where = sql`documents_fts match ${match} and d.near_dup_of is null ${from} ${to}`;
    const [count, page] = await Promise.all([
      sql<{ n: number }>`select count(*) as n from documents_fts join documents d on d.rowid = documents_fts.rowid where ${where}`.execute(db),
      sql<Row>`
        select d.id, d.title, d.published, d.source, d.url, -bm25(documents_fts, 4.0, 1.0) as rank,
          snippet(documents_fts, 1, ${OPEN}, ${CLOSE}, '…', 32) as snip
        from documents_fts join documents d on d.rowid = documents_fts.rowid
        where ${where}
        order by bm25(documents_fts, 4.0, 1.0), d.id limit ${limit} offset ${offset}`.execute(db),
    ]);
    total = Number(count.rows[0]?.n ?? 0);
    rows = page.rows;
  } else {
    const q = sql`websearch_to_tsquery('english', ${websearch(terms)})`;
    const where = sql`d.tsv @@ ${q} and d.near_dup_of is null ${from} ${to}`;
    const [count, page] = await Promise.all([
      sql<{ n: number }>`select count(*) as n from documents d where ${where}`.execute(db),
      sql<Row>`
        select id, title, published, source, url, rank,
          ts_headline('english', left(text, 100000), ${q}, ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`}) as snip
        from (select d.id, d.title, d.published, d.source, d.url, d.text, ts_rank_cd(d.tsv, ${q}) as rank
              from documents d where ${where}
              order by rank desc, d.id limit ${limit} offset ${offset}) top
        order by rank desc, id`.execute(db),
    ]);
    total = Number(count.rows[0]?.n ?? 0);
    rows = page.rows;
  }
  return { total, items: rows.map((r) => ({ ...documentRef(r), rank: Number(r.rank), ...unmark(r.snip ?? '') })) };
}
