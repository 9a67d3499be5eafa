// Numbers as reporting writes them, with their bounds, approximation and unit: "some 3,000
// soldiers", "between 3,500 and 4,000", "up to 6,500 Pakistanis", "a 1,300-kilometer border",
// "$2.5 billion". Units come from data/lexicon/units.tsv.
import type { Token } from '../model/analysis.js';
import type { Knowledge, WordEntry } from '../knowledge/knowledge.js';
import { phraseAt } from './lexicon.js';
import { lowerBound } from '../text/search.js';

export type ParsedQuantity = {
  start: number;
  end: number;
  value?: number;
  min?: number;
  max?: number;
  unit?: string;
  /** What the unit measures: troops, distance, money, casualties, ... (units.tsv category). */
  category?: string;
  approximate?: boolean;
  /** The counted noun phrase's last token index, for finding what it is about. */
  unitToken?: number;
  rule: string;
};

const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const WORD_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, thousand: 1000, dozen: 12,
};
const MULT: Record<string, number> = { million: 1e6, m: 1e6, mn: 1e6, billion: 1e9, bn: 1e9, b: 1e9, trillion: 1e12, thousand: 1e3, k: 1e3 };
const CURRENCY: Record<string, string> = { $: 'USD', 'us$': 'USD', '€': 'EUR', '£': 'GBP', '¥': 'CNY', '₽': 'RUB', '₹': 'INR', '₴': 'UAH' };

const LOWER_CUES: [RegExp, 'value' | 'max' | 'min', boolean][] = [
  [/\b(?:up to|as many as|as much as|as high as|no more than|not more than|a maximum of|at most)\s*$/i, 'max', false],
  [/\b(?:at least|more than|over|upwards of|in excess of|a minimum of|no fewer than|no less than)\s*$/i, 'min', false],
  [/\b(?:fewer than|less than|under|below)\s*$/i, 'max', false],
  [/\b(?:as low as|as few as|as little as)\s*$/i, 'value', false],
  [/\b(?:some|about|around|approximately|roughly|nearly|almost|an estimated|estimated|close to|roughly|circa|c\.|~)\s*$/i, 'value', true],
];

const QUANTITY_RE = new RegExp(
  String.raw`(?:\b(?:between|from)\s+)?((?:US\$|\$|€|£|¥|₽|₹|₴)\s?)?(${NUM})(\s?(?:million|billion|trillion|bn|mn|m|k)\b)?` +
    String.raw`(?:(?:\s*(?:-|–|to|and)\s*)((?:US\$|\$|€|£)\s?)?(${NUM})(\s?(?:million|billion|trillion|bn|mn|m|k)\b)?)?`,
  'gi',
);
const WORD_QUANTITY_RE = /\b(dozens|scores|hundreds|thousands|tens of thousands|hundreds of thousands|millions)\s+of\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)(?:\s+(hundred|thousand|million))?\b/gi;

const num = (s: string) => Number(s.replace(/,/g, ''));

