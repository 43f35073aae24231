/**
 * A sentiment model a company trains on its own labelled messages (`npm run kefu -- sentiment train FILE`), and the
 * evaluation's trained mode. One-vs-rest linear SVM (linear-svm.ts, balanced class weights so that rare emotions are
 * not drowned by neutral) over three feature groups, each L2-normalised:
 *  - words: English words and word bigrams, jieba words of Chinese (as the answer engine's intent features);
 *  - characters: English character 2–5-grams within words, Chinese character 1–3-grams;
 *  - the lexicon's reading of the message (positive and negative mass, each emotion's mass, negation, contrast,
 *    emphasis), so that what the rules know about negation and intensity is a feature the model can weigh.
 * The model is plain JSON (vocabulary, idf, weights) and loads without training.
 */
import { intentFeatures } from '../knowledge/intent-features.ts';
import { jiebaSegmenter, noSegmenter, type Segmenter } from '../knowledge/segmenter.ts';
import { trainOneVsRest } from '../knowledge/linear-svm.ts';
import { scoreWithLexicon, type LexiconScore } from './lexicon-scorer.ts';
import { EMOTIONS, POLARITIES, type Emotion, type Polarity } from './sentiment.ts';

export type SentimentTask = 'polarity' | 'emotion';

export interface SentimentModelData {
  readonly format: 'kefu-sentiment-model';
  readonly version: 1;
  readonly task: SentimentTask;
  readonly labels: readonly string[];
  readonly rows: number;
  readonly segmenter: 'jieba' | 'none';
  /** Feature strings, "w:" words and "c:" characters; their idf and weights in the same order. */
  readonly vocabulary: readonly string[];
  readonly idf: readonly number[];
  /** Feature-major: weights[f * labels.length + class], for the vocabulary then the lexicon features. */
  readonly weights: readonly number[];
  readonly biases: readonly number[];
  /** Weight of the lexicon group against the text groups. */
  readonly lexiconScale: number;
}

export interface ModelPrediction {
  readonly polarity?: { readonly label: Polarity; readonly probabilities: Readonly<Record<string, number>> };
  readonly emotion?: { readonly label: Emotion; readonly confidence: number };
}

export interface TrainOptions {
  readonly c?: number;
  readonly segmenter?: Segmenter;
  /** Drop features seen in fewer rows (smaller model, less noise). */
  readonly minDf?: number;
  readonly lexiconScale?: number;
  /**
   * NBSVM (Wang & Manning 2012): each class's machine sees the features scaled by their naive-Bayes log-count ratio
   * for that class (smoothing `nbAlpha`), on binary (sublinear tf, no idf) features; the ratio is folded into the
   * stored weights, so prediction is the same dot product. Default on: it beats the plain SVM on every set here.
   */
  readonly nb?: boolean;
  readonly nbAlpha?: number;
  /** Class-balanced weights (better macro-F1 on skewed emotion sets); default on. */
  readonly balanced?: boolean;
}

const LEXICON_FEATURES = 6 + EMOTIONS.length;

/** The lexicon's reading as a dense feature vector (bounded with x / (1 + x)). */
function lexiconVector(lexicon: LexiconScore, out: Float64Array, scale: number): void {
  const squash = (x: number) => x / (1 + x);
  out[0] = squash(lexicon.positive);
  out[1] = squash(lexicon.negative);
  out[2] = squash(Math.max(0, lexicon.positive - lexicon.negative));
  out[3] = squash(Math.max(0, lexicon.negative - lexicon.positive));
  out[4] = lexicon.cues.includes('negation') ? 1 : 0;
  out[5] = lexicon.emphasis - 1;
  EMOTIONS.forEach((e, k) => (out[6 + k] = squash(lexicon.emotions.get(e) ?? 0)));
  let norm = 0;
  for (let k = 0; k < LEXICON_FEATURES; k++) norm += out[k]! * out[k]!;
  const f = norm > 0 ? scale / Math.sqrt(norm) : 0;
  for (let k = 0; k < LEXICON_FEATURES; k++) out[k]! *= f;
}

function bagOf(text: string, segmenter: Segmenter): [string[], string[]] {
  const bag = intentFeatures(text, segmenter);
  return [bag.words, bag.chars];
}

export class SentimentModel {
  readonly task: SentimentTask;
  readonly labels: readonly string[];
  private readonly vocabulary: Map<string, number>;
  private readonly idf: Float32Array;
  private readonly weights: Float32Array;
  private readonly biases: Float32Array;
  private readonly segmenter: Segmenter;
  private readonly lexiconScale: number;
  private readonly data: SentimentModelData;
  private readonly lex = new Float64Array(LEXICON_FEATURES);

