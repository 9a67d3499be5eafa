// A readable summary of one extraction for a terminal: the cast, dates, and the facts.
import type { Extraction } from '../model/contract.js';

export function formatTable(x: Extraction): string {
  const lines: string[] = [];
  const name = (id?: string) => (id ? x.entities.find((e) => e.id === id)?.name ?? id : '?');
  const heading = (s: string, n: number) => lines.push('', `${s} (${n})`, '-'.repeat(s.length + String(n).length + 3));
  lines.push(`${x.document.title ?? x.document.id}${x.document.published ? ` — published ${x.document.published}` : ''}`);
  lines.push(`${x.document.chars} characters, ${x.segments.length} segments (${x.segments.filter((s) => s.kind === 'caption').length} captions), ${x.mentions.length} mentions`);
  const count = new Map<string, number>();
  for (const m of x.mentions) if (m.entity) count.set(m.entity, (count.get(m.entity) ?? 0) + 1);
  heading('Entities', x.entities.length);
  const types = [...new Set(x.entities.map((e) => e.type))];
  for (const t of types) {
    const es = x.entities.filter((e) => e.type === t).sort((a, b) => (count.get(b.id) ?? 0) - (count.get(a.id) ?? 0));
    lines.push(`${t}:`);
    for (const e of es) {
      const roles = e.roles?.length ? `  [${e.roles.map((r) => r.title + (r.of ? ` of ${name(r.of)}` : '')).join('; ')}]` : '';
      lines.push(`  ${e.name.padEnd(40)} ${String(count.get(e.id) ?? 0).padStart(3)}×  ${e.id}${roles}`);
    }
  }
  heading('Dates', x.dates.length);
  for (const d of x.dates) lines.push(`  ${d.text.padEnd(40)} ${d.value}`);
  if (x.relations.length) {
    heading('Relations', x.relations.length);
    for (const r of x.relations) lines.push(`  ${name(r.source)} ${r.type} ${name(r.target)}${r.since ? ` since ${r.since}` : ''}${r.until ? ` until ${r.until}` : ''}  (${r.confidence.toFixed(2)})`);
  }
  if (x.events.length) {
    heading('Events', x.events.length);
    for (const e of x.events) {
      const who = e.participants.map((p) => `${p.role}: ${name(p.entity)}`).join(', ');
      lines.push(`  ${e.type}${e.mode ? `/${e.mode}` : ''} [${e.modality}] ${who}${e.location ? ` @ ${name(e.location)}` : ''}${e.time?.start ? ` ${e.time.start}${e.time.end && e.time.end !== e.time.start ? `/${e.time.end}` : ''}` : ''}`);
    }
  }
  if (x.quotes.length) {
    heading('Quotes', x.quotes.length);
    for (const q of x.quotes) lines.push(`  ${name(q.speaker)}: “${q.text.length > 90 ? q.text.slice(0, 87) + '...' : q.text}”`);
  }
  if (x.claims.length) {
    heading('Claims', x.claims.length);
    for (const c of x.claims) {
      const v = c.value ?? (c.min !== undefined || c.max !== undefined ? `${c.min ?? ''}–${c.max ?? ''}` : '?');
      lines.push(`  ${name(c.subject)} ${c.property ?? ''} = ${c.approximate ? '~' : ''}${v}${c.unit ? ` ${c.unit}` : ''}${c.source ? `  (per ${name(c.source)})` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}
