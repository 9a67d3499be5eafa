// The statistical entity tagger at run time: the model, decoding, and the weights file.
//
// A model is a linear scorer over hashed features (features.ts): one row of weights per feature,
// one column per label. Two decoders exist, and training writes which one a model was trained
// for: `greedy` (left to right, with the previous two predicted tags as features) and `viterbi`
// (first-order transition weights, no tag-history features). Both forbid impossible label
// sequences (I-LOC after O, ...). Viterbi measured better on the dev split (PERSON+ORGANIZATION+
// LOCATION micro F1, 10 epochs: overlap 0.869 vs 0.865, exact 0.823 vs 0.804) for 81 extra
// additions per token, so training defaults to it and the shipped model uses it
// (data/ner/README.md).
//
// Speed: each word's weights in the templates that read only that word (its form, shape,
// affixes, and its role as a neighbour) are summed once and cached per model, so a token costs
// the cached sums plus about 17 table look-ups for the context templates.
//
// The weights file is JSON: settings in plain fields, the feature keys and int16-quantised
// weights as one deflated, base64-encoded binary block. It is derived from the corpora credited
// in NOTICE.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { issue, type Result } from '../../model/issues.js';
import {
  FeatureExtractor, HISTORY_COUNT, HISTORY_TEMPLATES, NEIGHBOUR_OFFSETS, NEIGHBOUR_TEMPLATES, STATIC_COUNT, STATIC_TEMPLATES, WORD_TEMPLATES,
  type TaggerToken,
} from './features.js';
import { FeatureTable } from './feature-table.js';
import { bilouToBio, finalMask, labelsFor, spansFromLabels, transitionMask, type LabelScheme, type NerSpan, type NerType } from './labels.js';

export { spansFromLabels, type NerSpan, type NerType, type LabelScheme };
export type { TaggerToken };

export const NER_MODEL_FORMAT = 'faultline.ner/v1';

export type NerDecoder = 'greedy' | 'viterbi';

/** What training records about itself in the weights file. */
export type NerModelInfo = {
  corpora: Record<string, { train: number; dev: number }>;
  epochs: number;
  seed: number;
  gmbWeight: number;
  gazetteer: boolean;
  [k: string]: unknown;
};

export type NerModel = {
  readonly scheme: LabelScheme;
  readonly decoder: NerDecoder;
  readonly labels: readonly string[];
  readonly table: FeatureTable;
  /** `weights[row * labels.length + label]`. */
  readonly weights: Float32Array;
  /** `transitions[(prev + 1) * labels.length + cur]`, prev -1 = start (viterbi only; zeros otherwise). */
  readonly transitions: Float32Array;
  readonly info: NerModelInfo;
  /** Reusable buffers: a model is used from one thread at a time. */
  readonly work: Workspace;
};

type Workspace = {
  extractor: FeatureExtractor;
  /** Per word: its feature hashes, and its summed weights (see wordScores). */
  words: Map<string, { info: Int32Array; scores: Float64Array }>;
  sentenceInfos: Int32Array[];
  sentenceScores: Float64Array[];
  allowed: Uint8Array;
  final: Uint8Array;
  scores: Float64Array;
  history: Int32Array;
  best: Int32Array;
  emissions: Float64Array;
  delta: Float64Array;
  back: Int32Array;
};

function workspace(labels: readonly string[]): Workspace {
  const L = labels.length;
  return {
    extractor: new FeatureExtractor(),
    words: new Map(),
    sentenceInfos: [],
    sentenceScores: [],
    allowed: transitionMask(labels),
    final: finalMask(labels),
    scores: new Float64Array(L),
    history: new Int32Array(HISTORY_COUNT),
    best: new Int32Array(64),
    emissions: new Float64Array(64 * L),
    delta: new Float64Array(64 * L),
    back: new Int32Array(64 * L),
  };
}

export function createNerModel(parts: {
  scheme: LabelScheme;
  decoder: NerDecoder;
  table: FeatureTable;
  weights: Float32Array;
  transitions: Float32Array;
  info: NerModelInfo;
}): NerModel {
  const labels = labelsFor(parts.scheme);
  return { ...parts, labels, work: workspace(labels) };
}

// Static templates neither word-only nor neighbour-word: looked up per token.
const CONTEXT_TEMPLATES: readonly number[] = [...Array(STATIC_COUNT).keys()].filter(
  (k) => !WORD_TEMPLATES.includes(k) && !NEIGHBOUR_TEMPLATES.some((ts) => ts.includes(k)),
);
const WORD_SCORES_LIMIT = 100_000;

