import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feedDate, looksLikeFeed, parseFeed } from '../../src/ingest/feed.js';

export const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Sahel Monitor &amp; Dispatches</title>
    <link>https://sahel-monitor.example/</link>
    <atom:link href="https://sahel-monitor.example/feed.xml" rel="self" type="application/rss+xml"/>
    <description>Reporting on security in the Sahel</description>
    <item>
      <title>Jihadists attack army post near Boulkessi</title>
      <link>https://sahel-monitor.example/2024/03/08/boulkessi-attack</link>
      <guid isPermaLink="false">sahel-monitor-2024-0308-01</guid>
      <pubDate>Fri, 08 Mar 2024 06:15:00 +0000</pubDate>
      <dc:creator>Staff</dc:creator>
      <description>Militants attacked a Malian army post on Thursday.</description>
      <content:encoded><![CDATA[<p>Militants linked to JNIM attacked a Malian army post near Boulkessi on Thursday, the army said.</p>
<p>Residents said the fighting lasted &quot;several hours&quot; &amp; that the post was burnt.</p>]]></content:encoded>
    </item>
    <item>
      <title>Niger junta suspends BBC broadcasts for 3 months</title>
      <link>https://sahel-monitor.example/2024/12/12/niger-bbc</link>
      <pubDate>Thu, 12 Dec 2024 18:40:12 GMT</pubDate>
      <description>&lt;p&gt;Niger&amp;#8217;s military government said on &lt;b&gt;Thursday&lt;/b&gt; it had suspended the BBC.&lt;/p&gt;</description>
    </item>
    <item>
      <title>2024</title>
      <guid>https://sahel-monitor.example/2024/review</guid>
      <pubDate>Mon, 31 Feb 2024 10:00:00 GMT</pubDate>
    </item>
    <item>
      <description>An item with only a description and a date nobody can read.</description>
      <pubDate>sometime last week</pubDate>
    </item>
  </channel>
</rss>`;

export const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Kyiv Wire – Front line</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-02-18T09:00:00Z</updated>
  <entry>
    <title>Ukraine withdraws from Avdiivka</title>
    <link rel="alternate" type="text/html" href="https://kyiv-wire.example/news/avdiivka-withdrawal"/>
    <link rel="enclosure" type="image/jpeg" href="https://kyiv-wire.example/img/avdiivka.jpg"/>
    <id>tag:kyiv-wire.example,2024:avdiivka-withdrawal</id>
    <published>2024-02-17T23:55:00+02:00</published>
    <updated>2024-02-18T08:00:00Z</updated>
    <summary>Ukrainian forces have left Avdiivka, the commander said.</summary>
    <content type="html">&lt;p&gt;Ukraine's army chief Oleksandr Syrskyi said on Saturday that troops had withdrawn from Avdiivka.&lt;/p&gt;&lt;p&gt;The town had been under attack since October.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title type="html">Drone strike on &lt;em&gt;Odesa&lt;/em&gt; port</title>
    <link href="https://kyiv-wire.example/news/odesa-drones"/>
    <id>tag:kyiv-wire.example,2024:odesa-drones</id>
    <updated>2024-03-02T04:10:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Russian drones hit a residential building in <b>Odesa</b> overnight, regional governor Oleh Kiper said.</p><p>Rescuers worked through the night.</p></div></content>
  </entry>
  <entry>
    <title>Summary only</title>
    <id>tag:kyiv-wire.example,2024:summary-only</id>
    <updated>not a date</updated>
    <summary type="text">A short summary.</summary>
  </entry>
</feed>`;

export const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://horn-report.example/rss">
    <title>Horn Report</title>
    <link>https://horn-report.example/</link>
  </channel>
  <item rdf:about="https://horn-report.example/2023/04/15/khartoum">
    <title>Fighting erupts in Khartoum</title>
    <link>https://horn-report.example/2023/04/15/khartoum</link>
    <description>Clashes broke out between the army and the RSF.</description>
    <dc:date>2023-04-15T12:00:00+03:00</dc:date>
  </item>
