// Loads data/ into one Knowledge: validates every record with its zod schema and reports the file
// and line of a bad one, then builds the name matcher. Missing optional files are reported, not
// fatal, so a small fixture knowledge base can stand in for the full one in tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import {
  ActorRecordSchema, CountryRecordSchema, NationalityRecordSchema, PlaceRecordSchema, PloverTriggerSchema,
  WeaponRecordSchema, type PloverTrigger,
} from '../model/knowledge.js';
import { issue, type Issue } from '../model/issues.js';
import { matchKey } from '../text/fold.js';
import type { KbEntry, Knowledge, Membership, WordEntry, WordList } from './knowledge.js';
import { NameMatcher } from './matcher.js';

export const DEFAULT_DATA_ROOT = fileURLToPath(new URL('../../../data/', import.meta.url));

type Row = { line: number; value: Record<string, unknown> };

function readJsonl(path: string, issues: Issue[]): Row[] {
  const rows: Row[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('//') || line.trimStart().startsWith('#')) return; // comment lines
    try {
      rows.push({ line: i + 1, value: JSON.parse(line) });
    } catch (e) {
      issues.push(issue('knowledge.bad-record', `${path}:${i + 1}`, `not valid JSON: ${(e as Error).message}`));
    }
  });
  return rows;
}

function readTsv(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = lines[0].replace(/\r$/, '').split('\t');
  const rows: Row[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (!line || line.startsWith('#')) continue;
    const cells = line.split('\t');
    const value: Record<string, unknown> = {};
    header.forEach((h, k) => (value[h] = cells[k] ?? ''));
    rows.push({ line: i + 1, value });
  }
  return rows;
}

function validate<S extends z.ZodTypeAny>(schema: S, rows: Row[], path: string, issues: Issue[]): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  for (const r of rows) {
    const parsed = schema.safeParse(r.value);
    if (parsed.success) out.push(parsed.data);
    else {
      const first = parsed.error.issues[0];
      issues.push(
        issue('knowledge.bad-record', `${path}:${r.line}`, `${first.path.join('.') || 'record'}: ${first.message} (got ${JSON.stringify(r.value).slice(0, 120)})`),
      );
    }
  }
  return out;
}

const geoOf = (s: unknown) => {
  const m = /^(-?[\d.]+),\s*(-?[\d.]+)$/.exec(String(s ?? ''));
  return m ? { lat: Number(m[1]), lon: Number(m[2]) } : undefined;
};
const listOf = (s: unknown) => String(s ?? '').split('|').map((x) => x.trim()).filter(Boolean);

function wordList(path: string, issues: Issue[], files: string[]): WordList {
  const byKey = new Map<string, WordEntry[]>();
  const firstWords = new Set<string>();
  const lastWords = new Set<string>();
  const prefixes = new Set<string>();
  let maxWords = 1;
  if (!existsSync(path)) {
    issues.push({ ...issue('knowledge.missing-file', path, 'word list not found; using none'), severity: 'warning' });
    return { byKey, maxWords, firstWords, lastWords, prefixes };
  }
  files.push(path);
  for (const r of readTsv(path)) {
    const phrase = String(r.value.phrase ?? '').trim();
    const category = String(r.value.category ?? '').trim();
    if (!phrase || !category) {
      issues.push(issue('knowledge.bad-record', `${path}:${r.line}`, 'a row needs a phrase and a category'));
      continue;
    }
    const key = matchKey(phrase);
    const value = String(r.value.value ?? '').trim() || undefined;
    const list = byKey.get(key) ?? [];
    list.push({ phrase, category, value, id: `${path.split('/').pop()}:${r.line}` });
    byKey.set(key, list);
    const words = key.split(' ');
    maxWords = Math.max(maxWords, words.length);
    firstWords.add(words[0]);
    lastWords.add(words[words.length - 1]);
    for (let k = 1; k < words.length; k++) prefixes.add(words.slice(0, k).join(' '));
  }
  return { byKey, maxWords, firstWords, lastWords, prefixes };
}

export type LoadResult = { knowledge: Knowledge; issues: Issue[] };
const cache = new Map<string, LoadResult>();

