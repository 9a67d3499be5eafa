// Ingest: documents from readSources through the pipeline into the store, one at a time. An
// exact duplicate is recognised by its text before any extraction and only its source recorded;
// everything else is extracted and written in one transaction. A document that fails is named
// with its reason and the batch goes on.
import type { Pipeline } from '../pipeline.js';
import { toExtraction } from '../pipeline.js';
import { formatIssue, type Issue } from '../model/issues.js';
import type { Store } from '../store/store.js';
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
  /** Called after each document. */
  onProgress?: (p: IngestProgress) => void;
  /** Called for each failure as it happens. */
  onFailure?: (f: IngestFailure) => void;
};

const describe = (issues: readonly Issue[]) => issues.map((i) => `${i.message} [${i.code}]`).join('; ');

function wordsIn(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

export async function ingest(store: Store, pipeline: Pipeline, items: AsyncIterable<SourceItem>, options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const s: IngestSummary = { documents: 0, ingested: 0, duplicate: 0, nearDuplicate: 0, failed: 0, words: 0, seconds: 0, failures: [], warnings: [] };
  const fail = (input: string, reason: string) => {
    s.failed++;
    const f = { input, reason };
    s.failures.push(f);
    options.onFailure?.(f);
  };
  for await (const item of items) {
    s.documents++;
    try {
      if (!item.ok) fail(item.input, describe(item.issues));
      else await ingestOne(store, pipeline, item, s, fail);
    } catch (e) {
      // A store error on one document (a constraint, a lost connection) names it; the next may succeed.
      fail(item.input, (e as Error).message);
    }
    s.seconds = (performance.now() - started) / 1000;
    options.onProgress?.({ ...s });
  }
  s.seconds = (performance.now() - started) / 1000;
  return s;
}

async function ingestOne(store: Store, pipeline: Pipeline, item: Extract<SourceItem, { ok: true }>, s: IngestSummary, fail: (input: string, reason: string) => void) {
  const doc = item.doc;
  s.warnings.push(...(item.issues ?? []));
  const stored = { text: doc.text, title: doc.title, published: doc.published, source: doc.source, url: doc.url, externalId: doc.id };
  if (await store.addSource(doc.text, stored)) {
    s.duplicate++;
    return;
  }
  const analysed = pipeline.run(doc);
  const fatal = analysed.issues.filter((i) => i.severity === 'error');
  if (fatal.length) return fail(item.input, describe(fatal));
  s.warnings.push(...analysed.issues);
  const outcome = await store.putDocument(stored, toExtraction(analysed));
  if (outcome.status === 'duplicate') s.duplicate++;
  else {
    s.words += wordsIn(doc.text);
    if (outcome.status === 'near-duplicate') s.nearDuplicate++;
    else s.ingested++;
  }
}

export function formatSummary(s: IngestSummary, location: string): string {
  const lines = [
    `${s.ingested} ingested, ${s.duplicate} duplicate, ${s.nearDuplicate} near-duplicate, ${s.failed} failed` +
      ` (${s.documents} inputs, ${Math.round(s.words / Math.max(s.seconds, 1e-3)).toLocaleString('en')} words/s, ${s.seconds.toFixed(1)} s) into ${location}`,
  ];
  for (const f of s.failures) lines.push(`  failed: ${f.input}: ${f.reason}`);
  return lines.join('\n');
}

export { formatIssue };
