/**
 * Which flow, if any, a customer message starts: TF-IDF cosine over the same features as the local answer engine
 * (CJK unigrams and bigrams, stemmed words; Traditional folded to Simplified) against every trigger utterance.
 * Identifiers in the message ("KF20240012", "13800138000") are dropped first: they name the order, not the intent.
 */
import { features } from '../knowledge/text-features.ts';
import type { FlowDefinition } from './flow-definition.ts';

export interface FlowMatch {
  readonly flowId: string;
  readonly utterance: string;
  readonly score: number;
}

type Vector = Map<string, number>;

export const DEFAULT_TRIGGER_THRESHOLD = 0.55;

function withoutIdentifiers(text: string): string {
  return text.normalize('NFKC').replace(/[A-Za-z]*\d[\w-]*/g, ' ');
}

export class FlowTriggerMatcher {
  private readonly idf = new Map<string, number>();
  private readonly utterances: { flowId: string; utterance: string; vector: Vector }[] = [];

  constructor(
    flows: readonly FlowDefinition[],
    private readonly threshold = DEFAULT_TRIGGER_THRESHOLD,
  ) {
    const docs = flows.flatMap((f) => [...f.triggers.zh, ...f.triggers.en].map((utterance) => ({ flowId: f.id, utterance, terms: features(withoutIdentifiers(utterance)) })));
    const df = new Map<string, number>();
    for (const doc of docs) for (const t of new Set(doc.terms)) df.set(t, (df.get(t) ?? 0) + 1);
    for (const [t, n] of df) this.idf.set(t, Math.log((docs.length + 1) / (n + 0.5)) + 1);
    for (const doc of docs) this.utterances.push({ flowId: doc.flowId, utterance: doc.utterance, vector: this.vectorise(doc.terms) });
  }

  private vectorise(terms: readonly string[]): Vector {
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    const vector: Vector = new Map();
    let norm = 0;
    for (const [t, n] of counts) {
      // A single shared CJK character is weak evidence; bigrams and words carry the intent.
      const w = (1 + Math.log(n)) * (this.idf.get(t) ?? 1) * (t.length === 1 ? 0.35 : 1);
      vector.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of vector) vector.set(t, w / norm);
    return vector;
  }

  /** The best flow at or above the threshold, or undefined. */
  match(text: string): FlowMatch | undefined {
    const query = this.vectorise(features(withoutIdentifiers(text)));
    let best: FlowMatch | undefined;
    for (const u of this.utterances) {
      let score = 0;
      for (const [t, w] of query) score += w * (u.vector.get(t) ?? 0);
      if (!best || score > best.score) best = { flowId: u.flowId, utterance: u.utterance, score };
    }
    return best && best.score >= this.threshold ? best : undefined;
  }
}
