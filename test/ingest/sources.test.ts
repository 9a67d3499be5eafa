import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readSources, wordCount, type SourceItem, type SourceOptions } from '../../src/ingest/sources.js';

async function collect(args: string[], options?: SourceOptions): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readSources(args, options)) out.push(item);
  return out;
}

const LONG_STORY =
  'Militants linked to JNIM attacked a Malian army post near Boulkessi on Thursday morning, the army said in a statement. ' +
  'Residents reached by telephone said the fighting lasted several hours and that the post was partly burnt before reinforcements arrived from Sevare. ' +
  'The army said eleven soldiers were killed and that aircraft struck the attackers as they withdrew towards the border with Burkina Faso. ' +
  'A local official, who asked not to be named, said dozens of families had fled to Douentza since the start of the week.';

const SHORT_TEASER = 'Niger suspended the BBC for three months.';

const rssWith = (items: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel><title>Sahel Monitor</title><link>https://sahel-monitor.example/</link>
  ${items.join('\n  ')}
  </channel>
</rss>`;

const item = (title: string, link: string, content: string, date = 'Fri, 08 Mar 2024 06:15:00 +0000') =>
  `<item><title>${title}</title><link>${link}</link><pubDate>${date}</pubDate><description><![CDATA[${content}]]></description></item>`;

const ARTICLE = (title: string, body: string) => `<!doctype html><html><head><title>${title}</title>
<meta property="article:published_time" content="2024-12-11T10:00:00Z"></head>
<body><nav><a href="/">Home</a></nav><article><h1>${title}</h1><p>${body}</p></article><footer>© Sahel Monitor</footer></body></html>`;

// ---- files and folders ----------------------------------------------------------------------

function makeTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-sources-'));
  writeFileSync(join(root, 'a-report.txt'), 'Rebels of the M23 took control of Goma airport on Monday, the UN said.\n');
  writeFileSync(join(root, 'b-article.html'), ARTICLE('Army post attacked near Boulkessi', LONG_STORY));
  writeFileSync(join(root, 'bad.xml'), 'This is not XML: the army said 11 soldiers died.\n');
  writeFileSync(
    join(root, 'c-batch.jsonl'),
    [
      JSON.stringify({ id: 'goma-1', text: 'M23 rebels entered Goma on 27 January 2025.', published: '2025-01-28', source: 'Reuters' }),
      '',
      '{"id": "broken", "text": "The army said',
      JSON.stringify({ text: 'Houthi forces fired a missile at a tanker in the Red Sea.', url: 'https://example.org/red-sea' }),
      JSON.stringify({ id: 7, text: 'Sudan army retook the presidential palace in Khartoum.', title: 'Khartoum' }),
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(root, 'd-feed.rss'),
    rssWith([
      `<item><title>Army post attacked</title><link>https://sahel-monitor.example/2024/03/08/boulkessi</link><pubDate>Fri, 08 Mar 2024 06:15:00 +0000</pubDate><content:encoded><![CDATA[<p>${LONG_STORY}</p>]]></content:encoded></item>`,
      `<item><title>Plain text item</title><pubDate>Sat, 09 Mar 2024 08:00:00 GMT</pubDate><description>${LONG_STORY}</description></item>`,
    ]),
  );
  writeFileSync(join(root, 'e-image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
  mkdirSync(join(root, 'nested'));
  writeFileSync(join(root, 'nested', 'f-deeper.txt'), 'Israeli strikes hit Rafah overnight, Gaza health officials said.\n');
  writeFileSync(join(root, 'nested', '.hidden-notes.txt'), 'private notes, never ingested\n');
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  symlinkSync('..', join(root, 'nested', 'back')); // a loop back to the root
  return root;
}

test('a folder tree: sorted, recursive, hidden names skipped, symlink loop read once, every failure named', async () => {
  const root = makeTree();
  const items = await collect([root]);
  const p = (s: string) => join(root, s);
  assert.deepEqual(
    items.map((i) => [i.input, i.ok]),
    [
      [p('a-report.txt'), true],
      [p('b-article.html'), true],
      [p('bad.xml'), false],
      [p('c-batch.jsonl') + ':1', true],
      [p('c-batch.jsonl') + ':3', false],
      [p('c-batch.jsonl') + ':4', true],
      [p('c-batch.jsonl') + ':5', true],
      [p('d-feed.rss') + '#item-1', true],
      [p('d-feed.rss') + '#item-2', true],
      [p('e-image.png'), false],
      [p('nested/f-deeper.txt'), true],
    ],
  );
  const byInput = new Map(items.map((i) => [i.input, i]));
  const doc = (input: string) => {
    const it = byInput.get(input);
    assert.ok(it?.ok, `${input}: ${JSON.stringify(it)}`);
    return it.doc;
  };
  const issues = (input: string) => {
    const it = byInput.get(input);
    assert.ok(it && !it.ok);
    return it.issues;
  };

  assert.deepEqual(doc(p('a-report.txt')), {
    id: 'a-report',
    text: 'Rebels of the M23 took control of Goma airport on Monday, the UN said.\n',
    title: undefined,
    published: undefined,
    url: undefined,
    source: p('a-report.txt'),
  });
  const html = doc(p('b-article.html'));
  assert.equal(html.title, 'Army post attacked near Boulkessi');
  assert.equal(html.published, '2024-12-11');
  assert.doesNotMatch(html.text, /Home|©/);

  const [notXml] = issues(p('bad.xml'));
  assert.equal(notXml.code, 'feed.invalid');
  assert.equal(notXml.input, p('bad.xml'));
  assert.match(notXml.message, /not well-formed XML/);

  const goma = doc(p('c-batch.jsonl') + ':1');
  assert.equal(goma.id, 'goma-1');
  assert.equal(goma.source, 'Reuters');
  assert.equal(goma.published, '2025-01-28');
  const [badJson] = issues(p('c-batch.jsonl') + ':3');
  assert.equal(badJson.code, 'input.bad-json');
  assert.equal(badJson.input, p('c-batch.jsonl') + ':3');
  const noId = doc(p('c-batch.jsonl') + ':4');
  assert.equal(noId.id, 'line-4');
  assert.equal(noId.source, p('c-batch.jsonl'));
  assert.equal(noId.url, 'https://example.org/red-sea');
  assert.equal(doc(p('c-batch.jsonl') + ':5').id, '7');

  const feed1 = doc(p('d-feed.rss') + '#item-1');
  assert.equal(feed1.title, 'Army post attacked');
  assert.equal(feed1.published, '2024-03-08');
  assert.equal(feed1.url, 'https://sahel-monitor.example/2024/03/08/boulkessi');
  assert.equal(feed1.source, p('d-feed.rss'));
  assert.match(feed1.text, /^Militants linked to JNIM attacked/);
  assert.doesNotMatch(feed1.text, /<p>/);
  const feed2 = doc(p('d-feed.rss') + '#item-2');
  assert.equal(feed2.text, LONG_STORY);
  assert.equal(feed2.published, '2024-03-09');

  const [binary] = issues(p('e-image.png'));
  assert.equal(binary.code, 'input.binary');
  assert.equal(binary.input, p('e-image.png'));
  assert.ok(items.every((i) => !i.input.includes('hidden') && !i.input.includes('.git')));
});

test('a missing path, a file over the size limit and a non-XML .xml file are failures naming them', async () => {
  const root = makeTree();
  const missing = join(root, 'no-such-report.txt');
  const items = await collect([missing, join(root, 'b-article.html'), join(root, 'bad.xml')], { maxBytes: 200 });
  assert.equal(items.length, 3);
  assert.ok(items.every((i) => !i.ok));
  const [a, b, c] = items;
  assert.deepEqual(!a.ok && a.issues.map((i) => [i.code, i.input, i.message]), [['input.unreadable', missing, 'no such file or folder']]);
  assert.deepEqual(!b.ok && b.issues.map((i) => [i.code, i.input]), [['input.too-large', join(root, 'b-article.html')]]);
  assert.match(!b.ok ? b.issues[0].message : '', /more than the limit of 200 bytes/);
  assert.deepEqual(!c.ok && c.issues.map((i) => [i.code, i.input]), [['feed.invalid', join(root, 'bad.xml')]]);
});

test('a feed file with feedFetch "never" uses content only; an item without any content fails by name', async () => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-sources-'));
  const file = join(root, 'feed.xml');
  writeFileSync(file, rssWith([item('Niger suspends BBC', 'https://sahel-monitor.example/niger-bbc', SHORT_TEASER), '<item><title>Empty</title><link>https://sahel-monitor.example/empty</link></item>']));
  const items = await collect([file], { feedFetch: 'never' });
  assert.equal(items.length, 2);
  assert.ok(items[0].ok);
  if (items[0].ok) assert.equal(items[0].doc.text, SHORT_TEASER);
  assert.equal(items[1].ok, false);
  if (!items[1].ok) {
    assert.equal(items[1].issues[0].input, `${file}#item-2`);
    assert.match(items[1].issues[0].message, /feed item "Empty" has no content and feedFetch is 'never'/);
  }
});

