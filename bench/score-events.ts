// Scores the event stage against eval/events.jsonl (see eval/README.md): each sentence goes
// through the whole pipeline with its published date, and its predicted events are matched one to
// one with the gold events of the same type (the pairing that shares most actors first).
//   type accuracy    gold events with a predicted event of their type / gold events
//   type precision   predicted events whose type is among the sentence's gold types / predicted events
//   actor accuracy   for found events: gold source and target names overlapping (case-insensitive,
//                    substring either way) a predicted participant's name, alias or mention text
//   role accuracy    the same, with the role kept (source ~ source or participant, target ~ target or participant)
//   modality, location: for found events (location only where the gold gives one)
//   no-event precision: sentences with no gold event that give no event
// usage: node dist/bench/score-events.js [--verbose] [--file eval/events.jsonl]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPipeline, toExtraction } from '../src/pipeline.js';
import type { Event, Extraction } from '../src/model/contract.js';
import { ROOT } from '../test/helpers/paths.js';

type GoldEvent = { type: string; mode?: string; source: string[]; target: string[]; location?: string; modality: string };
type Item = { id: string; text: string; published?: string; region?: string; events: GoldEvent[] };

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const fileArg = args.indexOf('--file');
const file = fileArg >= 0 ? args[fileArg + 1] : join(ROOT, 'eval', 'events.jsonl');

