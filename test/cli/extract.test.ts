import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtractionSchema, type Extraction } from '../../src/model/contract.js';
import { CLI, DOCS, ROOT, SEED, SEED_SKIP, SHARED } from '../helpers/paths.js';

const run = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, cwd: ROOT, maxBuffer: 64 << 20 });

/** Every span in an extraction gives back its text from the document. */
function assertOffsets(x: Extraction, text: string, where: string) {
  for (const s of x.segments) assert.ok(s.end > s.start && s.end <= text.length, `${where}: segment ${s.start}-${s.end}`);
  for (const m of x.mentions) assert.equal(text.slice(m.start, m.end), m.text, `${where}: mention ${m.id}`);
  for (const d of x.dates) assert.equal(text.slice(d.start, d.end), d.text, `${where}: date ${d.text}`);
  for (const q of x.quotes) assert.equal(text.slice(q.start, q.end), q.text, `${where}: quote ${q.id}`);
  for (const f of [...x.relations, ...x.events, ...x.quotes, ...x.claims])
    for (const e of f.evidence) assert.ok(e.start >= 0 && e.end <= text.length && e.end > e.start, `${where}: evidence ${e.start}-${e.end}`);
}

test('extract prints a valid faultline.extraction/v1 document for each test document, offsets exact', () => {
  const files = readdirSync(DOCS).filter((f) => f.endsWith('.txt'));
  assert.ok(files.length >= 6);
  for (const f of files) {
    const r = run(['extract', join(DOCS, f), '--published', '2024-06-01']);
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    const x = ExtractionSchema.parse(JSON.parse(r.stdout));
    assertOffsets(x, readFileSync(join(DOCS, f), 'utf8'), f);
    assert.ok(x.entities.length >= 5, `${f}: only ${x.entities.length} entities`);
    assert.ok(x.segments.some((s) => s.kind === 'caption'), `${f}: no caption found`);
  }
});

test('extract reads standard input and --title/--published override', () => {
  const r = run(['extract', '-', '--published', '2023-09-20', '--title', 'Karabakh'], 'Azerbaijan launched an offensive in Nagorno-Karabakh on Tuesday.');
  assert.equal(r.status, 0, r.stderr);
  const x = JSON.parse(r.stdout) as Extraction;
  assert.equal(x.document.title, 'Karabakh');
  assert.equal(x.document.published, '2023-09-20');
  assert.ok(x.dates.some((d) => d.value === '2023-09-19'), JSON.stringify(x.dates));
});

test('bad inputs: one clear error naming the input, and a failing exit code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-'));
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '');
  const r = run(['extract', empty]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /empty\.txt: the input is empty/);
  const big = join(dir, 'big.txt');
  writeFileSync(big, 'word '.repeat(11 * 1024 * 1024 / 5));
  const r2 = run(['extract', big]);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /big\.txt: \d+ bytes is more than the limit/);
  const r3 = run(['extract', empty, '--published', 'yesterday']);
  assert.notEqual(r3.status, 0);
  assert.match(r3.stderr, /"yesterday" is not an ISO 8601 date/);
});

test('batch: a bad line gives an error object and the other documents still come out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-'));
  const out = join(dir, 'out.jsonl');
  const r = run(['extract', '--jsonl', join(DOCS, 'batch.jsonl'), '--out', out]);
  assert.equal(r.status, 1, 'some lines fail, so the exit code says so');
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const inputs = readFileSync(join(DOCS, 'batch.jsonl'), 'utf8').trim().split('\n');
  assert.equal(lines.length, inputs.length);
  const errors = lines.filter((l) => l.error);
  assert.equal(errors.length, 2);
  for (const e of errors) assert.ok(typeof e.id === 'string' && e.error.length > 10);
  for (const ok of lines.filter((l) => !l.error)) ExtractionSchema.parse(ok);
});

test('seed article: offsets exact and the core thresholds hold', { skip: SEED_SKIP }, () => {
  const r = run(['extract', SEED, '--published', '2021-08-13', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const x = ExtractionSchema.parse(JSON.parse(r.stdout));
  assertOffsets(x, readFileSync(SEED, 'utf8'), 'seed');
  const dir = mkdtempSync(join(tmpdir(), 'faultline-'));
  writeFileSync(join(dir, 'seed.json'), r.stdout);
  const score = spawnSync(process.execPath, [join(SHARED, 'seed', 'score.mjs'), join(dir, 'seed.json'), '--json'], { encoding: 'utf8' });
  const { summary } = JSON.parse(score.stdout.slice(0, score.stdout.lastIndexOf('}') + 1));
  assert.ok(summary.entitiesF1 >= 0.9, `entitiesF1 ${summary.entitiesF1}`);
  assert.equal(summary.sameEntity, 1);
  assert.ok(summary.dates >= 0.85, `dates ${summary.dates}`);
  assert.equal(summary.captions, 1);
});
