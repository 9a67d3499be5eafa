// Fetching a URL safely enough to point at the internet from a machine that also sees a private
// network. The danger is server-side request forgery: a URL (or a redirect, or a DNS answer that
// changes between check and use) that makes us read a loopback admin page or a cloud metadata
// service. So every hop resolves its host once, refuses if any address is not public, and
// connects only to those checked addresses (a pinned `lookup` on the request, so DNS cannot
// rebind in between); redirects are followed by hand and each target checked again. Bodies are
// capped while streaming, the whole fetch has one deadline, and only content types we can read
// are accepted. Every failure is an Issue naming the URL; nothing here throws for bad input.
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { Socket } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { issue, type IssueCode, type Result } from '../model/issues.js';

export type Address = { address: string; family: 4 | 6 };

export type FetchPolicy = {
  /** Allow loopback, private and other non-public addresses (local testing, an intranet). */
  allowPrivate?: boolean;
  /** Largest body accepted, after decompression; default 10 MiB. */
  maxBytes?: number;
  /** One deadline for the whole fetch: DNS, connect, headers, body, every redirect; default 20 s. */
  timeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Which content types are read; default 'document'. */
  accept?: 'document' | 'feed' | 'any';
  /** Resolves a host name to its addresses; default node:dns lookup of all addresses. For tests. */
  lookup?: (host: string) => Promise<Address[]>;
  /** Test only: addresses treated as public, so a loopback server can stand in for the internet. */
  trustedAddresses?: string[];
};

export type Fetched = { url: string; finalUrl: string; status: number; contentType: string; body: Buffer; redirects: string[] };

export const USER_AGENT = 'Faultline/0.1 (+https://github.com/faultline-osint/faultline; document ingest)';
export const DEFAULT_FETCH_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_REDIRECTS = 5;

export const DOCUMENT_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain'] as const;
export const FEED_TYPES = [
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/x-rss+xml',
  'application/x-atom+xml',
  'application/xml',
  'text/xml',
] as const;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// ---- addresses ----------------------------------------------------------------------------

/** Named addresses of cloud metadata services (AWS, GCP, Azure share the first; Alibaba; AWS IPv6). */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '100.100.100.200', 'fd00:ec2::254']);

const IPV4_REASONS: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

const IPV6_REASONS: Record<string, string> = {
  loopback: 'loopback',
  uniqueLocal: 'unique local',
  linkLocal: 'link-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
};

function ipv4Reason(ip: ipaddr.IPv4): string | undefined {
  if (METADATA_ADDRESSES.has(ip.toString())) return 'cloud metadata';
  const range = ip.range();
  if (range === 'unicast') return undefined;
  return IPV4_REASONS[range] ?? 'reserved';
}

/** The IPv4 address carried inside NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses. */
function embeddedIpv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = ip.parts;
  if (ip.range() === 'rfc6052' && p[0] === 0x64 && p[1] === 0xff9b && p[2] === 0)
    return new ipaddr.IPv4([p[6] >> 8, p[6] & 0xff, p[7] >> 8, p[7] & 0xff]);
  if (ip.range() === '6to4') return new ipaddr.IPv4([p[1] >> 8, p[1] & 0xff, p[2] >> 8, p[2] & 0xff]);
  return undefined;
}

function ipv6Reason(ip: ipaddr.IPv6): string | undefined {
  if (ip.isIPv4MappedAddress()) return ipv4Reason(ip.toIPv4Address());
  if (METADATA_ADDRESSES.has(ip.toString())) return 'cloud metadata';
  const named = IPV6_REASONS[ip.range()];
  if (named) return named;
  const inner = embeddedIpv4(ip);
  if (inner) return ipv4Reason(inner);
  // Only global unicast (2000::/3) reaches the internet; outside it, the deprecated site-local
  // block is private in all but name. Inside it, ipaddr.js names the documentation, Teredo,
  // benchmarking and other special blocks, which we refuse as reserved.
  if (ip.parts[0] >> 13 !== 0b001) return ip.parts[0] >> 6 === 0xfec0 >> 6 ? 'site-local' : 'reserved';
  return ip.range() === 'unicast' ? undefined : 'reserved';
}

