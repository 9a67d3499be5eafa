// HTML to article text with Mozilla's Readability over linkedom's DOM: the body as blocks
// separated by blank lines (headings, paragraphs, list items, figure captions), and the title,
// published date and canonical URL from the page's metadata. Nothing of the page is rendered;
// scripts, styles and navigation never reach the text.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { issue, type Issue, type Result } from '../model/issues.js';

export type HtmlDocument = { text: string; title?: string; published?: string; url?: string };

export function looksLikeHtml(s: string): boolean {
  const head = s.slice(0, 2048).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || /<(?:body|article|p|div|head)[\s>]/.test(head);
}

const BLOCKS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'FIGCAPTION', 'BLOCKQUOTE', 'PRE', 'DT', 'DD', 'TD', 'TH', 'CAPTION']);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'FORM', 'BUTTON', 'NAV', 'ASIDE', 'FOOTER']);

type El = { nodeType: number; nodeName: string; textContent: string | null; childNodes: ArrayLike<El> };

/** Blocks of text in document order; inline text between blocks forms a block of its own. */
function blocksOf(root: El): string[] {
  const out: string[] = [];
  let inline = '';
  const flush = () => {
    const t = inline.replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
    inline = '';
  };
  const walk = (n: El) => {
    if (n.nodeType === 3) {
      inline += n.textContent ?? '';
      return;
    }
    if (n.nodeType !== 1 || SKIP.has(n.nodeName)) return;
    if (n.nodeName === 'BR') {
      inline += ' ';
      return;
    }
    if (BLOCKS.has(n.nodeName)) {
      flush();
      inline = '';
      for (const c of Array.from(n.childNodes)) walk(c);
      flush();
      return;
    }
    const block = /^(?:DIV|SECTION|ARTICLE|FIGURE|HEADER|MAIN|UL|OL|TABLE|TR|DL)$/.test(n.nodeName);
    if (block) flush();
    for (const c of Array.from(n.childNodes)) walk(c);
    if (block) flush();
  };
  walk(root);
  flush();
  return out;
}

const isoDay = (s?: string | null) => {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(String(s ?? '').trim());
  return m ? m[1] : undefined;
};

export function readHtml(html: string, input: string): Result<HtmlDocument> {
  const issues: Issue[] = [];
  if (!/<\/html\s*>/i.test(html) && !/<\/body\s*>/i.test(html))
    issues.push({ ...issue('input.html-truncated', input, 'the HTML ends before </body> or </html>; extracting what is there'), severity: 'warning' });
  const { document } = parseHTML(html);
  const meta = (sel: string) => document.querySelector(sel)?.getAttribute('content')?.trim() || undefined;
  const title = meta('meta[property="og:title"]') ?? meta('meta[name="twitter:title"]') ?? (document.querySelector('title')?.textContent?.trim() || undefined);
  let published =
    isoDay(meta('meta[property="article:published_time"]')) ??
    isoDay(meta('meta[name="date"]')) ??
    isoDay(meta('meta[name="pubdate"]')) ??
    isoDay(meta('meta[itemprop="datePublished"]')) ??
    isoDay(document.querySelector('time[datetime]')?.getAttribute('datetime'));
  if (!published)
    for (const s of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
      const m = /"datePublished"\s*:\s*"([^"]+)"/.exec(s.textContent ?? '');
      if (m) published = isoDay(m[1]);
    }
  const url = document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta('meta[property="og:url"]');
  let blocks: string[] = [];
  try {
    const clone = parseHTML(html).document;
    const article = new Readability(clone as unknown as Document, { charThreshold: 200 }).parse();
    if (article?.content) blocks = blocksOf(parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body as unknown as El);
  } catch {
    // Readability gives up on some broken pages; the fallback below reads the paragraphs
  }
  if (!blocks.length && document.body) blocks = blocksOf(document.body as unknown as El);
  // Readability drops photo captions; they carry facts, so they come back after the heading
  const scope = document.querySelector('article') ?? document.querySelector('main') ?? document.body;
  const captions = scope ? Array.from(scope.querySelectorAll('figcaption')).map((f) => (f.textContent ?? '').replace(/\s+/g, ' ').trim()) : [];
  const missing = captions.filter((c) => c && !blocks.includes(c));
  if (missing.length) blocks.splice(blocks.length ? 1 : 0, 0, ...missing);
  if (!blocks.length) return { ok: false, issues: [...issues, issue('input.html-no-body', input, 'no article text was found in the HTML (no paragraphs)')] };
  const h1 = document.querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim();
  const heading = h1 || title;
  if (heading && blocks[0] !== heading) blocks.unshift(heading);
  return { ok: true, value: { text: blocks.join('\n\n') + '\n', title: heading ?? title, published, url: url ?? undefined }, issues };
}
