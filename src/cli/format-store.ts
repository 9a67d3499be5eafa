// Readable answers for a terminal. Text from reports is printed as it is, on one line each.
import type { Contradiction, Dossier, Graph, Merge, SearchHit, Stats, StoredClaim, StoredEvent, EntityRef } from '../model/store.js';

const oneLine = (s: string, max = 160) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
};
const heading = (s: string, n?: number) => ['', n === undefined ? s : `${s} (${n})`, '-'.repeat(s.length + (n === undefined ? 0 : String(n).length + 3))];
const who = (e?: EntityRef) => (e ? `${e.name} [${e.id}]` : '?');
const docLabel = (d: { id: string; title?: string; published?: string }) => `${d.published ?? '????'} ${d.id}${d.title ? ` ${oneLine(d.title, 60)}` : ''}`;

export function searchTable(query: string, r: { total: number; items: SearchHit[] }): string {
  const lines = [`${r.total} documents match ${JSON.stringify(query)}`];
  for (const h of r.items) {
    let s = '';
    let at = 0;
    for (const m of h.highlights) (s += h.snippet.slice(at, m.start) + '[' + h.snippet.slice(m.start, m.end) + ']'), (at = m.end);
    s += h.snippet.slice(at);
    lines.push('', `${docLabel(h)}  (rank ${h.rank.toFixed(2)})`, `  ${oneLine(s, 300)}`);
  }
  return lines.join('\n');
}

function eventLine(e: StoredEvent): string {
  const parts = e.participants.map((p) => `${p.role}: ${p.name}`).join('; ');
  const when = e.date.start ? `${e.date.start}${e.date.end ? `/${e.date.end}` : ''}${e.date.basis === 'published' ? ' (published)' : ''}` : 'undated';
  const where = e.location ? ` at ${e.location.name}${e.location.km !== undefined ? ` (${e.location.km} km)` : ''}` : '';
  return `${when.padEnd(24)} ${e.type}${e.mode ? `/${e.mode}` : ''} ${e.modality !== 'asserted' ? `(${e.modality}) ` : ''}${parts}${where}${e.copies ? `  +${e.copies} copies` : ''}\n    "${oneLine(e.evidence.text)}"  ${e.document.id}`;
}

export function eventsTable(r: { total: number; items: StoredEvent[] }): string {
  return [`${r.total} events${r.items.length < r.total ? `, ${r.items.length} shown` : ''}`, ...r.items.map(eventLine)].join('\n');
}

function claimLine(c: StoredClaim): string {
  const n = c.value !== undefined ? String(c.value) : `${c.min ?? ''}–${c.max ?? ''}`;
  return `${(c.property ?? '?').padEnd(12)} ${(c.approximate ? '~' : '') + n} ${c.unit ?? ''}  "${oneLine(c.text, 80)}"  source: ${c.source ? c.source.name : 'the report'}  ${docLabel(c.document)}`;
}

export function claimsTable(r: StoredClaim[]): string {
  return [`${r.length} claims`, ...r.map(claimLine)].join('\n');
}

export function contradictionsTable(r: Contradiction[]): string {
  const lines = [`${r.length} contradictions`];
  for (const c of r) lines.push('', `${who(c.subject)} — ${c.property}${c.unit ? ` (${c.unit})` : ''}, ${Math.round(c.gap * 100)}% apart`, `  A: ${claimLine(c.a)}`, `  B: ${claimLine(c.b)}`);
  return lines.join('\n');
}