/** Why an address must not be fetched from, or undefined if it is public. Not an IP: refused. */
export function forbiddenAddressReason(ip: string): string | undefined {
  const bare = ip.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return 'not an IP address';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(bare);
  } catch {
    return 'not an IP address';
  }
  // ipaddr.js also reads "127.1" and "0x7f.0.0.1" as IPv4; checking them as such fails closed
  return parsed.kind() === 'ipv4' ? ipv4Reason(parsed as ipaddr.IPv4) : ipv6Reason(parsed as ipaddr.IPv6);
}

function normalIp(ip: string): string | undefined {
  try {
    return ipaddr.process(ip.replace(/^\[|\]$/g, '')).toString();
  } catch {
    return undefined;
  }
}

/** The refusal reason under a policy: allowPrivate and trustedAddresses lift it. */
function refusalUnder(ip: string, policy: FetchPolicy): string | undefined {
  if (policy.allowPrivate) return normalIp(ip) ? undefined : 'not an IP address';
  const n = normalIp(ip);
  if (n && policy.trustedAddresses?.some((t) => normalIp(t) === n)) return undefined;
  return forbiddenAddressReason(ip);
}

// ---- one fetch ----------------------------------------------------------------------------

type Settings = Required<Omit<FetchPolicy, 'lookup' | 'trustedAddresses'>> & Pick<FetchPolicy, 'lookup' | 'trustedAddresses'>;

/** What one fetch carries from hop to hop: the URL asked for (named by every issue) and the deadline. */
type Ctx = { input: string; policy: Settings; deadline: number; firstHref?: string };

type Hop = { kind: 'redirect'; location: string; status: number } | { kind: 'final'; status: number; contentType: string; body: Buffer };

const fail = (code: IssueCode, ctx: Ctx, message: string): { ok: false; issues: ReturnType<typeof issue>[] } => ({
  ok: false,
  issues: [issue(code, ctx.input, message)],
});

/** " (redirected to URL)" when the hop is not the URL asked for, so messages say which one failed. */
const at = (ctx: Ctx, url: URL) => (url.href === ctx.firstHref ? '' : ` (at ${url.href})`);

