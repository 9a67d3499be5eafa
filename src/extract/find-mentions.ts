// Mentions: every span that names or refers to something. Knowledge-base names first, then
// general rules for names it does not know (a title before a name, organisation and facility
// heads, acronyms defined in the text, ordinal units, photo credits), quantities, dates and URLs.
// Overlaps are resolved once, at the end: knowledge-base names win over rules of the same length;
// a longer rule span wins when the knowledge base covers only part of its capitalised words.
import type { Mention, MentionType } from '../model/contract.js';
import { defineStage, type Token } from '../model/analysis.js';
import type { KbEntry, Knowledge, WordEntry } from '../knowledge/knowledge.js';
import { matchKey } from '../text/fold.js';
import { isMonthWord, isWeekday, MONTH_CUES } from '../text/calendar.js';
import { lowerBound } from '../text/search.js';
import { phraseAt, phraseEndingAt } from './lexicon.js';
import { findQuantities } from './quantities.js';
import { loadNerModel, type NerModel } from './ner/model.js';
import { taggerCandidates } from './ner/combine.js';
import { gazetteerLabels } from './ner/gazetteer.js';

export type Candidate = {
  start: number; // token indices, end exclusive (for quantities and dates: char offsets, see `chars`)
  end: number;
  type: MentionType;
  rule: string;
  /** 5 knowledge base, 4 acronym, 3 strong rule, 2 weak rule, 1 tagger */
  strength: number;
  kb?: KbEntry;
  chars?: { start: number; end: number };
  attributes?: Record<string, unknown>;
  /** Index into the candidates of the long form this acronym abbreviates. */
  longForm?: number;
};

const CONNECTORS = new Set(['of', 'the', 'for', 'and', 'al', 'el', 'ul', 'bin', 'ibn', 'de', 'du', 'des', 'la', 'le', 'van', 'von', 'der', 'da', 'e', "'", '-', '&', 'in', 'on', 'to']);
const PLACE_CUE_BEFORE = new Set(['in', 'at', 'near', 'from', 'outside', 'around', 'into', 'to', 'towards', 'toward', 'across', 'through', 'of']);
/** Below this population a town's name is as likely someone's surname as the town. */
const SMALL_TOWN = 100_000;
const LOCATIVE_CONNECTORS = new Set(['in', 'on', 'to']);
/** The kind of place a word after a name makes of it (data/lexicon/place-heads.tsv): "province" in "Wardak province". */
const placeHeadKind = (kb: Knowledge, t: Token | undefined): string | undefined => (t ? kb.placeHeads.byKey.get(t.key)?.[0]?.value : undefined);
/** Heads that follow names, not adjectives: "Ghorian district", but "a Scottish town", "the Soviet state". */
const NAMING_PLACE_HEADS = new Set(['province', 'district', 'village', 'neighbourhood']);
const INDEFINITE = new Set(['a', 'an', 'another']);
/** Kinds of organisation head (data/lexicon/org-heads.tsv) that, after a demonym, are a state's forces. */
const STATE_FORCES = new Set(['military', 'security_service']);
/** Kinds of place head that name a settlement, not a province: "Kandahar city", but "Kandahar province". */
const SETTLEMENT_HEADS = new Set(['city', 'village', 'neighbourhood']);
/** A name ending before `end` is used as a modifier when a common noun of its sentence follows: "US military bases". */
const modifiesNoun = (tokens: readonly Token[], end: number): boolean => tokens[end]?.pos === 'NOUN' && tokens[end].sentence === tokens[end - 1].sentence;
const isCapWord = (t: Token) => t.cap && /\p{L}/u.test(t.text) && t.pos !== 'PUNCT';

/** Capitalised runs: maximal sequences of capitalised words, with connectors between them. */
export function capitalisedRuns(tokens: readonly Token[]): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!isCapWord(tokens[i])) {
      i++;
      continue;
    }
    let j = i + 1;
    let lastCap = i;
    while (j < tokens.length && tokens[j].sentence === tokens[i].sentence) {
      const t = tokens[j];
      if (isCapWord(t)) lastCap = j;
      else if (!(CONNECTORS.has(t.norm) && (t.norm !== '-' || tokens[j - 1].end === t.start))) break;
      else if (j - lastCap > 2) break;
      j++;
    }
    runs.push({ start: i, end: lastCap + 1 });
    i = lastCap + 1;
  }
  return runs;
}

