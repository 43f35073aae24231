/**
 * The local answer engine (default, no network). Built from the published entries ("learns at publish time"):
 *
 *  1. Every question variant becomes a sparse TF-IDF vector over two feature groups (intent-features.ts): words
 *     (English words and bigrams, jieba words) and characters (English char 2–5-grams within words, Chinese char
 *     1–3-grams), each group L2-normalised, Traditional folded to Simplified.
 *  2. A one-vs-rest linear SVM (linear-svm.ts) is trained over those vectors, one class per entry.
 *  3. Nearest-variant cosine similarity per entry (an inverted index over the same vectors) keeps small knowledge
 *     bases, whose entries have only a handful of variants, behaving well.
 *  4. Entry score = SVM decision value + knnWeight × best-variant cosine. The answer's confidence is a logistic
 *     calibration of (best score, margin over the runner-up, best cosine, neighbour agreement: the share of the
 *     question's 10 nearest variants that belong to the best entry), fitted once on held-out data (see
 *     docs/EVALUATION.md), and the decision is: answer at or above answerThreshold, "did you mean" suggestions at or
 *     above suggestThreshold, otherwise out of scope.
 *
 * Answering costs (question features × entries) for the SVM plus the postings of the question's features for the
 * similarity, in typed scratch buffers reused from one question to the next.
 *
 * Deterministic (fixed-seed training order, ties broken by entry id), no network, no model files.
 */
import { answerFor, isServable, type KnowledgeEntry } from './knowledge-entry.ts';
import { detectLanguage } from './text-features.ts';
import { intentFeatures, hasChinese, isFunctionFeature } from './intent-features.ts';
import { jiebaSegmenter, noSegmenter, type Segmenter } from './segmenter.ts';
import { trainOneVsRest, type LinearModel } from './linear-svm.ts';

export interface AnswerCandidate {
  readonly entryId: string;
  readonly question: string;
  readonly score: number;
}

export type AnswerResult =
  | { readonly kind: 'answer'; readonly entryId: string; readonly text: string; readonly confidence: number; readonly language: string; readonly alternatives: readonly AnswerCandidate[] }
  | { readonly kind: 'suggest'; readonly confidence: number; readonly language: string; readonly alternatives: readonly AnswerCandidate[] }
  | { readonly kind: 'out_of_scope'; readonly confidence: number; readonly language: string; readonly alternatives: readonly AnswerCandidate[] };

/** Logistic calibration: confidence = sigmoid(intercept + score·s₁ + margin·(s₁ − s₂) + similarity·cos₁). */
export interface Calibration {
  readonly intercept: number;
  readonly score: number;
  readonly margin: number;
  readonly similarity: number;
  /** Weight of the neighbour agreement (share of the question's nearest variants that belong to the entry). */
  readonly agreement?: number;
  /**
   * A near-duplicate of a known variant is answered whatever the classifier says (small knowledge bases, whose
   * classifier has seen only a handful of variants per entry): confidence ≥ sigmoid(nearSlope · (cos₁ − nearCenter)).
   */
  readonly nearCenter: number;
  readonly nearSlope: number;
}

export interface AnswerEngineOptions {
  /** Calibrated confidence at or above which the bot answers. */
  readonly answerThreshold?: number;
  /** Calibrated confidence at or above which entries are offered as suggestions ("猜你想问"). */
  readonly suggestThreshold?: number;
  /** Chinese word segmenter; default jieba, loaded lazily when Chinese text first appears. */
  readonly segmenter?: Segmenter;
  /** SVM cost parameter. */
  readonly svmC?: number;
  /** Weight of the nearest-variant cosine in an entry's score. */
  readonly knnWeight?: number;
  readonly calibration?: Calibration;
}