export function dossierTable(d: Dossier): string {
  const e = d.entity;
  const lines = [`${e.name} — ${e.type.toLowerCase()}${e.kind ? `, ${e.kind}` : ''}${e.country ? `, ${e.country}` : ''}`, `ids: ${d.ids.join(', ')}   (${e.origin === 'kb' ? 'knowledge base' : 'first seen in a report'})`];
  if (e.lat !== undefined) lines.push(`at ${e.lat}, ${e.lon}`);
  if (d.otherMatches.length) lines.push(`the name also matches: ${d.otherMatches.map((o) => `${o.name} [${o.id}] (${o.documents})`).join(', ')}`);
  lines.push(...heading('Names', d.aliases.length));
  for (const a of d.aliases.slice(0, 30)) lines.push(`  ${a.text.padEnd(36)} ${String(a.documents).padStart(4)} docs  ${a.why.join(', ')}`);
  if (d.roles.length) {
    lines.push(...heading('Roles', d.roles.length));
    for (const r of d.roles) lines.push(`  ${r.title}${r.of ? ` of ${r.of.name}` : ''}${r.since ? ` since ${r.since}` : ''}${r.until ? ` until ${r.until}` : ''}  (${r.documents} docs)`);
  }
  if (d.merges.length) {
    lines.push(...heading('Merges', d.merges.length));
    for (const m of d.merges) lines.push(`  #${m.id} ${m.kind} ${m.from} → ${m.into}${m.undone ? ' (undone)' : ''}: ${m.reason}`);
  }
  lines.push(...heading('Relations', d.relations.length));
  for (const r of d.relations.slice(0, 40))
    lines.push(`  ${r.source.name} ${r.type} ${r.target.name}${r.since ? ` since ${r.since}` : ''}${r.until ? ` until ${r.until}` : ''}  (${r.documents} docs${r.lastSeen ? `, last ${r.lastSeen}` : ''})`);
  lines.push(...heading('Events', d.events.total));
  for (const ev of d.events.items.slice(-30)) lines.push('  ' + eventLine(ev));
  if (d.quotesBy.length) {
    lines.push(...heading('Quotes by', d.quotesBy.length));
    for (const q of d.quotesBy.slice(0, 15)) lines.push(`  "${oneLine(q.text)}"  ${docLabel(q.document)}`);
  }
  if (d.quotesAbout.length) {
    lines.push(...heading('Quotes about', d.quotesAbout.length));
    for (const q of d.quotesAbout.slice(0, 15)) lines.push(`  ${q.speaker ? q.speaker.name : '?'}: "${oneLine(q.text)}"  ${docLabel(q.document)}`);
  }
  if (d.claims.length) {
    lines.push(...heading('Claims', d.claims.length));
    for (const c of d.claims.slice(0, 20)) lines.push('  ' + claimLine(c));
  }
  if (d.contradictions.length) lines.push(...heading('Contradictions', d.contradictions.length), ...contradictionsTable(d.contradictions).split('\n').slice(1));
  lines.push(...heading('Documents', d.documents.total));
  for (const doc of d.documents.items) lines.push(`  ${docLabel(doc)}  ${doc.mentions}×`);
  return lines.join('\n');
}

export function graphTable(g: Graph): string {
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));
  const lines = [`${name.get(g.center) ?? g.center}: ${g.nodes.length} actors, ${g.edges.length} edges${g.truncated ? ' (truncated)' : ''}`];
  for (const e of g.edges)
    lines.push(`  ${e.sign > 0 ? '+' : e.sign < 0 ? '−' : ' '} ${name.get(e.source) ?? e.source} ${e.directed ? '→' : '—'} ${name.get(e.target) ?? e.target}  ${e.type}  (${e.documents} docs)`);
  return lines.join('\n');
}

export function statsTable(s: Stats, location: string): string {
  return [
    `${location}`,
    `documents   ${s.documents} (${s.stories} stories, ${s.nearDuplicates} near-duplicates)`,
    `words       ${s.words.toLocaleString('en')}`,
    `published   ${s.published.from ?? '—'} to ${s.published.to ?? '—'}`,
    `entities    ${Object.entries(s.entities).map(([t, n]) => `${t.toLowerCase()} ${n}`).join(', ') || 'none'}`,
    `facts       relations ${s.facts.relations}, events ${s.facts.events}, quotes ${s.facts.quotes}, claims ${s.facts.claims}`,
    `merges      automatic ${s.merges.auto}, by analysts ${s.merges.manual}, splits ${s.merges.split}`,
  ].join('\n');
}

export function mergesTable(r: Merge[]): string {
  return [`${r.length} merges and splits`, ...r.map((m) => `#${m.id} ${m.kind.padEnd(6)} ${m.from} → ${m.into}  (${m.moved} moved)${m.undone ? ' undone' : ''}  ${m.reason}`)].join('\n');
}
