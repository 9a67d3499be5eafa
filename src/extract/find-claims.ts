// Claims: numbers stated about something, with what they measure, their bounds, and who states
// them. The subject is read from the number's own phrase ("6,500 Pakistanis", "4,000 US
// soldiers"), its destination ("to Kabul"), a possessive ("IS-K's numbers"), or the nearest actor
// before it; the source from an estimate or speech verb in the sentence ("the UN's Monitoring
// Team estimates", "The Washington Post reported") or the speaker of the quote it sits in.
import type { Claim, Mention, Quote } from '../model/contract.js';
import { defineStage } from '../model/analysis.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { DocIndex, type Doc } from './context.js';

const PROPERTY: Record<string, string> = {
  troops: 'troops', strength: 'strength', people: 'people', casualties: 'casualties', displaced: 'displaced', detainees: 'detainees',
  distance: 'distance', area: 'area', money: 'money', weapons: 'weapons', attacks: 'attacks', mass: 'mass', percent: 'percent', time: 'duration',
};
const PLACE_TYPES = new Set(['LOCATION', 'FACILITY']);
const ACTORS = new Set(['PERSON', 'ORGANIZATION', 'LOCATION', 'NATIONALITY', 'FACILITY']);

type QuantityAttrs = { value?: number; min?: number; max?: number; unit?: string; category?: string; approximate?: boolean };

