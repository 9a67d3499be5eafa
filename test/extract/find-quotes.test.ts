// findQuotes through the real pipeline: where each quote starts and ends (without its marks), and
// who said it. Speakers are given as the surface form that names them in the text, so the test
// reads the entity id from the mention rather than hard-coding generated ids; `null` means the
// text gives no one the quote can be pinned on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, entityOf } from '../helpers/pipeline.js';
import type { Extraction } from '../../src/model/contract.js';

type Quote = Extraction['quotes'][number];

const MARKS = /^["'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb]|["'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb]$/;

/** The quoted words without the punctuation a closing mark leaves behind ("...Bakhmut,”). */
const words = (q: Quote) => q.text.replace(/[\s,.;:!?]+$/, '');

/** Every quote gives back its text from its offsets, carries no quote marks, and has evidence inside the text. */
function checkSpans(text: string, x: Extraction) {
  for (const q of x.quotes) {
    assert.equal(text.slice(q.start, q.end), q.text, `offsets of ${JSON.stringify(q)}`);
    assert.ok(!MARKS.test(q.text), `quote marks kept in ${JSON.stringify(q.text)}`);
    assert.ok(q.evidence.length > 0, `no evidence for ${q.id}`);
    for (const e of q.evidence) assert.ok(e.start >= 0 && e.start < e.end && e.end <= text.length, `evidence ${JSON.stringify(e)} outside the text`);
    if (q.speaker) assert.ok(x.entities.some((e) => e.id === q.speaker), `speaker ${q.speaker} is not an entity`);
  }
}

function quoteOf(x: Extraction, said: string): Quote {
  const q = x.quotes.find((qq) => words(qq) === said);
  assert.ok(q, `no quote "${said}" in ${JSON.stringify(x.quotes.map((qq) => [qq.text, qq.speaker]))}`);
  return q;
}

function speakerId(x: Extraction, surface: string): string {
  const e = entityOf(x, surface);
  assert.ok(e, `"${surface}" is not linked to an entity: ${JSON.stringify(x.mentions.map((m) => [m.text, m.entity]))}`);
  return e.id;
}

// [text, quoted words, speaker's surface form or null, todo reason if the method misses it]
const cases: [string, string, string | null, string?][] = [
  // "X said" after the quote
  ['“We will not withdraw from Bakhmut,” Ukrainian commander Oleksandr Syrskyi said on Tuesday.', 'We will not withdraw from Bakhmut', 'Oleksandr Syrskyi'],
  // "said X" after the quote, an apposition after the name
  ['“The airport is under our control,” said Mohamed Hamdan Dagalo, the RSF commander.', 'The airport is under our control', 'Mohamed Hamdan Dagalo'],
  // ", he said" resolved to the person named earlier in the paragraph
  ['Sudanese army spokesman Nabil Abdallah said the army had retaken the bridge. “The militia fled towards Omdurman,” he said.', 'The militia fled towards Omdurman', 'Nabil Abdallah'],
  ['Houthi spokesman Mohammed Abdulsalam spoke in Sanaa on Monday. “Our operations in the Red Sea will continue until the siege of Gaza ends,” he said.', 'Our operations in the Red Sea will continue until the siege of Gaza ends', 'Mohammed Abdulsalam'],
  // a surname later in the paragraph, another president named in between
  ['Ukrainian President Volodymyr Zelensky met Polish President Andrzej Duda in Warsaw. “Russia wants to destroy us,” Zelensky said.', 'Russia wants to destroy us', 'Volodymyr Zelensky'],
  // "they said" points back to a group
  ['The Houthis claimed the attack on the tanker. “The ship was bound for Israel,” they said.', 'The ship was bound for Israel', 'Houthis'],
  // "according to X" before the quote
  ['According to Save the Children, “more than 14,000 children have been killed in Gaza.”', 'more than 14,000 children have been killed in Gaza', 'Save the Children'],
  // "according to X" after the quote
  ['“Civilians in El Fasher are being starved,” according to the World Food Programme.', 'Civilians in El Fasher are being starved', 'World Food Programme'],
  ['“Civilians in El Fasher are being starved,” according to Volker Türk, the UN human rights chief.', 'Civilians in El Fasher are being starved', 'Volker Türk'],
  // "X told reporters: “...”"
  ['Colombian President Gustavo Petro told reporters: “The ELN must choose between peace and war.”', 'The ELN must choose between peace and war', 'Gustavo Petro'],
  // a document speaks for the body whose report it is
  ['A UN Panel of Experts report published in January examined arms flows to Sudan. “The Rapid Support Forces received weapons through Chad,” the report said.', 'The Rapid Support Forces received weapons through Chad', 'UN Panel of Experts'],
  // a state body as speaker
  ['Ukraine’s foreign ministry said: “Russia continues to violate international humanitarian law.”', 'Russia continues to violate international humanitarian law', 'Ukraine’s foreign ministry'],
  ['Russia’s defence ministry said: “Our forces have liberated Avdiivka.”', 'Our forces have liberated Avdiivka', 'Russia’s defence ministry'],
  ['“Pyongyang has fired more than 20 missiles this year,” the South Korean military said.', 'Pyongyang has fired more than 20 missiles this year', 'South Korean military'],
  // an acronym introduced by its long form earlier in the paragraph speaks for that body, not a namesake
  ['North Korea fired a ballistic missile on Thursday, South Korea’s Joint Chiefs of Staff said. “The missile flew about 600 kilometres,” the JCS said.', 'The missile flew about 600 kilometres', 'South Korea’s Joint Chiefs of Staff'],
  // straight quotes, speaker after and before
  ['"We are ready to negotiate," said Somali Prime Minister Hamza Abdi Barre.', 'We are ready to negotiate', 'Hamza Abdi Barre'],
  ['Somali President Hassan Sheikh Mohamud said: "Al-Shabaab will be defeated this year."', 'Al-Shabaab will be defeated this year', 'Hassan Sheikh Mohamud'],
  ['Colombian Defence Minister Ivan Velasquez said "the dissidents are recruiting children in Cauca," adding that the army would respond.', 'the dissidents are recruiting children in Cauca', 'Ivan Velasquez'],
  // short scare-quoted phrases with a named speaker in the sentence
  ['Kremlin spokesman Dmitry Peskov dismissed the talks as “so-called peace efforts” on Monday.', 'so-called peace efforts', 'Dmitry Peskov'],
  ['Armenian Prime Minister Nikol Pashinyan called the CSTO a “threat to our sovereignty” on Friday.', 'threat to our sovereignty', 'Nikol Pashinyan'],
  ['UN envoy Hans Grundberg warned of “a return to full-scale war” in Yemen.', 'a return to full-scale war', 'Hans Grundberg'],
  // the speaker is the person, not the capital standing for the state inside the quote's clause
  ['Azerbaijan’s President Ilham Aliyev said on Tuesday that Baku “will not tolerate provocations” in Karabakh.', 'will not tolerate provocations', 'Ilham Aliyev'],
  // a pronoun with no person before it: nobody to pin the quote on, and a group is not "he"
  ['“They came at night and burned everything,” he said.', 'They came at night and burned everything', null],
  ['Al-Shabaab claimed the attack on the Mogadishu hotel. “We will continue,” he said.', 'We will continue', null],
];

for (const [text, said, speaker, todo] of cases) {
  test(`findQuotes: ${text}`, todo ? { todo } : {}, () => {
    const x = extract(text, '2024-06-01');
    checkSpans(text, x);
    const q = quoteOf(x, said);
    if (speaker === null) assert.equal(q.speaker, undefined, `expected no speaker, got ${q.speaker}`);
    else assert.equal(q.speaker, speakerId(x, speaker), `speaker of "${said}"`);
  });
}

test('findQuotes: a quote without attribution continues the speaker before it in the paragraph', () => {
  const text = 'Yahya Saree, the Houthis’ military spokesman, said the group had targeted a vessel. “We struck the ship with two missiles,” he said. “Further operations will follow.”';
  const x = extract(text, '2024-06-01');
  checkSpans(text, x);
  const saree = speakerId(x, 'Yahya Saree');
  assert.equal(quoteOf(x, 'We struck the ship with two missiles').speaker, saree);
  assert.equal(quoteOf(x, 'Further operations will follow').speaker, saree);
});

test('findQuotes: a speaker named after the first quote also owns the one after it', () => {
  const text = '“Hamas will not disarm,” said Hamas official Osama Hamdan. “The occupation must end first.”';
  const x = extract(text, '2024-06-01');
  checkSpans(text, x);
  const hamdan = speakerId(x, 'Osama Hamdan');
  assert.equal(quoteOf(x, 'Hamas will not disarm').speaker, hamdan);
  assert.equal(quoteOf(x, 'The occupation must end first').speaker, hamdan);
});

test('findQuotes: "he said" in the next paragraph still reaches the spokesman named just before', () => {
  const text = 'M23 spokesman Lawrence Kanyuka said the group had entered Goma.\n\n“We are here to protect the population,” he said.';
  const x = extract(text, '2025-01-28');
  checkSpans(text, x);
  assert.equal(quoteOf(x, 'We are here to protect the population').speaker, speakerId(x, 'Lawrence Kanyuka'));
});

test('findQuotes: a typographic single quote nested in a double quote is its own quote, same speaker', () => {
  const text = '“Our soldiers were told ‘hold the line at all costs’ by their commanders,” said Ukrainian sergeant Andriy Kovalenko.';
  const x = extract(text, '2024-02-20');
  checkSpans(text, x);
  const outer = quoteOf(x, 'Our soldiers were told ‘hold the line at all costs’ by their commanders');
  const inner = quoteOf(x, 'hold the line at all costs');
  assert.ok(outer.start < inner.start && inner.end < outer.end, 'the inner quote lies inside the outer one');
  assert.equal(text[inner.start - 1], '‘');
  assert.equal(text[inner.end], '’');
  assert.equal(outer.speaker, speakerId(x, 'Andriy Kovalenko'));
  assert.equal(inner.speaker, outer.speaker);
  assert.equal(x.quotes.length, 2);
});

test('findQuotes: a straight single quote nested in a straight double quote', () => {
  const text = '"The militia told us \'leave or die\' and then they burned the market," said Amina Yousif, a teacher from El Geneina.';
  const x = extract(text, '2023-06-20');
  checkSpans(text, x);
  const outer = quoteOf(x, "The militia told us 'leave or die' and then they burned the market");
  const inner = quoteOf(x, 'leave or die');
  assert.ok(outer.start < inner.start && inner.end < outer.end);
  assert.equal(outer.speaker, speakerId(x, 'Amina Yousif'));
  assert.equal(inner.speaker, outer.speaker);
});

test('findQuotes: an unknown full name is the speaker, not a known namesake of its surname', () => {
  const text = '"The militia told us \'leave or die\' and then they burned the market," said Abdel Rahman Musa, a teacher from El Geneina.';
  const x = extract(text, '2023-06-20');
  checkSpans(text, x);
  const q = quoteOf(x, "The militia told us 'leave or die' and then they burned the market");
  assert.equal(x.entities.find((e) => e.id === q.speaker)?.name, 'Abdel Rahman Musa');
});

test('findQuotes: a quote left open runs to the end of its paragraph, not into the next', () => {
  const text = 'Zaw Min Tun told state media on Sunday: “The army will defend Naypyidaw.\n\nFighting continued in Sagaing on Monday, residents said.';
  const x = extract(text, '2024-06-02');
  checkSpans(text, x);
  assert.equal(x.quotes.length, 1);
  const q = x.quotes[0];
  assert.equal(q.text, 'The army will defend Naypyidaw.');
  assert.equal(q.end, text.indexOf('\n\n'));
  assert.equal(q.speaker, speakerId(x, 'Zaw Min Tun'));
  assert.equal((q.attributes as Record<string, unknown> | undefined)?.unbalanced, true);
});

test('findQuotes: a quote left open at the end of the text runs to the end', () => {
  const text = 'Myanmar junta spokesman Zaw Min Tun said the army “will crush the terrorists in Sagaing and the resistance will never win';
  const x = extract(text, '2024-06-02');
  checkSpans(text, x);
  const q = quoteOf(x, 'will crush the terrorists in Sagaing and the resistance will never win');
  assert.equal(q.end, text.length);
  assert.equal(q.speaker, speakerId(x, 'Zaw Min Tun'));
});

test('findQuotes: text without quote marks has no quotes, apostrophes included', () => {
  const text = "Sudan's army said it had retaken the Jebel Aulia dam, and the RSF's commanders denied it.";
  const x = extract(text, '2024-06-01');
  assert.deepEqual(x.quotes, []);
});

test('findQuotes: the first evidence span covers the quote with its marks', () => {
  const text = '“We will not withdraw from Bakhmut,” Ukrainian commander Oleksandr Syrskyi said on Tuesday.';
  const x = extract(text, '2024-06-01');
  const q = quoteOf(x, 'We will not withdraw from Bakhmut');
  const ev = q.evidence[0];
  assert.equal(text[ev.start], '“');
  assert.equal(text[ev.end - 1], '”');
  assert.ok(ev.start < q.start && q.end < ev.end);
  // and the speaker's mention is cited too
  assert.ok(q.evidence.some((e) => text.slice(e.start, e.end) === 'Oleksandr Syrskyi'), JSON.stringify(q.evidence));
});
