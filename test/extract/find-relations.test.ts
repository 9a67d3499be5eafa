// findRelations through the real pipeline: which ties a sentence states, between which entities,
// with which time bounds; and which it does not state (negated, hedged, or misread). Ends are
// knowledge-base ids where the knowledge base knows the thing ("geo:ML", "kb:aes"), else the
// surface form naming it in the text; a list means any of those ids is right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, entityOf } from '../helpers/pipeline.js';
import { RELATION_TYPES, SYMMETRIC_RELATIONS, type Extraction, type RelationType } from '../../src/model/contract.js';

type Relation = Extraction['relations'][number];
type End = string | string[];
// until: a date wants that bound; null wants (or forbids) a present, open-ended relation; '*' forbids any ended one
type Want = { type: RelationType | RelationType[]; source: End; target: End; since?: string; until?: string | null };

/** Every relation has a contract type, entity ends, a confidence and evidence inside the text. */
function checkRelations(text: string, x: Extraction) {
  const ids = new Set(x.entities.map((e) => e.id));
  const mentionIds = new Set(x.mentions.map((m) => m.id));
  for (const r of x.relations) {
    const shown = JSON.stringify(r);
    assert.ok((RELATION_TYPES as readonly string[]).includes(r.type), `type not in the contract: ${shown}`);
    assert.ok(ids.has(r.source) && ids.has(r.target), `ends are not entities: ${shown}`);
    assert.notEqual(r.source, r.target, `a relation to itself: ${shown}`);
    assert.ok(r.confidence > 0 && r.confidence <= 1, `confidence: ${shown}`);
    assert.ok(r.evidence.length > 0, `no evidence: ${shown}`);
    for (const e of r.evidence) {
      assert.ok(e.start >= 0 && e.start < e.end && e.end <= text.length, `evidence outside the text: ${shown}`);
      for (const m of [e.source, e.target]) if (m) assert.ok(mentionIds.has(m), `evidence cites no mention ${m}: ${shown}`);
    }
  }
}

const resolve = (x: Extraction, end: End): string[] =>
  (Array.isArray(end) ? end : [end]).map((s) => (/^[a-z]+:/.test(s) ? s : entityOf(x, s)?.id ?? `(unlinked "${s}")`));

/** The relations matching a wanted one, either way round when the type is symmetric. */
function matching(x: Extraction, w: Want): Relation[] {
  const src = resolve(x, w.source);
  const tgt = resolve(x, w.target);
  const types: string[] = Array.isArray(w.type) ? w.type : [w.type];
  return x.relations.filter(
    (r) =>
      types.includes(r.type) &&
      ((src.includes(r.source) && tgt.includes(r.target)) || (SYMMETRIC_RELATIONS.has(r.type) && src.includes(r.target) && tgt.includes(r.source))),
  );
}

const show = (x: Extraction) => JSON.stringify(x.relations.map((r) => [r.type, r.source, r.target, r.since, r.until].filter(Boolean)));

function hasRelation(x: Extraction, w: Want) {
  const found = matching(x, w);
  assert.ok(found.length, `no ${String(w.type)} ${JSON.stringify(w.source)} -> ${JSON.stringify(w.target)} in ${show(x)}`);
  if (w.until === null) assert.ok(found.some((r) => r.until === undefined), `only ended ${String(w.type)} in ${show(x)}`);
  else if (w.until !== undefined) assert.ok(found.some((r) => r.until === w.until), `until ${w.until} wanted in ${show(x)}`);
  if (w.since !== undefined) assert.ok(found.some((r) => r.since === w.since), `since ${w.since} wanted in ${show(x)}`);
}

/** No relation of this type between the two; with `until: null` no present one, with `until: '*'` no ended one. */
function lacksRelation(x: Extraction, w: Want) {
  let found = matching(x, w);
  if (w.until === null) found = found.filter((r) => r.until === undefined);
  else if (w.until === '*') found = found.filter((r) => r.until !== undefined);
  else if (w.until !== undefined) found = found.filter((r) => r.until === w.until);
  assert.equal(found.length, 0, `unexpected ${String(w.type)} in ${show(x)}`);
}

