/**
 * `npm run bench`: bundle size and cold import time per function, then message → bot reply latency against the local
 * runtime, then routing decisions under contention and freed seat → next offer on DynamoDB Local. Prints the tables
 * and writes docs/BENCHMARKS.md (overwritten). Loopback traffic only. `npm run bench -- cost` runs only the cost
 * benchmark (test/bench/cost.ts, writes docs/COSTS.md).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join, relative } from 'node:path';
import { runCostBenchmark } from './cost.ts';
import { bundleFunctions, coldImportMs, coldLoadOf, IMPORT_REFERENCES, ROOT } from './bundles.ts';
import { measureLatency, QUESTIONS, type LevelPlan } from './latency.ts';
import { measureRouting, routingSection, routingSummaryLine, routingTables } from './routing.ts';
import { fixed, max, median, percentile } from './stats.ts';
import { runWebhooksBenchmark } from './webhooks.ts';

const TARGETS = { p95Ms: 50, bundleKb: 500, coldImportMs: 150 } as const;
const LEVELS: readonly LevelPlan[] = [
  { concurrency: 1, messages: 60 },
  { concurrency: 4, messages: 120 },
  { concurrency: 16, messages: 240 },
];
/** Enough traffic to bring DynamoDB Local's JVM to steady state (its round trip halves over the first ~2,000 calls). */
const WARMUP_MESSAGES = 300;
const IMPORT_RUNS = 9;
/** The whole run must finish well inside this; past it the benchmark fails instead of hanging. */
const DEADLINE_MS = 8 * 60_000;

const kb = (bytes: number) => bytes / 1024;
const verdict = (ok: boolean) => (ok ? 'yes' : '**NO**');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

async function printIdleCost(): Promise<void> {
  const { idleCost } = await import('./cost.ts');
  const { resolvePrices } = await import('../../shared/domain/costs/prices.ts');
  const idle = await idleCost(resolvePrices({ region: 'us-east-1', at: new Date().toISOString() }));
  for (const line of idle.lines) console.log(`${line.label.padEnd(48)} ${line.type.padEnd(32)} ×${String(line.count).padStart(3)}  $${line.monthly.toFixed(2)}`);
  console.log(`idle monthly: $${idle.monthly.toFixed(2)} (${idle.stacks.join(', ')})`);
}