// ---- standard input -------------------------------------------------------------------------

test('stdin as JSONL (split across chunks, with a blank line) gives one document a line', async () => {
  const lines = [
    JSON.stringify({ id: 'kharkiv-1', text: 'Russian forces shelled Kharkiv on Tuesday.', published: '2024-05-14' }),
    '',
    JSON.stringify({ text: 'Ukraine said it shot down 30 drones overnight.' }),
    'not json at all',
    JSON.stringify({ id: 'kharkiv-2', text: 'Kharkiv was hit again.', source: 5 }),
  ].join('\n');
  // strings, not Buffers, and cut in the middle of lines
  const stdin = Readable.from([lines.slice(0, 20), lines.slice(20, 70), lines.slice(70)]);
  const items = await collect(['-'], { stdin });
  assert.deepEqual(
    items.map((i) => [i.input, i.ok, i.ok ? i.doc.id : i.issues[0].code]),
    [
      ['-:1', true, 'kharkiv-1'],
      ['-:3', true, 'line-3'],
      ['-:4', false, 'input.bad-json'],
      ['-:5', false, 'input.bad-record'],
    ],
  );
  assert.ok(!items[3].ok && /^-:5 \(id kharkiv-2\)$/.test(items[3].issues[0].input) && /"source" must be a string; got number/.test(items[3].issues[0].message));
  assert.ok(items[0].ok && items[0].doc.source === 'stdin' && items[0].doc.published === '2024-05-14');
});

