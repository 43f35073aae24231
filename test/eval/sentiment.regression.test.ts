/**
 * CI check on the sentiment engine's quality: the recorded evaluations (docs/evaluation.json, "sentiment") are run
 * again through the same code as `npm run eval -- sentiment`, as shipped and trained, and any accuracy or macro-F1
 * that regresses by more than the recorded tolerance (0.01) fails. Latency only against a generous bound (shared CI
 * machines are noisy). Skipped, with the reason, when ../shared/datasets is not there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRows } from './datasets.ts';
import { evaluateSentiment, type SentimentReport } from './sentiment.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DATASETS = resolve(ROOT, '..', 'shared', 'datasets');
const recorded = JSON.parse(readFileSync(join(ROOT, 'docs', 'evaluation.json'), 'utf8')) as {
  tolerance: number;
  sentiment: Record<string, { test: string; train?: string; figures: Pick<SentimentReport, 'accuracy' | 'macroF1'> }>;
};
const available = existsSync(DATASETS);

describe('sentiment evaluation figures (docs/evaluation.json)', () => {
  for (const [name, run] of Object.entries(recorded.sentiment)) {
    it.skipIf(!available)(`${name} does not regress by more than ${recorded.tolerance}${available ? '' : ` (skipped: ${DATASETS} not found)`}`, { timeout: 300_000 }, () => {
      const report = evaluateSentiment(loadRows(join(DATASETS, run.test)), run.train ? loadRows(join(DATASETS, run.train)) : undefined);
      const regressions = (['accuracy', 'macroF1'] as const).filter((k) => report[k] < run.figures[k] - recorded.tolerance).map((k) => `${k} ${run.figures[k]} → ${report[k]}`);
      expect(regressions).toEqual([]);
      expect(report.latencyMs.p50).toBeLessThan(5);
    });
  }
});
