// `faultline train-ner --corpora DIR --out FILE [--epochs N] [--seed N] [--no-gazetteer]`: trains the entity
// tagger on the open corpora (src/extract/ner/train.ts does the work) and writes the weights and
// dev-report.json beside them. Progress on stderr, dev scores on stdout.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CORPUS_NAMES } from '../extract/ner/corpora.js';
import { corpusGazetteer } from '../extract/ner/corpus-gazetteer.js';
import { trainNerCommand, type Gazetteer } from '../extract/ner/train.js';
import { loadKnowledge } from '../knowledge/load.js';
import { formatIssue } from '../model/issues.js';

const wholeNumber = (min: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`"${v}" is not a whole number of at least ${min}`);
  return n;
};

export type TrainNerCliOptions = { corpora: string; out: string; epochs?: number; seed?: number; gazetteer: boolean; data?: string };

export async function trainNer(opts: TrainNerCliOptions): Promise<number> {
  // say which folder, resolved, before anything else: the trainer would only find no corpora in it
  let isDir = false;
  try {
    isDir = statSync(opts.corpora).isDirectory();
  } catch {
    // absent: said below
  }
  if (!isDir) {
    process.stderr.write(`faultline train-ner: the corpora folder ${opts.corpora} (${resolve(opts.corpora)}) does not exist or is not a folder; expected a folder holding some of ${CORPUS_NAMES.join(', ')}\n`);
    return 1;
  }
  // the knowledge base's matches are a feature (src/extract/ner/gazetteer.ts); the stage passes the same at run time
  let gazetteer: Gazetteer | undefined;
  if (opts.gazetteer) {
    const loaded = loadKnowledge(opts.data ? resolve(opts.data) : undefined);
    for (const i of loaded.issues.filter((x) => x.severity === 'error')) process.stderr.write(`${formatIssue(i)}\n`);
    gazetteer = corpusGazetteer(loaded.knowledge);
  }
  return trainNerCommand({ corpora: opts.corpora, out: opts.out, epochs: opts.epochs, seed: opts.seed, gazetteer });
}

export function registerTrainNer(program: Command): void {
  program
    .command('train-ner')
    .description('train the entity tagger on the open NER corpora; writes the weights and dev-report.json beside them')
    .requiredOption('--corpora <dir>', 'the corpora folder (../shared/corpora): gmb/, wikigold/, uner-en-pud/, uner-en-ewt/, gum/, crossner-politics/')
    .requiredOption('--out <file>', 'where to write the weights, e.g. data/ner/model.json')
    .option('--epochs <n>', 'training epochs (default 15)', wholeNumber(1))
    .option('--seed <n>', 'shuffling seed (default 1)', wholeNumber(0))
    .option('--no-gazetteer', 'train without knowledge-base labels as features')
    .option('--data <dir>', 'the knowledge base folder whose names are the gazetteer (default: the project data/)')
    .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
    .action(async (opts: TrainNerCliOptions) => {
      process.exitCode = await trainNer(opts);
    });
}
