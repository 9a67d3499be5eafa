import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BANDS,
  NEAR_DUPLICATE_THRESHOLD,
  ROWS,
  SIGNATURE_SIZE,
  bandKeys,
  decodeSignature,
  encodeSignature,
  isNearDuplicate,
  minhash,
  shingles,
  similarity,
} from '../../src/resolve/near-duplicate.js';

// The stories below were written for this test in the style of wire copy; the events, villages
// and people in them are invented.

// ---------------------------------------------------------------------------------------------
// Story A: a raid on two villages in central Mali, as the agency filed it.

const A_HEADLINE = 'Gunmen kill at least 31 villagers in central Mali raid';
const A_DATELINE = 'BAMAKO, March 14 (Faultline Wire) - ';
const A_PARAS = [
  "Gunmen on motorbikes killed at least 31 people in two villages in central Mali's Mopti region on Wednesday, setting fire to granaries and driving off cattle, local officials and a community leader said on Thursday.",
  'The attackers reached Ouro-Néma and the neighbouring hamlet of Sériwala shortly after evening prayers and opened fire on residents gathered near the well, said Amadou Guindo, the mayor of the surrounding commune, who was reached by telephone from Bamako.',
  '"They came from the east on about forty motorbikes, two men on each, and they shot at anyone who ran," Guindo said. "We have buried 31 people. Others are still missing in the bush."',
  'A security source in Mopti, who asked not to be named because he was not authorised to speak to the press, put the death toll at 34 and said a military patrol had reached the area on Thursday morning, more than twelve hours after the attack.',
  "No group has claimed responsibility. Fighters of the Group for the Support of Islam and Muslims (JNIM), al Qaeda's affiliate in the Sahel, are active in the area and have besieged several towns on the road between Mopti and the border with Burkina Faso since last year.",
  'Mali\'s transitional government, which came to power in a coup in 2020 and has since turned to Russian paramilitaries for support, said in a statement read on state television that it condemned a "cowardly and barbaric act" and that the perpetrators would be "tracked down wherever they are".',
  'The army did not say whether it had made contact with the attackers. It said two suspects had been detained near the town of Bankass and that reinforcements had been sent to protect the villages, where survivors were gathering their belongings to leave.',
  'More than 4,000 people were killed in political violence in Mali last year, according to the conflict monitor ACLED, and the United Nations says some 400,000 people have been forced from their homes across the country, most of them in the central regions of Mopti and Ségou.',
  'Aid workers said the families who fled Ouro-Néma on Thursday were walking towards Bankass, about 25 kilometres away, where a camp for displaced people already shelters several thousand people who fled earlier attacks.',
];
const A_CREDIT = '(Reporting by Moussa Keita in Bamako; Writing by Claire Delmas; Editing by Tom Hargreave)';
const A = [A_HEADLINE, A_DATELINE + A_PARAS[0], ...A_PARAS.slice(1), A_CREDIT].join('\n\n');

/** The text with each replacement applied once; fails if a target is not in the text. */
function edit(text: string, pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    assert.ok(out.includes(from), `edit target not found: ${from}`);
    out = out.replace(from, to);
  }
  return out;
}

// A regional site's copy: its own headline, byline and dateline, the agency credit cut.
const A_REHEADLINED = [
  'Mali: dozens dead as armed men storm villages near Bankass',
  'By Staff Reporter | Published 14 March 2024, 18:02 GMT | Updated 14 March 2024, 19:40 GMT',
  'MOPTI, Mali - ' + A_PARAS[0],
  ...A_PARAS.slice(1),
].join('\n\n');

// A portal's page as scraped: navigation, share buttons, inline promotions, newsletter box, footer.
const A_BOILERPLATE = [
  'Skip to main content',
  'Home | World | Africa | Sahel | Opinion | Video | Podcasts',
  'Advertisement',
  A_HEADLINE,
  'Share on Facebook  Share on X  Share on WhatsApp  Copy link',
  A_DATELINE + A_PARAS[0],
  ...A_PARAS.slice(1, 4),
  'Read more: Mali junta postpones elections again, citing security',
  ...A_PARAS.slice(4),
  A_CREDIT,
  'Sign up for our newsletter to get the top stories from Africa delivered to your inbox every morning.',
  'Related stories: Burkina Faso army says it killed 100 militants | Niger closes border crossing after ambush',
  '© 2024 Sahel Daily Media Group. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.',
].join('\n\n');

