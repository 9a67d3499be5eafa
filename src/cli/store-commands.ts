// The store's commands: ingest, and the questions across the corpus (search, entity, events,
// graph, claims, contradictions, stats) and identity corrections (merge, split, unmerge,
// merges). Each opens the store named by --db, FAULTLINE_DB or ./faultline.db, answers in
// --format table or json, and closes it. Errors name the input and the reason; exit codes: 0
// done, 1 an input or the store failed, 2 usage.
import { InvalidArgumentError, type Command } from 'commander';
import { PLOVER_TYPES } from '../model/contract.js';
import { openStore, NotFoundError, IdentityError, DEFAULT_DB, type Store } from '../store/store.js';
import { StoreOpenError } from '../store/open.js';
import { readSources } from '../ingest/sources.js';
import { ingest, formatSummary, type IngestProgress } from '../ingest/ingest.js';
import { DEFAULT_MAX_BYTES } from '../ingest/read.js';
import { defaultWorkers, inThreadExtractor, workerExtractor, type Extractor } from '../ingest/extractor.js';
import * as fmt from './format-store.js';

export type Io = {
  out(s: string): void;
  err(s: string): void;
  stdin?: NodeJS.ReadableStream;
  /** Draw a progress line (standard error is a terminal). */
  progress?: boolean;
  setCode(code: number): void;
};

const isoDate = (v: string) => {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(v);
  const valid = m && (!m[2] || (+m[2] >= 1 && +m[2] <= 12)) && (!m[3] || (+m[3] >= 1 && +m[3] <= new Date(Date.UTC(+m[1], +m[2], 0)).getUTCDate()));
  if (!valid) throw new InvalidArgumentError(`"${v}" is not a valid ISO 8601 date such as 2021-08-13`);
  return v;
};
const positiveInt = (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`"${v}" is not a positive whole number`);
  return n;
};
const positiveNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${v}" is not a positive number`);
  return n;
};
const ploverType = (v: string) => {
  const t = v.toUpperCase();
  if (!(PLOVER_TYPES as readonly string[]).includes(t)) throw new InvalidArgumentError(`"${v}" is not a PLOVER type; known: ${PLOVER_TYPES.join(', ')}`);
  return t as (typeof PLOVER_TYPES)[number];
};
const format = (v: string) => {
  if (v !== 'table' && v !== 'json') throw new InvalidArgumentError(`"${v}" is not a format; known: table, json`);
  return v;
};

type Common = { db?: string; format: 'table' | 'json' };

/** Opens the store, runs the question, prints the answer in the format asked; store errors exit 1. */
async function withStore(io: Io, opts: Common, work: (store: Store) => Promise<number>): Promise<void> {
  let store: Store | undefined;
  try {
    store = await openStore(opts.db ?? (process.env.FAULTLINE_DB || DEFAULT_DB));
    io.setCode(await work(store));
  } catch (e) {
    if (e instanceof StoreOpenError || e instanceof NotFoundError || e instanceof IdentityError) io.err(`error: ${e.message}\n`);
    else io.err(`error: ${opts.db ?? DEFAULT_DB}: ${(e as Error).message}\n`);
    io.setCode(1);
  } finally {
    await store?.close().catch(() => {});
  }
}

function print(io: Io, opts: Common, value: unknown, table: () => string) {
  io.out(opts.format === 'json' ? JSON.stringify(value, null, 2) + '\n' : table() + '\n');
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('--db <path-or-url>', `the store: a SQLite file or postgres:// URL (default: FAULTLINE_DB or ${DEFAULT_DB})`)
    .option('--format <format>', 'table or json', format, 'table');
}

function progressLine(p: IngestProgress): string {
  const wps = Math.round(p.words / Math.max(p.seconds, 1e-3));
  return `\r\x1b[2Kingest: ${p.documents} inputs, ${p.ingested} ingested, ${p.duplicate} duplicate, ${p.nearDuplicate} near-duplicate, ${p.failed} failed, ${wps.toLocaleString('en')} words/s`;
}

type IngestOptions = Common & { published?: string; tagger: boolean; data?: string; maxBytes: number; allowPrivate?: boolean; feedFetch: 'auto' | 'always' | 'never'; timeoutMs: number; workers: number; batch: number };