export function findClaimsIn(doc: Doc, quotes: readonly Quote[]): Claim[] {
  const ix = new DocIndex(doc);
  const { text, tokens, kb } = doc;
  const claims: Claim[] = [];
  const isSource = (i: number) => ix.isSpeechVerb(i);
  for (const m of doc.mentions) {
    if (m.type !== 'QUANTITY' && m.type !== 'MONEY') continue;
    const q = ((m.attributes ?? {}) as { quantity?: QuantityAttrs }).quantity ?? {};
    if (q.value === undefined && q.min === undefined && q.max === undefined) continue;
    const sent = ix.sentenceOf(m.start);
    if (!sent) continue;
    const category = q.category ?? (m.type === 'MONEY' ? 'money' : undefined);
    let property = category ? PROPERTY[category] ?? category : undefined;
    // "killed at least 45 civilians": people counted by a verb of harm are casualties
    if ((category === 'people' || category === 'casualties') && /\b(?:kill(?:ed|ing|s)?|wound(?:ed|ing|s)?|injur(?:ed|ing|es|e)|died|dead|deaths?|massacred|executed)\s+(?:at least|more than|over|nearly|almost|about|around|some|up to)?\s*$/i.test(text.slice(Math.max(sent.start, m.start - 40), m.start)))
      property = 'casualties';
    const after = text.slice(m.end, Math.min(sent.end, m.end + 40));
    if (category === 'distance' && /^\s*(?:long\s+)?(?:border|frontier|front ?line|line|pipeline|coast|coastline|road|corridor)/i.test(after)) property = 'length';
    const before = text.slice(sent.start, m.start);
    if (!property && /\b(?:numbers?|strength|ranks|fighters|members|size)\b[^.]{0,60}$/i.test(before)) property = 'strength';
    let subject: Mention | undefined;
    let subjectRule = '';
    // 1. inside the number's own phrase: "6,500 Pakistanis", "4,000 US soldiers"
    const inner = ix.namedIn(m.start, m.end).filter((x) => ACTORS.has(x.type));
    if (inner.length) {
      subject = inner[0];
      subjectRule = 'own-phrase';
    }
    // 2. where people are sent: "3,000 soldiers to Kabul", "1,000 personnel will be sent to Qatar"
    if (!subject && (category === 'troops' || category === 'people' || category === 'strength')) {
      const rest = text.slice(m.end, sent.end);
      const stop = rest.search(/[;]|, and |\band (?:about|some|around|up to|between)\b/);
      const scope = m.end + (stop >= 0 ? stop : rest.length);
      // only where they go ("to", "into"): "up to 6,500 fighters in Mali" is the group's strength there
      const dest = category === 'strength' ? undefined : ix.namedIn(m.end, scope).find((x) => PLACE_TYPES.has(x.type) && /\b(?:to|into)\s+(?:the\s+)?$/i.test(text.slice(Math.max(m.end, x.start - 12), x.start)));
      if (dest) {
        subject = dest;
        subjectRule = 'destination';
      }
    }
    // 3. a possessive or the nearest actor before it in the sentence
    if (!subject) {
      const prior = ix.namedIn(sent.start, m.start).filter((x) => ACTORS.has(x.type));
      const nonSource = prior.filter((x) => {
        // skip the body that states the number: "The Washington Post reported"
        const k = ix.tokenIndexAt(x.end);
        return !(isSource(k) || isSource(k + 1) || (tokens[k]?.norm === "'s" && isSource(k + 2)));
      });
      const inPhrase = (x: Mention) => {
        if (ix.precededByLocative(x)) return true;
        let t = ix.tokenBefore(x.start);
        if (t?.norm === 'the') t = ix.tokenBefore(t.start);
        return t?.norm === 'with' || t?.norm === 'against';
      };
      const pool = category === 'distance' ? nonSource : nonSource.filter((x) => !inPhrase(x));
      // the nearest actor outside a prepositional phrase; else the first the sentence names
      subject = pool.length ? pool[pool.length - 1] : nonSource[0];
      subjectRule = pool.length ? 'nearest-before' : 'first-in-sentence';
      if (!subject && prior.length) {
        subject = prior[0];
        subjectRule = 'sentence';
      }
    }
    // the source: a speech or estimate verb in the sentence and its subject, or the quote's speaker
    let source: string | undefined;
    let sourceMention: Mention | undefined;
    const inQuote = quotes.find((x) => x.start <= m.start && m.end <= x.end);
    const trailing = /,\s*((?:the\s+)?[^,.;]{2,60}?)\s+(?:said|says|reported|reports|estimated|estimates|told|stated|announced|added|claimed)\b[^.;]*[.;]?\s*$/i.exec(text.slice(m.end, sent.end));
    if (inQuote?.speaker) source = inQuote.speaker;
    else if (trailing) {
      // ", the Pentagon said" at the end of the sentence
      const at = m.end + trailing.index + trailing[0].indexOf(trailing[1]);
      const who = ix.namedIn(at, at + trailing[1].length).filter((x) => ACTORS.has(x.type) && x.type !== 'NATIONALITY').pop();
      if (who) {
        sourceMention = who;
        source = ix.actor(who.entity!);
      }
    }
    if (!source && !inQuote?.speaker) {
      for (let k = ix.tokenIndexAt(sent.start); k < tokens.length && tokens[k].end <= m.start; k++) {
        if (!isSource(k)) continue;
        const subj = ix.subjectBetween(sent.start, tokens[k].start);
        // the last named thing right before the verb: "the UN's Monitoring Team estimates"
        const chain = ix.namedIn(sent.start, tokens[k].start).filter((x) => ACTORS.has(x.type) && x.type !== 'NATIONALITY');
        const last = chain[chain.length - 1];
        const pick = last && /^\s*$/.test(text.slice(last.end, tokens[k].start)) ? last : subj;
        if (pick) {
          sourceMention = pick;
          source = ix.actor(pick.entity!);
        }
      }
    }
    const subjectId = subject?.entity;
    const evidence: Claim['evidence'] = [{ start: m.start, end: m.end, source: m.id }];
    if (subject) evidence.push({ start: subject.start, end: subject.end, source: subject.id });
    if (sourceMention) evidence.push({ start: sourceMention.start, end: sourceMention.end, source: sourceMention.id });
    claims.push({
      id: `c${claims.length + 1}`,
      ...(subjectId ? { subject: subjectId } : {}),
      ...(property ? { property } : {}),
      ...(q.value !== undefined ? { value: q.value } : {}),
      ...(q.min !== undefined ? { min: q.min } : {}),
      ...(q.max !== undefined ? { max: q.max } : {}),
      ...(q.unit ? { unit: q.unit } : {}),
      ...(q.approximate ? { approximate: true } : {}),
      text: text.slice(m.start, m.end),
      ...(source ? { source } : {}),
      evidence,
      attributes: { subjectRule, sentence: { start: sent.start, end: sent.end }, ...(((m.attributes ?? {}) as Record<string, unknown>).segment ? { segment: (m.attributes as Record<string, unknown>).segment } : {}) },
    });
  }
  return claims;
}

export const findClaims = defineStage({
  name: 'findClaims',
  reads: ['sentences', 'tokens', 'mentions', 'entities', 'quotes'],
  writes: ['claims'],
  setup: ({ kb }: { kb: Knowledge }) => (doc) => ({
    claims: findClaimsIn(
      { text: doc.text, tokens: doc.layers.tokens, sentences: doc.layers.sentences, mentions: doc.layers.mentions, entities: doc.layers.entities, kb },
      doc.layers.quotes,
    ),
  }),
});
