import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { mapGmbTags, mapGumTypes, readCorpora, readCrossner, readGmb, readUner, readWikigold, unzipFirstFile } from '../../../src/extract/ner/corpora.js';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-corpora-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A one-file deflated zip archive, as `zip` writes it. */
function zipOf(name: string, data: Buffer): Buffer {
  const body = deflateRawSync(data);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const centralAt = local.length + nameBytes.length + body.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, nameBytes, body, central, nameBytes, end]);
}

test('GMB: gpe becomes NAT for adjectives and plural demonyms, LOC for proper nouns', () => {
  const cases: [string[], string[], string[]][] = [
    [['B-gpe', 'O'], ['JJ', 'NNS'], ['B-NAT', 'O']],
    [['B-gpe'], ['NNS'], ['B-NAT']],
    [['B-gpe', 'I-gpe'], ['NNP', 'NNPS'], ['B-LOC', 'I-LOC']],
    [['B-gpe', 'I-gpe'], ['JJ', 'NNS'], ['B-NAT', 'I-NAT']],
    [['B-per', 'I-per', 'B-org', 'B-geo', 'B-tim', 'B-art', 'B-eve', 'B-nat'], ['NNP', 'NNP', 'NNP', 'NNP', 'NNP', 'NNP', 'NNP', 'NN'], ['B-PER', 'I-PER', 'B-ORG', 'B-LOC', 'O', 'O', 'O', 'O']],
  ];
  for (const [tags, pos, expected] of cases) assert.deepEqual(mapGmbTags(tags, pos), expected, tags.join(' '));
});

test('GMB: reads the zipped latin-1 CSV with quoted fields, and names the file when broken', () => {
  withDir((dir) => {
    const csv = [
      'Sentence #,Word,POS,Tag',
      'Sentence: 1,Iraqi,JJ,B-gpe',
      ',officials,NNS,O',
      ',in,IN,O',
      ',Bogotá,NNP,B-geo',
      ',said,VBD,O',
      ',",",",",O',
      ',"10,000",CD,O',
      'Sentence: 2,Kofi,NNP,B-per',
      ',Annan,NNP,I-per',
      '',
    ].join('\r\n');
    writeFileSync(join(dir, 'ner_dataset.csv.zip'), zipOf('ner_dataset.csv', Buffer.from(csv, 'latin1')));
    const r = readGmb(dir);
    assert.ok(r.ok, JSON.stringify(r));
    if (!r.ok) return;
    assert.equal(r.value.length, 2);
    assert.deepEqual(r.value[0].tokens, ['Iraqi', 'officials', 'in', 'Bogotá', 'said', ',', '10,000']);
    assert.deepEqual(r.value[0].tags, ['B-NAT', 'O', 'O', 'B-LOC', 'O', 'O', 'O']);
    assert.deepEqual(r.value[1].tags, ['B-PER', 'I-PER']);

    writeFileSync(join(dir, 'ner_dataset.csv.zip'), zipOf('ner_dataset.csv', Buffer.from('Sentence #,Word,POS,Tag\nSentence: 1,Mosul,NNP,B-geo,extra\n', 'latin1')));
    const bad = readGmb(dir);
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.match(bad.issues[0].message, /ner_dataset\.csv\.zip, line 2: expected 4 CSV fields/);

    writeFileSync(join(dir, 'ner_dataset.csv.zip'), 'not a zip');
    const notZip = readGmb(dir);
    assert.equal(notZip.ok, false);
    if (!notZip.ok) assert.match(notZip.issues[0].message, /ner_dataset\.csv\.zip.*not a zip archive/);
  });
});

test('unzipFirstFile round-trips a deflated entry', () => {
  const data = Buffer.from('Sentence #,Word,POS,Tag\n'.repeat(50));
  const r = unzipFirstFile(zipOf('x.csv', data), 'x.zip');
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual([r.value.name, r.value.data.toString()], ['x.csv', data.toString()]);
});

test('a missing corpus file is an issue naming it', () => {
  withDir((dir) => {
    for (const read of [readGmb, readWikigold, readCrossner]) {
      const r = read(dir);
      assert.equal(r.ok, false);
      if (!r.ok) assert.ok(r.issues[0].message.includes(dir), r.issues[0].message);
    }
    const u = readUner(dir);
    assert.equal(u.ok, false);
    if (!u.ok) assert.match(u.issues[0].message, /no \*\.iob2 file/);
  });
});

