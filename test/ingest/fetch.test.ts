import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { forbiddenAddressReason, safeFetch, USER_AGENT, type Address, type FetchPolicy } from '../../src/ingest/fetch.js';
import type { Result } from '../../src/model/issues.js';

type Server = { origin: string; port: number; hits: http.IncomingMessage[]; close(): Promise<void> };

/** A local server on a loopback address that records every request it gets. */
async function serve(handler: http.RequestListener, host = '127.0.0.1'): Promise<Server> {
  const hits: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://${host}:${port}`,
    port,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ARTICLE = `<!doctype html><html><head><title>Shelling in Kharkiv</title></head><body><article><h1>Shelling in Kharkiv</h1>
<p>Russian forces shelled the centre of Kharkiv on Tuesday, regional governor Oleh Syniehubov said.</p></article></body></html>`;

const page = (body = ARTICLE, type = 'text/html; charset=utf-8'): http.RequestListener => (_req, res) => {
  res.writeHead(200, { 'Content-Type': type });
  res.end(body);
};

const fixedLookup = (...addresses: string[]): FetchPolicy['lookup'] => async () =>
  addresses.map((address): Address => ({ address, family: address.includes(':') ? 6 : 4 }));

function expectIssue<T>(r: Result<T>, code: string, input: string, message: RegExp) {
  assert.equal(r.ok, false, `expected ${code}, got a result`);
  if (r.ok) return;
  assert.equal(r.issues.length, 1);
  assert.equal(r.issues[0].code, code, r.issues[0].message);
  assert.equal(r.issues[0].input, input);
  assert.match(r.issues[0].message, message);
}

// ---- forbiddenAddressReason --------------------------------------------------------------

const addresses: [string, string | undefined][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['10.20.30.40', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['169.254.169.254', 'cloud metadata'],
  ['100.100.100.200', 'cloud metadata'],
  ['fd00:ec2::254', 'cloud metadata'],
  ['169.254.10.1', 'link-local'],
  ['0.0.0.0', 'unspecified'],
  ['224.0.0.251', 'multicast'],
  ['192.0.2.15', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fc00::7', 'unique local'],
  ['fd12:3456::1', 'unique local'],
  ['fe80::1', 'link-local'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'cloud metadata'],
  ['64:ff9b::a00:1', 'private'], // NAT64 of 10.0.0.1
  ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
  ['[::1]', 'loopback'],
  ['localhost', 'not an IP address'],
  ['example.org', 'not an IP address'],
  // hard negatives: public addresses, including ones next to private blocks
  ['8.8.8.8', undefined],
  ['172.32.0.1', undefined],
  ['100.128.0.1', undefined],
  ['193.0.6.139', undefined],
  ['2a00:1450:4001:80b::200e', undefined],
  ['::ffff:8.8.8.8', undefined],
  ['64:ff9b::808:808', undefined],
];
test('forbiddenAddressReason names each kind of non-public address and passes public ones', () => {
  for (const [ip, reason] of addresses) assert.equal(forbiddenAddressReason(ip), reason, ip);
});

// ---- refusals before connecting -----------------------------------------------------------

test('a loopback URL is refused by default, and the server never hears of it', async () => {
  const s = await serve(page());
  try {
    const url = `${s.origin}/admin`;
    expectIssue(await safeFetch(url), 'fetch.refused-address', url, /refused to connect to 127\.0\.0\.1: a loopback address.*allowPrivate/);
    const alt = `http://2130706433:${s.port}/`; // 127.0.0.1 written as one number
    expectIssue(await safeFetch(alt), 'fetch.refused-address', alt, /127\.0\.0\.1: a loopback address/);
    const mapped = `http://[::ffff:127.0.0.1]:${s.port}/`;
    expectIssue(await safeFetch(mapped), 'fetch.refused-address', mapped, /loopback/);
    const localhost = `http://localhost:${s.port}/`;
    expectIssue(await safeFetch(localhost), 'fetch.refused-address', localhost, /\(localhost resolves to it\)/);
    assert.equal(s.hits.length, 0);
  } finally {
    await s.close();
  }
});

test('a host name resolving to a private, metadata or local address is refused before any connection', async () => {
  const s = await serve(page());
  const cases: [string, RegExp][] = [
    ['10.12.0.5', /private/],
    ['192.168.0.20', /private/],
    ['172.16.4.4', /private/],
    ['100.64.3.2', /carrier-grade NAT/],
    ['169.254.169.254', /cloud metadata/],
    ['::1', /loopback/],
    ['fc00::1', /unique local/],
  ];
  try {
    for (const [address, reason] of cases) {
      const url = `http://news.example:${s.port}/world/2024/03/08/strike.html`;
      const r = await safeFetch(url, { lookup: fixedLookup(address), trustedAddresses: ['127.0.0.1'] });
      expectIssue(r, 'fetch.refused-address', url, new RegExp(`${address.replace(/\./g, '\\.')} \\(news\\.example resolves to it\\): a ${reason.source}`));
    }
    // one bad address among good ones is enough to refuse: we cannot choose which one is used
    const url = `http://mixed.example:${s.port}/`;
    expectIssue(await safeFetch(url, { lookup: fixedLookup('127.0.0.1', '10.0.0.1'), trustedAddresses: ['127.0.0.1'] }), 'fetch.refused-address', url, /10\.0\.0\.1/);
    assert.equal(s.hits.length, 0);
  } finally {
    await s.close();
  }
});

test('the connection goes to the address that was checked: one lookup per hop, no second DNS answer', async () => {
  const s = await serve(page(), '127.0.0.2');
  let calls = 0;
  // a rebinding resolver: public (trusted) first, private afterwards
  const lookup = async (): Promise<Address[]> => [{ address: calls++ === 0 ? '127.0.0.2' : '10.0.0.1', family: 4 }];
  try {
    const r = await safeFetch(`http://rebind.example:${s.port}/`, { lookup, trustedAddresses: ['127.0.0.2'] });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    assert.equal(calls, 1);
    assert.equal(s.hits.length, 1);
  } finally {
    await s.close();
  }
});

test('a redirect from a "public" server to loopback is refused after the redirect', async () => {
  const inner = await serve(page());
  const outer = await serve((_req, res) => {
    res.writeHead(302, { Location: `http://127.0.0.1:${inner.port}/latest/metadata` });
    res.end();
  }, '127.0.0.2');
  try {
    const url = `${outer.origin}/story`;
    const r = await safeFetch(url, { trustedAddresses: ['127.0.0.2'] });
    expectIssue(r, 'fetch.refused-address', url, new RegExp(`127\\.0\\.0\\.1: a loopback address.*at http://127\\.0\\.0\\.1:${inner.port}/latest/metadata`));
    assert.equal(outer.hits.length, 1);
    assert.equal(inner.hits.length, 0);
  } finally {
    await inner.close();
    await outer.close();
  }
});

test('URLs that are not absolute http(s), or carry credentials, are refused with the URL named', async () => {
  for (const [url, message] of [
    ['not a url', /"not a url" is not a valid URL/],
    ['file:///etc/passwd', /uses file:, not http or https/],
    ['ftp://ftp.example.org/report.txt', /uses ftp:/],
    ['gopher://example.org/', /uses gopher:/],
    ['http://editor:secret@news.example/', /credentials/],
  ] as const)
    expectIssue(await safeFetch(url), 'fetch.bad-url', url, message);
});

test('a redirect to a non-http scheme is refused', async () => {
  const s = await serve((_req, res) => {
    res.writeHead(301, { Location: 'file:///etc/passwd' });
    res.end();
  });
  try {
    const url = `${s.origin}/`;
    expectIssue(await safeFetch(url, { allowPrivate: true }), 'fetch.bad-url', url, /"file:\/\/\/etc\/passwd" uses file:/);
  } finally {
    await s.close();
  }
});

// ---- redirects ----------------------------------------------------------------------------

/** /r/N redirects to /r/N+1 until N reaches `last`, which answers with a page. */
const chain = (last: number): http.RequestListener => (req, res) => {
  const n = Number(/\/r\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
  if (n >= last) return page()(req, res);
  res.writeHead(n % 2 ? 307 : 301, { Location: `/r/${n + 1}` });
  res.end();
};

test('five redirects are followed; a sixth is refused', async () => {
  const five = await serve(chain(5));
  const six = await serve(chain(6));
  try {
    const ok = await safeFetch(`${five.origin}/r/0`, { allowPrivate: true });
    assert.ok(ok.ok);
    if (ok.ok) assert.equal(ok.value.redirects.length, 5);
    const url = `${six.origin}/r/0`;
    expectIssue(await safeFetch(url, { allowPrivate: true }), 'fetch.redirects', url, /more than 5 redirects \(last: HTTP 307 to \/r\/6 from .*\/r\/5\)/);
    assert.equal(six.hits.length, 6);
    const loop = await serve((_req, res) => {
      res.writeHead(302, { Location: '/' });
      res.end();
    });
    const loopUrl = `${loop.origin}/`;
    expectIssue(await safeFetch(loopUrl, { allowPrivate: true, maxRedirects: 2 }), 'fetch.redirects', loopUrl, /more than 2 redirects/);
    await loop.close();
  } finally {
    await five.close();
    await six.close();
  }
});

test('with allowPrivate a page is fetched after a redirect, the final URL and the redirects recorded', async () => {
  const s = await serve((req, res) => {
    if (req.url === '/2024/03/kharkiv') {
      res.writeHead(301, { Location: '/news/2024/03/08/kharkiv-shelling.html' });
      res.end('moved');
    } else page()(req, res);
  });
  try {
    const url = `${s.origin}/2024/03/kharkiv`;
    const r = await safeFetch(url, { allowPrivate: true });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    if (!r.ok) return;
    assert.equal(r.value.url, url);
    assert.equal(r.value.finalUrl, `${s.origin}/news/2024/03/08/kharkiv-shelling.html`);
    assert.deepEqual(r.value.redirects, [r.value.finalUrl]);
    assert.equal(r.value.status, 200);
    assert.equal(r.value.contentType, 'text/html; charset=utf-8');
    assert.match(r.value.body.toString('utf8'), /regional governor Oleh Syniehubov/);
  } finally {
    await s.close();
  }
});

test('requests carry the honest User-Agent and ask for the accepted types', async () => {
  const s = await serve(page());
  try {
    const r = await safeFetch(`${s.origin}/`, { allowPrivate: true, accept: 'feed' });
    assert.ok(r.ok);
    assert.equal(s.hits[0].headers['user-agent'], USER_AGENT);
    assert.equal(USER_AGENT, 'Faultline/0.1 (+https://github.com/faultline-osint/faultline; document ingest)');
    assert.match(String(s.hits[0].headers.accept), /application\/rss\+xml/);
  } finally {
    await s.close();
  }
});

// ---- bodies, types, statuses, time --------------------------------------------------------

test('a body over the cap is refused, whether Content-Length says so or not', async () => {
  const big = 'Reports of shelling near Avdiivka. '.repeat(200); // 7,000 bytes
  const s = await serve((req, res) => {
    if (req.url === '/declared') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(big) });
      res.end(big);
    } else if (req.url === '/gzip') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(Buffer.alloc(1_000_000, 'a'))); // about 1 KB on the wire
    } else {
      res.writeHead(200, { 'Content-Type': 'text/plain' }); // chunked: no length up front
      for (let i = 0; i < 7; i++) res.write(big.slice(i * 1000, (i + 1) * 1000));
      res.end();
    }
  });
  try {
    const policy = { allowPrivate: true, maxBytes: 5000 };
    const declared = `${s.origin}/declared`;
    expectIssue(await safeFetch(declared, policy), 'fetch.too-large', declared, /Content-Length 7000 bytes is more than the limit of 5000 bytes/);
    const chunked = `${s.origin}/chunked`;
    expectIssue(await safeFetch(chunked, policy), 'fetch.too-large', chunked, /grew past the limit of 5000 bytes/);
    const gzip = `${s.origin}/gzip`;
    expectIssue(await safeFetch(gzip, policy), 'fetch.too-large', gzip, /grew past the limit of 5000 bytes/);
    const under = await safeFetch(chunked, { allowPrivate: true, maxBytes: 7000 });
    assert.ok(under.ok);
    if (under.ok) assert.equal(under.value.body.length, 7000);
  } finally {
    await s.close();
  }
});

