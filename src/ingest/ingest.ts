// Ingest: documents from readSources through the pipeline into the store. An exact duplicate is
// recognised by its text before any extraction and only its source recorded; everything else is
// extracted (by an Extractor: this thread, or worker threads while this one writes) and written
// in input order, several documents a transaction (each whole: a crash loses at most the
// documents of the open transaction, never part of one). A document that fails is named with
// its reason and the batch goes on; when a write fails, the documents of that transaction are
// written again one by one so only the bad one is lost.
import type { Extraction } from '../model/contract.js';
import type { Extractor } from './extractor.js';
import type { Issue } from '../model/issues.js';
import type { Store, StoredDocumentInput, PutOutcome } from '../store/store.js';
import { wordCount } from '../store/write-document.js';
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
  /**
   * Documents a transaction (default 256), and the longest a document waits for its commit
   * (default 2 s). Large transactions are what make a big store fast to fill: each document's
   * rows land on random pages of a dozen indexes, and a commit writes each touched page once.
   */
  batchSize?: number;
  batchMs?: number;
};

type Pending = { input: string; doc: StoredDocumentInput; extraction: Extraction; words: number };

const describe = (issues: readonly Issue[]) => issues.map((i) => `${i.message} [${i.code}]`).join('; ');


export async function ingest(store: Store, extractor: Extractor, items: AsyncIterable<SourceItem>, options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 256;
  const batchMs = options.batchMs ?? 2000;
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
  let batch: Pending[] = [];
  let oldest = 0;
  const flush = async () => {
    const list = batch;
    batch = [];
    if (!list.length) return;
    try {
      const outcomes = await store.putDocuments(list.map((p) => ({ doc: p.doc, extraction: p.extraction })));
      list.forEach((p, i) => count(p, outcomes[i]));
    } catch {
      for (const p of list) {
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
    const { failures: _f, warnings: _w, ...p } = s;
    options.onProgress?.(p);
  };
  // Extractions in flight, oldest first: written in input order whatever finishes first.
  const inFlight: Promise<Pending | undefined>[] = [];
  const writeOldest = async () => {
    const p = await inFlight.shift()!;
    if (p) {
      if (!batch.length) oldest = performance.now();
      batch.push(p);
    }
    if (batch.length >= batchSize || (batch.length && performance.now() - oldest > batchMs)) await flush();
    progress();
  };
  for await (const item of items) {
    s.documents++;
    if (!item.ok) {
      fail(item.input, describe(item.issues));
      progress();
      continue;
    }
    s.warnings.push(...(item.issues ?? []));
    const stored: StoredDocumentInput = { text: item.doc.text, title: item.doc.title, published: item.doc.published, source: item.doc.source, url: item.doc.url, externalId: item.doc.id };
    let known: string | undefined;
    try {
      known = await store.addSource(item.doc.text, stored);
    } catch (e) {
      fail(item.input, (e as Error).message);
      continue;
    }
    if (known) {
      s.duplicate++;
      progress();
      continue;
    }
    inFlight.push(
      extractor.extract(item.doc).then(({ extraction, issues }) => {
        const fatal = issues.filter((i) => i.severity === 'error');
        if (fatal.length || !extraction) return void fail(item.input, describe(fatal.length ? fatal : issues));
        s.warnings.push(...issues);
        return { input: item.input, doc: stored, extraction, words: wordCount(item.doc.text) };
      }),
    );
    while (inFlight.length >= extractor.parallel * 2) await writeOldest();
  }
  while (inFlight.length) await writeOldest();
  await flush();
  progress();
  return s;
}

export function formatSummary(s: IngestSummary, location: string): string {
  const lines = [
    `${s.ingested} ingested, ${s.duplicate} duplicate, ${s.nearDuplicate} near-duplicate, ${s.failed} failed` +
      ` (${s.documents} inputs, ${Math.round(s.words / Math.max(s.seconds, 1e-3)).toLocaleString('en')} words/s, ${s.seconds.toFixed(1)} s) into ${location}`,
  ];
  for (const f of s.failures) lines.push(`  failed: ${f.input}: ${f.reason}`);
  return lines.join('\n');
}
