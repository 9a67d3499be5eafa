// Events: PLOVER 2.0 events coded from the trigger phrases of data/plover/triggers.jsonl. A trigger
// is found at a token by lemma or surface form (the longest phrase wins) and must have the part
// of speech its record asks for. Its record says which grammatical role is the PLOVER source,
// target or participant and which preposition introduces which role; the clause around the
// trigger gives the rest: the subject before it (with the actors coordinated with it), the object
// after it, place and date phrases, QUANTITY mentions, and the cue words of
// data/lexicon/cues.tsv for modality. An event with no actor is dropped.
//
// Work is per sentence: every look-up walks a handful of tokens or binary-searches a sorted layer,
// so the stage stays linear in the length of the document.
import type { DateRef, Event, Mention, Quote } from '../model/contract.js';
import { defineStage, type Token } from '../model/analysis.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { PloverTrigger } from '../model/knowledge.js';
import { matchKey } from '../text/fold.js';
import { DocIndex, GROUP_NOUNS, type Doc } from './context.js';
import { lowerBound } from '../text/search.js';
import { phraseAt, type PhraseHit } from './lexicon.js';

type Rec = PloverTrigger;
type GapKind = 'verb' | 'adj' | '';
const PHRASE = 1;
const CONTINUED = 2;
type Role = 'source' | 'target' | 'participant';

// --- the trigger index, built once per knowledge base ------------------------------------------

export type TriggerIndex = {
  /** Phrase match key (words joined by spaces) -> the records listing it. */
  byKey: ReadonlyMap<string, Rec[]>;
  /** Every word prefix of every phrase key, with PHRASE set when it is a whole phrase and CONTINUED when a
   * longer phrase goes on from it: a walk stops as soon as its key is none of these. */
  prefixes: ReadonlyMap<string, number>;
  /** For each prefix a longer phrase goes on from, the words that may come next. */
  next: ReadonlyMap<string, ReadonlySet<string>>;
  /** Inflected form -> the phrase word it inflects ("staged" -> "stage"), for when the tagger's lemma misses. */
  inflections: ReadonlyMap<string, string>;
  /** Every form a phrase's first word takes: a token none of whose keys is here starts no phrase. */
  starts: ReadonlySet<string>;
  /** A sieve before `starts`: bit (length mod 32) of the entry for the first two letters (see sieveSlot). */
  sieve: Uint32Array;
  maxWords: number;
};

const indexes = new WeakMap<Knowledge, TriggerIndex>();

/** The trigger phrases of `kb` keyed like the word lists (fold.ts matchKey), cached per knowledge base. */
export function triggerIndex(kb: Knowledge): TriggerIndex {
  const hit = indexes.get(kb);
  if (hit) return hit;
  const byKey = new Map<string, Rec[]>();
  const prefixes = new Map<string, number>();
  const next = new Map<string, Set<string>>();
  const vocabulary = new Set<string>();
  let maxWords = 1;
  for (const rec of kb.triggers)
    for (const phrase of rec.phrases) {
      const key = matchKey(phrase);
      if (!key) continue;
      const list = byKey.get(key) ?? [];
      if (!list.includes(rec)) list.push(rec);
      byKey.set(key, list);
      const words = key.split(' ');
      maxWords = Math.max(maxWords, words.length);
      for (let n = 1; n <= words.length; n++) {
        const prefix = words.slice(0, n).join(' ');
        prefixes.set(prefix, (prefixes.get(prefix) ?? 0) | (n === words.length ? PHRASE : CONTINUED));
        if (n < words.length) {
          const set = next.get(prefix) ?? new Set<string>();
          set.add(words[n]);
          next.set(prefix, set);
        }
      }
      for (const w of words) vocabulary.add(w);
    }
  const inflections = new Map<string, string>();
  for (const w of vocabulary) for (const form of inflect(w)) if (!vocabulary.has(form) && !inflections.has(form)) inflections.set(form, w);
  const starts = new Set<string>();
  for (const key of byKey.keys()) {
    const first = key.split(' ')[0];
    starts.add(first);
    for (const form of inflect(first)) starts.add(form);
  }
  const sieve = new Uint32Array(1024);
  for (const form of starts) sieve[sieveSlot(form)] |= 1 << (form.length & 31);
  const index = { byKey, prefixes, next, inflections, starts, sieve, maxWords };
  indexes.set(kb, index);
  return index;
}

// --- word classes the rules read (grammar, not knowledge: the knowledge is in data/) ----------

const BE = new Set(['be', 'is', 'are', 'was', 'were', 'been', 'being', "'s", "'re", 'get', 'gets', 'got', 'gotten', 'getting']);
const PASSIVE_SKIP = new Set(['not', "n't", 'also', 'reportedly', 'allegedly', 'later', 'then', 'yet', 'already', 'all', 'both', 'subsequently', 'reported', 'said', 'believed', 'thought', 'to']);
const RELATIVE = new Set(['which', 'who', 'whom', 'whose', 'where']);
const SUBORDINATE = new Set(['while', 'whereas', 'although', 'though', 'because', 'unless', 'if', 'whether', 'whenever', 'when']);
/** Prepositions that open a clause when a verb follows ("after Israel killed ..."). */
const CLAUSE_PREPS = new Set(['after', 'before', 'since', 'until', 'as', 'once', 'amid']);
const MODAL_OR_TO = new Set(['to', 'will', 'would', 'could', 'can', 'may', 'might', 'should', 'must', 'shall', 'did', 'does', 'do', 'not', "n't", 'never', "'ll", 'cannot']);
const DETERMINERS = new Set(['a', 'an', 'the', 'its', 'their', 'his', 'her', 'our', 'my', 'your', "'s", 'this', 'that', 'these', 'those']);
/** Where a place phrase starts; `to`/`into` also give a deployment's destination. */
const PLACE_PREPS = new Set(['in', 'at', 'near', 'to', 'into', 'from', 'around', 'along', 'off', 'outside', 'inside', 'across', 'toward', 'towards', 'within', 'through']);
const DESTINATION = new Set(['to', 'into', 'toward', 'towards']);
const POSSESSIVES = new Set(['its', 'their', 'his', 'her', 'our']);
const FIRST_PERSON = new Set(['we', 'i', 'us', 'our', 'my', 'me']);
const PERSON_PRONOUNS = new Set(['he', 'she', 'him', 'her', 'his']);
const GROUP_PRONOUNS = new Set(['they', 'them', 'their', 'it', 'its']);
/** "both nations", "the two countries": a plural that points back to a coordinated list. */
const PLURAL_HEADS = new Set(['nations', 'countries', 'states', 'sides', 'governments', 'armies', 'neighbours', 'neighbors', 'allies', 'parties', 'forces', 'militaries', 'capitals']);
const PLURAL_COUNT: Record<string, number> = { both: 2, two: 2, three: 3, four: 4, five: 5 };
/** Cue words that are not what the cue list means by them: "not only", "no doubt". */
const NOT_A_CUE: Record<string, Set<string>> = { not: new Set(['only', 'just', 'least']), no: new Set(['doubt', 'matter']) };
/** Types whose events are speech acts: "X said" after them does not make them hearsay (eval README). */
const VERBAL = new Set(['SUPPORT', 'ACCUSE', 'REQUEST', 'REJECT', 'THREATEN', 'AGREE', 'CONCEDE']);
/** Cooperative types that, announced for the future, are coded AGREE (data/plover/README.md). */
const COOPERATIVE_FUTURE = new Set(['CONSULT', 'COOPERATE', 'AID', 'SUPPORT']);
/** Records whose own event is not coded: a denial says something about another event. */
const DENIAL_RECORDS = new Set(['plv:deny', 'plv:denial']);
/** Events governed by these types (the requested, threatened, promised or refused act) are not coded on their own. */
const NON_FACTIVE = new Set(['REQUEST', 'THREATEN', 'AGREE', 'REJECT']);
/** Verbs whose subject carries out the event their object names ("launched an offensive", "held talks"). */
const SUPPORT_VERBS = new Set(['launch', 'carry', 'conduct', 'hold', 'stage', 'mount', 'wage', 'make', 'issue', 'begin', 'start', 'commence', 'continue', 'resume', 'undertake', 'intensify', 'escalate', 'step', 'order', 'complete', 'impose', 'declare', 'announce', 'sign', 'reach', 'take', 'give', 'provide', 'deliver', 'send', 'adopt', 'extend', 'expand', 'join', 'attend', 'host', 'lead', 'finalize', 'finalise', 'conclude', 'seal', 'perform', 'unleash', 'open', 'initiate', 'pursue', 'prepare', 'organize', 'organise', 'kick', 'use', 'employ', 'fire', 'drop', 'renew', 'deploy', 'dispatch', 'plan', 'approve', 'offer', 'grant', 'pass', 'enact', 'introduce', 'tighten', 'broaden', 'ramp', 'boost', 'commit', 'perpetrate', 'activate', 'complete', 'finish']);
/** Verbs that make what their object names a plan ("is preparing a major offensive"). */
const PLAN_VERBS = new Set(['prepare', 'plan', 'consider', 'weigh', 'mull', 'envisage', 'propose']);
/** Verbs whose subject undergoes the event their object names ("suffered heavy losses", "came under attack"). */
const VICTIM_VERBS = new Set(['suffer', 'sustain', 'face', 'endure', 'receive', 'experience', 'undergo', 'withstand', 'incur', 'absorb']);
/** Nominals that point back to an organisation, by the kinds of organisation they fit. */
const NOMINAL_KINDS: Record<string, RegExp> = {
  group: /group|militia|insurgent|jihad|separatist|armed|paramilitary|criminal|cartel|gang/, movement: /group|insurgent|jihad|separatist|armed|movement/,
  militia: /militia|armed|paramilitary|group/, network: /group|jihad|criminal|network/, faction: /group|armed|insurgent|separatist|militia/, outfit: /group|jihad|armed/,
  alliance: /alliance|igo/, bloc: /alliance|igo/, coalition: /alliance|igo|military/, treaty: /alliance|igo/, pact: /alliance|igo/, organization: /igo|un_body|alliance|ngo|group/, organisation: /igo|un_body|alliance|ngo|group/,
  army: /military|paramilitary/, force: /military|paramilitary|peacekeeping/, forces: /military|paramilitary|peacekeeping/, council: /government_body|igo|un_body|council/, agency: /agency|security_service|un_body|government_body/,
  ministry: /government_body|ministry/, government: /government|state/, regime: /government|state/,
};
/** Types of hostile acts, aimed at someone. */
const HOSTILE = new Set(['ASSAULT', 'COERCE', 'SANCTION', 'THREATEN', 'ACCUSE', 'PROTEST', 'MOBILIZE']);
/** Types of hostile acts: promised, they are threats. */
const CONFLICT = new Set(['ASSAULT', 'COERCE', 'SANCTION']);
const QUANTITY_SKIP = new Set(['distance', 'area', 'time', 'duration', 'percent', 'length', 'speed', 'mass']);
const MODALITY_RANK: Record<Event['modality'], number> = { asserted: 0, reported: 1, planned: 2, speculated: 3, denied: 4 };
const CUE_MODALITY: Record<string, Event['modality'] | undefined> = { denied: 'denied', speculated: 'speculated', conditional: 'speculated', planned: 'planned', reported: 'reported' };
const NO_HITS: Hit[] = [];
/** A date that says when, not a weekday a resolver had to place ("on Tuesday night" is usually past). */
const EXPLICIT_DATE = /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bnext\b|\bcoming\b/i;
const ISO = /^\d{4}(-\d{2}(-\d{2})?)?$/;

// --- shapes --------------------------------------------------------------------------------------

type Part = { entity: string; role: Role; mention?: Mention; why: string };
type Place = { entity: string; mention: Mention; rank: number; destination: boolean; order: number };
type Hit = { start: number; end: number; rec: Rec; key: string; verb: boolean };
type Draft = {
  hit: Hit;
  sent: number;
  seg: number;
  clauseStart: number; // token index
  clauseEnd: number; // token index, exclusive
  parts: Part[];
  subject: Part[];
  object: Part[];
  places: Place[];
  passive: boolean;
  modality: Event['modality'];
  drop: boolean;
  rules: string[];
  time?: { text: string; start?: string; end?: string; from: string };
  /** The event this one is the object of ("denied attacking": the denial). */
  governor?: Draft;
  /** A type the output takes instead of the record's ("vowed to attack": a threat). */
  recode?: { type: Event['type']; mode?: string };
  quantities: NonNullable<Event['quantities']>;
};

