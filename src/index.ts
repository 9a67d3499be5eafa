// Faultline as a library: the pipeline, the store and ingest, the same calls the CLI makes.
//
//   import { createPipeline, openStore, ingest, readSources } from 'faultline';
//   const store = await openStore('corpus.db');           // or 'postgres://user@host/db'
//   await ingest(store, createPipeline(), readSources(['reports/']));
//   const dossier = await store.dossier('Daesh');
export { createPipeline, toExtraction, stages, type Pipeline, type DocumentInput } from './pipeline.js';
export { openStore, NotFoundError, IdentityError, DEFAULT_DB, documentId, type Store, type StoredDocument, type StoredDocumentInput, type PutOutcome, type OpenStoreOptions } from './store/store.js';
export { StoreOpenError } from './store/open.js';
export { ingest, formatSummary, type IngestSummary, type IngestProgress, type IngestOptions } from './ingest/ingest.js';
export { readSources, type SourceItem, type SourceOptions } from './ingest/sources.js';
export { safeFetch, forbiddenAddressReason, type FetchPolicy, type Fetched } from './ingest/fetch.js';
export * from './model/contract.js';
export * from './model/store.js';