</rdf:RDF>`;

test('RSS 2.0: items with id, link, title, day, and the fullest content (CDATA kept as HTML)', () => {
  const r = parseFeed(RSS, 'sahel.xml');
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  if (!r.ok) return;
  assert.equal(r.value.title, 'Sahel Monitor & Dispatches');
  assert.equal(r.value.items.length, 4);
  const [a, b, c, d] = r.value.items;
  assert.equal(a.id, 'sahel-monitor-2024-0308-01');
  assert.equal(a.link, 'https://sahel-monitor.example/2024/03/08/boulkessi-attack');
  assert.equal(a.title, 'Jihadists attack army post near Boulkessi');
  assert.equal(a.published, '2024-03-08');
  assert.match(a.content!, /^<p>Militants linked to JNIM attacked/);
  assert.match(a.content!, /&quot;several hours&quot; &amp; that/); // CDATA is not entity-decoded: still HTML
  assert.equal(b.published, '2024-12-12');
  assert.equal(b.content, '<p>Niger&#8217;s military government said on <b>Thursday</b> it had suspended the BBC.</p>');
  assert.equal(b.id, undefined);
  // a title of digits stays a string; a guid that is a URL stands in for the link; Feb 31 is dropped
  assert.equal(c.title, '2024');
  assert.equal(c.link, 'https://sahel-monitor.example/2024/review');
  assert.equal(c.published, undefined);
  assert.equal(c.content, undefined);
  assert.deepEqual(Object.keys(d).sort(), ['content']);
});

test('Atom: alternate link, published before updated, html and xhtml content, summary as fallback', () => {
  const r = parseFeed(ATOM, 'https://kyiv-wire.example/atom.xml');
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  if (!r.ok) return;
  assert.equal(r.value.title, 'Kyiv Wire – Front line');
  const [a, b, c] = r.value.items;
  assert.equal(a.link, 'https://kyiv-wire.example/news/avdiivka-withdrawal');
  assert.equal(a.id, 'tag:kyiv-wire.example,2024:avdiivka-withdrawal');
  assert.equal(a.published, '2024-02-17'); // the day as the publisher wrote it, not shifted to UTC
  assert.match(a.content!, /^<p>Ukraine's army chief Oleksandr Syrskyi said on Saturday/);
  assert.equal(b.title, 'Drone strike on <em>Odesa</em> port');
  assert.equal(b.link, 'https://kyiv-wire.example/news/odesa-drones');
  assert.equal(b.published, '2024-03-02');
  assert.match(b.content!, /<p>Russian drones hit a residential building in <b>Odesa<\/b> overnight/);
  assert.equal(c.content, 'A short summary.');
  assert.equal(c.published, undefined);
  assert.equal(c.link, undefined);
});

test('RSS 1.0 (RDF): items beside the channel', () => {
  const r = parseFeed(RDF, 'horn.rdf');
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.value.title, 'Horn Report');
  assert.deepEqual(r.value.items, [
    {
      id: 'https://horn-report.example/2023/04/15/khartoum',
      link: 'https://horn-report.example/2023/04/15/khartoum',
      title: 'Fighting erupts in Khartoum',
      published: '2023-04-15',
      content: 'Clashes broke out between the army and the RSF.',
    },
  ]);
});

test('an empty channel is a feed with no items', () => {
  const r = parseFeed('<rss version="2.0"><channel><title>Quiet</title></channel></rss>', 'quiet.rss');
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.value, { title: 'Quiet', items: [] });
});

const notFeeds: [string, string, RegExp][] = [
  ['report.xml', 'Militants attacked a post near Boulkessi on Thursday.\n', /not well-formed XML: .*line 1.*expected an RSS or Atom feed/],
  ['page.html', '<!doctype html><html><head><title>News</title></head><body><p>Militants attacked.<br></p></body></html>', /not well-formed XML/],
  ['page.xhtml', '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>News</title></head><body><p>Militants attacked.</p></body></html>', /root element is <html>, not <rss>, <feed> \(Atom\) or <rdf:RDF>/],
  ['sitemap.xml', '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/</loc></url></urlset>', /root element is <urlset>/],
  ['truncated.rss', '<rss version="2.0"><channel><title>Cut off</title><item><title>Half', /not well-formed XML/],
  ['empty.xml', '  \n', /the input is empty/],
  ['records.json', '{"id": "a", "text": "Rebels took Goma."}', /not well-formed XML/],
];
for (const [input, text, message] of notFeeds) {
  test(`parseFeed refuses ${input} with one feed.invalid issue naming it`, () => {
    const r = parseFeed(text, input);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0].code, 'feed.invalid');
    assert.equal(r.issues[0].input, input);
    assert.match(r.issues[0].message, message);
  });
}

test('a DOCTYPE declaring entities (billion laughs) is refused without expanding anything', () => {
  const bomb = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>`;
  const r = parseFeed(bomb, 'lol.rss');
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.issues[0].message, /DOCTYPE declares entities; refused/);
  const external = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><title>&xxe;</title></channel></rss>`;
  const x = parseFeed(external, 'xxe.rss');
  assert.equal(x.ok, false);
  // a plain DOCTYPE without entities is fine
  assert.ok(parseFeed('<?xml version="1.0"?><!DOCTYPE rss><rss version="2.0"><channel><title>T</title></channel></rss>', 'dt.rss').ok);
});

test('looksLikeFeed: the root element decides, after declarations, comments and a DOCTYPE', () => {
  const cases: [string, boolean][] = [
    [RSS, true],
    [ATOM, true],
    [RDF, true],
    ['\uFEFF<?xml version="1.0"?>\n<!-- generated -->\n<?xml-stylesheet href="feed.xsl"?>\n<rss version="2.0"><channel/></rss>', true],
    ['<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"></atom:feed>', true],
    ['<!doctype html><html><body><p>rss feed</p></body></html>', false],
    ['<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head></html>', false],
    ['Plain text mentioning <rss> tags.', false],
    ['{"id":"x","text":"<feed>"}', false],
    ['<feedback>Thanks</feedback>', false],
    ['', false],
  ];
  for (const [text, expected] of cases) assert.equal(looksLikeFeed(text), expected, text.slice(0, 60));
});

test('feedDate: RFC 822 and RFC 3339 to the day as written; anything doubtful dropped', () => {
  const cases: [string, string | undefined][] = [
    ['Fri, 08 Mar 2024 06:15:00 +0000', '2024-03-08'],
    ['Sat, 9 Mar 2024 23:59:59 EST', '2024-03-09'],
    ['08 Mar 2024 06:15 GMT', '2024-03-08'],
    ['Thursday, 12 December 2024 18:40:12 GMT', '2024-12-12'],
    ['2024-02-17T23:55:00+02:00', '2024-02-17'],
    ['2024-02-17T21:55:00Z', '2024-02-17'],
    ['2024-02-29', '2024-02-29'],
    ['2023-02-29', undefined],
    ['Mon, 31 Feb 2024 10:00:00 GMT', undefined],
    ['Fri, 08 Mar 24 06:15:00 GMT', undefined],
    ['8/3/2024', undefined],
    ['2024-13-01T00:00:00Z', undefined],
    ['yesterday', undefined],
    ['', undefined],
  ];
  for (const [raw, expected] of cases) assert.equal(feedDate(raw), expected, raw);
});