export function kbCandidates(text: string, tokens: readonly Token[], kb: Knowledge): Candidate[] {
  const docCountries = new Set<string>();
  const matches = kb.matcher.matchTokens(text, tokens);
  for (const m of matches) for (const t of m.targets) if (t.entry.kind === 'state' && t.entry.country) docCountries.add(t.entry.country);
  const out: Candidate[] = [];
  const usableTargets = (m: { startToken: number; endToken: number; targets: import('../knowledge/matcher.js').NameTarget[] }) => {
    const first = tokens[m.startToken];
    const prev = tokens[m.startToken - 1];
    const next = tokens[m.endToken + 1];
    const sameSentence = (t?: Token) => t && t.sentence === first.sentence;
    const cued = (sameSentence(prev) && PLACE_CUE_BEFORE.has(prev!.norm)) || (sameSentence(next) && placeHeadKind(kb, next) !== undefined);
    return m.targets.filter((t) => {
      const e = t.entry;
      if (e.ambiguous && !cued) return false;
      // a lower-case match is only for generic nouns ("drones") and lower-case names ("al-Qaeda")
      if (!first.cap && !e.generic && !/^\p{Ll}/u.test(t.alias)) return false;
      // a sentence-initial place that could be an ordinary word needs a cue
      if (e.priority <= 1 && !cued && m.startToken === m.endToken && first.pos !== 'PROPN') return false;
      // "Russian military vehicles": a name ending in a lower-case word, used as a modifier
      const lastTok = tokens[m.endToken];
      if (e.type === 'ORGANIZATION' && !lastTok.cap && modifiesNoun(tokens, m.endToken + 1)) return false;
      // a one-word town directly before another capitalised name is a first name: "Vladimir Putin"
      if (e.priority <= 2 && e.type === 'LOCATION' && m.startToken === m.endToken && next && sameSentence(next) && next.cap && next.pos === 'PROPN' && placeHeadKind(kb, next) === undefined) return false;
      return true;
    });
  };
  for (const whole of matches) {
    // the longest name that fits here; a shorter one when the longest is rejected ("US military bases")
    let m = whole as { startToken: number; endToken: number; targets: typeof whole.targets };
    let usable: typeof whole.targets = [];
    for (const alt of [whole, ...whole.shorter.map((x) => ({ startToken: whole.startToken, ...x }))]) {
      m = alt;
      usable = usableTargets(alt);
      if (usable.length) break;
    }
    if (!usable.length) continue;
    const first = tokens[m.startToken];
    const next = tokens[m.endToken + 1];
    const sameSentence = (t?: Token) => t && t.sentence === first.sentence;
    usable.sort((a, b) => {
      const ea = a.entry;
      const eb = b.entry;
      if (ea.priority !== eb.priority && ea.priority + eb.priority !== 3) return eb.priority - ea.priority;
      const ca = ea.country && docCountries.has(ea.country) ? 1 : 0;
      const cb = eb.country && docCountries.has(eb.country) ? 1 : 0;
      if (ca !== cb) return cb - ca;
      // a capital and its province share a name: the city, unless the text says "province"
      if (ea.country === eb.country && ea.type === 'LOCATION' && eb.type === 'LOCATION' && ea.priority + eb.priority === 3) {
        const headKind = sameSentence(next) ? placeHeadKind(kb, next) : undefined;
        const wantsProvince = headKind !== undefined && !SETTLEMENT_HEADS.has(headKind);
        return (ea.priority === 2) === !!wantsProvince ? -1 : 1;
      }
      return (eb.population ?? 0) - (ea.population ?? 0);
    });
    const e = usable[0].entry;
    out.push({
      start: m.startToken,
      end: m.endToken + 1,
      type: e.mentionType,
      rule: `kb-alias:${e.id}`,
      strength: 5,
      kb: e,
      attributes: usable.length > 1 ? { alternatives: usable.slice(1, 4).map((t) => t.entry.id) } : undefined,
    });
  }
  return out;
}

const GROUP_MEMBERS = new Set(['rebels', 'fighters', 'militants', 'insurgents', 'forces', 'troops', 'commanders', 'leaders', 'members', 'gunmen', 'militiamen', 'jihadists', 'operatives', 'loyalists']);
const stemCache = new WeakMap<Knowledge, Map<string, KbEntry | null>>();
/** Words after a demonym that mean a state's armed forces as a whole (not its navy or police). */
const ARMED_FORCES_WORDS = new Set(['forces', 'troops', 'military', 'army', 'armed forces']);
const forcesCache = new WeakMap<Knowledge, Map<string, KbEntry>>();
/** Each country's armed forces: its one military body that no other military body contains. */
function armedForcesOf(kb: Knowledge): Map<string, KbEntry> {
  let byCountry = forcesCache.get(kb);
  if (byCountry) return byCountry;
  const roots = new Map<string, KbEntry[]>();
  for (const e of kb.entries.values()) {
    if (e.kind !== 'military' || !e.country || kb.entries.get(e.parent ?? '')?.kind === 'military') continue;
    roots.set(e.country, [...(roots.get(e.country) ?? []), e]);
  }
  byCountry = new Map([...roots].filter(([, list]) => list.length === 1).map(([c, list]) => [c, list[0]]));
  forcesCache.set(kb, byCountry);
  return byCountry;
}