  private constructor(data: SentimentModelData) {
    this.data = data;
    this.task = data.task;
    this.labels = data.labels;
    this.vocabulary = new Map(data.vocabulary.map((f, i) => [f, i]));
    this.idf = Float32Array.from(data.idf);
    this.weights = Float32Array.from(data.weights);
    this.biases = Float32Array.from(data.biases);
    this.segmenter = data.segmenter === 'jieba' ? jiebaSegmenter : noSegmenter;
    this.lexiconScale = data.lexiconScale;
  }

  static fromJSON(value: unknown): SentimentModel {
    const data = value as Partial<SentimentModelData>;
    if (data?.format !== 'kefu-sentiment-model' || data.version !== 1) throw new Error('not a Kefu sentiment model (format kefu-sentiment-model, version 1)');
    if (data.task !== 'polarity' && data.task !== 'emotion') throw new Error(`unknown model task ${String(data.task)}`);
    const known: readonly string[] = data.task === 'polarity' ? POLARITIES : EMOTIONS;
    const labels = data.labels ?? [];
    if (labels.length < 2 || labels.some((l) => !known.includes(l))) throw new Error(`model labels must be ${data.task} categories (${known.join(', ')})`);
    const vocabulary = data.vocabulary ?? [];
    if ((data.idf?.length ?? -1) !== vocabulary.length) throw new Error('model idf does not match its vocabulary');
    if ((data.weights?.length ?? -1) !== (vocabulary.length + LEXICON_FEATURES) * labels.length) throw new Error('model weights do not match its vocabulary and labels');
    if ((data.biases?.length ?? -1) !== labels.length) throw new Error('model biases do not match its labels');
    return new SentimentModel(data as SentimentModelData);
  }

  toJSON(): SentimentModelData {
    return this.data;
  }

  static train(rows: ReadonlyArray<{ readonly text: string; readonly label: string }>, task: SentimentTask, options: TrainOptions = {}): SentimentModel {
    const labels = [...new Set(rows.map((r) => r.label))].sort();
    const known: readonly string[] = task === 'polarity' ? POLARITIES : EMOTIONS;
    const unknown = labels.filter((l) => !known.includes(l));
    if (unknown.length) throw new Error(`labels ${unknown.join(', ')} are not ${task} categories (${known.join(', ')})`);
    if (labels.length < 2) throw new Error('training needs at least two different labels');
    const segmenter = options.segmenter ?? jiebaSegmenter;
    const minDf = options.minDf ?? 1;
    const lexiconScale = options.lexiconScale ?? 0.7;
    const bags = rows.map((r) => bagOf(r.text, segmenter));
    const df = new Map<string, number>();
    for (const [words, chars] of bags) {
      for (const f of new Set(words)) df.set(`w:${f}`, (df.get(`w:${f}`) ?? 0) + 1);
      for (const f of new Set(chars)) df.set(`c:${f}`, (df.get(`c:${f}`) ?? 0) + 1);
    }
    const vocabulary = [...df.entries()].filter(([, n]) => n >= minDf).map(([f]) => f).sort();
    const index = new Map(vocabulary.map((f, i) => [f, i]));
    const n = rows.length;
    const nb = options.nb ?? true;
    const idf = vocabulary.map((f) => (nb ? 1 : Math.log((1 + n) / (1 + df.get(f)!)) + 1));
    const columns = vocabulary.length + LEXICON_FEATURES;
    const rowStart = new Int32Array(n + 1);
    const ids: number[] = [];
    const values: number[] = [];
    const lex = new Float64Array(LEXICON_FEATURES);
    rows.forEach((row, r) => {
      const vector = vectorise(bags[r]!, index, idf);
      for (const [id, v] of vector) {
        ids.push(id);
        values.push(v);
      }
      lexiconVector(scoreWithLexicon(row.text), lex, lexiconScale);
      for (let k = 0; k < LEXICON_FEATURES; k++) {
        if (lex[k] === 0) continue;
        ids.push(vocabulary.length + k);
        values.push(lex[k]!);
      }
      rowStart[r + 1] = ids.length;
    });
    const y = Int32Array.from(rows.map((r) => labels.indexOf(r.label)));
    const classes = labels.length;
    const indices = Int32Array.from(ids);
    const svm = { c: options.c ?? 1, balanced: options.balanced ?? true };
    const weights = new Array<number>(columns * classes).fill(0);
    const biases = new Array<number>(classes).fill(0);
    if (!nb) {
      const model = trainOneVsRest({ rowStart, indices, values: Float32Array.from(values), columns }, y, classes, svm);
      model.weights.forEach((w, k) => (weights[k] = w));
      model.biases.forEach((b, k) => (biases[k] = b));
    } else {
      const alpha = options.nbAlpha ?? 1;
      // Feature counts per class (binary presence).
      const counts = Array.from({ length: classes }, () => new Float64Array(vocabulary.length));
      const totals = new Float64Array(vocabulary.length);
      for (let r = 0; r < n; r++) {
        for (let k = rowStart[r]!; k < rowStart[r + 1]!; k++) {
          const f = indices[k]!;
          if (f >= vocabulary.length) continue;
          counts[y[r]!]![f]!++;
          totals[f]!++;
        }
      }
      for (let c = 0; c < classes; c++) {
        const p = counts[c]!;
        let pSum = 0;
        let qSum = 0;
        for (let f = 0; f < vocabulary.length; f++) {
          pSum += p[f]! + alpha;
          qSum += totals[f]! - p[f]! + alpha;
        }
        const ratio = new Float64Array(columns).fill(1);
        for (let f = 0; f < vocabulary.length; f++) ratio[f] = Math.log((p[f]! + alpha) / pSum / ((totals[f]! - p[f]! + alpha) / qSum));
        const scaled = Float32Array.from(values, (v, k) => v * ratio[indices[k]!]!);
        const model = trainOneVsRest({ rowStart, indices, values: scaled, columns }, y, classes, { ...svm, only: [c] });
        // (Wang & Manning's interpolation towards a uniform vote, β 0.5 / 0.75, measured no gain here: not used.)
        for (let f = 0; f < columns; f++) weights[f * classes + c] = model.weights[f * classes + c]! * ratio[f]!;
        biases[c] = model.biases[c]!;
      }
    }
    for (let k = 0; k < weights.length; k++) weights[k] = Math.round(weights[k]! * 1e5) / 1e5;
    for (let k = 0; k < classes; k++) biases[k] = Math.round(biases[k]! * 1e5) / 1e5;
    return new SentimentModel({
      format: 'kefu-sentiment-model',
      version: 1,
      task,
      labels,
      rows: n,
      segmenter: segmenter === noSegmenter ? 'none' : 'jieba',
      vocabulary,
      idf: idf.map((v) => Math.round(v * 1e4) / 1e4),
      weights,
      biases,
      lexiconScale,
    });
  }

