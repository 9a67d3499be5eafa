// The store's tables as Kysely sees them: one description for SQLite and PostgreSQL. Facts keep
// the ids they have inside their document (`local` ids); `doc_entities` maps each document's
// entity to the store-wide entity it currently belongs to, so merging and splitting identities
// rewrites one table and never the facts. JSON columns hold text (the same on both backends).
import type { Generated } from 'kysely';

export type DocumentsTable = {
  /** 'd' + the first 16 hex digits of the SHA-256 of the text: the same text is the same id everywhere. */
  id: string;
  content_hash: string;
  external_id: string | null;
  title: string | null;
  published: string | null;
  source: string | null;
  url: string | null;
  chars: number;
  words: number;
  text: string;
  /** The faultline.extraction/v1 object as JSON, deflated (extraction-codec.ts). */
  extraction: Uint8Array;
  minhash: string;
  /** The document this one is a near-duplicate of (the first of its story), or null. */
  near_dup_of: string | null;
  near_dup_similarity: number | null;
  /** The story it belongs to: its own id, or the id of the document it near-duplicates. Aggregates count stories. */
  story_id: string;
  ingested_at: string;
};

export type DocumentSourcesTable = {
  doc_id: string;
  source_key: string;
  source: string | null;
  url: string | null;
  external_id: string | null;
};

export type DocumentBandsTable = { band: string; doc_id: string };

export type EntitiesTable = {
  id: string;
  name: string;
  type: string;
  kind: string | null;
  kb: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
  /** 'kb' for knowledge-base entities, 'text' for entities first seen in a document. */
  origin: string;
  created_at: string;
};

export type DocEntitiesTable = {
  doc_id: string;
  local_id: string;
  /** The store-wide entity it belongs to now. */
  entity_id: string;
  /** The entity it forms on its own (its knowledge-base id, or one made from its document): where a split sends it. */
  own_id: string;
  /** Its document's story (documents.story_id), so an entity's stories are counted without reading documents. */
  story_id: string;
  name: string;
  name_key: string;
  type: string;
  kind: string | null;
  country: string | null;
  /** JSON: Role[] with `of` as a store-wide id. */
  roles: string | null;
  /** JSON: { text, linkedBy, count }[]: the words that named it here and why each was linked. */
  aliases: string;
  mentions: number;
  /** Why it belongs to entity_id: 'knowledge base', 'new', or the evidence of an automatic merge. */
  linked_why: string;
};

/** Every name an entity went by in a document, as a key: finds "Daesh" when a report said Daesh. */
export type DocEntityNamesTable = { name_key: string; doc_id: string; local_id: string };

/** The names the knowledge base gives an entity ("ISKP", "IS-K"), written once, when the entity first appears. */
export type EntityAliasesTable = { name_key: string; entity_id: string };

export type RelationsTable = {
  doc_id: string;
  id: string;
  type: string;
  source_local: string;
  target_local: string;
  since: string | null;
  until: string | null;
  confidence: number;
  rule: string | null;
  evidence: string;
  evidence_text: string;
};

export type EventsTable = {
  doc_id: string;
  id: string;
  type: string;
  mode: string | null;
  modality: string;
  contexts: string | null;
  location_local: string | null;
  time_text: string | null;
  time_start: string | null;
  time_end: string | null;
  /** First and last day the event may fall on (its own time, else the document's date), for range filters. */
  date_lo: string | null;
  date_hi: string | null;
  date_basis: string | null;
  quantities: string | null;
  confidence: number;
  evidence: string;
  evidence_text: string;
};

export type EventParticipantsTable = { doc_id: string; event_id: string; local_id: string; role: string };

export type QuotesTable = {
  doc_id: string;
  id: string;
  speaker_local: string | null;
  text: string;
  start_offset: number;
  end_offset: number;
  evidence: string;
};

/** The entities named inside a quote: what the quote is about. */
export type QuoteMentionsTable = { doc_id: string; quote_id: string; local_id: string };

export type ClaimsTable = {
  doc_id: string;
  id: string;
  subject_local: string | null;
  property: string | null;
  value: number | null;
  min: number | null;
  max: number | null;
  unit: string | null;
  approximate: number;
  text: string;
  source_local: string | null;
  evidence: string;
  evidence_text: string;
};

export type MergesTable = {
  id: Generated<number>;
  /** 'auto' (made at ingest), 'manual' (an analyst's merge), 'split' (an analyst's split). */
  kind: string;
  from_entity: string;
  into_entity: string;
  reason: string;
  created_at: string;
  undone_at: string | null;
};

/** The document entities an analyst's merge or split moved, so it can be undone exactly (an automatic join moves the one whose own_id is its from_entity). */
export type MergeMovesTable = { merge_id: number; doc_id: string; local_id: string; from_entity: string };

export type Database = {
  documents: DocumentsTable;
  document_sources: DocumentSourcesTable;
  document_bands: DocumentBandsTable;
  entities: EntitiesTable;
  doc_entities: DocEntitiesTable;
  doc_entity_names: DocEntityNamesTable;
  entity_aliases: EntityAliasesTable;
  relations: RelationsTable;
  events: EventsTable;
  event_participants: EventParticipantsTable;
  quotes: QuotesTable;
  quote_mentions: QuoteMentionsTable;
  claims: ClaimsTable;
  merges: MergesTable;
  merge_moves: MergeMovesTable;
};
