// Training the statistical entity tagger: averaged perceptron over the features of features.ts,
// with greedy (tag-history features) or Viterbi (first-order transitions) decoding.
//
// Data: every corpus present under the corpora folder (corpora.ts), POS-tagged with wink-nlp
// (pos.ts) as at run time. A FIXED dev split is held out: sentence i of each corpus (0-based, in
// the reader's order) is dev when i % 10 === 9, i.e. every 10th sentence. The silver GMB is
// down-weighted: its perceptron updates count `gmbWeight` (default 0.5) against 1 for the gold
// sets. Shuffling uses a seeded PRNG, so the same corpora, options and seed give the same
// weights, byte for byte.
//
// Where a corpus does not annotate nationalities (corpus.nat false), a NAT prediction on a token
// marked O is not counted as an error, in training or in scoring.
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatIssue } from '../../model/issues.js';
import { readCorpora, type Corpus } from './corpora.js';
import { evaluateTagger, type NerEvaluation } from './dev-eval.js';
import { FeatureExtractor, HISTORY_COUNT, STATIC_COUNT, type TaggerToken } from './features.js';
import { FeatureTable } from './feature-table.js';
import { bioToBilou, finalMask, labelsFor, transitionMask, type LabelScheme } from './labels.js';
import { createNerModel, parseNerModel, projectRoot, serialiseNerModel, viterbi, type NerDecoder, type NerModel, type NerModelInfo } from './model.js';
import { posTag } from './pos.js';

/** Returns the BIO-typed gazetteer label of each token ("B-LOCATION/city", ...) or undefined (gazetteer.ts). */
export type Gazetteer = (tokens: string[], pos: string[]) => (string | undefined)[];

export const DEFAULT_GAZETTEER_DROPOUT = 0.5;

export type TrainingSentence = {
  tokens: TaggerToken[];
  /** BIO over PER, ORG, LOC, NAT. */
  tags: string[];
  /** Perceptron update weight (GMB: gmbWeight; gold sets: 1). */
  weight: number;
  /** Whether the corpus annotates nationalities. */
  nat: boolean;
  corpus: string;
  /** From a silver (tool-made) corpus: GMB. */
  silver: boolean;
};

export type TrainerOptions = {
  epochs: number;
  seed: number;
  scheme: LabelScheme;
  decoder: NerDecoder;
  /** Features seen fewer times than this in the training data get no weights. */
  minCount: number;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
};

// Measured on the dev split (P+O+L overlap micro F1 / exact): viterbi BIO 10 epochs 0.869 / 0.823,
// BILOU 0.867 / 0.821, greedy BIO 0.865 / 0.804; viterbi BIO 15 epochs 0.872 / 0.824. GMB weight
// 1: 0.870 overall but the gold sets lose; 0.25: 0.861. minCount 1: no gain, a 60% larger file.
export const DEFAULT_TRAINER_OPTIONS: TrainerOptions = { epochs: 15, seed: 1, scheme: 'BIO', decoder: 'viterbi', minCount: 2 };
export const DEFAULT_GMB_WEIGHT = 0.5;

/** Dev sentences are those with index % DEV_EVERY === DEV_EVERY - 1 in each corpus. */
export const DEV_EVERY = 10;

export function isDevIndex(i: number): boolean {
  return i % DEV_EVERY === DEV_EVERY - 1;
}