  /** Linear scores per label. */
  scores(text: string, lexicon: LexiconScore = scoreWithLexicon(text)): Float64Array {
    const classes = this.labels.length;
    const out = Float64Array.from(this.biases);
    for (const [id, v] of vectorise(bagOf(text, this.segmenter), this.vocabulary, this.idf)) {
      const base = id * classes;
      for (let c = 0; c < classes; c++) out[c]! += this.weights[base + c]! * v;
    }
    lexiconVector(lexicon, this.lex, this.lexiconScale);
    const offset = this.vocabulary.size;
    for (let k = 0; k < LEXICON_FEATURES; k++) {
      const v = this.lex[k]!;
      if (v === 0) continue;
      const base = (offset + k) * classes;
      for (let c = 0; c < classes; c++) out[c]! += this.weights[base + c]! * v;
    }
    return out;
  }

  predict(text: string, lexicon: LexiconScore = scoreWithLexicon(text)): ModelPrediction {
    const s = this.scores(text, lexicon);
    // Softmax over the margins (scale 3: a margin of 1 is a clear decision) for probabilities.
    let best = 0;
    for (let c = 1; c < s.length; c++) if (s[c]! > s[best]!) best = c;
    let sum = 0;
    const p = Array.from(s, (v) => Math.exp(3 * (v - s[best]!)));
    for (const v of p) sum += v;
    const probabilities: Record<string, number> = {};
    this.labels.forEach((l, c) => (probabilities[l] = p[c]! / sum));
    const label = this.labels[best]!;
    if (this.task === 'polarity') return { polarity: { label: label as Polarity, probabilities } };
    return { emotion: { label: label as Emotion, confidence: p[best]! / sum } };
  }
}

function vectorise([words, chars]: [string[], string[]], index: ReadonlyMap<string, number>, idf: ArrayLike<number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const groups = [words.map((f) => `w:${f}`), chars.map((f) => `c:${f}`)].map((list) => {
    const tf = new Map<number, number>();
    for (const f of list) {
      const id = index.get(f);
      if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    return tf;
  });
  const present = groups.filter((g) => g.size > 0).length || 1;
  for (const tf of groups) {
    let norm = 0;
    const ws: Array<[number, number]> = [];
    for (const [id, count] of tf) {
      const w = (1 + Math.log(count)) * idf[id]!;
      ws.push([id, w]);
      norm += w * w;
    }
    const scale = 1 / (Math.sqrt(norm) || 1) / Math.sqrt(present);
    for (const [id, w] of ws) out.push([id, w * scale]);
  }
  return out;
}
