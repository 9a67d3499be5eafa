import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from '../helpers/pipeline.js';
import { EventSchema, type Event, type Extraction } from '../../src/model/contract.js';

type Want = {
  type: Event['type'];
  modality: Event['modality'];
  /** Names (or aliases) of entities that must be participants, by role; 'any' takes any role. */
  source?: string[];
  target?: string[];
  any?: string[];
  location?: string;
  quantity?: number;
  time?: string;
};

const names = (x: Extraction, id: string | undefined) => {
  const e = x.entities.find((y) => y.id === id);
  return e ? [e.name, ...e.aliases].map((n) => n.toLowerCase()) : [];
};
const hasRole = (x: Extraction, e: Event, name: string, role?: string) =>
  e.participants.some((p) => (!role || p.role === role || p.role === 'participant') && names(x, p.entity).some((n) => n.includes(name.toLowerCase())));

// [text, published, expected event]: realistic sentences from several theatres
const cases: [string, string, Want][] = [
  // an attack with its source and target, place and day
  ['JNIM fighters attacked Malian soldiers near Boulkessi on Sunday.', '2024-06-03', { type: 'ASSAULT', modality: 'asserted', source: ['JNIM'], target: ['Malian'], location: 'Boulkessi', time: '2024-06-02' }],
  // a passive attack: the agent after "by" is the source
  ['A convoy of the Syrian Democratic Forces was attacked by Turkish drones near Qamishli.', '2024-02-10', { type: 'ASSAULT', modality: 'asserted', source: ['Turkish'], target: ['Syrian Democratic Forces'], location: 'Qamishli' }],
  // a joint exercise is MOBILIZE with every country taking part
  ['Russia and Belarus held joint military exercises near the Polish border in September 2021.', '2021-10-01', { type: 'MOBILIZE', modality: 'asserted', any: ['Russia', 'Belarus'], time: '2021-09' }],
  // a deployment: number of troops and destination
  ['Colombia deployed 3,000 soldiers to Catatumbo on Friday.', '2025-01-27', { type: 'MOBILIZE', modality: 'asserted', source: ['Colombia'], location: 'Catatumbo', quantity: 3000 }],
  // a meeting: both sides are participants, titles and nationalities are dropped
  ["Myanmar's junta leader Min Aung Hlaing met Chinese Foreign Minister Wang Yi in Naypyitaw.", '2024-08-15', { type: 'CONSULT', modality: 'asserted', any: ['Min Aung Hlaing', 'Wang Yi'] }],
  // arms supply
  ['Germany supplied Ukraine with air defence systems.', '2024-05-20', { type: 'AID', modality: 'asserted', source: ['Germany'], target: ['Ukraine'] }],
  // a warning
  ['The Houthis warned Saudi Arabia against resuming air strikes on Sanaa.', '2024-04-02', { type: 'THREATEN', modality: 'asserted', source: ['Houthi'], target: ['Saudi Arabia'] }],
  // a request
  ['The United Nations urged the RSF to allow aid convoys into El Fasher.', '2024-06-14', { type: 'REQUEST', modality: 'asserted', source: ['United Nations'], target: ['Rapid Support Forces'] }],
  // hard negatives: a denial, a possibility, a plan, hearsay
  ['The RSF denied attacking civilians in El Fasher.', '2024-06-14', { type: 'ASSAULT', modality: 'denied', source: ['Rapid Support Forces'] }],
  ['Analysts say Russia could launch a new offensive in Kharkiv.', '2024-05-02', { type: 'ASSAULT', modality: 'speculated', source: ['Russia'], location: 'Kharkiv' }],
  ['Colombia plans to deploy 2,000 troops to Cauca.', '2024-03-18', { type: 'MOBILIZE', modality: 'planned', source: ['Colombia'], location: 'Cauca', quantity: 2000 }],
  ['Iranian and Saudi officials reportedly met in Baghdad.', '2021-05-01', { type: 'CONSULT', modality: 'reported', any: ['Iran', 'Saudi'], location: 'Baghdad' }],
];

