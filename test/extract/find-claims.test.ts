// findClaims through the real pipeline: the number's bounds, unit and property, what it is about
// and who states it; and the numbers that are not claims (years, pages, resolutions, ages,
// ordinals). Subjects and sources are given as the surface form naming them in the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, entityOf } from '../helpers/pipeline.js';
import type { Extraction } from '../../src/model/contract.js';

type Claim = Extraction['claims'][number];

type Want = {
  /** a piece of the claim's text that picks it out */
  at: string;
  value?: number;
  min?: number;
  max?: number;
  unit?: string;
  property?: string;
  approximate?: true;
  /** surface form of the entity the number is about */
  subject?: string;
  /** surface form of the entity stating it */
  source?: string;
  /** fields that must be absent: "up to 6,500" has no value */
  absent?: (keyof Claim)[];
};

/** Every claim's first evidence span is its number, and every span lies inside the text. */
function checkSpans(text: string, x: Extraction) {
  for (const c of x.claims) {
    assert.ok(c.evidence.length > 0, `no evidence for ${c.id}`);
    assert.equal(text.slice(c.evidence[0].start, c.evidence[0].end), c.text, `first evidence of ${JSON.stringify(c)}`);
    for (const e of c.evidence) assert.ok(e.start >= 0 && e.start < e.end && e.end <= text.length, `evidence ${JSON.stringify(e)} outside the text`);
    for (const id of [c.subject, c.source]) if (id) assert.ok(x.entities.some((e) => e.id === id), `${id} is not an entity`);
  }
}

const idOf = (x: Extraction, surface: string) => {
  const e = entityOf(x, surface);
  assert.ok(e, `"${surface}" is not linked: ${JSON.stringify(x.mentions.map((m) => [m.text, m.entity]))}`);
  return e.id;
};

function check(text: string, want: Want) {
  const x = extract(text, '2024-06-01');
  checkSpans(text, x);
  const c = x.claims.find((cc) => cc.text.includes(want.at));
  assert.ok(c, `no claim with "${want.at}" in ${JSON.stringify(x.claims)}`);
  const shown = JSON.stringify(c);
  for (const k of ['value', 'min', 'max', 'unit', 'property', 'approximate'] as const)
    if (want[k] !== undefined) assert.equal(c[k], want[k], `${k} of ${shown}`);
  for (const k of want.absent ?? []) assert.equal(c[k], undefined, `${k} should be absent in ${shown}`);
  if (want.subject) assert.equal(c.subject, idOf(x, want.subject), `subject of ${shown}`);
  if (want.source) assert.equal(c.source, idOf(x, want.source), `source of ${shown}`);
}

// [text, expected claim, todo reason if the method misses it]
const cases: [string, Want, string?][] = [
  // bounds and approximation
  ['Russia has deployed some 3,000 soldiers to the Kursk region.', { at: '3,000', value: 3000, approximate: true, unit: 'troops', property: 'troops', absent: ['min', 'max'] }],
  ['The Wagner Group had up to 6,500 fighters, the report said.', { at: '6,500', max: 6500, property: 'strength', subject: 'Wagner Group', absent: ['value', 'min', 'approximate'] }],
  ['Kenya will send between 3,500 and 4,000 troops to Somalia.', { at: '3,500', min: 3500, max: 4000, unit: 'troops', absent: ['value'] }],
  ["Estimates of al-Shabaab's strength run as low as 2,200 fighters.", { at: '2,200', value: 2200, property: 'strength', subject: 'al-Shabaab', absent: ['min', 'max'] }],
  ['North Korea has an estimated 1.2 million active troops.', { at: '1.2 million', value: 1_200_000, approximate: true, unit: 'troops', subject: 'North Korea' }],
  ['The ADF has as many as 1,500 fighters in Ituri.', { at: '1,500', max: 1500, unit: 'fighters', absent: ['value'] }],
  // money
  ['The World Bank approved $2.5 billion in reconstruction aid for Ukraine on Tuesday.', { at: '$2.5 billion', value: 2.5e9, unit: 'USD', property: 'money' }],
  ['The European Union pledged €50 billion for Ukraine.', { at: '€50 billion', value: 5e10, unit: 'EUR', property: 'money' }],
  // lengths and areas
  ['Sudan shares a 1,300-kilometre border with Chad.', { at: '1,300', value: 1300, unit: 'km', property: 'length', subject: 'Sudan' }],
  ['Turkey maintains a 911-kilometre border with Syria.', { at: '911', value: 911, unit: 'km', property: 'length', subject: 'Turkey' }],
  ['The M23 controls an area of roughly 1,500 square kilometres in North Kivu.', { at: '1,500', value: 1500, unit: 'km2', property: 'area', approximate: true, subject: 'M23' }],
  // casualties
  ['RSF fighters killed at least 45 civilians in El Geneina.', { at: '45', min: 45, absent: ['value', 'max'] }],
  ['RSF fighters killed at least 45 civilians in El Geneina.', { at: '45', min: 45, property: 'casualties' }],
  ['The explosion left 12 dead and 30 wounded in Mogadishu.', { at: '12', value: 12, unit: 'killed', property: 'casualties' }],
  ['The explosion left 12 dead and 30 wounded in Mogadishu.', { at: '30', value: 30, unit: 'wounded', property: 'casualties' }],
  // who states the number
  ['The UN estimated that 9 million people had been displaced in Sudan.', { at: '9 million', value: 9e6, source: 'UN' }],
  ['Reuters reported that about 1,200 Colombian soldiers were deployed to Catatumbo.', { at: '1,200', value: 1200, approximate: true, unit: 'troops', source: 'Reuters' }],
  ['Save the Children said more than 14,000 children had been killed in Gaza.', { at: '14,000', min: 14000, source: 'Save the Children' }],
  ['The 3rd Assault Brigade said it had destroyed 14 Russian tanks near Avdiivka.', { at: '14', value: 14, unit: 'tanks', source: '3rd Assault Brigade' }],
  ['Ukrainian officials said Russia had deployed some 3,000 soldiers to the Kursk region.', { at: '3,000', value: 3000, source: 'Ukrainian' }],
  ['“We have lost more than 300 men in Bakhmut,” said Ukrainian commander Oleksandr Syrskyi.', { at: '300', min: 300, source: 'Oleksandr Syrskyi' }],
  ['Houthi spokesman Yahya Saree said: “We have fired more than 100 missiles at ships in the Red Sea.”', { at: '100', min: 100, source: 'Yahya Saree' }],
  // gaps
  ['The UN estimates that 9 million people have been displaced in Sudan.', { at: '9 million', value: 9e6, source: 'UN' }],
  ['The UN Monitoring Team estimates al-Shabaab has between 7,000 and 12,000 fighters.', { at: '7,000', min: 7000, max: 12000, subject: 'al-Shabaab', source: 'UN Monitoring Team' }],
  ['Houthi forces have launched more than 100 attacks on shipping since November, the Pentagon said.', { at: '100', min: 100, subject: 'Houthi', source: 'Pentagon' }],
  ['Kenya will send between 3,500 and 4,000 troops to Somalia, the African Union said.', { at: '3,500', min: 3500, max: 4000, source: 'African Union' }],
  ['The Wagner Group has up to 6,500 fighters in Mali.', { at: '6,500', max: 6500, subject: 'Wagner Group' }],
];