// The same copy with the paragraph on the army's response dropped for length.
const A_DROPPED = [A_HEADLINE, A_DATELINE + A_PARAS[0], ...A_PARAS.slice(1, 6), ...A_PARAS.slice(7), A_CREDIT].join('\n\n');

// An update of the wire copy: a new toll, a rephrased attribution, a few house-style changes.
const A_EDITED = edit(A, [
  ['at least 31 villagers', 'at least 32 villagers'],
  ['killed at least 31 people', 'killed at least 32 people'],
  ['local officials and a community leader said', 'local officials said'],
  ['shortly after evening prayers', 'just after evening prayers'],
  ['more than twelve hours', 'more than 12 hours'],
  ['Aid workers said', 'Humanitarian workers said'],
]);

// A retyped copy: curly quotes, em dashes, non-breaking and thin spaces, hard line wraps, doubled
// spaces, a decomposed accent, a village name without its accent, "al-Qaeda" hyphenated and
// full-width digits in the toll.
const A_TYPOGRAPHY = edit(A, [
  ['(Faultline Wire) - ', '(Faultline Wire) \u2014 '],
  ["central Mali's Mopti", 'central Mali\u2019s\u00a0Mopti'],
  ['"They came from the east', '\u201cThey came from the east'],
  ['anyone who ran," Guindo said. "We have buried 31 people.', 'anyone who ran,\u201d Guindo said.  \u201cWe have buried \uff13\uff11 people.'],
  ['missing in the bush."', 'missing in the bush.\u201d'],
  ["al Qaeda's affiliate", 'al-Qaeda\u2019s affiliate'],
  ['a "cowardly and barbaric act"', 'a \u00ab\u00a0cowardly and barbaric act\u00a0\u00bb'],
  ['"tracked down wherever they are"', '\u201ctracked down wherever they are\u201d'],
  ['More than 4,000 people', 'More than 4\u202f000 people'],
  ['Mopti and Ségou', 'Mopti and Se\u0301gou'],
  ['fled Ouro-Néma', 'fled Ouro Nema'],
]).replace(/(.{60,72}) /g, '$1\n');

// All of it at once, as an aggregator might carry it: own headline and byline, boilerplate, a
// paragraph dropped, the credit cut and two words edited.
const A_REPUBLISHED = [
  'Advertisement',
  'Mali: at least 31 killed in attack on Mopti villages',
  'By Staff Reporter | 14 March 2024',
  'Share on Facebook  Share on X  Share on WhatsApp  Copy link',
  'MOPTI, Mali \u2014 ' + A_PARAS[0].replace('local officials and a community leader said', 'officials said'),
  ...A_PARAS.slice(1, 3),
  A_PARAS[3].replace('more than twelve hours', 'more than 12 hours'),
  'Read more: Mali junta postpones elections again, citing security',
  ...A_PARAS.slice(4, 6),
  ...A_PARAS.slice(7),
  'Sign up for our newsletter to get the top stories from Africa delivered to your inbox every morning.',
  '© 2024 Sahel Daily Media Group. All rights reserved.',
].join('\n\n');

// ---------------------------------------------------------------------------------------------
// Hard negatives for A.

// Another agency's story of the same raid: same actors, places and numbers, its own words.
const B = `Mali: 31 civilians shot dead in Mopti region, mayor says

MOPTI (Sahel Press Agency) - Armed men riding motorcycles stormed the villages of Ouro-Néma and Sériwala in the Mopti region of central Mali on Wednesday evening, shooting dead at least 31 civilians, torching granaries and stealing livestock, according to local authorities.

Amadou Guindo, mayor of the rural commune that includes both villages, told our correspondent that residents had gathered at the well after prayers when the assailants, numbering around eighty on some forty motorcycles, arrived from the east and started shooting.

"Everyone who tried to run was shot," he said, adding that 31 bodies had been buried and that several villagers were unaccounted for.

A Malian security official gave a higher toll of 34 dead. Soldiers only arrived on Thursday morning, the official said, more than twelve hours after the gunmen had left.

The raid has not been claimed. The al Qaeda-linked JNIM, which has blockaded towns along the Mopti-Burkina Faso road for the past year, operates in the area, as do self-defence militias recruited among local communities.

In a communique broadcast on national television, the transitional authorities denounced the killings as cowardly and barbaric and promised that those responsible would be hunted down. The military said it had arrested two suspects near Bankass and deployed additional troops to the area.

Thousands of residents of central Mali have fled their homes since the start of the year. Many of the survivors of Wednesday's attack set out on foot for Bankass, 25 kilometres to the south, where a displacement camp is already overcrowded, humanitarian sources said.`;