/** "Wagner" of "Wagner Group": organisation names without their head word, when that is unique. */
function orgStems(kb: Knowledge): Map<string, KbEntry | null> {
  let stems = stemCache.get(kb);
  if (stems) return stems;
  stems = new Map();
  for (const e of kb.entries.values()) {
    if (e.type !== 'ORGANIZATION') continue;
    for (const name of e.aliases) {
      const words = matchKey(name).split(' ');
      if (words.length < 2 || !kb.orgHeads.byKey.get(words[words.length - 1])?.some((h) => h.category === 'suffix')) continue;
      const stem = words.slice(0, -1).join(' ');
      if (stem.length < 4 || kb.matcher.lookup(stem).length) continue;
      const prev = stems.get(stem);
      stems.set(stem, prev === undefined || prev === e ? e : null);
    }
  }
  stemCache.set(kb, stems);
  return stems;
}

/** `inDate(i)`: token i is part of a time expression. */
function ruleCandidates(text: string, tokens: readonly Token[], kb: Knowledge, kbc: Candidate[], inDate: (i: number) => boolean): Candidate[] {
  const out: Candidate[] = [];
  const cover = new Int32Array(tokens.length).fill(-1);
  kbc.forEach((c, k) => {
    for (let i = c.start; i < c.end; i++) cover[i] = k;
  });
  const kbCovering = (i: number) => (cover[i] >= 0 ? kbc[cover[i]] : undefined);
  const anyInDate = (a: number, b: number) => {
    for (let i = a; i < b; i++) if (inDate(i)) return true;
    return false;
  };
  for (const raw of capitalisedRuns(tokens)) {
    const run = { ...raw };
    // a sentence-initial function word is not part of a name: "Both", "The", "But"
    while (run.start < run.end - 1 && !['PROPN', 'NOUN', 'ADJ', 'NUM', 'X'].includes(tokens[run.start].pos)) run.start++;
    while (run.start < run.end - 1 && CONNECTORS.has(tokens[run.start].norm)) run.start++;
    // "the Houthis and Yemeni Government forces": a known name, then "and", starts a new name
    for (let k = run.start + 1; k < run.end - 1; k++)
      if (tokens[k].norm === 'and' && kbCovering(k - 1) && (kbCovering(run.start) || CONNECTORS.has(tokens[run.start].norm))) run.start = k + 1;
    while (run.start < run.end - 1 && CONNECTORS.has(tokens[run.start].norm)) run.start++;
    // "Leaders of the African Union": a sentence's first word, a common noun before "of", is not part of the name
    if (run.start === raw.start && tokens[run.start - 1]?.sentence !== tokens[run.start].sentence && tokens[run.start].pos === 'NOUN' && tokens[run.start + 1]?.norm === 'of' && !phraseAt(text, tokens, run.start, kb.orgHeads)) {
      run.start++;
      while (run.start < run.end - 1 && CONNECTORS.has(tokens[run.start].norm)) run.start++;
    }
    // "Tuesday in Helmand", "Mohammed Nahim in Wardak": a date or a name, then "in", "on" or "to",
    // is not the start of an organisation's name; "al-Qaida in Iraq" (a head before "in") may be
    for (let k = run.start + 1; k < run.end - 1; k++)
      if (LOCATIVE_CONNECTORS.has(tokens[k].norm) && (inDate(k - 1) || !phraseEndingAt(text, tokens, k - 1, kb.orgHeads))) run.start = k + 1;
    while (run.start < run.end - 1 && inDate(run.start)) run.start++;
    // organisation: a run ending in an organisation head ("Arakan Army"), or followed by a
    // lower-case one ("Afghan National Defense forces"); or starting with a prefix ("Ministry of ...")
    const headIn = phraseEndingAt(text, tokens, run.end - 1, kb.orgHeads);
    // a lower-case place word after a name makes a place, not an organisation: "Khorasan province"
    const headWordAfter = placeHeadKind(kb, tokens[run.end]);
    const placeAfter = headWordAfter && !tokens[run.end].cap && tokens[run.end].sentence === tokens[run.start].sentence ? headWordAfter : undefined;
    const headAfter = run.end < tokens.length && headWordAfter === undefined ? phraseAt(text, tokens, run.end, kb.orgHeads) : undefined;
    const prefix = phraseAt(text, tokens, run.start, kb.orgHeads);
    const facIn = phraseEndingAt(text, tokens, run.end - 1, kb.facilityHeads);
    // the head may follow one modifier: "Tabqa military airport", "Bagram main air base"
    const facAfter =
      run.end < tokens.length
        ? phraseAt(text, tokens, run.end, kb.facilityHeads) ??
          (!tokens[run.end].cap && /^(?:ADJ|NOUN)$/.test(tokens[run.end].pos) && tokens[run.end + 1]?.sentence === tokens[run.end].sentence
            ? phraseAt(text, tokens, run.end + 1, kb.facilityHeads)
            : undefined)
        : undefined;
    const facPrefix = phraseAt(text, tokens, run.start, kb.facilityHeads);
    const suffixOf = (h?: { entries: WordEntry[] }) => h?.entries.find((e) => e.category === 'suffix');
    const prefixOf = (h?: { entries: WordEntry[] }) => h?.entries.find((e) => e.category === 'prefix');
    // the capitalised words the knowledge base does not cover
    const uncovered = (a: number, b: number) => {
      let n = 0;
      for (let i = a; i < b; i++) if (isCapWord(tokens[i]) && !kbCovering(i)) n++;
      return n;
    };
    const words = run.end - run.start;
    /** The knowledge base covers these words only with a state or its demonym. */
    const statePrefix = (a: number, b: number) => {
      for (let i = a; i < b; i++) {
        const c = kbCovering(i);
        if (!c?.kb || !(c.kb.kind === 'state' || c.kb.type === 'NATIONALITY')) return false;
      }
      return true;
    };
    // a head inside the run followed by "of": "Liberal Party of Canada", "Union of Islamic Courts"
    const inner = (() => {
      for (let k = run.start + 1; k < run.end - 2; k++) {
        const h = phraseEndingAt(text, tokens, k, kb.orgHeads);
        if (h && suffixOf(h) && tokens[k].cap && (tokens[k + 1].norm === 'of' || tokens[k + 1].norm === 'for') && h.start > run.start) return h;
      }
      return undefined;
    })();
    // capitalised words the knowledge base leaves unknown, or knows only as a town or province
    const nameWords = (a: number, b: number) => {
      let n = 0;
      for (let i = a; i < b; i++) {
        const c = kbCovering(i);
        if (isCapWord(tokens[i]) && (!c || (c.kb && c.kb.type === 'LOCATION' && c.kb.priority <= 2))) n++;
      }
      return n;
    };
    // "a Mogadishu mosque": some mosque in the city, not a facility's name; the city stays a place
    const someOne = INDEFINITE.has(tokens[run.start - 1]?.norm ?? '') && uncovered(run.start, run.end) === 0;
    if (facAfter && suffixOf(facAfter) && !tokens[run.end].cap && nameWords(run.start, run.end) > 0 && !someOne) {
      out.push({ start: run.start, end: facAfter.end, type: 'FACILITY', rule: 'facility-head', strength: 3, attributes: { kind: suffixOf(facAfter)!.value } });
    } else if (facIn && suffixOf(facIn) && facIn.start > run.start && uncovered(run.start, facIn.start) + (kbCovering(run.start)?.kb?.priority === 1 ? 1 : 0) > 0) {
      out.push({ start: run.start, end: run.end, type: 'FACILITY', rule: 'facility-head', strength: 3, attributes: { kind: suffixOf(facIn)!.value } });
    } else if (facPrefix && prefixOf(facPrefix) && facPrefix.end < run.end) {
      out.push({ start: run.start, end: run.end, type: 'FACILITY', rule: 'facility-prefix', strength: 3, attributes: { kind: prefixOf(facPrefix)!.value } });
    } else if (placeAfter && NAMING_PLACE_HEADS.has(placeAfter) && !(headIn && suffixOf(headIn)) && tokens[run.end - 1].pos === 'PROPN' && uncovered(run.start, run.end) > 0 && !anyInDate(run.start, run.end)) {
      // "Ghorian district", "Hmawbi township": a name the knowledge base does not know, made a place by the word after it
      out.push({ start: run.start, end: run.end + 1, type: 'LOCATION', rule: 'place-head', strength: 3, attributes: { kind: placeAfter } });
    } else if (headAfter && STATE_FORCES.has(suffixOf(headAfter)?.value ?? '') && !tokens[run.end].cap && statePrefix(run.start, run.end) && !modifiesNoun(tokens, headAfter.end)) {
      // "Pakistani police", "Italian troops": a state's or people's forces, one organisation; not as a
      // modifier ("US military bases"). The knowledge base names many already ("Israeli troops" is the IDF) and wins there.
      // linked to the state's armed forces where the knowledge base has one such body ("Malian troops": FAMa)
      const country = kbCovering(run.end - 1)?.kb?.country;
      const forces = country && ARMED_FORCES_WORDS.has(matchKey(text.slice(tokens[run.end].start, tokens[headAfter.end - 1].end))) ? armedForcesOf(kb).get(country) : undefined;
      out.push({ start: run.start, end: headAfter.end, type: 'ORGANIZATION', rule: 'state-forces', strength: 3, ...(forces ? { kb: forces } : {}), attributes: { kind: suffixOf(headAfter)!.value } });
    } else if (headAfter && suffixOf(headAfter) && !tokens[run.end].cap && uncovered(run.start, run.end) > 0 && words >= 2) {
      out.push({ start: run.start, end: headAfter.end, type: 'ORGANIZATION', rule: 'org-head', strength: 3, attributes: { kind: suffixOf(headAfter)!.value } });
    } else if (
      headIn && suffixOf(headIn) && headIn.start > run.start &&
      (uncovered(run.start, headIn.start) > 0 || (tokens[headIn.start].cap && statePrefix(run.start, headIn.start)))
    ) {
      // "Arakan Army"; and a state's own body: "Iraqi Parliament", "US Senate", "Malian Army"
      out.push({ start: run.start, end: run.end, type: 'ORGANIZATION', rule: 'org-head', strength: 3, attributes: { kind: suffixOf(headIn)!.value } });
    } else if (inner && uncovered(run.start, run.end) > 0) {
      // "Tyler Banham of the Liberal Party of Canada": the name starts after the last connector before its head
      let from = run.start;
      for (let k = run.start; k < inner.start; k++) if (CONNECTORS.has(tokens[k].norm) && !tokens[k].cap) from = k + 1;
      if (uncovered(from, run.end) > 0) out.push({ start: from, end: run.end, type: 'ORGANIZATION', rule: 'org-head-of', strength: 3, attributes: { kind: suffixOf(inner)!.value } });
    } else if (prefix && prefixOf(prefix) && prefix.end < run.end) {
      out.push({ start: run.start, end: run.end, type: 'ORGANIZATION', rule: 'org-prefix', strength: 3, attributes: { kind: prefixOf(prefix)!.value } });
    }
  }
  // a known organisation by its distinctive word before a word for its members: "Wagner fighters"
  const stems = orgStems(kb);
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!tokens[i].cap || kbCovering(i)) continue;
    for (let j = i; j < Math.min(tokens.length - 1, i + 3); j++) {
      const next = tokens[j + 1];
      if (!GROUP_MEMBERS.has(next.norm)) continue;
      const e = stems.get(matchKey(text.slice(tokens[i].start, tokens[j].end)));
      if (e) out.push({ start: i, end: j + 1, type: 'ORGANIZATION', rule: `kb-stem:${e.id}`, strength: 4, kb: e });
      break;
    }
  }
  // ordinal units: "2nd Battalion", "101st Airborne Division", "3rd Brigade"
  for (let i = 0; i < tokens.length; i++) {
    if (!/^\d+(?:st|nd|rd|th)$/i.test(tokens[i].text)) continue;
    let j = i + 1;
    while (j < tokens.length && isCapWord(tokens[j]) && j - i <= 4) j++;
    if (j > i + 1 && phraseEndingAt(text, tokens, j - 1, kb.orgHeads)) out.push({ start: i, end: j, type: 'ORGANIZATION', rule: 'ordinal-unit', strength: 3 });
  }
  // people: a title, then a capitalised name of one to four words ("Defence Minister Sadio Camara")
  for (let i = 0; i < tokens.length; i++) {
    const title = phraseAt(text, tokens, i, kb.titles);
    if (!title || title.end >= tokens.length) continue;
    let j = title.end;
    const sent = tokens[i].sentence;
    // a longer title may continue ("Foreign Minister"): let the longest phrase win
    while (j < tokens.length && tokens[j].sentence === sent && j - title.end < 4 && isCapWord(tokens[j]) && (tokens[j].pos === 'PROPN' || tokens[j].pos === 'NOUN' || tokens[j].pos === 'ADJ' || tokens[j].pos === 'VERB')) {
      if (phraseAt(text, tokens, j, kb.titles)) break;
      // "Prime Minister Surayud Chulanont Thursday said": the name stops at a date
      if (inDate(j) || isWeekday(tokens[j].text) || (j > title.end && isMonthWord(tokens[j].text))) break;
      j++;
    }
    if (j === title.end) continue;
    // "General Motors", "Major League Soccer", "General Assembly": a title word that starts an organisation's name
    if (tokens.slice(title.end, j).some((_, k) => phraseEndingAt(text, tokens, title.end + k, kb.orgHeads)?.entries.some((e) => e.category === 'suffix'))) continue;
    // a known organisation or country after a title is not a name ("Minister of Defence"); a town may be ("President Bush")
    const covered = kbCovering(title.end);
    if (covered && covered.kb?.type !== 'PERSON' && covered.end >= j && !(covered.kb?.type === 'LOCATION' && covered.kb.priority <= 2)) continue;
    out.push({ start: title.end, end: j, type: 'PERSON', rule: 'title-name', strength: 3, attributes: { title: text.slice(tokens[title.start].start, tokens[title.end - 1].end), titleCategory: title.entries[0].category, titleValue: title.entries[0].value } });
    i = j - 1;
  }
  // surnames of people the knowledge base knows: "Putin said"
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.cap || t.pos !== 'PROPN' || kbCovering(i)) continue;
    // part of a longer name it does not know ("Abdel Rahman Musa") is not the known namesake
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if ((before && before.sentence === t.sentence && before.cap && before.pos === 'PROPN') || (after && after.sentence === t.sentence && after.cap && after.pos === 'PROPN')) continue;
    const people = kb.surnames.get(matchKey(t.text));
    if (people?.length === 1) out.push({ start: i, end: i + 1, type: 'PERSON', rule: `kb-surname:${people[0].id}`, strength: 2, kb: people[0] });
  }
  return out;
}