const items: Item[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l, i) => {
    try {
      return JSON.parse(l) as Item;
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`);
    }
  });

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim().replace(/^the /, '');
const overlaps = (a: string, b: string) => {
  const x = norm(a);
  const y = norm(b);
  return !!x && !!y && (x.includes(y) || y.includes(x));
};

/** Every name an entity goes by in one extraction: canonical name, aliases, the text of its mentions. */
function namesOf(x: Extraction): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const e of x.entities) names.set(e.id, [e.name, ...e.aliases]);
  for (const m of x.mentions) if (m.entity) names.get(m.entity)?.push(m.text) ?? names.set(m.entity, [m.text]);
  return names;
}

const pipeline = createPipeline({ tagger: true });
const t0 = performance.now();

let gold = 0;
let found = 0;
let predicted = 0;
let predictedOfGoldType = 0;
let actorNames = 0;
let actorHits = 0;
let roleHits = 0;
let modalityOk = 0;
let locationGold = 0;
let locationOk = 0;
let noEventSentences = 0;
let noEventClean = 0;
const perType = new Map<string, { gold: number; found: number; predicted: number; precise: number }>();
const perModality = new Map<string, { gold: number; found: number; right: number }>();
const row = <K, V>(m: Map<K, V>, k: K, init: () => V) => m.get(k) ?? (m.set(k, init()), m.get(k)!);
const lines: string[] = [];

for (const item of items) {
  const x = toExtraction(pipeline.run({ id: item.id, text: item.text, published: item.published }));
  const names = namesOf(x);
  const nameOf = (id: string | undefined) => (id ? names.get(id) ?? [id] : []);
  const goldTypes = new Set(item.events.map((g) => g.type));
  predicted += x.events.length;
  for (const e of x.events) {
    row(perType, e.type, () => ({ gold: 0, found: 0, predicted: 0, precise: 0 })).predicted++;
    if (goldTypes.has(e.type)) {
      predictedOfGoldType++;
      perType.get(e.type)!.precise++;
    }
  }
  if (!item.events.length) {
    noEventSentences++;
    if (!x.events.length) noEventClean++;
    else if (verbose) lines.push(`${item.id} no event expected; got ${x.events.map((e) => e.type).join(', ')}: ${item.text}`);
  }
  // actor overlap of one predicted event with one gold event
  const actorScore = (e: Event, g: GoldEvent) => {
    let loose = 0;
    let strict = 0;
    for (const [names, want] of [
      [g.source, 'source'],
      [g.target, 'target'],
    ] as const)
      for (const n of names) {
        const hits = e.participants.filter((p) => nameOf(p.entity).some((s) => overlaps(s, n)));
        if (hits.length) loose++;
        if (hits.some((p) => p.role === want || p.role === 'participant')) strict++;
      }
    return { loose, strict, total: g.source.length + g.target.length };
  };
  const used = new Set<Event>();
  for (const g of item.events) {
    gold++;
    const t = row(perType, g.type, () => ({ gold: 0, found: 0, predicted: 0, precise: 0 }));
    t.gold++;
    const mo = row(perModality, g.modality, () => ({ gold: 0, found: 0, right: 0 }));
    mo.gold++;
    const candidates = x.events.filter((e) => e.type === g.type && !used.has(e));
    if (!candidates.length) {
      if (verbose) lines.push(`${item.id} missed ${g.type} ${g.source.join('+')} -> ${g.target.join('+')}${x.events.length ? `; got ${x.events.map((e) => e.type).join(', ')}` : ''}: ${item.text}`);
      continue;
    }
    const best = candidates.reduce((b, c) => (actorScore(c, g).loose > actorScore(b, g).loose ? c : b));
    used.add(best);
    found++;
    t.found++;
    mo.found++;
    const s = actorScore(best, g);
    actorNames += s.total;
    actorHits += s.loose;
    roleHits += s.strict;
    if (best.modality === g.modality) {
      modalityOk++;
      mo.right++;
    } else if (verbose) lines.push(`${item.id} ${g.type} modality ${best.modality}, expected ${g.modality}: ${item.text}`);
    if (s.loose < s.total && verbose) {
      const got = best.participants.map((p) => `${nameOf(p.entity)[0]}:${p.role}`).join(', ');
      lines.push(`${item.id} ${g.type} actors [${got}], expected ${g.source.join('+')} -> ${g.target.join('+')}: ${item.text}`);
    }
    if (g.location) {
      locationGold++;
      if (nameOf(best.location).some((s) => overlaps(s, g.location!))) locationOk++;
      else if (verbose) lines.push(`${item.id} ${g.type} location ${nameOf(best.location)[0] ?? 'none'}, expected ${g.location}: ${item.text}`);
    }
  }
  if (verbose)
    for (const e of x.events)
      if (!used.has(e) && item.events.length) lines.push(`${item.id} extra ${e.type} [${e.participants.map((p) => `${nameOf(p.entity)[0]}:${p.role}`).join(', ')}]: ${item.text}`);
}

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 0);
const summary = {
  sentences: items.length,
  goldEvents: gold,
  predictedEvents: predicted,
  eventTypeAccuracy: ratio(found, gold),
  eventTypePrecision: ratio(predictedOfGoldType, predicted),
  actorAccuracy: ratio(actorHits, actorNames),
  actorRoleAccuracy: ratio(roleHits, actorNames),
  modalityAccuracy: ratio(modalityOk, found),
  locationAccuracy: ratio(locationOk, locationGold),
  noEventPrecision: ratio(noEventClean, noEventSentences),
  ms: Math.round(performance.now() - t0),
};

if (verbose) for (const l of lines) console.log(l);
const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(`${pad('type', 10)} ${pad('gold', 5)} ${pad('found', 6)} ${pad('acc', 6)} ${pad('pred', 5)} ${pad('prec', 6)}`);
for (const [type, r] of [...perType].sort((a, b) => b[1].gold - a[1].gold))
  console.log(`${pad(type, 10)} ${pad(r.gold, 5)} ${pad(r.found, 6)} ${pad(ratio(r.found, r.gold), 6)} ${pad(r.predicted, 5)} ${pad(ratio(r.precise, r.predicted), 6)}`);
console.log(`${pad('modality', 10)} ${pad('gold', 5)} ${pad('found', 6)} ${pad('right', 6)}`);
for (const [m, r] of perModality) console.log(`${pad(m, 10)} ${pad(r.gold, 5)} ${pad(r.found, 6)} ${pad(ratio(r.right, r.found), 6)}`);
console.log(JSON.stringify(summary));