type Clause = { start: number; kind: string; at: number };
type NounPhrase = { ms: Mention[]; end: number; pronoun?: number; anaphor?: number };
/** What one trigger's reading carries from step to step. */
type HitCtx = {
  hit: Hit;
  hi: number;
  si: number;
  a: number;
  b: number;
  local: Draft[];
  d: Draft;
  rec: Rec;
  preps: Record<string, 'source' | 'target' | 'participant' | 'location'>;
  passive: boolean;
  back: Clause;
  roleEnd: number;
  clauseEnd: number;
  quote?: Quote;
  speaker?: string;
  governor?: Draft;
  coordinatedWith?: Draft;
  subjectFromClause: boolean;
  subjectRole: Role;
  cueFrom: number;
  placeOrder: number;
};

type Out = { e: Event; key: string; at: number; trigger: number; sent: number; seg: number; repeat: boolean; joins: boolean };

export type EventsDoc = Doc & { dates: readonly DateRef[]; quotes: readonly Quote[] };

const isActorType = (t: string) => t === 'PERSON' || t === 'ORGANIZATION' || t === 'NATIONALITY';

export function codeEventsIn(doc: EventsDoc, published?: string): Event[] {
  const { text, tokens, sentences, mentions, kb } = doc;
  const ix = new DocIndex(doc);
  const index = triggerIndex(kb);
  const n = tokens.length;

  // token -> covering named mention (actor or place), covering QUANTITY/MONEY mention
  const named: Mention[] = [];
  const quantities: Mention[] = [];
  for (const m of mentions) {
    if (m.entity && (isActorType(m.type) || m.type === 'LOCATION' || m.type === 'FACILITY')) named.push(m);
    else if ((m.type === 'QUANTITY' || m.type === 'MONEY') && m.attributes) quantities.push(m);
  }
  const namedAt = new Int32Array(n).fill(-1);
  const qtyAt = new Int32Array(n).fill(-1);
  const hitStartAt = new Int32Array(n).fill(-1); // token -> index of a hit starting there (per sentence)
  const segKind = new Map<number, string>();
  named.forEach((m, mi) => {
    for (let k = ix.tokenIndexAt(m.start); k < n && tokens[k].start < m.end; k++) if (namedAt[k] < 0) namedAt[k] = mi;
    const seg = (m.attributes as { segment?: string } | undefined)?.segment;
    if (seg) {
      const t = tokens[ix.tokenIndexAt(m.start)];
      if (t) segKind.set(sentences[t.sentence]?.segment ?? -1, seg);
    }
  });
  quantities.forEach((m, qi) => {
    for (let k = ix.tokenIndexAt(m.start); k < n && tokens[k].start < m.end; k++) if (qtyAt[k] < 0) qtyAt[k] = qi;
  });
  const endTok = (m: Mention) => ix.tokenIndexAt(m.end); // first token at or after the mention's end
  const entityOf = (id: string) => ix.entity.get(id);
  const speechAt = new Uint8Array(n); // 0 unknown, 1 no, 2 a speech verb (data/lexicon/speech-verbs.tsv)
  const isSpeech = (k: number) => {
    const t = tokens[k];
    if (!t || (t.pos !== 'VERB' && t.pos !== 'AUX')) return false;
    if (!speechAt[k]) speechAt[k] = ix.isSpeechVerb(k) ? 2 : 1;
    return speechAt[k] === 2;
  };
  const isVerbTok = (k: number) => tokens[k] !== undefined && (tokens[k].pos === 'VERB' || (tokens[k].pos === 'AUX' && tokens[k].lemma !== 'be'));
  const isVerbish = (k: number) => tokens[k] !== undefined && (tokens[k].pos === 'VERB' || tokens[k].pos === 'AUX');

  /** The entity an actor mention stands for as an actor ("Moscow warned" -> Russia). */
  const actorId = (m: Mention) => ix.actor(m.entity!);
  /** Is this entity an actor (person, organisation, people, state) rather than a place? */
  const isActor = (id: string) => {
    const e = entityOf(id);
    if (!e) return false;
    if (isActorType(e.type)) return true;
    return e.type === 'LOCATION' && e.kind === 'state';
  };
  const placeRank = (m: Mention) => {
    const e = entityOf(m.entity!);
    if (!e || e.type === 'FACILITY') return 0;
    const k = e.kind ?? '';
    if (k === 'state') return 4;
    if (/region|sea|ocean|gulf|river|mountain|desert|continent/.test(k)) return 3;
    if (/province|admin|state_|governorate|county|oblast|district_?1/.test(k)) return 2;
    return 1; // city, capital, town, village, district, or a place the tagger found
  };

  // --- triggers ----------------------------------------------------------------------------------

  const scanner = new TriggerScanner(index, tokens, namedAt, qtyAt, hitStartAt, quantities);
  const attributive = (i: number) => scanner.attributive(i);
  const isPassiveAt = (i: number) => scanner.isPassiveAt(i);
  /** Is there an "and"/"or" between two tokens (a coordination, not a participle after a comma)? */
  function conjunctionBefore(at: number, from: number): boolean {
    for (let q = from; q < at; q++) if (tokens[q].norm === 'and' || tokens[q].norm === 'or') return true;
    return false;
  }

  // --- noun phrases --------------------------------------------------------------------------

  /** Named mentions of the noun phrase starting at token k (coordinated lists included), and where it ends. */
  const nounPhrase = (k: number, limit: number): NounPhrase => {
    const ms: Mention[] = [];
    let j = k;
    let pronoun: number | undefined;
    let anaphor: number | undefined;
    let steps = 0;
    while (j < limit && steps++ < 24) {
      const t = tokens[j];
      if (namedAt[j] >= 0) {
        const m = named[namedAt[j]];
        if (!ms.includes(m)) ms.push(m);
        j = Math.max(j + 1, endTok(m));
        continue;
      }
      if (t.key === '' || t.pos === 'DET' || t.pos === 'ADJ' || t.pos === 'NUM' || t.pos === 'NOUN' || t.pos === 'PROPN' || t.norm === "'s" || t.norm === "'" || qtyAt[j] >= 0 || (t.pos === 'VERB' && attributive(j))) {
        if (t.pos === 'NOUN' && PLURAL_HEADS.has(t.norm) && anaphor === undefined) {
          const p = tokens[j - 1];
          if (p && (PLURAL_COUNT[p.norm] || p.norm === 'the' || p.norm === 'these')) anaphor = j;
        }
        j++;
        continue;
      }
      if (t.pos === 'PRON' && j === k) {
        pronoun = j;
        j++;
        if (!GROUP_PRONOUNS.has(t.norm) && !PERSON_PRONOUNS.has(t.norm) && !FIRST_PERSON.has(t.norm)) break;
        if (t.norm !== 'its' && t.norm !== 'their' && t.norm !== 'his' && t.norm !== 'her' && t.norm !== 'our') break;
        continue;
      }
      // "the leader of Hamas", "the town of Rubaya", "the Saudi city of Jeddah" (but not "Goita of Russia's support")
      if (t.norm === 'of' && j > k && j + 1 < limit && tokens[j + 1].pos !== 'VERB' && (!ms.length || placeAfter(j + 1, limit))) {
        j++;
        continue;
      }
      if ((t.norm === 'and' || t.norm === 'or' || t.norm === ',' || t.norm === '&') && (ms.length || t.norm !== ',')) {
        // continue only into another named actor: "Mali, Burkina Faso and Niger"
        let q = j + 1;
        while (q < limit && q < j + 4 && namedAt[q] < 0 && (tokens[q].pos === 'DET' || tokens[q].pos === 'ADJ' || tokens[q].norm === 'and')) q++;
        if (q >= limit || namedAt[q] < 0) break;
        if (t.norm === ',') {
          const nm = named[namedAt[q]];
          const after = tokens[endTok(nm)];
          if (!after || !(after.norm === ',' || after.norm === 'and' || after.norm === 'or')) break;
        }
        j = q;
        continue;
      }
      break;
    }
    return { ms, end: j, pronoun, anaphor };
  };
  /** Does a place name follow (after determiners and adjectives)? */
  const placeAfter = (k: number, limit: number) => {
    while (k < limit && (tokens[k].pos === 'DET' || tokens[k].pos === 'ADJ')) k++;
    const m = k < limit && namedAt[k] >= 0 ? named[namedAt[k]] : undefined;
    return !!m && (m.type === 'LOCATION' || m.type === 'FACILITY') && entityOf(m.entity!)?.kind !== 'state';
  };
  /** The actors a phrase names, without the modifiers of its head: "his Malian counterpart Sadio Camara" -> the person. */
  const heads = (ms: Mention[]): Mention[] => {
    if (ms.length < 2) return ms;
    const out: Mention[] = [];
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i];
      const next = ms[i + 1];
      if (next) {
        const between = tokens.slice(endTok(m), ix.tokenIndexAt(next.start));
        const modifier = between.every((t) => t.pos === 'NOUN' || t.pos === 'PROPN' || t.pos === 'ADJ' || t.norm === "'s" || t.key === '' || t.pos === 'DET');
        if (modifier && next.type === 'PERSON' && m.type !== 'PERSON') continue;
        if (modifier && m.type === 'NATIONALITY' && next.type !== 'NATIONALITY' && !between.some((t) => t.norm === "'s")) continue;
      }
      out.push(m);
    }
    return out;
  };

  // --- pronouns, nominals and plurals -----------------------------------------------------------

  /** The latest named mention starting before `pos`: binary search over `named`. */
  const namedBefore = (pos: number) => lowerBound(named, (m) => m.start < pos) - 1;
  const isCaptionish = (m: Mention) => {
    const seg = (m.attributes as { segment?: string } | undefined)?.segment;
    return seg === 'caption' || seg === 'credit';
  };
  /** A pronoun or "the group" resolved to the latest fitting actor before it, skipping places and the sides excluded. */
  const resolveBack = (pos: number, kind: 'PERSON' | 'GROUP', exclude: Set<string>, excludeCountry?: string, inCaption = false): Mention | undefined => {
    for (let mi = namedBefore(pos), seen = 0; mi >= 0 && seen < 40; mi--, seen++) {
      const m = named[mi];
      if (pos - m.end > 1500) return undefined;
      if (!inCaption && isCaptionish(m)) continue;
      if (kind === 'PERSON' ? m.type !== 'PERSON' : m.type === 'PERSON' || m.type === 'FACILITY') continue;
      const id = actorId(m);
      if (!isActor(id) || exclude.has(id) || exclude.has(m.entity!)) continue;
      if (kind === 'GROUP' && ix.precededByLocative(m)) continue;
      if (excludeCountry && entityOf(id)?.country === excludeCountry) continue;
      return m;
    }
    return undefined;
  };
  /** "the group", "the bloc": the latest organisation of a fitting kind before `pos`. */
  const resolveNominal = (pos: number, noun: string, exclude: Set<string>): Mention | undefined => {
    const fits = NOMINAL_KINDS[noun];
    for (let mi = namedBefore(pos), seen = 0; mi >= 0 && seen < 40; mi--, seen++) {
      const m = named[mi];
      if (pos - m.end > 1500) return undefined;
      if (isCaptionish(m) || exclude.has(m.entity!)) continue;
      const e = entityOf(m.entity!);
      if (!e) continue;
      const kind = e.type === 'LOCATION' ? (e.kind === 'state' ? 'state' : '') : e.kind ?? '';
      if (e.type !== 'ORGANIZATION' && !(kind === 'state' && fits?.test('state'))) continue;
      if (fits && !fits.test(kind)) continue;
      return m;
    }
    return undefined;
  };
  /** "both nations", "the two countries": the latest list of that many actors before `pos` in this or the previous sentence. */
  const resolvePlural = (at: number, exclude: Set<string>): Mention[] => {
    const count = PLURAL_COUNT[tokens[at - 1]?.norm ?? ''] ?? 0;
    const sent = tokens[at].sentence;
    const from = sentences[Math.max(0, sent - 1)].start;
    let best: Mention[] = [];
    for (let mi = namedBefore(tokens[at].start); mi >= 0 && named[mi].start >= from; mi--) {
      const last = named[mi];
      if (!isActor(actorId(last)) || ix.precededByLocative(last)) continue;
      // walk the list backwards while mentions are joined by "and" / ","
      const list = [last];
      for (let p = mi - 1; p >= 0; p--) {
        const gap = text.slice(named[p].end, list[0].start);
        if (!/^\s*(?:,|,?\s*and|&)\s*(?:the\s+)?$/i.test(gap) || !isActor(actorId(named[p]))) break;
        list.unshift(named[p]);
      }
      if (list.length >= 2) {
        best = list.filter((m) => !exclude.has(actorId(m)));
        if (!count || list.length === count || best.length) break;
      }
    }
    return best;
  };

  // --- clauses ------------------------------------------------------------------------------

  /** Where the clause around token `from` starts, walking back to the sentence start `a`. */
  const clauseBack = (a: number, from: number, verbHit: boolean) => {
    let sawComma = false;
    for (let k = from - 1; k >= a; k--) {
      const t = tokens[k];
      const next = tokens[k + 1];
      if (t.norm === ';' || t.norm === ':' || t.norm === '(' || t.norm === ')' || t.text === '—' || t.text === '–' || t.norm === '"') return { start: k + 1, kind: 'punct', at: k };
      if (RELATIVE.has(t.norm)) return { start: k + 1, kind: 'relative', at: k };
      if (t.norm === 'that') {
        const p = tokens[k - 1];
        const complement = !p || k === a || p.pos === 'VERB' || p.pos === 'AUX' || p.pos === 'ADJ' || p.pos === 'ADV' || t.pos === 'SCONJ' || /^(?:reports?|claims?|allegations?|fears?|news|warnings?|statement|assurances?|signs?)$/.test(p.norm);
        return { start: k + 1, kind: complement ? 'complement' : 'relative', at: k };
      }
      if (SUBORDINATE.has(t.norm) && t.pos !== 'ADJ') return { start: k + 1, kind: 'subordinate', at: k };
      // "after Israel killed ...": a clause; "after talks, Russia ..." is a phrase before one
      if (CLAUSE_PREPS.has(t.norm) && k + 1 <= from && (next.pos === 'PROPN' || next.pos === 'DET' || next.pos === 'PRON' || next.pos === 'NOUN' || namedAt[k + 1] >= 0 || hitStartAt[k + 1] >= 0) && tokens[k - 1]?.norm !== 'such') {
        let clause = false;
        for (let q = k + 1; q < k + 16 && q < n && tokens[q].sentence === t.sentence && tokens[q].norm !== ','; q++) if (isVerbTok(q)) clause = true;
        if (!clause && verbHit && !sawComma) clause = true;
        if (clause) return { start: k + 1, kind: 'subordinate', at: k };
      }
      // "X said [the army attacked]" opens a clause; "announced an amnesty" names the event itself
      if (isSpeech(k) && hitStartAt[k] < 0 && next && next.pos !== 'ADP' && next.norm !== ',' && next.norm !== 'that' && !(!verbHit && tokens.slice(k + 1, from).every((x) => x.pos === 'DET' || x.pos === 'ADJ' || x.pos === 'NUM' || x.pos === 'ADV' || /^(?:its|their|his|her|our)$/.test(x.norm))))
        return { start: k + 1, kind: 'speech', at: k };
      if (isSpeech(k) && hitStartAt[k] < 0 && next && next.pos === 'ADP' && /^(?:between|about|around|some|nearly|up)$/.test(next.norm)) return { start: k + 1, kind: 'speech', at: k };
      if (t.norm === ',' && next && /^(?:and|but|while|whereas|yet)$/.test(next.norm)) {
        let q = k + 2;
        while (q < from && tokens[q].pos === 'ADV') q++;
        if (q < from && !isVerbish(q)) return { start: k + 2, kind: 'coordinate', at: k };
      }
      if (t.norm === 'case' && tokens[k - 1]?.norm === 'in') return { start: k + 1, kind: 'subordinate', at: k - 1 };
      if (t.norm === 'but' && next && !isVerbish(k + 1) && k + 1 < from) return { start: k + 1, kind: 'coordinate', at: k };
      if (t.norm === ',') sawComma = true;
    }
    return { start: a, kind: 'sentence', at: -1 };
  };
  /** "a ceasefire declared by Vladimir Putin": a participle with its agent, describing the noun before it. */
  const agentParticiple = (k: number) => tokens[k + 1]?.norm === 'by' && tokens[k].norm.endsWith('ed') && (tokens[k - 1]?.pos === 'NOUN' || namedAt[k - 1] >= 0);
  /** Where the clause after a trigger ends: `roles` stops at the next verb too (where its objects end). */
  const clauseForward = (from: number, b: number, roles: boolean) => {
    for (let k = from; k < b; k++) {
      const t = tokens[k];
      const next = tokens[k + 1];
      if (hitStartAt[k] >= 0) return k;
      if (t.norm === ';' || t.norm === ':' || t.norm === '(' || t.text === '—' || t.text === '–') return k;
      if (RELATIVE.has(t.norm) || t.norm === 'that') return k;
      if (SUBORDINATE.has(t.norm) && t.pos !== 'ADJ') return k;
      if (t.norm === 'in' && next?.norm === 'case') return k;
      if (isSpeech(k) && !agentParticiple(k)) return k;
      if ((t.norm === 'and' || t.norm === 'or' || t.norm === 'but') && next && (isVerbish(k + 1) || (next.pos === 'ADV' && isVerbish(k + 2)))) return k;
      if (t.norm === ',' && next && (next.pos === 'VERB' || /^(?:and|but|while|whereas|yet|as|after|before|which|who)$/.test(next.norm))) return k;
      if (t.norm === 'to' && next && next.pos === 'VERB') return k;
      if (CLAUSE_PREPS.has(t.norm)) {
        // "after Israel killed ...": a clause, not a phrase
        for (let q = k + 1; q < Math.min(b, k + 7); q++) {
          if (isVerbTok(q)) return k;
          if (tokens[q].pos === 'ADP' || tokens[q].pos === 'PUNCT') break;
        }
      }
      if (roles && t.pos === 'VERB' && k > from) {
        const p = tokens[k - 1];
        // (nor at a participle with its agent after a noun: "a ceasefire declared by Vladimir Putin")
        if (!(p.pos === 'DET' || p.pos === 'ADJ') && !(qtyAt[k] >= 0) && !attributive(k) && !agentParticiple(k)) return k;
      }
    }
    return b;
  };

  // --- the events ------------------------------------------------------------------------------

  const drafts: Draft[] = [];
  const quoteAt = (pos: number): Quote | undefined => {
    const qs = doc.quotes;
    let found: Quote | undefined;
    const lo = lowerBound(qs, (q) => q.start <= pos);
    for (let i = lo - 1; i >= 0 && i >= lo - 4; i--) if (qs[i].start <= pos && pos < qs[i].end && (!found || qs[i].start > found.start)) found = qs[i];
    // nested quotes carry their outer quote's speaker
    return found;
  };
  const datesBySent: DateRef[][] = [];
  {
    let di = 0;
    const ds = doc.dates;
    sentences.forEach((s, si) => {
      while (di < ds.length && ds[di].start < s.start) di++;
      const list: DateRef[] = [];
      for (let q = di; q < ds.length && ds[q].start < s.end; q++) list.push(ds[q]);
      datesBySent[si] = list;
    });
  }
  const usableDate = (d: DateRef) => {
    // "a 2013 resolution", "the 1953 armistice": a date that modifies a noun is no event's time
    const k = ix.tokenIndexAt(d.start);
    const p = tokens[k - 1];
    if (p && (p.norm === 'a' || p.norm === 'an' || p.norm === 'the' || p.norm === "'s" || p.norm === 'its' || p.norm === 'their')) {
      const last = tokens[ix.tokenIndexAt(d.end) - 1];
      const after = tokens[ix.tokenIndexAt(d.end)];
      if (!last || last.pos === 'NUM' || (after && (after.pos === 'NOUN' || after.pos === 'ADJ'))) return false;
    }
    const [s, e] = d.value.split('/');
    return ISO.test(s) && (e === undefined || ISO.test(e));
  };

  const usableBySent = datesBySent.map((list) => (list.length ? list.filter(usableDate) : list));
  let sentenceHits: Hit[] = [];
  let lastWithActor = -1;
  /** A verb in the past ("attacked", "met"): what it tells has happened, whatever date a weekday resolves to. */
  const pastTense = (k: number) => {
    const t = tokens[k];
    if (t.pos !== 'VERB' || t.norm === t.lemma || t.norm.endsWith('ing') || t.norm.endsWith('s')) return false;
    const p = tokens[k - 1];
    return !(p && (MODAL_OR_TO.has(p.norm) || BE.has(p.norm)));
  };
  /** Is there an event of the same type with actors in this sentence or the one before (in this paragraph)? */
  const canInherit = (d: Draft, local: readonly Draft[]) => {
    const type = d.hit.rec.type;
    for (const x of local) if (!x.drop && x.parts.length && x.hit.rec.type === type) return true;
    for (let j = drafts.length - 1; j >= 0; j--) {
      const p = drafts[j];
      if (p.seg !== d.seg || d.sent - p.sent > 1) break;
      if (!p.drop && p.parts.length && p.hit.rec.type === type) return true;
    }
    return false;
  };
  /** Does the sentence [a, b) name an actor, or have a pronoun, nominal or plural that may point back to one? */
  const mayNameActor = (a: number, b: number) => {
    for (let k = a; k < b; k++) {
      const t = tokens[k];
      if (namedAt[k] >= 0) {
        if (isActor(actorId(named[namedAt[k]]))) return true;
      } else if (t.pos === 'PRON' || GROUP_NOUNS.has(t.norm) || PLURAL_HEADS.has(t.norm)) return true;
    }
    return false;
  };
  let sentenceCues: PhraseHit[] | undefined;
  /** The cue words of the sentence [a, b) (data/lexicon/cues.tsv), read once when first needed. */
  const cuesOf = (a: number, b: number): PhraseHit[] => {
    if (sentenceCues) return sentenceCues;
    sentenceCues = [];
    for (let q = a; q < b; q++) {
      const h = phraseAt(text, tokens, q, kb.cues);
      if (h) sentenceCues.push(h);
    }
    return sentenceCues;
  };
  for (let si = 0; si < sentences.length; si++) {
    const s = sentences[si];
    if (segKind.get(s.segment) === 'credit') continue;
    const a = ix.tokenIndexAt(s.start);
    let b = a;
    while (b < n && tokens[b].sentence === si) b++;
    // 1. triggers, longest first, left to right
    sentenceHits = scanner.sentence(a, b);
    if (!sentenceHits.length) continue;
    codeSentence(si, a, b);
  }

  // (its own function, like finish: the objects it handles vary in shape, and V8 should not throw
  // away what it compiled for the loop above when they do)
  function codeSentence(si: number, a: number, b: number): void {
    const s = sentences[si];
    // a sentence naming no actor, pointing back to none and following no event can give no event: skip its work
    const previousHadEvent = lastWithActor >= 0 && lastWithActor === si - 1 && drafts.length > 0 && drafts[drafts.length - 1].seg === s.segment;
    if (!previousHadEvent && !mayNameActor(a, b) && !quoteAt(s.start) && !quoteAt(tokens[b - 1].start)) {
      for (let k = a; k < b; k++) hitStartAt[k] = -1;
      return;
    }
    sentenceCues = undefined;
    const local: Draft[] = [];
    for (let hi = 0; hi < sentenceHits.length; hi++) {
      const hit = sentenceHits[hi];
      const d = codeOne(hit, hi, si, a, b, local);
      local.push(d);
    }
    // who a threat, request or accusation is aimed at, when it names no one itself: the actors of
    // what is threatened or alleged ("warned that Moscow would strike NATO countries")
    for (const d of local) {
      const g = d.governor;
      if (!g || !g.hit.verb || g.object.some((p) => isActor(p.entity))) continue;
      const type = g.hit.rec.type;
      if (!(NON_FACTIVE.has(type) || type === 'ACCUSE')) continue;
      const own = new Set(g.subject.map((p) => p.entity));
      const ownCountries = new Set(g.subject.map((p) => entityOf(p.entity)?.country).filter(Boolean));
      const pool = d.parts.filter((p) => !own.has(p.entity) && !ownCountries.has(entityOf(p.entity)?.country) && p.why !== 'control');
      const pick = type === 'ACCUSE' && pool.some((p) => p.role === 'source') ? pool.filter((p) => p.role === 'source') : pool;
      for (const p of pick) {
        if (g.parts.some((x) => x.entity === p.entity)) continue;
        const part: Part = { ...p, role: g.hit.rec.objectRole, why: 'aimed-at' };
        g.parts.push(part);
        g.object.push(part);
      }
    }
    for (let k = a; k < b; k++) hitStartAt[k] = -1;
    if (local.some((d) => d.parts.length > 0)) lastWithActor = si;
    drafts.push(...local);
  }

  function codeOne(hit: Hit, hi: number, si: number, a: number, b: number, local: Draft[]): Draft {
    const rec = hit.rec;
    const finalPrep = tokens[hit.end - 1]?.pos === 'ADP' && tokens[hit.end - 1].norm !== 'by';
    const passive = hit.verb && !finalPrep && isPassiveAt(hit.start);
    const back = clauseBack(a, hit.start, hit.verb);
    const roleEnd = clauseForward(hit.end, b, true);
    const clauseEnd = Math.max(roleEnd, clauseForward(hit.end, b, false));
    const d: Draft = {
      hit, sent: si, seg: sentences[si].segment, clauseStart: back.start, clauseEnd, parts: [], subject: [], object: [], places: [],
      passive, modality: 'asserted', drop: DENIAL_RECORDS.has(rec.id), rules: [], quantities: [],
      time: undefined, governor: undefined, recode: undefined, // (every draft one shape)
    };
    // ", killing three civilians": a participle telling more of the event before it
    if (hit.verb && tokens[hit.start - 1]?.norm === ',' && tokens[hit.start].norm.endsWith('ing')) d.rules.push('participle');
    // "..., including the killing of ...": an item of a list hanging off an earlier event
    for (let q = hit.start - 1; q >= Math.max(a, hit.start - 4); q--) {
      if (tokens[q].lemma === 'include' || (tokens[q].norm === 'as' && tokens[q - 1]?.norm === 'such')) d.rules.push('list-item');
      if (!(tokens[q].pos === 'DET' || tokens[q].pos === 'ADJ' || tokens[q].pos === 'NUM')) break;
    }
    // "talks in Munich hosted by X": a participle describing an earlier event
    if (passive && tokens[hit.end]?.norm === 'by' && !BE.has(tokens[hit.start - 1]?.norm ?? '') && hi > 0) {
      const ph = sentenceHits[hi - 1];
      // only right after the event's noun, or after a place phrase of it: "talks in Munich hosted by X"
      // (not "released hostages in exchange for prisoners freed by Israel")
      let attached = tokens[ph.end - 1].pos === 'NOUN';
      for (let q = ph.end; q < hit.start && attached; q++) {
        const t = tokens[q];
        if (namedAt[q] >= 0 && (named[namedAt[q]].type === 'LOCATION' || named[namedAt[q]].type === 'FACILITY')) continue;
        if (!(t.pos === 'ADP' || t.pos === 'DET')) attached = false;
      }
      if (attached) d.rules.push('reduced-relative');
    }
    const quote = quoteAt(tokens[hit.start].start);
    const c: HitCtx = {
      hit, hi, si, a, b, local, d, rec, preps: rec.prepositions ?? {}, passive, back, roleEnd, clauseEnd, quote, speaker: quote?.speaker,
      subjectFromClause: true, subjectRole: passive ? rec.objectRole : rec.subjectRole, cueFrom: back.start, placeOrder: 0,
    };
    readGovernor(c);
    readSubject(c);
    if (readObject(c)) return d;
    readNumbersAndTime(c);
    readModality(c);
    return d;
  }

  /** A place the event may have happened at. */
  function addPlace(c: HitCtx, m: Mention, destination: boolean) {
    const d = c.d;
    if (d.places.some((p) => p.entity === m.entity)) return;
    d.places.push({ entity: m.entity!, mention: m, rank: placeRank(m), destination, order: c.placeOrder++ });
  }
  /** An actor in a role (a place instead, when the mention names one). */
  function addPart(c: HitCtx, list: Part[], m: Mention | undefined, entity: string | undefined, role: Role, why: string, place = true) {
    const d = c.d;
    if (!entity) return;
    if (m && !isActor(actorId(m))) {
      if (place && (m.type === 'LOCATION' || m.type === 'FACILITY')) addPlace(c, m, false);
      return;
    }
    const id = m ? actorId(m) : entity;
    if (!isActor(id) && !(entityOf(id) && isActorType(entityOf(id)!.type))) return;
    if (d.parts.some((p) => p.entity === id)) return;
    const part = { entity: id, role, mention: m, why };
    d.parts.push(part);
    list.push(part);
  }
  /** The actors of a noun phrase in a role; a pronoun, plural or first person points back to them. */
  function addPhrase(c: HitCtx, list: Part[], np: NounPhrase, role: Role, why: string, _exclude?: Set<string>) {
    const { d, speaker } = c;
    const ms = np.ms.length ? heads(np.ms.filter((m) => isActor(actorId(m)) || m.type === 'LOCATION' || m.type === 'FACILITY')) : np.ms;
    for (const m of ms) addPart(c, list, m, m.entity, role, why);
    if ((np.anaphor !== undefined || np.pronoun !== undefined) && !ms.some((m) => isActor(actorId(m)))) {
      const exclude = _exclude ?? taken(c);
      if (np.anaphor !== undefined) for (const m of resolvePlural(np.anaphor, exclude)) addPart(c, list, m, m.entity, role, `${why}:plural`);
      else if (np.pronoun !== undefined) {
        const pr = tokens[np.pronoun].norm;
        if (FIRST_PERSON.has(pr) && speaker) addPart(c, list, undefined, speaker, role, `${why}:speaker`);
        else if (PERSON_PRONOUNS.has(pr) || GROUP_PRONOUNS.has(pr)) {
          const spk = speaker ? entityOf(speaker) : undefined;
          const m = resolveBack(tokens[np.pronoun].start, PERSON_PRONOUNS.has(pr) ? 'PERSON' : 'GROUP', exclude, FIRST_PERSON.has(pr) ? undefined : list === d.object && spk?.country ? spk.country : undefined, segKind.get(d.seg) === 'caption');
          if (m) addPart(c, list, m, m.entity, role, `${why}:pronoun`);
        }
      }
    }
  }
  function taken(c: HitCtx): Set<string> {
    return new Set(c.d.parts.map((p) => p.entity));
  }

  /** What governs the trigger, and what that makes of it: a denial, a request, an accusation, a purpose. */
  function readGovernor(c: HitCtx): void {
    const { hit, hi, a, local, d, rec, passive, back } = c;
    // 2a. what governs the trigger: the trigger just before it in its clause, when this one is what
    // that one is about ("denied attacking", "accused X of shelling", "offered to host talks",
    // "condemned the attack"); a verb joined to it by "and" shares its c.governor ("agreed to disarm and disband")
    const ph = sentenceHits[hi - 1];
    if (ph && local[hi - 1] && ph.end <= hit.start && ph.start >= back.start) {
      let coordinated = false;
      let conjunction = false;
      let comma = false;
      let adjunct = false;
      for (let q = ph.end; q < hit.start; q++) {
        const t = tokens[q];
        if (t.norm === ',') comma = true;
        if (t.pos === 'ADP' && !/^(?:of|for|about|into|over|on|against|to|out|up|off)$/.test(t.norm)) {
          // "agreed in Luanda to a ceasefire": a place phrase in between changes nothing
          let r = q + 1;
          while (r < hit.start && tokens[r].pos === 'DET') r++;
          const m = namedAt[r] >= 0 ? named[namedAt[r]] : undefined;
          if (m && (m.type === 'LOCATION' || m.type === 'FACILITY')) {
            q = endTok(m) - 1;
            continue;
          }
          adjunct = true;
        }
        if ((t.norm === 'and' || t.norm === 'or' || t.norm === ',') && (isVerbish(q + 1) || (tokens[q + 1]?.pos === 'ADV' && isVerbish(q + 2)))) {
          coordinated = true;
          conjunction ||= t.norm !== ',';
        }
      }
      if (coordinated) c.coordinatedWith = local[hi - 1];
      else if (!comma) {
        if (ph.verb) {
          const before = tokens[hit.start - 1];
          if ((!hit.verb && !adjunct) || (hit.verb && /ing$/.test(tokens[hit.start].norm)) || (before && /^(?:to|of|for|from|about|on|into)$/.test(before.norm))) c.governor = local[hi - 1];
        } else if (hit.start - ph.end <= 4 && tokens.slice(ph.end, hit.start).every((t) => t.pos === 'ADP' || t.pos === 'DET' || t.pos === 'ADJ' || t.pos === 'NUM')) c.governor = local[hi - 1];
      }
    }
    if (!c.governor && c.coordinatedWith?.governor && c.coordinatedWith.hit.verb && conjunctionBefore(hit.start, c.coordinatedWith.hit.end) && hit.verb) c.governor = c.coordinatedWith.governor;
    // a protest's demands are not a separate request (eval/README.md, PLOVER manual)
    if (rec.type === 'REQUEST' && (c.governor ?? c.coordinatedWith)?.hit.rec.type === 'PROTEST') {
      d.drop = true;
      d.rules.push('protest-demand');
    }
    // "warned that ...", "demanded that ...": the clause is what is threatened or asked for, not an event yet
    if (back.kind === 'complement' && back.at > a) {
      const g = local.find((_, xi) => sentenceHits[xi].end === back.at);
      if (g && g.hit.verb && NON_FACTIVE.has(g.hit.rec.type) && g.hit.rec.type !== 'REJECT' && g.subject.some((p) => isActor(p.entity))) {
        d.drop = true;
        d.governor = g;
        d.rules.push(`governed-by-${g.hit.rec.type}`);
      }
    }
    // what an event is for shares its mood: "is preparing an offensive to retake ..." is a plan too
    if (c.governor && hit.verb && tokens[hit.start - 1]?.norm === 'to' && (c.governor.modality === 'planned' || c.governor.modality === 'speculated' || c.governor.modality === 'denied')) {
      d.modality = c.governor.modality === 'denied' ? 'speculated' : c.governor.modality;
      d.rules.push('purpose');
    }
    // "banned women from attending ...": a prevented act is no event
    if (hit.verb && tokens[hit.start].norm.endsWith('ing') && tokens[hit.start - 1]?.norm === 'from') {
      d.drop = true;
      d.rules.push('prevented');
    }
    // "rallied ... to demand the removal of ...", "a strike to press for ...": a protest's demand is the protest's
    if (rec.type === 'REQUEST' && hit.verb && (tokens[hit.start - 1]?.norm === 'to' || tokens[hit.start].norm.endsWith('ing')) && local.some((x) => x.hit.rec.type === 'PROTEST')) {
      d.drop = true;
      d.rules.push('protest-demand');
    }
    c.subjectFromClause = !c.governor;
    // where cue words for this event may start: not before a verb that is not its own ("has not retaliated for Iran's barrage")
    c.cueFrom = back.start;
    if (c.governor && c.governor.hit.verb && !hit.verb) c.cueFrom = c.governor.hit.end;
    if (c.governor) {
      d.governor = c.governor;
      const g = c.governor.hit.rec;
      const infinitive = tokens[hit.start - 1]?.norm === 'to';
      if (!c.governor.hit.verb) {
        // a noun about a noun ("talks on a ceasefire"): no subject of its own from the clause; but
        // "a major offensive to retake Khartoum": the purpose of an event is done by its doers
        if (infinitive && hit.verb) for (const p of c.governor.subject) addPart(c, d.subject, p.mention, p.entity, passive ? rec.objectRole : rec.subjectRole, 'purpose');
      } else if (DENIAL_RECORDS.has(g.id)) {
        for (const p of c.governor.subject) addPart(c, d.subject, p.mention, p.entity, passive ? rec.objectRole : rec.subjectRole, 'denier');
        d.modality = 'denied';
        d.rules.push('denied-by-c.governor');
      } else if (g.type === 'REJECT' && !hit.verb && (rec.type === 'REQUEST' || rec.type === 'AGREE')) {
        // "rejected Hamas's demand", "rejected an offer from Seoul": it was addressed to the one who rejects it
        for (const p of c.governor.subject) addPart(c, d.object, p.mention, p.entity, 'target', 'addressee');
      } else if (NON_FACTIVE.has(g.type) && (hit.verb || g.type !== 'REJECT')) {
        d.drop = true; // the requested / threatened / promised act itself is not an event yet
        d.rules.push(`governed-by-${g.type}`);
        // a promise of force is a threat; agreeing to disarm is a concession (data/plover/README.md)
        if (g.type === 'AGREE' && CONFLICT.has(rec.type)) c.governor.recode = { type: 'THREATEN', ...(rec.type === 'ASSAULT' ? { mode: 'violence' } : {}) };
        else if (g.type === 'AGREE' && rec.type === 'RETREAT' && hit.verb) c.governor.recode = { type: 'CONCEDE' };
        for (const p of c.governor.subject) addPart(c, d.subject, p.mention, p.entity, passive ? rec.objectRole : rec.subjectRole, 'control');
      } else if (g.type === 'ACCUSE') {
        // "accused Moscow of shelling ...": the accused is the source; what they did is hearsay
        const between = tokens.slice(c.governor.hit.end, hit.start).some((t) => t.norm === 'of' || t.norm === 'for');
        if (between) for (const p of c.governor.object) addPart(c, d.subject, p.mention, p.entity, rec.subjectRole, 'accused');
        if (g.mode === 'allege' || g.mode === 'investigate' || between) d.modality = 'reported';
        d.rules.push('accusation');
      } else if ((infinitive || /ing$/.test(tokens[hit.start].norm)) && hit.verb) {
        for (const p of c.governor.subject) addPart(c, d.subject, p.mention, p.entity, passive ? rec.objectRole : rec.subjectRole, 'control');
      }
    }

  }
  /** The subject: a relative pronoun's antecedent, a possessive or modifier of a noun, or the clause's subject. */
  function readSubject(c: HitCtx): void {
    const { hit, a, d, rec, passive, back } = c;
    // 2b. the subject: a relative pronoun's antecedent, a possessive or modifier of a noun, or the clause's subject
    c.subjectRole = passive ? rec.objectRole : rec.subjectRole;
    if (!hit.verb && !d.subject.length) {
      // "Russia's deployment", "Israeli airstrikes", "its withdrawal"
      let k = hit.start - 1;
      while (k >= back.start && namedAt[k] < 0 && (tokens[k].pos === 'ADJ' || tokens[k].pos === 'NOUN' || tokens[k].pos === 'NUM' || tokens[k].norm === "'s" || tokens[k].key === '' || tokens[k].pos === 'ADV') && hitStartAt[k] < 0) k--;
      if (k >= back.start && namedAt[k] >= 0) {
        const m = named[namedAt[k]];
        const np = nounPhrase(ix.tokenIndexAt(m.start), hit.start);
        addPhrase(c, d.subject, { ms: np.ms.length ? np.ms : [m], end: np.end }, rec.subjectRole, 'possessive');
      } else if (k >= back.start && POSSESSIVES.has(tokens[k].norm)) {
        // "its latest military aid package": the subject of the clause first, then whoever came before
        const own = subjectIn(back.start, k);
        const fits = own && (tokens[k].norm === 'his' || tokens[k].norm === 'her' ? own.type === 'PERSON' : own.type !== 'PERSON');
        if (own && fits) addPhrase(c, d.subject, { ms: [own], end: k }, rec.subjectRole, 'possessive:subject');
        else addPhrase(c, d.subject, { ms: [], end: k + 1, pronoun: k }, rec.subjectRole, 'possessive');
      }
      if (d.subject.length) c.subjectFromClause = false;
    }
    if (!hit.verb) {
      // the verb that governs a noun says whether the clause's subject did it ("launched an offensive"),
      // underwent it ("suffered losses"), or neither ("acts on the requests of ..."); its cue words
      // ("has not retaliated for ...") are not the noun's unless it carries the noun
      const free = c.subjectFromClause && !d.subject.length;
      let prepBetween = false;
      let firstPrep = '';
      let list = false;
      for (let q = hit.start - 1; q >= back.start; q--) {
        const t = tokens[q];
        if (t.lemma === 'include' || (t.norm === 'as' && tokens[q - 1]?.norm === 'such')) {
          // a list hanging off an earlier noun ("setbacks ..., including losses"): read the verb of that noun
          prepBetween = false;
          list = true;
          continue;
        }
        if (t.pos === 'ADP' && !list && !/^(?:of|out|up|off|down)$/.test(t.norm)) {
          prepBetween = true;
          firstPrep ||= t.norm;
        }
        if (t.pos !== 'VERB') continue;
        // "denied any involvement in the attack": the denier's act, denied
        if (t.lemma === 'deny' || t.norm.startsWith('denie')) {
          d.modality = 'denied';
          d.rules.push('denied-involvement');
          break;
        }
        // "said during a meeting with", "took part in talks", "arrived for talks": whoever is there takes part
        if ((prepBetween && isSpeech(q)) || (prepBetween && rec.subjectRole === 'participant' && /^(?:during|at|in|amid|on|to|into|for)$/.test(firstPrep))) {
          c.cueFrom = Math.max(c.cueFrom, q + 1);
          // the speaker right before the verb: "..., Foreign Minister Sergei Lavrov said during a visit to Wonsan"
          let v = q - 1;
          while (v > back.start && (tokens[v].pos === 'AUX' || tokens[v].pos === 'ADV')) v--;
          const m = namedAt[v] >= 0 ? named[namedAt[v]] : undefined;
          if (free && m && isActor(actorId(m)) && isSpeech(q)) {
            addPhrase(c, d.subject, { ms: listEndingAt(m), end: v + 1 }, c.subjectRole, 'speaker');
            c.subjectFromClause = false;
          }
          break;
        }
        // ("dismissed a ceasefire", "confirmed the attack": what a speech verb names is not its speaker's act,
        // unless the verb is one that carries it, "announced an amnesty")
        if (!free && !prepBetween && [t.lemma, ...stems(t.norm)].some((x) => PLAN_VERBS.has(x))) d.rules.push('planned-by-verb');
        const lemmas = [t.lemma, ...stems(t.norm)];
        const carries = !prepBetween && lemmas.some((x) => SUPPORT_VERBS.has(x) || PLAN_VERBS.has(x) || VICTIM_VERBS.has(x));
        if (!carries) {
          c.cueFrom = Math.max(c.cueFrom, q + 1);
          d.rules.push('uncarried');
        }
        if (!free) break;
        if (!prepBetween && lemmas.some((x) => PLAN_VERBS.has(x))) d.rules.push('planned-by-verb');
        if (!carries) c.subjectFromClause = false;
        else if (lemmas.some((x) => VICTIM_VERBS.has(x))) {
          c.subjectRole = 'target';
          d.rules.push('victim');
        }
        break;
      }
    }
    if (back.kind === 'relative' && back.at > a && !d.subject.length && c.subjectFromClause) {
      let k = back.at - 1;
      if (tokens[k]?.norm === ',') k--;
      const ante = namedAt[k] >= 0 ? named[namedAt[k]] : undefined;
      if (ante) addPart(c, d.subject, ante, ante.entity, c.subjectRole, 'antecedent');
    }
    // "prompting Manila to deploy ...": the object of the verb before is the subject of the infinitive
    if (hit.verb && !d.subject.length && tokens[hit.start - 1]?.norm === 'to' && namedAt[hit.start - 2] >= 0) {
      const m = named[namedAt[hit.start - 2]];
      const v = tokens[ix.tokenIndexAt(m.start) - 1];
      if (v && v.pos === 'VERB' && isActor(actorId(m))) {
        addPhrase(c, d.subject, { ms: listEndingAt(m), end: hit.start - 1 }, c.subjectRole, 'object-control');
        c.subjectFromClause = false;
      }
    }
    // "90 Palestinian prisoners freed by Israel": a participle's subject is the noun it follows
    if (passive && !BE.has(tokens[hit.start - 1]?.norm ?? '') && tokens[hit.end]?.norm === 'by' && c.subjectFromClause && !d.subject.length) {
      let v = hit.start - 1;
      while (v > back.start && namedAt[v] < 0 && tokens[v].pos === 'NOUN') v--;
      const m = namedAt[v] >= 0 ? named[namedAt[v]] : undefined;
      if (m) addPhrase(c, d.subject, { ms: listEndingAt(m), end: hit.start }, c.subjectRole, 'participle');
      c.subjectFromClause = false;
    }
    if (c.subjectFromClause && !d.subject.length) {
      let subj = subjectIn(back.start, hit.start);
      let np = subj ? nounPhrase(ix.tokenIndexAt(subj.start), hit.start) : undefined;
      // the actor right before a verb is its subject, even after another phrase ("..., a move Israel condemned")
      if (hit.verb) {
        let k = hit.start - 1;
        while (k > back.start && (tokens[k].pos === 'AUX' || tokens[k].pos === 'ADV' || tokens[k].pos === 'PART')) k--;
        const m = namedAt[k] >= 0 ? named[namedAt[k]] : undefined;
        if (m && isActor(actorId(m)) && !ix.precededByLocative(m) && !(np && np.ms.includes(m)) && tokens[ix.tokenIndexAt(m.start) - 1]?.pos !== 'ADP') {
          subj = m;
          np = { ms: listEndingAt(m), end: k + 1 };
        }
      }
      if (subj && np) {
        addPhrase(c, d.subject, np.ms.length ? np : { ms: [subj], end: np.end }, c.subjectRole, 'subject');
      } else {
        // a pronoun, "the group", or "both sides" heading the clause
        for (let k = back.start; k < hit.start; k++) {
          const t = tokens[k];
          const possessive = t.norm === 'its' || t.norm === 'their' || t.norm === 'his' || t.norm === 'her' || t.norm === 'our';
          // "he", "they", or "his office", "its fighters" heading the clause
          if (t.pos === 'PRON' && (FIRST_PERSON.has(t.norm) || PERSON_PRONOUNS.has(t.norm) || GROUP_PRONOUNS.has(t.norm)) && (!possessive || (tokens[k + 1]?.pos === 'NOUN' && (k === back.start || tokens[k - 1].pos === 'PUNCT' || tokens[k - 1].pos === 'CCONJ')))) {
            addPhrase(c, d.subject, { ms: [], end: k + 1, pronoun: k }, c.subjectRole, 'subject');
            break;
          }
          if (t.norm === 'the' && tokens[k + 1] && GROUP_NOUNS.has(tokens[k + 1].norm) && tokens[k + 2]?.pos !== 'ADP') {
            const m = resolveNominal(t.start, tokens[k + 1].norm, taken(c));
            if (m) addPart(c, d.subject, m, m.entity, c.subjectRole, 'subject:nominal');
            break;
          }
          if (PLURAL_HEADS.has(t.norm) && (PLURAL_COUNT[tokens[k - 1]?.norm ?? ''] || tokens[k - 1]?.norm === 'the')) {
            for (const m of resolvePlural(k, taken(c))) addPart(c, d.subject, m, m.entity, c.subjectRole, 'subject:plural');
            break;
          }
          if (t.pos === 'VERB') break;
        }
      }
    }

  }
  /** The object and the phrases after the trigger, and the places around it; true when the hit gives nothing more. */
  function readObject(c: HitCtx): boolean {
    const { hit, b, local, d, rec, preps, passive, back, roleEnd, clauseEnd } = c;
    // 2c. the object of an active verb (or of a phrase ending in its preposition), and the phrases after it
    let k = hit.end;
    const lastWord = hit.key.slice(hit.key.lastIndexOf(' ') + 1);
    const phraseEndsInPrep = tokens[hit.end - 1]?.pos === 'ADP' || tokens[hit.end - 1]?.norm === 'to';
    if (hit.verb && !passive) {
      while (k < roleEnd && (tokens[k].pos === 'ADV' || tokens[k].pos === 'PART' || (tokens[k].pos === 'ADP' && !phraseEndsInPrep && /^(?:up|out|off|down|back)$/.test(tokens[k].norm)))) k++;
      if (k < roleEnd && tokens[k].pos !== 'ADP' && tokens[k].norm !== 'to') {
        const np = nounPhrase(k, roleEnd);
        const role: Role = phraseEndsInPrep && preps[lastWord] && preps[lastWord] !== 'location' ? (preps[lastWord] as Role) : rec.objectRole;
        // what one flees or pulls out of is a place: "fled Damascus", "pull its troops out of Niger"
        const away = preps.from === 'location' || (phraseEndsInPrep && !preps[lastWord]);
        if (away) for (const m of np.ms) if (m.type === 'LOCATION' || m.type === 'FACILITY') addPlace(c, m, false);
        addPhrase(c, d.object, away ? { ...np, ms: np.ms.filter((m) => m.type !== 'LOCATION' && m.type !== 'FACILITY') } : np, role, 'object');
        k = Math.max(k, np.end);
      }
      // "received a delegation of senior US diplomats": the phrase's own noun takes its object with "of"
      if (!d.object.length && tokens[hit.end - 1].pos === 'NOUN' && tokens[k]?.norm === 'of' && k < roleEnd) {
        const np = nounPhrase(k + 1, roleEnd);
        addPhrase(c, d.object, np, rec.objectRole, 'object:of');
        k = Math.max(k, np.end);
      }
    } else if (phraseEndsInPrep && k < roleEnd) {
      // "attack claimed by X", "fall to X"
      const np = nounPhrase(k, roleEnd);
      const r = preps[lastWord];
      if (r && r !== 'location') addPhrase(c, r === 'source' ? d.subject : d.object, np, r, `prep:${lastWord}`);
      else for (const m of np.ms) if (m.type === 'LOCATION' || m.type === 'FACILITY') addPlace(c, m, DESTINATION.has(lastWord));
      k = Math.max(k, np.end);
    }
    for (; k < roleEnd; k++) {
      const t = tokens[k];
      if (t.pos !== 'ADP' && t.norm !== 'to') continue;
      const prep = t.norm;
      if (prep === 'according' || (prep === 'to' && tokens[k - 1]?.norm === 'according')) continue;
      let q = k + 1;
      if (tokens[q]?.norm === 'both') q++;
      const np = nounPhrase(q, roleEnd);
      // leaving a bloc or treaty is SANCTION/withdraw, not a retreat (data/plover/README.md)
      if (prep === 'from' && rec.type === 'RETREAT' && rec.mode === 'withdraw') {
        const org = np.ms.find((m) => m.type === 'ORGANIZATION' && /igo|alliance|un_body/.test(entityOf(m.entity!)?.kind ?? ''));
        if (org) {
          d.recode = { type: 'SANCTION', mode: 'withdraw' };
          addPart(c, d.object, org, org.entity, 'target', 'left');
        }
      }
      // hostile acts are aimed "against" or "on" someone even where the record does not say so
      let role = preps[prep] ?? (HOSTILE.has(rec.type) && (prep === 'against' || (prep === 'on' && rec.type === 'ASSAULT')) ? 'target' : undefined);
      if (passive && prep === 'by') role = preps.by && preps.by !== 'location' ? preps.by : rec.subjectRole;
      const placePrep = PLACE_PREPS.has(prep);
      if (role && role !== 'location') {
        // a town after "in"/"to" is where, not who ("deployed to Goma"); a state or its capital stays an actor ("aid to Kyiv")
        const actors: Mention[] = [];
        for (const m of np.ms) {
          const kind = entityOf(m.entity!)?.kind;
          const town = m.type === 'FACILITY' || (m.type === 'LOCATION' && kind !== 'state' && kind !== 'capital');
          if (!isActor(actorId(m)) || (placePrep && (town || (rec.type === 'MOBILIZE' && m.type === 'LOCATION')))) {
            if (m.type === 'LOCATION' || m.type === 'FACILITY') addPlace(c, m, DESTINATION.has(prep));
          } else actors.push(m);
        }
        addPhrase(c, role === 'source' ? d.subject : d.object, { ...np, ms: actors }, role as Role, `prep:${prep}`);
      } else if (role === 'location' || placePrep) {
        for (const m of np.ms) if (m.type === 'LOCATION' || m.type === 'FACILITY') addPlace(c, m, DESTINATION.has(prep));
      }
      k = Math.max(k, np.end - 1);
    }
    // "warned that Seoul would pay ...", "demanded that the RSF leave ...": whom a threat or demand is aimed at
    if (hit.verb && (rec.type === 'THREATEN' || rec.type === 'REQUEST') && !d.object.some((p) => isActor(p.entity))) {
      let t = hit.end;
      while (t < Math.min(b, hit.end + 6) && tokens[t].norm !== 'that' && tokens[t].pos !== 'VERB') t++;
      if (tokens[t]?.norm === 'that') {
        let v = t + 1;
        while (v < b && !isVerbish(v)) v++;
        const m = subjectIn(t + 1, v);
        const own = d.subject.map((p) => entityOf(p.entity)?.country).filter(Boolean);
        if (m && !d.parts.some((p) => p.entity === actorId(m)) && !own.includes(entityOf(actorId(m))?.country)) addPhrase(c, d.object, { ms: listEndingAt(m), end: v }, rec.objectRole, 'complement');
      }
    }
    // place phrases before the trigger in its clause: "In Kharkiv, Russian forces shelled ..."
    for (let q = back.start; q < hit.start; q++) {
      const t = tokens[q];
      if (t.pos !== 'ADP' || !(t.norm === 'in' || t.norm === 'at' || t.norm === 'near' || t.norm === 'inside' || t.norm === 'outside' || t.norm === 'around')) continue;
      const np = nounPhrase(q + 1, hit.start);
      for (const m of np.ms) if ((m.type === 'LOCATION' || m.type === 'FACILITY') && !d.parts.some((p) => p.entity === actorId(m))) addPlace(c, m, false);
    }
    // places further on in the clause (past a participle: "drills at the X training ground situated ...")
    for (let q = roleEnd; q < clauseEnd && !d.places.length; q++) {
      const t = tokens[q];
      if (!(t.norm === 'in' || t.norm === 'at' || t.norm === 'near' || t.norm === 'around') || tokens[q - 1]?.pos === 'VERB') continue;
      const np = nounPhrase(q + 1, clauseEnd);
      for (const m of np.ms) if (m.type === 'FACILITY' || m.type === 'LOCATION') addPlace(c, m, false);
    }

    // "sanctions targeting Russia's shadow fleet", "..., targeting Russian gas": whom the event before is aimed at
    if (hit.key === 'target' && tokens[hit.start].norm.endsWith('ing') && (tokens[hit.start - 1]?.pos === 'NOUN' || tokens[hit.start - 1]?.norm === ',')) {
      const before = [...local].reverse().find((x) => !x.drop);
      if (before) {
        for (const p of d.object) if (!before.parts.some((x) => x.entity === p.entity)) {
          const part: Part = { ...p, role: 'target', why: 'targeting' };
          before.parts.push(part);
          before.object.push(part);
        }
        d.drop = true;
        d.rules.push('aim-of-previous');
        return true;
      }
    }
    // no actor, and no event of its kind just before to take one from: nothing more to read
    if (!d.parts.length && !canInherit(d, local)) {
      d.drop = true;
      return true;
    }

    return false;
  }
  /** The numbers of the clause and the date of the event. */
  function readNumbersAndTime(c: HitCtx): void {
    const { hit, hi, si, b, d, back, clauseEnd } = c;
    // 3. numbers in the clause
    const cs = tokens[back.start].start;
    const ce = tokens[clauseEnd - 1]?.end ?? tokens[hit.end - 1].end;
    // (a noun whose clause is about something else counts only from its own phrase: not the
    // "100,000 ethnic Armenians" who "fled ... within a week of Azerbaijan's offensive")
    let from = back.start;
    if (!hit.verb && (d.rules.includes('uncarried') || d.subject.some((p) => p.why.startsWith('possessive')))) {
      from = hit.start;
      while (from > back.start && (namedAt[from - 1] >= 0 || qtyAt[from - 1] >= 0 || /^(?:DET|ADJ|NUM|NOUN|PROPN|PART)$/.test(tokens[from - 1].pos))) from--;
    }
    for (let q = from; q < clauseEnd; q++) {
      if (qtyAt[q] < 0) continue;
      const m = quantities[qtyAt[q]];
      const cat = quantityCategory(m);
      if (!(cat && QUANTITY_SKIP.has(cat)) && !d.quantities.some((x) => x.text === m.text)) {
        const qa = ((m.attributes ?? {}) as { quantity?: { value?: number; min?: number; max?: number; unit?: string } }).quantity ?? {};
        d.quantities.push({ ...(qa.value !== undefined ? { value: qa.value } : {}), ...(qa.min !== undefined ? { min: qa.min } : {}), ...(qa.max !== undefined ? { max: qa.max } : {}), ...(qa.unit ? { unit: qa.unit } : {}), text: m.text });
      }
      q = Math.max(q, endTok(m) - 1);
    }

    // 4. time: a date in the clause, else in the sentence
    // (after the trigger up to the next one first: "losses in Bakhmut in early 2023"; then before it
    // with no other trigger between: "On July 7, X requested"; then anywhere in the sentence)
    const ds = usableBySent[si];
    const pivot = tokens[hit.start].start;
    const nextHit = sentenceHits[hi + 1];
    const afterEnd = nextHit ? tokens[nextHit.start].start : tokens[b - 1].end;
    const prevHit = sentenceHits[hi - 1];
    const beforeStart = Math.max(cs, prevHit ? tokens[prevHit.end - 1].end : cs);
    const after = ds.filter((x) => x.start >= tokens[hit.end - 1].end && x.end <= Math.min(afterEnd, Math.max(ce, afterEnd)));
    const before = ds.filter((x) => x.start >= beforeStart && x.end <= pivot);
    const pool = after.length ? after : before.length ? before : ds;
    if (pool.length) {
      const best = pool.reduce((p, c) => (Math.abs(c.start - pivot) < Math.abs(p.start - pivot) ? c : p));
      d.time = dateTime(best, 'sentence');
    }

  }
  /** Asserted, reported, planned, speculated or denied: cue words, quotes and speech verbs around the trigger. */
  function readModality(c: HitCtx): void {
    const { hit, a, b, d, rec, back, clauseEnd, speaker, quote } = c;
    // 5. modality: cues before the trigger in its clause and just after it, quotes and speech verbs
    let modality: Event['modality'] = d.modality;
    const raise = (m: Event['modality'] | undefined, why: string) => {
      if (m && MODALITY_RANK[m] > MODALITY_RANK[modality]) {
        modality = m;
        d.rules.push(`modality:${why}`);
      }
    };
    const cueIn = (from: number, to: number, side: 'before' | 'after', only?: string) => {
      for (const h of cuesOf(a, b)) {
        const q = h.start;
        if (q < from || q >= to || (q >= hit.start && q < hit.end)) continue;
        if (h.start < hit.end && h.end > hit.start) continue;
        const nextNorm = tokens[h.end]?.norm ?? '';
        if (NOT_A_CUE[tokens[q].norm]?.has(nextNorm)) continue;
        for (const e of h.entries) {
          if (only && e.category !== only) continue;
          if (e.value && e.value !== 'any' && e.value !== side) continue;
          raise(CUE_MODALITY[e.category], e.phrase);
        }
      }
    };
    cueIn(Math.max(c.cueFrom, hit.start - 8), hit.start, 'before');
    cueIn(hit.end, Math.min(clauseEnd, hit.end + 6), 'after');
    // a source named anywhere before it in the sentence ("According to local elders, ..."), or after a comma ("..., according to X")
    cueIn(a, Math.max(a, Math.min(back.start, hit.start - 8)), 'before', 'reported');
    for (let q = hit.end; q < b; q++)
      if (tokens[q].norm === ',') {
        cueIn(q + 1, b, 'after', 'reported');
        break;
      }
    if (d.rules.includes('planned-by-verb')) raise('planned', 'plan-verb');
    // the clause that governs this one: "Moscow denied that ...", "analysts believe ...", "X said ..."
    if (back.kind === 'complement' || back.kind === 'speech') {
      const gov = clauseBack(a, back.at, true);
      cueIn(Math.max(gov.start, back.at - 6), back.at + 1, 'before');
      if (back.kind === 'speech' || (back.at > a && isSpeech(back.at - 1))) if (!VERBAL.has(rec.type)) raise('reported', 'speech');
    }
    // "..., a UN report notes." / "..., the military said."
    if (!VERBAL.has(rec.type)) {
      for (let q = clauseEnd; q < b; q++) {
        if (!isSpeech(q) || hitStartAt[q] >= 0) continue;
        const comma = tokens.slice(hit.end, q).some((t) => t.norm === ',');
        if (comma && b - q <= 6) raise('reported', 'said-after');
        break;
      }
    }
    if (quote && !(VERBAL.has(rec.type) && speaker && d.subject.some((p) => p.entity === speaker))) raise('reported', 'quote');
    if (d.modality === 'denied') modality = 'denied';
    d.modality = modality;
  }

  /** The first free actor of a clause (not in a place phrase, an aside or another phrase). */
  function subjectIn(from: number, to: number): Mention | undefined {
    for (let k = from; k < to; k++) {
      if (namedAt[k] < 0) continue;
      const m = named[namedAt[k]];
      k = Math.max(k, endTok(m) - 1);
      if (!isActor(actorId(m))) continue;
      if (ix.precededByLocative(m)) continue;
      if (ix.insideParenthetical(m, tokens[from].start)) continue;
      // inside another phrase ("after talks with Iran"): a preposition before the phrase
      let p = ix.tokenIndexAt(m.start) - 1;
      while (p >= from && (tokens[p].pos === 'DET' || tokens[p].pos === 'ADJ' || tokens[p].pos === 'NUM' || tokens[p].norm === "'s")) p--;
      if (p >= from && tokens[p].pos === 'ADP' && tokens[p].norm !== 'of') continue;
      // nor the second of "Negotiators from Israel and Hamas"
      const list = listEndingAt(m);
      if (list[0] !== m) {
        let q = ix.tokenIndexAt(list[0].start) - 1;
        while (q >= from && (tokens[q].pos === 'DET' || tokens[q].pos === 'ADJ')) q--;
        if (q >= from && tokens[q].pos === 'ADP' && tokens[q].norm !== 'of') continue;
      }
      // a nationality heading the actor's own phrase ("Malian Defence Minister Sadio Camara") is read with it by nounPhrase
      return m;
    }
    // "Fighters from the Radaa force and the 444th Brigade clashed", "Delegations from X and Y met"
    for (let k = from; k < to; k++) {
      const t = tokens[k];
      if (t.norm === 'from' || t.norm === 'of') {
        if (k === from || !tokens.slice(from, k).every((x) => x.pos === 'DET' || x.pos === 'ADJ' || x.pos === 'NUM' || x.pos === 'NOUN')) break;
        let q = k + 1;
        while (q < to && (tokens[q].pos === 'DET' || tokens[q].pos === 'ADJ')) q++;
        const m = namedAt[q] >= 0 ? named[namedAt[q]] : undefined;
        return m && isActor(actorId(m)) ? m : undefined;
      }
      if (t.pos !== 'DET' && t.pos !== 'ADJ' && t.pos !== 'NUM' && t.pos !== 'NOUN') break;
    }
    return undefined;
  }
  /** The list of actors ending with `m`: "Mali, Burkina Faso and Niger" from "Niger". */
  function listEndingAt(m: Mention): Mention[] {
    const list = [m];
    for (let mi = namedAt[ix.tokenIndexAt(m.start)] - 1; mi >= 0; mi--) {
      const gap = text.slice(named[mi].end, list[0].start);
      if (!/^\s*(?:,|,?\s*and|&)\s*(?:the\s+)?$/i.test(gap) || !isActor(actorId(named[mi]))) break;
      list.unshift(named[mi]);
    }
    return list;
  }

  function dateTime(x: DateRef, from: string): Draft['time'] {
    const [s, e] = x.value.split('/');
    return { text: x.text, ...(ISO.test(s) ? { start: s } : {}), ...(e && ISO.test(e) ? { end: e } : {}), from };
  }

  // (its own function: whatever V8 learns or unlearns about the objects below stays out of the loops above)
  return finish();

  function finish(): Event[] {
    acrossSentences();
    return mergeEvents(buildEvents());
  }

  /** Repeated events, paragraph dates and photo captions: what one sentence lends another. */
  function acrossSentences(): void {
    // --- across sentences: paragraph dates, repeated events, captions --------------------------------

    // an event with no actor of its own picks up those of the same kind of event just before
    // ("... joint drills with both nations' forces. Recent joint drills at X involved ...")
    for (let i = 0; i < drafts.length; i++) {
      const d = drafts[i];
      if (d.drop || d.parts.some((p) => isActor(p.entity))) continue;
      for (let j = i - 1; j >= 0; j--) {
        const p = drafts[j];
        if (p.seg !== d.seg || d.sent - p.sent > 1) break;
        if (p.drop || p.hit.rec.type !== d.hit.rec.type || !p.parts.length) continue;
        for (const part of p.parts) if (!d.parts.some((x) => x.entity === part.entity)) d.parts.push({ ...part, why: `${part.why}:repeated` });
        d.rules.push('repeated-event');
        break;
      }
    }
    // paragraph dates for events without one in their sentence
    const segDates = new Map<number, DateRef[]>();
    sentences.forEach((s, si) => {
      const list = segDates.get(s.segment) ?? [];
      for (const x of datesBySent[si]) if (usableDate(x)) list.push(x);
      segDates.set(s.segment, list);
    });
    for (const d of drafts) {
      if (d.time || d.drop) continue;
      const list = segDates.get(d.seg) ?? [];
      if (!list.length) continue;
      const at = tokens[d.hit.start].start;
      const before = list.filter((x) => x.end <= at);
      const pick = before.length ? before[before.length - 1] : list[0];
      d.time = dateTime(pick, segKind.get(d.seg) === 'caption' ? 'caption' : 'paragraph');
    }
    // a photo caption dates the event it shows: same type, same place
    for (const d of drafts) {
      if (d.time || d.drop) continue;
      const place = pickPlace(d);
      if (!place) continue;
      const c = drafts.find((x) => x !== d && x.time && segKind.get(x.seg) === 'caption' && x.hit.rec.type === d.hit.rec.type && pickPlace(x)?.entity === place.entity);
      if (c?.time) d.time = { ...c.time, from: 'caption' };
    }

  }

  function pickPlace(d: Draft): Place | undefined {
    const partIds = new Set(d.parts.map((p) => p.entity));
    const cands = d.places.filter((p) => !partIds.has(p.entity) && !partIds.has(ix.actor(p.entity)));
    if (!cands.length) return undefined;
    const mobilize = d.hit.rec.type === 'MOBILIZE';
    return cands.reduce((best, c) => {
      const sc = (p: Place) => (mobilize && p.destination ? -10 : 0) + p.rank;
      return sc(c) < sc(best) || (sc(c) === sc(best) && c.order < best.order) ? c : best;
    });
  }

  /** The events of the drafts that found an actor, with place, time, modality and evidence. */
  function buildEvents(): Out[] {
    // --- out ---------------------------------------------------------------------------------------

    const events: Out[] = [];
    for (const d of drafts) {
      if (d.drop) continue;
      const parts = d.parts;
      if (!parts.some((p) => isActor(p.entity))) continue;
      const rec = d.hit.rec;
      const place = pickPlace(d);
      const participants: Event['participants'] = [];
      let hasSource = false;
      let hasTarget = false;
      for (const p of parts) {
        if (p.entity === place?.entity) continue;
        participants.push({ entity: p.entity, role: p.role });
        if (p.role === 'source') hasSource = true;
        if (p.role === 'target') hasTarget = true;
      }
      if (!participants.length) continue;
      // an agentless passive names no one who did it ("40,000 Palestinians have been killed"): no event of its own
      if (d.passive && CONFLICT.has(rec.type) && !participants.some((p) => p.role !== 'target') && !d.rules.includes('victim')) continue;
      let type = d.recode?.type ?? rec.type;
      let mode = d.recode ? d.recode.mode : rec.mode;
      let modality = d.modality;
      const triggerStart = tokens[d.hit.start].start;
      const triggerEnd = tokens[d.hit.end - 1].end;
      const attributes: Record<string, unknown> = { trigger: rec.id, rule: ['trigger', ...new Set(d.rules)].join('+'), phrase: text.slice(triggerStart, triggerEnd) };
      if (d.passive) attributes.voice = 'passive';
      // a date after publication is a plan
      if (published && d.time?.start && modality === 'asserted' && !VERBAL.has(type) && !pastTense(d.hit.start) && EXPLICIT_DATE.test(d.time.text) && d.time.start.slice(0, 10) > published.slice(0, d.time.start.length)) {
        modality = 'planned';
        attributes.future = true;
      }
      // announced cooperation is an agreement, an announced retreat a concession (data/plover/README.md)
      if (modality === 'planned' && (COOPERATIVE_FUTURE.has(type) || type === 'RETREAT')) {
        attributes.codedFrom = type;
        type = type === 'RETREAT' ? 'CONCEDE' : 'AGREE';
        mode = undefined;
        modality = 'asserted';
      }
      if (d.recode) attributes.codedFrom = rec.type;
      if (d.time) attributes.timeFrom = d.time.from;
      const confidence = Math.min(1, 0.5 + (hasSource && hasTarget ? 0.2 : 0) + (place || d.time ? 0.1 : 0));
      const cs = tokens[d.clauseStart].start;
      const ce = Math.max(tokens[Math.max(d.clauseStart, d.clauseEnd - 1)].end, triggerEnd);
      const evidence: Event['evidence'] = [
        { start: cs, end: ce },
        { start: triggerStart, end: triggerEnd },
      ];
      for (const p of parts) if (p.mention && p.entity !== place?.entity) evidence.push({ start: p.mention.start, end: p.mention.end, source: p.mention.id });
      if (place) evidence.push({ start: place.mention.start, end: place.mention.end, source: place.mention.id });
      const e: Event = { id: '', type, participants, modality, confidence: Math.round(confidence * 100) / 100, evidence, attributes };
      if (mode) e.mode = mode;
      if (rec.contexts.length) e.contexts = [...rec.contexts];
      if (place) e.location = place.entity;
      if (d.time && (d.time.start || d.time.text)) {
        e.time = { text: d.time.text };
        if (d.time.start) e.time.start = d.time.start;
        if (d.time.end) e.time.end = d.time.end;
      }
      if (d.quantities.length) e.quantities = d.quantities;
      events.push({
        e,
        key: eventKey(type, rec.id, participants),
        at: cs,
        trigger: triggerStart,
        sent: d.sent,
        seg: d.seg,
        repeat: d.rules.includes('repeated-event'),
        joins: d.rules.includes('list-item') || d.rules.includes('reduced-relative') || d.rules.includes('participle'),
      });
    }
    return events;
  }

  /** One happening told twice is one event; ids in the order of the text. */
  function mergeEvents(events: Out[]): Event[] {
    // 7b. one happening told twice in a sentence is one event: "shelled Kharkiv, killing three
    // civilians", "a drone strike by X ... killed", "atrocities by X, including the killing of Y",
    // "talks in Munich hosted by Z"
    const told: Out[] = [];
    const sameHappening = (x: Event, e: Event, joins: boolean) => {
      if (x.type !== e.type) return false;
      if (joins) return true;
      // not when they happened in different places or at different times ("routed in Palma in 2021 and losses in Mocimboa in 2022")
      if (x.location && e.location && x.location !== e.location) return false;
      if (x.time && e.time && x.time.start !== e.time.start) return false;
      if (x.modality !== e.modality) return false;
      let shared = 0;
      for (const p of e.participants) {
        const q = x.participants.find((y) => y.entity === p.entity);
        if (!q) continue;
        if (q.role !== p.role) return false;
        shared++;
      }
      return shared > 0 && (shared === e.participants.length || shared === x.participants.length);
    };
    for (const o of events) {
      let host: Out | undefined;
      for (let i = told.length - 1; i >= 0 && told[i].sent === o.sent; i--)
        if (sameHappening(told[i].e, o.e, o.joins)) {
          host = told[i];
          break;
        }
      if (!host) {
        told.push(o);
        continue;
      }
      for (const p of o.e.participants) if (!host.e.participants.some((x) => x.entity === p.entity)) host.e.participants.push(p);
      mergeInto(host.e, o.e);
      const merged = (host.e.attributes?.merged as string[] | undefined) ?? [];
      merged.push(String(o.e.attributes?.trigger));
      host.e.attributes = { ...host.e.attributes, merged };
    }
    function mergeInto(host: Event, e: Event) {
      if (!host.location && e.location) host.location = e.location;
      if (!host.time && e.time) {
        host.time = e.time;
        host.attributes = { ...host.attributes, timeFrom: e.attributes?.timeFrom };
      }
      if (e.quantities) for (const q of e.quantities) if (!host.quantities?.some((x) => x.text === q.text)) (host.quantities ??= []).push(q);
      for (const v of e.evidence) if (!host.evidence.some((x) => x.start === v.start && x.end === v.end)) host.evidence.push(v);
      host.confidence = Math.max(host.confidence, e.confidence);
    }

    // 8. one event per (type, participants, trigger): a repeat fills in what the first one lacked
    // (the same sentence, or a mention that only points back to the event before it)
    const out: Out[] = [];
    const byKey = new Map<string, Out[]>();
    for (const o of told) {
      const e = o.e;
      const earlier = byKey.get(o.key);
      const same = earlier?.find(
        (x) =>
          (x.sent === o.sent || (o.repeat && x.seg === o.seg)) &&
          (!x.e.location || !e.location || x.e.location === e.location) &&
          (!x.e.time || !e.time || x.e.time.start === e.time.start) &&
          x.e.modality === e.modality,
      );
      if (same) {
        mergeInto(same.e, e);
        continue;
      }
      out.push(o);
      if (earlier) earlier.push(o);
      else byKey.set(o.key, [o]);
    }
    out.sort((x, y) => x.at - y.at || x.trigger - y.trigger);
    const result: Event[] = [];
    for (const o of out) {
      o.e.id = `e${result.length + 1}`;
      result.push(o.e);
    }
    return result;
  }
}

