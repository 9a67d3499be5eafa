// The tagger inside the mention stage, on realistic sentences: what it may decide (a small town's
// name used as a surname, a name the knowledge base lacks) and what it may not (a city the size
// of Goma stays the city). Also: the knowledge-base labels it reads at run time are the ones it
// was trained with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from '../../helpers/pipeline.js';
import { corpusGazetteer } from '../../../src/extract/ner/corpus-gazetteer.js';
import { gazetteerLabels } from '../../../src/extract/ner/gazetteer.js';
import { kbCandidates } from '../../../src/extract/find-mentions.js';
import { loadKnowledge } from '../../../src/knowledge/load.js';
import { createPipeline } from '../../../src/pipeline.js';
import { mentionStages } from '../../../src/cli/eval.js';

const mention = (x: ReturnType<typeof extract>, surface: string) => x.mentions.find((m) => m.text === surface);

test('a small town spelt like a surname is the person when the words around it say so', () => {
  const x = extract('Solana told reporters in Brussels on Monday that the EU mission would end.', '2009-06-01');
  assert.equal(mention(x, 'Solana')?.type, 'PERSON', JSON.stringify(x.mentions));
  assert.equal(mention(x, 'Brussels')?.type, 'LOCATION');
});

test('the same town after a place cue stays a place', () => {
  const x = extract('Fighting resumed near Bush, a town south of Cairo, on Sunday.', '2014-03-02');
  assert.equal(mention(x, 'Bush')?.type, 'LOCATION', JSON.stringify(x.mentions));
});

test('a large city at the start of a sentence stays the city, whatever the tagger reads', () => {
  const x = extract('Goma, the capital of North Kivu, fell to M23 in January.', '2025-02-01');
  const goma = mention(x, 'Goma');
  assert.equal(goma?.type, 'LOCATION', JSON.stringify(x.mentions));
  assert.match(String(goma?.entity), /^gn:/);
});

test('names the knowledge base lacks come from the tagger and are linked like any other', () => {
  const text = 'Trifko Grabež, a commander of the Zenica brigade, was seen in Łódź. Grabež later denied it.';
  const x = extract(text, '2024-04-02');
  const full = mention(x, 'Trifko Grabež');
  assert.equal(full?.type, 'PERSON', JSON.stringify(x.mentions));
  assert.equal(text.slice(full!.start, full!.end), 'Trifko Grabež');
  const later = x.mentions.find((m) => m.text === 'Grabež' && m.start > 40);
  assert.equal(later?.entity, full?.entity, 'the surname alone joins the full name');
  assert.equal(mention(x, 'Łódź')?.type, 'LOCATION');
});

test('the knowledge-base labels the tagger reads at run time are those it was trained with', () => {
  const { knowledge } = loadKnowledge();
  const words = 'Turkish President Recep Tayyip Erdogan met Taliban envoys in Ankara and Mersin on Tuesday .'.split(' ');
  // the mention stage's tokens for the same words joined by spaces
  const pipeline = createPipeline({ stages: mentionStages().filter((s) => s.name === 'segment' || s.name === 'tokenize'), tagger: false });
  const doc = pipeline.run({ id: 'kb-labels', text: words.join(' ') });
  const tokens = doc.layers.tokens ?? [];
  assert.deepEqual(tokens.map((t) => t.text), words);
  const runTime = gazetteerLabels(tokens.length, kbCandidates(doc.text, tokens, knowledge));
  const training = corpusGazetteer(knowledge)(words, tokens.map((t) => t.pos));
  assert.deepEqual(runTime, training);
  const at = (w: string) => training[words.indexOf(w)];
  assert.equal(at('Turkish'), 'B-NATIONALITY');
  assert.equal(at('Recep'), 'B-PERSON');
  assert.equal(at('Erdogan'), 'I-PERSON');
  assert.equal(at('Taliban'), 'B-ORGANIZATION');
  assert.equal(at('Ankara'), 'B-LOCATION/city');
  assert.equal(at('envoys'), undefined);
});

test('a hyphenated first name the knowledge base lacks stays one name', () => {
  const text = 'Jean-Pierre Lacroix, the head of UN peacekeeping, flew to Goma. Lacroix met the governor.';
  const x = extract(text, '2025-02-03');
  const full = mention(x, 'Jean-Pierre Lacroix');
  assert.equal(full?.type, 'PERSON', JSON.stringify(x.mentions));
  assert.ok(!x.mentions.some((m) => m.text === 'Jean'), 'no name ends at the hyphen');
  const later = x.mentions.find((m) => m.text === 'Lacroix' && m.start > 40);
  assert.equal(later?.entity, full?.entity);
});
