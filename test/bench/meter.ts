/**
 * `npm run bench:meter`: what the cost meter adds to one invocation. The same handler (five DynamoDB-sized meter
 * updates, one awaited tick, as a typical invocation's calls would) runs bare and metered, interleaved, 20,000 times
 * each; the metered sink serialises the record and writes it to /dev/null as the stdout sink writes it to the log.
 * Prints p50 / p99 / max of each and the difference (target: p99 added ≤ 1 ms).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { meter, metered, setCostSink } from '../../shared/observability/cost-meter.ts';
import { fixed, percentile } from './stats.ts';

const RUNS = 20_000;
const devNull = openSync('/dev/null', 'w');
setCostSink({ emit: (record) => void writeSync(devNull, `${JSON.stringify(record)}\n`) });

const work = async (event: { conversationId: string }) => {
  for (let i = 0; i < 5; i++) meter.dynamodb(0.5, 1);
  meter.attribute(event.conversationId, 'webchat');
  await Promise.resolve();
  return { ok: true };
};
const bare = work;
const wrapped = metered('webchat', 'http', work);

const bareTimes: number[] = [];
const meteredTimes: number[] = [];
for (let i = 0; i < 2_000; i++) {
  await bare({ conversationId: 'warm' });
  await wrapped({ conversationId: 'warm' }, { awsRequestId: `warm-${i}`, memoryLimitInMB: '512' });
}
for (let i = 0; i < RUNS; i++) {
  let t = performance.now();
  await bare({ conversationId: `conv_${i}` });
  bareTimes.push(performance.now() - t);
  t = performance.now();
  await wrapped({ conversationId: `conv_${i}` }, { awsRequestId: `req-${i}`, memoryLimitInMB: '512' });
  meteredTimes.push(performance.now() - t);
}
closeSync(devNull);
const row = (label: string, times: number[]) => `${label.padEnd(8)} p50 ${fixed(percentile(times, 50), 4)} ms  p99 ${fixed(percentile(times, 99), 4)} ms  max ${fixed(Math.max(...times), 3)} ms`;
console.log(`cost meter overhead, ${RUNS} invocations each (interleaved), node ${process.version}`);
console.log(row('bare', bareTimes));
console.log(row('metered', meteredTimes));
const added99 = percentile(meteredTimes, 99) - percentile(bareTimes, 99);
console.log(`added    p50 ${fixed(percentile(meteredTimes, 50) - percentile(bareTimes, 50), 4)} ms  p99 ${fixed(added99, 4)} ms  (target ≤ 1 ms: ${added99 <= 1 ? 'met' : 'NOT met'})`);