/** Where a word's first two letters put it in TriggerIndex.sieve. */
function sieveSlot(w: string): number {
  return ((w.charCodeAt(0) & 31) << 5) | (w.charCodeAt(1) & 31);
}
/** Might the word start a phrase? (No string hashing for the many that cannot.) */
function mayStart(index: TriggerIndex, w: string): boolean {
  return (index.sieve[sieveSlot(w)] & (1 << (w.length & 31))) !== 0 && index.starts.has(w);
}

/** The forms a phrase word takes: "stage" -> "stages", "staged", "staging"; "supply" -> "supplies", "supplied". */
function inflect(w: string): string[] {
  if (w.length < 3 || !/^[a-z]+$/.test(w)) return [];
  const out = [`${w}s`, `${w}es`, `${w}ed`, `${w}ing`];
  const last = w[w.length - 1];
  if (last === 'e') out.push(`${w}d`, `${w.slice(0, -1)}ing`);
  if (last === 'y') out.push(`${w.slice(0, -1)}ies`, `${w.slice(0, -1)}ied`);
  if (/[^aeiou][aeiou][bdglmnprt]$/.test(w)) out.push(`${w}${last}ed`, `${w}${last}ing`);
  return out;
}

/** Finds trigger phrases at token positions (one per document; its methods stay hot across documents). */
class TriggerScanner {
  private readonly found: { key: string; end: number; gapped: boolean }[] = [];
  constructor(
    private readonly index: TriggerIndex,
    private readonly tokens: readonly Token[],
    private readonly namedAt: Int32Array,
    private readonly qtyAt: Int32Array,
    private readonly hitStartAt: Int32Array,
    private readonly quantities: readonly Mention[],
  ) {}

