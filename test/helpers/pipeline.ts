// One pipeline for the whole test process: the knowledge base loads once.
import { createPipeline, toExtraction, type Pipeline } from '../../src/pipeline.js';
import type { Extraction } from '../../src/model/contract.js';

let shared: Pipeline | undefined;
export function pipeline(): Pipeline {
  shared ??= createPipeline({ tagger: true });
  return shared;
}

export function extract(text: string, published?: string, id = 'test'): Extraction {
  return toExtraction(pipeline().run({ id, text, published }));
}

/** The entity a surface form was linked to. */
export function entityOf(x: Extraction, surface: string) {
  const m = x.mentions.find((mm) => mm.text === surface && mm.entity);
  return m ? x.entities.find((e) => e.id === m.entity) : undefined;
}
