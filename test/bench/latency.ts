/**
 * Message → bot reply latency against the local runtime: from just before the customer's POST to the arrival of the
 * bot's reply on the conversation's WebSocket. Conversations run in parallel; each sends its messages one after another.
 */
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import WebSocket from 'ws';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { tableSpec } from '../../shared/manifest/manifest.ts';

/** Questions of the seeded demo knowledge base (infra/local/seed.ts), Chinese and English, in rotation. */
export const QUESTIONS: readonly string[] = [
  '我的包裹到哪了',
  'where is my parcel',
  '怎么退货',
  '退款多久到账',
  'how do i get an invoice',
  '支持哪些支付方式',
  'how long does delivery take',
  '忘记密码',
];

const REPLY_TIMEOUT_MS = 10_000;

/** What the benchmark needs of the runtime running in the child process. */
interface LocalRuntime {
  readonly url: string;
  readonly webSocketUrl: string;
  readonly dynamoDbEndpoint: string;
  readonly tables: Record<string, string>;
  readonly readyInMs: number;
  stop(): Promise<void>;
}

/** Starts the runtime in a child process (its own event loop and core), as `npm start` runs beside its clients. */
async function startRuntimeProcess(): Promise<LocalRuntime> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'runtime-process.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the runtime process exited with ${code}`)));
  });
  child.stdout!.resume();
  const info = JSON.parse(line) as Omit<LocalRuntime, 'stop'>;
  return {
    ...info,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LevelPlan {
  readonly concurrency: number;
  readonly messages: number;
}

export interface LevelResult extends LevelPlan {
  /** One latency (ms) per bot reply received. */
  readonly samples: number[];
  /** The part of each sample until the POST's 202 (the webchat function storing the message). */
  readonly acks: number[];
  /** Replies that came from a knowledge entry (the others were fallbacks). */
  readonly answered: number;
  readonly wallMs: number;
}

export interface LatencyResult {
  readonly readyInMs: number;
  readonly warmupMessages: number;
  /** Round trips (ms) of single GetItem calls to the runtime's DynamoDB Local: the floor under every store access. */
  readonly dynamoDbRoundTrips: { readonly getItem: number[]; readonly transactWrite: number[] };
  readonly levels: LevelResult[];
}

interface BotEvent {
  readonly text: string;
  readonly entryId?: string;
}

/** One customer: an open conversation and its live socket; `ask` sends a message and waits for the bot's reply. */
class Customer {
  private waiting: { ok: (event: BotEvent) => void; fail: (error: Error) => void } | undefined;
  private sent = 0;
  /** Bot or system messages that arrived while no message was waiting for a reply (there should be none). */
  stray = 0;

  private constructor(
    private readonly runtime: LocalRuntime,
    private readonly conversation: { conversationId: string; token: string },
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { type?: string; message?: { role?: string; text?: string; entryId?: string } };
      if (event.type !== 'message' || (event.message?.role !== 'bot' && event.message?.role !== 'system')) return;
      const waiter = this.waiting;
      this.waiting = undefined;
      const text = event.message.text ?? '';
      if (!waiter) {
        this.stray++;
        return;
      }
      // A system message means the bot handed the conversation to a human: the benchmark's questions must not do that.
      if (event.message.role === 'system') waiter.fail(new Error(`conversation ${conversation.conversationId} was handed off: ${text}`));
      else waiter.ok({ text, ...(event.message.entryId ? { entryId: event.message.entryId } : {}) });
    });
  }

  static async open(runtime: LocalRuntime): Promise<Customer> {
    const res = await fetch(`${runtime.url}/v1/webchat/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (res.status !== 201) throw new Error(`open conversation: ${res.status} ${await res.text()}`);
    const conversation = (await res.json()) as { conversationId: string; token: string };
    const ws = new WebSocket(`${runtime.webSocketUrl}?token=${conversation.token}`);
    await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
    return new Customer(runtime, conversation, ws);
  }

  /** Sends one message; resolves with the milliseconds until the bot's reply arrived on the socket. */
  async ask(text: string): Promise<{ ms: number; ackMs: number; reply: BotEvent }> {
    if (this.waiting) throw new Error('one message at a time per conversation');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<BotEvent>((ok, fail) => {
      this.waiting = { ok, fail };
      timer = setTimeout(() => fail(new Error(`no bot reply within ${REPLY_TIMEOUT_MS} ms to "${text}"`)), REPLY_TIMEOUT_MS);
    });
    const started = performance.now();
    const res = await fetch(`${this.runtime.url}/v1/webchat/conversations/${this.conversation.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.conversation.token}` },
      body: JSON.stringify({ clientMessageId: `bench-${this.sent++}`, text }),
    });
    await res.text();
    const ackMs = performance.now() - started;
    if (res.status !== 202) throw new Error(`post message: ${res.status}`);
    try {
      const event = await reply;
      return { ms: performance.now() - started, ackMs, reply: event };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.ws.close();
  }
}

async function runLevel(runtime: LocalRuntime, plan: LevelPlan): Promise<LevelResult> {
  const customers = await Promise.all(Array.from({ length: plan.concurrency }, () => Customer.open(runtime)));
  const samples: number[] = [];
  const acks: number[] = [];
  let answered = 0;
  let next = 0;
  const started = performance.now();
  // Each conversation takes the next message number until the level's fixed count is used up, and walks through the
  // questions in turn from its own starting point: asking the question just answered again would be a loop, which the
  // reply policy hands to a human.
  await Promise.all(
    customers.map(async (customer, c) => {
      let asked = 0;
      for (let n = next++; n < plan.messages; n = next++) {
        const { ms, ackMs, reply } = await customer.ask(QUESTIONS[(c + asked++) % QUESTIONS.length]!);
        samples.push(ms);
        acks.push(ackMs);
        if (reply.entryId) answered++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  // Let replies still in flight land before counting strays.
  await new Promise((r) => setTimeout(r, 200));
  for (const customer of customers) customer.close();
  const stray = customers.reduce((sum, c) => sum + c.stray, 0);
  if (stray > 0) throw new Error(`${stray} bot messages arrived that answered no pending message`);
  return { ...plan, samples, acks, answered, wallMs };
}

/** Round trips of a single GetItem and of a two-item TransactWriteItems (the shape of an append), one after another. */
async function dynamoDbRoundTrips(runtime: LocalRuntime, count: number): Promise<{ getItem: number[]; transactWrite: number[] }> {
  const client = new DynamoDBClient({ endpoint: runtime.dynamoDbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const spec = tableSpec('idempotency');
  const table = runtime.tables[spec.id];
  if (!table) throw new Error('the runtime has no idempotency table');
  const getItem: number[] = [];
  const transactWrite: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      let started = performance.now();
      await client.send(new GetItemCommand({ TableName: table, Key: { [spec.partitionKey]: { S: 'bench-no-such-item' } } }));
      getItem.push(performance.now() - started);
      started = performance.now();
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [0, 1].map((n) => ({ Put: { TableName: table, Item: { [spec.partitionKey]: { S: `bench-${i}-${n}` }, expiresAt: { N: '1' } } } })),
        }),
      );
      transactWrite.push(performance.now() - started);
    }
  } finally {
    client.destroy();
  }
  return { getItem, transactWrite };
}

export async function measureLatency(levels: readonly LevelPlan[], warmupMessages: number): Promise<LatencyResult> {
  const runtime = await startRuntimeProcess();
  try {
    await runLevel(runtime, { concurrency: 4, messages: warmupMessages });
    const roundTrips = await dynamoDbRoundTrips(runtime, 50);
    const results: LevelResult[] = [];
    for (const level of levels) results.push(await runLevel(runtime, level));
    return { readyInMs: runtime.readyInMs, warmupMessages, dynamoDbRoundTrips: roundTrips, levels: results };
  } finally {
    await runtime.stop();
  }
}