  /** The triggers of the sentence of tokens [a, b), longest first, left to right; marks where each starts.
   * (Only open-class words start one: the two phrases that start otherwise, "be ready to talk" and
   * "in absentia sentence", are given up for the speed of passing over every other token at once.) */
  sentence(a: number, b: number): Hit[] {
    const { tokens, namedAt, index } = this;
    let hits: Hit[] | undefined;
    for (let i = a; i < b; ) {
      const t = tokens[i];
      const pos = t.pos;
      // (tokens of closed classes start no phrase; the lemma matters only where it differs, on verbs and nouns)
      if (
        namedAt[i] >= 0 ||
        !(pos === 'VERB' || pos === 'NOUN' || pos === 'ADJ' || pos === 'ADV' || (pos === 'PROPN' && i === a)) ||
        !(mayStart(index, t.key) || ((pos === 'VERB' || pos === 'NOUN') && t.lemma !== t.norm && mayStart(index, t.lemma)))
      ) {
        i++;
        continue;
      }
      const h = this.at(i, b);
      if (h) {
        hits ??= [];
        this.hitStartAt[i] = hits.length;
        hits.push(h);
        i = h.end;
      } else i++;
    }
    return hits ?? NO_HITS;
  }

  /** The longest trigger starting at token i (before `end`) whose record's part of speech fits. */
  at(i: number, end: number): Hit | undefined {
    const { tokens, found, index } = this;
    found.length = 0;
    this.walk(i, end, '', 0, '', false);
    if (!found.length && tokens[i].pos !== 'VERB') return undefined;
    found.sort((a, b) => b.end - a.end || Number(a.gapped) - Number(b.gapped));
    for (const f of found) {
      if (f.gapped && f.key.indexOf(' ') < 0) continue;
      const recs = index.byKey.get(f.key)!;
      const exact = recs.find((r) => r.pos !== 'any' && this.posFits(r, i, f.end));
      const rec = exact ?? recs.find((r) => r.pos === 'any' && this.posFits(r, i, f.end));
      if (!rec) continue;
      const verb = rec.pos === 'verb' || (rec.pos === 'any' && (tokens[i].pos === 'VERB' || tokens[i].pos === 'AUX'));
      // "the detained aid workers", "in occupied Melitopol": a participle describing a noun is no event
      if (verb && f.end - i === 1 && this.attributive(i)) return undefined;
      if (f.gapped && verb && tokens[i].pos !== 'VERB') continue;
      return { start: i, end: f.end, rec, key: f.key, verb };
    }
    // "sent 600 troops", "1,000 personnel will be sent": a number of troops stands for the noun
    const t = tokens[i];
    if (t.pos === 'VERB') {
      const key = `${t.lemma} troop`;
      const recs = index.byKey.get(key);
      if (recs) {
        let troops = false;
        for (let k = i + 1; k < Math.min(end, i + 4) && !troops; k++) troops = this.troopsAt(k);
        if (!troops && this.isPassiveAt(i)) for (let k = Math.max(0, i - 10); k < i && !troops; k++) troops = tokens[k].sentence === t.sentence && this.troopsAt(k);
        const rec = recs.find((r) => r.pos !== 'noun');
        if (troops && rec) return { start: i, end: i + 1, rec, key, verb: true };
      }
    }
    return undefined;
  }