test('gzip bodies are decoded', async () => {
  const s = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
    res.end(gzipSync(ARTICLE));
  });
  try {
    const r = await safeFetch(`${s.origin}/`, { allowPrivate: true });
    assert.ok(r.ok);
    if (r.ok) assert.equal(r.value.body.toString('utf8'), ARTICLE);
  } finally {
    await s.close();
  }
});

test('a slow server runs into the time limit, before headers and while sending the body', async () => {
  const s = await serve((req, res) => {
    if (req.url === '/trickle') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const timer = setInterval(() => res.write('Shelling continued overnight. '), 50);
      res.on('close', () => clearInterval(timer));
    } // otherwise: never answer
  });
  try {
    const silent = `${s.origin}/silent`;
    expectIssue(await safeFetch(silent, { allowPrivate: true, timeoutMs: 200 }), 'fetch.timeout', silent, /within the limit of 200 ms/);
    const trickle = `${s.origin}/trickle`;
    expectIssue(await safeFetch(trickle, { allowPrivate: true, timeoutMs: 300 }), 'fetch.timeout', trickle, /within the limit of 300 ms/);
    const hung = 'http://hung-dns.example/';
    const never = () => new Promise<Address[]>(() => undefined);
    expectIssue(await safeFetch(hung, { lookup: never, timeoutMs: 100 }), 'fetch.timeout', hung, /resolving hung-dns\.example took longer than the limit of 100 ms/);
  } finally {
    await s.close();
  }
});