/** Finds quantities in `text` between start and end; tokens give access to the unit words. */
export function findQuantities(text: string, tokens: readonly Token[], kb: Knowledge, skip: (start: number, end: number) => boolean): ParsedQuantity[] {
  const out: ParsedQuantity[] = [];
  // the token starting at or after pos
  const firstTokenFrom = (pos: number): number => lowerBound(tokens, (t) => t.start < pos);
  const unitAfter = (end: number): { entry: WordEntry; end: number; token: number } | undefined => {
    // "-kilometer" glued by a hyphen, or up to two modifiers before the unit: "4,000 US soldiers"
    let i = firstTokenFrom(end);
    if (i < tokens.length && tokens[i].text === '-' && tokens[i].start === end) i++;
    const sent = tokens[i]?.sentence;
    for (let skipWords = 0; skipWords <= 2 && i < tokens.length && tokens[i].sentence === sent; skipWords++, i++) {
      const hit = phraseAt(text, tokens, i, kb.units);
      if (hit && tokens[hit.end - 1]) {
        const entry = hit.entries.find((e) => e.category !== 'multiplier');
        if (entry) return { entry, end: tokens[hit.end - 1].end, token: hit.end - 1 };
      }
      // a demonym plural counts people: "6,500 Pakistanis"
      const t = tokens[i];
      if (t.cap && /s$/.test(t.text) && kb.matcher.lookup(t.text).some((x) => x.entry.type === 'NATIONALITY'))
        return { entry: { phrase: t.text, category: 'people', value: 'people', id: 'demonym-plural' }, end: t.end, token: i };
      if (!/^(?:ADJ|PROPN|NOUN|NUM)$/.test(t.pos) && t.text !== 'more' && t.text !== 'other') break;
      if (t.pos === 'NOUN' && skipWords > 0) break;
    }
    return undefined;
  };
  QUANTITY_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = QUANTITY_RE.exec(text))) {
    const start = m.index;
    let end = m.index + m[0].length;
    if (skip(start, end)) continue;
    const before = text.slice(Math.max(0, start - 30), start);
    // ordinals, page and resolution numbers, ages, times and codes are not quantities
    if (/(?:\bpages?|\bp\.|\bresolutions?|\bno\.|\bnumber|\bchapter|\barticle|\bsection|\bparagraph|\bpara\.|#|\bflight|\broute|\bhighway|\bkm)\s*$/i.test(before) || /[A-Za-z]-?$/.test(before)) continue;
    if (/^(?:st\b|nd\b|rd\b|th\b|-year-old|\s*years? old|:\d|[a-zA-Z])/.test(text.slice(end, end + 10))) continue;
    // an age in commas ("The commander, 45, was"), a clock time ("0600 local time") are not counts
    if (/,\s*$/.test(before) && /^\s*,/.test(text.slice(end, end + 3)) && !m[1] && !m[3] && num(m[2]) < 120 && !m[5]) continue;
    if (/^\s*(?:local time|GMT|UTC|hours?\b|hrs\b|h\b|am\b|pm\b)/i.test(text.slice(end, end + 12)) && /^\d{4}$/.test(m[2])) continue;
    const a = num(m[2]) * (m[3] ? MULT[m[3].trim().toLowerCase()] ?? 1 : 1);
    const hasRange = m[5] !== undefined && (/\b(?:between|from)\s+$/i.test(text.slice(start, m.index + m[0].indexOf(m[2]))) || /^(?:\s*(?:-|–|to)\s*)/.test(text.slice(m.index + m[0].indexOf(m[2]) + m[2].length + (m[3]?.length ?? 0))));
    const b = m[5] !== undefined ? num(m[5]) * (m[6] ? MULT[m[6].trim().toLowerCase()] ?? 1 : m[3] ? MULT[m[3].trim().toLowerCase()] ?? 1 : 1) : undefined;
    const currency = m[1] ? CURRENCY[m[1].trim().toLowerCase()] : m[4] ? CURRENCY[m[4].trim().toLowerCase()] : undefined;
    const q: ParsedQuantity = { start, end, rule: 'number' };
    if (hasRange && b !== undefined && b >= a) {
      q.min = a;
      q.max = b;
    } else {
      if (m[5] !== undefined) {
        // "... and 4,000": not a range; keep the first number only
        end = m.index + m[0].indexOf(m[2]) + m[2].length + (m[3]?.length ?? 0);
        q.end = end;
        QUANTITY_RE.lastIndex = end;
      }
      q.value = a;
      for (const [re, bound, approx] of LOWER_CUES) {
        const cue = re.exec(before);
        if (cue) {
          if (bound !== 'value') {
            delete q.value;
            q[bound] = a;
          }
          if (approx) q.approximate = true;
          q.start = start - cue[0].length + (cue[0].length - cue[0].trimStart().length);
          break;
        }
      }
    }
    if (currency) {
      q.unit = currency;
      q.category = 'money';
    }
    const unit = unitAfter(q.end);
    if (unit) {
      if (!currency) {
        q.unit = unit.entry.value ?? unit.entry.phrase;
        q.category = unit.entry.category;
      }
      q.end = unit.end;
      q.unitToken = unit.token;
    }
    // a year standing alone is a date, not a quantity
    if (!unit && !currency && q.value !== undefined && Number.isInteger(q.value) && q.value >= 1900 && q.value <= 2099 && !/,/.test(m[2])) continue;
    out.push(q);
  }
  WORD_QUANTITY_RE.lastIndex = 0;
  while ((m = WORD_QUANTITY_RE.exec(text))) {
    const start = m.index;
    const end = start + m[0].length;
    if (skip(start, end) || out.some((q) => q.start < end && start < q.end)) continue;
    const q: ParsedQuantity = { start, end, rule: 'number-words' };
    if (m[1]) {
      const w = m[1].toLowerCase();
      q.min = w.startsWith('dozens') ? 24 : w.startsWith('scores') ? 40 : w.startsWith('hundreds of thousands') ? 200000 : w.startsWith('hundreds') ? 200 : w.startsWith('tens of thousands') ? 20000 : w.startsWith('thousands') ? 2000 : 2e6;
      q.approximate = true;
    } else {
      q.value = WORD_NUMBERS[m[2].toLowerCase()] * (m[3] ? MULT[m[3].toLowerCase()] ?? 1 : 1);
    }
    const unit = unitAfter(end);
    if (!unit) continue; // "one of the", "two" alone: not a quantity worth a mention
    q.unit = unit.entry.value ?? unit.entry.phrase;
    q.category = unit.entry.category;
    q.end = unit.end;
    q.unitToken = unit.token;
    out.push(q);
  }
  return out.sort((x, y) => x.start - y.start);
}
