import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, entityOf } from '../helpers/pipeline.js';

test('a title before an unknown name makes a person; the surname later joins it', () => {
  const text = 'Malian Defence Minister Sadio Camara visited Gao on Monday. Camara said the army would hold the town.';
  const x = extract(text, '2024-03-04');
  const full = entityOf(x, 'Sadio Camara');
  assert.equal(full?.type, 'PERSON');
  const sur = x.mentions.find((m) => m.text === 'Camara' && m.start > 40);
  assert.equal(sur?.entity, full!.id);
  assert.equal(sur?.linkedBy, 'surname');
  assert.ok(full!.roles?.some((r) => /Defence Minister/.test(r.title) && r.of === 'geo:ML'), JSON.stringify(full!.roles));
});

test('an acronym defined in the text joins its long form, and its later uses too', () => {
  const text = 'The Sudan Revolutionary Liberation Front (SRLF) said it had shelled El Fasher. The SRLF denied targeting civilians.';
  const x = extract(text, '2024-05-10');
  const long = entityOf(x, 'Sudan Revolutionary Liberation Front');
  assert.equal(long?.type, 'ORGANIZATION');
  const uses = x.mentions.filter((m) => m.text === 'SRLF');
  assert.equal(uses.length, 2);
  for (const u of uses) {
    assert.equal(u.entity, long!.id);
    assert.equal(u.linkedBy, 'acronym');
  }
});

test('facilities by their head word, and a transliteration variant is one entity', () => {
  const text = 'Drones struck the Tabqa military airport at dawn. Kurdish officials said the Tabka military airport was damaged.';
  const x = extract(text, '2024-01-12');
  const a = x.mentions.find((m) => m.text.startsWith('Tabqa'));
  const b = x.mentions.find((m) => m.text.startsWith('Tabka'));
  assert.equal(a?.type, 'FACILITY');
  assert.equal(b?.entity, a?.entity);
  assert.equal(b?.linkedBy, 'variant');
});

test('countries, demonyms and capitals: Moscow acting is Russia, Moscow as a place stays a city', () => {
  const text = 'Moscow warned Kyiv on Friday. Ukrainian drones hit a refinery in Moscow, Russian officials said.';
  const x = extract(text, '2024-09-01');
  const first = x.mentions.find((m) => m.text === 'Moscow');
  assert.equal(first?.entity, 'geo:RU');
  assert.equal(first?.linkedBy, 'capital-metonymy');
  const second = x.mentions.filter((m) => m.text === 'Moscow')[1];
  assert.notEqual(second?.entity, 'geo:RU');
  assert.equal(entityOf(x, 'Ukrainian')?.type, 'NATIONALITY');
  assert.equal(entityOf(x, 'Russian')?.id, 'nat:RU');
});

test('quantities keep their bounds and units, and a name inside them is still a mention', () => {
  const text = 'Between 3,500 and 4,000 US soldiers will be sent, and up to 6,500 Pakistanis are in the country. The border is some 1,300 kilometers long.';
  const x = extract(text, '2021-08-13');
  const q = (s: string) => x.mentions.find((m) => m.text.includes(s) && m.type === 'QUANTITY')?.attributes?.quantity as Record<string, unknown>;
  assert.deepEqual({ min: q('3,500').min, max: q('3,500').max }, { min: 3500, max: 4000 });
  assert.equal(q('6,500').max, 6500);
  assert.equal(q('1,300').value, 1300);
  assert.equal(q('1,300').unit, 'km');
  assert.equal(q('1,300').approximate, true);
  assert.ok(x.mentions.some((m) => m.text === 'US' && m.entity === 'geo:US'));
});

test('every mention, date and segment gives back its text from its offsets', () => {
  const text = '🇺🇦 Ukrainian forces said on Tuesday that Russian troops shelled Kharkiv. “We will respond,” said Col. Oleh Ivanenko.';
  const x = extract(text, '2024-05-14');
  for (const m of x.mentions) assert.equal(text.slice(m.start, m.end), m.text);
  for (const d of x.dates) assert.equal(text.slice(d.start, d.end), d.text);
  assert.ok(x.mentions.some((m) => m.text === 'Kharkiv' && m.type === 'LOCATION'));
});

test('an organisation name does not swallow a date, a person or a place before "in", "of the"', () => {
  const x = extract('Police said Mohammed Nahim was killed Tuesday in Wardak province. Tyler Banham of the Liberal Party of Canada won the seat.', '2009-05-20');
  const orgs = x.mentions.filter((m) => m.type === 'ORGANIZATION').map((m) => m.text);
  assert.deepEqual(orgs, ['Liberal Party of Canada'], JSON.stringify(x.mentions));
  assert.equal(x.mentions.find((m) => m.text.startsWith('Wardak'))?.type, 'LOCATION');
  assert.equal(x.mentions.find((m) => m.text === 'Tyler Banham')?.type, 'PERSON');
});

