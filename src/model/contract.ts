// The extraction contract `faultline.extraction/v1` as zod schemas (../shared/CONTRACT.md).
// Field names and vocabularies are fixed: checks outside the project read them. Extra fields go
// into `attributes`.
import { z } from 'zod';

export const SCHEMA_VERSION = 'faultline.extraction/v1' as const;

const offset = z.number().int().nonnegative();
const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'an ISO 8601 year, month or day');
const isoDateOrInterval = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?(\/\d{4}(-\d{2}(-\d{2})?)?)?$/, 'an ISO 8601 date or interval');
const attributes = z.record(z.string(), z.unknown()).optional();

export const EvidenceSchema = z.object({
  start: offset,
  end: offset,
  source: z.string().optional(),
  target: z.string().optional(),
});

export const SEGMENT_KINDS = ['title', 'paragraph', 'caption', 'credit', 'heading'] as const;
export const SegmentSchema = z.object({ kind: z.enum(SEGMENT_KINDS), start: offset, end: offset, attributes });

export const MENTION_TYPES = [
  'PERSON', 'ORGANIZATION', 'LOCATION', 'FACILITY', 'NATIONALITY',
  'DATE', 'QUANTITY', 'MONEY', 'WEAPON', 'MILITARY_PLATFORM', 'VEHICLE', 'URL',
] as const;
export const MentionTypeSchema = z.enum(MENTION_TYPES);

export const MentionSchema = z.object({
  id: z.string(),
  start: offset,
  end: offset,
  text: z.string(),
  type: MentionTypeSchema,
  entity: z.string().optional(),
  nominal: z.boolean().optional(),
  linkedBy: z.string().optional(),
  attributes,
});

export const ENTITY_TYPES = [
  'PERSON', 'ORGANIZATION', 'LOCATION', 'FACILITY', 'NATIONALITY', 'WEAPON', 'MILITARY_PLATFORM', 'VEHICLE',
] as const;
export const EntityTypeSchema = z.enum(ENTITY_TYPES);

export const RoleSchema = z.object({
  title: z.string(),
  of: z.string().optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
});

export const EntitySchema = z.object({
  id: z.string(),
  name: z.string(),
  type: EntityTypeSchema,
  aliases: z.array(z.string()),
  kind: z.string().optional(),
  kb: z.string().optional(),
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  geo: z.object({ lat: z.number(), lon: z.number() }).optional(),
  roles: z.array(RoleSchema).optional(),
  attributes,
});

export const RELATION_TYPES = [
  'MEMBER_OF', 'LEADS', 'ALLY_OF', 'FIGHTS', 'SUPPORTS', 'OPPOSES', 'LOCATED_IN', 'HAS_BASE_IN',
  'BORDERS', 'COMMUNICATES_WITH', 'ALIAS_OF',
] as const;
export const RelationTypeSchema = z.enum(RELATION_TYPES);
/** Relation types whose direction carries no meaning. */
export const SYMMETRIC_RELATIONS: ReadonlySet<string> = new Set(['ALLY_OF', 'FIGHTS', 'BORDERS', 'COMMUNICATES_WITH', 'ALIAS_OF']);

export const RelationSchema = z.object({
  id: z.string(),
  type: RelationTypeSchema,
  source: z.string(),
  target: z.string(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema).min(1),
  attributes,
});

export const PLOVER_TYPES = [
  'AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
  'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT',
] as const;
export const PloverTypeSchema = z.enum(PLOVER_TYPES);
export const MODALITIES = ['asserted', 'reported', 'planned', 'speculated', 'denied'] as const;

export const QuantitySchema = z.object({
  value: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  unit: z.string().optional(),
  text: z.string(),
});

export const EventSchema = z.object({
  id: z.string(),
  type: PloverTypeSchema,
  mode: z.string().optional(),
  contexts: z.array(z.string()).optional(),
  participants: z.array(z.object({ entity: z.string(), role: z.enum(['source', 'target', 'participant']) })),
  location: z.string().optional(),
  time: z.object({ text: z.string().optional(), start: isoDate.optional(), end: isoDate.optional() }).optional(),
  quantities: z.array(QuantitySchema).optional(),
  modality: z.enum(MODALITIES),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema).min(1),
  attributes,
});

export const QuoteSchema = z.object({
  id: z.string(),
  speaker: z.string().optional(),
  text: z.string(),
  start: offset,
  end: offset,
  evidence: z.array(EvidenceSchema).min(1),
  attributes,
});

export const ClaimSchema = z.object({
  id: z.string(),
  subject: z.string().optional(),
  property: z.string().optional(),
  value: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  unit: z.string().optional(),
  approximate: z.boolean().optional(),
  text: z.string(),
  source: z.string().optional(),
  evidence: z.array(EvidenceSchema).min(1),
  attributes,
});

export const DateRefSchema = z.object({
  text: z.string(),
  start: offset,
  end: offset,
  value: isoDateOrInterval,
  attributes,
});

export const DocumentMetaSchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  published: isoDate.optional(),
  source: z.string().optional(),
  url: z.string().optional(),
  language: z.string().optional(),
  chars: z.number().int().nonnegative(),
});

export const ExtractionSchema = z.object({
  schema: z.literal(SCHEMA_VERSION),
  document: DocumentMetaSchema,
  segments: z.array(SegmentSchema),
  mentions: z.array(MentionSchema),
  entities: z.array(EntitySchema),
  relations: z.array(RelationSchema),
  events: z.array(EventSchema),
  quotes: z.array(QuoteSchema),
  claims: z.array(ClaimSchema),
  dates: z.array(DateRefSchema),
  attributes,
});

export type Evidence = z.infer<typeof EvidenceSchema>;
export type Segment = z.infer<typeof SegmentSchema>;
export type SegmentKind = Segment['kind'];
export type MentionType = z.infer<typeof MentionTypeSchema>;
export type Mention = z.infer<typeof MentionSchema>;
export type EntityType = z.infer<typeof EntityTypeSchema>;
export type Role = z.infer<typeof RoleSchema>;
export type Entity = z.infer<typeof EntitySchema>;
export type RelationType = z.infer<typeof RelationTypeSchema>;
export type Relation = z.infer<typeof RelationSchema>;
export type PloverType = z.infer<typeof PloverTypeSchema>;
export type Modality = (typeof MODALITIES)[number];
export type Quantity = z.infer<typeof QuantitySchema>;
export type Event = z.infer<typeof EventSchema>;
export type Quote = z.infer<typeof QuoteSchema>;
export type Claim = z.infer<typeof ClaimSchema>;
export type DateRef = z.infer<typeof DateRefSchema>;
export type DocumentMeta = z.infer<typeof DocumentMetaSchema>;
export type Extraction = z.infer<typeof ExtractionSchema>;