// The next day's follow-up: new reporting, and A's background paragraph on ACLED carried over.
const C = `Death toll from central Mali village raid rises to 38

BAMAKO, March 15 (Faultline Wire) - The death toll from an attack on two villages in central Mali rose to 38 on Friday after searchers found the bodies of seven people who had fled into the bush, the mayor of the local commune said, as the government declared three days of national mourning.

Amadou Guindo, the mayor, said the bodies of four women and three children had been found about five kilometres from Ouro-Néma, where gunmen on motorbikes opened fire on residents on Wednesday evening.

"They were hiding from the shooting and they were found and killed," Guindo told Faultline Wire. "The families are too afraid to go back for the harvest."

Flags will fly at half-mast on public buildings until Monday, the government spokesman said in a decree read on state television on Friday evening. Interim President Assimi Goita visited wounded survivors at the hospital in Mopti, state broadcaster ORTM showed.

${A_PARAS[7]}

The United Nations humanitarian office said on Friday that about 2,300 people had arrived in Bankass since the attack and that water and shelter were the most urgent needs. It appealed for funds, saying its plan for Mali this year was less than a fifth funded.

(Reporting by Moussa Keita; Editing by Tom Hargreave)`;

// Two stories from one outlet's template, "X killed in attack on Y", in one country: the same
// lead construction and the same two background paragraphs, with different incidents.
const TEMPLATE_BACKGROUND = [
  'The attack has not been claimed. Burkina Faso has been fighting an insurgency by groups linked to al Qaeda and Islamic State since 2015 that has killed thousands of people and forced more than two million from their homes.',
  'The military government, which seized power in two coups in 2022, has vowed to retake all territory lost to the insurgents and has recruited tens of thousands of civilian volunteers to fight alongside the army.',
];
const T1 = [
  'Six soldiers killed in attack on army post in northern Burkina Faso',
  'OUAGADOUGOU, May 2 (Faultline Wire) - Six soldiers were killed and nine wounded in an attack on an army post in Djibo in northern Burkina Faso on Tuesday, the army said in a statement on Wednesday.',
  'The attackers, who arrived in pick-up trucks before dawn, were repelled after several hours of fighting with the support of the air force, the statement said, adding that dozens of assailants had been killed.',
  'A resident of Djibo said the town had been without mobile network since the attack and that the road to Ouagadougou remained closed.',
  ...TEMPLATE_BACKGROUND,
].join('\n\n');
const T2 = [
  'Four gendarmes killed in attack on convoy in eastern Burkina Faso',
  'OUAGADOUGOU, June 9 (Faultline Wire) - Four gendarmes were killed and two are missing after an attack on a supply convoy near Fada N\'Gourma in eastern Burkina Faso on Saturday, the security ministry said on Sunday.',
  'The convoy, which was carrying food and fuel to Kantchari, was ambushed by gunmen who had planted explosives on the road, the ministry said. Three lorries were burned.',
  'Transport unions in the east said drivers would refuse to travel without an escort until the government improved security on the national road.',
  ...TEMPLATE_BACKGROUND,
].join('\n\n');

// The same template cut down to briefs: a headline and a one-sentence lead each, the rest the
// shared background. The hardest negative here: more than half of each text is the same words.
const T1_BRIEF = [T1.split('\n\n')[0], T1.split('\n\n')[1], ...TEMPLATE_BACKGROUND].join('\n\n');
const T2_BRIEF = [T2.split('\n\n')[0], T2.split('\n\n')[1], ...TEMPLATE_BACKGROUND].join('\n\n');

// A's lede alone: a text contained in A but a small part of it.
const A_LEDE = A_PARAS[0];

// ---------------------------------------------------------------------------------------------
// Story E: an unrelated story, with one syndicated copy (a positive of its own).