/** Per-entry raw scores for one question, best first (for evaluation and for grounding a generative provider). */
export interface RankedEntry {
  readonly entryId: string;
  /** Nearest question variant of the entry (or its first variant when none shares a feature). */
  readonly question: string;
  /** SVM decision value + knnWeight × cosine. */
  readonly score: number;
  readonly svm: number;
  readonly cosine: number;
  /**
   * Share of the question's 10 nearest variants (over the whole knowledge base) that belong to this entry, out of
   * min(10, the entry's variant count): 1 when the neighbourhood agrees, 0 when it belongs to other entries.
   */
  readonly agreement: number;
}

/** Defaults fitted on banking77_oos train → valid + valid_oos (never on test); see docs/EVALUATION.md. */
export const DEFAULT_CALIBRATION: Calibration = { intercept: -0.925, score: 1.938, margin: 0.944, similarity: -2.704, agreement: 2.286, nearCenter: 0.7, nearSlope: 12 };
/** The lowest (2-decimal) confidence at which valid_oos recall reaches 0.85 (there: wrong answers 2.7 %, in scope answered 70.5 %). */
export const DEFAULT_ANSWER_THRESHOLD = 0.61;
export const DEFAULT_SUGGEST_THRESHOLD = 0.2;
export const DEFAULT_KNN_WEIGHT = 0.5;
export const DEFAULT_SVM_C = 1;

const GROUPS = 2;
/** How many nearest variants the neighbour agreement looks at. */
const NEIGHBOURS = 10;
/**
 * Above the posting cap the similarity leaves the commonest features out; the nearest variants for the agreement are
 * then re-scored with the exact cosine among this many best variants by that approximate similarity.
 */
const RESCORED = 100;
const round = (n: number) => Math.round(n * 1000) / 1000;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Inserts variant d with similarity x into the best-first list (docs, sims) of count ≤ size; returns the new count. */
function insertBest(docs: Int32Array, sims: Float64Array, count: number, size: number, d: number, x: number): number {
  if (count === size && (x < sims[size - 1]! || (x === sims[size - 1]! && d > docs[size - 1]!))) return count;
  let at = count < size ? count++ : size - 1;
  while (at > 0 && (x > sims[at - 1]! || (x === sims[at - 1]! && d < docs[at - 1]!))) {
    sims[at] = sims[at - 1]!;
    docs[at] = docs[at - 1]!;
    at--;
  }
  sims[at] = x;
  docs[at] = d;
  return count;
}

interface QueryVector {
  readonly ids: Int32Array;
  readonly values: Float32Array;
}

export class LocalAnswerEngine {
  private readonly entries: KnowledgeEntry[] = [];
  private readonly variantQuestion: string[] = [];
  private readonly variantEntry: Int32Array;
  private readonly vocabulary = new Map<string, number>();
  private idf = new Float32Array(0);
  private readonly unknownIdf: number;
  private readonly model: LinearModel | undefined;
  /** Inverted index of the variant vectors: postings of feature f are postStart[f] .. postStart[f+1]. */
  private readonly postStart: Int32Array;
  private readonly postDoc: Int32Array;
  private readonly postValue: Float32Array;
  private readonly segmenter: Segmenter;
  private readonly answerThreshold: number;
  private readonly suggestThreshold: number;
  private readonly knnWeight: number;
  private readonly calibration: Calibration;
  private readonly needsChinese: boolean;
  private readonly similarity: Float64Array;
  private readonly touched: Int32Array;
  private readonly svmScratch: Float64Array;
  private readonly cosineScratch: Float64Array;
  private readonly totalScratch: Float64Array;
  private readonly nearestScratch: Int32Array;
  private readonly agreementScratch: Float64Array;
  private readonly neighbourDoc = new Int32Array(NEIGHBOURS);
  private readonly neighbourSim = new Float64Array(NEIGHBOURS);
  private readonly variantsOf: Int32Array;
  /** The variant vectors in compressed rows (for the exact cosine of the re-scored neighbours). */
  private readonly rowStart: Int32Array;
  private readonly rowIds: Int32Array;
  private readonly rowValues: Float32Array;
  private readonly queryDense: Float64Array;
  private readonly poolDoc = new Int32Array(RESCORED);
  private readonly poolSim = new Float64Array(RESCORED);
  private readonly postingCap: number;