/** "Long Name (ABBR)": the abbreviation becomes a mention of the long form, and so do its later uses. */
function acronymCandidates(text: string, tokens: readonly Token[], chosen: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  const defined = new Map<string, number>();
  for (let i = 1; i + 2 < tokens.length; i++) {
    if (tokens[i].text !== '(' || tokens[i + 2].text !== ')') continue;
    const abbr = tokens[i + 1].text;
    if (!/^[A-Z][A-Za-z0-9&-]{1,9}$/.test(abbr) || !/[A-Z].*[A-Z]/.test(abbr)) continue;
    const longIdx = chosen.findIndex((c) => c.end === i && c.chars === undefined && (c.type === 'ORGANIZATION' || c.type === 'FACILITY' || c.type === 'LOCATION'));
    if (longIdx < 0) continue;
    defined.set(abbr, longIdx);
    out.push({ start: i + 1, end: i + 2, type: chosen[longIdx].type, rule: 'acronym-definition', strength: 4, longForm: longIdx, kb: chosen[longIdx].kb });
  }
  if (defined.size)
    tokens.forEach((t, i) => {
      const longIdx = defined.get(t.text);
      if (longIdx === undefined || out.some((c) => c.start === i)) return;
      out.push({ start: i, end: i + 1, type: chosen[longIdx].type, rule: 'acronym', strength: 4, longForm: longIdx, kb: chosen[longIdx].kb });
    });
  return out;
}