  private troopsAt(k: number): boolean {
    return this.qtyAt[k] >= 0 && quantityCategory(this.quantities[this.qtyAt[k]]) === 'troops';
  }

  // a walk over the tokens from j, trying each token's surface key, lemma and (when the tagger's
  // lemma misses) the phrase word it inflects; nothing is allocated unless a phrase matches
  private walk(j: number, end: number, prefix: string, words: number, kind: GapKind, gapped: boolean): void {
    const { tokens, index } = this;
    if (words >= index.maxWords) return;
    while (j < end && tokens[j].key === '') j++;
    if (j >= end || this.namedAt[j] >= 0) return;
    const t = tokens[j];
    const k1 = t.key;
    const k2 = t.lemma === t.norm ? k1 : matchKey(t.lemma);
    // past the first word, only the words the prefix may go on with are worth a key
    const nexts = words ? index.next.get(prefix) : undefined;
    let matched = false;
    if (!nexts || nexts.has(k1)) matched = this.step(j, end, prefix, words, kind, gapped, k1);
    if (k2 !== k1 && k2 && (!nexts || nexts.has(k2))) matched = this.step(j, end, prefix, words, kind, gapped, k2) || matched;
    if (matched) return;
    // (only an inflected-looking word can be one the lemma missed)
    const last = k1.charCodeAt(k1.length - 1);
    if (k1.length < 4 || !(last === 115 /* s */ || last === 100 /* d */ || last === 103 /* g */)) return;
    const k3 = index.inflections.get(k1);
    if (k3 !== undefined && k3 !== k2 && (!nexts || nexts.has(k3))) this.step(j, end, prefix, words, kind, gapped, k3);
  }