/** Loads (once per process and root) the knowledge base under `root`. */
export function loadKnowledge(root: string = DEFAULT_DATA_ROOT): LoadResult {
  const hit = cache.get(root);
  if (hit) return hit;
  const t0 = performance.now();
  const issues: Issue[] = [];
  const files: string[] = [];
  const entries = new Map<string, KbEntry>();
  const matcher = new NameMatcher();
  const p = (...parts: string[]) => join(root, ...parts);
  const optional = (path: string) => {
    if (existsSync(path)) {
      files.push(path);
      return true;
    }
    issues.push({ ...issue('knowledge.missing-file', path, 'knowledge file not found; skipped'), severity: 'warning' });
    return false;
  };
  // the short forms reporting uses inside longer names: "Office of the UN High Commissioner ..."
  const SHORT_FORMS: [RegExp, string][] = [[/\bUnited Nations\b/, 'UN'], [/\bUnited States\b/, 'US'], [/\bEuropean Union\b/, 'EU'], [/\bUnited Kingdom\b/, 'UK']];
  const withShortForms = (names: string[]) => {
    const out = [...names];
    for (const n of names) for (const [re, short] of SHORT_FORMS) if (re.test(n) && n.split(/\s+/).length > 2) out.push(n.replace(re, short));
    return out;
  };
  const put = (e: KbEntry, rawNames: string[]) => {
    const names = e.type === 'ORGANIZATION' ? withShortForms(rawNames) : rawNames;
    const prev = entries.get(e.id);
    if (prev) {
      issues.push({ ...issue('knowledge.bad-record', e.id, `duplicate id ${e.id}; the first record is kept`), severity: 'warning' });
      return;
    }
    entries.set(e.id, e);
    for (const n of names) matcher.add(e, n);
  };

  // countries and their demonyms
  const demonymCountry = new Map<string, KbEntry>();
  if (optional(p('places', 'countries.json'))) {
    const raw = JSON.parse(readFileSync(p('places', 'countries.json'), 'utf8')) as unknown[];
    const rows = raw.map((value, i) => ({ line: i + 2, value: value as Record<string, unknown> }));
    for (const c of validate(CountryRecordSchema, rows, p('places', 'countries.json'), issues)) {
      put(
        { id: c.id, name: c.name, type: 'LOCATION', kind: 'state', aliases: [c.name, ...c.aliases], country: c.iso2, qid: c.qid, geo: c.geo, priority: 4, mentionType: 'LOCATION', source: c.source, attributes: { borders: c.borders } },
        [c.name, ...c.aliases],
      );
      if (c.demonyms.length) {
        const nat: KbEntry = {
          id: `nat:${c.iso2}`, name: c.demonyms[0], type: 'NATIONALITY', kind: 'national', aliases: [...c.demonyms, ...c.demonymPlurals],
          country: c.iso2, priority: 4, mentionType: 'NATIONALITY', source: c.source,
        };
        put(nat, nat.aliases);
        for (const d of nat.aliases) demonymCountry.set(matchKey(d), nat);
      }
    }
  }
  // peoples beyond the demonyms
  if (optional(p('lexicon', 'nationalities.jsonl'))) {
    const path = p('lexicon', 'nationalities.jsonl');
    for (const n of validate(NationalityRecordSchema, readJsonl(path, issues), path, issues)) {
      const names = [n.name, ...n.forms].filter((x) => !demonymCountry.has(matchKey(x)));
      if (!names.length) continue;
      put({ id: n.id, name: n.name, type: 'NATIONALITY', kind: n.kind, aliases: [n.name, ...n.forms], country: n.country, priority: 3, mentionType: 'NATIONALITY', source: n.source }, names);
    }
  }
  // regions, provinces, cities
  if (optional(p('places', 'regions.jsonl'))) {
    const path = p('places', 'regions.jsonl');
    for (const r of validate(PlaceRecordSchema, readJsonl(path, issues), path, issues))
      put({ id: r.id, name: r.name, type: 'LOCATION', kind: r.kind, aliases: [r.name, ...r.aliases], country: r.country, parent: r.parent, geo: r.geo, ambiguous: r.ambiguous, priority: 3, mentionType: 'LOCATION', source: r.source }, [r.name, ...r.aliases]);
  }
  for (const [file, kindDefault, priority] of [['admin1.tsv', 'province', 2], ['cities.tsv', 'city', 1]] as const) {
    const path = p('places', file);
    if (!optional(path)) continue;
    const rows = readTsv(path).map((r) => ({
      line: r.line,
      value: {
        id: r.value.id, name: r.value.name, kind: r.value.kind || kindDefault, country: r.value.country || undefined,
        parent: r.value.parent || (r.value.country ? `geo:${r.value.country}` : undefined), aliases: listOf(r.value.aliases),
        population: r.value.population ? Number(r.value.population) : undefined, geo: geoOf(r.value.geo),
        ambiguous: r.value.ambiguous === '1' || r.value.ambiguous === 'true' || undefined, source: r.value.source || 'GeoNames',
      },
    }));
    for (const r of validate(PlaceRecordSchema, rows, path, issues))
      put({ id: r.id, name: r.name, type: 'LOCATION', kind: r.kind, aliases: [r.name, ...r.aliases], country: r.country, parent: r.parent, geo: r.geo, population: r.population, ambiguous: r.ambiguous, priority, mentionType: 'LOCATION', source: r.source }, [r.name, ...r.aliases]);
  }
  // actors
  if (existsSync(p('actors'))) {
    for (const f of readdirSync(p('actors')).filter((x) => x.endsWith('.jsonl')).sort()) {
      const path = p('actors', f);
      files.push(path);
      for (const a of validate(ActorRecordSchema, readJsonl(path, issues), path, issues))
        put(
          { id: a.id, name: a.name, type: a.type, kind: a.kind, aliases: [a.name, ...a.aliases], country: a.country, qid: a.qid, parent: a.parent, roles: a.roles, priority: 5, mentionType: a.type, source: a.source, memberOf: a.memberOf },
          [a.name, ...a.aliases],
        );
    }
  } else optional(p('actors'));
  // weapons and platforms
  if (optional(p('lexicon', 'weapons.jsonl'))) {
    const path = p('lexicon', 'weapons.jsonl');
    for (const w of validate(WeaponRecordSchema, readJsonl(path, issues), path, issues))
      put({ id: w.id, name: w.name, type: w.type, kind: w.kind, aliases: [w.name, ...w.aliases], country: w.country, generic: w.generic, priority: 3, mentionType: w.type, source: w.source }, [w.name, ...w.aliases]);
  }
  // memberships of states
  const memberships: Membership[] = [];
  if (optional(p('places', 'memberships.jsonl'))) {
    const path = p('places', 'memberships.jsonl');
    for (const r of readJsonl(path, issues)) {
      const v = r.value as Membership;
      if (typeof v.state !== 'string' || typeof v.of !== 'string') {
        issues.push(issue('knowledge.bad-record', `${path}:${r.line}`, 'a membership needs "state" and "of"'));
        continue;
      }
      memberships.push({ state: v.state, of: v.of, since: v.since, until: v.until, note: v.note });
    }
  }
  let triggers: PloverTrigger[] = [];
  if (optional(p('plover', 'triggers.jsonl'))) {
    const path = p('plover', 'triggers.jsonl');
    triggers = validate(PloverTriggerSchema, readJsonl(path, issues), path, issues);
  }
  const surnames = new Map<string, KbEntry[]>();
  for (const e of entries.values()) {
    if (e.type !== 'PERSON') continue;
    const last = matchKey(e.name).split(' ').pop() ?? '';
    if (last.length < 4) continue;
    const list = surnames.get(last) ?? [];
    list.push(e);
    surnames.set(last, list);
  }
  const lex = (f: string) => wordList(p('lexicon', f), issues, files);
  const knowledge: Knowledge = {
    root,
    entries,
    matcher,
    memberships,
    surnames,
    titles: lex('titles.tsv'),
    orgHeads: lex('org-heads.tsv'),
    facilityHeads: lex('facility-heads.tsv'),
    placeHeads: lex('place-heads.tsv'),
    units: lex('units.tsv'),
    speechVerbs: lex('speech-verbs.tsv'),
    cues: lex('cues.tsv'),
    relationCues: lex('relation-cues.tsv'),
    triggers,
    stats: { entries: entries.size, names: matcher.names, loadMs: 0, files: files.map((f) => relative(root, f)) },
  };
  knowledge.stats.loadMs = Math.round(performance.now() - t0);
  const result = { knowledge, issues };
  cache.set(root, result);
  return result;
}
