// Reading one input: a file, standard input or a JSONL record, into a DocumentInput. Every way
// an input can be unusable gives one Issue naming the input and the reason.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { issue, type Issue, type Result } from '../model/issues.js';
import type { DocumentInput } from '../pipeline.js';
import { looksLikeHtml, readHtml } from './html.js';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** Index of the first byte that breaks UTF-8, or -1. */
function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let need = 0;
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) if (i + k >= buf.length || (buf[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** Looks binary: NUL bytes, or many control characters, in the first 8 KB. */
function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}

export type ReadOptions = { maxBytes?: number; title?: string; published?: string; id?: string; url?: string; source?: string };

/** Bytes (from a file, stdin or the network) to text: refused if too large, empty, binary or not UTF-8. */
export function textFromBytes(buf: Uint8Array, input: string, max = DEFAULT_MAX_BYTES): Result<string> {
  if (buf.length > max)
    return { ok: false, issues: [issue('input.too-large', input, `${buf.length} bytes is more than the limit of ${max} bytes (set --max-bytes to raise it)`)] };
  if (buf.length === 0) return { ok: false, issues: [issue('input.empty', input, 'the input is empty (0 bytes)')] };
  if (looksBinary(buf)) return { ok: false, issues: [issue('input.binary', input, 'the input looks binary (NUL or control bytes), not text; expected UTF-8 text or HTML')] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(buf));
    return { ok: false, issues: [issue('input.encoding', input, `not valid UTF-8: byte 0x${(buf[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad}; convert the file to UTF-8 first`)] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, value: text };
}

/** Bytes (from a file or stdin) to a document; HTML is reduced to its article text. */
export function documentFromBytes(buf: Uint8Array, input: string, options: ReadOptions = {}): Result<DocumentInput> {
  const text = textFromBytes(buf, input, options.maxBytes);
  if (!text.ok) return text;
  return documentFromText(text.value, input, options);
}

export function documentFromText(raw: string, input: string, options: ReadOptions = {}): Result<DocumentInput> {
  const issues: Issue[] = [];
  let text = raw;
  let title = options.title;
  let published = options.published;
  let url = options.url;
  if (looksLikeHtml(raw)) {
    const html = readHtml(raw, input);
    if (!html.ok) return html;
    issues.push(...(html.issues ?? []));
    text = html.value.text;
    title ??= html.value.title;
    published ??= html.value.published;
    url ??= html.value.url;
  }
  if (!text.trim()) return { ok: false, issues: [issue('input.empty', input, 'the document has no text (only whitespace)')] };
  if (published !== undefined && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(published))
    return { ok: false, issues: [issue('input.bad-date', input, `published date "${published}" is not an ISO 8601 date such as 2021-08-13`)] };
  const id = options.id ?? (input === '-' ? 'stdin' : basename(input).replace(/\.[a-z0-9]+$/i, ''));
  const source = options.source ?? (input === '-' ? undefined : input);
  return { ok: true, value: { id, text, title, published, url, source }, issues };
}

export function readDocumentFile(path: string, options: ReadOptions = {}): Result<DocumentInput> {
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let buf: Buffer;
  try {
    if (path === '-') buf = readFileSync(0);
    else {
      const st = statSync(path);
      if (st.isDirectory()) return { ok: false, issues: [issue('input.unreadable', path, 'is a directory, not a file')] };
      if (st.size > max) return { ok: false, issues: [issue('input.too-large', path, `${st.size} bytes is more than the limit of ${max} bytes (set --max-bytes to raise it)`)] };
      buf = readFileSync(path);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, issues: [issue('input.unreadable', path, err.code === 'ENOENT' ? 'no such file' : err.message)] };
  }
  return documentFromBytes(buf, path, options);
}

/**
 * One JSONL line: {id?, text, published?, title?, url?, source?}. Without an id the document is
 * called line-N; without a source it keeps options.source, else the line's place in the file.
 */
export function documentFromJsonLine(line: string, lineNo: number, source: string, options: ReadOptions = {}): Result<DocumentInput> & { id: string } {
  const where = `${source}:${lineNo}`;
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch (e) {
    const idGuess = /"id"\s*:\s*"([^"]*)"/.exec(line)?.[1];
    return { ok: false, id: idGuess ?? `line-${lineNo}`, issues: [issue('input.bad-json', where, `not valid JSON: ${(e as Error).message}`)] };
  }
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec))
    return { ok: false, id: `line-${lineNo}`, issues: [issue('input.bad-record', where, 'expected an object {"id"?, "text", "published"?, "title"?, "url"?, "source"?}')] };
  const r = rec as Record<string, unknown>;
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : `line-${lineNo}`;
  if (typeof r.text !== 'string')
    return { ok: false, id, issues: [issue('input.bad-record', `${where} (id ${id})`, `"text" must be a string; got ${r.text === undefined ? 'nothing' : typeof r.text}`)] };
  for (const k of ['published', 'title', 'url', 'source'] as const)
    if (r[k] !== undefined && typeof r[k] !== 'string')
      return { ok: false, id, issues: [issue('input.bad-record', `${where} (id ${id})`, `"${k}" must be a string; got ${typeof r[k]}`)] };
  if (Buffer.byteLength(r.text) > (options.maxBytes ?? DEFAULT_MAX_BYTES))
    return { ok: false, id, issues: [issue('input.too-large', `${where} (id ${id})`, `text is larger than the limit of ${options.maxBytes ?? DEFAULT_MAX_BYTES} bytes`)] };
  const res = documentFromText(r.text, `${where} (id ${id})`, {
    ...options,
    id,
    title: (r.title as string | undefined) ?? options.title,
    published: (r.published as string | undefined) ?? options.published,
    url: r.url as string | undefined,
    source: (r.source as string | undefined) ?? options.source,
  });
  return { ...res, id };
}
