import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentFromBytes, documentFromJsonLine, readDocumentFile } from '../../src/ingest/read.js';
import { DOCS } from '../helpers/paths.js';

const bad: [string, Uint8Array, string, RegExp][] = [
  ['empty', new Uint8Array(), 'input.empty', /empty/],
  ['binary', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]), 'input.binary', /binary/],
  ['latin-1', Buffer.from('Caf\xe9 in Bamako', 'latin1'), 'input.encoding', /not valid UTF-8: byte 0xe9 at offset 3/],
  ['only spaces', Buffer.from('  \n\n\t '), 'input.empty', /no text/],
];
for (const [name, bytes, code, message] of bad) {
  test(`documentFromBytes rejects ${name} input with one clear issue`, () => {
    const r = documentFromBytes(bytes, `fixtures/${name}.txt`);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0].code, code);
    assert.match(r.issues[0].message, message);
    assert.equal(r.issues[0].input, `fixtures/${name}.txt`);
  });
}

test('a file over the size limit is refused before it is read', () => {
  const r = readDocumentFile(join(DOCS, 'sahel-attack.txt'), { maxBytes: 100 });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.issues[0].message, /more than the limit of 100 bytes/);
});

test('a missing file names the path', () => {
  const r = readDocumentFile('/no/such/report.txt');
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.issues[0].input, '/no/such/report.txt');
});

test('HTML: article text, title, published date and canonical URL; no scripts or navigation', () => {
  const r = readDocumentFile(join(DOCS, 'article.html'));
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  if (!r.ok) return;
  assert.equal(r.value.published, '2024-01-12');
  assert.ok(r.value.url?.startsWith('https://example.org/'));
  assert.ok(r.value.title && r.value.text.startsWith(r.value.title.slice(0, 20)));
  assert.doesNotMatch(r.value.text, /<script|function\s*\(|gtag|cookie/i);
  assert.match(r.value.text, /Photo: Reuters/);
});

test('truncated HTML still gives its text, with a warning', () => {
  const r = readDocumentFile(join(DOCS, 'truncated.html'));
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.ok(r.value.text.length > 100);
  assert.ok(r.issues?.some((i) => i.code === 'input.html-truncated' && i.severity === 'warning'));
});

test('JSONL lines: bad JSON and missing text are errors naming the line and id', () => {
  const a = documentFromJsonLine('{"id":"bad-1","text":"The army said', 3, 'in.jsonl');
  assert.equal(a.ok, false);
  assert.equal(a.id, 'bad-1');
  if (!a.ok) assert.match(a.issues[0].input, /in\.jsonl:3/);
  const b = documentFromJsonLine('{"id":"x","text":42}', 4, 'in.jsonl');
  assert.equal(b.ok, false);
  if (!b.ok) assert.match(b.issues[0].message, /"text" must be a string; got number/);
  const c = documentFromJsonLine(JSON.stringify({ id: 'ok', text: 'Rebels took Goma.', published: '2025-01-27' }), 5, 'in.jsonl');
  assert.ok(c.ok);
  assert.equal(readFileSync(join(DOCS, 'typographic.txt'), 'utf8').length > 0, true);
});