for (const [text, want, todo] of cases) {
  test(`findClaims: ${text} [${want.at}]`, todo ? { todo } : {}, () => check(text, want));
}

// numbers that are not claims: [text, todo reason]
const notClaims: [string, string?][] = [
  ['The junta seized power in Niger in 2023.'],
  ['The 2014 Minsk agreement collapsed.'],
  ['The figures appear on page 12 of the report.'],
  ['Pages 40-45 of the report describe the killings in Bucha.'],
  ['The Security Council adopted resolution 2719 on Friday.'],
  ['Resolution 2216 demands that the Houthis withdraw from Sanaa.'],
  ['Article 5 of the NATO treaty has never been invoked over Ukraine.'],
  ['The 45-year-old commander was killed in Idlib.'],
  ['A 25-year-old soldier was killed near Kherson.'],
  ['Soldiers of the 3rd Brigade entered Kupiansk.'],
  ['The 47th Mechanised Brigade withdrew from Avdiivka.'],
  ['Flight MH17 was shot down over Donetsk in 2014.'],
  ['Fighting resumed in the 1990s.'],
  ['The commander, 45, was killed in an airstrike in Idlib.'],
  ['Kim Jong Un, 40, oversaw the launch.'],
  ['The strike came at 0600 local time.'],
];

for (const [text, todo] of notClaims) {
  test(`findClaims: no claim in: ${text}`, todo ? { todo } : {}, () => {
    const x = extract(text, '2024-06-01');
    assert.deepEqual(x.claims.map((c) => c.text), []);
  });
}

test('findClaims: a resolution number beside a real figure leaves only the figure', () => {
  const text = 'Under resolution 2719, the UN may fund up to 75 percent of AU missions.';
  const x = extract(text, '2024-06-01');
  checkSpans(text, x);
  assert.deepEqual(x.claims.map((c) => [c.text, c.max, c.unit]), [['up to 75 percent', 75, '%']]);
});

test('findClaims: a year before a count is a date, the count keeps its own subject', () => {
  const text = 'In 2019, some 2,000 ELN fighters were active in Arauca.';
  const x = extract(text, '2024-06-01');
  checkSpans(text, x);
  assert.equal(x.claims.length, 1);
  const c = x.claims[0];
  assert.equal(c.value, 2000);
  assert.equal(c.approximate, true);
  assert.equal(c.subject, idOf(x, 'ELN'));
  assert.ok(x.dates.some((d) => d.text === '2019'));
});

test('findClaims: two numbers in one sentence are two claims, each with its own evidence', () => {
  const text = 'Ukrainian officials said about 11,000 North Korean troops were in the Kursk region and 3,000 more were on their way.';
  const x = extract(text, '2024-11-05');
  checkSpans(text, x);
  const values = x.claims.map((c) => c.value);
  assert.ok(values.includes(11000) && values.includes(3000), JSON.stringify(x.claims));
  const first = x.claims.find((c) => c.value === 11000)!;
  assert.equal(first.approximate, true);
  assert.equal(first.subject, idOf(x, 'North Korean troops'));
});
