// Layout: title, paragraphs, headings, photo captions and their credits, recognised by form.
import type { Segment, SegmentKind } from '../model/contract.js';
import { defineStage } from '../model/analysis.js';

/** "Photo: AFP / Sputnik", "Photograph: Reuters", "(Credit: ...)" at the end of a block. */
const CREDIT_AT_END =
  /(?:^|[.!?)\]”"]\s+|\s)((?:\(?\s*)?(?:File\s+)?(?:Photo(?:graph)?s?|Image|Picture|Pic|Credit|Illustration|Video|Footage|Screenshot|Screengrab|Source)(?:\s+credit)?\s*[:|]\s*[^\n.!?]{1,90}?\.?\)?)\s*$/i;
/** "REUTERS/Name", "AFP via Getty Images", "(AP Photo/Name)" at the end of a block. */
const AGENCY_CREDIT_AT_END = /(?:^|[.!?]\s+)((?:\(\s*)?(?:[A-Z][A-Za-z.&]*\s+)?(?:via Getty Images|[A-Z]{2,}(?:\s+Photo)?\s*\/\s*[A-Z][\w .'-]{1,60})\)?)\s*$/;
/** Caption phrasing, for a short block that has no credit of its own. */
const CAPTION_CUE = /\b(?:in a file photo|file photo|pictured|seen here|in this (?:handout )?(?:photo|picture|image)|(?:left|right|centre|center)\)|is seen|are seen)\b/i;
const TERMINAL = /[.!?:;"”’')\]…]$/;

type Block = { start: number; end: number };

function blocks(text: string): Block[] {
  const out: Block[] = [];
  const re = /\n[ \t\u00a0]*\n|\r\n[ \t\u00a0]*\r\n/g;
  let last = 0;
  const push = (s: number, e: number) => {
    // one block of several lines: separate lines unless they read as one hard-wrapped paragraph
    const raw = text.slice(s, e);
    const lines: Block[] = [];
    const lre = /[^\n]+/g;
    let m: RegExpExecArray | null;
    while ((m = lre.exec(raw))) lines.push({ start: s + m.index, end: s + m.index + m[0].length });
    const wrapped = lines.length > 1 && lines.slice(0, -1).every((l) => l.end - l.start > 50 && !TERMINAL.test(text.slice(l.start, l.end).trimEnd()));
    for (const l of wrapped ? [{ start: lines[0].start, end: lines[lines.length - 1].end }] : lines) {
      let a = l.start;
      let b = l.end;
      while (a < b && /\s/.test(text[a])) a++;
      while (b > a && /\s/.test(text[b - 1])) b--;
      if (b > a) out.push({ start: a, end: b });
    }
  };
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    push(last, m.index);
    last = m.index + m[0].length;
  }
  push(last, text.length);
  return out;
}

function creditAt(text: string, b: Block): number | undefined {
  const s = text.slice(b.start, b.end);
  const m = CREDIT_AT_END.exec(s) ?? AGENCY_CREDIT_AT_END.exec(s);
  if (!m) return undefined;
  const at = m.index + m[0].indexOf(m[1]);
  return b.start + at;
}

/** Splits a text into layout segments; exported for the HTML reader and tests. */
export function segmentText(text: string, title?: string): Segment[] {
  const segs: Segment[] = [];
  const bs = blocks(text);
  bs.forEach((b, i) => {
    const s = text.slice(b.start, b.end);
    const credit = creditAt(text, b);
    if (credit !== undefined) {
      if (credit > b.start) {
        let ce = credit;
        while (ce > b.start && /\s/.test(text[ce - 1])) ce--;
        segs.push({ kind: 'caption', start: b.start, end: ce });
      }
      segs.push({ kind: 'credit', start: credit, end: b.end });
      return;
    }
    let kind: SegmentKind = 'paragraph';
    const short = s.length <= 200 && !s.includes('\n');
    if (i === 0 && bs.length > 1 && short && (!TERMINAL.test(s) || (title && s === title.trim()))) kind = 'title';
    else if (title && s === title.trim() && !segs.some((x) => x.kind === 'title')) kind = 'title';
    else if (short && s.length < 160 && CAPTION_CUE.test(s) && !/["“”]/.test(s)) kind = 'caption';
    else if (i > 0 && short && s.length <= 80 && !TERMINAL.test(s) && /^[A-Z0-9]/.test(s) && bs.length > 2 && s.split(/\s+/).length <= 10) kind = 'heading';
    segs.push({ kind, start: b.start, end: b.end });
  });
  return segs;
}

export const segment = defineStage({
  name: 'segment',
  reads: [],
  writes: ['segments'],
  setup: () => (doc) => ({ segments: segmentText(doc.text, doc.meta.title) }),
});
