// Quotes: direct speech and quoted phrases in straight or typographic marks, nested quotes, and
// unbalanced marks (a quote left open runs to where the next one opens, or to the end of its
// paragraph). Each is attributed to its speaker: "X said" after or before the quote, "said X",
// "according to X", a pronoun resolved to the speaker before it, a document ("the report said")
// resolved to the body whose report it is, or the speaker of the sentence before.
import type { Mention, Quote } from '../model/contract.js';
import { defineStage } from '../model/analysis.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { DocIndex, DOCUMENT_NOUNS, PRONOUNS, type Doc } from './context.js';

type Span = { start: number; end: number; open: number; close: number; nested: boolean; balanced: boolean };

const OPEN_D = new Set(['\u201c', '\u201e', '\u00ab']);
const CLOSE_D = new Set(['\u201d', '\u00bb']);

/** Quote spans in one paragraph: inner text offsets and the mark positions. */
export function quoteSpans(text: string, start: number, end: number): Span[] {
  const out: Span[] = [];
  let open = -1;
  let straight = false;
  const push = (o: number, c: number, balanced: boolean) => {
    let a = o + 1;
    let b = c;
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (b > a) out.push({ start: a, end: b, open: o, close: balanced ? c : b, nested: false, balanced });
  };
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (OPEN_D.has(ch) || (ch === '"' && open < 0)) {
      if (open >= 0) {
        // a new quote opens before the last one closed: the last one ends here
        push(open, i, false);
      }
      open = i;
      straight = ch === '"';
    } else if (CLOSE_D.has(ch) || (ch === '"' && open >= 0 && straight)) {
      if (open >= 0) push(open, i, true);
      open = -1;
    }
  }
  if (open >= 0) push(open, end, false);
  // nested single quotes inside a double quote, and single-quoted phrases on their own
  const singles: Span[] = [];
  for (let i = start; i < end; i++) {
    if (text[i] !== '\u2018' && !(text[i] === "'" && (i === start || /[\s(“"]/.test(text[i - 1])))) continue;
    const closeRe = text[i] === '\u2018' ? /\u2019(?![\p{L}])/gu : /'(?![\p{L}])/gu;
    closeRe.lastIndex = i + 1;
    const m = closeRe.exec(text);
    if (!m || m.index >= end || m.index - i > 300) continue;
    const inner = text.slice(i + 1, m.index);
    if (!inner.trim() || /[\n]/.test(inner)) continue;
    const inside = out.some((d) => d.start <= i && m.index < d.end);
    singles.push({ start: i + 1, end: m.index, open: i, close: m.index, nested: inside, balanced: true });
    i = m.index;
  }
  return [...out, ...singles].sort((a, b) => a.start - b.start);
}

type Attribution = { mention?: Mention; entity?: string; rule: string };

export function findQuotesIn(doc: Doc, segments: readonly { kind: string; start: number; end: number }[]): Quote[] {
  const ix = new DocIndex(doc);
  const { text, tokens } = doc;
  const isSpeech = (i: number) => ix.isSpeechVerb(i);
  const quotes: (Quote & { _para: number })[] = [];
  const docSpeakers: { entity: string; at: number }[] = [];
  // "UN report", "Security Council report": bodies whose reports may speak later
  for (const m of ix.named) {
    const ti = ix.tokenIndexAt(m.end);
    for (let k = ti; k < ti + 2 && k < tokens.length; k++)
      if (DOCUMENT_NOUNS.has(tokens[k].lemma) || DOCUMENT_NOUNS.has(tokens[k].norm)) {
        docSpeakers.push({ entity: ix.actor(m.entity!), at: m.start });
        break;
      }
  }
  const resolveNp = (from: number, to: number, before: number): Attribution | undefined => {
    // a named speaker in the phrase
    const named = ix.subjectBetween(from, to, { preferPerson: true });
    if (named) return { mention: named, entity: ix.actor(named.entity!), rule: 'named' };
    const a = ix.tokenIndexAt(from);
    const b = ix.tokenIndexAt(to);
    for (let k = a; k < b && k < tokens.length; k++) {
      const t = tokens[k];
      const pro = PRONOUNS[t.norm];
      if (pro) {
        const prev = [...quotes].reverse().find((q) => q.speaker && q.end <= before && before - q.end < 1200);
        const prevEntity = prev?.speaker ? ix.entity.get(prev.speaker) : undefined;
        if (prev && prevEntity && (pro === 'PERSON' ? prevEntity.type === 'PERSON' : prevEntity.type !== 'PERSON')) return { entity: prev.speaker, rule: `pronoun:${t.norm}` };
        const m = ix.lastBefore(before, pro === 'PERSON' ? ['PERSON'] : ['ORGANIZATION', 'LOCATION'], 800);
        if (m) return { mention: m, entity: ix.actor(m.entity!), rule: `pronoun:${t.norm}` };
      }
      if (DOCUMENT_NOUNS.has(t.lemma) || DOCUMENT_NOUNS.has(t.norm)) {
        const d = [...docSpeakers].reverse().find((s) => s.at < before);
        if (d) return { entity: d.entity, rule: 'document' };
      }
    }
    return undefined;
  };

  segments.forEach((seg, p) => {
    if (seg.kind === 'credit') return;
    for (const s of quoteSpans(text, seg.start, seg.end)) {
      let attr: Attribution | undefined;
      if (!s.nested) {
        // after the quote: ", X said" / ", said X" / ", he said"
        let k = ix.tokenIndexAt(s.close + 1);
        const sentEnd = ix.sentenceOf(Math.min(s.close + 2, text.length - 1))?.end ?? seg.end;
        const limit = Math.min(tokens.length, k + 10);
        let verb = -1;
        for (let j = k; j < limit && tokens[j].start < Math.max(sentEnd, s.close + 2) && tokens[j].end <= seg.end; j++) {
          if (tokens[j].text === '“' || tokens[j].text === '"') break;
          if (isSpeech(j)) {
            verb = j;
            break;
          }
        }
        // ", according to X" after the quote
        const acc = /^\s*[,.]?\s*according to\s+/i.exec(text.slice(s.close + 1, Math.min(seg.end, s.close + 40)));
        if (acc) {
          const from = s.close + 1 + acc[0].length;
          const sentEndAcc = ix.sentenceOf(from)?.end ?? seg.end;
          // the first actor named after "according to" (it follows a preposition, so not subjectBetween)
          const named = ix.namedIn(from, Math.min(sentEndAcc, seg.end)).find((x) => x.type !== 'NATIONALITY' && x.type !== 'FACILITY');
          attr = named ? { mention: named, entity: ix.actor(named.entity!), rule: 'named' } : resolveNp(from, Math.min(sentEndAcc, seg.end), s.open);
          if (attr) attr.rule = `after-according:${attr.rule}`;
        }
        if (!attr && verb >= 0 && tokens[k]) {
          if (tokens[k].text === ',' || tokens[k].text === '.') k++;
          attr = verb > k ? resolveNp(tokens[k].start, tokens[verb].start, s.open) : undefined;
          if (!attr) {
            const after = tokens[verb + 1];
            if (after) attr = resolveNp(after.start, Math.min(seg.end, tokens[Math.min(verb + 6, tokens.length - 1)].end), s.open);
          }
          if (attr) attr.rule = `after:${attr.rule}`;
        }
        // before the quote, in its sentence: "X said that “...", "X told reporters: “..."
        if (!attr) {
          const sent = ix.sentenceOf(s.open) ?? ix.sentenceOf(s.start);
          const from = Math.max(sent?.start ?? seg.start, seg.start);
          let v = -1;
          for (let j = ix.tokenIndexAt(from); j < tokens.length && tokens[j].end <= s.open; j++) if (isSpeech(j)) v = j;
          const acc = /according to\s*$/i.test(text.slice(from, s.open)) ? -1 : text.slice(from, s.open).search(/according to /i);
          if (acc >= 0) attr = resolveNp(from + acc + 13, s.open, s.open);
          if (!attr && v >= 0) attr = resolveNp(from, tokens[v].start, s.open);
          if (attr) attr.rule = `before:${attr.rule}`;
        }
        // no attribution of its own: the speaker before it in the paragraph, or of the sentence before
        if (!attr) {
          const prev = [...quotes].reverse().find((q) => q._para === p && q.speaker);
          if (prev) attr = { entity: prev.speaker, rule: 'continued' };
          else {
            const sent = ix.sentenceOf(s.open);
            const prevSent = doc.sentences.filter((x) => x.end <= s.open && x.start >= seg.start).pop();
            const scope = prevSent ?? sent;
            if (scope) {
              const m = ix.subjectBetween(scope.start, Math.min(scope.end, s.open), { preferPerson: true });
              if (m && m.type === 'PERSON') attr = { mention: m, entity: m.entity, rule: 'previous-sentence' };
            }
          }
        }
      } else {
        const outer = quotes.find((q) => q.start <= s.start && s.end <= q.end);
        if (outer?.speaker) attr = { entity: outer.speaker, rule: 'nested' };
      }
      const evidence = [{ start: s.open, end: Math.min(text.length, s.balanced ? s.close + 1 : s.end) }];
      if (attr?.mention) evidence.push({ start: attr.mention.start, end: attr.mention.end, source: attr.mention.id } as never);
      quotes.push({
        id: '',
        ...(attr?.entity ? { speaker: attr.entity } : {}),
        text: text.slice(s.start, s.end),
        start: s.start,
        end: s.end,
        evidence,
        attributes: { rule: attr?.rule ?? 'unattributed', ...(s.nested ? { nested: true } : {}), ...(s.balanced ? {} : { unbalanced: true }), ...(seg.kind === 'caption' ? { segment: 'caption' } : {}) },
        _para: p,
      });
    }
  });
  return quotes
    .sort((a, b) => a.start - b.start)
    .map(({ _para, ...q }, i) => ({ ...q, id: `q${i + 1}` }));
}

export const findQuotes = defineStage({
  name: 'findQuotes',
  reads: ['segments', 'sentences', 'tokens', 'mentions', 'entities'],
  writes: ['quotes'],
  setup: ({ kb }: { kb: Knowledge }) => (doc) =>
    ({
      quotes: findQuotesIn(
        { text: doc.text, tokens: doc.layers.tokens, sentences: doc.layers.sentences, mentions: doc.layers.mentions, entities: doc.layers.entities, kb },
        doc.layers.segments,
      ),
    }),
});
