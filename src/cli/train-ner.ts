// `faultline train-ner --corpora DIR --out FILE [--epochs N] [--seed N]`: trains the entity
// tagger on the open corpora (src/extract/ner/train.ts does the work) and writes the weights and
// dev-report.json beside them. Progress on stderr, dev scores on stdout.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CORPUS_NAMES } from '../extract/ner/corpora.js';
import { trainNerCommand } from '../extract/ner/train.js';

const wholeNumber = (min: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`"${v}" is not a whole number of at least ${min}`);
  return n;
};

export type TrainNerCliOptions = { corpora: string; out: string; epochs?: number; seed?: number };

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
  return trainNerCommand({ corpora: opts.corpora, out: opts.out, epochs: opts.epochs, seed: opts.seed });
}

export function registerTrainNer(program: Command): void {
  program
    .command('train-ner')
    .description('train the entity tagger on the open NER corpora; writes the weights and dev-report.json beside them')
    .requiredOption('--corpora <dir>', 'the corpora folder (../shared/corpora): gmb/, wikigold/, uner-en-pud/, uner-en-ewt/, gum/, crossner-politics/')
    .requiredOption('--out <file>', 'where to write the weights, e.g. data/ner/model.json')
    .option('--epochs <n>', 'training epochs (default 15)', wholeNumber(1))
    .option('--seed <n>', 'shuffling seed (default 1)', wholeNumber(0))
    .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
    .action(async (opts: TrainNerCliOptions) => {
      process.exitCode = await trainNer(opts);
    });
}