// [text, relations it states, relations it must not state, todo reason]
const cases: [string, Want[], Want[], string?][] = [
  // membership lists
  ['Mali, Burkina Faso and Niger are members of the Alliance of Sahel States.', ['geo:ML', 'geo:BF', 'geo:NE'].map((s) => ({ type: 'MEMBER_OF', source: s, target: 'kb:aes' })), []],
  ['Tajikistan and Kyrgyzstan, both CSTO members along with Armenia, clashed on their border.', ['geo:TJ', 'geo:KG', 'geo:AM'].map((s) => ({ type: 'MEMBER_OF', source: s, target: 'kb:csto' })), []],
  [
    'Mali, Burkina Faso and Niger, all members of the Alliance of Sahel States, have expelled French troops.',
    ['geo:ML', 'geo:BF', 'geo:NE'].map((s) => ({ type: 'MEMBER_OF', source: s, target: 'kb:aes' })),
    []],
  // joining and leaving, with the year
  ['Mali withdrew from ECOWAS in 2025.', [{ type: 'MEMBER_OF', source: 'geo:ML', target: 'kb:ecowas', until: '2025' }], [{ type: 'MEMBER_OF', source: 'geo:ML', target: 'kb:ecowas', until: null }]],
  [
    'Mali, Burkina Faso and Niger left ECOWAS in January 2025.',
    ['geo:ML', 'geo:BF', 'geo:NE'].map((s) => ({ type: 'MEMBER_OF', source: s, target: 'kb:ecowas', until: '2025-01' })),
    ['geo:ML', 'geo:BF', 'geo:NE'].map((s) => ({ type: 'MEMBER_OF', source: s, target: 'kb:ecowas', until: null })),
  ],
  [
    'Mali, Burkina Faso and Niger, all AES members, left ECOWAS in January 2025.',
    [
      ...['geo:ML', 'geo:BF', 'geo:NE'].map((s) => ({ type: 'MEMBER_OF' as const, source: s, target: 'kb:aes' })),
      ...['geo:ML', 'geo:BF', 'geo:NE'].map((s) => ({ type: 'MEMBER_OF' as const, source: s, target: 'kb:ecowas', until: '2025-01' })),
    ],
    ['geo:ML', 'geo:BF', 'geo:NE'].map((s) => ({ type: 'MEMBER_OF', source: s, target: 'kb:ecowas', until: null }))],
  ['Sweden joined NATO in March 2024.', [{ type: 'MEMBER_OF', source: 'geo:SE', target: 'kb:nato', since: '2024-03' }], []],
  // fighting, alliances
  [
    "The Somali National Army and Ahlu Sunna Wal Jama'a are battling al-Shabaab in Galmudug.",
    [
      { type: 'FIGHTS', source: 'kb:somali-national-army', target: 'kb:al-shabaab' },
      { type: 'FIGHTS', source: "Ahlu Sunna Wal Jama'a", target: 'kb:al-shabaab' },
    ],
    [{ type: 'ALLY_OF', source: 'kb:somali-national-army', target: 'kb:al-shabaab' }],
  ],
  [
    'US-backed Syrian Democratic Forces are battling the Islamic State in Deir ez-Zor.',
    [
      { type: 'SUPPORTS', source: 'geo:US', target: 'kb:syrian-democratic-forces' },
      { type: 'FIGHTS', source: 'kb:syrian-democratic-forces', target: 'kb:islamic-state' },
    ],
    [{ type: 'FIGHTS', source: 'geo:US', target: 'kb:islamic-state' }],
  ],
  [
    'Kenyan troops and the Somali army are battling al-Shabaab in Lower Juba.',
    [
      { type: 'FIGHTS', source: 'kb:somali-national-army', target: 'kb:al-shabaab' },
      { type: 'FIGHTS', source: ['geo:KE', 'nat:KE', 'Kenyan troops'], target: 'kb:al-shabaab' },
    ],
    []],
  [
    'Hezbollah fought with the Syrian army against the Free Syrian Army near Aleppo.',
    [
      { type: 'ALLY_OF', source: 'kb:hezbollah', target: 'kb:syrian-armed-forces' },
      { type: 'FIGHTS', source: 'kb:hezbollah', target: 'kb:fsa' },
    ],
    [{ type: 'FIGHTS', source: 'kb:hezbollah', target: 'kb:syrian-armed-forces' }],
  ],
  [
    'Wagner fought alongside the Malian army against JNIM near Moura.',
    [
      { type: 'ALLY_OF', source: 'kb:wagner', target: 'kb:fama' },
      { type: 'FIGHTS', source: 'kb:wagner', target: 'kb:jnim' },
    ],
    [],
  ],
  [
    'Hezbollah fought with the Syrian army against the Free Syrian Army near Aleppo.',
    [{ type: 'FIGHTS', source: 'kb:syrian-armed-forces', target: 'kb:fsa' }],
    [],
  ],
  ['The Rapid Support Forces clashed with the Sudanese army in El Fasher.', [{ type: 'FIGHTS', source: 'kb:rsf', target: 'kb:sudanese-armed-forces' }], []],
  // reported speech states the relation all the same
  ['Colombian officials said the ELN is fighting FARC dissidents in Arauca.', [{ type: 'FIGHTS', source: 'kb:eln', target: 'kb:farc' }], []],
  ['Iran supplies drones to Russia, Ukrainian intelligence said.', [{ type: 'SUPPORTS', source: 'geo:IR', target: 'geo:RU' }], [{ type: 'SUPPORTS', source: 'geo:RU', target: 'geo:IR' }]],
  // bases
  ['Russia maintains bases in Syria and Tajikistan.', [{ type: 'HAS_BASE_IN', source: 'geo:RU', target: 'geo:SY' }, { type: 'HAS_BASE_IN', source: 'geo:RU', target: 'geo:TJ' }], []],
  ['Russian troops are stationed in Transnistria, a breakaway region of Moldova.', [{ type: 'HAS_BASE_IN', source: 'kb:russian-armed-forces', target: 'geo:MD.58' }], []],
  ['The United States maintains a military base in Djibouti.', [{ type: 'HAS_BASE_IN', source: 'geo:US', target: 'geo:DJ' }], []],
  ['Russia has maintained bases in Syria since 2015.', [{ type: 'HAS_BASE_IN', source: 'geo:RU', target: 'geo:SY', since: '2015' }], []],
  // borders
  ['Sudan shares a border with Chad.', [{ type: 'BORDERS', source: 'geo:SD', target: 'geo:TD' }], []],
  ['Azerbaijan shares a border with Armenia and Iran.', [{ type: 'BORDERS', source: 'geo:AZ', target: 'geo:AM' }, { type: 'BORDERS', source: 'geo:AZ', target: 'geo:IR' }], [{ type: 'BORDERS', source: 'geo:AM', target: 'geo:IR' }]],
  ['Sudan shares a 1,300-kilometre border with Chad.', [{ type: 'BORDERS', source: 'geo:SD', target: 'geo:TD' }], []],
  // "X-backed Y", "backed by", "anti-X Y"
  ['Iran-backed Houthis attacked a tanker in the Red Sea.', [{ type: 'SUPPORTS', source: 'geo:IR', target: 'kb:houthis' }], [{ type: 'SUPPORTS', source: 'kb:houthis', target: 'geo:IR' }]],
  ['Iranian-backed Houthi rebels fired drones at Israel.', [{ type: 'SUPPORTS', source: ['geo:IR', 'nat:IR'], target: 'kb:houthis' }], [{ type: 'FIGHTS', source: ['geo:IR', 'nat:IR'], target: 'geo:IL' }]],
  ['Rwanda-backed M23 rebels seized Goma.', [{ type: 'SUPPORTS', source: 'geo:RW', target: 'kb:m23' }], []],
  ['M23 rebels, backed by Rwanda, captured Goma in January.', [{ type: 'SUPPORTS', source: 'geo:RW', target: 'kb:m23' }], [{ type: 'SUPPORTS', source: 'kb:m23', target: 'geo:RW' }]],
  ['The anti-Taliban National Resistance Front operates in the Panjshir valley.', [{ type: 'OPPOSES', source: 'kb:nrf', target: 'kb:taliban' }], [{ type: 'OPPOSES', source: 'kb:taliban', target: 'kb:nrf' }]],
  ['The anti-Kremlin Freedom of Russia Legion claimed the raid.', [{ type: 'OPPOSES', source: 'kb:freedom-of-russia-legion', target: 'kb:kremlin' }], []],
  ["Syria's Kurdish-led SDF controls Raqqa.", [{ type: 'LEADS', source: 'nat:kurd', target: 'kb:syrian-democratic-forces' }], []],
  // titles: the head of a body LEADS it; a minister is a MEMBER_OF the state, not its leader
  ['Sudanese army chief Abdel Fattah al-Burhan visited Port Sudan.', [{ type: 'LEADS', source: 'kb:abdel-fattah-al-burhan', target: 'kb:sudanese-armed-forces' }], []],
  ['Myanmar junta chief Min Aung Hlaing flew to Moscow.', [{ type: 'LEADS', source: 'kb:min-aung-hlaing', target: 'kb:myanmar-sac' }], []],
  ['Houthi leader Abdul-Malik al-Houthi threatened Israel.', [{ type: 'LEADS', source: 'kb:abdul-malik-al-houthi', target: 'kb:houthis' }], []],
  [
    'Russian Defence Minister Andrei Belousov visited troops in the Kursk region.',
    [{ type: 'MEMBER_OF', source: 'kb:andrei-belousov', target: ['geo:RU', 'nat:RU'] }],
    [{ type: 'LEADS', source: 'kb:andrei-belousov', target: ['geo:RU', 'nat:RU'] }],
  ],
  [
    'South Korean President Yoon Suk Yeol met Japanese Prime Minister Fumio Kishida.',
    [
      { type: 'LEADS', source: 'kb:yoon-suk-yeol', target: ['geo:KR', 'nat:KR'] },
      { type: 'LEADS', source: 'kb:fumio-kishida', target: ['geo:JP', 'nat:JP'] },
      { type: 'COMMUNICATES_WITH', source: 'kb:yoon-suk-yeol', target: 'kb:fumio-kishida' },
    ],
    [{ type: 'LEADS', source: 'kb:yoon-suk-yeol', target: ['geo:JP', 'nat:JP'] }],
  ],
  [
    "Russia's Defence Minister Andrei Belousov visited troops in the Kursk region.",
    [{ type: 'MEMBER_OF', source: 'kb:andrei-belousov', target: 'geo:RU' }],
    [{ type: 'LEADS', source: 'kb:andrei-belousov', target: 'geo:RU' }]],
  ['Hamas political chief Ismail Haniyeh was killed in Tehran.', [{ type: ['LEADS', 'MEMBER_OF'], source: 'kb:ismail-haniyeh', target: 'kb:hamas' }], []],
  // appositions
  ["Yahya Saree, the Houthis' military spokesman, said the group had fired missiles at Eilat.", [{ type: 'MEMBER_OF', source: 'kb:yahya-saree', target: 'kb:houthis' }], [{ type: 'LEADS', source: 'kb:yahya-saree', target: 'kb:houthis' }]],
  ["Abu Obeida, the spokesman of Hamas's armed wing, said fighters had ambushed Israeli troops.", [{ type: 'MEMBER_OF', source: 'kb:abu-obaida', target: 'kb:hamas' }], [{ type: 'LEADS', source: 'kb:abu-obaida', target: 'kb:hamas' }]],
  ["Jean-Pierre Lacroix, the head of UN peacekeeping, met Congolese officials in Goma.", [{ type: 'LEADS', source: 'Jean-Pierre Lacroix', target: 'kb:un' }], []],
  // place in place
  ['Russian forces shelled the Zaporizhzhia nuclear power plant in Enerhodar.', [{ type: 'LOCATED_IN', source: 'Zaporizhzhia nuclear power plant', target: 'Enerhodar' }], [{ type: 'HAS_BASE_IN', source: 'kb:russian-armed-forces', target: 'Enerhodar' }]],
  ['The Kakhovka dam in Nova Kakhovka was destroyed in 2023.', [{ type: 'LOCATED_IN', source: 'Kakhovka dam', target: 'Nova Kakhovka' }], []],
  ['Fighting raged around the Tabqa airbase in Raqqa province.', [{ type: 'LOCATED_IN', source: 'Tabqa airbase', target: 'geo:SY.04' }], []],
  ['Goma, the capital of North Kivu, fell to M23.', [{ type: 'LOCATED_IN', source: 'Goma', target: 'geo:CD.11' }], [{ type: 'LOCATED_IN', source: 'geo:CD.11', target: 'Goma' }]],
  // negation and hedging state nothing
  ['Turkey does not maintain bases in Syria.', [], [{ type: 'HAS_BASE_IN', source: 'geo:TR', target: 'geo:SY' }]],
  ['Turkey, which does not maintain bases in Syria, denied the report.', [], [{ type: 'HAS_BASE_IN', source: 'geo:TR', target: 'geo:SY' }]],
  ["Russia does not have bases in Georgia's Abkhazia region, the ministry claimed.", [], [{ type: 'HAS_BASE_IN', source: 'geo:RU', target: 'geo:GE.02' }, { type: 'HAS_BASE_IN', source: 'geo:RU', target: 'geo:GE' }]],
  ['Kazakhstan denied that it supplies weapons to Russia.', [], [{ type: 'SUPPORTS', source: 'geo:KZ', target: 'geo:RU' }]],
  ['Niger has never been a member of NATO.', [], [{ type: 'MEMBER_OF', source: 'geo:NE', target: 'kb:nato' }]],
  ['Armenia might withdraw from the CSTO next year.', [], [{ type: 'MEMBER_OF', source: 'geo:AM', target: 'kb:csto', until: '*' }]],
  ['Pashinyan said Armenia would leave the CSTO.', [], [{ type: 'MEMBER_OF', source: 'geo:AM', target: 'kb:csto', until: '*' }]],
  ['Armenia froze its participation in the CSTO in 2024.', [], [{ type: 'MEMBER_OF', source: 'geo:AM', target: 'kb:csto', until: '*' }]],
  ['Armenia may leave the CSTO, Prime Minister Nikol Pashinyan said.', [{ type: 'LEADS', source: 'kb:nikol-pashinyan', target: 'geo:AM' }], [{ type: 'MEMBER_OF', source: 'geo:AM', target: 'kb:csto', until: '*' }]],
  // misreadings
  [
    'Armenia may leave the CSTO, Prime Minister Nikol Pashinyan said.',
    [],
    [{ type: 'LEADS', source: 'kb:nikol-pashinyan', target: 'kb:csto' }],
  ],
  [
    'The Sudanese army and allied militias are battling the Rapid Support Forces in Khartoum.',
    [{ type: 'FIGHTS', source: 'kb:sudanese-armed-forces', target: 'kb:rsf' }],
    [{ type: 'ALLY_OF', source: 'kb:sudanese-armed-forces', target: 'kb:rsf' }],
  ],
  [
    'The Wagner Group, which has fighters in Mali, is backed by Russia.',
    [{ type: 'SUPPORTS', source: 'geo:RU', target: 'kb:wagner' }],
    [{ type: 'SUPPORTS', source: 'geo:RU', target: 'geo:ML' }],
  ],
  [
    'Sudanese army chief Abdel Fattah al-Burhan visited Port Sudan.',
    [],
    [{ type: 'COMMUNICATES_WITH', source: 'kb:abdel-fattah-al-burhan', target: 'Port Sudan' }],
  ],
];