  constructor(entries: readonly KnowledgeEntry[], now: Date, options: AnswerEngineOptions = {}) {
    this.answerThreshold = options.answerThreshold ?? DEFAULT_ANSWER_THRESHOLD;
    this.suggestThreshold = options.suggestThreshold ?? DEFAULT_SUGGEST_THRESHOLD;
    this.knnWeight = options.knnWeight ?? DEFAULT_KNN_WEIGHT;
    this.calibration = options.calibration ?? DEFAULT_CALIBRATION;
    const segmenter = options.segmenter ?? jiebaSegmenter;
    this.segmenter = segmenter;

    const docs: { entry: number; question: string; terms: Map<number, number>[] }[] = [];
    const df: number[] = [];
    const group: number[] = [];
    let chinese = false;
    for (const entry of entries) {
      if (!isServable(entry, now)) continue;
      const e = this.entries.length;
      this.entries.push(entry);
      for (const question of entry.questions) {
        if (hasChinese(question)) chinese = true;
        const bag = intentFeatures(question, segmenter);
        const terms = [bag.words, bag.chars].map((list, g) => {
          const tf = new Map<number, number>();
          for (const t of list) {
            const key = g === 0 ? t : `#${t}`;
            let id = this.vocabulary.get(key);
            if (id === undefined) {
              id = this.vocabulary.size;
              this.vocabulary.set(key, id);
              df.push(0);
              group.push(g);
            }
            tf.set(id, (tf.get(id) ?? 0) + 1);
          }
          for (const id of tf.keys()) df[id]!++;
          return tf;
        });
        docs.push({ entry: e, question, terms });
      }
    }
    this.needsChinese = chinese;
    const n = docs.length;
    const columns = this.vocabulary.size;
    this.idf = new Float32Array(columns);
    for (let f = 0; f < columns; f++) this.idf[f] = Math.log((1 + n) / (1 + df[f]!)) + 1;
    this.unknownIdf = Math.log(1 + n) + 1;

    // Variant vectors in compressed rows.
    this.variantEntry = new Int32Array(n);
    const rowStart = new Int32Array(n + 1);
    const rowIds: number[] = [];
    const rowValues: number[] = [];
    docs.forEach((doc, i) => {
      this.variantEntry[i] = doc.entry;
      this.variantQuestion.push(doc.question);
      const groups = doc.terms.filter((tf) => tf.size > 0).length || 1;
      for (const tf of doc.terms) {
        let norm = 0;
        const ws: number[] = [];
        const ids = [...tf.keys()].sort((a, b) => a - b);
        for (const id of ids) {
          const w = (1 + Math.log(tf.get(id)!)) * this.idf[id]!;
          ws.push(w);
          norm += w * w;
        }
        const scale = 1 / (Math.sqrt(norm) || 1) / Math.sqrt(groups);
        ids.forEach((id, k) => {
          rowIds.push(id);
          rowValues.push(ws[k]! * scale);
        });
      }
      rowStart[i + 1] = rowIds.length;
    });
    const indices = Int32Array.from(rowIds);
    const values = Float32Array.from(rowValues);

    if (this.entries.length >= 2) {
      this.model = trainOneVsRest({ rowStart, indices, values, columns }, this.variantEntry, this.entries.length, { c: options.svmC ?? DEFAULT_SVM_C, balanced: true });
    }

    this.rowStart = rowStart;
    this.rowIds = indices;
    this.rowValues = values;
    this.queryDense = new Float64Array(columns);
    // Features shared by a large share of a big knowledge base (" t", "th") cost most and tell least: the
    // similarity leaves them out there (an approximation that only applies above 2,000 variants), so their postings
    // are not kept.
    this.postingCap = n > 2000 ? Math.ceil(n * 0.05) : n;
    const dfOf = new Int32Array(columns);
    for (let k = 0; k < indices.length; k++) dfOf[indices[k]!]!++;
    // Inverted index (column-compressed copy of the rows, without the features above the cap).
    this.postStart = new Int32Array(columns + 1);
    for (let f = 0; f < columns; f++) this.postStart[f + 1] = dfOf[f]! > this.postingCap ? 0 : dfOf[f]!;
    for (let f = 0; f < columns; f++) this.postStart[f + 1]! += this.postStart[f]!;
    const fill = this.postStart.slice(0, columns);
    this.postDoc = new Int32Array(this.postStart[columns]!);
    this.postValue = new Float32Array(this.postStart[columns]!);
    for (let i = 0; i < n; i++) {
      for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) {
        if (dfOf[indices[k]!]! > this.postingCap) continue;
        const at = fill[indices[k]!]!++;
        this.postDoc[at] = i;
        this.postValue[at] = values[k]!;
      }
    }
    this.similarity = new Float64Array(n);
    this.touched = new Int32Array(n);
    const classes = this.entries.length;
    this.svmScratch = new Float64Array(classes);
    this.cosineScratch = new Float64Array(classes);
    this.totalScratch = new Float64Array(classes);
    this.nearestScratch = new Int32Array(classes);
    this.agreementScratch = new Float64Array(classes);
    this.variantsOf = new Int32Array(classes);
    for (let d = 0; d < n; d++) this.variantsOf[this.variantEntry[d]!]!++;
  }

  /** Number of indexed question variants. */
  get size(): number {
    return this.variantQuestion.length;
  }

  private vectorise(text: string): QueryVector {
    // jieba is only worth loading when both the knowledge and the question have Chinese in them.
    const segmenter = this.needsChinese && hasChinese(text) ? this.segmenter : noSegmenter;
    const bag = intentFeatures(text, segmenter);
    const ids: number[] = [];
    const ws: number[] = [];
    const lists = [bag.words, bag.chars];
    const groups = lists.filter((l) => l.length > 0).length || 1;
    for (let g = 0; g < GROUPS; g++) {
      const tf = new Map<string, number>();
      for (const t of lists[g]!) tf.set(t, (tf.get(t) ?? 0) + 1);
      let norm = 0;
      const start = ids.length;
      for (const [t, count] of tf) {
        const id = this.vocabulary.get(g === 0 ? t : `#${t}`);
        // Terms no entry knows carry no evidence, but they stay in the norm (a question mostly about something else
        // scores low), unless they are only function characters or words (请问, "please").
        if (id === undefined && isFunctionFeature(t, g === 0 ? 'words' : 'chars')) continue;
        const w = (1 + Math.log(count)) * (id === undefined ? this.unknownIdf : this.idf[id]!);
        norm += w * w;
        if (id !== undefined) {
          ids.push(id);
          ws.push(w);
        }
      }
      const scale = 1 / (Math.sqrt(norm) || 1) / Math.sqrt(groups);
      for (let k = start; k < ws.length; k++) ws[k]! *= scale;
    }
    return { ids: Int32Array.from(ids), values: Float32Array.from(ws) };
  }

  /**
   * Scores every entry for a question into the engine's scratch buffers (svm, cosine, nearest variant): typed arrays
   * reused from one question to the next, so answering allocates almost nothing besides the question's features.
   * The SVM part costs (query features × entries), the similarity part the postings of the query's features.
   */
  private score(text: string): void {
    const classes = this.entries.length;
    const query = this.vectorise(text);
    const svm = this.svmScratch;
    if (this.model) {
      const { weights, biases } = this.model;
      for (let c = 0; c < classes; c++) svm[c] = biases[c]!;
      for (let k = 0; k < query.ids.length; k++) {
        const base = query.ids[k]! * classes;
        const v = query.values[k]!;
        for (let c = 0; c < classes; c++) svm[c]! += weights[base + c]! * v;
      }
    }
    const sim = this.similarity;
    const touched = this.touched;
    let touchedCount = 0;
    for (let k = 0; k < query.ids.length; k++) {
      const f = query.ids[k]!;
      const v = query.values[k]!;
      // (No postings are kept for the features above the cap.)
      for (let p = this.postStart[f]!; p < this.postStart[f + 1]!; p++) {
        const d = this.postDoc[p]!;
        if (sim[d] === 0) touched[touchedCount++] = d;
        sim[d]! += v * this.postValue[p]!;
      }
    }
    const cosine = this.cosineScratch;
    const nearest = this.nearestScratch;
    cosine.fill(0);
    nearest.fill(-1);
    // The nearest variants by this similarity, kept sorted (best first; ties to the earlier variant): NEIGHBOURS of
    // them when it is exact, a pool of RESCORED to re-score exactly when it leaves the commonest features out.
    const approximate = this.postingCap < this.variantEntry.length;
    const nDoc = approximate ? this.poolDoc : this.neighbourDoc;
    const nSim = approximate ? this.poolSim : this.neighbourSim;
    const keep = approximate ? RESCORED : NEIGHBOURS;
    let found = 0;
    for (let t = 0; t < touchedCount; t++) {
      const d = touched[t]!;
      const x = sim[d]!;
      sim[d] = 0;
      if (x === 0) continue; // already seen (a repeated touch)
      const e = this.variantEntry[d]!;
      if (x > cosine[e]! || nearest[e] === -1) {
        cosine[e] = x;
        nearest[e] = d;
      }
      found = insertBest(nDoc, nSim, found, keep, d, x);
    }
    if (approximate) {
      const dense = this.queryDense;
      for (let k = 0; k < query.ids.length; k++) dense[query.ids[k]!] = query.values[k]!;
      let exact = 0;
      for (let r = 0; r < found; r++) {
        const d = nDoc[r]!;
        let dot = 0;
        for (let k = this.rowStart[d]!; k < this.rowStart[d + 1]!; k++) dot += dense[this.rowIds[k]!]! * this.rowValues[k]!;
        exact = insertBest(this.neighbourDoc, this.neighbourSim, exact, NEIGHBOURS, d, dot);
      }
      for (let k = 0; k < query.ids.length; k++) dense[query.ids[k]!] = 0;
      found = exact;
    }
    const agreement = this.agreementScratch;
    agreement.fill(0);
    for (let k = 0; k < found; k++) agreement[this.variantEntry[this.neighbourDoc[k]!]!]!++;
    for (let c = 0; c < classes; c++) if (agreement[c]! > 0) agreement[c]! /= Math.min(NEIGHBOURS, this.variantsOf[c]!);
    // A one-entry knowledge base has no classifier: the similarity alone, on the same scale as a decision value (and
    // no neighbour agreement: every neighbour is that entry's).
    if (!this.model) {
      for (let c = 0; c < classes; c++) svm[c] = 2 * cosine[c]! - 1;
      agreement.fill(0);
    }
    const total = this.totalScratch;
    for (let c = 0; c < classes; c++) total[c] = svm[c]! + this.knnWeight * cosine[c]!;
  }

  private rankedEntry(c: number): RankedEntry {
    const nearest = this.nearestScratch[c]!;
    return {
      entryId: this.entries[c]!.id,
      question: (nearest >= 0 ? this.variantQuestion[nearest] : undefined) ?? this.entries[c]!.questions[0] ?? '',
      score: this.totalScratch[c]!,
      svm: this.svmScratch[c]!,
      cosine: this.cosineScratch[c]!,
      agreement: this.agreementScratch[c]!,
    };
  }

  /** Whether entry a ranks before entry b (higher score, ties by entry id). */
  private before(a: number, b: number): boolean {
    const sa = this.totalScratch[a]!;
    const sb = this.totalScratch[b]!;
    if (sa !== sb) return sa > sb;
    return this.entries[a]!.id < this.entries[b]!.id;
  }

  /** The best k entries of the last scored question, best first (partial selection, no full sort). */
  private top(k: number): RankedEntry[] {
    const classes = this.entries.length;
    const picked: number[] = [];
    for (let c = 0; c < classes; c++) {
      if (picked.length === k && !this.before(c, picked[k - 1]!)) continue;
      let at = picked.length < k ? picked.length : k - 1;
      picked[at] = c;
      while (at > 0 && this.before(c, picked[at - 1]!)) {
        picked[at] = picked[at - 1]!;
        picked[--at] = c;
      }
    }
    return picked.map((c) => this.rankedEntry(c));
  }

  /** Every servable entry with its raw scores, best first. */
  rank(text: string): RankedEntry[] {
    const classes = this.entries.length;
    if (classes === 0) return [];
    this.score(text);
    const ranked: RankedEntry[] = [];
    for (let c = 0; c < classes; c++) ranked.push(this.rankedEntry(c));
    return ranked.sort((a, b) => b.score - a.score || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
  }

  private confidenceOf(best: RankedEntry, runnerUp: RankedEntry | undefined): number {
    const cal = this.calibration;
    // Without a runner-up the margin is taken as if the runner-up scored like an unrelated entry (-1).
    const margin = best.score - (runnerUp?.score ?? -1);
    const classifier = sigmoid(cal.intercept + cal.score * best.score + cal.margin * margin + cal.similarity * best.cosine + (cal.agreement ?? 0) * best.agreement);
    return Math.max(classifier, sigmoid(cal.nearSlope * (best.cosine - cal.nearCenter)));
  }

  /** Calibrated relevance of an entry on its own (no margin term): used for suggestions and candidates. */
  private relevanceOf(entry: RankedEntry, best: RankedEntry): number {
    const cal = this.calibration;
    // As if the entry were the best with the margin it has to the best one (≤ 0 for all but the best).
    const classifier = sigmoid(cal.intercept + cal.score * entry.score + cal.margin * Math.min(entry.score - best.score, 0) + cal.similarity * entry.cosine + (cal.agreement ?? 0) * entry.agreement);
    return Math.max(classifier, sigmoid(cal.nearSlope * (entry.cosine - cal.nearCenter)));
  }

  /** The top k entries for a question, with calibrated relevance scores (grounding for a generative provider). */
  candidates(text: string, k: number): AnswerCandidate[] {
    if (this.entries.length === 0 || k <= 0) return [];
    this.score(text);
    const ranked = this.top(Math.max(2, k));
    const best = ranked[0];
    if (!best) return [];
    const top = ranked.slice(0, Math.max(0, k));
    return top.map((r, i) => ({
      entryId: r.entryId,
      question: r.question,
      score: round(i === 0 ? this.confidenceOf(best, ranked[1]) : this.relevanceOf(r, best)),
    }));
  }

  answer(text: string): AnswerResult {
    const language = detectLanguage(text);
    if (this.entries.length === 0) return { kind: 'out_of_scope', confidence: 0, language, alternatives: [] };
    this.score(text);
    // Suggestions look at the best six entries at most.
    const ranked = this.top(6);
    const best = ranked[0]!;
    const confidence = this.confidenceOf(best, ranked[1]);
    const suggestions = (from: number) =>
      ranked
        .slice(from, from + 6)
        .map((r, i) => ({ r, score: i + from === 0 ? confidence : this.relevanceOf(r, best) }))
        .filter((s) => s.score >= this.suggestThreshold)
        .slice(0, 3)
        .map((s) => ({ entryId: s.r.entryId, question: s.r.question, score: round(s.score) }));
    if (confidence >= this.answerThreshold) {
      const entry = this.entries.find((e) => e.id === best.entryId)!;
      return {
        kind: 'answer',
        entryId: best.entryId,
        text: answerFor(entry, language === 'unknown' ? 'default' : language),
        confidence: round(confidence),
        language,
        alternatives: suggestions(1),
      };
    }
    if (confidence >= this.suggestThreshold) return { kind: 'suggest', confidence: round(confidence), language, alternatives: suggestions(0) };
    return { kind: 'out_of_scope', confidence: round(confidence), language, alternatives: [] };
  }
}
