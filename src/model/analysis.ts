// The document as it passes through the pipeline: text exactly as given, metadata, the layers
// the stages have added so far, and the issues they reported. Layers are readonly arrays sorted
// by start, then end; offsets are half-open UTF-16 indices into `text`.
import type { DateRef, DocumentMeta, Entity, Event, Mention, Claim, Quote, Relation, Segment } from './contract.js';
import type { Issue } from './issues.js';
import type { Knowledge } from '../knowledge/knowledge.js';

export type Sentence = { start: number; end: number; segment: number };

export type Token = {
  start: number;
  end: number;
  text: string;
  /** Folded (quotes, apostrophes, dashes) and lower-cased, for matching only. */
  norm: string;
  /** The match key (fold.ts matchKey): no diacritics; empty for a hyphen. Phrase lists join these with spaces. */
  key: string;
  /** Universal POS tag from wink-nlp. */
  pos: string;
  lemma: string;
  sentence: number;
  /** Starts with an upper-case letter. */
  cap: boolean;
};

export type Layers = {
  segments: readonly Segment[];
  sentences: readonly Sentence[];
  tokens: readonly Token[];
  dates: readonly DateRef[];
  mentions: readonly Mention[];
  entities: readonly Entity[];
  relations: readonly Relation[];
  events: readonly Event[];
  quotes: readonly Quote[];
  claims: readonly Claim[];
};
export type LayerName = keyof Layers;
export const LAYER_NAMES: readonly LayerName[] = [
  'segments', 'sentences', 'tokens', 'dates', 'mentions', 'entities', 'relations', 'events', 'quotes', 'claims',
];

export type Analysis = {
  id: string;
  text: string;
  meta: Omit<DocumentMeta, 'id' | 'chars'>;
  layers: Partial<Layers>;
  issues: Issue[];
};

/** What a stage sees of a document: only the layers it declared it reads. */
export type DocView<R extends LayerName> = {
  readonly id: string;
  readonly text: string;
  readonly meta: Analysis['meta'];
  readonly layers: Readonly<Pick<Layers, R>>;
};

export type Report = (issue: Omit<Issue, 'input' | 'stage'>) => void;

export type PipelineOptions = {
  /** Use the trained entity tagger for names the knowledge base does not know. */
  tagger: boolean;
};

export type SetupContext = { kb: Knowledge; options: PipelineOptions };

export type StageRun<R extends LayerName, W extends LayerName> = (doc: DocView<R>, report: Report) => Pick<Layers, W>;

export type Stage<R extends LayerName = LayerName, W extends LayerName = LayerName> = {
  readonly name: string;
  readonly reads: readonly R[];
  readonly writes: readonly W[];
  setup(ctx: SetupContext): StageRun<R, W>;
};

/** Declares a stage with its layer types inferred from `reads` and `writes`. */
export function defineStage<R extends LayerName, W extends LayerName>(stage: Stage<R, W>): Stage<R, W> {
  return stage;
}