/** mulberry32: a small seeded PRNG, enough for shuffling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Turns corpus sentences into tagger input: POS tags, gazetteer labels, update weights. */
export function toTrainingSentences(
  corpora: readonly Corpus[],
  options: { split: 'train' | 'dev'; gmbWeight?: number; gazetteer?: Gazetteer },
): TrainingSentence[] {
  const out: TrainingSentence[] = [];
  const gmbWeight = options.gmbWeight ?? DEFAULT_GMB_WEIGHT;
  for (const corpus of corpora) {
    corpus.sentences.forEach((s, i) => {
      if (isDevIndex(i) !== (options.split === 'dev')) return;
      const pos = s.pos ?? posTag(s.tokens);
      const kb = options.gazetteer?.(s.tokens, pos);
      const tokens: TaggerToken[] = s.tokens.map((text, j) => {
        const k = kb?.[j];
        return k === undefined ? { text, pos: pos[j] } : { text, pos: pos[j], kb: k };
      });
      out.push({ tokens, tags: s.tags, weight: corpus.silver ? gmbWeight : 1, nat: corpus.nat, corpus: corpus.name, silver: corpus.silver });
    });
  }
  return out;
}

// ---- the perceptron ----

/** Weights with lazy averaging: `total` sums each weight over time up to `stamp`. */
class Averaged {
  w: Float64Array;
  total: Float64Array;
  stamp: Float64Array;

  constructor(size: number) {
    this.w = new Float64Array(size);
    this.total = new Float64Array(size);
    this.stamp = new Float64Array(size);
  }

  ensure(size: number): void {
    if (size <= this.w.length) return;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(Math.max(size, a.length * 2));
      b.set(a);
      return b;
    };
    this.w = grow(this.w);
    this.total = grow(this.total);
    this.stamp = grow(this.stamp);
  }

  update(i: number, delta: number, t: number): void {
    this.total[i] += (t - this.stamp[i]) * this.w[i];
    this.stamp[i] = t;
    this.w[i] += delta;
  }

  averaged(size: number, t: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = t > 0 ? (this.total[i] + (t - this.stamp[i]) * this.w[i]) / t : this.w[i];
    return out;
  }
}

