// Shapes of the knowledge files under data/. Each record is validated at load; a bad one is
// reported with its file and line (src/knowledge/load.ts).
import { z } from 'zod';
import { EntityTypeSchema, MentionTypeSchema, PloverTypeSchema } from './contract.js';

const iso2 = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "AF"');
const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'an ISO 8601 year, month or day');
const entityRef = z.string().regex(/^(kb|geo|gn|nat|wpn):[A-Za-z0-9._-]+$/, 'an entity id such as "kb:iskp" or "geo:AF"');

/** data/actors/*.jsonl: organisations, people, bodies the knowledge base knows by name. */
export const ActorRecordSchema = z.object({
  id: z.string().regex(/^kb:[a-z0-9][a-z0-9_-]*$/, 'a lower-case id such as "kb:iskp"'),
  name: z.string().min(1),
  type: EntityTypeSchema,
  kind: z.string().min(1),
  country: iso2.optional(),
  qid: z.string().regex(/^Q\d+$/).optional(),
  aliases: z.array(z.string().min(1)).default([]),
  /** The group or body it belongs to: affiliate in parent group, agency in ministry, state body in state. */
  parent: entityRef.optional(),
  /** Organisations it is a member of (states are in data/places/memberships.jsonl). */
  memberOf: z.array(z.object({ of: entityRef, since: isoDate.optional(), until: isoDate.optional() })).optional(),
  roles: z
    .array(z.object({ title: z.string().min(1), of: entityRef.optional(), since: isoDate.optional(), until: isoDate.optional() }))
    .optional(),
  source: z.string().min(1),
  note: z.string().optional(),
});
export type ActorRecord = z.infer<typeof ActorRecordSchema>;

/** data/places/countries.json: one record per country or territory. */
export const CountryRecordSchema = z.object({
  id: z.string().regex(/^geo:[A-Z]{2}$/),
  iso2,
  iso3: z.string().regex(/^[A-Z]{3}$/),
  name: z.string(),
  official: z.string().optional(),
  aliases: z.array(z.string()).default([]),
  demonyms: z.array(z.string()).default([]),
  /** Plural forms of the demonym used for people ("Pakistanis", "Afghans"). */
  demonymPlurals: z.array(z.string()).default([]),
  capital: z.string().optional(),
  qid: z.string().optional(),
  geo: z.object({ lat: z.number(), lon: z.number() }).optional(),
  borders: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
  independent: z.boolean().optional(),
  source: z.string(),
});
export type CountryRecord = z.infer<typeof CountryRecordSchema>;

/** data/places/admin1.tsv and cities.tsv rows, and data/places/regions.jsonl. */
export const PlaceRecordSchema = z.object({
  id: z.string().regex(/^(geo|gn):[A-Za-z0-9._-]+$/),
  name: z.string(),
  kind: z.string(), // province, city, capital, region, sea, river, mountain_range, ...
  country: iso2.optional(),
  parent: z.string().optional(), // id of the place it lies in
  aliases: z.array(z.string()).default([]),
  population: z.number().optional(),
  geo: z.object({ lat: z.number(), lon: z.number() }).optional(),
  /** Only matched with a cue ("in X", "X province"): a common word or person name as well as a place. */
  ambiguous: z.boolean().optional(),
  source: z.string(),
});
export type PlaceRecord = z.infer<typeof PlaceRecordSchema>;

/** data/lexicon/nationalities.jsonl: peoples, ethnic and religious groups beyond country demonyms. */
export const NationalityRecordSchema = z.object({
  id: z.string().regex(/^nat:[a-z0-9_-]+$/),
  name: z.string(), // the adjective or singular: "Tajik", "Pashtun", "Rohingya"
  forms: z.array(z.string()).default([]), // plurals and variants: "Tajiks", "Pashtuns", "Pushtun"
  kind: z.enum(['national', 'ethnic', 'religious', 'tribal', 'linguistic']),
  country: iso2.optional(),
  source: z.string(),
});
export type NationalityRecord = z.infer<typeof NationalityRecordSchema>;

/** data/lexicon/weapons.jsonl: weapons, military platforms and vehicles, named systems and generic kinds. */
export const WeaponRecordSchema = z.object({
  id: z.string().regex(/^wpn:[a-z0-9_-]+$/),
  name: z.string(),
  type: z.enum(['WEAPON', 'MILITARY_PLATFORM', 'VEHICLE']),
  kind: z.string(), // missile, drone, tank, rifle, fighter_aircraft, warship, air_defence, artillery, ied, ...
  aliases: z.array(z.string()).default([]),
  /** A generic noun ("drone", "tanks") rather than a named system ("Bayraktar TB2"). */
  generic: z.boolean().default(false),
  country: iso2.optional(), // country of origin, for named systems
  source: z.string(),
});
export type WeaponRecord = z.infer<typeof WeaponRecordSchema>;

/** data/lexicon/*.tsv word lists: titles, organisation and facility heads, units, speech verbs, cues. */
export const WordListRowSchema = z.object({
  id: z.string(),
  phrase: z.string(),
  category: z.string(),
  value: z.string().optional(),
});
export type WordListRow = z.infer<typeof WordListRowSchema>;

/** data/plover/triggers.jsonl: words that signal a PLOVER event, with how to read its actors. */
export const PloverTriggerSchema = z.object({
  id: z.string().regex(/^plv:[a-z0-9_-]+$/),
  /** Lemmas or lower-case phrases; a phrase of several words must appear in that order. */
  phrases: z.array(z.string().min(1)).min(1),
  pos: z.enum(['verb', 'noun', 'adj', 'any']).default('any'),
  type: PloverTypeSchema,
  mode: z.string().optional(),
  contexts: z.array(z.string()).default([]),
  /** Who the grammatical subject and object are in the event. */
  subjectRole: z.enum(['source', 'target', 'participant']).default('source'),
  objectRole: z.enum(['source', 'target', 'participant']).default('target'),
  /** For nouns and passives: the preposition that introduces source or target ("by", "against", "with"). */
  prepositions: z.record(z.string(), z.enum(['source', 'target', 'participant', 'location'])).optional(),
  source: z.string(),
  example: z.string().optional(),
});
export type PloverTrigger = z.infer<typeof PloverTriggerSchema>;

export const KnowledgeTypeSchema = z.union([EntityTypeSchema, MentionTypeSchema]);
