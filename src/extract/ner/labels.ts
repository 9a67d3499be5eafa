// Tag sets of the entity tagger: BIO or BILOU over PER, ORG, LOC, NAT, conversions between
// them, which label may follow which, and labels → spans.

export type NerType = 'PERSON' | 'ORGANIZATION' | 'LOCATION' | 'NATIONALITY';
export type NerShortType = 'PER' | 'ORG' | 'LOC' | 'NAT';
export type LabelScheme = 'BIO' | 'BILOU';

/** A mention in token indices, end exclusive. */
export type NerSpan = { start: number; end: number; type: NerType };

export const SHORT_TYPES: readonly NerShortType[] = ['PER', 'ORG', 'LOC', 'NAT'];

export const TYPE_NAMES: Readonly<Record<NerShortType, NerType>> = {
  PER: 'PERSON',
  ORG: 'ORGANIZATION',
  LOC: 'LOCATION',
  NAT: 'NATIONALITY',
};

const TYPE_OF_NAME: Readonly<Record<string, NerType>> = {
  PER: 'PERSON', PERSON: 'PERSON',
  ORG: 'ORGANIZATION', ORGANIZATION: 'ORGANIZATION',
  LOC: 'LOCATION', LOCATION: 'LOCATION',
  NAT: 'NATIONALITY', NATIONALITY: 'NATIONALITY',
};

export function labelsFor(scheme: LabelScheme): string[] {
  const prefixes = scheme === 'BIO' ? ['B', 'I'] : ['B', 'I', 'L', 'U'];
  const labels = ['O'];
  for (const t of SHORT_TYPES) for (const p of prefixes) labels.push(`${p}-${t}`);
  return labels;
}

/** BIO → BILOU: a one-token span is U-, the last token of a longer one L-. */
export function bioToBilou(tags: readonly string[]): string[] {
  const out: string[] = new Array(tags.length);
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (tag === 'O') {
      out[i] = 'O';
      continue;
    }
    const type = tag.slice(2);
    const continues = tags[i + 1] === `I-${type}`;
    if (tag.startsWith('B-')) out[i] = continues ? tag : `U-${type}`;
    else out[i] = continues ? tag : `L-${type}`;
  }
  return out;
}

/** BILOU → BIO (also passes BIO through). */
export function bilouToBio(tags: readonly string[]): string[] {
  return tags.map((tag) => {
    const p = tag.charAt(0);
    if (p === 'U') return `B${tag.slice(1)}`;
    if (p === 'L') return `I${tag.slice(1)}`;
    return tag;
  });
}

/**
 * `allowed[(prev + 1) * L + cur]`: whether label `cur` may follow `prev` (prev -1 = sentence
 * start). Inside a span only its continuation may come; BILOU spans must be closed by L-.
 */
export function transitionMask(labels: readonly string[]): Uint8Array {
  const L = labels.length;
  const mask = new Uint8Array((L + 1) * L);
  for (let prev = -1; prev < L; prev++) {
    const p = prev < 0 ? 'O' : labels[prev];
    const open = p.startsWith('B-') || p.startsWith('I-');
    const openType = p.slice(2);
    for (let cur = 0; cur < L; cur++) {
      const c = labels[cur];
      const continues = c.startsWith('I-') || c.startsWith('L-');
      let ok: boolean;
      if (continues) ok = open && c.slice(2) === openType;
      else if (labels.some((l) => l.startsWith('L-'))) ok = !open; // BILOU: B-/I- must be continued
      else ok = true;
      mask[(prev + 1) * L + cur] = ok ? 1 : 0;
    }
  }
  return mask;
}

/** Whether a label may end a sentence (BILOU: not B- or I-). */
export function finalMask(labels: readonly string[]): Uint8Array {
  const bilou = labels.some((l) => l.startsWith('L-'));
  return Uint8Array.from(labels, (l) => (bilou && (l.startsWith('B-') || l.startsWith('I-')) ? 0 : 1));
}

/**
 * Spans from a label sequence in BIO, IOB1, IO or BILOU/BIOES, types short (PER) or long
 * (PERSON). A span opens at B-/U-/S-, or at I-/L-/E- not continuing a span of its type; it closes
 * at O, at another opening, or after L-/U-/E-/S-. Unknown types are skipped.
 */
export function spansFromLabels(labels: readonly string[]): NerSpan[] {
  const spans: NerSpan[] = [];
  let start = -1;
  let type: NerType | undefined;
  let typeName = '';
  const close = (end: number): void => {
    if (start >= 0 && type !== undefined) spans.push({ start, end, type });
    start = -1;
    type = undefined;
    typeName = '';
  };
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === 'O' || label.length < 3 || label.charAt(1) !== '-') {
      close(i);
      continue;
    }
    const p = label.charAt(0);
    const name = label.slice(2);
    const opens = p === 'B' || p === 'U' || p === 'S' || start < 0 || name !== typeName;
    if (opens) {
      close(i);
      start = i;
      typeName = name;
      type = TYPE_OF_NAME[name];
    }
    if (p === 'L' || p === 'U' || p === 'E' || p === 'S') close(i + 1);
  }
  close(labels.length);
  return spans;
}
