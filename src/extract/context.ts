// Shared reading helpers for the fact stages: which mentions lie in a range, who the subject of
// a clause is, what a pronoun or a nominal ("the report", "the group") points back to, and which
// state a capital stands for ("Moscow warned" is Russia speaking).
import type { Entity, Mention } from '../model/contract.js';
import type { Sentence, Token } from '../model/analysis.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { lowerBound } from '../text/search.js';

export type Doc = {
  text: string;
  tokens: readonly Token[];
  sentences: readonly Sentence[];
  mentions: readonly Mention[];
  entities: readonly Entity[];
  kb: Knowledge;
};

export const ACTOR_TYPES = new Set(['PERSON', 'ORGANIZATION', 'LOCATION', 'NATIONALITY', 'FACILITY']);
const LOCATIVE = new Set(['in', 'at', 'near', 'from', 'to', 'into', 'on', 'across', 'around', 'outside', 'inside', 'within', 'toward', 'towards', 'over', 'via', 'through', 'between']);
export const PRONOUNS: Record<string, 'PERSON' | 'GROUP'> = { he: 'PERSON', she: 'PERSON', him: 'PERSON', her: 'PERSON', his: 'PERSON', it: 'GROUP', its: 'GROUP', they: 'GROUP', their: 'GROUP' };
export const DOCUMENT_NOUNS = new Set(['report', 'statement', 'study', 'document', 'communique', 'communiqué', 'letter', 'assessment', 'analysis', 'survey', 'memo', 'paper', 'review', 'filing', 'release', 'resolution']);
export const GROUP_NOUNS = new Set(['group', 'organization', 'organisation', 'movement', 'militia', 'network', 'alliance', 'bloc', 'treaty', 'pact', 'coalition', 'faction', 'outfit', 'government', 'regime', 'ministry', 'army', 'force', 'forces', 'council', 'agency']);

export class DocIndex {
  readonly entity = new Map<string, Entity>();
  /** mentions with an entity, in order */
  readonly named: Mention[];
  constructor(readonly doc: Doc) {
    for (const e of doc.entities) this.entity.set(e.id, e);
    this.named = doc.mentions.filter((m) => m.entity);
  }
  tokenIndexAt(pos: number): number {
    return lowerBound(this.doc.tokens, (t) => t.end <= pos);
  }
  sentenceOf(pos: number): Sentence | undefined {
    const s = this.doc.sentences[lowerBound(this.doc.sentences, (x) => x.end <= pos)];
    return s && s.start <= pos ? s : undefined;
  }
  /** Named mentions lying within [start, end), in order (mentions are sorted by start). */
  namedIn(start: number, end: number): Mention[] {
    const ms = this.named;
    const lo = lowerBound(ms, (m) => m.start < start);
    const out: Mention[] = [];
    for (let i = lo; i < ms.length && ms[i].start < end; i++) if (ms[i].end <= end) out.push(ms[i]);
    return out;
  }
  /**
   * A verb of speech or estimate (data/lexicon/speech-verbs.tsv) at token i: "said", "told",
   * "reported". "the report" is a noun, not one; "The UN estimates" is, though tagged a plural noun.
   */
  isSpeechVerb(i: number): boolean {
    const tokens = this.doc.tokens;
    const t = tokens[i];
    if (!t || t.pos === 'PROPN' || t.pos === 'ADJ') return false;
    const list = this.doc.kb.speechVerbs.byKey;
    if (!list.has(t.norm) && !list.has(t.lemma)) return false;
    if (t.pos === 'NOUN') return /s$/.test(t.text) && tokens[i - 1]?.pos === 'PROPN' && tokens[i - 1].sentence === t.sentence;
    return true;
  }
  /** The token just before a character offset (skipping nothing). */
  tokenBefore(pos: number): Token | undefined {
    const i = this.tokenIndexAt(pos);
    const t = this.doc.tokens[i];
    if (t && t.start < pos) return t;
    return this.doc.tokens[i - 1];
  }
  precededByLocative(m: Mention): boolean {
    let t = this.tokenBefore(m.start);
    if (t && t.norm === 'the') t = this.tokenBefore(t.start);
    return !!t && LOCATIVE.has(t.norm);
  }
  /** A capital city stands for its state when it acts: "Moscow warned" -> Russia. */
  actor(entityId: string): string {
    const e = this.entity.get(entityId);
    if (!e) return entityId;
    if (e.kind === 'capital' && e.country && this.entity.has(`geo:${e.country}`)) return `geo:${e.country}`;
    if (e.type === 'NATIONALITY' && e.country && this.entity.has(`geo:${e.country}`)) return `geo:${e.country}`;
    return entityId;
  }
  /** The agent of a clause: the first named actor from `from` to `to`, preferring people, not in a place phrase. */
  subjectBetween(from: number, to: number, opts: { preferPerson?: boolean } = {}): Mention | undefined {
    const cands = this.namedIn(from, to).filter((m) => ACTOR_TYPES.has(m.type));
    const free = cands.filter((m) => !this.precededByLocative(m) && !this.insideParenthetical(m, from));
    const pool = free.length ? free : cands;
    if (opts.preferPerson) {
      const p = pool.find((m) => m.type === 'PERSON');
      if (p) return p;
    }
    return pool.find((m) => m.type !== 'NATIONALITY') ?? pool[0];
  }
  /** Inside ", ... ," after the clause start: an apposition or aside, not the subject. */
  insideParenthetical(m: Mention, from: number): boolean {
    const before = this.doc.text.slice(from, m.start);
    const commas = (before.match(/,/g) ?? []).length;
    return commas % 2 === 1 && /,/.test(this.doc.text.slice(m.end, m.end + 60));
  }
  /** The most recent named mention before `pos` of one of the types, within `window` characters. */
  lastBefore(pos: number, types: Set<string> | string[], window = 1500): Mention | undefined {
    const ts = types instanceof Set ? types : new Set(types);
    for (let i = this.named.length - 1; i >= 0; i--) {
      const m = this.named[i];
      if (m.end > pos) continue;
      if (pos - m.end > window) return undefined;
      if (ts.has(m.type)) return m;
    }
    return undefined;
  }
}
