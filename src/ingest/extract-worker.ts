// A worker thread that runs the pipeline: it loads the knowledge base once, then answers each
// document it is sent with its extraction, or with the issues that stopped it.
import { parentPort, workerData } from 'node:worker_threads';
import { createPipeline, toExtraction, type DocumentInput } from '../pipeline.js';
import type { ExtractRequest, ExtractResponse, WorkerOptions } from './extractor.js';

const options = workerData as WorkerOptions;
const pipeline = createPipeline({ tagger: options.tagger, dataRoot: options.dataRoot });

parentPort!.on('message', (req: ExtractRequest) => {
  let res: ExtractResponse;
  try {
    const analysed = pipeline.run(req.doc as DocumentInput);
    const fatal = analysed.issues.some((i) => i.severity === 'error');
    res = { seq: req.seq, issues: analysed.issues, ...(fatal ? {} : { extraction: toExtraction(analysed) }) };
  } catch (e) {
    res = { seq: req.seq, issues: [], crash: (e as Error).message };
  }
  parentPort!.postMessage(res);
});
parentPort!.postMessage({ ready: true });