/** Trains a model on in-memory sentences. */
export function trainTagger(sentences: readonly TrainingSentence[], options: Partial<TrainerOptions> & { info?: Partial<NerModelInfo> } = {}): NerModel {
  const opts = { ...DEFAULT_TRAINER_OPTIONS, ...options };
  const log = opts.log ?? (() => {});
  const labels = labelsFor(opts.scheme);
  const L = labels.length;
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const natLabels = new Uint8Array(L);
  labels.forEach((l, i) => {
    if (l.endsWith('-NAT')) natLabels[i] = 1;
  });
  const allowed = transitionMask(labels);
  // For each label, the label that opens a span of its type (I-X, L-X → B-X or U-X).
  const openerOf = Int32Array.from(labels, (l) => {
    if (l === 'O' || l.startsWith('B-') || l.startsWith('U-')) return labelIndex.get(l) ?? 0;
    const type = l.slice(2);
    const lastInSpan = l.startsWith('L-');
    return labelIndex.get(`${lastInSpan ? 'U' : 'B'}-${type}`) ?? labelIndex.get(`B-${type}`) ?? 0;
  });
  const final = finalMask(labels);
  const extractor = new FeatureExtractor();

  // Gold label indices and static feature keys, once.
  const offsets = new Int32Array(sentences.length + 1);
  for (let s = 0; s < sentences.length; s++) offsets[s + 1] = offsets[s] + sentences[s].tokens.length;
  const totalTokens = offsets[sentences.length];
  const gold = new Int32Array(totalTokens);
  const staticKeys = new Int32Array(totalTokens * STATIC_COUNT);
  sentences.forEach((s, si) => {
    if (s.tags.length !== s.tokens.length) throw new Error(`training sentence ${si} (${s.corpus}) has ${s.tokens.length} tokens but ${s.tags.length} tags`);
    const tags = opts.scheme === 'BILOU' ? bioToBilou(s.tags) : s.tags;
    tags.forEach((tag, j) => {
      const k = labelIndex.get(tag);
      if (k === undefined) throw new Error(`training sentence ${si} (${s.corpus}): tag ${JSON.stringify(tag)} is not one of ${labels.join(', ')}`);
      gold[offsets[si] + j] = k;
    });
    const n = extractor.prepare(s.tokens);
    staticKeys.set(extractor.keys.subarray(0, n * STATIC_COUNT), offsets[si] * STATIC_COUNT);
  });

  // Count features; those seen fewer than minCount times get no row (-1).
  const counting = new FeatureTable(1 << 20);
  let counts = new Int32Array(1 << 20);
  for (let k = 0; k < staticKeys.length; k++) {
    const id = counting.add(staticKeys[k]);
    if (id >= counts.length) {
      const bigger = new Int32Array(counts.length * 2);
      bigger.set(counts);
      counts = bigger;
    }
    counts[id]++;
  }
  const table = new FeatureTable(counting.size);
  const staticRows = new Int32Array(staticKeys.length);
  for (let k = 0; k < staticKeys.length; k++) {
    const key = staticKeys[k];
    staticRows[k] = counts[counting.get(key)] >= opts.minCount ? table.add(key) : -1;
  }
  log(`ner: ${sentences.length} sentences, ${totalTokens} tokens, ${counting.size} distinct features, ${table.size} kept (seen >= ${opts.minCount} times)`);

  const weights = new Averaged(table.size * L + 1024 * L);
  const transitions = new Averaged((L + 1) * L);
  const random = seededRandom(opts.seed);
  const order = Array.from(sentences.keys());
  const scores = new Float64Array(L);
  const history = new Int32Array(HISTORY_COUNT);
  const historyRows = new Int32Array(HISTORY_COUNT);
  let maxLen = 1;
  for (const s of sentences) maxLen = Math.max(maxLen, s.tokens.length);
  const emissions = new Float64Array(maxLen * L);
  const delta = new Float64Array(maxLen * L);
  const back = new Int32Array(maxLen * L);
  const pred = new Int32Array(maxLen);
  const target = new Int32Array(maxLen);
  let t = 0;

  const addRow = (base: number, into: Float64Array, offset: number): void => {
    if (base < 0) return;
    const w = weights.w;
    const b = base * L;
    for (let l = 0; l < L; l++) into[offset + l] += w[b + l];
  };

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const started = Date.now();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const x = order[i];
      order[i] = order[j];
      order[j] = x;
    }
    let errors = 0;
    let seen = 0;
    for (const si of order) {
      const s = sentences[si];
      const n = s.tokens.length;
      const first = offsets[si];
      const step = s.weight;
      if (opts.decoder === 'greedy') {
        extractor.prepare(s.tokens);
        let prev1 = -1;
        let prev2 = -1;
        for (let i = 0; i < n; i++) {
          scores.fill(0);
          const rowsAt = (first + i) * STATIC_COUNT;
          for (let k = 0; k < STATIC_COUNT; k++) addRow(staticRows[rowsAt + k], scores, 0);
          extractor.history(i, prev1, prev2, history, 0);
          for (let k = 0; k < HISTORY_COUNT; k++) {
            const row = table.add(history[k]);
            weights.ensure((row + 1) * L);
            historyRows[k] = row;
            addRow(row, scores, 0);
          }
          const base = (prev1 + 1) * L;
          let guess = 0;
          let top = -Infinity;
          for (let l = 0; l < L; l++) {
            if (allowed[base + l] !== 0 && scores[l] > top) {
              top = scores[l];
              guess = l;
            }
          }
          let truth = gold[first + i];
          if (!s.nat && truth === 0 && natLabels[guess] === 1) truth = guess;
          // After a wrong history the gold continuation may be impossible (I-X after O): teach
          // the label that opens the same span instead (B-X), which is what decoding can reach.
          if (allowed[base + truth] === 0) truth = openerOf[truth];
          t++;
          if (guess !== truth) {
            errors++;
            for (let k = 0; k < STATIC_COUNT; k++) {
              const row = staticRows[rowsAt + k];
              if (row < 0) continue;
              weights.update(row * L + truth, step, t);
              weights.update(row * L + guess, -step, t);
            }
            for (let k = 0; k < HISTORY_COUNT; k++) {
              weights.update(historyRows[k] * L + truth, step, t);
              weights.update(historyRows[k] * L + guess, -step, t);
            }
          }
          seen++;
          prev2 = prev1;
          prev1 = guess;
        }
      } else {
        emissions.fill(0, 0, n * L);
        for (let i = 0; i < n; i++) {
          const rowsAt = (first + i) * STATIC_COUNT;
          for (let k = 0; k < STATIC_COUNT; k++) addRow(staticRows[rowsAt + k], emissions, i * L);
        }
        viterbi(n, L, emissions, transitions.w, allowed, final, delta, back, pred);
        let wrong = false;
        for (let i = 0; i < n; i++) {
          let truth = gold[first + i];
          if (!s.nat && truth === 0 && natLabels[pred[i]] === 1) truth = pred[i];
          target[i] = truth;
          if (truth !== pred[i]) {
            wrong = true;
            errors++;
          }
        }
        seen += n;
        t++;
        if (wrong) {
          for (let i = 0; i < n; i++) {
            const g = target[i];
            const p = pred[i];
            if (g !== p) {
              const rowsAt = (first + i) * STATIC_COUNT;
              for (let k = 0; k < STATIC_COUNT; k++) {
                const row = staticRows[rowsAt + k];
                if (row < 0) continue;
                weights.update(row * L + g, step, t);
                weights.update(row * L + p, -step, t);
              }
            }
            const gPrev = i === 0 ? -1 : target[i - 1];
            const pPrev = i === 0 ? -1 : pred[i - 1];
            if (g !== p || gPrev !== pPrev) {
              transitions.update((gPrev + 1) * L + g, step, t);
              transitions.update((pPrev + 1) * L + p, -step, t);
            }
          }
        }
      }
    }
    log(`ner: epoch ${epoch + 1}/${opts.epochs}: ${((100 * errors) / Math.max(1, seen)).toFixed(2)}% token errors, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  const info: NerModelInfo = {
    corpora: {},
    epochs: opts.epochs,
    seed: opts.seed,
    gmbWeight: DEFAULT_GMB_WEIGHT,
    gazetteer: sentences.some((s) => s.tokens.some((tok) => tok.kb !== undefined)),
    minCount: opts.minCount,
    ...options.info,
  };
  return createNerModel({
    scheme: opts.scheme,
    decoder: opts.decoder,
    table,
    weights: weights.averaged(table.size * L, t),
    transitions: opts.decoder === 'viterbi' ? transitions.averaged((L + 1) * L, t) : new Float32Array((L + 1) * L),
    info,
  });
}

// ---- from corpora to a weights file ----

export type TrainNerOptions = {
  corporaDir: string;
  outPath: string;
  epochs?: number;
  seed?: number;
  scheme?: LabelScheme;
  decoder?: NerDecoder;
  gmbWeight?: number;
  minCount?: number;
  gazetteer?: Gazetteer;
  /** Share of training sentences trained without their gazetteer labels (default 0.5). */
  gazetteerDropout?: number;
  /** Where to write the report; default dev-report.json beside the model. */
  reportPath?: string;
  log?: (line: string) => void;
};

export type NerTrainingReport = {
  format: 'faultline.ner-report/v1';
  command: string;
  corpora: Record<string, { train: number; dev: number; dropped: number; silver: boolean; nat: boolean }>;
  epochs: number;
  seed: number;
  scheme: LabelScheme;
  decoder: NerDecoder;
  gmbWeight: number;
  minCount: number;
  gazetteer: boolean;
  gazetteerDropout: number;
  features: number;
  modelBytes: number;
  trainingSeconds: number;
  dev: NerEvaluation;
};

/** Reads the corpora, trains, writes the model and the report; returns the report. */
export async function trainNer(options: TrainNerOptions): Promise<NerTrainingReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = Date.now();
  const epochs = options.epochs ?? DEFAULT_TRAINER_OPTIONS.epochs;
  const seed = options.seed ?? DEFAULT_TRAINER_OPTIONS.seed;
  const scheme = options.scheme ?? DEFAULT_TRAINER_OPTIONS.scheme;
  const decoder = options.decoder ?? DEFAULT_TRAINER_OPTIONS.decoder;
  const minCount = options.minCount ?? DEFAULT_TRAINER_OPTIONS.minCount;
  const gmbWeight = options.gmbWeight ?? DEFAULT_GMB_WEIGHT;

  const read = readCorpora(options.corporaDir, { demonyms: loadDemonyms() });
  if (!read.ok) throw new Error(read.issues.map(formatIssue).join('\n'));
  for (const note of read.issues ?? []) log(formatIssue(note));
  const corpora = read.value;
  if (corpora.length === 0) throw new Error(`no corpus folder found in ${options.corporaDir}; expected some of gmb, wikigold, uner-en-pud, uner-en-ewt, gum, crossner-politics`);
  log(`ner: read ${corpora.map((c) => `${c.name} (${c.sentences.length})`).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const train = toTrainingSentences(corpora, { split: 'train', gmbWeight, gazetteer: options.gazetteer });
  // Gazetteer dropout: a share of the training sentences lose their knowledge-base labels, so the
  // tagger still learns to read names from their context, not only from the list (a place the
  // knowledge base lacks must still look like a place).
  const dropout = options.gazetteerDropout ?? DEFAULT_GAZETTEER_DROPOUT;
  if (options.gazetteer && dropout > 0) {
    const random = seededRandom(seed + 7919);
    for (const s of train) if (random() < dropout) s.tokens = s.tokens.map(({ text, pos }) => ({ text, pos }));
  }
  const dev = toTrainingSentences(corpora, { split: 'dev', gmbWeight, gazetteer: options.gazetteer });
  log(`ner: POS-tagged ${train.length} training and ${dev.length} dev sentences in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const corpusSizes: NerTrainingReport['corpora'] = {};
  for (const c of corpora) {
    const devCount = c.sentences.filter((_, i) => isDevIndex(i)).length;
    corpusSizes[c.name] = { train: c.sentences.length - devCount, dev: devCount, dropped: c.dropped, silver: c.silver, nat: c.nat };
  }
  const trained = trainTagger(train, {
    epochs, seed, scheme, decoder, minCount, log,
    info: {
      corpora: Object.fromEntries(Object.entries(corpusSizes).map(([k, v]) => [k, { train: v.train, dev: v.dev }])),
      gmbWeight,
      gazetteer: options.gazetteer !== undefined,
    },
  });
  const text = serialiseNerModel(trained);
  // Score the model exactly as it will be loaded (pruned, quantised).
  const parsed = parseNerModel(text, options.outPath);
  if (!parsed.ok) throw new Error(`the trained model does not load back: ${parsed.issues.map(formatIssue).join('; ')}`);
  const evaluation = evaluateTagger(parsed.value, dev);
  const trainingSeconds = Math.round((Date.now() - started) / 100) / 10;

  mkdirSync(dirname(resolve(options.outPath)), { recursive: true });
  writeFileSync(options.outPath, text);
  const report: NerTrainingReport = {
    format: 'faultline.ner-report/v1',
    command: `faultline train-ner --corpora ${options.corporaDir} --out ${options.outPath} --epochs ${epochs} --seed ${seed}${options.gazetteer ? "" : " --no-gazetteer"}`,
    corpora: corpusSizes,
    epochs, seed, scheme, decoder, gmbWeight, minCount,
    gazetteer: options.gazetteer !== undefined,
    gazetteerDropout: options.gazetteer ? dropout : 0,
    features: JSON.parse(text).features as number,
    modelBytes: Buffer.byteLength(text),
    trainingSeconds,
    dev: evaluation,
  };
  const reportPath = options.reportPath ?? join(dirname(options.outPath), 'dev-report.json');
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  log(`ner: wrote ${options.outPath} (${(report.modelBytes / 1e6).toFixed(1)} MB) and ${reportPath} in ${trainingSeconds} s`);
  return report;
}

/**
 * Demonyms ("Russian", "Iraqis", "Pashtun") from the knowledge files, when they exist:
 * data/places/countries.json (`demonyms`, `demonymPlurals`) and data/lexicon/nationalities.jsonl
 * (`name`, `forms`). Used only to map CrossNER's misc to NAT.
 */
export function loadDemonyms(root = projectRoot()): Set<string> | undefined {
  const names = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^\p{Lu}[\p{L}'-]+$/u.test(v)) names.add(v);
    } else if (Array.isArray(v)) v.forEach(collect);
  };
  const countries = join(root, 'data', 'places', 'countries.json');
  if (existsSync(countries)) {
    try {
      const records = JSON.parse(readFileSync(countries, 'utf8')) as Record<string, unknown>[];
      for (const r of records) {
        collect(r.demonyms);
        collect(r.demonymPlurals);
      }
    } catch {
      // A malformed file is the knowledge loader's to report; here it only means fewer demonyms.
    }
  }
  const peoples = join(root, 'data', 'lexicon', 'nationalities.jsonl');
  if (existsSync(peoples)) {
    for (const line of readFileSync(peoples, 'utf8').split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      try {
        const r = JSON.parse(line) as Record<string, unknown>;
        collect(r.name);
        collect(r.forms);
      } catch {
        // As above.
      }
    }
  }
  return names.size > 0 ? names : undefined;
}

/** Prints a dev evaluation as a table. */
export function formatEvaluation(e: NerEvaluation): string {
  const lines = ['type          exact P  R     F1    | overlap P  R     F1    | gold  predicted'];
  const row = (name: string, x: { precision: number; recall: number; f1: number }, o: { precision: number; recall: number; f1: number; gold: number; predicted: number }): string =>
    `${name.padEnd(13)} ${x.precision.toFixed(3)} ${x.recall.toFixed(3)} ${x.f1.toFixed(3)} | ${o.precision.toFixed(3)} ${o.recall.toFixed(3)} ${o.f1.toFixed(3)} | ${String(o.gold).padStart(5)} ${String(o.predicted).padStart(5)}`;
  for (const type of Object.keys(e.all.overlap.perType)) lines.push(row(type, e.all.exact.perType[type], e.all.overlap.perType[type]));
  lines.push(row('P+O+L micro', e.personOrgLocation.exact.micro, e.personOrgLocation.overlap.micro));
  lines.push(row('all micro', e.all.exact.micro, e.all.overlap.micro));
  lines.push(row('gold sets POL', e.goldSets.exact.micro, e.goldSets.overlap.micro));
  for (const [corpus, s] of Object.entries(e.perCorpus)) lines.push(row(`  ${corpus}`.slice(0, 13), s.exact.micro, s.overlap.micro));
  return lines.join('\n');
}

/**
 * `faultline train-ner --corpora DIR --out FILE [--epochs N] [--seed N]`: progress on stderr,
 * dev scores on stdout; returns the exit code. `gazetteer`, when the CLI has a knowledge base,
 * gives the `kb` labels (then pass the same labels in `tokens[i].kb` at run time).
 */
export async function trainNerCommand(options: { corpora: string; out: string; epochs?: number; seed?: number; gazetteer?: Gazetteer }): Promise<number> {
  try {
    const report = await trainNer({ corporaDir: options.corpora, outPath: options.out, epochs: options.epochs, seed: options.seed, gazetteer: options.gazetteer });
    process.stdout.write(`${formatEvaluation(report.dev)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`faultline train-ner: ${(e as Error).message}\n`);
    return 1;
  }
}
