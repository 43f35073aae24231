/**
 * `npm run eval -- intents --train FILE --test FILE [--oos FILE] [--json] [--no-jieba]`
 * `npm run eval -- sentiment --test FILE [--train FILE] [--json]`
 *
 * FILE is JSONL ({"text","label"} a line), CSV or TSV (text,label). Builds a knowledge base with one entry per train
 * label, asks every test row (and every --oos row, as out of scope) and prints the figures described in
 * docs/EVALUATION.md. --no-jieba evaluates with character n-grams only (no Chinese word segmentation).
 */
import { cpus, totalmem } from 'node:os';
import { loadRows } from './datasets.ts';
import { evaluateIntents, type IntentReport } from './intents.ts';
import { evaluateSentiment, type SentimentReport } from './sentiment.ts';
import { jiebaStatus, noSegmenter } from '../../shared/domain/knowledge/segmenter.ts';

const USAGE = 'usage: npm run eval -- intents --train FILE --test FILE [--oos FILE] [--json] [--no-jieba]\n       npm run eval -- sentiment --test FILE [--train FILE] [--json]';

function parseArgs(argv: readonly string[]): { command: string | undefined; flags: Map<string, string | true> } {
  const flags = new Map<string, string | true>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--') && !['--json', '--no-jieba'].includes(arg)) {
        flags.set(arg.slice(2), next);
        i++;
      } else {
        flags.set(arg.slice(2), true);
      }
    } else if (!command) {
      command = arg;
    } else {
      throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    }
  }
  return { command, flags };
}

const pct = (n: number | null) => (n === null ? 'n/a' : `${(n * 100).toFixed(1)} %`);

function print(report: IntentReport, files: { train: string; test: string; oos?: string }): void {
  const c = report.counts;
  console.log(`train ${files.train}: ${c.train} rows, ${c.labels} labels → ${c.variants} question variants`);
  console.log(`test  ${files.test}${files.oos ? ` + ${files.oos}` : ''}: ${c.inScope} in scope, ${c.outOfScope} out of scope`);
  console.log('');
  console.log(`accuracy (top-1, in scope)    ${pct(report.accuracy)}`);
  console.log(`macro-F1 (top-1, in scope)    ${pct(report.macroF1)}`);
  console.log(`in scope answered correctly   ${pct(report.inScopeCorrect)}`);
  console.log(`in scope answered wrongly     ${pct(report.wrongAnswerRate)}`);
  console.log(`out of scope declined (recall) ${pct(report.oosRecall)}`);
  console.log(`declined that were oos (prec.) ${pct(report.oosPrecision)}`);
  console.log(`answer latency p50 / p99      ${report.latencyMs.p50.toFixed(3)} / ${report.latencyMs.p99.toFixed(3)} ms`);
  console.log(`index build                   ${report.buildMs} ms`);
  console.log(`index memory                  ${report.memoryMb.toFixed(1)} MB`);
  console.log(`machine                       ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`);
}

function printSentiment(report: SentimentReport, files: { train?: string; test: string }): void {
  console.log(`${report.task} set ${files.test}: ${report.counts.test} rows; engine ${report.mode === 'trained' ? `trained on ${files.train} (${report.counts.train} rows, ${report.trainMs} ms)` : 'as shipped (lexicon and rules)'}`);
  console.log('');
  console.log(`accuracy                 ${pct(report.accuracy)}`);
  console.log(`macro-F1                 ${pct(report.macroF1)}`);
  console.log(`latency p50 / p99        ${report.latencyMs.p50.toFixed(4)} / ${report.latencyMs.p99.toFixed(4)} ms`);
  console.log('');
  const labels = report.confusion.labels;
  const width = Math.max(12, ...labels.map((l) => l.length + 2));
  console.log(`confusion (rows: actual, columns: predicted)`);
  console.log(`${''.padEnd(width)}${labels.map((l) => l.padStart(width)).join('')}`);
  report.confusion.matrix.forEach((row, i) => console.log(`${labels[i]!.padEnd(width)}${row.map((n) => String(n).padStart(width)).join('')}`));
  console.log('');
  for (const [label, m] of Object.entries(report.perLabel)) {
    console.log(`${label.padEnd(width)} precision ${pct(m.precision)}  recall ${pct(m.recall)}  F1 ${pct(m.f1)}  (${m.support})`);
  }
  console.log(`machine                  ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
}

function sentiment(flags: Map<string, string | true>): void {
  const train = flags.get('train');
  const test = flags.get('test');
  if (typeof test !== 'string' || (train !== undefined && typeof train !== 'string')) throw new Error(USAGE);
  const report = evaluateSentiment(loadRows(test), train ? loadRows(train) : undefined);
  if (flags.has('json')) console.log(JSON.stringify(report));
  else printSentiment(report, { test, ...(train ? { train } : {}) });
}

function main(): void {
  const { command, flags } = parseArgs(process.argv.slice(2));
  if (command === 'sentiment') return sentiment(flags);
  if (command !== 'intents') throw new Error(USAGE);
  const train = flags.get('train');
  const test = flags.get('test');
  const oos = flags.get('oos');
  if (typeof train !== 'string' || typeof test !== 'string' || (oos !== undefined && typeof oos !== 'string')) throw new Error(USAGE);
  const run = evaluateIntents(loadRows(train), loadRows(test), oos ? loadRows(oos) : [], flags.has('no-jieba') ? { segmenter: noSegmenter } : {});
  const jieba = jiebaStatus();
  const report = { ...run.report, jieba: { used: jieba.loaded, loadMs: jieba.loadMs === undefined ? null : Math.round(jieba.loadMs) } };
  if (flags.has('json')) console.log(JSON.stringify(report));
  else {
    print(run.report, { train, test, ...(oos ? { oos } : {}) });
    console.log(`jieba                         ${jieba.loaded ? `loaded in ${Math.round(jieba.loadMs ?? 0)} ms` : 'not loaded'}`);
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
