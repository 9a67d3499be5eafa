// Relations: lasting ties between entities, each with the words that state it. Read from
// relation cues (data/lexicon/relation-cues.tsv) with the actors listed before and after them
// ("Both the army and the RSF are battling X"; "maintains bases in Syria, which
// ..., and Libya"), membership lists and changes ("both AES members along with ...",
// "withdrew from the treaty in 1997" gives `until`), "anti-X", "X-backed", titles and
// appositions ("Yahya Saree, the Houthis' military spokesman"), "X in Y" for places, and the
// knowledge base's place hierarchy, affiliations and offices. Negated or hedged cues state nothing.
import type { Entity, Evidence, Mention, Relation, RelationType } from '../model/contract.js';
import { SYMMETRIC_RELATIONS } from '../model/contract.js';
import { defineStage } from '../model/analysis.js';
import type { Knowledge, WordEntry } from '../knowledge/knowledge.js';
import { DocIndex, GROUP_NOUNS, type Doc } from './context.js';
import { lemmaKey, phraseAt, phraseEndingAt } from './lexicon.js';

const ACTOR = new Set(['PERSON', 'ORGANIZATION', 'LOCATION', 'NATIONALITY', 'FACILITY']);
const LIST_GLUE = /^(?:\s|,|\band\b|\bor\b|\bboth\b|\bthe\b|\bas well as\b|\balong with\b|\bin particular\b|\bin\b|\b(?:forces|troops|fighters|rebels|militants|insurgents|soldiers)\b)*$/i;
const SKIP_BEFORE = new Set(['AUX', 'ADV', 'PART']);
const RELATIVE = /^\s*,?\s*(?:which|who|that|whose|where)\b/i;
const NEGATION = /\b(?:not|never|no longer|n't|neither|nor|denied|denies|deny)\b/i;
const HEDGE = /\b(?:may|might|could|would|perhaps|possibly|if)\s+(?:\w+\s+){0,2}$/i;
const ORG_KINDS_FOR_MEMBERSHIP = new Set(['alliance', 'igo', 'un_body', 'armed_group', 'jihadist_group', 'militia', 'insurgent_group']);

type Draft = { type: RelationType; source: string; target: string; since?: string; until?: string; confidence: number; evidence: Evidence[]; rule: string };

export function findRelationsIn(doc: Doc, dates: readonly { start: number; end: number; value: string }[], published?: string): Relation[] {
  const ix = new DocIndex(doc);
  const { text, tokens, kb } = doc;
  const drafts: Draft[] = [];
  const ent = (id: string) => ix.entity.get(id);
  const add = (type: RelationType, a: Mention, b: Mention, rule: string, extra: Partial<Draft> = {}, span?: { start: number; end: number }) => {
    if (!a.entity || !b.entity) return;
    const source = ix.actor(a.entity);
    const target = ix.actor(b.entity);
    if (source === target) return;
    const evidence: Evidence[] = [];
    if (span) evidence.push({ start: span.start, end: span.end });
    evidence.push({ start: Math.min(a.start, b.start), end: Math.max(a.end, b.end), source: a.id, target: b.id });
    drafts.push({ type, source, target, confidence: 0.7, evidence, rule, ...extra });
  };

  // a demonym before a noun is an adjective ("American help"), not an actor
  const GROUP_AFTER = /^\s+(?:troops|forces|soldiers|army|military|navy|police|fighters|jets|warplanes|drones|militias?|government|authorities|officials)\b/i;
  const adjectival = (m: Mention) =>
    (m.type === 'NATIONALITY' && /^(?:NOUN|PROPN|ADJ)$/.test(tokens[ix.tokenIndexAt(m.end)]?.pos ?? '') && !GROUP_AFTER.test(text.slice(m.end, m.end + 14))) ||
    /^[-\u2010\u2011]\s*(?:led|backed|based|allied|supported|funded|born|made)\b/i.test(text.slice(m.end, m.end + 12)) || // "US-led NATO forces"
    /\b(?:anti|pro)[-\u2010\u2011]\s?$/i.test(text.slice(Math.max(0, m.start - 6), m.start)); // "anti-China ETIM"
  const actorsIn = (from: number, to: number) => ix.namedIn(from, to).filter((m) => ACTOR.has(m.type) && !adjectival(m));
  const sentenceAt = (pos: number) => ix.sentenceOf(pos) ?? { start: 0, end: text.length, segment: 0 };

  /** The actors listed right before `pos`: "Both the army and the police", "X, Y and Z". */
  /** Asides between commas in a sentence: ", which has fighters in Mali,", ", all AES members,". */
  const asides = (from: number, to: number): { start: number; end: number }[] => {
    const out: { start: number; end: number }[] = [];
    // commas inside numbers ("1,300") neither open nor close an aside
    const re = /,(?!\d)\s*(?:which|who|whose|that|all|both|each|itself|themselves|the\s+\w+(?:'s|’s)?\s+\w+)\b(?:[^,;]|,(?=\d))*,(?!\d)/gi;
    const part = text.slice(from, to);
    let m: RegExpExecArray | null;
    while ((m = re.exec(part))) {
      out.push({ start: from + m.index, end: from + m.index + m[0].length - 1 });
      re.lastIndex = m.index + m[0].length - 1;
    }
    return out;
  };
  const listBefore = (pos: number, from: number): Mention[] => {
    // skip auxiliaries and adverbs back to the last actor: "are battling", "currently maintains";
    // actors inside an aside (", which has fighters in Mali,") are not the subject
    const aside = asides(from, pos);
    const outside = (m: Mention) => !aside.some((a) => a.start <= m.start && m.end <= a.end);
    const prior = actorsIn(from, pos).filter(outside);
    if (!prior.length) return [];
    const last = prior[prior.length - 1];
    let gap = text.slice(last.end, pos);
    for (const a of aside) if (a.start >= last.end && a.end <= pos) gap = gap.replace(text.slice(a.start, a.end + 1), ' ');
    const gapTokens = tokens.filter((t) => t.start >= last.end && t.end <= pos && !aside.some((a) => a.start <= t.start && t.end <= a.end + 1));
    const plainGap =
      gapTokens.every((t) => SKIP_BEFORE.has(t.pos) || /^(?:who|which|that|rebels|fighters|forces|militants|troops|soldiers|army|all|both|,)$/i.test(t.norm)) ||
      /^['’]s\s+(?:[\w-]+\s+){1,2}(?:in|of|to|for)\s*$/i.test(gap) || // "Moscow's role in fighting"
      // "the army and allied militias are battling": a conjunct that names no one
      /^\s+and\s+(?:[a-z-]+\s+)?(?:militias|forces|troops|fighters|allies|groups|rebels|soldiers|police|units|partners)\s+(?:are|were|have|had|has|is|was)?\s*(?:[a-z]+ly\s+)?$/.test(gap) ||
      /^\s*,?\s*(?:which|who|that)\s+[\w-]+(?:\s+(?:a|an|the|its|their))?(?:\s+[\d,.]+(?:[-\s][\w]+)?)?\s*$/i.test(gap); // ", which shares a 1,300-kilometer (border)"
    if (!plainGap || /[;:]/.test(gap)) return [];
    if (last.type === 'NATIONALITY' && gap === '') return []; // "Afghan base": an adjective, not an actor
    // "who were aligned": the relative pronoun's antecedent is the actor before it
    const out = [last];
    for (let i = prior.length - 2; i >= 0; i--) {
      const between = text.slice(prior[i].end, out[0].start);
      if (!LIST_GLUE.test(between) || !/,|\band\b|\bor\b/.test(between)) break;
      out.unshift(prior[i]);
    }
    return out;
  };

  /** The actors listed right after `pos`, skipping a relative clause: "Syria, which ..., and Libya". */
  const listAfter = (pos: number, to: number, opts: { allowPrep?: boolean } = {}): Mention[] => {
    const after = actorsIn(pos, to);
    if (!after.length) return [];
    const lead = text.slice(pos, after[0].start);
    const words = lead.trim().split(/\s+/).filter(Boolean);
    if (words.length > 4 || /[;.]/.test(lead) || (!opts.allowPrep && /\b(?:in|at|near|from|against|between)\b/i.test(lead) && !/^\s*(?:with|to)\b/i.test(lead))) return [];
    const out = [after[0]];
    let end = after[0].end;
    for (let i = 1; i < after.length; i++) {
      let between = text.slice(end, after[i].start);
      const rel = RELATIVE.exec(between);
      if (rel) {
        // skip ", which shares a border with Afghanistan," up to its closing comma
        const re = /,(?!\d)/g;
        re.lastIndex = end + rel[0].length;
        const close = re.exec(text)?.index ?? -1;
        if (close < 0 || close > after[i].start) continue;
        between = text.slice(close, after[i].start);
      }
      if (!LIST_GLUE.test(between) || !/,|\band\b|\bor\b/.test(between) || /\bboth\b|\ball\b/i.test(between)) {
        if (rel) continue;
        break;
      }
      out.push(after[i]);
      end = after[i].end;
    }
    return out;
  };

  const yearIn = (from: number, to: number) => dates.find((d) => d.start >= from && d.end <= to)?.value.slice(0, 10).split('/')[0];
  /** "the treaty", "the alliance", "the group": the latest organisation of that sort before pos. */
  const nominalOrg = (pos: number, end: number): Mention | undefined => {
    const m = /^\s*(?:the|this|that)\s+(?:\w+\s+)?(\w+)/i.exec(text.slice(pos, end));
    if (!m || !GROUP_NOUNS.has(m[1].toLowerCase())) return undefined;
    for (let i = ix.named.length - 1; i >= 0; i--) {
      const c = ix.named[i];
      if (c.end > pos) continue;
      const e = ent(c.entity!);
      if (e?.type === 'ORGANIZATION' && (ORG_KINDS_FOR_MEMBERSHIP.has(e.kind ?? '') || /treaty|alliance|organi[sz]ation|bloc|pact/i.test(e.name))) return c;
    }
    return undefined;
  };

  /** A cue whose words are split by a determiner, adjective or measure: "maintains a military base in", "shares a 1,300-kilometre border with". */
  function looseCueAt(i: number) {
    const first = tokens[i];
    // a verb, or a verb the tagger took for a noun before an article ("Sudan shares a ... border")
    if (!first || !kb.relationCues.firstWords.has(first.lemma) || !(first.pos === 'VERB' || (first.pos === 'NOUN' && tokens[i + 1]?.pos === 'DET'))) return undefined;
    let key = first.lemma;
    let skipped = 0;
    for (let j = i + 1; j < tokens.length && tokens[j].sentence === first.sentence && skipped <= 4; j++) {
      const t = tokens[j];
      const k = t.key === '' ? '' : t.lemma;
      const next = `${key} ${k}`;
      if (k !== '' && (kb.relationCues.prefixes.has(next) || kb.relationCues.byKey.has(next))) {
        key = next;
        const entries = kb.relationCues.byKey.get(key);
        if (entries && skipped > 0) return { start: i, end: j + 1, entries };
        continue;
      }
      if (k === '' || /^(?:DET|ADJ|NUM|PUNCT)$/.test(t.pos) || kb.units.byKey.has(t.key)) {
        skipped++;
        continue;
      }
      return undefined;
    }
    return undefined;
  }

  // 1. cue words
  for (let i = 0; i < tokens.length; i++) {
    let hit = phraseAt(text, tokens, i, kb.relationCues, lemmaKey) ?? phraseAt(text, tokens, i, kb.relationCues) ?? looseCueAt(i);
    const t = tokens[i];
    // "allied militias": an adjective before a common noun describes it, and ties no one
    if (hit && hit.end - hit.start === 1 && (t.pos === 'ADJ' || (t.pos === 'VERB' && /ed$/.test(t.norm))) && tokens[i + 1]?.pos === 'NOUN' && !tokens[i + 1].cap) hit = undefined;
    // a noun cue ending in "with" may stand apart from it: "an accommodation IS-K has reached with X"
    if (!hit && t.pos === 'NOUN') {
      for (let j = i + 1; j < Math.min(tokens.length, i + 7) && tokens[j].sentence === t.sentence; j++) {
        if (tokens[j].norm !== 'with') continue;
        const entries = kb.relationCues.byKey.get(`${t.lemma} with`);
        if (entries) hit = { start: i, end: j + 1, entries };
        break;
      }
    }
    if (!hit) continue;
    const cue: WordEntry = hit.entries[0];
    const cueStart = tokens[hit.start].start;
    const cueEnd = tokens[hit.end - 1].end;
    // bare "against" ties no one by itself; "anti-X" is read from the text below
    if (cue.phrase === 'against' || cue.phrase === 'anti') {
      i = hit.end - 1;
      continue;
    }
    const sent = sentenceAt(cueStart);
    const before = text.slice(Math.max(sent.start, cueStart - 40), cueStart);
    if (NEGATION.test(before.slice(-25)) || HEDGE.test(before)) continue;
    const span = { start: cueStart, end: cueEnd };
    const type = cue.category as RelationType | 'MEMBER_OF_END';
    const passive = cue.value === 'passive';
    // the actor inside a split noun cue, or the list before the cue
    const inside = hit.end - hit.start > 2 ? actorsIn(tokens[hit.start + 1].start, tokens[hit.end - 1].start) : [];
    let left = inside.length ? inside : listBefore(cueStart, sent.start);
    // "X withdrew from the treaty and joined Y": the second verb shares the first one's subject
    if (!left.length && tokens[hit.start - 1]?.norm === 'and' && t.pos === 'VERB') {
      const first = actorsIn(sent.start, cueStart)[0];
      if (first && /^\s*$/.test(text.slice(sent.start, first.start).replace(/\b(?:the|both)\b/gi, ''))) {
        left = [first];
        const rest = actorsIn(first.end, cueStart);
        for (const m of rest) {
          if (!LIST_GLUE.test(text.slice(left[left.length - 1].end, m.start))) break;
          left.push(m);
        }
      }
    }
    // "its allied X": the possessive points back to the latest group named before it
    const prevTok = tokens[hit.start - 1];
    if (prevTok && prevTok.sentence === t.sentence && (prevTok.norm === 'its' || prevTok.norm === 'their')) {
      const ante = ix.lastBefore(prevTok.start, ['ORGANIZATION', 'LOCATION'], 400);
      left = ante ? [ante] : [];
    }
    let rightEnd = sent.end;
    const stop = /\b(?:against|while|but|whereas|although)\b|;/i.exec(text.slice(cueEnd, sent.end));
    if (stop && type !== 'FIGHTS') rightEnd = cueEnd + stop.index;
    let right = listAfter(cueEnd, rightEnd, { allowPrep: type === 'HAS_BASE_IN' || type === 'LOCATED_IN' || type === 'BORDERS' });
    if (type === 'MEMBER_OF' && /^members?$|^member state/.test(cue.phrase)) {
      // "Mali and Niger, both AES members along with Burkina Faso ..."
      const orgBefore = actorsIn(Math.max(sent.start, cueStart - 60), cueStart).filter((m) => m.type === 'ORGANIZATION').pop();
      if (orgBefore && /^\s*$/.test(text.slice(orgBefore.end, cueStart))) {
        const glue = text.slice(Math.max(sent.start, orgBefore.start - 12), orgBefore.start);
        let members = /\b(?:both|all|fellow|other)\s+$/i.test(glue) || /,\s*$/.test(glue) ? listBefore(orgBefore.start - glue.length + glue.search(/\S|$/), sent.start) : [];
        if (!members.length) members = listBeforeList(orgBefore.start, sent.start);
        const along = /^\s*(?:along with|including|such as|like|alongside|together with)\b/i.exec(text.slice(cueEnd, sent.end));
        if (along) members = [...members, ...listAfter(cueEnd + along[0].length, sent.end)];
        for (const m of members) if (ent(m.entity!)?.type === 'LOCATION' || ent(m.entity!)?.type === 'ORGANIZATION') add('MEMBER_OF', m, orgBefore, 'members-of', {}, span);
        i = hit.end - 1;
        continue;
      }
    }
    if (type === 'MEMBER_OF_END' || (type === 'MEMBER_OF' && /^join/.test(cue.phrase))) {
      const org = right.find((m) => m.type === 'ORGANIZATION') ?? nominalOrg(cueEnd, sent.end);
      if (!org) continue;
      const scopeEnd = Math.min(sent.end, (/\band\b|,/.exec(text.slice(org.end, sent.end))?.index ?? sent.end - org.end) + org.end);
      const year = yearIn(cueEnd, scopeEnd);
      for (const m of left) add('MEMBER_OF', m, org, type === 'MEMBER_OF_END' ? 'membership-ended' : 'joined', type === 'MEMBER_OF_END' ? { until: year ?? published?.slice(0, 4) } : year ? { since: year } : {}, span);
      i = hit.end - 1;
      continue;
    }
    if (passive) {
      // "the GUAM group that includes Ukraine and Moldova", "forces led by X"
      const owner = /include|comprise/.test(cue.phrase) ? ix.lastBefore(cueStart, ['ORGANIZATION'], 80) : left[0];
      if (!owner) continue;
      for (const m of right) if (type === 'MEMBER_OF') add('MEMBER_OF', m, owner, 'includes', {}, span);
      else add(type as RelationType, m, owner, 'passive', {}, span);
      i = hit.end - 1;
      continue;
    }
    if (!left.length || !right.length) continue;
    // people meet people and bodies, not towns: "visited Port Sudan" ties no one
    if (type === 'COMMUNICATES_WITH') right = right.filter((m) => ent(m.entity!)?.type !== 'FACILITY' && !(ent(m.entity!)?.type === 'LOCATION' && ent(m.entity!)?.kind !== 'state'));
    const since = /\bsince\s+$/i;
    const sinceDate = dates.find((d) => d.start >= cueEnd && d.end <= sent.end && since.test(text.slice(Math.max(sent.start, d.start - 7), d.start)));
    for (const a of left) for (const b of right) add(type as RelationType, a, b, `cue:${cue.phrase}`, sinceDate ? { since: sinceDate.value.split('/')[0] } : {}, span);
    // "fought with the Syrian army against rebel forces": the fight is against what follows
    if (type === 'ALLY_OF' && /^fight/.test(cue.phrase)) {
      const against = /\bagainst\b/i.exec(text.slice(cueEnd, sent.end));
      if (against) {
        const foes = listAfter(cueEnd + against.index + against[0].length, sent.end);
        for (const a of [...left, ...right]) for (const f of foes) add('FIGHTS', a, f, 'fight-with-against', {}, span);
      }
    }
    i = hit.end - 1;
  }

  /** The actors of a list ending right before pos, when they are separated from it by a comma. */
  function listBeforeList(pos: number, from: number): Mention[] {
    const prior = actorsIn(from, pos).filter((m) => ent(m.entity!)?.type === 'LOCATION');
    return prior.filter((m) => {
      const before = text.slice(Math.max(from, m.start - 12), m.start);
      if (/\b(?:with|from|to|of|near|at|against)\s+(?:the\s+)?$/i.test(before)) return false;
      const next = tokens[ix.tokenIndexAt(m.end)];
      return !(next && /^(?:VERB|AUX|ADV)$/.test(next.pos)); // the subject of the clause, not a listed member
    });
  }


  // "anti-Western militias", "anti-government rebels": the named thing after "anti-" is opposed
  for (const m of ix.named) {
    if (!/\banti[-\u2010\u2011]\s?$/i.test(text.slice(Math.max(0, m.start - 6), m.start))) continue;
    const holder = actorsIn(m.end, m.end + 60).find((x) => x.type === 'ORGANIZATION' || x.type === 'PERSON');
    if (holder && /^[\s,\w-]*$/.test(text.slice(m.end, holder.start))) add('OPPOSES', holder, m, 'anti', {}, { start: m.start - 5, end: m.end });
  }

  // 2. "X-backed Y", "X-led Y"
  const HYPHEN_CUE = /^[-\u2010\u2011]\s*(backed|supported|funded|armed|sponsored|led|allied)\b/i;
  for (const m of ix.named) {
    const h = HYPHEN_CUE.exec(text.slice(m.end, m.end + 14));
    if (!h) continue;
    const after = actorsIn(m.end + h[0].length, m.end + h[0].length + 30)[0];
    if (!after || !/^\s*$/.test(text.slice(m.end + h[0].length, after.start))) continue;
    const verb = h[1].toLowerCase();
    add(verb === 'led' ? 'LEADS' : verb === 'allied' ? 'ALLY_OF' : 'SUPPORTS', m, after, `hyphen-${verb}`, { confidence: 0.6 }, { start: m.start, end: after.end });
  }

  // 3. titles and appositions: "Sudanese army chief X", "Yahya Saree, the Houthis' military spokesman"
  for (const m of doc.mentions) {
    if (m.type !== 'PERSON' || !m.entity) continue;
    const attrs = (m.attributes ?? {}) as Record<string, unknown>;
    let ofMention: Mention | undefined;
    let category = attrs.titleCategory as string | undefined;
    let value = attrs.titleValue as string | undefined;
    let span = { start: m.start, end: m.end };
    if (typeof attrs.title !== 'string') {
      const k = ix.tokenIndexAt(m.start) - 1;
      const title = k >= 0 && tokens[k].sentence === tokens[k + 1]?.sentence ? phraseEndingAt(text, tokens, k, kb.titles) : undefined;
      if (title) {
        attrs.title = text.slice(tokens[title.start].start, tokens[k].end);
        category = title.entries[0].category;
        value = title.entries[0].value;
      }
    }
    if (typeof attrs.title === 'string') {
      // the owner right before the title: "Russian Defence Minister X", "Russia's Defence Minister X", "Hamas political chief X"
      const titleStart = m.start - String(attrs.title).length - 1;
      const prev = ix.named.filter((x) => x.end <= m.start && x.end > titleStart - 24 && x.entity !== m.entity).pop();
      const between = prev ? text.slice(prev.end, Math.max(prev.end, titleStart)) : '';
      if (prev && ACTOR.has(prev.type) && prev.type !== 'PERSON' && /^(?:['’]s)?(?:\s+[a-z][\w-]*){0,2}\s*$/.test(between)) {
        ofMention = prev;
        span = { start: prev.start, end: m.end };
      }
    }
    if (!ofMention && text[m.end] === ',') {
      // apposition up to the next comma
      const close = text.indexOf(',', m.end + 1);
      const end = close > 0 && close - m.end < 120 ? close : -1;
      if (end > 0) {
        const k0 = ix.tokenIndexAt(m.end + 1);
        // the apposition's head is its last title: "Russian President Vladimir Putin's special representative"
        let last: { k: number; title: NonNullable<ReturnType<typeof phraseAt>> } | undefined;
        for (let k = k0; k < tokens.length && tokens[k].end <= end; k++) {
          const title = phraseAt(text, tokens, k, kb.titles);
          if (title) {
            last = { k, title };
            k = title.end - 1;
          }
        }
        if (last) {
          const titleEnd = tokens[last.title.end - 1].end;
          // the owner before the title ("Hamas's spokesman"), or right after it: "the spokesman of Hamas's armed wing"
          const after = ix.namedIn(titleEnd, end).find((x) => ACTOR.has(x.type) && /^\s+(?:of|for)\s+(?:the\s+)?$/i.test(text.slice(titleEnd, x.start)));
          const owner = ix.namedIn(m.end, tokens[last.k].start).filter((x) => ACTOR.has(x.type)).pop() ?? after;
          if (owner) {
            ofMention = owner.type === 'PERSON' ? countryMentionOf(owner) ?? undefined : owner;
            category = last.title.entries[0].category;
            value = last.title.entries[0].value;
            span = { start: m.start, end: Math.max(titleEnd, owner === after ? owner.end : 0) };
          }
        }
      }
    }
    if (!ofMention) continue;
    const of = ix.actor(ofMention.entity!);
    const ofEntity = ent(of);
    if (!ofEntity || ofEntity.type === 'PERSON') continue;
    const isState = ofEntity.kind === 'state';
    const leads = value === 'leads' && (!isState || category === 'head_of_state' || category === 'head_of_government');
    drafts.push({ type: leads ? 'LEADS' : 'MEMBER_OF', source: m.entity, target: of, confidence: 0.8, evidence: [{ start: span.start, end: span.end, source: m.id, target: ofMention.id }], rule: 'title' });
  }

  /** The state a person serves, from a title given elsewhere in the document or the knowledge base. */
  function countryMentionOf(person: Mention): Mention | undefined {
    const e = ent(person.entity!);
    const fromRole = e?.roles?.find((r) => r.of?.startsWith('geo:'))?.of;
    const code = fromRole?.slice(4) ?? e?.country;
    if (!code) return undefined;
    return ix.named.find((x) => x.entity === `geo:${code}` || (ent(x.entity!)?.type === 'NATIONALITY' && ent(x.entity!)?.country === code));
  }

  // 4. "X in Y" for places: "the Zaporizhzhia nuclear power plant in Enerhodar", "Idlib Province in Syria"
  for (let k = 0; k + 1 < ix.named.length; k++) {
    const a = ix.named[k];
    const b = ix.named[k + 1];
    const ea = ent(a.entity!);
    const eb = ent(b.entity!);
    if (!ea || !eb || eb.type !== 'LOCATION' || (ea.type !== 'FACILITY' && ea.type !== 'LOCATION') || ea.kind === 'state') continue;
    if (!/^\s*(?:,\s*)?in\s+(?:the\s+)?$/i.test(text.slice(a.end, b.start)) && !/^\s*,\s*$/.test(text.slice(a.end, b.start))) continue;
    if (/^\s*,\s*$/.test(text.slice(a.end, b.start)) && (!/^(?:city|capital|province)$/.test(ea.kind ?? '') || eb.kind !== 'state' || /^\s*,?\s*(?:and|or)\b/.test(text.slice(b.end, b.end + 6)))) continue; // "Kabul, Afghanistan"
    add('LOCATED_IN', a, b, 'place-in-place', { confidence: 0.85 }, { start: a.start, end: b.end });
  }

  // 5. the knowledge base: a province in its country, an affiliate in its parent group, offices held
  const present = new Map<string, Mention>();
  for (const m of ix.named) if (!present.has(m.entity!)) present.set(m.entity!, m);
  for (const [id, m] of present) {
    const e = ent(id);
    const rec = kb.entries.get(id);
    if (!e || !rec) continue;
    if (rec.parent) {
      const parentId = rec.parent;
      const countryId = rec.country ? `geo:${rec.country}` : undefined;
      const target = present.get(parentId) ? parentId : e.type === 'LOCATION' && countryId && present.get(countryId) ? countryId : undefined;
      if (target && target !== id) {
        const t = present.get(target)!;
        const type: RelationType = e.type === 'LOCATION' || e.type === 'FACILITY' ? 'LOCATED_IN' : 'MEMBER_OF';
        drafts.push({ type, source: id, target, confidence: 0.6, evidence: [{ start: m.start, end: m.end, source: m.id }, { start: t.start, end: t.end, source: t.id }], rule: 'kb-parent' });
      }
    }
    if (rec.type === 'PERSON' && rec.roles)
      for (const r of rec.roles) {
        if (!r.of || !present.has(r.of)) continue;
        const at = published ?? '9999';
        if ((r.since && r.since > at) || (r.until && r.until < at)) continue;
        if (!/president|prime minister|king|emir|supreme leader|chancellor|leader|head of state|chairman/i.test(r.title)) continue;
        if (/vice|deputy/i.test(r.title)) continue;
        const t = present.get(r.of)!;
        drafts.push({ type: 'LEADS', source: id, target: r.of, confidence: 0.6, evidence: [{ start: m.start, end: m.end, source: m.id }, { start: t.start, end: t.end, source: t.id }], rule: `kb-role:${r.title}` });
      }
  }

  // one relation per (type, source, target): merge evidence, keep the highest confidence and bounds
  const merged = new Map<string, Draft>();
  for (const d of drafts) {
    const [s, t] = SYMMETRIC_RELATIONS.has(d.type) && d.source > d.target ? [d.target, d.source] : [d.source, d.target];
    const key = `${d.type}|${s}|${t}|${d.until ? 'ended' : ''}`;
    const prev = merged.get(key);
    if (!prev) merged.set(key, { ...d, source: s, target: t });
    else {
      prev.confidence = Math.min(0.95, Math.max(prev.confidence, d.confidence) + 0.05);
      prev.evidence.push(...d.evidence.filter((e) => !prev.evidence.some((p) => p.start === e.start && p.end === e.end)));
      prev.since ??= d.since;
    }
  }
  // a membership the text says ended is not also a present one from another cue
  for (const [key, d] of merged)
    if (d.type === 'MEMBER_OF' && !d.until && merged.has(`${key}ended`)) merged.delete(key);
  return [...merged.values()]
    .sort((a, b) => a.evidence[0].start - b.evidence[0].start)
    .map((d, n) => ({
      id: `r${n + 1}`,
      type: d.type,
      source: d.source,
      target: d.target,
      ...(d.since ? { since: d.since } : {}),
      ...(d.until ? { until: d.until } : {}),
      confidence: Math.round(d.confidence * 100) / 100,
      evidence: d.evidence,
      attributes: { rule: d.rule },
    }));
}

export const findRelations = defineStage({
  name: 'findRelations',
  reads: ['sentences', 'tokens', 'mentions', 'entities', 'dates'],
  writes: ['relations'],
  setup: ({ kb }: { kb: Knowledge }) => (doc) => ({
    relations: findRelationsIn(
      { text: doc.text, tokens: doc.layers.tokens, sentences: doc.layers.sentences, mentions: doc.layers.mentions, entities: doc.layers.entities as Entity[], kb },
      doc.layers.dates,
      doc.meta.published,
    ),
  }),
});