function parseHttpUrl(raw: string, ctx: Ctx): Result<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('fetch.bad-url', ctx, `"${raw}" is not a valid URL; expected an absolute http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail('fetch.bad-url', ctx, `"${raw}" uses ${url.protocol.replace(/:$/, '')}:, not http or https; only http(s) URLs are fetched`);
  if (url.username || url.password) return fail('fetch.bad-url', ctx, `"${url.host}" in "${raw}" carries a user name or password; credentials in URLs are not sent`);
  if (!url.hostname) return fail('fetch.bad-url', ctx, `"${raw}" has no host`);
  return { ok: true, value: url };
}

function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, '')) && (hostname.startsWith('[') || /^[\d.]+$/.test(hostname));
}

class Timeout extends Error {}

/** A promise that rejects with Timeout at the deadline, so a hung DNS lookup cannot outlive it. */
function beforeDeadline<T>(p: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** The addresses a hop may connect to: all of the host's addresses, each one public (or allowed). */
async function checkedAddresses(url: URL, ctx: Ctx): Promise<Result<Address[]>> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Address[];
  if (isIpLiteral(url.hostname)) addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  else {
    try {
      const resolve = ctx.policy.lookup ?? (async (h: string) => (await dnsLookup(h, { all: true, verbatim: true })) as Address[]);
      addresses = await beforeDeadline(resolve(host), ctx.deadline);
    } catch (e) {
      if (e instanceof Timeout) return fail('fetch.timeout', ctx, `resolving ${host} took longer than the limit of ${ctx.policy.timeoutMs} ms${at(ctx, url)}`);
      const err = e as NodeJS.ErrnoException;
      return fail('fetch.failed', ctx, `could not resolve host ${host}: ${err.code ?? err.message}${at(ctx, url)}`);
    }
    if (!addresses.length) return fail('fetch.failed', ctx, `host ${host} has no addresses${at(ctx, url)}`);
  }
  for (const a of addresses) {
    const reason = refusalUnder(a.address, ctx.policy);
    if (reason) {
      const via = isIpLiteral(url.hostname) ? '' : ` (${host} resolves to it)`;
      return fail('fetch.refused-address', ctx, `refused to connect to ${a.address}${via}: a ${reason} address, not a public one${at(ctx, url)}; set allowPrivate to fetch from private networks`);
    }
  }
  return { ok: true, value: addresses };
}

/** A `lookup` for http.request that answers only with the checked addresses: no second DNS query. */
function pinnedLookup(addresses: Address[]) {
  return (_host: string, options: { family?: number | string; all?: boolean }, callback: (...args: unknown[]) => void) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family) || 0;
    const usable: LookupAddress[] = addresses.filter((a) => !family || a.family === family);
    if (!usable.length) return callback(Object.assign(new Error(`no checked IPv${family} address`), { code: 'ENOTFOUND' }));
    if (options.all) return callback(null, usable);
    return callback(null, usable[0].address, usable[0].family);
  };
}

function acceptedTypes(accept: Settings['accept']): readonly string[] {
  if (accept === 'document') return DOCUMENT_TYPES;
  return [...DOCUMENT_TYPES, ...FEED_TYPES];
}

function acceptHeader(accept: Settings['accept']): string {
  const docs = 'text/html, application/xhtml+xml, text/plain;q=0.8';
  const feeds = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9';
  return accept === 'document' ? docs : `${feeds}, ${docs}`;
}

/** A response's body as decoded bytes: gzip, deflate and br are undone (servers may ignore our "identity"). */
function decodedBody(res: http.IncomingMessage): Readable | string {
  const enc = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return res;
  if (enc === 'gzip' || enc === 'x-gzip') return res.pipe(createGunzip());
  if (enc === 'deflate') return res.pipe(createInflate());
  if (enc === 'br') return res.pipe(createBrotliDecompress());
  return enc;
}

/** Reads a body up to the cap; past it, stops reading (closing the connection) and reports too-large. */
function readCapped(stream: Readable, res: http.IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        stream.destroy();
        res.destroy();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** The response to a redirect, a refusal, or a final body; called once headers arrive. */
async function readResponse(res: http.IncomingMessage, url: URL, ctx: Ctx): Promise<Result<Hop>> {
  const status = res.statusCode ?? 0;
  if (REDIRECT_STATUSES.has(status)) {
    res.destroy();
    const location = res.headers.location;
    if (!location) return fail('fetch.redirects', ctx, `HTTP ${status} redirect without a Location header${at(ctx, url)}`);
    return { ok: true, value: { kind: 'redirect', location, status } };
  }
  if (status < 200 || status > 299) {
    res.destroy();
    return fail('fetch.status', ctx, `HTTP ${status}${res.statusMessage ? ' ' + res.statusMessage : ''}${at(ctx, url)}; expected a 2xx answer`);
  }
  const contentType = String(res.headers['content-type'] ?? '');
  const media = contentType.split(';')[0].trim().toLowerCase();
  const types = acceptedTypes(ctx.policy.accept);
  if (!types.includes(media)) {
    res.destroy();
    const got = media ? `content type "${media}"` : 'no Content-Type header';
    return fail('fetch.content-type', ctx, `${got}${at(ctx, url)}; expected one of ${types.join(', ')}`);
  }
  const max = ctx.policy.maxBytes;
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    res.destroy();
    return fail('fetch.too-large', ctx, `Content-Length ${declared} bytes is more than the limit of ${max} bytes${at(ctx, url)}`);
  }
  const body = decodedBody(res);
  if (typeof body === 'string') {
    res.destroy();
    return fail('fetch.failed', ctx, `unsupported Content-Encoding "${body}"${at(ctx, url)}; expected gzip, deflate, br or none`);
  }
  const bytes = await readCapped(body, res, max);
  if (bytes === 'too-large') return fail('fetch.too-large', ctx, `the body grew past the limit of ${max} bytes${at(ctx, url)}; stopped reading`);
  if (!res.complete) return fail('fetch.failed', ctx, `the connection closed before the body was complete${at(ctx, url)}`);
  return { ok: true, value: { kind: 'final', status, contentType, body: bytes } };
}

/** One HTTP exchange with the checked addresses, bounded by the fetch's deadline. */
function requestHop(url: URL, addresses: Address[], ctx: Ctx): Promise<Result<Hop>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: Result<Hop>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: url.pathname + url.search,
      method: 'GET',
      agent: false,
      lookup: pinnedLookup(addresses) as unknown as typeof import('node:dns').lookup,
      headers: { 'User-Agent': USER_AGENT, Accept: acceptHeader(ctx.policy.accept), 'Accept-Encoding': 'identity' },
    });
    const timer = setTimeout(() => {
      settle(fail('fetch.timeout', ctx, `no complete answer within the limit of ${ctx.policy.timeoutMs} ms${at(ctx, url)}`));
      req.destroy();
    }, Math.max(0, ctx.deadline - Date.now()));
    // A second guard: whatever path the connection took, its peer must be an allowed address
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const peer = socket.remoteAddress;
        const reason = peer ? refusalUnder(peer, ctx.policy) : 'unknown peer';
        if (reason) {
          settle(fail('fetch.refused-address', ctx, `connected peer ${peer} is a ${reason} address, not a public one${at(ctx, url)}`));
          req.destroy();
        }
      });
    });
    req.on('response', (res) => {
      readResponse(res, url, ctx).then(settle, (e: Error) => settle(fail('fetch.failed', ctx, `reading the body failed: ${e.message}${at(ctx, url)}`)));
    });
    req.on('error', (e: NodeJS.ErrnoException) => settle(fail('fetch.failed', ctx, `${e.code ?? 'error'}: ${e.message}${at(ctx, url)}`)));
    req.end();
  });
}

async function fetchHop(url: URL, ctx: Ctx): Promise<Result<Hop>> {
  const addresses = await checkedAddresses(url, ctx);
  if (!addresses.ok) return addresses;
  if (Date.now() >= ctx.deadline) return fail('fetch.timeout', ctx, `no answer within the limit of ${ctx.policy.timeoutMs} ms${at(ctx, url)}`);
  return requestHop(url, addresses.value, ctx);
}

function settingsOf(policy: FetchPolicy): Settings {
  return {
    allowPrivate: policy.allowPrivate ?? false,
    maxBytes: policy.maxBytes ?? DEFAULT_FETCH_MAX_BYTES,
    timeoutMs: policy.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRedirects: policy.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    accept: policy.accept ?? 'document',
    lookup: policy.lookup,
    trustedAddresses: policy.trustedAddresses,
  };
}

/**
 * GET an http(s) URL under the policy. Redirects are followed by hand, each target checked like
 * the first; the result records them and the final URL. Never throws for network or input trouble.
 */
export async function safeFetch(url: string, policy: FetchPolicy = {}): Promise<Result<Fetched>> {
  const settings = settingsOf(policy);
  const ctx: Ctx = { input: url, policy: settings, deadline: Date.now() + settings.timeoutMs };
  const redirects: string[] = [];
  let current = parseHttpUrl(url, ctx);
  if (current.ok) ctx.firstHref = current.value.href;
  for (;;) {
    if (!current.ok) return current;
    const hop = await fetchHop(current.value, ctx);
    if (!hop.ok) return hop;
    if (hop.value.kind === 'final')
      return { ok: true, value: { url, finalUrl: current.value.href, status: hop.value.status, contentType: hop.value.contentType, body: hop.value.body, redirects } };
    if (redirects.length >= settings.maxRedirects)
      return fail('fetch.redirects', ctx, `more than ${settings.maxRedirects} redirects (last: HTTP ${hop.value.status} to ${hop.value.location} from ${current.value.href})`);
    let next: string;
    try {
      next = new URL(hop.value.location, current.value).href;
    } catch {
      return fail('fetch.redirects', ctx, `HTTP ${hop.value.status} redirect to "${hop.value.location}", which is not a valid URL${at(ctx, current.value)}`);
    }
    redirects.push(next);
    current = parseHttpUrl(next, ctx);
  }
}