for (const [text, wanted, unwanted, todo] of cases) {
  const label = `findRelations: ${text} [${[...wanted.map((w) => String(w.type)), ...unwanted.map((w) => `no ${String(w.type)}`)].join(', ')}]`;
  test(label, todo ? { todo } : {}, () => {
    const x = extract(text, '2025-06-01');
    checkRelations(text, x);
    for (const w of wanted) hasRelation(x, w);
    for (const w of unwanted) lacksRelation(x, w);
  });
}

test('findRelations: an ended membership is not also a present one, and its evidence cites the cue', () => {
  const text = 'Burkina Faso and Niger withdrew from ECOWAS in January 2025 after years of tension.';
  const x = extract(text, '2025-06-01');
  checkRelations(text, x);
  const ended = x.relations.filter((r) => r.type === 'MEMBER_OF' && r.target === 'kb:ecowas');
  assert.deepEqual(ended.map((r) => [r.source, r.until]).sort(), [['geo:BF', '2025-01'], ['geo:NE', '2025-01']]);
  for (const r of ended) assert.ok(r.evidence.some((e) => text.slice(e.start, e.end) === 'withdrew from'), JSON.stringify(r.evidence));
});

test('findRelations: a title relation cites the words of the title and the name', () => {
  const text = 'Sudanese army chief Abdel Fattah al-Burhan visited Port Sudan.';
  const x = extract(text, '2025-06-01');
  const r = x.relations.find((rr) => rr.type === 'LEADS' && rr.source === 'kb:abdel-fattah-al-burhan');
  assert.ok(r, show(x));
  assert.ok(r.evidence.some((e) => text.slice(e.start, e.end) === 'Sudanese army chief Abdel Fattah al-Burhan'), JSON.stringify(r.evidence));
});