  /** Tries word w at token j after `prefix`; says whether the key is a phrase or the start of one. */
  private step(j: number, end: number, prefix: string, words: number, kind: GapKind, gapped: boolean, w: string): boolean {
    const { index } = this;
    const key = words ? `${prefix} ${w}` : w;
    const flags = index.prefixes.get(key);
    if (flags === undefined) return false;
    if (flags & PHRASE) this.found.push({ key, end: j + 1, gapped });
    if (!(flags & CONTINUED)) return true;
    const pos = this.tokens[j].pos;
    const gapKind: GapKind = words === 0 ? (pos === 'VERB' ? 'verb' : pos === 'ADJ' ? 'adj' : '') : kind;
    this.walk(j + 1, end, key, words + 1, gapKind, gapped);
    if (!gapped && gapKind) for (let g = j + 1, n = 0; g < end && n < 7 && this.isGap(g, gapKind); g++, n++) this.walk(g + 1, end, key, words + 1, gapKind, true);
    return true;
  }

  /** May token g sit between the words of a phrase? After a verb: its object's modifiers ("send an
   * additional $325 million in weapons", "suspended peace talks"); after an adjective: other modifiers
   * ("a unilateral 36-hour Christmas ceasefire"). Never a name. */
  private isGap(g: number, kind: 'verb' | 'adj'): boolean {
    const t = this.tokens[g];
    if (this.namedAt[g] >= 0 || this.hitStartAt[g] >= 0) return false;
    if (t.key === '' || this.qtyAt[g] >= 0 || t.pos === 'NUM' || t.pos === 'ADJ' || t.pos === 'NOUN') return true;
    if (kind === 'adj') return t.pos === 'PROPN';
    if (t.pos === 'DET' || t.pos === 'ADV' || POSSESSIVES.has(t.norm)) return true;
    // a participle describing the object: "pull its remaining troops"
    const next = this.tokens[g + 1];
    if (t.pos === 'VERB' && /(?:ing|ed)$/.test(t.norm) && next && (next.pos === 'NOUN' || next.pos === 'ADJ')) return true;
    const p = this.tokens[g - 1];
    return (t.norm === 'of' || t.norm === 'in') && !!p && (p.pos === 'NOUN' || p.pos === 'NUM' || this.qtyAt[g - 1] >= 0);
  }

