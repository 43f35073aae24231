/**
 * `npm run bench -- webhooks [--messages N] [--concurrency C]`: acknowledgement latency of the channel webhooks
 * (WeChat, WeCom, Telegram, LINE, WhatsApp) on the local runtime, and how completely the platforms' retries are
 * absorbed.
 *
 * The runtime runs in a child process (its own event loop, as `npm start` beside its clients), every channel configured
 * through its `KEFU_<CHANNEL>_*` environment variables with its send API on a loopback fake served by this process
 * (WeCom's kf/sync_msg serves the customer messages each callback announces). Per channel: N valid signed text
 * messages from N distinct senders, C in flight at a time; a sample is the time from just before the request is sent
 * to the end of its response. Then the same N deliveries again (same message ids, freshly signed) as the platform's
 * retries; the customer messages stored for those senders are counted after each pass (absorption = stored after the
 * retries / unique messages, which must be exactly 1.0). Between channels the benchmark waits (bounded) for the
 * replies of the previous channel to reach its fake, so that one channel's bot work does not land in the next one's
 * figures. Prints a table and writes the section "Channel webhooks" of docs/BENCHMARKS.md (the rest of the file is
 * kept). Loopback traffic only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CHANNELS, channelEnv, routeSendApis, SECRETS, senderId, sendWebhook, signedPost, textMessage, WecomKfFake, type TextMessage, type WebhookChannel } from '../support/channel-requests.ts';
import { FakeChannelApi, type RecordedCall } from '../support/fake-channel-api.ts';
import { fixed, max, percentile } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MARK = 'KEFU-WEBHOOK-BENCH ';
const DEADLINE_MS = 20 * 60_000;
const SETTLE_MS = 90_000;
/** Questions the seeded knowledge base answers (so that the bot replies rather than hands off). */
const QUESTIONS = ['我的包裹到哪了', 'where is my parcel', '怎么退货', '退款多久到账', 'how do i get an invoice', '支持哪些支付方式'];

// ================================================================ the runtime, in a child process

/** Child mode: start the runtime; answer `count {channel, senders}` on stdin with what is stored for those senders. */
async function serveRuntime(): Promise<void> {
  const { startLocalRuntime } = await import('../../infra/local/runtime.ts');
  const runtime = await startLocalRuntime({ port: 0, seed: true });
  const { conversationStore, customerDirectory } = await import('../../shared/adapters/wiring/storage.ts');
  const { customerIdForIdentity } = await import('../../shared/application/channel-intake.use-cases.ts');
  const say = (value: unknown) => process.stdout.write(`${MARK}${JSON.stringify(value)}\n`);
  say({ url: runtime.url, readyInMs: runtime.readyInMs });
  const count = async (channel: WebhookChannel, senders: string[]) => {
    let customers = 0;
    let conversations = 0;
    let customerMessages = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < senders.length; i = next++) {
          const id = customerIdForIdentity(channel, senders[i]!);
          if (await customerDirectory().get(id)) customers++;
          const found = await conversationStore().listByCustomer(id, 10);
          conversations += found.length;
          for (const c of found) {
            // Read first, then add: `x += await …` would add to the value read before the await (lost updates).
            const stored = (await conversationStore().listMessages(c.id, { limit: 100 })).filter((m) => m.role === 'customer').length;
            customerMessages += stored;
          }
        }
      }),
    );
    return { customers, conversations, customerMessages };
  };
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, ...rest] = line.trim().split(' ');
    if (command !== 'count') return;
    const { channel, senders } = JSON.parse(rest.join(' ')) as { channel: WebhookChannel; senders: string[] };
    void count(channel, senders).then(say, (error: Error) => say({ error: error.message }));
  });
  process.once('SIGTERM', () => void runtime.stop().then(() => process.exit(0)));
}

interface RuntimeHandle {
  readonly url: string;
  readonly readyInMs: number;
  count(channel: WebhookChannel, senders: string[]): Promise<{ customers: number; conversations: number; customerMessages: number }>;
  stop(): Promise<void>;
}

