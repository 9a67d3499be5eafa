// The arguments of `faultline ingest PATH|URL|FEED...` turned into documents, one at a time. A
// path may be a file (text, HTML, JSONL, a feed) or a folder read recursively; `-` is standard
// input; an http(s) URL is fetched (safeFetch) and may itself be a feed. Feed items become
// documents from their own content or from the page they link to. Every input that cannot be
// read, down to one JSONL line or one feed item, becomes a failure item naming it, and the rest
// go on: a batch of thousands should not stop for one bad file.
import { createReadStream, type Stats } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { issue, type Issue, type Result } from '../model/issues.js';
import type { DocumentInput } from '../pipeline.js';
import { FEED_TYPES, safeFetch, type FetchPolicy, type Fetched } from './fetch.js';
import { looksLikeFeed, parseFeed, type FeedItem } from './feed.js';
import { DEFAULT_MAX_BYTES, documentFromJsonLine, documentFromText, textFromBytes } from './read.js';

export type SourceItem = { input: string /* path, path:line, url, feed#item-n */ } & (
  | { ok: true; doc: DocumentInput; issues?: Issue[] }
  | { ok: false; issues: Issue[] }
);

export type SourceOptions = {
  fetch?: FetchPolicy;
  maxBytes?: number;
  published?: string;
  /** auto: an item's own content when it has about 80 words or more, else the page it links to. */
  feedFetch?: 'auto' | 'always' | 'never';
  stdin?: NodeJS.ReadableStream;
};

/** Where a feed came from: its name in messages, the document source, the base for relative links. */
type FeedOrigin = { input: string; source: string; base?: string };

const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson']);
const FEED_EXTENSIONS = new Set(['.xml', '.rss', '.atom']);
const ENOUGH_WORDS = 80;
const STDIN_SOURCE = 'stdin';

const failure = (input: string, issues: Issue[]): SourceItem => ({ input, ok: false, issues });

function fromResult(input: string, r: Result<DocumentInput>): SourceItem {
  if (!r.ok) return failure(input, r.issues);
  return r.issues?.length ? { input, ok: true, doc: r.value, issues: r.issues } : { input, ok: true, doc: r.value };
}

const maxBytesOf = (options: SourceOptions) => options.maxBytes ?? DEFAULT_MAX_BYTES;
const fetchPolicyOf = (options: SourceOptions, accept: FetchPolicy['accept']): FetchPolicy => ({
  ...options.fetch,
  maxBytes: options.fetch?.maxBytes ?? options.maxBytes,
  accept,
});

/** Each argument in turn: `-`, a URL, or a path (file or folder). */
export async function* readSources(args: string[], options: SourceOptions = {}): AsyncGenerator<SourceItem> {
  for (const arg of args) {
    if (arg === '-') yield* readStdin(options);
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) yield* readUrl(arg, options);
    else yield* readPath(arg, options, new Set());
  }
}

// ---- files and folders ----------------------------------------------------------------------

async function* readPath(path: string, options: SourceOptions, seenDirs: Set<string>): AsyncGenerator<SourceItem> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    yield failure(path, [issue('input.unreadable', path, err.code === 'ENOENT' ? 'no such file or folder' : err.message)]);
    return;
  }
  if (st.isDirectory()) yield* readFolder(path, options, seenDirs);
  else if (st.isFile()) yield* readFileSource(path, st.size, options);
  else yield failure(path, [issue('input.unreadable', path, 'is not a regular file or folder (a device, socket or pipe); give a file, a folder, - or a URL')]);
}