for (const [text, published, want] of cases) {
  test(`codeEvents: ${text}`, () => {
    const x = extract(text, published);
    const got = x.events.filter((e) => e.type === want.type);
    assert.ok(got.length, `no ${want.type} event in ${JSON.stringify(x.events.map((e) => e.type))}`);
    const e = got.find((g) => g.modality === want.modality) ?? got[0];
    assert.equal(e.modality, want.modality, `modality of ${JSON.stringify(e)}`);
    for (const n of want.source ?? []) assert.ok(hasRole(x, e, n, 'source'), `no source "${n}" in ${JSON.stringify(e.participants)}`);
    for (const n of want.target ?? []) assert.ok(hasRole(x, e, n, 'target'), `no target "${n}" in ${JSON.stringify(e.participants)}`);
    for (const n of want.any ?? []) assert.ok(hasRole(x, e, n), `no participant "${n}" in ${JSON.stringify(e.participants)}`);
    if (want.location) assert.ok(names(x, e.location).some((n) => n.includes(want.location!.toLowerCase())), `location ${e.location}, expected ${want.location}`);
    if (want.quantity !== undefined) assert.ok(e.quantities?.some((q) => [q.value, q.min, q.max].includes(want.quantity)), `quantities ${JSON.stringify(e.quantities)}`);
    if (want.time) assert.equal(e.time?.start, want.time);
    // the trigger span is the second piece of evidence
    assert.ok(e.evidence.length >= 2);
    assert.ok(text.slice(e.evidence[1].start, e.evidence[1].end).length > 0);
  });
}

test('codeEvents: a sentence that states no event gives none', () => {
  assert.deepEqual(extract("Sudan is Africa's third-largest country by area, and its capital is Khartoum.", '2024-01-01').events, []);
  assert.deepEqual(extract('Kharkiv, Ukraine\'s second-largest city, lies about 30 kilometres from the Russian border.', '2024-01-01').events, []);
});

test('codeEvents: a promise of force is a threat, not an agreement', () => {
  const x = extract('Houthi leader Abdul-Malik al-Houthi vowed to escalate attacks on ships linked to Israel.', '2024-03-01');
  assert.ok(x.events.some((e) => e.type === 'THREATEN'), JSON.stringify(x.events.map((e) => e.type)));
  assert.ok(!x.events.some((e) => e.type === 'AGREE'));
});

test('codeEvents: an accused party is the source of what it is accused of, as hearsay', () => {
  const x = extract('Kyiv accused Moscow of shelling the Zaporizhzhia nuclear power plant.', '2024-04-08');
  const accuse = x.events.find((e) => e.type === 'ACCUSE');
  const shelling = x.events.find((e) => e.type === 'ASSAULT');
  assert.ok(accuse && shelling, JSON.stringify(x.events));
  assert.equal(shelling.modality, 'reported');
  assert.ok(hasRole(x, shelling, 'Russia', 'source'), JSON.stringify(shelling.participants));
});

test('codeEvents: a loss names the loser as target, with place and date', () => {
  const x = extract('Al-Shabaab suffered heavy losses in Beledweyne in September 2022, a UN report says.', '2023-02-10');
  const e = x.events.find((y) => y.type === 'ASSAULT');
  assert.ok(e, JSON.stringify(x.events));
  assert.ok(hasRole(x, e, 'al-Shabaab', 'target'), JSON.stringify(e.participants));
  assert.ok(names(x, e.location).some((n) => n.includes('beledweyne')), JSON.stringify(e.location));
  assert.equal(e.time?.start, '2022-09');
});

test('codeEvents: every event fits the contract and every evidence span lies in the text', () => {
  const text = [
    'Russian and Belarusian troops began joint military exercises in Belarus on Thursday.',
    'Hamas released three Israeli hostages in exchange for 90 Palestinian prisoners freed by Israel.',
    '"We warn Kyiv against any attack on Belarus," Lukashenko said.',
    'Burundi has deployed thousands of soldiers to South Kivu to fight the M23, according to local officials.',
  ].join('\n\n');
  const x = extract(text, '2024-02-01');
  assert.ok(x.events.length >= 3, JSON.stringify(x.events.map((e) => e.type)));
  x.events.forEach((e, i) => {
    assert.equal(e.id, `e${i + 1}`);
    const parsed = EventSchema.safeParse(e);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    assert.ok(e.participants.length > 0);
    assert.ok(e.confidence >= 0.5 && e.confidence <= 1);
    for (const v of e.evidence) assert.ok(0 <= v.start && v.start < v.end && v.end <= text.length, `bad span ${JSON.stringify(v)}`);
    for (const v of e.evidence.filter((y) => y.source)) {
      const m = x.mentions.find((y) => y.id === v.source);
      assert.ok(m, `evidence names mention ${v.source}`);
      assert.equal(text.slice(v.start, v.end), m.text);
    }
  });
  // sorted by where their evidence starts
  for (let i = 1; i < x.events.length; i++) assert.ok(x.events[i - 1].evidence[0].start <= x.events[i].evidence[0].start);
});
