// The store's behaviour on both backends: one set of tests, run against a SQLite file and a
// PostgreSQL schema. Documents go through the real pipeline; every answer is checked against
// the words of the reports.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from '../helpers/pipeline.js';
import { BACKENDS, makeStore, type TestStore } from '../helpers/stores.js';
import { islamicStateNames, ahmadShah, wire, strength, type StoreDoc } from '../fixtures/store-docs.js';
import type { Store } from '../../src/store/store.js';
import { ExtractionSchema } from '../../src/model/contract.js';

async function put(store: Store, d: StoreDoc) {
  return store.putDocument({ text: d.text, published: d.published, source: d.source, externalId: d.id }, extract(d.text, d.published, d.id));
}

/** A clock that ticks a second a call, so timestamps are the same on every run. */
function fixedClock() {
  let t = Date.UTC(2026, 0, 1);
  return () => new Date((t += 1000)).toISOString();
}

for (const { backend, skip } of BACKENDS) {
  describe(`store on ${backend}`, { skip }, () => {
    let ts: TestStore;
    let store: Store;
    before(async () => {
      ts = await makeStore(backend, fixedClock());
      store = ts.store;
    });
    after(async () => ts?.cleanup());

    test('a document is stored with all its facts, and its evidence slices its text', async () => {
      const d = islamicStateNames[0];
      const out = await put(store, d);
      assert.equal(out.status, 'stored');
      assert.match(out.id, /^d[0-9a-f]{16}$/);
      const got = await store.document(out.id);
      assert.ok(got);
      assert.equal(got.text, d.text);
      assert.deepEqual(got.sources, [{ source: d.source, externalId: d.id }]);
      const x = ExtractionSchema.parse(got.extraction);
      assert.equal(x.document.id, out.id);
      assert.ok(x.events.length >= 1 && x.mentions.length >= 4);
      for (const m of x.mentions) assert.equal(d.text.slice(m.start, m.end), m.text);
      const events = await store.events({ document: out.id });
      assert.equal(events.total, x.events.length);
      for (const e of events.items) assert.equal(d.text.slice(e.evidence.start, e.evidence.end), e.evidence.text);
      assert.equal(await store.document('d0000000000000000'), undefined);
    });

    test('one entity for a knowledge-base actor under three names, with why each name matched', async () => {
      for (const d of islamicStateNames.slice(1)) assert.equal((await put(store, d)).status, 'stored');
      for (const name of ['Daesh', 'ISIL', 'islamic state', 'kb:islamic-state']) {
        const dossier = await store.dossier(name);
        assert.equal(dossier.entity.id, 'kb:islamic-state', name);
        assert.equal(dossier.documents.total, 3, name);
      }
      const d = await store.dossier('Daesh');
      const names = new Map(d.aliases.map((a) => [a.text, a]));
      assert.equal(names.get('Daesh')?.documents, 1);
      assert.equal(names.get('ISIL')?.documents, 1);
      assert.ok(names.get('Islamic State'));
      assert.ok(names.get('Daesh')!.why.some((w) => w.includes('kb')), JSON.stringify(names.get('Daesh')));
      // its events across the three reports, each with its own words
      assert.ok(d.events.total >= 3, `events: ${d.events.total}`);
      assert.ok(d.events.items.some((e) => /bombing in Baghdad/.test(e.evidence.text)));
      assert.ok(d.events.items.some((e) => /ISIL fighters attacked/.test(e.evidence.text)));
      // the raid names the US forces as the attacker and the group as the target
      const raid = d.events.items.find((e) => e.participants.some((p) => p.id === 'kb:us-armed-forces'));
      assert.ok(raid, 'the Raqqa raid');
      assert.equal(raid.document.source, islamicStateNames[2].source);
      assert.deepEqual(raid.participants.map((p) => `${p.role}:${p.id}`).sort(), ['source:kb:us-armed-forces', 'target:kb:islamic-state']);
      await assert.rejects(store.dossier('Hezbollah'), /no entity named "Hezbollah"/);
    });

    test('two men of one name stay apart unless the reports share context; merges say why and undo', async () => {
      await put(store, ahmadShah.commanderAttack);
      await put(store, ahmadShah.umpire);
      await put(store, ahmadShah.commanderKilled);
      const matches = await store.findEntities('Ahmad Shah Noorzai');
      assert.equal(matches.length, 2, JSON.stringify(matches));
      const [commander, umpire] = matches; // ranked by documents: the commander is in two
      assert.equal(commander.documents, 2);
      assert.equal(umpire.documents, 1);
      const d = await store.dossier('Ahmad Shah Noorzai');
      assert.equal(d.entity.id, commander.id);
      const auto = d.merges.find((m) => m.kind === 'auto' && !m.undone);
      assert.ok(auto, 'the join is recorded');
      assert.match(auto.reason, /same name "Ahmad Shah Noorzai"/);
      assert.match(auto.reason, /kb:taliban/);
      assert.deepEqual(d.otherMatches.map((o) => o.id), [umpire.id]);
      const u = await store.dossier(umpire.id);
      assert.equal(u.documents.total, 1);
      assert.ok(u.documents.items[0].source === ahmadShah.umpire.source);

      // an analyst merges the umpire in by mistake, and takes it back
      const m = await store.merge(umpire.id, commander.id, 'test: wrong on purpose');
      assert.equal((await store.findEntities('Ahmad Shah Noorzai')).length, 1);
      assert.equal((await store.dossier(commander.id)).documents.total, 3);
      await store.undo(m);
      assert.equal((await store.findEntities('Ahmad Shah Noorzai')).length, 2);
      await assert.rejects(store.undo(m), /already undone/);

      // a split takes one report's man out of the joined identity; undoing it joins them again
      const killed = (await store.dossier(commander.id)).documents.items.find((x) => x.source === ahmadShah.commanderKilled.source)!;
      const s = await store.split(commander.id, killed.id, 'test: split');
      assert.equal((await store.findEntities('Ahmad Shah Noorzai')).length, 3);
      await store.undo(s);
      assert.equal((await store.findEntities('Ahmad Shah Noorzai')).length, 2);
      // the automatic join itself can be undone, and done again by hand
      await store.undo(auto.id);
      assert.equal((await store.findEntities('Ahmad Shah Noorzai')).length, 3);
      assert.deepEqual((await store.merges(commander.id)).find((x) => x.id === auto.id)?.undone, true);
      const ids = (await store.findEntities('Ahmad Shah Noorzai')).map((x) => x.id).filter((x) => x !== umpire.id && x !== commander.id);
      assert.equal(ids.length, 1);
      await store.merge(ids[0], commander.id, 'test: join again');
      assert.equal((await store.findEntities('Ahmad Shah Noorzai')).length, 2);
      await assert.rejects(store.merge(commander.id, 'kb:taliban', 'x'), /PERSON.*ORGANIZATION|only entities of one type/);
      await assert.rejects(store.merge('kb:nobody', commander.id, 'x'), /no entity "kb:nobody"/);
      const listed = await store.merges(commander.id);
      assert.ok(listed.some((x) => x.kind === 'manual' && x.undone && x.moved === 1));
    });

    test('an exact duplicate is stored once, with its second source; storing again changes nothing', async () => {
      const before = await store.stats();
      const again = await put(store, islamicStateNames[0]);
      assert.equal(again.status, 'duplicate');
      const elsewhere = await store.putDocument({ text: islamicStateNames[0].text, source: 'mirror/baghdad.html', url: 'https://mirror.example/baghdad' }, extract(islamicStateNames[0].text));
      assert.equal(elsewhere.status, 'duplicate');
      assert.equal(elsewhere.id, again.id);
      assert.deepEqual(await store.stats(), before);
      const doc = await store.document(again.id);
      assert.equal(doc!.sources.length, 2);
      assert.equal(await store.findText(islamicStateNames[0].text), again.id);
    });

    test('a near-duplicate is linked to its story and counted once in every aggregate', async () => {
      const a = await put(store, wire.original);
      const b = await put(store, wire.copy);
      assert.equal(a.status, 'stored');
      assert.equal(b.status, 'near-duplicate');
      assert.ok(b.status === 'near-duplicate' && b.of === a.id && b.similarity >= 0.55);
      const s = await store.stats();
      assert.equal(s.documents - s.stories, 1);
      const kenya = await store.dossier('Kenya');
      assert.equal(kenya.documents.total, 1, 'two copies of one story');
      const call = kenya.events.items.filter((e) => e.type === 'REQUEST');
      assert.equal(call.length, 1);
      assert.equal(call[0].copies, 1);
      assert.equal(call[0].document.id, a.id);
      const fardc = await store.dossier('kb:fardc');
      const member = fardc.relations.find((r) => r.type === 'MEMBER_OF' && r.target.id === 'geo:CD');
      assert.equal(member?.documents, 1);
      const hits = await store.search('Goma peacekeeping');
      assert.deepEqual(hits.items.map((h) => h.id), [a.id]);
    });

    test('claims about one group from two sources disagree, side by side', async () => {
      await put(store, strength.un);
      await put(store, strength.paper);
      const claims = await store.claims('ISKP', 'strength');
      assert.equal(claims.length, 2);
      const un = claims.find((c) => c.min === 4000)!;
      assert.equal(un.max, 6000);
      assert.equal(un.source?.id, 'kb:un-monitoring-team');
      assert.equal(strength.un.text.includes(un.evidence.text), true);
      const all = await store.contradictions();
      const c = all.find((x) => x.subject.id === 'kb:iskp' && x.property === 'strength');
      assert.ok(c, JSON.stringify(all));
      assert.deepEqual([c.a.min ?? c.a.value, c.b.min ?? c.b.value].sort(), [1500, 4000]);
      assert.ok(c.gap > 0.3 && c.gap < 1, String(c.gap));
      const d = await store.dossier('Islamic State Khorasan Province');
      assert.equal(d.contradictions.length, 1);
      // the same source revising its own figure is not a contradiction; two numbers that agree are not either
      assert.equal(all.filter((x) => x.subject.id === 'kb:iskp').length, 1);
    });

    test('search ranks documents and returns passages with highlight offsets; dates filter', async () => {
      const r = await store.search('bombing Baghdad');
      assert.equal(r.total, 1);
      const hit = r.items[0];
      assert.equal(hit.title, undefined);
      assert.ok(hit.highlights.length >= 2);
      for (const h of hit.highlights) assert.match(hit.snippet.slice(h.start, h.end), /^(bombing|Baghdad)$/i);
      assert.equal((await store.search('"army outpost"')).total, 1);
      assert.equal((await store.search('outpost OR Raqqa')).total, 2);
      assert.equal((await store.search('Taliban -cricket')).items.some((h) => h.source === ahmadShah.umpire.source), false);
      assert.equal((await store.search('Islamic', { from: '2024-03-10' })).items.every((h) => (h.published ?? '') >= '2024-03-10'), true);
      const old = await store.search('Islamic', { to: '2023-12' });
      assert.equal(old.total, 2);
      assert.ok(old.items.every((h) => (h.published ?? '') <= '2023-12-31'));
      assert.equal((await store.search('"; drop table documents; --')).total, 0);
      assert.equal((await store.search('')).total, 0);
    });

    test('events filter by actor, type, dates and distance from a place', async () => {
      const byActor = await store.events({ actor: 'Taliban', type: 'ASSAULT' });
      assert.ok(byActor.total >= 2);
      assert.ok(byActor.items.every((e) => e.type === 'ASSAULT' && e.participants.some((p) => p.id === 'kb:taliban')));
      const march = await store.events({ actor: 'Taliban', from: '2024-03-01', to: '2024-03-31' });
      assert.ok(march.items.length >= 1 && march.items.every((e) => (e.date.start ?? '') < '2024-04'));
      const near = await store.events({ near: 'Lashkar Gah', km: 30 });
      assert.ok(near.total >= 1);
      assert.ok(near.items.every((e) => e.location && (e.location.km ?? 99) <= 30), JSON.stringify(near.items.map((e) => e.location)));
      const farther = await store.events({ near: 'Baghdad', km: 150 });
      assert.ok(farther.items.some((e) => e.location?.id === 'geo:IQ.01'), 'Anbar is within 150 km of Baghdad');
      assert.ok(farther.items.every((e) => (e.location?.km ?? 999) <= 150));
      await assert.rejects(store.events({ near: 'Atlantis' }), /no place named "Atlantis"/);
      const page = await store.events({ limit: 2 });
      const next = await store.events({ limit: 2, offset: 2 });
      assert.equal(page.items.length, 2);
      assert.notDeepEqual(page.items.map((e) => e.id), next.items.map((e) => e.id));
      for (let i = 1; i < page.items.length; i++) assert.ok((page.items[i - 1].date.start ?? '') >= (page.items[i].date.start ?? ''));
    });

    test('the ego network has typed, signed edges with the stories behind each', async () => {
      const g = await store.graph('Taliban');
      assert.equal(g.center, 'kb:taliban');
      const leads = g.edges.find((e) => e.type === 'LEADS');
      assert.ok(leads, JSON.stringify(g.edges));
      assert.equal(leads.target, 'kb:taliban');
      assert.equal(leads.sign, 1);
      const is = await store.graph('Daesh');
      const raid = is.edges.find((e) => e.type === 'event:ASSAULT' && e.source === 'kb:us-armed-forces' && e.target === 'kb:islamic-state');
      assert.ok(raid, JSON.stringify(is.edges));
      assert.equal(raid.sign, -1);
      assert.equal(raid.documents, 1);
      assert.ok(g.nodes.every((n) => n.name && n.depth <= 1));
      assert.ok(!g.edges.some((e) => e.type === 'LOCATED_IN'), 'place edges only with places: true');
      const deeper = await store.graph('Taliban', { depth: 2, places: true });
      assert.ok(deeper.nodes.length >= g.nodes.length);
    });

    test('stats count documents, stories, entities by type and facts; optimize keeps every answer', async () => {
      const before = JSON.stringify(await store.dossier('Taliban'));
      await store.optimize();
      assert.equal(JSON.stringify(await store.dossier('Taliban')), before);
      const s = await store.stats();
      assert.equal(s.documents, 10);
      assert.equal(s.stories, 9);
      assert.ok(s.entities.PERSON >= 2 && s.entities.ORGANIZATION >= 5 && s.entities.LOCATION >= 5);
      assert.ok(s.facts.events > 5 && s.facts.claims >= 2 && s.facts.relations > 3);
      assert.deepEqual(s.published, { from: '2023-07-25', to: '2025-01-27' });
      assert.ok(s.words > 300);
    });
  });
}