/** Credits: "Photo: Reuters / Arlette Bashizi" names agencies and photographers. */
function creditCandidates(tokens: readonly Token[], inCredit: (i: number) => boolean, taken: (i: number) => boolean): Candidate[] {
  const out: Candidate[] = [];
  const runs = capitalisedRuns(tokens).filter((r) => inCredit(r.start));
  for (const r of runs) {
    if (taken(r.start) || /^(?:photo|photograph|image|picture|credit|file|via)$/i.test(tokens[r.start].text)) continue;
    const words = tokens.slice(r.start, r.end).filter((t) => /\p{L}/u.test(t.text));
    if (words.length >= 2 && words.length <= 3 && words.every((w) => /^\p{Lu}\p{Ll}+$/u.test(w.text))) out.push({ start: r.start, end: r.end, type: 'PERSON', rule: 'credit-name', strength: 2 });
  }
  return out;
}

export type MentionOptions = {
  /** `kbLabels`: each token's knowledge-base label (ner/gazetteer.ts), a feature for the tagger. */
  extraCandidates?: (text: string, tokens: readonly Token[], taken: (i: number) => boolean, open: (i: number) => boolean, kbLabels: readonly (string | undefined)[]) => Candidate[];
};

export function resolveOverlaps(cands: Candidate[]): Candidate[] {
  // longer spans first, then stronger; a knowledge-base span beats a rule span of equal length
  const order = [...cands].sort((a, b) => b.strength - a.strength || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Candidate[] = [];
  const overlaps = (a: Candidate, b: Candidate) => a.start < b.end && b.start < a.end;
  // a rule span that strictly contains knowledge-base spans and adds capitalised words of its own wins
  const rules = order.filter((c) => c.strength === 3).sort((a, b) => b.end - b.start - (a.end - a.start));
  for (const r of rules) {
    const inner = order.filter((c) => c.strength > 3 && overlaps(c, r));
    // a title before a name says person more surely than a town of that name: "President Bush"
    const beatsPlace = (c: Candidate) => r.rule === 'title-name' && c.type === 'LOCATION' && (c.kb?.priority ?? 5) <= 2 && c.start === r.start && c.end === r.end;
    if (inner.every((c) => (c.start >= r.start && c.end <= r.end && c.end - c.start < r.end - r.start) || beatsPlace(c))) {
      if (!kept.some((k) => overlaps(k, r))) kept.push(r);
    }
  }
  for (const c of order) if (!kept.some((k) => overlaps(k, c))) kept.push(c);
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

export function findMentionsIn(
  text: string,
  tokens: readonly Token[],
  segments: readonly { kind: string; start: number; end: number }[],
  dates: readonly { start: number; end: number; text: string; value: string }[],
  kb: Knowledge,
  options: MentionOptions = {},
): Mention[] {
  const kbc = kbCandidates(text, tokens, kb);
  // tokens inside a time expression, marked once: the rules ask about every token of every run
  const dated = new Uint8Array(tokens.length);
  for (const d of dates) for (let i = lowerBound(tokens, (t) => t.end <= d.start); i < tokens.length && tokens[i].start < d.end; i++) dated[i] = 1;
  const tokenInDate = (i: number) => dated[i] === 1;
  const rules = ruleCandidates(text, tokens, kb, kbc, tokenInDate);
  // a place name inside a date is the date's: "in March", "Mar 5"; so is a month the date stage
  // could not resolve (no published date to give it a year)
  const monthAsDate = (c: Candidate) =>
    c.end - c.start === 1 && isMonthWord(tokens[c.start].text) && (/^\d/.test(tokens[c.end]?.text ?? '') || MONTH_CUES.has(tokens[c.start - 1]?.norm ?? ''));
  const inDate = (c: Candidate) => {
    if (c.type !== 'LOCATION') return false;
    for (let i = c.start; i < c.end; i++) if (dated[i]) return true;
    return monthAsDate(c);
  };
  let chosen = resolveOverlaps([...kbc.filter((c) => !inDate(c)), ...rules]);
  const creditSegs = segments.filter((s) => s.kind === 'credit');
  const inCredit = (i: number) => creditSegs.some((s) => s.start <= tokens[i].start && tokens[i].end <= s.end);
  const takenBy = (list: Candidate[]) => (i: number) => list.some((c) => c.start <= i && i < c.end);
  chosen = resolveOverlaps([...chosen, ...creditCandidates(tokens, inCredit, takenBy(chosen))]);
  if (options.extraCandidates) {
    // Places and peoples from the knowledge base are sure of their words, not that the words are
    // not part of a longer name ("Liberal Party of Canada", "Jackson Lee"); the tagger may say so.
    // Everything else the knowledge base and rules found stays.
    const placeLike = (c: Candidate) => c.strength === 5 && (c.type === 'LOCATION' || c.type === 'NATIONALITY');
    const weakPlace = (c: Candidate) => placeLike(c) && (c.kb?.priority ?? 5) <= 2;
    const sure = takenBy(chosen.filter((c) => !placeLike(c)));
    const covered = takenBy(chosen);
    const weak = takenBy(chosen.filter(weakPlace));
    const tagged = options.extraCandidates(text, tokens, (i) => sure(i) || inCredit(i), (i) => (!covered(i) || weak(i)) && !inCredit(i), gazetteerLabels(tokens.length, kbc));
    const keep = new Set(chosen);
    const add: Candidate[] = [];
    for (const t of tagged) {
      const inside = chosen.filter((c) => keep.has(c) && c.start < t.end && t.start < c.end);
      if (!inside.length) {
        add.push(t);
        continue;
      }
      const contained = inside.every((c) => placeLike(c) && t.start <= c.start && c.end <= t.end);
      const longer = inside.every((c) => c.end - c.start < t.end - t.start);
      const ownWords = tokens.slice(t.start, t.end).some((tok, k) => tok.cap && !inside.some((c) => c.start <= t.start + k && t.start + k < c.end));
      // a town's or province's name that the tagger, reading the words around it, takes for a
      // person or an organisation: "Bush said", "Solana told reporters"
      // (small towns only: a city the size of Goma is meant as the city)
      const place = inside[0];
      const sameWeakPlace =
        inside.length === 1 && weakPlace(place) && place.start === t.start && place.end === t.end && (t.type === 'PERSON' || t.type === 'ORGANIZATION') &&
        place.kb?.kind !== 'capital' && (place.kb?.population ?? 0) < SMALL_TOWN;
      if ((contained && longer && ownWords && t.type !== 'LOCATION') || sameWeakPlace) {
        for (const c of inside) keep.delete(c);
        add.push({ ...t, strength: 4, rule: `${t.rule}-over-place` });
      }
    }
    chosen = resolveOverlaps([...chosen.filter((c) => keep.has(c)), ...add]);
  }
  const acr = acronymCandidates(text, tokens, chosen);
  if (acr.length) {
    const longOf = new Map(acr.map((a) => [a, chosen[a.longForm!]]));
    chosen = resolveOverlaps([...chosen.filter((c) => !acr.some((a) => a.start < c.end && c.start < a.end)), ...acr]);
    for (const a of acr) a.attributes = { ...a.attributes, longFormAt: tokens[longOf.get(a)!.start].start };
  }
  const mentions: (Mention & { _sort?: number })[] = [];
  const segKind = (start: number) => segments.find((s) => s.start <= start && start < s.end)?.kind;
  for (const c of chosen) {
    const start = tokens[c.start].start;
    let end = tokens[c.end - 1].end;
    // "US-backed": the name ends before the hyphen
    while (end > start + 1 && /[-\u2010-\u2015]/.test(text[end - 1])) end--;
    const kind = segKind(start);
    mentions.push({
      id: '',
      start,
      end,
      text: text.slice(start, end),
      type: c.type,
      attributes: {
        rule: c.rule,
        ...(c.kb ? { kb: c.kb.id } : {}),
        ...(kind === 'caption' || kind === 'credit' ? { segment: kind } : {}),
        ...c.attributes,
      },
    });
  }
  // quantities and money
  const spans = mentions.map((m) => [m.start, m.end] as const);
  const dateOverlap = (s: number, e: number) => dates.some((d) => d.start < e && s < d.end);
  for (const q of findQuantities(text, tokens, kb, dateOverlap)) {
    if (spans.some(([s, e]) => s <= q.start && q.end <= e)) continue;
    const kind = segKind(q.start);
    mentions.push({
      id: '', start: q.start, end: q.end, text: text.slice(q.start, q.end), type: q.category === 'money' ? 'MONEY' : 'QUANTITY',
      attributes: {
        rule: `quantity:${q.rule}`,
        quantity: { value: q.value, min: q.min, max: q.max, unit: q.unit, category: q.category, approximate: q.approximate },
        ...(kind === 'caption' || kind === 'credit' ? { segment: kind } : {}),
      },
    });
  }
  for (const d of dates) {
    mentions.push({ id: '', start: d.start, end: d.end, text: d.text, type: 'DATE', attributes: { rule: 'date', value: d.value } });
  }
  const URL_RE = /\bhttps?:\/\/[^\s<>"'”)\]]+[^\s<>"'”).,;:\]]/g;
  let m: RegExpExecArray | null;
  while ((m = URL_RE.exec(text))) mentions.push({ id: '', start: m.index, end: m.index + m[0].length, text: m[0], type: 'URL', attributes: { rule: 'url' } });
  // one mention per span; a name may sit inside a quantity ("4,000 US soldiers"), nothing else overlaps
  mentions.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Mention[] = [];
  const isCount = (m: Mention) => m.type === 'QUANTITY' || m.type === 'MONEY';
  for (const mm of mentions) {
    const clash = out.some((k) => k.start < mm.end && mm.start < k.end && !(isCount(k) && !isCount(mm) && mm.type !== 'DATE' && k.start <= mm.start && mm.end <= k.end));
    if (!clash) out.push(mm);
  }
  out.forEach((x, i) => (x.id = `m${i + 1}`));
  return out;
}

export const findMentions = defineStage({
  name: 'findMentions',
  reads: ['segments', 'tokens', 'dates'],
  writes: ['mentions'],
  setup: ({ kb, options }) => {
    // the trained tagger, loaded once; without its weights the stage still runs, and says so
    let model: NerModel | undefined;
    let missing: string | undefined;
    if (options.tagger) {
      const loaded = loadNerModel();
      if (loaded.ok) model = loaded.value;
      else missing = loaded.issues.map((i) => i.message).join('; ');
    }
    const extra: MentionOptions = model
      ? {
          extraCandidates: (text, tokens, taken, open, kbLabels) =>
            taggerCandidates(model!, tokens, {
              taken,
              open,
              kbLabels,
              // a span that is only (part of) a title names no one: "Lieutenant Colonel", "Prime"
              isTitle: (a, b) => (phraseAt(text, tokens, a, kb.titles)?.end ?? -1) >= b,
              isPlaceHead: (i) => !tokens[i].cap && placeHeadKind(kb, tokens[i]) !== undefined,
            }),
        }
      : {};
    return (doc, report) => {
      if (missing) report({ code: 'ner.model-missing', severity: 'warning', message: `the entity tagger is off: ${missing}` });
      return { mentions: findMentionsIn(doc.text, doc.layers.tokens, doc.layers.segments, doc.layers.dates, kb, extra) };
    };
  },
});