test('content types outside the accepted set are refused, naming the type', async () => {
  const s = await serve((req, res) => {
    const type = req.url === '/png' ? 'image/png' : req.url === '/rss' ? 'application/rss+xml; charset=utf-8' : req.url === '/pdf' ? 'application/pdf' : '';
    res.writeHead(200, type ? { 'Content-Type': type } : {});
    res.end(req.url === '/rss' ? '<rss version="2.0"><channel><title>Feed</title></channel></rss>' : '\x89PNG\r\n');
  });
  try {
    const png = `${s.origin}/png`;
    expectIssue(await safeFetch(png, { allowPrivate: true }), 'fetch.content-type', png, /content type "image\/png"; expected one of text\/html, application\/xhtml\+xml, text\/plain$/);
    const pdf = `${s.origin}/pdf`;
    expectIssue(await safeFetch(pdf, { allowPrivate: true, accept: 'any' }), 'fetch.content-type', pdf, /"application\/pdf"/);
    const none = `${s.origin}/none`;
    expectIssue(await safeFetch(none, { allowPrivate: true }), 'fetch.content-type', none, /no Content-Type header/);
    const rss = `${s.origin}/rss`;
    expectIssue(await safeFetch(rss, { allowPrivate: true }), 'fetch.content-type', rss, /"application\/rss\+xml"/);
    for (const accept of ['feed', 'any'] as const) assert.ok((await safeFetch(rss, { allowPrivate: true, accept })).ok, accept);
  } finally {
    await s.close();
  }
});

