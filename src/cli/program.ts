// The faultline command's program: every command and its options, testable in-process through
// runCli (main.ts only calls it). All the work is in the pipeline, the store and the ingest
// modules. Exit codes: 0 everything succeeded, 1 some input failed, 2 usage.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { createPipeline, toExtraction, type Pipeline } from '../pipeline.js';
import { documentFromJsonLine, readDocumentFile, DEFAULT_MAX_BYTES } from '../ingest/read.js';
import { formatIssue, type Issue } from '../model/issues.js';
import { formatTable } from './format-table.js';
import { registerTrainNer } from './train-ner.js';
import { registerEval } from './eval.js';
import { registerStoreCommands, type Io } from './store-commands.js';

const isoDate = (v: string) => {
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) throw new InvalidArgumentError(`"${v}" is not an ISO 8601 date such as 2021-08-13`);
  return v;
};
const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`"${v}" is not a positive whole number`);
  return n;
};

type ExtractOptions = { published?: string; title?: string; format: string; jsonl?: string; out?: string; tagger: boolean; data?: string; maxBytes: number };

function report(issues: readonly Issue[] | undefined, minSeverity: 'error' | 'warning' = 'warning') {
  for (const i of issues ?? []) if (minSeverity === 'warning' || i.severity === 'error') process.stderr.write(formatIssue(i) + '\n');
}

async function extractJsonl(pipeline: Pipeline, opts: ExtractOptions): Promise<number> {
  const input = opts.jsonl!;
  const out: WriteStream | NodeJS.WriteStream = opts.out ? createWriteStream(opts.out) : process.stdout;
  const rl = createInterface({ input: input === '-' ? process.stdin : createReadStream(input), crlfDelay: Infinity });
  let lineNo = 0;
  let ok = 0;
  let failed = 0;
  const write = (obj: unknown) => out.write(JSON.stringify(obj) + '\n');
  try {
    for await (const line of rl) {
      lineNo++;
      if (!line.trim()) continue;
      const doc = documentFromJsonLine(line, lineNo, input, { maxBytes: opts.maxBytes, published: opts.published });
      if (!doc.ok) {
        failed++;
        report(doc.issues);
        write({ id: doc.id, error: doc.issues.map((i) => `${i.input}: ${i.message}`).join('; ') });
        continue;
      }
      report(doc.issues);
      const analysed = pipeline.run(doc.value);
      const fatal = analysed.issues.filter((i) => i.severity === 'error');
      report(analysed.issues);
      if (fatal.length) {
        failed++;
        write({ id: doc.id, error: fatal.map((i) => i.message).join('; ') });
      } else {
        ok++;
        write(toExtraction(analysed));
      }
    }
  } catch (e) {
    process.stderr.write(`error: ${input}: ${(e as Error).message}\n`);
    return 1;
  }
  if (out !== process.stdout) await new Promise<void>((r) => (out as WriteStream).end(r));
  process.stderr.write(`${ok} documents extracted, ${failed} failed (${input})\n`);
  return failed ? 1 : 0;
}

async function extract(file: string | undefined, opts: ExtractOptions): Promise<number> {
  if (!opts.jsonl && !file) {
    process.stderr.write('error: give a FILE (or - for standard input), or --jsonl IN.jsonl\n');
    return 2;
  }
  if (!['json', 'table'].includes(opts.format)) {
    process.stderr.write(`error: unknown --format "${opts.format}"; known: json, table\n`);
    return 2;
  }
  const pipeline = createPipeline({ tagger: opts.tagger, dataRoot: opts.data });
  if (opts.jsonl) return extractJsonl(pipeline, opts);
  const doc = readDocumentFile(file!, { published: opts.published, title: opts.title, maxBytes: opts.maxBytes });
  if (!doc.ok) {
    report(doc.issues);
    return 1;
  }
  report(doc.issues);
  const analysed = pipeline.run(doc.value);
  report(analysed.issues);
  const x = toExtraction(analysed);
  const text = opts.format === 'table' ? formatTable(x) : JSON.stringify(x, null, 2) + '\n';
  if (opts.out) (await import('node:fs')).writeFileSync(opts.out, text);
  else process.stdout.write(text);
  return analysed.issues.some((i) => i.severity === 'error') ? 1 : 0;
}

export function buildProgram(io: Io = processIo()): Command {
  const program = new Command();
  program.name('faultline').description('Sourced knowledge graphs of conflict and security reporting').showHelpAfterError();
  program
    .command('extract')
    .description('extract one document (text or HTML; - for standard input), or a JSONL batch, as faultline.extraction/v1')
    .argument('[file]', 'a text or HTML file, or - for standard input')
    .option('--published <date>', 'published date, YYYY-MM-DD; relative dates resolve against it', isoDate)
    .option('--title <title>', 'document title')
    .option('--format <format>', 'json or table', 'json')
    .option('--jsonl <file>', 'batch input: one {id, text, published?, title?} a line')
    .option('--out <file>', 'write output here instead of standard output')
    .option('--no-tagger', 'do not use the trained entity tagger')
    .option('--data <dir>', 'knowledge base folder (default: the built-in data/)')
    .option('--max-bytes <n>', 'largest input accepted', positive, DEFAULT_MAX_BYTES)
    .action(async (file: string | undefined, opts: ExtractOptions) => {
      process.exitCode = await extract(file, opts);
    });
  registerTrainNer(program);
  registerEval(program);
  registerStoreCommands(program, io);
  return program;
}

export function processIo(): Io {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    stdin: process.stdin,
    progress: Boolean(process.stderr.isTTY),
    setCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** Runs the command line `argv` (without node and the script) and resolves to its exit code. */
export async function runCli(argv: string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  const captured: Io = { ...io, setCode: (c) => void (code = c) };
  const program = buildProgram(captured);
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; everything else commander rejects is a usage error
      return e.exitCode === 0 ? 0 : 2;
    }
    io.err(`error: ${(e as Error).message}\n`);
    return 2;
  }
  const legacy = process.exitCode;
  process.exitCode = before;
  return code || (typeof legacy === 'number' ? legacy : 0);
}