async function main(): Promise<void> {
  // `npm run bench -- cost [--conversations N] [--concurrency C]`: only the cost benchmark (writes docs/COSTS.md).
  if (process.argv.slice(2).includes('cost')) return runCostBenchmark(process.argv.slice(2));
  // `npm run bench -- webhooks [--messages N] [--concurrency C]`: only the channel webhooks (its section of docs/BENCHMARKS.md).
  if (process.argv.slice(2).includes('webhooks')) return runWebhooksBenchmark(process.argv.slice(2));
  // `npm run bench -- idle`: only the idle monthly cost of the synthesized templates (no traffic; seconds).
  if (process.argv.slice(2).includes('idle')) return printIdleCost();
  const deadline = setTimeout(() => {
    console.error(`benchmark exceeded ${DEADLINE_MS / 1000} s; aborting`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const t0 = performance.now();

  console.log('bundling each function with the CDK bundling options…');
  const bundles = await bundleFunctions();
  console.log(`cold-importing each bundle ${IMPORT_RUNS}× in fresh Node processes…`);
  // Round-robin: each round imports every bundle and reference once, so that a slow spell of the (shared, noisy)
  // machine hits all of them alike instead of whichever happened to run then.
  const imports = bundles.map((bundle) => ({ ...bundle, times: [] as number[], untraced: [] as number[] }));
  const references = IMPORT_REFERENCES.map((reference) => ({ ...reference, times: [] as number[] }));
  for (let round = 0; round < IMPORT_RUNS; round++) {
    for (const entry of imports) {
      entry.times.push(...(await coldImportMs(entry.file, 1)));
      // The same bundle with tracing off, which skips loading Powertools' Tracer and the X-Ray SDK.
      entry.untraced.push(...(await coldImportMs(entry.file, 1, { POWERTOOLS_TRACE_ENABLED: 'false' })));
    }
    for (const entry of references) entry.times.push(...(await coldLoadOf(entry, 1)));
  }
  const referenceLines = references.map((r) => `- ${r.label}: median ${fixed(median(r.times))} ms, max ${fixed(max(r.times))} ms`).join('\n');

  console.log('starting the local runtime and measuring message → bot reply latency…');
  const latency = await measureLatency(LEVELS, WARMUP_MESSAGES);
  console.log('measuring routing decisions and freed seat → next offer on DynamoDB Local…');
  const routing = await measureRouting();
  const routingText = routingTables(routing);
  const totalSeconds = (performance.now() - t0) / 1000;

  const latencyRows = latency.levels.map((level) => {
    const p95 = percentile(level.samples, 95);
    return [
      String(level.concurrency),
      String(level.samples.length),
      String(level.answered),
      fixed(percentile(level.acks, 50)),
      fixed(percentile(level.samples, 50)),
      fixed(p95),
      fixed(percentile(level.samples, 99)),
      fixed(max(level.samples)),
      fixed(level.samples.length / (level.wallMs / 1000)),
      verdict(p95 <= TARGETS.p95Ms),
    ];
  });
  const latencyTable = table(
    ['Concurrent conversations', 'Replies (samples)', 'From a KB entry', 'POST → 202 p50 ms', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'Replies/s', `p95 ≤ ${TARGETS.p95Ms} ms`],
    latencyRows,
  );
  const bundleRows = imports.map((f) => [
    `\`${f.id}\``,
    fixed(kb(f.rawBytes)),
    fixed(kb(f.gzipBytes)),
    verdict(kb(f.rawBytes) <= TARGETS.bundleKb),
    fixed(median(f.times)),
    fixed(max(f.times)),
    verdict(median(f.times) <= TARGETS.coldImportMs),
    fixed(median(f.untraced)),
    f.contributors.slice(0, 3).map((c) => `${c.name} ${fixed(kb(c.bytes), 0)}`).join(', '),
  ]);
  const bundleTable = table(
    ['Function', 'Raw KB', 'Gzip KB', `Raw ≤ ${TARGETS.bundleKb} KB`, 'Import median ms', 'Import max ms', `Median ≤ ${TARGETS.coldImportMs} ms`, 'Median, tracing off ms', 'Largest parts (KB of the raw bundle)'],
    bundleRows,
  );

  const misses = [
    ...latency.levels.filter((l) => percentile(l.samples, 95) > TARGETS.p95Ms).map((l) => `latency at ${l.concurrency} concurrent conversation(s): p95 ${fixed(percentile(l.samples, 95))} ms > ${TARGETS.p95Ms} ms`),
    ...imports.filter((f) => kb(f.rawBytes) > TARGETS.bundleKb).map((f) => `\`${f.id}\` bundle: ${fixed(kb(f.rawBytes))} KB raw > ${TARGETS.bundleKb} KB`),
    ...imports.filter((f) => median(f.times) > TARGETS.coldImportMs).map((f) => `\`${f.id}\` cold import: median ${fixed(median(f.times))} ms > ${TARGETS.coldImportMs} ms`),
  ];

  const { getItem, transactWrite } = latency.dynamoDbRoundTrips;
  const trip = (name: string, v: number[]) => `${name} (${v.length} calls): p50 ${fixed(percentile(v, 50))} ms, p95 ${fixed(percentile(v, 95))} ms, min ${fixed(Math.min(...v))} ms`;
  const dynamoDbLine = `DynamoDB Local round trips, ${trip('single GetItem', getItem)}; ${trip('two-item TransactWriteItems', transactWrite)}`;
  const cpu = cpus();
  const machine = [
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length}`,
    `- Memory: ${fixed(totalmem() / 1024 ** 3)} GiB`,
    `- OS: ${osType()} ${release()} (${arch()})`,
    `- Node.js: ${process.version}`,
    `- Load average at start (1/5/15 min): ${loadAtStart.map((l) => fixed(l, 2)).join(' / ')} — the machine may be shared with other work`,
  ].join('\n');

  const doc = `# Benchmarks

Generated by \`npm run bench\` (test/bench/run.bench.ts) on ${startedAt.toISOString()}; the run took ${fixed(totalSeconds, 0)} s.
Every figure below comes from that run; rerun the command to refresh this file (it is overwritten).

## Machine

${machine}

## Reproduce

\`\`\`sh
npm ci
npm run bench   # needs Java 17+ for DynamoDB Local; only loopback traffic
\`\`\`

## Summary

${misses.length === 0 ? 'Every target was met.' : `Targets missed:\n\n${misses.map((m) => `- ${m}`).join('\n')}`}

${routingSummaryLine(routing)}

## Message → bot reply latency (local runtime)

The local runtime (\`infra/local/runtime.ts\`) started in memory with the demo seed in its own process (as \`npm start\`
runs beside its clients; the benchmark's clients are a second process on loopback), ready in **${latency.readyInMs} ms**
(DynamoDB Local, in-process CDK synthesis, every function loaded, seed written). After ${latency.warmupMessages} warm-up
messages, each level opens its conversations (each with its WebSocket) and they send a fixed number of messages in total,
one after another per conversation, rotating through ${QUESTIONS.length} questions of the demo knowledge base
(${QUESTIONS.map((q) => `“${q}”`).join(', ')}). A sample is the time from just before the customer's \`POST
/v1/webchat/conversations/{id}/messages\` to the arrival on the WebSocket of the \`message\` event whose role is \`bot\`.
Throughput is replies received divided by the level's wall time. “POST → 202” is the part of a sample until the
webchat function has stored the message and answered. Target: p95 ≤ ${TARGETS.p95Ms} ms.

${latencyTable}

For scale, measured in the same run after the warm-up: ${dynamoDbLine}. Every store access on the path is at least
one such round trip.

The measured path is the whole local one: webchat stores the message in DynamoDB Local → the stream poller (woken by
the write) hands it to message intake → the message workflow on aws-local-stepfunctions (sentiment ∥ bot answer →
policy) → the reply is stored and pushed through the local \`@connections\` endpoint → WebSocket. Every function, the
HTTP/WebSocket server, the workflow runner and the stream poller share the runtime's one Node.js event loop, and
DynamoDB Local (Java) runs on the same two cores. These numbers describe the local runtime on this machine, not latency
on AWS (API Gateway, Lambda invocations, DynamoDB Streams delivery and Step Functions Express add their own). The local
stream poller spreads records over lanes by conversation as the event source mapping's parallelization factor does
(one conversation's messages stay in order), so concurrent conversations are processed concurrently; the two cores,
shared by Node.js and the JVM, bound the throughput.

${routingSection(routing)}
## Bundle size and cold import time per function

Each entry of \`shared/manifest/manifest.ts\` is bundled with esbuild using \`esbuildBuildOptions()\` from
\`infra/constructs/bundling-options.ts\` (the options the CDK app deploys: ESM, minified, \`node24\`, source map in a
separate file, \`@aws-sdk/*\` external) into \`${relative(ROOT, join(ROOT, '.kefu', 'bench', 'bundles'))}/<id>/index.mjs\`.
Sizes are of \`index.mjs\` alone (without its \`.map\`), KB = 1024 bytes. The deployed artifact is the raw minified
bundle, so the ${TARGETS.bundleKb} KB target is compared with **raw** size; gzip is shown for reference. The largest
parts come from esbuild's metafile (bytes each npm package, or \`(kefu)\` for this repository's code, adds to the output).

Cold import: for each bundle, ${IMPORT_RUNS} fresh Node.js processes (${process.version}, \`process.execPath\`) each time
\`await import(bundle)\` with \`performance.now()\` around it, printed by the child, so process start-up is not counted.
The child gets the environment the CDK app gives every function (\`NODE_OPTIONS=--enable-source-maps\`), so the source map
is loaded as on Lambda. The AWS SDK is external in the bundles (the Lambda runtime provides it); here it is resolved from
the repository's \`node_modules\`, so **its import cost is included** in these times. Handlers create their clients and
read their configuration lazily, so the import does no network I/O. Target: median ≤ ${TARGETS.coldImportMs} ms (the max is shown too).
“Median, tracing off” imports the same bundle with \`POWERTOOLS_TRACE_ENABLED=false\`, under which the handler stack
does not load Powertools' Tracer and the X-Ray SDK: what the same function would cost without X-Ray tracing. The target
is judged on the deployed default, tracing on.

${bundleTable}

For reference, measured the same way in the same run, each alone in a fresh process: the AWS SDK clients the functions
leave to the Lambda runtime; node:http and node:https, loaded with \`require\` as the bundles load them and with
\`import()\` (BUILTIN_ALIASES in infra/constructs/bundling-options.ts: the ES module view of node:http reads every
export, which loads undici); and Powertools' Tracer (bundled into every function; shown here unbundled from
node_modules, an upper bound):

${referenceLines}

A function that touches DynamoDB cannot import faster than the first line; what the bundle adds on top of it (Powertools
with the X-Ray SDK, zod, middy, this repository's code) is the difference.
`;

  console.log(`\nruntime ready in ${latency.readyInMs} ms; ${dynamoDbLine}\n\n${latencyTable}\n\n${bundleTable}\n\n${referenceLines}\n`);
  console.log(`routing decisions under contention:\n\n${routingText.decisions}\n\nfreed seat → next waiting conversation offered:\n\n${routingText.wake}\n\n${routingSummaryLine(routing)}\n`);
  console.log(misses.length === 0 ? 'all targets met' : `targets missed:\n${misses.map((m) => `  - ${m}`).join('\n')}`);
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  // Sections other commands write (`npm run bench -- webhooks`) are kept: this run does not measure them.
  const path = join(ROOT, 'docs', 'BENCHMARKS.md');
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const kept = previous.indexOf('\n## Channel webhooks\n');
  writeFileSync(path, kept < 0 ? doc : `${doc.trimEnd()}\n${previous.slice(kept)}`);
  console.log(`\nwrote docs/BENCHMARKS.md (${fixed(totalSeconds, 0)} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