const E_PARAS = [
  'A drone strike on a crowded livestock market in Sudan\'s North Kordofan state killed at least 19 people and wounded dozens on Saturday, a local rights group and a medical source said, blaming the paramilitary Rapid Support Forces (RSF).',
  'The strike hit the market in the town of Um Sumeima in the late morning, when traders from surrounding villages had brought sheep and camels for sale ahead of the religious holiday, the Kordofan Lawyers Network said in a statement.',
  'A doctor at the hospital in El Obeid, the state capital about 60 kilometres to the east, said 27 wounded people had been brought in by evening, several of them children, and that the hospital was short of blood and surgical supplies.',
  'The RSF, which has been at war with Sudan\'s army since April 2023, did not respond to a request for comment. It has previously denied targeting civilians and accused the army of carrying out air strikes on markets in areas under its control.',
  'Fighting has intensified in North Kordofan since the army broke the siege of El Obeid earlier this year, and both sides have increasingly relied on long-range drones to strike supply lines, fuel depots and, according to rights groups, civilian gatherings.',
  'The war has killed tens of thousands of people and uprooted more than 12 million, creating what the United Nations calls the world\'s largest displacement crisis. Famine has been confirmed in several areas of Darfur and Kordofan.',
];
const E = ['Drone strike on Sudan livestock market kills 19, rights group says', 'KHARTOUM, Aug 3 (Faultline Wire) - ' + E_PARAS[0], ...E_PARAS.slice(1)].join('\n\n');
const E_SYNDICATED = [
  'Sudan war: RSF drone kills 19 at market in North Kordofan',
  'Faultline Wire | 3 August 2024',
  'PORT SUDAN - ' + E_PARAS[0],
  ...E_PARAS.slice(1, 5),
  'Read more: What is behind the fighting in Sudan?',
  'Follow us on Telegram for live updates from the region.',
].join('\n\n');

// ---------------------------------------------------------------------------------------------
// Helpers

/** The exact Jaccard similarity of two texts' shingle sets (shingles() is sorted and distinct). */
function exactJaccard(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      both++;
      i++;
      j++;
    } else if (x[i] < y[j]) i++;
    else j++;
  }
  const union = x.length + y.length - both;
  return union === 0 ? 1 : both / union;
}

function sharedBands(a: Uint32Array, b: Uint32Array): number {
  const keys = new Set(bandKeys(a));
  return bandKeys(b).filter((k) => keys.has(k)).length;
}

const fmt = (x: number): string => x.toFixed(3);

// ---------------------------------------------------------------------------------------------
// Pairs

const positives: [string, string, string][] = [
  ['new headline, byline and dateline', A, A_REHEADLINED],
  ['boilerplate top, middle and bottom', A, A_BOILERPLATE],
  ['one paragraph dropped', A, A_DROPPED],
  ['a few words edited', A, A_EDITED],
  ['whitespace, quotes, dashes, accents, digits', A, A_TYPOGRAPHY],
  ['all of these at once', A, A_REPUBLISHED],
  ['two republications of A against each other', A_BOILERPLATE, A_REPUBLISHED],
  ['another story, syndicated with its end cut', E, E_SYNDICATED],
];

// maxShared: how many band keys the pair may share. None for these pairs: with 32 bands of 4 rows a
// pair of Jaccard 0.27 shares a key about 17% of the time and one under 0.1 under 0.3%, and none
// did. The briefs (exact 0.43) would share one about half the time, which is acceptable: the
// store's lookup proposes them and similarity() rejects them (they shared none with these seeds).
const negatives: [string, string, string, number][] = [
  ['another agency\'s story of the same raid', A, B, 0],
  ['the next day\'s follow-up reusing a paragraph', A, C, 0],
  ['a republication against the follow-up', A_BOILERPLATE, C, 0],
  ['two stories from one template', T1, T2, 0],
  ['two briefs from one template', T1_BRIEF, T2_BRIEF, 32],
  ['a lede against the story it opens', A_LEDE, A, 0],
  ['the headline against the story', A_HEADLINE, A, 0],
  ['unrelated stories', A, E, 0],
];