export function registerStoreCommands(program: Command, io: Io): void {
  withCommon(program.command('ingest'))
    .description('extract documents (files, folders, JSONL, RSS/Atom feeds, URLs; - for standard input) into the store')
    .argument('<inputs...>', 'files, folders, feeds, http(s) URLs, or -')
    .option('--published <date>', 'published date for inputs that do not carry one', isoDate)
    .option('--no-tagger', 'do not use the trained entity tagger')
    .option('--data <dir>', 'knowledge base folder (default: the built-in data/)')
    .option('--max-bytes <n>', 'largest input accepted', positiveInt, DEFAULT_MAX_BYTES)
    .option('--allow-private', 'let the URL fetcher reach private, loopback and link-local addresses')
    .option('--feed-fetch <mode>', "feed items: 'auto' (their own content when long enough, else the linked page), 'always', 'never'", (v) => {
      if (!['auto', 'always', 'never'].includes(v)) throw new InvalidArgumentError(`"${v}" is not one of auto, always, never`);
      return v;
    }, 'auto')
    .option('--timeout-ms <n>', 'time limit of one URL fetch', positiveInt, 20_000)
    .option('--batch <n>', 'documents a transaction (a crash loses at most these; a rerun redoes them)', positiveInt, 256)
    .option('--workers <n>', 'extraction worker threads (0: extract in this thread)', (v) => (v === '0' ? 0 : positiveInt(v)), defaultWorkers())
    .action(async (inputs: string[], opts: IngestOptions) => {
      await withStore(io, opts, async (store) => {
        const extractorOptions = { tagger: opts.tagger, dataRoot: opts.data };
        const extractor: Extractor = opts.workers > 0 ? await workerExtractor(opts.workers, extractorOptions) : inThreadExtractor(extractorOptions);
        try {
          const items = readSources(inputs, {
            maxBytes: opts.maxBytes,
            published: opts.published,
            feedFetch: opts.feedFetch,
            stdin: io.stdin,
            fetch: { allowPrivate: Boolean(opts.allowPrivate), timeoutMs: opts.timeoutMs },
          });
          let last = 0;
          const summary = await ingest(store, extractor, items, {
            batchSize: opts.batch,
            onProgress: io.progress
              ? (p) => {
                  const now = performance.now();
                  if (now - last > 150) (io.err(progressLine(p)), (last = now));
                }
              : undefined,
          });
          if (summary.ingested + summary.nearDuplicate > 0) await store.optimize();
          if (io.progress) io.err('\r\x1b[2K');
          io.err(formatSummary(summary, store.location) + '\n');
          if (opts.format === 'json') io.out(JSON.stringify({ ...summary, warnings: summary.warnings.length }, null, 2) + '\n');
          return summary.failed ? 1 : 0;
        } finally {
          await extractor.close();
        }
      });
    });

  withCommon(program.command('search'))
    .description('documents and passages matching words, "phrases", OR and -word, ranked')
    .argument('<query>', 'what to look for')
    .option('--from <date>', 'published on or after', isoDate)
    .option('--to <date>', 'published on or before', isoDate)
    .option('--limit <n>', 'how many', positiveInt, 20)
    .option('--offset <n>', 'skip this many', (v) => (v === '0' ? 0 : positiveInt(v)), 0)
    .action(async (query: string, opts: Common & { from?: string; to?: string; limit: number; offset: number }) => {
      await withStore(io, opts, async (store) => {
        const r = await store.search(query, { from: opts.from, to: opts.to, limit: opts.limit, offset: opts.offset });
        print(io, opts, r, () => fmt.searchTable(query, r));
        return 0;
      });
    });

  withCommon(program.command('entity'))
    .description("an entity's dossier: names and why, roles, relations, events, quotes, claims, documents")
    .argument('<name-or-id>', 'a name, any name the reports used, or an id such as kb:iskp')
    .action(async (name: string, opts: Common) => {
      await withStore(io, opts, async (store) => {
        const d = await store.dossier(name);
        print(io, opts, d, () => fmt.dossierTable(d));
        return 0;
      });
    });

  withCommon(program.command('events'))
    .description('events across the corpus, newest first')
    .option('--actor <name-or-id>', 'an actor taking part')
    .option('--type <plover>', 'a PLOVER type', ploverType)
    .option('--from <date>', 'on or after', isoDate)
    .option('--to <date>', 'on or before', isoDate)
    .option('--near <place>', 'within --km of a place')
    .option('--km <n>', 'distance for --near', positiveNumber, 50)
    .option('--limit <n>', 'how many', positiveInt, 100)
    .option('--offset <n>', 'skip this many', (v) => (v === '0' ? 0 : positiveInt(v)), 0)
    .action(async (opts: Common & { actor?: string; type?: (typeof PLOVER_TYPES)[number]; from?: string; to?: string; near?: string; km: number; limit: number; offset: number }) => {
      await withStore(io, opts, async (store) => {
        const r = await store.events({ actor: opts.actor, type: opts.type, from: opts.from, to: opts.to, near: opts.near, km: opts.near ? opts.km : undefined, limit: opts.limit, offset: opts.offset });
        print(io, opts, r, () => fmt.eventsTable(r));
        return 0;
      });
    });

  withCommon(program.command('graph'))
    .description('the ego network of an actor: typed, signed edges with the number of stories behind each')
    .argument('<name-or-id>', 'the actor at the centre')
    .option('--depth <n>', 'steps out from the centre (1-3)', (v) => {
      const n = positiveInt(v);
      if (n > 3) throw new InvalidArgumentError(`"${v}": depth is at most 3`);
      return n;
    }, 1)
    .option('--places', 'include LOCATED_IN and BORDERS edges')
    .action(async (name: string, opts: Common & { depth: number; places?: boolean }) => {
      await withStore(io, opts, async (store) => {
        const g = await store.graph(name, { depth: opts.depth, places: Boolean(opts.places) });
        print(io, opts, g, () => fmt.graphTable(g));
        return 0;
      });
    });

  withCommon(program.command('claims'))
    .description('numbers claimed about an entity, with who claims them')
    .argument('<name-or-id>', 'what the numbers are about')
    .option('--property <p>', "only this property: 'strength', 'troops', 'casualties', ...")
    .action(async (name: string, opts: Common & { property?: string }) => {
      await withStore(io, opts, async (store) => {
        const r = await store.claims(name, opts.property);
        print(io, opts, r, () => fmt.claimsTable(r));
        return 0;
      });
    });

  withCommon(program.command('contradictions'))
    .description('numeric claims about the same subject and property that disagree across sources')
    .option('--property <p>', 'only this property')
    .option('--limit <n>', 'how many', positiveInt, 100)
    .action(async (opts: Common & { property?: string; limit: number }) => {
      await withStore(io, opts, async (store) => {
        const r = await store.contradictions({ property: opts.property, limit: opts.limit });
        print(io, opts, r, () => fmt.contradictionsTable(r));
        return 0;
      });
    });

  withCommon(program.command('stats'))
    .description('documents, words, entities by type, facts by kind, date range')
    .action(async (opts: Common) => {
      await withStore(io, opts, async (store) => {
        const s = await store.stats();
        print(io, opts, s, () => fmt.statsTable(s, store.location));
        return 0;
      });
    });

  withCommon(program.command('merge'))
    .description('merge one entity into another (reversible with unmerge)')
    .argument('<from>', 'the entity id that joins')
    .argument('<into>', 'the entity id it joins')
    .requiredOption('--reason <why>', 'why they are one: recorded with the merge')
    .action(async (from: string, into: string, opts: Common & { reason: string }) => {
      await withStore(io, opts, async (store) => {
        const id = await store.merge(from, into, opts.reason);
        print(io, opts, { merge: id }, () => `merge #${id}: ${from} is now part of ${into}`);
        return 0;
      });
    });

  withCommon(program.command('split'))
    .description("take one document's entity out of an identity it was merged into (reversible with unmerge)")
    .argument('<entity>', 'the entity id')
    .requiredOption('--document <id>', 'the document whose entity leaves')
    .requiredOption('--reason <why>', 'why they are not one: recorded with the split')
    .action(async (entity: string, opts: Common & { document: string; reason: string }) => {
      await withStore(io, opts, async (store) => {
        const id = await store.split(entity, opts.document, opts.reason);
        print(io, opts, { split: id }, () => `split #${id}: document ${opts.document} no longer counts as ${entity}`);
        return 0;
      });
    });

  withCommon(program.command('unmerge'))
    .description('undo a merge or split by its number (see merges)')
    .argument('<number>', 'the merge or split number', positiveInt)
    .action(async (n: number, opts: Common) => {
      await withStore(io, opts, async (store) => {
        await store.undo(n);
        print(io, opts, { undone: n }, () => `#${n} undone`);
        return 0;
      });
    });

  withCommon(program.command('merges'))
    .description('merges and splits, automatic and by analysts, with their reasons')
    .argument('[entity]', 'only those touching this entity id')
    .action(async (entity: string | undefined, opts: Common) => {
      await withStore(io, opts, async (store) => {
        const r = await store.merges(entity);
        print(io, opts, r, () => fmt.mergesTable(r));
        return 0;
      });
    });
}
