/**
 * Intent evaluation of the local answer engine: one knowledge entry per label of the train rows (each train row is a
 * question variant), every test row asked, the answer decision scored. Shared by `npm run eval -- intents` and the
 * regression test, so both measure exactly the same thing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KnowledgeEntry } from '../../shared/domain/knowledge/knowledge-entry.ts';
import { LocalAnswerEngine, type AnswerEngineOptions, type RankedEntry } from '../../shared/domain/knowledge/local-answer-engine.ts';
import type { LabelledRow } from './datasets.ts';

export interface IntentReport {
  /** Top-1 entry regardless of threshold, over in-scope test rows. */
  readonly accuracy: number;
  readonly macroF1: number;
  /** Answered with the right entry / in-scope rows. */
  readonly inScopeCorrect: number;
  /** Answered with a wrong entry / in-scope rows. */
  readonly wrongAnswerRate: number;
  /** Declined (suggest or out_of_scope) / out-of-scope rows; null without out-of-scope rows. */
  readonly oosRecall: number | null;
  /** Out-of-scope rows among all declined rows; null without out-of-scope rows. */
  readonly oosPrecision: number | null;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly buildMs: number;
  readonly memoryMb: number;
  readonly counts: { readonly train: number; readonly labels: number; readonly inScope: number; readonly outOfScope: number; readonly variants: number };
}

export interface IntentRun {
  readonly report: IntentReport;
  /** Per asked row (in-scope rows first, then out-of-scope rows), for calibration studies. */
  readonly rows: readonly { readonly label: string | null; readonly kind: string; readonly entryId: string | null; readonly confidence: number; readonly top: readonly RankedEntry[] }[];
}

const NOW = new Date('2026-01-01T00:00:00Z');
/** Labels that mean "out of scope" inside a test file. */
const OOS_LABELS = new Set(['oos', 'out_of_scope', 'out-of-scope']);

export function knowledgeFromRows(rows: readonly LabelledRow[]): KnowledgeEntry[] {
  const byLabel = new Map<string, string[]>();
  for (const row of rows) {
    const list = byLabel.get(row.label) ?? [];
    list.push(row.text);
    byLabel.set(row.label, list);
  }
  return [...byLabel].map(([label, questions]) => ({
    id: label,
    questions,
    answers: { default: label },
    category: 'eval',
    tags: [],
    status: 'published',
    version: 1,
    updatedAt: NOW.toISOString(),
  }));
}

let collect: (() => void) | undefined;
function gc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? 0;
}

const r4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function evaluateIntents(train: readonly LabelledRow[], test: readonly LabelledRow[], oos: readonly LabelledRow[] = [], options: AnswerEngineOptions & { keepRows?: boolean; topK?: number } = {}): IntentRun {
  const entries = knowledgeFromRows(train);
  gc();
  const before = process.memoryUsage();
  const started = performance.now();
  const engine = new LocalAnswerEngine(entries, NOW, options);
  const buildMs = performance.now() - started;
  gc();
  const after = process.memoryUsage();
  const memoryMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20;

  const inScope = test.filter((r) => !OOS_LABELS.has(r.label));
  const outOfScope = [...test.filter((r) => OOS_LABELS.has(r.label)), ...oos];
  const asked = [...inScope.map((r) => ({ text: r.text, label: r.label as string | null })), ...outOfScope.map((r) => ({ text: r.text, label: null }))];

  // Warm up (JIT, and jieba's lazy load when the knowledge is Chinese), not counted in latency.
  for (const row of asked.slice(0, 50)) engine.answer(row.text);

  const latencies: number[] = [];
  const rows: IntentRun['rows'][number][] = [];
  let top1Correct = 0;
  let answeredRight = 0;
  let answeredWrong = 0;
  let oosDeclined = 0;
  let inScopeDeclined = 0;
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  for (const row of asked) {
    const t0 = performance.now();
    const result = engine.answer(row.text);
    latencies.push(performance.now() - t0);
    const ranked = options.keepRows ? engine.rank(row.text) : undefined;
    const top1 = ranked?.[0]?.entryId ?? (result.kind === 'answer' ? result.entryId : (engine.candidates(row.text, 1)[0]?.entryId ?? null));
    if (options.keepRows) rows.push({ label: row.label, kind: result.kind, entryId: result.kind === 'answer' ? result.entryId : null, confidence: result.confidence, top: ranked!.slice(0, options.topK ?? 3) });
    if (row.label === null) {
      if (result.kind !== 'answer') oosDeclined++;
      continue;
    }
    actual.set(row.label, (actual.get(row.label) ?? 0) + 1);
    if (top1 !== null) predicted.set(top1, (predicted.get(top1) ?? 0) + 1);
    if (top1 === row.label) {
      top1Correct++;
      tp.set(row.label, (tp.get(row.label) ?? 0) + 1);
    }
    if (result.kind === 'answer') {
      if (result.entryId === row.label) answeredRight++;
      else answeredWrong++;
    } else {
      inScopeDeclined++;
    }
  }
  let f1Sum = 0;
  const labels = [...new Set([...actual.keys()])];
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const p = predicted.get(label) ?? 0;
    const a = actual.get(label) ?? 0;
    const precision = p ? t / p : 0;
    const recall = a ? t / a : 0;
    f1Sum += precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  }
  const n = inScope.length || 1;
  const declined = oosDeclined + inScopeDeclined;
  return {
    report: {
      accuracy: r4(top1Correct / n),
      macroF1: r4(labels.length ? f1Sum / labels.length : 0),
      inScopeCorrect: r4(answeredRight / n),
      wrongAnswerRate: r4(answeredWrong / n),
      oosRecall: outOfScope.length ? r4(oosDeclined / outOfScope.length) : null,
      oosPrecision: outOfScope.length ? r4(declined ? oosDeclined / declined : 0) : null,
      latencyMs: { p50: r4(percentile(latencies, 50)), p99: r4(percentile(latencies, 99)) },
      buildMs: Math.round(buildMs),
      memoryMb: Math.round(memoryMb * 10) / 10,
      counts: { train: train.length, labels: entries.length, inScope: inScope.length, outOfScope: outOfScope.length, variants: engine.size },
    },
    rows,
  };
}
