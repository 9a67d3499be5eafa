// The rules that join an unknown name to an earlier identity: the same name is never enough for
// a person or an organisation; a different country always keeps them apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseCandidate, decideJoin, mayJoin, nameKey, type Candidate, type EntityContext } from '../../src/resolve/identity.js';

const ctx = (over: Partial<EntityContext>): EntityContext => ({ name: 'Ahmad Shah Noorzai', type: 'PERSON', countries: [], roleTitles: [], coMentioned: new Map(), ...over });
const cand = (over: Partial<Candidate>): Candidate => ({ ...ctx({}), entityId: 'x:person:ahmad-shah-noorzai:aaaa', documents: 1, ...over });
const taliban = new Map([['kb:taliban', 'ORGANIZATION'], ['geo:AF', 'LOCATION'], ['geo:AF.10', 'LOCATION']]);

test('a person joins on actors named in both reports, and says which', () => {
  const d = decideJoin(ctx({ coMentioned: taliban }), cand({ coMentioned: new Map([['kb:taliban', 'ORGANIZATION'], ['geo:AF', 'LOCATION']]) }));
  assert.equal(d.join, true);
  assert.match(d.reason, /actors named in both: kb:taliban/);
  assert.match(d.reason, /places named in both: geo:AF/);
});

test('hard negatives: a shared country alone, a shared place alone, a one-word name, differing countries', () => {
  assert.equal(decideJoin(ctx({ coMentioned: new Map([['geo:PK', 'LOCATION']]) }), cand({ coMentioned: new Map([['geo:PK', 'LOCATION']]) })).join, false);
  assert.equal(decideJoin(ctx({ countries: ['PK'] }), cand({ countries: ['PK'] })).join, false);
  assert.equal(decideJoin(ctx({ name: 'Bush', coMentioned: taliban }), cand({ name: 'Bush', coMentioned: taliban })).join, false);
  assert.equal(mayJoin({ name: 'Bush', type: 'PERSON' }), false);
  assert.equal(mayJoin({ name: 'George W. Bush', type: 'PERSON' }), true);
  const apart = decideJoin(ctx({ countries: ['AF'], coMentioned: taliban }), cand({ countries: ['PK'], coMentioned: taliban }));
  assert.equal(apart.join, false);
  assert.match(apart.reason, /countries differ \(AF vs PK\)/);
  assert.equal(decideJoin(ctx({}), cand({ type: 'ORGANIZATION' })).join, false);
});

test('the same role joins a person without other shared context; kinds of thing join by name', () => {
  assert.equal(decideJoin(ctx({ roleTitles: ['Prime Minister'] }), cand({ roleTitles: ['prime minister'] })).join, true);
  assert.equal(decideJoin(ctx({ name: 'T-72', type: 'MILITARY_PLATFORM' }), cand({ name: 'T-72', type: 'MILITARY_PLATFORM' })).join, true);
});

test('organisations: a two-word name joins on a shared place, a one-word name needs two actors', () => {
  const org = (name: string, co: Map<string, string>) => ctx({ name, type: 'ORGANIZATION', coMentioned: co });
  const orgC = (name: string, co: Map<string, string>) => cand({ name, type: 'ORGANIZATION', coMentioned: co, entityId: 'x:organization:o:bbbb' });
  const place = new Map([['geo:IQ', 'LOCATION']]);
  assert.equal(decideJoin(org('Iraqi police', place), orgC('Iraqi police', place)).join, true);
  assert.equal(decideJoin(org('Congress', place), orgC('Congress', place)).join, false);
  const two = new Map([['kb:a', 'ORGANIZATION'], ['kb:b', 'PERSON']]);
  assert.equal(decideJoin(org('Congress', two), orgC('Congress', two)).join, true);
});

test('the best candidate: highest score, then most documents, then id', () => {
  const strong = cand({ entityId: 'x:b', documents: 1, roleTitles: ['Commander'], coMentioned: taliban });
  const weak = cand({ entityId: 'x:a', documents: 9, coMentioned: new Map([['kb:taliban', 'ORGANIZATION'], ['geo:AF', 'LOCATION']]) });
  const best = chooseCandidate(ctx({ roleTitles: ['Commander'], coMentioned: taliban }), [weak, strong]);
  assert.equal(best?.candidate.entityId, 'x:b');
  assert.equal(chooseCandidate(ctx({}), [weak, strong]), undefined);
  assert.equal(nameKey('The Islamic State'), 'islamic state');
  assert.equal(nameKey('al-Shabaab'), 'shabaab');
});
