// A tiny synthetic corpus of conflict reporting, built from sentence frames and name lists, for
// training tests. Slots: {PER}, {ORG}, {LOC}, {NAT}; everything else is O.
import type { TrainingSentence } from '../../../src/extract/ner/train.js';
import { posTag } from '../../../src/extract/ner/pos.js';

const FRAMES = [
  '{PER} , a spokesman for the {ORG} , said fighters had withdrawn from {LOC} on Monday .',
  '{NAT} troops entered {LOC} after heavy shelling overnight , residents said .',
  'The {ORG} claimed responsibility for the attack near {LOC} , according to {PER} .',
  'Security forces arrested {PER} in {LOC} on suspicion of links to the {ORG} .',
  '{PER} told reporters in {LOC} that {NAT} advisers were training the {ORG} .',
  'At least twelve soldiers were killed when the {ORG} ambushed a convoy outside {LOC} .',
  'Officials in {LOC} said {NAT} aircraft struck positions held by the {ORG} .',
  'The {ORG} denied that its fighters had shelled {LOC} , {PER} said in a statement .',
  'Hundreds of {NAT} refugees crossed into {LOC} last week , aid workers said .',
  'In {LOC} , {PER} met commanders of the {ORG} to discuss a ceasefire .',
];

const NAMES: Record<'PER' | 'ORG' | 'LOC' | 'NAT', string[]> = {
  PER: ['Amadou Traore', 'Hassan Nasrallah', 'Fatima Diallo', 'Viktor Petrenko', 'Abu Bakr al-Baghdadi', 'Sarah Okafor', 'Mohammed Omar', 'Ivan Kozlov'],
  ORG: ['Islamic State', 'Wagner Group', 'United Nations', 'African Union', 'Red Cross', 'Taliban', 'Hezbollah', 'Al-Shabaab'],
  LOC: ['Mali', 'Gao', 'Mosul', 'Kharkiv', 'Mogadishu', 'Aleppo', 'Kabul', 'Timbuktu'],
  NAT: ['French', 'Russian', 'Iraqi', 'Somali', 'Syrian', 'Afghan', 'Malian', 'Ukrainian'],
};

/** Tokens and BIO tags of one frame filled with the i-th names (rotating through each list). */
export function fillFrame(frame: string, i: number): { tokens: string[]; tags: string[] } {
  const tokens: string[] = [];
  const tags: string[] = [];
  const used: Record<string, number> = { PER: 0, ORG: 0, LOC: 0, NAT: 0 };
  for (const word of frame.split(' ')) {
    const slot = /^\{(PER|ORG|LOC|NAT)\}$/.exec(word);
    if (slot === null) {
      tokens.push(word);
      tags.push('O');
      continue;
    }
    const type = slot[1] as keyof typeof NAMES;
    const list = NAMES[type];
    const name = list[(i * 3 + used[type] * 5 + type.length) % list.length];
    used[type]++;
    name.split(' ').forEach((part, j) => {
      tokens.push(part);
      tags.push(`${j === 0 ? 'B' : 'I'}-${type}`);
    });
  }
  return { tokens, tags };
}

/** `count` sentences: frame k % 10 with the k-th rotation of names. */
export function syntheticSentences(count: number, offset = 0): TrainingSentence[] {
  const out: TrainingSentence[] = [];
  for (let k = offset; k < offset + count; k++) {
    const { tokens, tags } = fillFrame(FRAMES[k % FRAMES.length], k);
    const pos = posTag(tokens);
    out.push({ tokens: tokens.map((text, j) => ({ text, pos: pos[j] })), tags, weight: 1, nat: true, corpus: 'synthetic', silver: false });
  }
  return out;
}

/** The same sentences as a WikiGold-style IO file (token SPACE tag), for reader-level tests. */
export function syntheticWikigold(count: number): string {
  const lines: string[] = ['-DOCSTART- O', ''];
  for (let k = 0; k < count; k++) {
    const { tokens, tags } = fillFrame(FRAMES[k % FRAMES.length], k);
    tokens.forEach((t, j) => lines.push(`${t} ${tags[j] === 'O' ? 'O' : tags[j].endsWith('NAT') ? 'I-MISC' : `I-${tags[j].slice(2)}`}`));
    lines.push('');
  }
  return lines.join('\n');
}
