/**
 * The local answer engine (default, no network): TF-IDF over character n-grams and words, cosine similarity against
 * every question variant of every servable entry, and an explicit out-of-scope decision below a threshold.
 */
import { answerFor, isServable, type KnowledgeEntry } from './knowledge-entry.ts';
import { detectLanguage, features } from './text-features.ts';

export interface AnswerCandidate {
  readonly entryId: string;
  readonly question: string;
  readonly score: number;
}

export type AnswerResult =
  | { readonly kind: 'answer'; readonly entryId: string; readonly text: string; readonly confidence: number; readonly language: string; readonly alternatives: readonly AnswerCandidate[] }
  | { readonly kind: 'suggest'; readonly confidence: number; readonly language: string; readonly alternatives: readonly AnswerCandidate[] }
  | { readonly kind: 'out_of_scope'; readonly confidence: number; readonly language: string; readonly alternatives: readonly AnswerCandidate[] };

export interface AnswerEngineOptions {
  /** Best-variant similarity at or above which the bot answers. */
  readonly answerThreshold?: number;
  /** Similarity at or above which an entry is offered as a suggestion. */
  readonly suggestThreshold?: number;
}

type Vector = Map<string, number>;

interface IndexedVariant {
  readonly entry: KnowledgeEntry;
  readonly question: string;
  readonly vector: Vector;
}

function termFrequencies(terms: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

export class LocalAnswerEngine {
  private readonly idf = new Map<string, number>();
  private readonly variants: IndexedVariant[] = [];
  private readonly answerThreshold: number;
  private readonly suggestThreshold: number;

  constructor(entries: readonly KnowledgeEntry[], now: Date, options: AnswerEngineOptions = {}) {
    this.answerThreshold = options.answerThreshold ?? 0.42;
    this.suggestThreshold = options.suggestThreshold ?? 0.22;
    const servable = entries.filter((e) => isServable(e, now));
    const docs = servable.flatMap((entry) => entry.questions.map((question) => ({ entry, question, terms: features(question) })));
    const df = new Map<string, number>();
    for (const doc of docs) for (const t of new Set(doc.terms)) df.set(t, (df.get(t) ?? 0) + 1);
    for (const [t, n] of df) this.idf.set(t, Math.log((docs.length + 1) / (n + 0.5)) + 1);
    for (const doc of docs) this.variants.push({ entry: doc.entry, question: doc.question, vector: this.vectorise(doc.terms) });
  }

  get size(): number {
    return this.variants.length;
  }

  private vectorise(terms: readonly string[]): Vector {
    const vector: Vector = new Map();
    let norm = 0;
    for (const [t, n] of termFrequencies(terms)) {
      // Terms no entry knows carry no evidence either way; a neutral weight keeps them in the query's length.
      // A single shared character is weak evidence (天 in 天气 and 几天); bigrams and words carry the topic.
      const w = (1 + Math.log(n)) * (this.idf.get(t) ?? 1) * (t.length === 1 ? 0.35 : 1);
      vector.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of vector) vector.set(t, w / norm);
    return vector;
  }

  answer(text: string): AnswerResult {
    const language = detectLanguage(text);
    const query = this.vectorise(features(text));
    const bestByEntry = new Map<string, AnswerCandidate & { entry: KnowledgeEntry }>();
    for (const variant of this.variants) {
      let dot = 0;
      const [small, large] = query.size < variant.vector.size ? [query, variant.vector] : [variant.vector, query];
      for (const [t, w] of small) {
        const other = large.get(t);
        if (other !== undefined) dot += w * other;
      }
      const current = bestByEntry.get(variant.entry.id);
      if (!current || dot > current.score) {
        bestByEntry.set(variant.entry.id, { entryId: variant.entry.id, question: variant.question, score: dot, entry: variant.entry });
      }
    }
    const ranked = [...bestByEntry.values()].sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId));
    const best = ranked[0];
    const round = (n: number) => Math.round(n * 1000) / 1000;
    const alternatives = ranked
      .filter((c) => c.score >= this.suggestThreshold)
      .slice(0, 4)
      .map((c) => ({ entryId: c.entryId, question: c.question, score: round(c.score) }));
    if (!best || best.score < this.suggestThreshold) {
      return { kind: 'out_of_scope', confidence: round(best?.score ?? 0), language, alternatives: [] };
    }
    if (best.score < this.answerThreshold) {
      return { kind: 'suggest', confidence: round(best.score), language, alternatives: alternatives.slice(0, 3) };
    }
    return {
      kind: 'answer',
      entryId: best.entryId,
      text: answerFor(best.entry, language === 'unknown' ? 'default' : language),
      confidence: round(best.score),
      language,
      alternatives: alternatives.slice(1, 4),
    };
  }
}
