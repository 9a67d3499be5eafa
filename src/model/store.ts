// What the store answers, as zod schemas: the CLI prints these, the library returns them, and the
// HTTP API will validate and describe them from the same schemas.
import { z } from 'zod';
import { EntityTypeSchema, PloverTypeSchema, RelationTypeSchema } from './contract.js';

const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'an ISO 8601 year, month or day');

/** A span of a stored document, with its words. */
export const SourcedSpanSchema = z.object({
  document: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
});

export const EntityRefSchema = z.object({ id: z.string(), name: z.string(), type: z.string(), kind: z.string().optional() });
export type EntityRef = z.infer<typeof EntityRefSchema>;

export const DocumentRefSchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  published: z.string().optional(),
  source: z.string().optional(),
  url: z.string().optional(),
});
export type DocumentRef = z.infer<typeof DocumentRefSchema>;

export const SearchHitSchema = DocumentRefSchema.extend({
  rank: z.number(),
  /** A passage around the matched words; `highlights` are offsets into `snippet`. */
  snippet: z.string(),
  highlights: z.array(z.object({ start: z.number().int(), end: z.number().int() })),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const StoredEventSchema = z.object({
  id: z.string(),
  document: DocumentRefSchema,
  type: PloverTypeSchema,
  mode: z.string().optional(),
  modality: z.string(),
  date: z.object({ start: isoDate.optional(), end: isoDate.optional(), text: z.string().optional(), basis: z.enum(['event', 'published']).optional() }),
  participants: z.array(EntityRefSchema.extend({ role: z.string() })),
  location: EntityRefSchema.extend({ lat: z.number().optional(), lon: z.number().optional(), km: z.number().optional() }).optional(),
  quantities: z.array(z.record(z.string(), z.unknown())).optional(),
  confidence: z.number(),
  evidence: SourcedSpanSchema,
  /** Near-duplicate documents (the same story elsewhere) that report it too. */
  copies: z.number().int(),
});
export type StoredEvent = z.infer<typeof StoredEventSchema>;

export const EventFilterSchema = z.object({
  actor: z.string().optional(),
  type: PloverTypeSchema.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  near: z.string().optional(),
  km: z.number().positive().optional(),
  document: z.string().optional(),
  limit: z.number().int().positive().max(10_000).optional(),
  offset: z.number().int().nonnegative().optional(),
});
export type EventFilter = z.infer<typeof EventFilterSchema>;

export const RelationSummarySchema = z.object({
  type: RelationTypeSchema,
  source: EntityRefSchema,
  target: EntityRefSchema,
  /** Stories (near-duplicates counted once) that state it. */
  documents: z.number().int(),
  since: z.string().optional(),
  until: z.string().optional(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  evidence: z.array(SourcedSpanSchema),
});
export type RelationSummary = z.infer<typeof RelationSummarySchema>;

export const StoredQuoteSchema = z.object({
  id: z.string(),
  document: DocumentRefSchema,
  speaker: EntityRefSchema.optional(),
  text: z.string(),
  start: z.number().int(),
  end: z.number().int(),
});
export type StoredQuote = z.infer<typeof StoredQuoteSchema>;

export const StoredClaimSchema = z.object({
  id: z.string(),
  document: DocumentRefSchema,
  subject: EntityRefSchema.optional(),
  property: z.string().optional(),
  value: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  unit: z.string().optional(),
  approximate: z.boolean(),
  text: z.string(),
  source: EntityRefSchema.optional(),
  evidence: SourcedSpanSchema,
});
export type StoredClaim = z.infer<typeof StoredClaimSchema>;

export const ContradictionSchema = z.object({
  subject: EntityRefSchema,
  property: z.string(),
  unit: z.string().optional(),
  a: StoredClaimSchema,
  b: StoredClaimSchema,
  /** How far apart the two are, as a share of the larger: 0.5 means one says half of what the other says. */
  gap: z.number(),
});
export type Contradiction = z.infer<typeof ContradictionSchema>;

export const AliasSchema = z.object({ text: z.string(), documents: z.number().int(), why: z.array(z.string()) });
export const DossierSchema = z.object({
  entity: EntityRefSchema.extend({
    kb: z.string().optional(),
    country: z.string().optional(),
    lat: z.number().optional(),
    lon: z.number().optional(),
    origin: z.string(),
  }),
  ids: z.array(z.string()),
  aliases: z.array(AliasSchema),
  roles: z.array(z.object({ title: z.string(), of: EntityRefSchema.optional(), since: z.string().optional(), until: z.string().optional(), documents: z.number().int() })),
  /** Why the documents' entities belong to this one: each automatic or analyst merge, with its reason. */
  merges: z.array(z.object({ id: z.number().int(), kind: z.string(), from: z.string(), into: z.string(), reason: z.string(), createdAt: z.string(), undone: z.boolean() })),
  relations: z.array(RelationSummarySchema),
  events: z.object({ total: z.number().int(), items: z.array(StoredEventSchema) }),
  quotesBy: z.array(StoredQuoteSchema),
  quotesAbout: z.array(StoredQuoteSchema),
  claims: z.array(StoredClaimSchema),
  contradictions: z.array(ContradictionSchema),
  documents: z.object({ total: z.number().int(), items: z.array(DocumentRefSchema.extend({ mentions: z.number().int() })) }),
  /** Other entities the name could mean, with their document counts. */
  otherMatches: z.array(EntityRefSchema.extend({ documents: z.number().int() })),
});
export type Dossier = z.infer<typeof DossierSchema>;

export const GraphEdgeSchema = z.object({
  source: z.string(),
  target: z.string(),
  /** A relation type, or 'event:' and a PLOVER type. */
  type: z.string(),
  /** +1 cooperative, -1 hostile, 0 neither. */
  sign: z.number().int(),
  directed: z.boolean(),
  documents: z.number().int(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
});
export const GraphSchema = z.object({
  center: z.string(),
  nodes: z.array(EntityRefSchema.extend({ depth: z.number().int(), documents: z.number().int(), country: z.string().optional() })),
  edges: z.array(GraphEdgeSchema),
  truncated: z.boolean(),
});
export type Graph = z.infer<typeof GraphSchema>;
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

export const StatsSchema = z.object({
  documents: z.number().int(),
  stories: z.number().int(),
  nearDuplicates: z.number().int(),
  words: z.number().int(),
  entities: z.record(z.string(), z.number().int()),
  facts: z.object({ relations: z.number().int(), events: z.number().int(), quotes: z.number().int(), claims: z.number().int() }),
  published: z.object({ from: z.string().optional(), to: z.string().optional() }),
  merges: z.object({ auto: z.number().int(), manual: z.number().int(), split: z.number().int() }),
});
export type Stats = z.infer<typeof StatsSchema>;

export const MergeSchema = z.object({ id: z.number().int(), kind: z.string(), from: z.string(), into: z.string(), reason: z.string(), createdAt: z.string(), undone: z.boolean(), moved: z.number().int() });
export type Merge = z.infer<typeof MergeSchema>;
