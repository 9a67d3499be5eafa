// The pipeline, in order. Each stage reads the layers before it and adds its own; nothing else
// decides the order. createPipeline checks that every layer a stage reads is written earlier,
// sets each stage up once, and runs documents through them, catching a failing stage per document.
import { LAYER_NAMES, type Analysis, type LayerName, type Layers, type PipelineOptions, type Stage } from './model/analysis.js';
import { SCHEMA_VERSION, type Extraction } from './model/contract.js';
import { issue, type Issue } from './model/issues.js';
import type { Knowledge } from './knowledge/knowledge.js';
import { loadKnowledge } from './knowledge/load.js';
import { segment } from './text/segment.js';
import { tokenize } from './text/tokenize.js';
import { resolveDates } from './extract/resolve-dates.js';
import { findMentions } from './extract/find-mentions.js';
import { linkEntities } from './extract/link-entities.js';
import { findRelations } from './extract/find-relations.js';
import { findQuotes } from './extract/find-quotes.js';
import { findClaims } from './extract/find-claims.js';
import { codeEvents } from './extract/code-events.js';

export const stages = [segment, tokenize, resolveDates, findMentions, linkEntities, findRelations, findQuotes, findClaims, codeEvents] as const;

/** The same list, typed as plain stages, for choosing a subset (bench/, tests). */
export const stageList: readonly Stage[] = stages as unknown as readonly Stage[];

export type DocumentInput = {
  id: string;
  text: string;
  title?: string;
  published?: string;
  source?: string;
  url?: string;
};

export type Pipeline = {
  readonly stageNames: readonly string[];
  readonly knowledge: Knowledge;
  /** Milliseconds spent in each stage since the pipeline was made, for bench/ (a monitor, as in Baleen). */
  readonly timings: Map<string, number>;
  run(input: DocumentInput): Analysis;
};

/** Checks that each stage reads only layers written before it; returns the problems found. */
export function checkOrder(list: readonly Stage[]): Issue[] {
  const written = new Set<LayerName>();
  const problems: Issue[] = [];
  for (const s of list) {
    for (const r of s.reads)
      if (!written.has(r))
        problems.push(issue('pipeline.order', s.name, `stage "${s.name}" reads "${r}", which no earlier stage writes; written so far: ${[...written].join(', ') || 'nothing'}`));
    for (const w of s.writes) written.add(w);
  }
  return problems;
}

export function createPipeline(options: Partial<PipelineOptions> & { knowledge?: Knowledge; dataRoot?: string; stages?: readonly Stage[] } = {}): Pipeline {
  const list = (options.stages ?? (stages as unknown as readonly Stage[]));
  const problems = checkOrder(list);
  if (problems.length) throw new Error(problems.map((p) => p.message).join('\n'));
  const knowledge = options.knowledge ?? loadKnowledge(options.dataRoot).knowledge;
  const opts: PipelineOptions = { tagger: options.tagger ?? true };
  const runs = list.map((s) => ({ stage: s, run: s.setup({ kb: knowledge, options: opts }) }));
  const timings = new Map<string, number>();
  return {
    stageNames: list.map((s) => s.name),
    knowledge,
    timings,
    run(input) {
      const doc: Analysis = {
        id: input.id,
        text: input.text,
        meta: { title: input.title, published: input.published, source: input.source, url: input.url, language: 'en' },
        layers: {},
        issues: [],
      };
      for (const { stage, run } of runs) {
        const report = (i: Omit<Issue, 'input' | 'stage'>) => doc.issues.push({ ...i, input: doc.id, stage: stage.name });
        const t0 = performance.now();
        try {
          const view = { id: doc.id, text: doc.text, meta: doc.meta, layers: doc.layers as Layers };
          const out = run(view, report) as Partial<Layers>;
          for (const w of stage.writes) (doc.layers as Record<string, unknown>)[w] = out[w] ?? [];
        } catch (e) {
          doc.issues.push(issue('pipeline.stage-failed', doc.id, `stage "${stage.name}" failed: ${(e as Error).message}`, { stage: stage.name }));
          break; // later stages would read a missing layer
        } finally {
          timings.set(stage.name, (timings.get(stage.name) ?? 0) + performance.now() - t0);
        }
      }
      return doc;
    },
  };
}

/** The contract's view of an analysed document. */
export function toExtraction(doc: Analysis): Extraction {
  const l = doc.layers;
  const meta = Object.fromEntries(Object.entries(doc.meta).filter(([, v]) => v !== undefined && v !== ''));
  return {
    schema: SCHEMA_VERSION,
    document: { id: doc.id, ...meta, chars: doc.text.length },
    segments: [...(l.segments ?? [])],
    mentions: [...(l.mentions ?? [])],
    entities: [...(l.entities ?? [])],
    relations: [...(l.relations ?? [])],
    events: [...(l.events ?? [])],
    quotes: [...(l.quotes ?? [])],
    claims: [...(l.claims ?? [])],
    dates: [...(l.dates ?? [])],
  };
}

export { LAYER_NAMES };