test('stdin as text, as HTML and as a feed', async () => {
  const text = 'Colombia and the ELN agreed a ceasefire in Havana on Friday.\n';
  const [t] = await collect(['-'], { stdin: Readable.from([Buffer.from(text)]), published: '2023-06-09' });
  assert.ok(t.ok);
  if (t.ok) assert.deepEqual(t.doc, { id: 'stdin', text, title: undefined, published: '2023-06-09', url: undefined, source: 'stdin' });
  // a first line that starts like JSON but is not an object is text
  const braces = '{Editor\'s note} Fighting resumed in El Fasher.\n';
  const [b] = await collect(['-'], { stdin: Readable.from([braces]) });
  assert.ok(b.ok && b.doc.text === braces);
  const [h] = await collect(['-'], { stdin: Readable.from([ARTICLE('Ceasefire agreed', LONG_STORY)]) });
  assert.ok(h.ok && h.doc.title === 'Ceasefire agreed');
  const feed = await collect(['-'], { stdin: Readable.from([rssWith([item('Long story', 'https://x.example/1', LONG_STORY)])]) });
  assert.deepEqual(feed.map((i) => [i.input, i.ok]), [['-#item-1', true]]);
  const [empty] = await collect(['-'], { stdin: Readable.from([]) });
  assert.ok(!empty.ok && empty.issues[0].code === 'input.empty' && empty.issues[0].input === '-');
  const [big] = await collect(['-'], { stdin: Readable.from([Buffer.from(text.repeat(10))]), maxBytes: 100 });
  assert.ok(!big.ok && big.issues[0].code === 'input.too-large');
});

// ---- URLs and feeds over HTTP ---------------------------------------------------------------

type Site = { origin: string; hits: string[]; close(): Promise<void> };

/** A local news site: a feed, article pages (one of them missing) and a redirect. */
async function newsSite(): Promise<Site> {
  const hits: string[] = [];
  let origin = '';
  const pages: Record<string, string> = {
    '/news/boulkessi': ARTICLE('Army post attacked near Boulkessi', 'FULL PAGE: ' + LONG_STORY),
    '/news/niger-bbc': ARTICLE('Niger suspends BBC', 'FULL PAGE: Niger’s military government said on Thursday it had suspended BBC broadcasts for three months, accusing the broadcaster of spreading false information.'),
  };
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/feed.xml' || req.url === '/feed-with-404.xml') {
      const items = [
        item('Army post attacked near Boulkessi', `${origin}/news/boulkessi`, `<p>${LONG_STORY}</p>`),
        item('Niger suspends BBC', '/news/niger-bbc', SHORT_TEASER, 'Thu, 12 Dec 2024 18:40:12 GMT'), // a relative link
      ];
      if (req.url === '/feed-with-404.xml') items.splice(1, 0, item('Removed story', `${origin}/news/removed`, SHORT_TEASER));
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
      res.end(rssWith(items));
    } else if (req.url === '/latest') {
      res.writeHead(302, { Location: '/news/niger-bbc' });
      res.end();
    } else if (req.url && pages[req.url]) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(pages[req.url]);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body><p>Not found</p></body></html>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const local: SourceOptions = { fetch: { allowPrivate: true, timeoutMs: 5000 } };

