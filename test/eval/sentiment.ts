/**
 * Sentiment evaluation of the local engine, as shipped (lexicon and rules) or trained on a train file (the company's
 * "train on your own messages" mode). Shared by `npm run eval -- sentiment` and the regression test.
 *
 * Labels are mapped with shared/domain/sentiment/labels.ts. As shipped, the engine's answer is read in the set's terms:
 *  - polarity sets: the set label with the highest score, where a "mixed" score counts half to positive and half to
 *    negative (a two-label set has no neutral: a message without any cue leans by its scores; a tie reads negative);
 *  - emotion sets: the engine's emotion, with categories the set does not have read as their nearest one that it has
 *    (anxious → fearful, disgusted → angry, surprised → neutral, any other → neutral).
 */
import { mapLabels, type LabelledSet } from '../../shared/domain/sentiment/labels.ts';
import { scoreSentiment } from '../../shared/domain/sentiment/local-sentiment-engine.ts';
import { SentimentModel } from '../../shared/domain/sentiment/sentiment-model.ts';
import type { Emotion, SentimentResult } from '../../shared/domain/sentiment/sentiment.ts';
import type { LabelledRow } from './datasets.ts';

export interface SentimentReport {
  readonly task: 'polarity' | 'emotion';
  readonly mode: 'shipped' | 'trained';
  readonly accuracy: number;
  readonly macroF1: number;
  /** confusion.matrix[actual][predicted], in the order of confusion.labels. */
  readonly confusion: { readonly labels: readonly string[]; readonly matrix: readonly (readonly number[])[] };
  readonly perLabel: Readonly<Record<string, { precision: number; recall: number; f1: number; support: number }>>;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly trainMs: number | null;
  readonly counts: { readonly train: number | null; readonly test: number };
}

const r4 = (n: number) => Math.round(n * 10_000) / 10_000;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? 0;
}

const NEAREST: Readonly<Record<Emotion, Emotion>> = {
  anxious: 'fearful',
  disgusted: 'angry',
  surprised: 'neutral',
  angry: 'neutral',
  disappointed: 'neutral',
  fearful: 'neutral',
  happy: 'neutral',
  neutral: 'neutral',
};

/** The engine's result in the set's terms (see the file comment). */
export function readAs(set: LabelledSet, result: SentimentResult): string {
  if (set.task === 'polarity') {
    const s = result.scores;
    const score = (label: string) => (label === 'positive' ? s.positive + s.mixed / 2 : label === 'negative' ? s.negative + s.mixed / 2 : label === 'neutral' ? s.neutral : s.mixed);
    if ((set.labels as readonly string[]).includes(result.polarity) && (set.labels.includes('neutral') || result.polarity !== 'neutral')) return result.polarity;
    let best = 'negative';
    let bestScore = -1;
    for (const label of ['negative', ...set.labels.filter((l) => l !== 'negative')]) {
      if (!(set.labels as readonly string[]).includes(label)) continue;
      if (score(label) > bestScore) {
        best = label;
        bestScore = score(label);
      }
    }
    return best;
  }
  let emotion: Emotion = result.emotion;
  for (let hops = 0; hops < 3 && !(set.labels as readonly string[]).includes(emotion); hops++) emotion = NEAREST[emotion];
  return emotion;
}

export function evaluateSentiment(test: readonly LabelledRow[], train?: readonly LabelledRow[], options: { c?: number; lexiconScale?: number; minDf?: number } = {}): SentimentReport {
  const set = mapLabels(test);
  let model: SentimentModel | undefined;
  let trainMs: number | null = null;
  if (train) {
    const trainSet = mapLabels(train);
    if (trainSet.task !== set.task) throw new Error(`the train file is a ${trainSet.task} set and the test file a ${set.task} set`);
    const started = performance.now();
    model = SentimentModel.train(trainSet.rows, trainSet.task, options);
    trainMs = Math.round(performance.now() - started);
  }
  const labels = [...new Set<string>([...set.labels, ...(model?.labels ?? [])])].sort();
  const at = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  // Warm up (JIT; jieba's lazy load for a trained Chinese model), not counted.
  for (const row of set.rows.slice(0, 50)) scoreSentiment(row.text, model ? { model } : {});
  const latencies: number[] = [];
  let correct = 0;
  for (const row of set.rows) {
    const t0 = performance.now();
    const result = scoreSentiment(row.text, model ? { model } : {});
    latencies.push(performance.now() - t0);
    const predicted = model ? (set.task === 'polarity' ? result.polarity : result.emotion) : readAs(set, result);
    if (!at.has(predicted)) {
      at.set(predicted, labels.length);
      labels.push(predicted);
      for (const r of matrix) r.push(0);
      matrix.push(labels.map(() => 0));
    }
    matrix[at.get(row.label)!]![at.get(predicted)!]!++;
    if (predicted === row.label) correct++;
  }
  const perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }> = {};
  let f1Sum = 0;
  for (const label of set.labels) {
    const i = at.get(label)!;
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, r) => a + r[i]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perLabel[label] = { precision: r4(precision), recall: r4(recall), f1: r4(f1), support };
    f1Sum += f1;
  }
  return {
    task: set.task,
    mode: model ? 'trained' : 'shipped',
    accuracy: r4(correct / (set.rows.length || 1)),
    macroF1: r4(f1Sum / (set.labels.length || 1)),
    confusion: { labels, matrix },
    perLabel,
    latencyMs: { p50: r4(percentile(latencies, 50)), p99: r4(percentile(latencies, 99)) },
    trainMs,
    counts: { train: train?.length ?? null, test: set.rows.length },
  };
}
