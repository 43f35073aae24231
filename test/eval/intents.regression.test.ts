/**
 * CI check on the local answer engine's quality: the three recorded evaluations (docs/evaluation.json) are run again
 * through the same code as `npm run eval -- intents`, and any quality figure that regresses by more than the
 * recorded tolerance (0.01) fails. Latency and build time are only checked against generous bounds (shared CI
 * machines are noisy). Skipped, with the reason, when ../shared/datasets is not there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRows } from './datasets.ts';
import { evaluateIntents, type IntentReport } from './intents.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DATASETS = resolve(ROOT, '..', 'shared', 'datasets');
const recorded = JSON.parse(readFileSync(join(ROOT, 'docs', 'evaluation.json'), 'utf8')) as {
  tolerance: number;
  runs: Record<string, { train: string; test: string; oos?: string; figures: Partial<IntentReport> }>;
};
const available = existsSync(DATASETS);
const HIGHER_IS_BETTER = ['accuracy', 'macroF1', 'inScopeCorrect', 'oosRecall', 'oosPrecision'] as const;
const LOWER_IS_BETTER = ['wrongAnswerRate'] as const;

describe('intent evaluation figures (docs/evaluation.json)', () => {
  for (const [name, run] of Object.entries(recorded.runs)) {
    it.skipIf(!available)(`${name} does not regress by more than ${recorded.tolerance}${available ? '' : ` (skipped: ${DATASETS} not found)`}`, () => {
      const report = evaluateIntents(
        loadRows(join(DATASETS, run.train)),
        loadRows(join(DATASETS, run.test)),
        run.oos ? loadRows(join(DATASETS, run.oos)) : [],
      ).report;
      const regressions: string[] = [];
      for (const key of HIGHER_IS_BETTER) {
        const was = run.figures[key];
        const now = report[key];
        if (typeof was === 'number' && (now === null || now < was - recorded.tolerance)) regressions.push(`${key} ${was} → ${now}`);
      }
      for (const key of LOWER_IS_BETTER) {
        const was = run.figures[key];
        if (typeof was === 'number' && report[key] > was + recorded.tolerance) regressions.push(`${key} ${was} → ${report[key]}`);
      }
      expect(regressions).toEqual([]);
      // Generous bounds only: the targets are p99 ≤ 2 ms and build ≤ 10 s on an idle machine.
      expect(report.latencyMs.p99).toBeLessThan(25);
      expect(report.buildMs).toBeLessThan(40_000);
    });
  }
});
