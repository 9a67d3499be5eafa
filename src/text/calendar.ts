// Calendar words, for the stages that must recognise a time expression: the date stage
// (resolve-dates.ts) and the mention stage, which must not read "March" as the English town even
// where no published date lets the date stage resolve it.

/** A month's name or its abbreviation, as a regular-expression alternation. */
export const MONTH_ALT = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
export const WEEKDAY_ALT = '(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day';
/** Words before a month that make it a date: "in March", "since May", "early June". */
export const MONTH_CUES: ReadonlySet<string> = new Set(['in', 'since', 'by', 'until', 'from', 'during', 'early', 'late', 'mid', 'last', 'next', 'this', 'of', 'before', 'after', 'through']);

const MONTH_WORD = new RegExp(`^${MONTH_ALT}$`);
const WEEKDAY_WORD = new RegExp(`^${WEEKDAY_ALT}$`);
export const isMonthWord = (word: string): boolean => MONTH_WORD.test(word);
export const isWeekday = (word: string): boolean => WEEKDAY_WORD.test(word);
