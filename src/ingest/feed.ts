// Reading news feeds (RSS 2.0, RSS 1.0/RDF, Atom) into items: id, link, title, date and the
// fullest content the feed carries, so each item can become a document. Feeds are untrusted XML,
// so a DOCTYPE declaring entities is refused outright (no feed needs one; they are how
// "billion laughs" attacks work) and fast-xml-parser decodes only the standard XML entities and
// character references. Dates are kept only when they parse exactly; a bad one is dropped.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { issue, type Result } from '../model/issues.js';

export type FeedItem = {
  id?: string;
  link?: string;
  title?: string;
  /** YYYY-MM-DD, the day as the feed states it (in the publisher's own time zone). */
  published?: string;
  /** HTML or text of the item, the fullest available: content:encoded, Atom content, description, summary. */
  content?: string;
};

export type Feed = { title?: string; items: FeedItem[] };

/** XML declaration, comments, processing instructions and a DOCTYPE (with internal subset) before the root. */
const PROLOG = /^\uFEFF?\s*(?:(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)\s*)*/i;

function rootElementName(text: string): string | undefined {
  const head = text.slice(0, 65536);
  const prolog = PROLOG.exec(head)?.[0] ?? '';
  return /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[\s/>]/.exec(head.slice(prolog.length))?.[1];
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** The root element is <rss>, <feed> or <rdf:RDF>: enough to route an input to parseFeed. */
export function looksLikeFeed(text: string): boolean {
  const root = rootElementName(text);
  return root !== undefined && ['rss', 'feed', 'RDF'].includes(localName(root));
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  // Standard entities and character references only; DOCTYPE entities are refused before parsing,
  // and these limits are a second fence should one get through.
  processEntities: { enabled: true, maxEntityCount: 1, maxEntitySize: 1 },
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
  // Atom's type="xhtml" content is inline markup; kept as raw HTML rather than split into objects
  stopNodes: ['..content[type=xhtml]', '..summary[type=xhtml]', '..title[type=xhtml]'],
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text of an element, whether parsed as a string, as {#text, @_attr} or as a list of those. */
function textOf(v: unknown): string | undefined {
  if (Array.isArray(v)) {
    for (const x of v) {
      const t = textOf(x);
      if (t) return t;
    }
    return undefined;
  }
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (isNode(v)) return textOf(v['#text']);
  return undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isoDay(y: number, m: number, d: number): string | undefined {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2200 || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * RFC 3339 ("2024-03-08T06:15:00+02:00") or RFC 822 ("Fri, 08 Mar 2024 06:15:00 GMT") to
 * YYYY-MM-DD as written, without shifting time zones; anything else (two-digit years, a 31st of
 * April, free text) gives undefined.
 */
export function feedDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|[Tt ]\d{2}:\d{2})/.exec(s);
  if (iso) return isoDay(+iso[1], +iso[2], +iso[3]);
  const rfc = /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})(?:\s|$)/.exec(s);
  if (!rfc) return undefined;
  const month = MONTHS.indexOf(rfc[2].toLowerCase()) + 1;
  return month ? isoDay(+rfc[3], month, +rfc[1]) : undefined;
}

/** The longest of the candidate contents: feeds put a teaser in one field and the story in another. */
function fullest(...candidates: unknown[]): string | undefined {
  let best: string | undefined;
  for (const c of candidates) {
    const t = textOf(c);
    if (t && (!best || t.length > best.length)) best = t;
  }
  return best;
}

function rssItem(n: Node): FeedItem {
  const guid = textOf(n.guid);
  const links = ((n.link as unknown[]) ?? []).map(textOf).filter(Boolean) as string[];
  const permalink = isNode(n.guid) && n.guid['@_isPermaLink'] !== 'false' && guid && /^https?:\/\//.test(guid) ? guid : undefined;
  return {
    id: guid ?? (typeof n['@_about'] === 'string' ? n['@_about'] : undefined),
    link: links[0] ?? permalink ?? (typeof n.guid === 'string' && /^https?:\/\//.test(n.guid) ? n.guid : undefined),
    title: textOf(n.title),
    published: feedDate(textOf(n.pubDate)) ?? feedDate(textOf(n.date)),
    content: fullest(n.encoded, n.description),
  };
}

/** Atom's link to the entry itself: rel="alternate" or no rel, else the first with an href. */
function atomLink(links: unknown): string | undefined {
  const list = ((links as unknown[]) ?? []).filter(isNode);
  const alt = list.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate' && typeof l['@_href'] === 'string') ?? list.find((l) => typeof l['@_href'] === 'string');
  return alt?.['@_href'] as string | undefined;
}

function atomItem(n: Node): FeedItem {
  return {
    id: textOf(n.id),
    link: atomLink(n.link),
    title: textOf(n.title),
    published: feedDate(textOf(n.published)) ?? feedDate(textOf(n.updated)),
    content: fullest(n.content, n.summary),
  };
}

const compact = (item: FeedItem): FeedItem => Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as FeedItem;

function invalid(input: string, reason: string): { ok: false; issues: ReturnType<typeof issue>[] } {
  return { ok: false, issues: [issue('feed.invalid', input, reason)] };
}

function checkedXml(xml: string, input: string): Result<Node> {
  const text = xml.replace(/^\uFEFF/, '');
  if (!text.trim()) return invalid(input, 'the input is empty; expected an RSS or Atom feed');
  const prolog = PROLOG.exec(text)?.[0] ?? '';
  if (/<!ENTITY/i.test(prolog))
    return invalid(input, 'the DOCTYPE declares entities; refused, since feeds do not need them and entity expansion can exhaust memory');
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return invalid(input, `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col}); expected an RSS or Atom feed`);
  try {
    return { ok: true, value: parser.parse(text) as Node };
  } catch (e) {
    return invalid(input, `the XML could not be read: ${(e as Error).message}`);
  }
}

/** An RSS 2.0, RSS 1.0 (RDF) or Atom feed to its title and items; anything else is one feed.invalid issue. */
export function parseFeed(xml: string, input: string): Result<Feed> {
  const root = rootElementName(xml.replace(/^\uFEFF/, ''));
  const doc = checkedXml(xml, input);
  if (!doc.ok) return doc;
  const name = root ? localName(root) : undefined;
  if (name === 'rss' && isNode(doc.value.rss)) {
    const channel = isNode(doc.value.rss.channel) ? doc.value.rss.channel : {};
    const items = ((channel.item as unknown[]) ?? []).filter(isNode).map((n) => compact(rssItem(n)));
    return { ok: true, value: { title: textOf(channel.title), items } };
  }
  if (name === 'RDF' && isNode(doc.value.RDF)) {
    const rdf = doc.value.RDF;
    const channel = isNode(rdf.channel) ? rdf.channel : {};
    const items = ((rdf.item as unknown[]) ?? []).filter(isNode).map((n) => compact(rssItem(n)));
    return { ok: true, value: { title: textOf(channel.title), items } };
  }
  if (name === 'feed' && isNode(doc.value.feed)) {
    const feed = doc.value.feed;
    const items = ((feed.entry as unknown[]) ?? []).filter(isNode).map((n) => compact(atomItem(n)));
    return { ok: true, value: { title: textOf(feed.title), items } };
  }
  return invalid(input, `the root element is <${root ?? '?'}>, not <rss>, <feed> (Atom) or <rdf:RDF>; expected an RSS or Atom feed`);
}
