// Extraction for ingest, in this thread or in a pool of worker threads. The pool sends each
// document to a free worker and answers in any order; ingest puts the answers back in input
// order, so the store is the same whichever worker finished first. With N workers the
// pipeline uses N cores while this thread reads inputs and writes the store.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createPipeline, toExtraction, type DocumentInput, type Pipeline } from '../pipeline.js';
import type { Extraction } from '../model/contract.js';
import { issue, type Issue } from '../model/issues.js';

export type Extracted = { extraction?: Extraction; issues: Issue[] };
export type WorkerOptions = { tagger?: boolean; dataRoot?: string };
export type ExtractRequest = { seq: number; doc: DocumentInput };
export type ExtractResponse = { seq: number; extraction?: Extraction; issues: Issue[]; crash?: string };

export interface Extractor {
  /** How many documents it is worth having in flight at once. */
  readonly parallel: number;
  extract(doc: DocumentInput): Promise<Extracted>;
  close(): Promise<void>;
}

/** The pipeline in this thread: one document at a time. */
export function inThreadExtractor(options: WorkerOptions = {}): Extractor {
  return extractorOf(createPipeline({ tagger: options.tagger, dataRoot: options.dataRoot }));
}

/** An Extractor over a pipeline already made. */
export function extractorOf(pipeline: Pipeline): Extractor {
  return {
    parallel: 1,
    async extract(doc) {
      const analysed = pipeline.run(doc);
      const fatal = analysed.issues.some((i) => i.severity === 'error');
      return { issues: analysed.issues, ...(fatal ? {} : { extraction: toExtraction(analysed) }) };
    },
    async close() {},
  };
}

type Slot = { worker: Worker; busy?: { seq: number; doc: DocumentInput; resolve: (x: Extracted) => void } };

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** A pool of worker threads, each with its own pipeline; a worker that dies is replaced and its document reported. */
export async function workerExtractor(workers = defaultWorkers(), options: WorkerOptions = {}): Promise<Extractor> {
  const url = new URL('./extract-worker.js', import.meta.url);
  const queue: { seq: number; doc: DocumentInput; resolve: (x: Extracted) => void }[] = [];
  const slots: Slot[] = [];
  let seq = 0;
  let closing = false;

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.busy || !queue.length) continue;
      slot.busy = queue.shift()!;
      slot.worker.postMessage({ seq: slot.busy.seq, doc: slot.busy.doc } satisfies ExtractRequest);
    }
  };
  const spawn = (): Promise<Slot> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(url, { workerData: options });
      const slot: Slot = { worker };
      worker.on('message', (m: ExtractResponse | { ready: true }) => {
        if ('ready' in m) return resolve(slot);
        const job = slot.busy;
        slot.busy = undefined;
        if (job && job.seq === m.seq)
          job.resolve(m.crash ? { issues: [issue('pipeline.stage-failed', job.doc.id, `extraction failed: ${m.crash}`)] } : { extraction: m.extraction, issues: m.issues });
        dispatch();
      });
      worker.on('error', (e) => {
        if (!slot.busy) return reject(e);
        slot.busy.resolve({ issues: [issue('pipeline.stage-failed', slot.busy.doc.id, `the extraction worker died: ${e.message}`)] });
        slot.busy = undefined;
      });
      worker.on('exit', () => {
        const i = slots.indexOf(slot);
        if (i < 0 || closing) return;
        slots.splice(i, 1);
        if (slot.busy) slot.busy.resolve({ issues: [issue('pipeline.stage-failed', slot.busy.doc.id, 'the extraction worker exited')] });
        void spawn().then((s) => (slots.push(s), dispatch()));
      });
    });
  slots.push(...(await Promise.all(Array.from({ length: workers }, spawn))));
  return {
    parallel: workers,
    extract(doc) {
      return new Promise((resolve) => {
        queue.push({ seq: seq++, doc, resolve });
        dispatch();
      });
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