test('a 404 or 500 is an error naming the status', async () => {
  const s = await serve((req, res) => {
    res.writeHead(req.url === '/gone' ? 404 : 500, { 'Content-Type': 'text/html' });
    res.end('<html><body><p>Not here</p></body></html>');
  });
  try {
    const gone = `${s.origin}/gone`;
    expectIssue(await safeFetch(gone, { allowPrivate: true }), 'fetch.status', gone, /^HTTP 404 Not Found; expected a 2xx answer/);
    const broken = `${s.origin}/broken`;
    expectIssue(await safeFetch(broken, { allowPrivate: true }), 'fetch.status', broken, /^HTTP 500 Internal Server Error/);
  } finally {
    await s.close();
  }
});

test('network failures are issues, not exceptions', async () => {
  const s = await serve(page());
  const port = s.port;
  await s.close();
  const refused = `http://127.0.0.1:${port}/`;
  expectIssue(await safeFetch(refused, { allowPrivate: true }), 'fetch.failed', refused, /ECONNREFUSED/);
  const nxdomain = 'https://no-such-host.invalid/';
  const lookup = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), { code: 'ENOTFOUND' });
  };
  expectIssue(await safeFetch(nxdomain, { lookup }), 'fetch.failed', nxdomain, /could not resolve host no-such-host\.invalid: ENOTFOUND/);
});
