// Time expressions with ISO 8601 values, resolved against the published date. Rules take the
// forms chrono-node does not ("early 2020", "mid-July", "between August 5 and 10, 2021", a bare
// year); chrono-node parses the rest. Overlaps keep the longer expression.
import * as chrono from 'chrono-node';
import type { DateRef } from '../model/contract.js';
import { defineStage } from '../model/analysis.js';
import { MONTH_ALT, MONTH_CUES } from '../text/calendar.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const monthOf = (s: string) => MONTHS.findIndex((m) => m.startsWith(s.toLowerCase().replace('.', '').slice(0, 3))) + 1;
const pad = (n: number) => String(n).padStart(2, '0');
const YEAR = '((?:19|20)\\d{2})';
const QUAL = '(early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of|the middle of|middle of|the first half of|the second half of|spring|summer|autumn|fall|winter)';

type Ref = { year: number; month: number; day: number } | undefined;

function refOf(published?: string): Ref {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(published ?? '');
  return m ? { year: Number(m[1]), month: Number(m[2] ?? 12), day: Number(m[3] ?? 28) } : undefined;
}

/** The year a month without a year most likely belongs to: the latest not after publication. */
function yearFor(month: number, day: number | undefined, ref: Ref): number | undefined {
  if (!ref) return undefined;
  if (month < ref.month || (month === ref.month && (day ?? 1) <= ref.day)) return ref.year;
  return month === ref.month ? ref.year : ref.year - 1;
}

type Rule = { id: string; re: RegExp; value: (m: RegExpExecArray, ref: Ref) => string | undefined };

const RULES: Rule[] = [
  {
    // between August 5 and 10, 2021 / from August 5 to 10 / August 5-10, 2021
    id: 'month-day-range',
    re: new RegExp(`\\b(?:between\\s+|from\\s+)?(${MONTH_ALT})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s*(?:and|to|-|–|until|through)\\s*(?:(${MONTH_ALT})\\s+)?(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+${YEAR})?\\b`, 'gi'),
    value: (m, ref) => {
      const m1 = monthOf(m[1]);
      const m2 = m[3] ? monthOf(m[3]) : m1;
      const y = m[5] ? Number(m[5]) : yearFor(m1, Number(m[2]), ref);
      if (!y || Number(m[2]) > 31 || Number(m[4]) > 31) return undefined;
      return `${y}-${pad(m1)}-${pad(Number(m[2]))}/${y}-${pad(m2)}-${pad(Number(m[4]))}`;
    },
  },
  {
    // between 12 and 14 May 2023 / 3-5 June
    id: 'day-month-range',
    re: new RegExp(`\\b(?:between\\s+|from\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s*(?:and|to|-|–)\\s*(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_ALT})(?:,?\\s+${YEAR})?\\b`, 'gi'),
    value: (m, ref) => {
      const mo = monthOf(m[3]);
      const y = m[4] ? Number(m[4]) : yearFor(mo, Number(m[1]), ref);
      if (!y || Number(m[1]) > 31 || Number(m[2]) > 31) return undefined;
      return `${y}-${pad(mo)}-${pad(Number(m[1]))}/${y}-${pad(mo)}-${pad(Number(m[2]))}`;
    },
  },
  {
    // early 2020, late 2021, the end of 2019
    id: 'qualified-year',
    re: new RegExp(`\\b${QUAL}[- ]${YEAR}\\b`, 'gi'),
    value: (m) => m[2],
  },
  {
    // mid-July, early June 2022, late March
    id: 'qualified-month',
    re: new RegExp(`\\b${QUAL}[- ](${MONTH_ALT})(?:,?\\s+${YEAR})?\\b`, 'gi'),
    value: (m, ref) => {
      const mo = monthOf(m[2]);
      const y = m[3] ? Number(m[3]) : yearFor(mo, undefined, ref);
      return y ? `${y}-${pad(mo)}` : undefined;
    },
  },
  {
    // 2019-2020, 2014 to 2016
    id: 'year-range',
    re: new RegExp(`\\b(?:between\\s+|from\\s+)${YEAR}\\s*(?:and|to|-|–)\\s*${YEAR}\\b`, 'gi'),
    value: (m) => (Number(m[2]) > Number(m[1]) ? `${m[1]}/${m[2]}` : undefined),
  },
];