function addRow(model: NerModel, key: number, into: Float64Array, offset: number): void {
  const row = model.table.get(key);
  if (row < 0) return;
  const L = model.labels.length;
  const base = row * L;
  const weights = model.weights;
  for (let l = 0; l < L; l++) into[offset + l] += weights[base + l];
}

/** A word's hashes and summed weights: [word-only templates | as token -1 | +1 | -2 | +2], L each. */
function wordEntry(model: NerModel, word: string): { info: Int32Array; scores: Float64Array } {
  const cache = model.work.words;
  let entry = cache.get(word);
  if (entry !== undefined) return entry;
  const L = model.labels.length;
  const info = model.work.extractor.wordInfo(word);
  const keys = model.work.extractor.wordKeys(word, info);
  const scores = new Float64Array(L * (1 + NEIGHBOUR_OFFSETS.length));
  let k = 0;
  for (; k < WORD_TEMPLATES.length; k++) addRow(model, keys[k], scores, 0);
  for (let r = 0; r < NEIGHBOUR_OFFSETS.length; r++) {
    for (let j = 0; j < NEIGHBOUR_TEMPLATES[r].length; j++) addRow(model, keys[k++], scores, (r + 1) * L);
  }
  if (cache.size >= WORD_SCORES_LIMIT) cache.clear();
  entry = { info, scores };
  cache.set(word, entry);
  return entry;
}

/** Per-token word hashes and scores for a sentence about to be decoded. */
function prepareWords(model: NerModel, tokens: readonly TaggerToken[]): void {
  const { sentenceInfos, sentenceScores } = model.work;
  sentenceInfos.length = tokens.length;
  sentenceScores.length = tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    const entry = wordEntry(model, tokens[i].text);
    sentenceInfos[i] = entry.info;
    sentenceScores[i] = entry.scores;
  }
}

/**
 * Scores every label of token i from its static features into `scores` (cleared first): the
 * cached sums of its own and its neighbours' words, plus the context templates looked up.
 * Equals summing every static feature's row (up to floating-point order).
 */
function staticScores(model: NerModel, i: number, n: number, scores: Float64Array): void {
  const L = scores.length;
  const keys = model.work.extractor.keys;
  const words = model.work.sentenceScores;
  const own = words[i];
  for (let l = 0; l < L; l++) scores[l] = own[l];
  const at = i * STATIC_COUNT;
  for (let r = 0; r < NEIGHBOUR_OFFSETS.length; r++) {
    const j = i + NEIGHBOUR_OFFSETS[r];
    if (j >= 0 && j < n) {
      const v = words[j];
      const base = (r + 1) * L;
      for (let l = 0; l < L; l++) scores[l] += v[base + l];
    } else {
      // Sentence edge: the padding's keys, looked up like any other.
      for (const k of NEIGHBOUR_TEMPLATES[r]) addRow(model, keys[at + k], scores, 0);
    }
  }
  for (let c = 0; c < CONTEXT_TEMPLATES.length; c++) addRow(model, keys[at + CONTEXT_TEMPLATES[c]], scores, 0);
}

function decodeGreedy(model: NerModel, n: number, best: Int32Array): void {
  const { table, weights, work } = model;
  const L = model.labels.length;
  const { scores, history, allowed, extractor } = work;
  let prev1 = -1;
  let prev2 = -1;
  for (let i = 0; i < n; i++) {
    staticScores(model, i, n, scores);
    extractor.history(i, prev1, prev2, history, 0);
    for (let k = 0; k < HISTORY_COUNT; k++) {
      const row = table.get(history[k]);
      if (row < 0) continue;
      const base = row * L;
      for (let l = 0; l < L; l++) scores[l] += weights[base + l];
    }
    const allowedBase = (prev1 + 1) * L;
    let top = 0;
    let topScore = -Infinity;
    for (let l = 0; l < L; l++) {
      if (allowed[allowedBase + l] === 0) continue;
      if (scores[l] > topScore) {
        topScore = scores[l];
        top = l;
      }
    }
    best[i] = top;
    prev2 = prev1;
    prev1 = top;
  }
}

function decodeViterbi(model: NerModel, n: number, best: Int32Array): void {
  const L = model.labels.length;
  const work = model.work;
  if (work.emissions.length < n * L) {
    work.emissions = new Float64Array(n * L * 2);
    work.delta = new Float64Array(n * L * 2);
    work.back = new Int32Array(n * L * 2);
  }
  const { emissions, delta, back, allowed, final, scores } = work;
  for (let i = 0; i < n; i++) {
    staticScores(model, i, n, scores);
    emissions.set(scores, i * L);
  }
  viterbi(n, L, emissions, model.transitions, allowed, final, delta, back, best);
}

/**
 * Best label sequence under emission scores `emissions[i * L + l]` and `transitions[(prev + 1) *
 * L + cur]`, skipping transitions `allowed` forbids. Shared with training.
 */
