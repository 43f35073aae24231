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
 *     calibration of (best score, margin over the runner-up, best cosine), fitted once on held-out data (see
 *     docs/EVALUATION.md), and the decision is: answer at or above answerThreshold, "did you mean" suggestions at or
 *     above suggestThreshold, otherwise out of scope.
 *
 * Deterministic (fixed-seed training order, ties broken by entry id), no network, no model files.
 */
import { answerFor, isServable, type KnowledgeEntry } from './knowledge-entry.ts';
import { detectLanguage } from './text-features.ts';
import { intentFeatures, hasChinese } from './intent-features.ts';
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
}

/** Defaults fitted on banking77_oos train → valid + valid_oos (never on test); see docs/EVALUATION.md. */
export const DEFAULT_CALIBRATION: Calibration = { intercept: -0.281, score: 2.222, margin: 1.531, similarity: -2.723, nearCenter: 0.7, nearSlope: 12 };
/** The lowest confidence at which valid_oos recall reaches 0.85 (wrong answers 2.5 %, in scope answered 68.5 %). */
export const DEFAULT_ANSWER_THRESHOLD = 0.62;
export const DEFAULT_SUGGEST_THRESHOLD = 0.2;
export const DEFAULT_KNN_WEIGHT = 0.5;
export const DEFAULT_SVM_C = 1;

const GROUPS = 2;
const round = (n: number) => Math.round(n * 1000) / 1000;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

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
  private readonly similarity: Float32Array;
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

    // Inverted index (column-compressed copy of the rows).
    this.postStart = new Int32Array(columns + 1);
    for (let k = 0; k < indices.length; k++) this.postStart[indices[k]! + 1]!++;
    for (let f = 0; f < columns; f++) this.postStart[f + 1]! += this.postStart[f]!;
    const fill = this.postStart.slice(0, columns);
    this.postDoc = new Int32Array(indices.length);
    this.postValue = new Float32Array(indices.length);
    for (let i = 0; i < n; i++) {
      for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) {
        const at = fill[indices[k]!]!++;
        this.postDoc[at] = i;
        this.postValue[at] = values[k]!;
      }
    }
    this.similarity = new Float32Array(n);
    this.postingCap = n > 2000 ? Math.ceil(n * 0.05) : n;
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
        const w = (1 + Math.log(count)) * (id === undefined ? this.unknownIdf : this.idf[id]!);
        norm += w * w;
        // Terms no entry knows carry no evidence, but they stay in the norm: a question mostly about something
        // else scores low.
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

  /** Every servable entry with its raw scores, best first. */
  rank(text: string): RankedEntry[] {
    const classes = this.entries.length;
    if (classes === 0) return [];
    const query = this.vectorise(text);
    const svm = new Float64Array(classes);
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
    sim.fill(0);
    for (let k = 0; k < query.ids.length; k++) {
      const f = query.ids[k]!;
      const v = query.values[k]!;
      // Features shared by a large share of a big knowledge base (" t", "th") cost most and tell least: the
      // similarity leaves them out there (an approximation that only applies above 2,000 variants).
      if (this.postStart[f + 1]! - this.postStart[f]! > this.postingCap) continue;
      for (let p = this.postStart[f]!; p < this.postStart[f + 1]!; p++) sim[this.postDoc[p]!]! += v * this.postValue[p]!;
    }
    const cosine = new Float64Array(classes);
    const nearest = new Int32Array(classes).fill(-1);
    for (let d = 0; d < sim.length; d++) {
      const e = this.variantEntry[d]!;
      if (sim[d]! > cosine[e]! || nearest[e] === -1) {
        cosine[e] = sim[d]!;
        nearest[e] = d;
      }
    }
    // A one-entry knowledge base has no classifier: the similarity alone, on the same scale as a decision value.
    if (!this.model) for (let c = 0; c < classes; c++) svm[c] = 2 * cosine[c]! - 1;
    const ranked: RankedEntry[] = [];
    for (let c = 0; c < classes; c++) {
      ranked.push({
        entryId: this.entries[c]!.id,
        question: this.variantQuestion[nearest[c]!] ?? this.entries[c]!.questions[0] ?? '',
        score: svm[c]! + this.knnWeight * cosine[c]!,
        svm: svm[c]!,
        cosine: cosine[c]!,
      });
    }
    return ranked.sort((a, b) => b.score - a.score || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
  }

  private confidenceOf(best: RankedEntry, runnerUp: RankedEntry | undefined): number {
    const cal = this.calibration;
    // Without a runner-up the margin is taken as if the runner-up scored like an unrelated entry (-1).
    const margin = best.score - (runnerUp?.score ?? -1);
    const classifier = sigmoid(cal.intercept + cal.score * best.score + cal.margin * margin + cal.similarity * best.cosine);
    return Math.max(classifier, sigmoid(cal.nearSlope * (best.cosine - cal.nearCenter)));
  }

  /** Calibrated relevance of an entry on its own (no margin term): used for suggestions and candidates. */
  private relevanceOf(entry: RankedEntry, best: RankedEntry): number {
    const cal = this.calibration;
    // As if the entry were the best with the margin it has to the best one (≤ 0 for all but the best).
    const classifier = sigmoid(cal.intercept + cal.score * entry.score + cal.margin * Math.min(entry.score - best.score, 0) + cal.similarity * entry.cosine);
    return Math.max(classifier, sigmoid(cal.nearSlope * (entry.cosine - cal.nearCenter)));
  }

  /** The top k entries for a question, with calibrated relevance scores (grounding for a generative provider). */
  candidates(text: string, k: number): AnswerCandidate[] {
    const ranked = this.rank(text);
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
    const ranked = this.rank(text);
    const best = ranked[0];
    if (!best) return { kind: 'out_of_scope', confidence: 0, language, alternatives: [] };
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