/** A bare year, unless it counts something ("2013 troops") or is part of a larger number. */
const BARE_YEAR = /(?<![\d,.$€£#-])\b((?:19|20)\d{2})\b(?![\d,.]\d|\s*(?:%|percent|per cent|km|kilomet|miles?|troops|soldiers|fighters|people|civilians|dollars|euros|men|women|children|personnel|members|tons?|tonnes?|kg))/gi;
const BARE_YEAR_BEFORE = /(?:\b(?:in|since|until|till|by|from|of|to|during|before|after|around|year|early|late|mid|summer|winter|spring|autumn|fall|the)\s+|\ba\s+|[(,]\s*)$/i;
// chrono-node is the slowest part of the stage: only sentences that can hold a date it reads go to it
const CHRONO_HINT = /\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|tomorrow|ago|(?:last|next|this|past|coming)\s+(?:week(?:end)?|month|year|night|morning|evening)|\d{1,2}\/\d{1,2}\/\d{2,4}|\d{4}-\d{2}-\d{2})\b/g;
const WEAK_CHRONO = /^(?:now|today|tonight|this|may|march|sat|sun|[a-z]+day)$/i;

function chronoValue(r: chrono.ParsedResult): string | undefined {
  const c = r.start;
  const y = c.get('year');
  const mo = c.get('month');
  const d = c.get('day');
  if (!y) return undefined;
  const startV = c.isCertain('day') || c.isCertain('weekday') || (!c.isCertain('month') && !c.isCertain('year'))
    ? `${y}-${pad(mo ?? 1)}-${pad(d ?? 1)}`
    : c.isCertain('month') ? `${y}-${pad(mo ?? 1)}` : `${y}`;
  if (!r.end) return startV;
  const e = r.end;
  const endV = e.isCertain('day') ? `${e.get('year')}-${pad(e.get('month') ?? 1)}-${pad(e.get('day') ?? 1)}` : e.isCertain('month') ? `${e.get('year')}-${pad(e.get('month') ?? 1)}` : `${e.get('year')}`;
  return `${startV}/${endV}`;
}

export function findDates(text: string, published?: string, ranges: readonly { start: number; end: number }[] = [{ start: 0, end: text.length }]): DateRef[] {
  const ref = refOf(published);
  const found: (DateRef & { rule: string })[] = [];
  const refDate = ref ? new Date(Date.UTC(ref.year, ref.month - 1, ref.day, 12)) : undefined;
  for (const range of ranges) {
    const part = text.slice(range.start, range.end);
    for (const rule of RULES) {
      rule.re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = rule.re.exec(part))) {
        const value = rule.value(m, ref);
        if (value) found.push({ text: m[0], start: range.start + m.index, end: range.start + m.index + m[0].length, value, rule: rule.id });
      }
    }
    // chrono reads a window around each hint, not the whole sentence: it is the costly parser here
    CHRONO_HINT.lastIndex = 0;
    let h: RegExpExecArray | null;
    let windowEnd = -1;
    while ((h = CHRONO_HINT.exec(part))) {
      if (h.index < windowEnd) continue;
      const ws = Math.max(0, h.index - 40);
      const we = Math.min(part.length, h.index + h[0].length + 40);
      windowEnd = we;
      const win = part.slice(ws, we);
      for (const r of chrono.en.casual.parse(win, refDate ? { instant: refDate, timezone: 0 } : undefined, { forwardDate: false })) {
        const t = r.text.trim();
        // a window may cut a date in two; only dates wholly inside it count
        if ((r.index === 0 && ws > 0) || (r.index + r.text.length === win.length && we < part.length)) continue;
        // "may" and "march" are words too: as months they are capitalised and follow "in", "since", ...
        const monthWord = /^(?:May|March)$/.test(t) && MONTH_CUES.has(/(\w+)\s+$/.exec(win.slice(0, r.index))?.[1].toLowerCase() ?? '');
        if (WEAK_CHRONO.test(t) && !monthWord) continue;
        // durations and vague spans ("for several years", "in recent months") are not dates
        if (!/\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|day\b|\b(?:yesterday|tomorrow|tonight|ago|last|next|this)\b/i.test(t)) continue;
        if (/^\d{1,2}(:\d\d)?\s*(am|pm)?$/i.test(t) || /^\d+$/.test(t)) continue; // times of day and bare numbers
        // with no published date, a date without its year (or "on Monday") cannot be resolved
        if (!refDate && !r.start.isCertain('year')) continue;
        const value = chronoValue(r);
        // the expression itself, without a leading preposition or trailing punctuation: "On Monday," -> "Monday"
        const lead = /^(?:on|in|at|by|since|from|until|during)\s+/i.exec(r.text)?.[0].length ?? 0;
        const core = r.text.slice(lead).replace(/[\s,.;:]+$/, '');
        const at = range.start + ws + r.index + lead;
        if (value && core && !found.some((f) => f.start === at && f.rule === 'chrono')) found.push({ text: core, start: at, end: at + core.length, value, rule: 'chrono' });
      }
    }
    BARE_YEAR.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = BARE_YEAR.exec(part))) {
      const before = part.slice(Math.max(0, m.index - 24), m.index);
      if (!BARE_YEAR_BEFORE.test(before) && m.index !== 0) continue;
      found.push({ text: m[1], start: range.start + m.index, end: range.start + m.index + 4, value: m[1], rule: 'bare-year' });
    }
  }
  // longest first; drop any that overlaps one already kept
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: (DateRef & { rule: string })[] = [];
  for (const f of found) if (!kept.some((k) => k.start < f.end && f.start < k.end)) kept.push(f);
  kept.sort((a, b) => a.start - b.start || a.end - b.end);
  return kept.map(({ rule, ...d }) => ({ ...d, text: text.slice(d.start, d.end), attributes: { rule } }));
}

export const resolveDates = defineStage({
  name: 'resolveDates',
  reads: ['sentences'],
  writes: ['dates'],
  setup: () => (doc) => ({ dates: findDates(doc.text, doc.meta.published, doc.layers.sentences) }),
});