async function startRuntimeProcess(env: Record<string, string>): Promise<RuntimeHandle> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--webhooks-runtime'], { stdio: ['pipe', 'pipe', 'inherit'], cwd: ROOT, env: { ...process.env, ...env } });
  const waiting: ((value: Record<string, unknown>) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const at = line.indexOf(MARK);
    if (at >= 0) waiting.shift()?.(JSON.parse(line.slice(at + MARK.length)) as Record<string, unknown>);
  });
  const next = () => new Promise<Record<string, unknown>>((ok) => waiting.push(ok));
  const info = await Promise.race([next(), new Promise<never>((_, fail) => child.once('exit', (code) => fail(new Error(`the runtime process exited with ${code}`))))]);
  return {
    url: info.url as string,
    readyInMs: info.readyInMs as number,
    count: async (channel, senders) => {
      const answer = next();
      child.stdin!.write(`count ${JSON.stringify({ channel, senders })}\n`);
      const value = await answer;
      if (value.error) throw new Error(String(value.error));
      return value as never;
    },
    stop: () =>
      new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

// ================================================================ the load

interface Pass {
  readonly ms: number[];
  readonly statuses: Map<number, number>;
  readonly wallMs: number;
}

async function pass(url: string, messages: readonly TextMessage[], concurrency: number): Promise<Pass> {
  const ms: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < messages.length; i = next++) {
        // Signed just before sending (WeChat and WeCom sign a timestamp), outside the measured time.
        const request = signedPost(messages[i]!.channel, messages[i]!.body);
        const res = await sendWebhook(url, request);
        ms.push(res.ms);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  return { ms, statuses, wallMs: performance.now() - started };
}

/** Calls on a channel's fake that carry a reply (WeChat replies passively: none expected). */
function isReply(channel: WebhookChannel): (call: RecordedCall) => boolean {
  switch (channel) {
    case 'telegram':
      return (c) => c.path === `/bot${SECRETS.telegram.botToken}/sendMessage`;
    case 'line':
      return (c) => c.path === '/v2/bot/message/reply' || c.path === '/v2/bot/message/push';
    case 'whatsapp':
      return (c) => c.path === `/v21.0/${SECRETS.whatsapp.phoneNumberId}/messages`;
    case 'wecom':
      return (c) => c.path === '/cgi-bin/kf/send_msg';
    case 'wechat':
      return (c) => c.path === '/cgi-bin/message/custom/send';
  }
}

interface ChannelResult {
  readonly channel: WebhookChannel;
  readonly first: Pass;
  readonly retry: Pass;
  readonly unique: number;
  readonly storedAfterFirst: number;
  readonly storedAfterRetry: number;
  readonly customers: number;
  readonly conversations: number;
  readonly repliesSent: number;
  readonly settleMs: number;
}

function parseArgs(argv: readonly string[]): { messages: number; concurrency: number } {
  const value = (name: string, fallback: number) => {
    const at = argv.indexOf(name);
    const parsed = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive integer`);
    return parsed;
  };
  return { messages: value('--messages', 300), concurrency: value('--concurrency', 16) };
}

const statusText = (statuses: Map<number, number>) => [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export async function runWebhooksBenchmark(argv: readonly string[]): Promise<void> {
  const { messages: n, concurrency } = parseArgs(argv);
  const deadline = setTimeout(() => {
    console.error(`webhook benchmark exceeded ${DEADLINE_MS / 1000} s; aborting`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const t0 = performance.now();

  const apis = Object.fromEntries(CHANNELS.map((c) => [c, new FakeChannelApi()])) as Record<WebhookChannel, FakeChannelApi>;
  await Promise.all(CHANNELS.map((c) => apis[c].start()));
  routeSendApis(apis);
  const wecom = new WecomKfFake(apis.wecom);
  console.log('starting the local runtime (child process) with every channel configured…');
  const runtime = await startRuntimeProcess(channelEnv(Object.fromEntries(CHANNELS.map((c) => [c, apis[c].url]))));
  const results: ChannelResult[] = [];
  try {
    // Warm-up (not measured): each channel's path once per question, so that the bot's knowledge index is loaded.
    for (const channel of CHANNELS) {
      const warm = QUESTIONS.map((q, i) => textMessage(channel, senderId(channel, 'warm', i), q, `warm-${channel}-${i}-${Date.now()}`));
      for (const m of warm) if (channel === 'wecom') wecom.queue(m);
      await pass(runtime.url, warm, 2);
    }
    await new Promise((r) => setTimeout(r, 3000));

    for (const channel of CHANNELS) {
      const run = Date.now();
      const messages = Array.from({ length: n }, (_, i) => textMessage(channel, senderId(channel, 'bench', i), QUESTIONS[i % QUESTIONS.length]!, `bench-${channel}-${i}-${run}`));
      for (const m of messages) if (channel === 'wecom') wecom.queue(m);
      const senders = messages.map((m) => m.sender);
      const repliesBefore = apis[channel].calls.filter(isReply(channel)).length;
      console.log(`${channel}: ${n} messages at concurrency ${concurrency}…`);
      const first = await pass(runtime.url, messages, concurrency);
      const afterFirst = await runtime.count(channel, senders);
      console.log(`${channel}: the same ${n} again as the platform's retries…`);
      const retry = await pass(runtime.url, messages, concurrency);
      const afterRetry = await runtime.count(channel, senders);
      // Let the replies of this channel go out before the next channel is measured (WeChat's went out passively).
      const settleStarted = performance.now();
      const expected = channel === 'wechat' ? 0 : n;
      while (apis[channel].calls.filter(isReply(channel)).length - repliesBefore < expected && performance.now() - settleStarted < SETTLE_MS) await new Promise((r) => setTimeout(r, 200));
      results.push({
        channel,
        first,
        retry,
        unique: n,
        storedAfterFirst: afterFirst.customerMessages,
        storedAfterRetry: afterRetry.customerMessages,
        customers: afterRetry.customers,
        conversations: afterRetry.conversations,
        repliesSent: apis[channel].calls.filter(isReply(channel)).length - repliesBefore,
        settleMs: performance.now() - settleStarted,
      });
    }
  } finally {
    await runtime.stop();
    await Promise.all(CHANNELS.map((c) => apis[c].stop()));
  }
  const totalSeconds = (performance.now() - t0) / 1000;

  const notes: Record<WebhookChannel, string> = {
    wechat: 'includes the bot: the webhook waits (up to 4 s) for the passive reply',
    wecom: 'includes the kf/sync_msg pull from the fake',
    telegram: 'acknowledges at once',
    line: 'acknowledges at once',
    whatsapp: 'acknowledges at once',
  };
  const rows = results.map((r) => [
    r.channel,
    String(r.first.ms.length),
    statusText(r.first.statuses),
    fixed(percentile(r.first.ms, 50)),
    fixed(percentile(r.first.ms, 95)),
    fixed(percentile(r.first.ms, 99)),
    fixed(max(r.first.ms)),
    fixed(r.first.ms.length / (r.first.wallMs / 1000)),
    notes[r.channel],
  ]);
  const ackTable = table(['Channel', 'Messages', 'Statuses', 'Ack p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'Acks/s', 'What the ack includes'], rows);
  const retryRows = results.map((r) => [
    r.channel,
    String(r.retry.ms.length),
    statusText(r.retry.statuses),
    fixed(percentile(r.retry.ms, 50)),
    fixed(percentile(r.retry.ms, 95)),
    fixed(percentile(r.retry.ms, 99)),
    fixed(max(r.retry.ms)),
    `${r.storedAfterFirst} / ${r.storedAfterRetry} / ${r.unique}`,
    fixed(r.storedAfterRetry / r.unique, 3),
    `${r.customers} / ${r.conversations}`,
    r.channel === 'wechat' ? 'passive' : `${r.repliesSent} (${fixed(r.settleMs / 1000)} s)`,
  ]);
  const retryTable = table(
    ['Channel', 'Retries', 'Statuses', 'Retry ack p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'Stored after first / after retries / unique', 'Absorption (must be 1.000)', 'Customers / conversations', 'Replies sent to the fake (wait)'],
    retryRows,
  );
  const failures = results.filter((r) => r.storedAfterRetry !== r.unique || r.storedAfterFirst !== r.unique || [...r.first.statuses.keys(), ...r.retry.statuses.keys()].some((s) => s !== 200));
  const cpu = cpus();
  const machine = [
    `- Machine kind \`node\` of this workplace: 2 cores and 24 GiB, shared with other work (the load average below).`,
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length}; memory ${fixed(totalmem() / 1024 ** 3)} GiB; ${osType()} ${release()} (${arch()}); Node.js ${process.version}`,
    `- Load average at start (1/5/15 min): ${loadAtStart.map((l) => fixed(l, 2)).join(' / ')}`,
  ].join('\n');
  const command = `npm run bench -- webhooks${argv.includes('--messages') ? ` --messages ${n}` : ''}${argv.includes('--concurrency') ? ` --concurrency ${concurrency}` : ''}`;
  const section = `## Channel webhooks

Generated by \`${command}\` (test/bench/webhooks.ts) on ${startedAt.toISOString()}; the run took ${fixed(totalSeconds, 0)} s,
the runtime was ready in ${runtime.readyInMs} ms.

${machine}

The local runtime runs in a child process with every channel configured through its \`KEFU_<CHANNEL>_*\` variables
and its send API on a loopback fake in the benchmark's process (WeCom's kf/sync_msg serves the message each callback
announces). Per channel: ${n} valid signed text messages (built from the official samples in test/fixtures/) from
${n} distinct senders, ${concurrency} in flight at a time; a sample is the time from just before the request is sent to the
end of its response. After a short warm-up of every channel. WeChat's acknowledgement **includes the bot**: the webhook
waits (up to 4 s) for the bot's reply to answer passively within WeChat's 5-second rule. WeCom's includes the
kf/sync_msg pull of the announced message from the fake. Telegram, LINE and WhatsApp acknowledge once the message is
stored; their replies leave afterwards through the channel outbox (counted in the last column, with how long the
benchmark waited for them before the next channel).

${ackTable}

The same ${n} deliveries again, as the platforms' retries (same message ids, freshly signed): absorption is the customer
messages stored for those senders after the retries divided by the unique messages.

${retryTable}

${failures.length === 0 ? 'Every delivery was answered 200, and every retry was absorbed (absorption exactly 1.000 on every channel).' : `**Not as expected:** ${failures.map((f) => `${f.channel} (statuses ${statusText(f.first.statuses)} / ${statusText(f.retry.statuses)}, stored ${f.storedAfterFirst} / ${f.storedAfterRetry} of ${f.unique})`).join('; ')}.`}
`;
  console.log(`\n${ackTable}\n\n${retryTable}\n`);
  const docPath = join(ROOT, 'docs', 'BENCHMARKS.md');
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
  const at = doc.indexOf('\n## Channel webhooks\n');
  let updated: string;
  if (at < 0) updated = `${doc.trimEnd()}\n\n${section}`;
  else {
    const after = doc.indexOf('\n## ', at + 1);
    updated = `${doc.slice(0, at)}\n${section}${after < 0 ? '' : doc.slice(after)}`;
  }
  writeFileSync(docPath, updated);
  console.log(`wrote the section "Channel webhooks" of docs/BENCHMARKS.md (${fixed(totalSeconds, 0)} s)`);
  if (failures.length > 0) throw new Error(`webhook benchmark: not as expected on ${failures.map((f) => f.channel).join(', ')}`);
}

if (process.argv.includes('--webhooks-runtime')) await serveRuntime();