for (const [name, x, y] of positives) {
  test(`near-duplicate: ${name}`, (t) => {
    const sx = minhash(x);
    const sy = minhash(y);
    const est = similarity(sx, sy);
    const exact = exactJaccard(x, y);
    const shared = sharedBands(sx, sy);
    t.diagnostic(`estimated ${fmt(est)}, exact Jaccard ${fmt(exact)}, shared bands ${shared}/${BANDS}`);
    assert.ok(est >= NEAR_DUPLICATE_THRESHOLD, `estimated ${fmt(est)} is below the threshold`);
    assert.equal(isNearDuplicate(sx, sy), true);
    assert.equal(isNearDuplicate(sy, sx), true);
    assert.ok(shared >= 1, 'no band key in common: the index would not find the pair');
    assert.ok(Math.abs(est - exact) <= 0.1, `estimate ${fmt(est)} is far from the exact ${fmt(exact)}`);
  });
}

for (const [name, x, y, maxShared] of negatives) {
  test(`not a near-duplicate: ${name}`, (t) => {
    const sx = minhash(x);
    const sy = minhash(y);
    const est = similarity(sx, sy);
    const exact = exactJaccard(x, y);
    const shared = sharedBands(sx, sy);
    t.diagnostic(`estimated ${fmt(est)}, exact Jaccard ${fmt(exact)}, shared bands ${shared}/${BANDS}`);
    assert.ok(est < NEAR_DUPLICATE_THRESHOLD - 0.1, `estimated ${fmt(est)} is too close to the threshold`);
    assert.equal(isNearDuplicate(sx, sy), false);
    assert.equal(isNearDuplicate(sy, sx), false);
    assert.ok(shared <= maxShared, `${shared} band keys in common`);
    assert.ok(Math.abs(est - exact) <= 0.1, `estimate ${fmt(est)} is far from the exact ${fmt(exact)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Normalisation and shingles

test('normalisation: case, punctuation, typographic marks, accents and full-width digits do not matter', () => {
  const plain = 'the mayor of ouro nema said 31 people including 4000 from segou were killed in lodz';
  const fancy = 'The Mayor of “Ouro‑Néma” said ３１ people — including 4,000 from Se\u0301gou — were killed in Łódź!';
  assert.deepEqual(shingles(fancy), shingles(plain));
  assert.deepEqual(minhash(fancy), minhash(plain));
  // the retyped copy of story A has exactly the shingles of the original
  assert.deepEqual(shingles(A_TYPOGRAPHY), shingles(A));
  // a number grouped by a thin or no-break space is one word, a number after a plain space another
  assert.deepEqual(shingles('more than 4\u202f000 people and 12\u00a0500 others'), shingles('more than 4,000 people and 12.500 others'));
  assert.notDeepEqual(shingles('in 2020 32 people were killed'), shingles('in 202032 people were killed'));
  // digits are words: a changed number is a changed text
  assert.notDeepEqual(shingles(plain.replace('31', '32')), shingles(plain));
  // apostrophes join: "Mali's" and "Mali’s" are one word, as is "Malis"
  assert.deepEqual(shingles("in central Mali's Mopti region today"), shingles('in central Mali\u2019s Mopti region today'));
});

test('shingles: one per five-word window, distinct and sorted; word order matters', () => {
  const s = shingles('one two three four five six seven');
  assert.equal(s.length, 3);
  for (let i = 1; i < s.length; i++) assert.ok(s[i - 1] < s[i]);
  // a repeated phrase gives its shingles once
  assert.equal(shingles('a b c d e a b c d e').length, 5);
  assert.notDeepEqual(shingles('army kills rebels in the north'), shingles('rebels kill army in the north'));
});

test('short texts: fewer than five words make one shingle; no words make none', (t) => {
  assert.equal(shingles('Gunmen kill 31').length, 1);
  assert.equal(shingles('  ...  ').length, 0);
  assert.deepEqual(shingles('Gunmen kill 31!'), shingles('gunmen  KILL 31'));
  const empty = minhash('');
  assert.equal(empty.length, SIGNATURE_SIZE);
  assert.ok(empty.every((v) => v === 0xffffffff));
  assert.equal(isNearDuplicate(empty, minhash(' -- ')), false, 'two empty texts are not duplicates of anything');
  // identical short texts are duplicates; one changed word in a short text leaves nothing in common
  assert.equal(isNearDuplicate(minhash('Gunmen kill 31'), minhash('GUNMEN KILL 31.')), true);
  const short = 'Gunmen killed at least 31 people in two villages in central Mali on Wednesday.';
  const shortEdited = short.replace('31', '32');
  const est = similarity(minhash(short), minhash(shortEdited));
  t.diagnostic(`14-word sentence with one number changed: estimated ${fmt(est)}, exact ${fmt(exactJaccard(short, shortEdited))}`);
  assert.ok(est < 0.6);
});

// ---------------------------------------------------------------------------------------------
// Signatures, band keys, text form

test('minhash is deterministic and has the documented shape', () => {
  assert.equal(BANDS * ROWS, SIGNATURE_SIZE);
  const s1 = minhash(A);
  const s2 = minhash(A.slice());
  assert.ok(s1 instanceof Uint32Array);
  assert.equal(s1.length, SIGNATURE_SIZE);
  assert.deepEqual(s1, s2);
  assert.equal(similarity(s1, s2), 1);
  const keys = bandKeys(s1);
  assert.equal(keys.length, BANDS);
  assert.deepEqual(keys, bandKeys(s2));
  keys.forEach((k, i) => assert.match(k, new RegExp(`^${String(i).padStart(2, '0')}:[0-9a-f]{8}$`)));
  assert.equal(new Set(keys).size, BANDS);
});

const PINNED_VALUES = [97887015, 316300721, 465272858, 483628712];
const PINNED_KEYS = ['00:d63cc5d8', '01:02e2a3a7'];
test('minhash is pinned: the same values on every run and machine', () => {
  // If this fails the hashing or normalisation changed, and every stored signature and band key
  // must be recomputed.
  const sig = minhash('Gunmen on motorbikes killed at least 31 people in two villages in central Mali.');
  assert.deepEqual(Array.from(sig.subarray(0, 4)), PINNED_VALUES);
  assert.deepEqual(bandKeys(sig).slice(0, 2), PINNED_KEYS);
});

test('encodeSignature / decodeSignature round trip', () => {
  for (const text of [A, E, 'Gunmen kill 31', '']) {
    const sig = minhash(text);
    const enc = encodeSignature(sig);
    assert.equal(enc.length, 684);
    assert.match(enc, /^[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(decodeSignature(enc), sig);
  }
  // little-endian bytes, whatever the machine
  const sig = new Uint32Array(SIGNATURE_SIZE);
  sig[0] = 0x04030201;
  assert.equal(encodeSignature(sig).slice(0, 8), Buffer.from([1, 2, 3, 4, 0, 0]).toString('base64'));
});

test('decodeSignature rejects malformed values with a clear message', () => {
  const good = encodeSignature(minhash(A));
  assert.throws(() => decodeSignature(''), /expected 684 base64 characters \(128 32-bit values\), got 0/);
  assert.throws(() => decodeSignature(good.slice(0, 680)), /expected 684 base64 characters .*got 680/);
  assert.throws(() => decodeSignature(good + 'AAAA'), /got 688/);
  assert.throws(() => decodeSignature('!' + good.slice(1)), /not base64/);
  assert.throws(() => decodeSignature(good.slice(0, 100) + ' ' + good.slice(101)), /not base64/);
  assert.throws(() => decodeSignature(good.slice(0, 682) + '=A'), /not base64/);
  assert.throws(() => decodeSignature(null as unknown as string), /expected a string, got null/);
  assert.throws(() => encodeSignature(new Uint32Array(64)), /expected a Uint32Array of 128 values, got 64 values/);
  assert.throws(() => similarity(new Uint32Array(SIGNATURE_SIZE), new Uint32Array(3)), /got 3 values/);
  assert.throws(() => bandKeys(new Uint32Array(0)), /bandKeys/);
});

// ---------------------------------------------------------------------------------------------
// Speed

test('a 400-word document is signed in well under a millisecond', (t) => {
  const words = A.split(/\s+/);
  const doc = [...words, ...words].slice(0, 400).join(' ');
  for (let i = 0; i < 50; i++) minhash(doc); // warm up the JIT
  const runs = 500;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) minhash(doc + (i % 2 === 0 ? '' : ' x'));
  const perDoc = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  t.diagnostic(`minhash of 400 words: ${perDoc.toFixed(3)} ms`);
  assert.ok(perDoc < 1, `${perDoc.toFixed(3)} ms a document`);
});