  private posFits(rec: Rec, i: number, j: number): boolean {
    const { tokens } = this;
    const t = tokens[i];
    const prev = tokens[i - 1];
    if (rec.pos === 'verb') {
      if (t.pos === 'VERB' || t.pos === 'AUX') return true;
      if (t.pos === 'ADJ' && t.norm.endsWith('ed')) return true;
      // a gerund or participle the tagger took for an adjective or noun: "denied attacking civilians",
      // "accused of shelling", "..., bowing to demands"
      if ((t.pos === 'ADJ' || t.pos === 'NOUN') && t.norm.endsWith('ing') && !!prev && (prev.pos === 'VERB' || prev.pos === 'ADP' || prev.pos === 'AUX' || prev.norm === ',')) return true;
      return !!prev && prev.sentence === t.sentence && MODAL_OR_TO.has(prev.norm) && t.pos !== 'ADP';
    }
    if (rec.pos === 'noun') {
      for (let k = i; k < j; k++) if (tokens[k].pos === 'NOUN' || tokens[k].pos === 'PROPN') return !(prev && MODAL_OR_TO.has(prev.norm) && prev.norm !== 'not' && j - i === 1);
      if (prev && (DETERMINERS.has(prev.norm) || prev.pos === 'ADJ' || prev.pos === 'NUM')) return true;
      // a noun the tagger took for an adjective or a verb: "Azerbaijan's lightning offensive",
      // "as fighting between the army and M23 intensified"
      const next = tokens[j];
      const unmodifying = !next || next.sentence !== t.sentence || !(next.pos === 'NOUN' || next.pos === 'ADJ' || next.pos === 'PROPN' || next.pos === 'DET');
      if (t.pos === 'ADJ' && (unmodifying || (prev && (prev.pos === 'NOUN' || prev.pos === 'PROPN')))) return true;
      return t.pos === 'VERB' && t.norm.endsWith('ing') && unmodifying && (!prev || prev.sentence !== t.sentence || prev.pos === 'ADP' || prev.pos === 'SCONJ' || prev.pos === 'NOUN' || prev.pos === 'PROPN');
    }
    if (rec.pos === 'adj') return t.pos === 'ADJ' || t.pos === 'VERB';
    return true;
  }