test('WikiGold: a run of I-X becomes one B-X I-X span; MISC is dropped', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'wikigold.conll.txt'), ['-DOCSTART- O', '', 'The I-ORG', 'Mad I-ORG', 'Capsule I-ORG', 'toured I-MISC', 'Osaka I-LOC', '. O', ''].join('\n'));
    const r = readWikigold(dir);
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(r.value[0].tags, ['B-ORG', 'I-ORG', 'I-ORG', 'O', 'B-LOC', 'O']);
    writeFileSync(join(dir, 'wikigold.conll.txt'), ['The I-ORG', 'band B-ORG', ''].join('\n'));
    const bad = readWikigold(dir);
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.match(bad.issues[0].message, /wikigold\.conll\.txt: tag "B-ORG"/);
  });
});

test('UNER: IOB2 columns, comments skipped', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'en_test.iob2'), ['# sent_id = 1', '# text = Obama visited Kabul', '1\tObama\tB-PER\t-\t-', '2\tvisited\tO\t-\t-', '3\tKabul\tB-LOC\t-\t-', ''].join('\n'));
    const r = readUner(dir);
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(r.value, [{ tokens: ['Obama', 'visited', 'Kabul'], tags: ['B-PER', 'O', 'B-LOC'] }]);
  });
});

test('CrossNER: fine types fold into ours; misc is NAT only for a known demonym', () => {
  withDir((dir) => {
    const sentence = ['Putin\tB-politician', 'led\tO', 'United\tB-politicalparty', 'Russia\tI-politicalparty', 'in\tO', 'Russian\tB-misc', 'elections\tB-election', 'in\tO', 'Moscow\tB-location', ''].join('\n');
    writeFileSync(join(dir, 'train.txt'), sentence);
    writeFileSync(join(dir, 'dev.txt'), '');
    writeFileSync(join(dir, 'test.txt'), '');
    const plain = readCrossner(dir);
    assert.ok(plain.ok);
    if (plain.ok) assert.deepEqual(plain.value[0].tags, ['B-PER', 'O', 'B-ORG', 'I-ORG', 'O', 'O', 'O', 'O', 'B-LOC']);
    const withDemonyms = readCrossner(dir, new Set(['Russian']));
    assert.ok(withDemonyms.ok);
    if (withDemonyms.ok) assert.equal(withDemonyms.value[0].tags[5], 'B-NAT');
  });
});

test('GUM: proper-noun-headed person/place/organization runs only; mixed runs drop the sentence', () => {
  const tokens = ['the', 'organization', 'in', 'the', 'United', 'States', 'hired', 'an', 'attorney'];
  const types = ['organization', 'organization', 'O', 'place', 'place', 'place', 'O', 'person', 'person'];
  const pos = ['DET', 'NOUN', 'ADP', 'DET', 'PROPN', 'PROPN', 'VERB', 'DET', 'NOUN'];
  assert.deepEqual(mapGumTypes(tokens, types, pos), ['O', 'O', 'O', 'O', 'B-LOC', 'I-LOC', 'O', 'O', 'O']);
  assert.equal(mapGumTypes(['Scientology', 'defector'], ['person', 'person'], ['PROPN', 'NOUN']), undefined);
  assert.deepEqual(mapGumTypes(['Bank', 'of', 'England'], ['organization', 'organization', 'organization'], ['PROPN', 'ADP', 'PROPN']), ['B-ORG', 'I-ORG', 'I-ORG']);
});

test('readCorpora skips absent folders with a note and reads the rest in a fixed order', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'wikigold'));
    writeFileSync(join(dir, 'wikigold', 'wikigold.conll.txt'), ['Gao I-LOC', 'fell O', ''].join('\n'));
    const r = readCorpora(dir);
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.value.map((c) => [c.name, c.sentences.length, c.nat, c.silver]), [['wikigold', 1, false, false]]);
    assert.equal(r.issues?.length, 5);
    assert.ok(r.issues?.every((i) => i.severity === 'info' && i.message.includes(dir)));
  });
});
