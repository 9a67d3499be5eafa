// Universal POS tags for pre-tokenised corpus sentences, from wink-nlp: the same tagger the
// pipeline uses at run time, so the tagger's POS features mean the same in training and use.
//
// wink tokenises for itself. The corpus tokens are joined with single spaces, wink reads that
// text, and each corpus token takes the POS of the wink token covering its first character (where
// wink splits a corpus token, "can't" → "ca" + "n't", the first piece's POS).
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { beyondLatin1, gluedPos } from '../../text/tokenize.js';

type Wink = ReturnType<typeof winkNLP>;

let nlp: Wink | undefined;

function wink(): Wink {
  nlp ??= winkNLP(model);
  return nlp;
}

/** One UPOS tag per corpus token. */
export function posTag(tokens: readonly string[]): string[] {
  const out: string[] = new Array(tokens.length).fill('X');
  if (tokens.length === 0) return out;
  const w = wink();
  const its = w.its;
  const text = tokens.join(' ');
  const doc = w.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const tags = doc.tokens().out(its.pos) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  // Start offset of each wink token in `text`.
  const starts: number[] = new Array(values.length);
  let at = 0;
  for (let j = 0; j < values.length; j++) {
    at += spaces[j].length;
    if (text.startsWith(values[j], at)) {
      starts[j] = at;
    } else {
      // wink changed the surface form (it should not): find it again from here.
      const found = text.indexOf(values[j], at);
      starts[j] = found >= 0 ? found : at;
    }
    at = starts[j] + values[j].length;
  }
  let j = 0;
  let offset = 0;
  for (let i = 0; i < tokens.length; i++) {
    const start = offset;
    const end = start + tokens[i].length;
    while (j + 1 < values.length && starts[j] + values[j].length <= start) j++;
    if (j < values.length && starts[j] < end) out[i] = tags[j];
    // a word wink split at a letter beyond Latin-1 ("Popović") is tagged as the pipeline's tokenizer glues it
    if (beyondLatin1(tokens[i])) {
      const pieces: string[] = [];
      for (let k = j; k < values.length && starts[k] < end; k++) pieces.push(tags[k]);
      if (pieces.length > 1 && /^\p{L}+$/u.test(tokens[i])) out[i] = gluedPos(tokens[i], pieces);
    }
    offset = end + 1;
  }
  return out;
}