  /** A participle modifying the noun after it: "ousted leader", "the detained aid workers", "EU-mediated talks". */
  attributive(i: number): boolean {
    const { tokens } = this;
    const t = tokens[i];
    if (!/(?:ed|en|wn|nt)$/.test(t.norm) || t.norm === t.lemma) return false;
    const next = tokens[i + 1];
    if (!next || next.sentence !== t.sentence || !(next.pos === 'NOUN' || next.pos === 'PROPN' || next.pos === 'ADJ')) return false;
    let k = i - 1;
    while (k >= 0 && tokens[k].sentence === t.sentence && tokens[k].pos === 'ADV') k--;
    const p = tokens[k];
    if (!p || p.sentence !== t.sentence) return true;
    return p.key === '' || p.norm === "'s" || p.pos === 'DET' || p.pos === 'ADJ' || p.pos === 'NUM' || p.pos === 'ADP' || p.norm === ',' || (p.pos === 'VERB' && !BE.has(p.norm)) || (p.pos === 'PRON' && POSSESSIVES.has(p.norm));
  }

  /** "was attacked", "were killed", "have been deployed"; or a participle with its agent ("a convoy attacked by gunmen"). */
  isPassiveAt(i: number): boolean {
    const { tokens } = this;
    const t = tokens[i];
    if (t.norm.endsWith('ing')) return false;
    let k = i - 1;
    while (k >= 0 && tokens[k].sentence === t.sentence && (PASSIVE_SKIP.has(tokens[k].norm) || (tokens[k].pos === 'ADV' && !BE.has(tokens[k].norm)))) k--;
    const b = tokens[k];
    if (b && b.sentence === t.sentence && (BE.has(b.norm) || b.lemma === 'be' || b.lemma === 'get')) return t.norm !== t.lemma || /(?:ed|en|wn|ne|ung|lt|ught)$/.test(t.norm);
    const next = tokens[i + 1];
    return !!next && next.norm === 'by' && t.norm.endsWith('ed') && !!tokens[i - 1] && (tokens[i - 1].pos === 'NOUN' || tokens[i - 1].pos === 'PROPN');
  }
}

/** One event per type, trigger record and set of participants with their roles. */
function eventKey(type: string, trigger: string, participants: readonly { entity: string; role: string }[]): string {
  const parts: string[] = [];
  for (const p of participants) parts.push(`${p.role}:${p.entity}`);
  parts.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return `${type}|${trigger}|${parts.join(',')}`;
}

function quantityCategory(m: Mention): string | undefined {
  return ((m.attributes ?? {}) as { quantity?: { category?: string } }).quantity?.category;
}

/** Suffix-stripped forms of a word, for when the tagger's lemma misses ("staged" -> "stage"). */
function stems(k: string): string[] {
  const out: string[] = [];
  if (k.endsWith('ies') || k.endsWith('ied')) out.push(k.slice(0, -3) + 'y');
  if (k.endsWith('es')) out.push(k.slice(0, -2));
  if (k.endsWith('s') && !k.endsWith('ss')) out.push(k.slice(0, -1));
  for (const suffix of ['ed', 'ing']) {
    if (!k.endsWith(suffix)) continue;
    const base = k.slice(0, -suffix.length);
    out.push(base, base + 'e');
    if (base.length > 2 && base[base.length - 1] === base[base.length - 2]) out.push(base.slice(0, -1));
  }
  return out;
}

export const codeEvents = defineStage({
  name: 'codeEvents',
  reads: ['sentences', 'tokens', 'mentions', 'entities', 'dates', 'quotes', 'claims'],
  writes: ['events'],
  setup: ({ kb }: { kb: Knowledge }) => {
    triggerIndex(kb); // built once, before the first document
    return (doc) => ({
      events: codeEventsIn(
        {
          text: doc.text,
          tokens: doc.layers.tokens,
          sentences: doc.layers.sentences,
          mentions: doc.layers.mentions,
          entities: doc.layers.entities,
          dates: doc.layers.dates,
          quotes: doc.layers.quotes,
          kb,
        },
        doc.meta.published,
      ),
    });
  },
});