/** Entries sorted by name, dot-names skipped; a folder reached twice (a symlink loop) is read once. */
async function* readFolder(dir: string, options: SourceOptions, seenDirs: Set<string>): AsyncGenerator<SourceItem> {
  let names: string[];
  try {
    const real = await realpath(dir);
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch (e) {
    yield failure(dir, [issue('input.unreadable', dir, `the folder could not be listed: ${(e as Error).message}`)]);
    return;
  }
  for (const name of names) yield* readPath(join(dir, name), options, seenDirs);
}

async function* readFileSource(path: string, size: number, options: SourceOptions): AsyncGenerator<SourceItem> {
  const ext = extname(path).toLowerCase();
  if (JSONL_EXTENSIONS.has(ext)) {
    yield* jsonlItems(createReadStream(path), path, path, options);
    return;
  }
  const text = await readTextFile(path, size, maxBytesOf(options));
  if (!text.ok) {
    yield failure(path, text.issues);
    return;
  }
  if (FEED_EXTENSIONS.has(ext) || looksLikeFeed(text.value)) yield* feedItems(text.value, { input: path, source: path }, options);
  else yield fromResult(path, documentFromText(text.value, path, { published: options.published, maxBytes: options.maxBytes, source: path }));
}

/** A whole file as UTF-8 text, refused before reading when larger than the limit. */
async function readTextFile(path: string, size: number, max: number): Promise<Result<string>> {
  if (size > max) return { ok: false, issues: [issue('input.too-large', path, `${size} bytes is more than the limit of ${max} bytes (set --max-bytes to raise it)`)] };
  try {
    return textFromBytes(await readFile(path), path, max);
  } catch (e) {
    return { ok: false, issues: [issue('input.unreadable', path, (e as Error).message)] };
  }
}

// ---- JSONL ---------------------------------------------------------------------------------

/** One item per non-blank line, read line by line so a large file is never held whole. */
async function* jsonlItems(stream: NodeJS.ReadableStream, name: string, source: string, options: SourceOptions): AsyncGenerator<SourceItem> {
  let broken: Error | undefined;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  stream.on('error', (e: Error) => {
    broken = e;
    rl.close();
  });
  let lineNo = 0;
  try {
    for await (const raw of rl) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (!line.trim()) continue;
      const r = documentFromJsonLine(line, lineNo, name, { maxBytes: options.maxBytes, published: options.published, source });
      yield fromResult(`${name}:${lineNo}`, r);
    }
  } catch (e) {
    broken ??= e as Error;
  }
  if (broken) yield failure(name, [issue('input.unreadable', name, `reading stopped after line ${lineNo}: ${broken.message}`)]);
}

// ---- standard input ------------------------------------------------------------------------

/** Reads chunks until the first non-blank line is complete (or the input ends), for sniffing. */
async function peekFirstLine(chunks: AsyncIterator<Buffer | string>, max: number): Promise<{ head: Buffer; firstLine: string; done: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  for (;;) {
    const head = Buffer.concat(parts);
    const text = head.toString('utf8').replace(/^\uFEFF/, '');
    const start = text.search(/\S/);
    const end = start < 0 ? -1 : text.indexOf('\n', start);
    if (end >= 0 || size > max) return { head, firstLine: start < 0 ? '' : text.slice(start, end < 0 ? undefined : end), done: false };
    const next = await chunks.next();
    if (next.done) return { head, firstLine: start < 0 ? '' : text.slice(start), done: true };
    const chunk = asBuffer(next.value);
    parts.push(chunk);
    size += chunk.length;
  }
}

function isJsonObjectLine(line: string): boolean {
  if (!line.trimStart().startsWith('{')) return false;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

const asBuffer = (chunk: Buffer | string): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));

/** The peeked bytes followed by the rest of the stream, as one sequence of Buffers. */
async function* prepend(head: Buffer, rest: AsyncIterator<Buffer | string>, done: boolean): AsyncGenerator<Buffer> {
  if (head.length) yield head;
  if (done) return;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield asBuffer(next.value);
}

/** The rest of a stream, up to the limit; undefined when it grows past it. */
async function collectCapped(chunks: AsyncIterable<Buffer>, max: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > max) return undefined;
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/** `-`: JSONL when the first non-blank line is a JSON object, a feed when it looks like one, else text or HTML. */
async function* readStdin(options: SourceOptions): AsyncGenerator<SourceItem> {
  const stream = options.stdin ?? process.stdin;
  const chunks = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const max = maxBytesOf(options);
  const peek = await peekFirstLine(chunks, max);
  const all = prepend(peek.head, chunks, peek.done);
  if (isJsonObjectLine(peek.firstLine)) {
    yield* jsonlItems(Readable.from(all), '-', STDIN_SOURCE, options);
    return;
  }
  const bytes = await collectCapped(all, max);
  if (!bytes) {
    yield failure('-', [issue('input.too-large', '-', `standard input is more than the limit of ${max} bytes (set --max-bytes to raise it)`)]);
    return;
  }
  const text = textFromBytes(bytes, '-', max);
  if (!text.ok) yield failure('-', text.issues);
  else if (looksLikeFeed(text.value)) yield* feedItems(text.value, { input: '-', source: STDIN_SOURCE }, options);
  else yield fromResult('-', documentFromText(text.value, '-', { published: options.published, maxBytes: options.maxBytes, source: STDIN_SOURCE }));
}

// ---- URLs ----------------------------------------------------------------------------------

