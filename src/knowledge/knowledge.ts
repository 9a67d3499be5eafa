// The knowledge base in memory: every known thing by id, one name matcher over all of them, and
// the word lists the stages read. Built once by loadKnowledge (load.ts), then read-only.
import type { EntityType, MentionType, Role } from '../model/contract.js';
import type { PloverTrigger } from '../model/knowledge.js';
import type { NameMatcher } from './matcher.js';

export type KbEntry = {
  id: string;
  name: string;
  type: EntityType;
  kind: string;
  aliases: string[];
  country?: string;
  qid?: string;
  geo?: { lat: number; lon: number };
  parent?: string;
  roles?: Role[];
  population?: number;
  /** Matched only with a cue: the name is also a common word or a person's name. */
  ambiguous?: boolean;
  /** Higher wins when two entries share a name: actor > country > region > province > city. */
  priority: number;
  /** For weapons and nationalities: the mention type. */
  mentionType: MentionType;
  /** A generic noun ("drones") rather than a name. */
  generic?: boolean;
  /** Organisations an actor belongs to, from its record. */
  memberOf?: { of: string; since?: string; until?: string }[];
  /** Extra facts from the record (a country's borders, ...). */
  attributes?: Record<string, unknown>;
  source: string;
};

export type Membership = { state: string; of: string; since?: string; until?: string; note?: string };
export type WordEntry = { phrase: string; category: string; value?: string; id: string };

/** Phrase lists keyed by their match key (see fold.ts matchKey). */
export type WordList = {
  byKey: ReadonlyMap<string, WordEntry[]>;
  /** Longest phrase in words, to bound look-ahead. */
  maxWords: number;
  /** First and last words of every phrase: most tokens start or end none, and are skipped at once. */
  firstWords: ReadonlySet<string>;
  lastWords: ReadonlySet<string>;
  /** Word-boundary prefixes of the phrases, to stop a look-ahead early. */
  prefixes: ReadonlySet<string>;
};

export type Knowledge = {
  root: string;
  entries: ReadonlyMap<string, KbEntry>;
  matcher: NameMatcher;
  memberships: readonly Membership[];
  /** People the knowledge base knows, by the match key of their surname ("putin"). */
  surnames: ReadonlyMap<string, KbEntry[]>;
  titles: WordList;
  orgHeads: WordList;
  facilityHeads: WordList;
  /** Lower-case words after a place's name that say it is a place: "Wardak province", "Gali district". */
  placeHeads: WordList;
  units: WordList;
  speechVerbs: WordList;
  cues: WordList;
  /** Words that state a lasting tie (data/lexicon/relation-cues.tsv), written as lemmas. */
  relationCues: WordList;
  triggers: readonly PloverTrigger[];
  stats: { entries: number; names: number; loadMs: number; files: string[] };
};