test('a feed URL with feedFetch "always": every item is the page it links to', async () => {
  const site = await newsSite();
  try {
    const feedUrl = `${site.origin}/feed.xml`;
    const items = await collect([feedUrl], { ...local, feedFetch: 'always' });
    assert.deepEqual(items.map((i) => [i.input, i.ok]), [[`${feedUrl}#item-1`, true], [`${feedUrl}#item-2`, true]]);
    for (const i of items) if (i.ok) assert.match(i.doc.text, /FULL PAGE: /);
    const [a, b] = items.map((i) => (i.ok ? i.doc : undefined));
    assert.equal(a?.url, `${site.origin}/news/boulkessi`);
    assert.equal(a?.source, feedUrl);
    assert.equal(a?.published, '2024-03-08'); // the item's date, not the page's
    assert.equal(b?.url, `${site.origin}/news/niger-bbc`); // resolved against the feed URL
    assert.equal(b?.title, 'Niger suspends BBC');
    assert.equal(b?.published, '2024-12-12');
    assert.deepEqual(site.hits, ['/feed.xml', '/news/boulkessi', '/news/niger-bbc']);
  } finally {
    await site.close();
  }
});

test('a feed URL with feedFetch "auto": a full item is read from the feed, a teaser from its page', async () => {
  const site = await newsSite();
  try {
    const feedUrl = `${site.origin}/feed.xml`;
    const items = await collect([feedUrl], local);
    assert.equal(items.length, 2);
    const [a, b] = items;
    assert.ok(a.ok && b.ok);
    if (!a.ok || !b.ok) return;
    assert.match(a.doc.text, /^Militants linked to JNIM/);
    assert.doesNotMatch(a.doc.text, /FULL PAGE/);
    assert.match(b.doc.text, /FULL PAGE: Niger’s military government/);
    assert.deepEqual(site.hits, ['/feed.xml', '/news/niger-bbc']);
    assert.ok(wordCount(`<p>${LONG_STORY}</p>`) >= 80 && wordCount(SHORT_TEASER) < 80);
  } finally {
    await site.close();
  }
});

test('a feed item whose link 404s fails by feed, item and link; the other items arrive', async () => {
  const site = await newsSite();
  try {
    const feedUrl = `${site.origin}/feed-with-404.xml`;
    const items = await collect([feedUrl], local);
    assert.deepEqual(items.map((i) => [i.input, i.ok]), [[`${feedUrl}#item-1`, true], [`${feedUrl}#item-2`, false], [`${feedUrl}#item-3`, true]]);
    const failed = items[1];
    if (failed.ok) return;
    assert.equal(failed.issues.length, 1);
    assert.equal(failed.issues[0].code, 'fetch.status');
    assert.equal(failed.issues[0].input, `${feedUrl}#item-2`);
    assert.match(failed.issues[0].message, new RegExp(`^link ${site.origin}/news/removed: HTTP 404`));
  } finally {
    await site.close();
  }
});

test('an article URL is one document with the final URL after redirects and the host as source', async () => {
  const site = await newsSite();
  try {
    const url = `${site.origin}/latest`;
    const [doc] = await collect([url], local);
    assert.ok(doc.ok, JSON.stringify(doc));
    if (!doc.ok) return;
    assert.equal(doc.input, url);
    assert.equal(doc.doc.url, `${site.origin}/news/niger-bbc`);
    assert.equal(doc.doc.source, new URL(site.origin).host);
    assert.equal(doc.doc.title, 'Niger suspends BBC');
    assert.equal(doc.doc.published, '2024-12-11');
  } finally {
    await site.close();
  }
});

test('URLs that cannot be fetched are failures naming them: loopback by default, 404, other schemes', async () => {
  const site = await newsSite();
  try {
    const refused = `${site.origin}/feed.xml`;
    const missing = `${site.origin}/nowhere`;
    const items = await collect([refused, missing, 'ftp://ftp.example.org/feed.xml'], { fetch: { timeoutMs: 5000 } });
    assert.deepEqual(
      items.map((i) => [i.input, i.ok, !i.ok && i.issues[0].code, !i.ok && i.issues[0].input]),
      [
        [refused, false, 'fetch.refused-address', refused],
        [missing, false, 'fetch.refused-address', missing],
        ['ftp://ftp.example.org/feed.xml', false, 'fetch.bad-url', 'ftp://ftp.example.org/feed.xml'],
      ],
    );
    const [notFound] = await collect([missing], local);
    assert.ok(!notFound.ok && notFound.issues[0].code === 'fetch.status' && /HTTP 404/.test(notFound.issues[0].message));
    assert.deepEqual(site.hits, ['/nowhere']);
  } finally {
    await site.close();
  }
});