/** A fetched body as text, decoded by its declared charset when that is not UTF-8. */
function fetchedText(f: Fetched, input: string, max: number): Result<string> {
  const charset = /;\s*charset="?([\w.:-]+)"?/i.exec(f.contentType)?.[1]?.toLowerCase();
  if (!charset || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii') return textFromBytes(f.body, input, max);
  let decoded: string;
  try {
    decoded = new TextDecoder(charset).decode(f.body);
  } catch {
    return textFromBytes(f.body, input, max); // an unknown label: read as UTF-8, which says if it is not
  }
  return textFromBytes(Buffer.from(decoded, 'utf8'), input, Math.max(max, f.body.length * 3));
}

function isFeedResponse(f: Fetched, text: string): boolean {
  const media = f.contentType.split(';')[0].trim().toLowerCase();
  return (FEED_TYPES as readonly string[]).includes(media) || looksLikeFeed(text);
}

async function* readUrl(url: string, options: SourceOptions): AsyncGenerator<SourceItem> {
  const res = await safeFetch(url, fetchPolicyOf(options, 'any'));
  if (!res.ok) {
    yield failure(url, res.issues);
    return;
  }
  const text = fetchedText(res.value, url, maxBytesOf(options));
  if (!text.ok) {
    yield failure(url, text.issues);
    return;
  }
  if (isFeedResponse(res.value, text.value)) {
    yield* feedItems(text.value, { input: url, source: url, base: res.value.finalUrl }, options);
    return;
  }
  const source = new URL(res.value.finalUrl).host;
  yield fromResult(url, documentFromText(text.value, url, { url: res.value.finalUrl, published: options.published, maxBytes: options.maxBytes, source }));
}

// ---- feeds ---------------------------------------------------------------------------------

async function* feedItems(xml: string, origin: FeedOrigin, options: SourceOptions): AsyncGenerator<SourceItem> {
  const feed = parseFeed(xml, origin.input);
  if (!feed.ok) {
    yield failure(origin.input, feed.issues);
    return;
  }
  for (const [i, item] of feed.value.items.entries()) yield await feedItemDocument(item, i + 1, origin, options);
}

/** Text of an HTML fragment or plain text, roughly: tags out, so words can be counted. */
function roughText(content: string): string {
  return content.replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/&[#\w]+;/g, ' ');
}

export function wordCount(content: string): number {
  return roughText(content).match(/\p{L}[\p{L}\p{N}'’-]*/gu)?.length ?? 0;
}

const looksLikeMarkup = (s: string) => /<\/?[a-z][a-z0-9]*(?:\s[^>]*)?\/?>/i.test(s);

/** An item's link as an absolute http(s) URL, resolved against the feed's URL when relative. */
function fetchableLink(link: string | undefined, base: string | undefined): string | undefined {
  if (!link) return undefined;
  try {
    const u = base ? new URL(link, base) : new URL(link);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

async function feedItemDocument(item: FeedItem, n: number, origin: FeedOrigin, options: SourceOptions): Promise<SourceItem> {
  const input = `${origin.input}#item-${n}`;
  const link = fetchableLink(item.link, origin.base);
  const mode = options.feedFetch ?? 'auto';
  const fetchIt = link !== undefined && (mode === 'always' || (mode === 'auto' && wordCount(item.content ?? '') < ENOUGH_WORDS));
  const read = { title: item.title, published: item.published ?? options.published, url: link ?? item.link, source: origin.source, maxBytes: options.maxBytes };
  if (fetchIt) return fetchItemPage(link, input, read, options);
  if (!item.content) {
    const why = mode === 'never' ? "and feedFetch is 'never'" : 'and no http(s) link to fetch';
    return failure(input, [issue('input.empty', input, `the feed item${item.title ? ` "${item.title}"` : ''} has no content ${why}`)]);
  }
  const body = looksLikeMarkup(item.content) ? `<!doctype html><html><head></head><body>${item.content}</body></html>` : item.content;
  return fromResult(input, documentFromText(body, input, read));
}

type ItemRead = { title?: string; published?: string; url?: string; source: string; maxBytes?: number };

/** The page an item links to, as the item's document; failures name the feed item and the link. */
async function fetchItemPage(link: string, input: string, read: ItemRead, options: SourceOptions): Promise<SourceItem> {
  const res = await safeFetch(link, fetchPolicyOf(options, 'document'));
  if (!res.ok) return failure(input, res.issues.map((i) => ({ ...i, input, message: `link ${link}: ${i.message}` })));
  const text = fetchedText(res.value, input, maxBytesOf(options));
  if (!text.ok) return failure(input, text.issues);
  return fromResult(input, documentFromText(text.value, input, read));
}