test('a name after a title stops at a weekday, and a month is never a town', () => {
  const x = extract('Thai Prime Minister Surayud Chulanont Thursday said elections would be held in March.');
  assert.ok(x.mentions.some((m) => m.text === 'Surayud Chulanont' && m.type === 'PERSON'), JSON.stringify(x.mentions));
  assert.ok(!x.mentions.some((m) => m.text === 'March' && m.type === 'LOCATION'), 'no published date: "March" is still not the English town');
});

test('an unknown name before "district", "township" or "village" is a place, even one ending like an adjective', () => {
  const x = extract('Officials said 43 people died in Ghorian district, and a bomb hit the southern Gali district. Chickens died on a farm in Hmawbi township.', '2009-05-20');
  for (const name of ['Ghorian district', 'Gali district', 'Hmawbi township']) {
    const m = x.mentions.find((mm) => mm.text === name);
    assert.equal(m?.type, 'LOCATION', `${name}: ${JSON.stringify(x.mentions)}`);
  }
  // an adjective of a place before such a word is not a name of its own
  const y = extract('He grew up in a Scottish town and moved to the Soviet state in 1950.', '2009-05-20');
  assert.ok(!y.mentions.some((m) => m.type === 'LOCATION' && /town|state/.test(m.text)), JSON.stringify(y.mentions));
});

test('a title word that starts an organisation\'s name does not make a person', () => {
  const x = extract('The firm will negotiate with General Motors, and Prime Minister Ariel Sharon met the UN General Assembly.', '2005-03-01');
  assert.equal(x.mentions.find((m) => m.text.includes('Motors'))?.text, 'General Motors', JSON.stringify(x.mentions));
  assert.equal(x.mentions.find((m) => m.text === 'General Motors')?.type, 'ORGANIZATION');
  assert.ok(!x.mentions.some((m) => m.type === 'PERSON' && /Motors|Assembly/.test(m.text)));
  assert.equal(x.mentions.find((m) => m.text === 'Ariel Sharon')?.type, 'PERSON');
});

test('"a Mogadishu mosque" is a mosque in a city, not a facility\'s name; "the Kandahar air base" is one', () => {
  const x = extract('He was shot as he left a Mogadishu mosque. Canadian troops returned to the Kandahar air base.', '2008-02-10');
  assert.equal(x.mentions.find((m) => m.text.startsWith('Mogadishu'))?.text, 'Mogadishu', JSON.stringify(x.mentions));
  assert.equal(x.mentions.find((m) => m.text === 'Mogadishu')?.type, 'LOCATION');
  assert.equal(x.mentions.find((m) => m.text.startsWith('Kandahar'))?.type, 'FACILITY');
});

test('a demonym before "police", "troops" or "forces" is that state\'s forces, one organisation, but not as a modifier', () => {
  const x = extract('Pakistani police arrested two men, and Italian troops left Herat. Russia objects to US military bases in the region.', '2021-07-16');
  assert.equal(x.mentions.find((m) => m.text === 'Pakistani police')?.type, 'ORGANIZATION', JSON.stringify(x.mentions));
  assert.equal(x.mentions.find((m) => m.text === 'Italian troops')?.type, 'ORGANIZATION');
  assert.ok(!x.mentions.some((m) => m.text === 'US military'), 'in "US military bases" the words describe the bases');
  // a state whose armed forces the knowledge base knows as one body: linked to it
  const mali = extract('Malian troops and foreign fighters killed hundreds of people in Moura.', '2023-07-26');
  assert.equal(mali.mentions.find((m) => m.text === 'Malian troops')?.entity, 'kb:fama', JSON.stringify(mali.mentions));
  // where the knowledge base knows the force, its entry wins and links it
  const y = extract('Israeli troops entered Jenin on Monday.', '2023-07-03');
  const idf = y.mentions.find((m) => m.text === 'Israeli troops');
  assert.equal(idf?.type, 'ORGANIZATION');
  assert.equal(y.entities.find((e) => e.id === idf?.entity)?.name, 'Israel Defense Forces');
});

test('an acronym the knowledge base gives to another country\'s body follows the body of those initials named earlier', () => {
  const x = extract('North Korea fired a missile on Thursday, South Korea’s Joint Chiefs of Staff said. The JCS said it flew 600 kilometres.', '2024-01-14');
  const jcs = x.mentions.find((m) => m.text === 'JCS');
  assert.equal(jcs?.entity, 'kb:rok-jcs', JSON.stringify(x.mentions));
  assert.equal(jcs?.linkedBy, 'acronym');
  // with no such body named, the knowledge base's own reading stands
  const y = extract('The JCS said the drills with Japan would continue.', '2024-01-14');
  assert.equal(y.mentions.find((m) => m.text === 'JCS')?.entity, 'kb:us-joint-chiefs');
});