export function viterbi(
  n: number,
  L: number,
  emissions: ArrayLike<number>,
  transitions: ArrayLike<number>,
  allowed: Uint8Array,
  final: Uint8Array,
  delta: Float64Array,
  back: Int32Array,
  best: Int32Array,
): void {
  if (n === 0) return;
  for (let l = 0; l < L; l++) {
    delta[l] = allowed[l] === 0 ? -Infinity : transitions[l] + emissions[l];
    back[l] = -1;
  }
  for (let i = 1; i < n; i++) {
    const prevBase = (i - 1) * L;
    const base = i * L;
    for (let cur = 0; cur < L; cur++) {
      let top = -Infinity;
      let arg = 0;
      for (let prev = 0; prev < L; prev++) {
        const t = (prev + 1) * L + cur;
        if (allowed[t] === 0) continue;
        const s = delta[prevBase + prev] + transitions[t];
        if (s > top) {
          top = s;
          arg = prev;
        }
      }
      delta[base + cur] = top + emissions[base + cur];
      back[base + cur] = arg;
    }
  }
  const lastBase = (n - 1) * L;
  let top = -Infinity;
  let arg = 0;
  for (let l = 0; l < L; l++) {
    const s = final[l] === 0 ? -Infinity : delta[lastBase + l];
    if (s > top) {
      top = s;
      arg = l;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    best[i] = arg;
    arg = back[i * L + arg];
  }
}

/** Label indices for a sentence (into `model.labels`, the model's own scheme). */
export function decodeSentence(model: NerModel, tokens: readonly TaggerToken[]): Int32Array {
  prepareWords(model, tokens);
  // A model trained without gazetteer labels never saw them: reading them would only shift its scores.
  const n = model.work.extractor.prepare(tokens, model.work.sentenceInfos, model.info.gazetteer);
  if (model.work.best.length < n) model.work.best = new Int32Array(n * 2);
  const best = model.work.best;
  if (model.decoder === 'viterbi') decodeViterbi(model, n, best);
  else decodeGreedy(model, n, best);
  return best.subarray(0, n);
}

/**
 * One BIO label per token: "O", "B-PER", "I-LOC", ... (BILOU models are converted to BIO).
 * `kb` labels are read only by a model trained with them (`model.info.gazetteer`).
 */
export function tagSentence(model: NerModel, tokens: readonly TaggerToken[]): string[] {
  const best = decodeSentence(model, tokens);
  const labels = model.labels;
  const out: string[] = new Array(best.length);
  for (let i = 0; i < best.length; i++) out[i] = labels[best[i]];
  return model.scheme === 'BIO' ? out : bilouToBio(out);
}

/** Mentions found in a sentence, in token indices (end exclusive). */
export function tagSpans(model: NerModel, tokens: readonly TaggerToken[]): NerSpan[] {
  return spansFromLabels(tagSentence(model, tokens));
}

// ---- the weights file ----

type ModelFile = {
  format: string;
  scheme: LabelScheme;
  decoder: NerDecoder;
  labels: string[];
  templates: { static: string[]; history: string[] };
  features: number;
  scale: number;
  transitions: number[];
  /** base64 of deflate-raw(keys as int32 LE, sorted, delta-coded | weights as int16 LE). */
  data: string;
  info: NerModelInfo;
};

/**
 * The model as the JSON text of its weights file. Feature rows whose weights all round to zero
 * are dropped; weights are quantised to int16 with one scale. Deterministic: the same model gives
 * the same bytes.
 */
export function serialiseNerModel(model: NerModel): string {
  const L = model.labels.length;
  const keys = model.table.keys();
  let maxAbs = 0;
  for (let i = 0; i < model.weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(model.weights[i]));
  const scale = maxAbs > 0 ? maxAbs / 32767 : 1;
  // Keep rows with a weight that survives quantisation, sorted by key as unsigned.
  const kept: number[] = [];
  for (let row = 0; row < keys.length; row++) {
    for (let l = 0; l < L; l++) {
      if (Math.round(model.weights[row * L + l] / scale) !== 0) {
        kept.push(row);
        break;
      }
    }
  }
  kept.sort((a, b) => (keys[a] >>> 0) - (keys[b] >>> 0));
  const n = kept.length;
  const keyBytes = new Uint32Array(n);
  const weightBytes = new Int16Array(n * L);
  let last = 0;
  for (let j = 0; j < n; j++) {
    const row = kept[j];
    const key = keys[row] >>> 0;
    keyBytes[j] = (key - last) >>> 0;
    last = key;
    for (let l = 0; l < L; l++) weightBytes[j * L + l] = Math.round(model.weights[row * L + l] / scale);
  }
  const raw = Buffer.concat([Buffer.from(keyBytes.buffer), Buffer.from(weightBytes.buffer)]);
  const file: ModelFile = {
    format: NER_MODEL_FORMAT,
    scheme: model.scheme,
    decoder: model.decoder,
    labels: [...model.labels],
    templates: { static: [...STATIC_TEMPLATES], history: [...HISTORY_TEMPLATES] },
    features: n,
    scale,
    transitions: Array.from(model.transitions, (x) => Number(x.toPrecision(6))),
    data: deflateRawSync(raw, { level: 9 }).toString('base64'),
    info: model.info,
  };
  return JSON.stringify(file);
}

/** Parses a weights file's text; `input` names it in errors. */
export function parseNerModel(text: string, input: string): Result<NerModel> {
  const fail = (reason: string): Result<NerModel> => ({
    ok: false,
    issues: [issue('ner.model-missing', input, `the NER model ${input} is unusable: ${reason}`)],
  });
  let file: ModelFile;
  try {
    file = JSON.parse(text) as ModelFile;
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof file !== 'object' || file === null) return fail('expected a JSON object');
  if (file.format !== NER_MODEL_FORMAT) return fail(`format is ${JSON.stringify(file.format)}, expected "${NER_MODEL_FORMAT}"`);
  if (file.scheme !== 'BIO' && file.scheme !== 'BILOU') return fail(`scheme ${JSON.stringify(file.scheme)} is not BIO or BILOU`);
  if (file.decoder !== 'greedy' && file.decoder !== 'viterbi') return fail(`decoder ${JSON.stringify(file.decoder)} is not greedy or viterbi`);
  const labels = labelsFor(file.scheme);
  if (JSON.stringify(file.labels) !== JSON.stringify(labels)) return fail(`labels ${JSON.stringify(file.labels)} do not match the ${file.scheme} set`);
  if (
    JSON.stringify(file.templates?.static) !== JSON.stringify(STATIC_TEMPLATES) ||
    JSON.stringify(file.templates?.history) !== JSON.stringify(HISTORY_TEMPLATES)
  ) {
    return fail('its feature templates differ from this version of features.ts: retrain it with `faultline train-ner`');
  }
  const L = labels.length;
  const n = file.features;
  if (!Number.isInteger(n) || n < 0) return fail(`feature count ${JSON.stringify(n)} is not a whole number`);
  if (typeof file.scale !== 'number' || !(file.scale > 0)) return fail(`scale ${JSON.stringify(file.scale)} is not a positive number`);
  if (!Array.isArray(file.transitions) || file.transitions.length !== (L + 1) * L) {
    return fail(`expected ${(L + 1) * L} transition weights`);
  }
  if (typeof file.data !== 'string') return fail('the "data" field is missing');
  let raw: Buffer;
  try {
    raw = inflateRawSync(Buffer.from(file.data, 'base64'));
  } catch (e) {
    return fail(`its weights do not decompress (${(e as Error).message})`);
  }
  if (raw.length !== n * 4 + n * L * 2) return fail(`its weights hold ${raw.length} bytes, expected ${n * 4 + n * L * 2} for ${n} features`);
  // Copy into fresh, aligned buffers.
  const deltas = new Uint32Array(n);
  Buffer.from(deltas.buffer).set(raw.subarray(0, n * 4));
  const quantised = new Int16Array(n * L);
  Buffer.from(quantised.buffer).set(raw.subarray(n * 4));
  const keys = new Int32Array(n);
  let key = 0;
  for (let j = 0; j < n; j++) {
    key = (key + deltas[j]) >>> 0;
    keys[j] = key | 0;
  }
  const weights = new Float32Array(n * L);
  for (let i = 0; i < weights.length; i++) weights[i] = quantised[i] * file.scale;
  return {
    ok: true,
    value: createNerModel({
      scheme: file.scheme,
      decoder: file.decoder,
      table: FeatureTable.fromKeys(keys),
      weights,
      transitions: Float32Array.from(file.transitions),
      info: file.info,
    }),
  };
}

/** The project root: the nearest folder above this module holding package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve('.');
    dir = up;
  }
}

/** Where the shipped weights live: data/ner/model.json in the project. */
export function defaultNerModelPath(): string {
  return join(projectRoot(), 'data', 'ner', 'model.json');
}

/** Loads a weights file (default: the shipped one); the issue names the path and the reason. */
export function loadNerModel(path: string = defaultNerModelPath()): Result<NerModel> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file (train one with `faultline train-ner`)' : (e as Error).message;
    return { ok: false, issues: [issue('ner.model-missing', path, `cannot read the NER model ${path}: ${reason}`)] };
  }
  return parseNerModel(text, path);
}
