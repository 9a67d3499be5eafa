// `faultline ingest` and the question commands, run in-process through runCli on a real SQLite
// file: mixed folders with bad files, standard input, a local web server, exit codes, and each
// question's table and JSON answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/program.js';
import type { Io } from '../../src/cli/store-commands.js';
import { DossierSchema, StatsSchema, GraphSchema } from '../../src/model/store.js';
import { islamicStateNames, ahmadShah } from '../fixtures/store-docs.js';

type Captured = { code: number; out: string; err: string };

async function cli(args: string[], options: { stdin?: string; progress?: boolean } = {}): Promise<Captured> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    stdin: options.stdin === undefined ? undefined : Readable.from([options.stdin]),
    progress: options.progress ?? false,
    setCode: () => {},
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

let dir: string;
let db: string;
let server: Server;
let base: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-ingest-'));
  db = join(dir, 'store.db');
  const inbox = join(dir, 'inbox');
  mkdirSync(join(inbox, 'iraq'), { recursive: true });
  writeFileSync(join(inbox, 'iraq', 'baghdad.txt'), islamicStateNames[0].text);
  writeFileSync(
    join(inbox, 'iraq', 'anbar.html'),
    `<!doctype html><html><head><title>Militants attack army outpost in Anbar</title><meta property="article:published_time" content="2024-03-08T10:00:00Z"></head><body><article><h1>Militants attack army outpost in Anbar</h1><p>${islamicStateNames[1].text.split('\n\n')[1]}</p><script>alert(1)</script></article></body></html>`,
  );
  writeFileSync(
    join(inbox, 'batch.jsonl'),
    [
      JSON.stringify({ id: 'raqqa', text: islamicStateNames[2].text, published: '2024-03-12', source: 'wire' }),
      '{"id": "broken", "text": ',
      '',
      JSON.stringify({ id: 'no-text', title: 'missing text' }),
      JSON.stringify({ id: 'strike', text: ahmadShah.commanderKilled.text, published: '2024-04-02' }),
    ].join('\n'),
  );
  writeFileSync(join(inbox, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0, 0, 0, 0]));
  writeFileSync(join(inbox, 'feed.xml'), 'this is not XML at all, just words about a feed');
  server = createServer((req, res) => {
    if (req.url === '/checkpoint') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><head><title>Taliban attack checkpoint near Lashkar Gah</title></head><body><article><p>${ahmadShah.commanderAttack.text.split('\n\n')[1]}</p></article></body></html>`);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('ingest reads a folder of text, HTML and JSONL, names each bad input with its reason, and goes on', async () => {
  const r = await cli(['ingest', join(dir, 'inbox'), '--db', db, '--published', '2024-03-01']);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^4 ingested, 0 duplicate, 0 near-duplicate, 4 failed \(8 inputs/m);
  assert.match(r.err, /failed: .*batch\.jsonl:2.*not valid JSON/);
  assert.doesNotMatch(r.err, /batch\.jsonl:3/, 'a blank line is no document');
  assert.match(r.err, /failed: .*batch\.jsonl:4.*"text" must be a string/);
  assert.match(r.err, /failed: .*photo\.jpg: .*binary/);
  assert.match(r.err, /failed: .*feed\.xml: /);
  const stats = StatsSchema.parse(JSON.parse((await cli(['stats', '--db', db, '--format', 'json'])).out));
  assert.equal(stats.documents, 4);
  assert.equal(stats.published.to, '2024-04-02');
});

test('ingesting the same inputs again stores nothing new and says they are duplicates', async () => {
  const before = (await cli(['stats', '--db', db, '--format', 'json'])).out;
  const r = await cli(['ingest', join(dir, 'inbox', 'iraq'), join(dir, 'inbox', 'batch.jsonl'), '--db', db, '--published', '2024-03-01']);
  assert.match(r.err, /^0 ingested, 4 duplicate, 0 near-duplicate, 2 failed/m);
  assert.equal((await cli(['stats', '--db', db, '--format', 'json'])).out, before);
});

test('standard input and a URL; the fetcher refuses the loopback server unless --allow-private', async () => {
  const refused = await cli(['ingest', `${base}/checkpoint`, '--db', db]);
  assert.equal(refused.code, 1);
  assert.match(refused.err, new RegExp(`failed: ${base.replace(/[.]/g, '\\.')}/checkpoint: .*(loopback|refus)`, 'i'));
  const fetched = await cli(['ingest', `${base}/checkpoint`, '--db', db, '--allow-private', '--published', '2024-03-29']);
  assert.equal(fetched.code, 0, fetched.err);
  assert.match(fetched.err, /^1 ingested/m);
  const piped = await cli(['ingest', '-', '--db', db, '--published', '2024-04-07'], { stdin: ahmadShah.umpire.text });
  assert.equal(piped.code, 0, piped.err);
  const hits = JSON.parse((await cli(['search', 'checkpoint', '--db', db, '--format', 'json'])).out);
  assert.equal(hits.total, 1);
  assert.equal(hits.items[0].url, `${base}/checkpoint`);
});

test('a progress line is drawn on a terminal, and the summary always', async () => {
  const r = await cli(['ingest', '-', '--db', db, '--published', '2024-05-01'], { stdin: 'Kenyan troops arrived in Haiti on Tuesday to lead a UN-backed mission against gangs.', progress: true });
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /\r\x1b\[2Kingest: 1 inputs, \d ingested, .* words\/s/);
  assert.match(r.err, /\x1b\[2K1 ingested, 0 duplicate/);
});

test('entity prints a dossier: names, why they matched, relations, events, documents', async () => {
  const table = await cli(['entity', 'Daesh', '--db', db]);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^Islamic State — organization, jihadist_group/);
  assert.match(table.out, /Daesh\s+1 docs\s+kb-alias:kb:islamic-state/);
  assert.match(table.out, /ISIL\s+1 docs/);
  const json = DossierSchema.parse(JSON.parse((await cli(['entity', 'ISIS', '--db', db, '--format', 'json'])).out));
  assert.equal(json.entity.id, 'kb:islamic-state');
  assert.equal(json.documents.total, 3);
  const missing = await cli(['entity', 'Hezbollah', '--db', db]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no entity named "Hezbollah" in the store \(.*store\.db\)/);
});

test('events, graph, claims and contradictions answer in table and JSON; bad options are usage errors', async () => {
  const ev = JSON.parse((await cli(['events', '--actor', 'Taliban', '--type', 'assault', '--db', db, '--format', 'json'])).out);
  assert.ok(ev.total >= 2);
  assert.ok(ev.items.every((e: { type: string }) => e.type === 'ASSAULT'));
  const table = await cli(['events', '--near', 'Lashkar Gah', '--km', '40', '--db', db]);
  assert.match(table.out, /^\d+ events/);
  assert.match(table.out, /Lashkar Gāh \(0 km\)/);
  const g = GraphSchema.parse(JSON.parse((await cli(['graph', 'Taliban', '--db', db, '--format', 'json'])).out));
  assert.equal(g.center, 'kb:taliban');
  assert.match((await cli(['graph', 'Taliban', '--db', db])).out, /LEADS/);
  assert.equal((await cli(['claims', 'Taliban', '--db', db])).code, 0);
  assert.match((await cli(['contradictions', '--db', db])).out, /^\d+ contradictions/);
  for (const bad of [
    ['events', '--type', 'BOMBING', '--db', db],
    ['events', '--from', '2021-13-45', '--db', db],
    ['events', '--km', '-3', '--db', db],
    ['graph', 'Taliban', '--depth', '9', '--db', db],
    ['search', '--db', db],
    ['stats', '--format', 'xml', '--db', db],
    ['frobnicate'],
  ]) {
    const r = await cli(bad);
    assert.equal(r.code, 2, `${bad.join(' ')}: ${r.err}`);
    assert.ok(r.err.length > 0);
  }
  assert.match((await cli(['events', '--type', 'BOMBING', '--db', db])).err, /not a PLOVER type; known: AGREE/);
});

test('merge, merges and unmerge from the command line', async () => {
  const people = JSON.parse((await cli(['search', 'umpire', '--db', db, '--format', 'json'])).out);
  assert.equal(people.total, 1);
  const d = DossierSchema.parse(JSON.parse((await cli(['entity', 'Ahmad Shah Noorzai', '--db', db, '--format', 'json'])).out));
  assert.equal(d.otherMatches.length, 1, 'the commander and the umpire are two people');
  const m = await cli(['merge', d.otherMatches[0].id, d.entity.id, '--reason', 'test', '--db', db]);
  assert.equal(m.code, 0, m.err);
  const id = /merge #(\d+)/.exec(m.out)?.[1];
  assert.ok(id);
  assert.match((await cli(['merges', '--db', db])).out, new RegExp(`#${id} manual`));
  assert.equal((await cli(['unmerge', id, '--db', db])).code, 0);
  const again = await cli(['unmerge', id, '--db', db]);
  assert.equal(again.code, 1);
  assert.match(again.err, /already undone/);
  assert.equal((await cli(['merge', 'kb:nobody', d.entity.id, '--reason', 'x', '--db', db])).code, 1);
  assert.equal((await cli(['merge', 'a', 'b', '--db', db])).code, 2, '--reason is required');
});
