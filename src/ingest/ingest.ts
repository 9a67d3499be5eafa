// Ingest: documents from readSources through the pipeline into the store. An exact duplicate is
// recognised by its text before any extraction and only its source recorded; everything else is
// extracted and written, several documents a transaction (each whole: a crash loses at most the
// documents of the open transaction, never part of one). A document that fails is named with
// its reason and the batch goes on; when a write fails, the documents of that transaction are
// written again one by one so only the bad one is lost.
import type { Pipeline } from '../pipeline.js';
import { toExtraction } from '../pipeline.js';
import type { Extraction } from '../model/contract.js';
import type { Issue } from '../model/issues.js';
import type { Store, StoredDocumentInput, PutOutcome } from '../store/store.js';
import type { SourceItem } from './sources.js';

export type IngestFailure = { input: string; reason: string };

export type IngestProgress = {
  documents: number;
  ingested: number;
  duplicate: number;
  nearDuplicate: number;
  failed: number;
  words: number;
  seconds: number;
};

export type IngestSummary = IngestProgress & { failures: IngestFailure[]; warnings: Issue[] };

export type IngestOptions = {
  /** Called after each input. */
  onProgress?: (p: IngestProgress) => void;
  /** Called for each failure as it happens. */
  onFailure?: (f: IngestFailure) => void;
  /** Documents a transaction (default 32), and the longest a document waits for its commit (default 1 s). */
  batchSize?: number;
  batchMs?: number;
};

type Pending = { input: string; doc: StoredDocumentInput; extraction: Extraction; words: number };

const describe = (issues: readonly Issue[]) => issues.map((i) => `${i.message} [${i.code}]`).join('; ');

function wordsIn(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

export async function ingest(store: Store, pipeline: Pipeline, items: AsyncIterable<SourceItem>, options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 32;
  const batchMs = options.batchMs ?? 1000;
  const s: IngestSummary = { documents: 0, ingested: 0, duplicate: 0, nearDuplicate: 0, failed: 0, words: 0, seconds: 0, failures: [], warnings: [] };
  const fail = (input: string, reason: string) => {
    s.failed++;
    const f = { input, reason };
    s.failures.push(f);
    options.onFailure?.(f);
  };
  const count = (p: Pending, outcome: PutOutcome) => {
    if (outcome.status === 'duplicate') return void s.duplicate++;
    s.words += p.words;
    if (outcome.status === 'near-duplicate') s.nearDuplicate++;
    else s.ingested++;
  };
  let pending: Pending[] = [];
  let oldest = 0;
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    try {
      const outcomes = await store.putDocuments(batch.map((p) => ({ doc: p.doc, extraction: p.extraction })));
      batch.forEach((p, i) => count(p, outcomes[i]));
    } catch {
      for (const p of batch) {
        try {
          count(p, await store.putDocument(p.doc, p.extraction));
        } catch (e) {
          // A store error on one document (a constraint, a lost connection) names it; the next may succeed.
          fail(p.input, (e as Error).message);
        }
      }
    }
  };
  const progress = () => {
    s.seconds = (performance.now() - started) / 1000;
    options.onProgress?.({ ...s, failures: undefined, warnings: undefined } as unknown as IngestProgress);
  };
  for await (const item of items) {
    s.documents++;
    if (!item.ok) fail(item.input, describe(item.issues));
    else {
      s.warnings.push(...(item.issues ?? []));
      const p = await extractOne(store, pipeline, item, s, fail);
      if (p) {
        if (!pending.length) oldest = performance.now();
        pending.push(p);
      }
    }
    if (pending.length >= batchSize || (pending.length && performance.now() - oldest > batchMs)) await flush();
    progress();
  }
  await flush();
  progress();
  return s;
}

/** A document ready to write, or nothing when it is a known text (its source recorded) or failed. */
async function extractOne(store: Store, pipeline: Pipeline, item: Extract<SourceItem, { ok: true }>, s: IngestSummary, fail: (input: string, reason: string) => void): Promise<Pending | undefined> {
  const doc = item.doc;
  const stored: StoredDocumentInput = { text: doc.text, title: doc.title, published: doc.published, source: doc.source, url: doc.url, externalId: doc.id };
  try {
    if (await store.addSource(doc.text, stored)) {
      s.duplicate++;
      return undefined;
    }
  } catch (e) {
    fail(item.input, (e as Error).message);
    return undefined;
  }
  const analysed = pipeline.run(doc);
  const fatal = analysed.issues.filter((i) => i.severity === 'error');
  if (fatal.length) {
    fail(item.input, describe(fatal));
    return undefined;
  }
  s.warnings.push(...analysed.issues);
  return { input: item.input, doc: stored, extraction: toExtraction(analysed), words: wordsIn(doc.text) };
}

export function formatSummary(s: IngestSummary, location: string): string {
  const lines = [
    `${s.ingested} ingested, ${s.duplicate} duplicate, ${s.nearDuplicate} near-duplicate, ${s.failed} failed` +
      ` (${s.documents} inputs, ${Math.round(s.words / Math.max(s.seconds, 1e-3)).toLocaleString('en')} words/s, ${s.seconds.toFixed(1)} s) into ${location}`,
  ];
  for (const f of s.failures) lines.push(`  failed: ${f.input}: ${f.reason}`);
  return lines.join('\n');
}
