/**
 * `npm run bench -- cost [--conversations N] [--concurrency C]`: what N conversations cost, measured through the local
 * runtime and read back from the finance API (the cost ledger), not computed here from usage.
 *
 * The runtime runs in a child process (its own event loop, as `npm start` beside its clients: the load generator's
 * work is not billed to the functions' durations). Customers use the web chat API and a WebSocket each; three agents
 * listen for offers on the agent WebSocket and accept, reply, create tickets and resolve through the agent API.
 * The mix: 65 % bot-resolved (1–3 questions from the seeded knowledge base, or the order-status flow), 25 % handed
 * off (a question, then 转人工; accepted, two agent replies, resolved, rated), 10 % ticketed (handed off, accepted,
 * a ticket made from the chat, resolved). Afterwards the ledger is flushed and polled until it settles; the figures
 * are the difference between two finance reports, one taken just before the conversations and one after.
 * Also: a Bedrock what-if priced with the price table, and the idle monthly cost of the synthesized templates.
 * Prints a summary and writes docs/COSTS.md (overwritten).
 */
import WebSocket from 'ws';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { costOf, humanCost } from '../../shared/domain/costs/formulas.ts';
import { resolvePrices, type PriceKey } from '../../shared/domain/costs/prices.ts';
import { QUESTIONS } from './latency.ts';
import { fixed } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MARK = 'KEFU-COST-BENCH ';
const AGENTS = ['agent-li', 'agent-wang', 'agent-chen'] as const;
const AGENT_CAPACITY = 10;
const REPLY_TIMEOUT_MS = 20_000;
const OFFER_TIMEOUT_MS = 60_000;
const DEADLINE_MS = 30 * 60_000;
const SETTLE_TIMEOUT_MS = 15 * 60_000;
/** What-if assumptions, stated in the output. */
const BEDROCK_TOKENS = { input: 1_500, output: 120 } as const;
const BEDROCK_MODELS = ['amazon.nova-micro-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0'] as const;
const REALISTIC_HANDLE_MINUTES = 8;
const MIX = { bot: 0.65, handoff: 0.25, ticket: 0.1 } as const;
const FLOW_SHARE_OF_BOT = 1 / 6;
const ANCHORS = {
  intercomFinPerResolution: 0.99,
  zendeskPerAutomatedResolution: [1.5, 2.0] as const,
  connectChatPerMessage: [0.004, 0.01] as const,
  qnaBotIdleMonthly: 1547,
};
/** Fixed monthly price per resource type of the synthesized templates, from the price table. */
const FIXED_COST_TYPES: readonly { type: string; key: PriceKey; label: string }[] = [
  { type: 'AWS::CloudWatch::Alarm', key: 'cloudwatch.alarms', label: 'CloudWatch alarms' },
  { type: 'AWS::SecretsManager::Secret', key: 'secretsmanager.secrets', label: 'Secrets Manager secrets' },
  { type: 'AWS::KMS::Key', key: 'kms.keys', label: 'KMS customer managed keys' },
];
/** Types with a fixed monthly price that the price table does not carry: named in the output if present. */
const UNPRICED_FIXED_TYPES = ['AWS::CloudWatch::CompositeAlarm', 'AWS::CloudWatch::Dashboard', 'AWS::WAFv2::WebACL', 'AWS::EC2::NatGateway', 'AWS::RDS::DBInstance', 'AWS::ElastiCache::CacheCluster', 'AWS::EC2::Instance', 'AWS::ElasticLoadBalancingV2::LoadBalancer'];

type Kind = 'bot' | 'handoff' | 'ticket';

// ================================================================ the runtime, in a child process

/** Child mode: start the runtime, make the three agents online with room, answer `flush` on stdin. */
async function serveRuntime(): Promise<void> {
  const { startLocalRuntime } = await import('../../infra/local/runtime.ts');
  const runtime = await startLocalRuntime({ port: 0, seed: true });
  const { routingStore } = await import('../../shared/adapters/wiring/storage.ts');
  for (const id of AGENTS) {
    const agent = (await routingStore().getAgent(id))!;
    await routingStore().putAgent({ ...agent, capacity: AGENT_CAPACITY, load: 0, presence: 'online' });
  }
  const tokens: Record<string, string> = {};
  for (const id of [...AGENTS, 'finance-zhou']) tokens[id] = await runtime.tokenFor(id);
  const say = (value: unknown) => process.stdout.write(`${MARK}${JSON.stringify(value)}\n`);
  say({ url: runtime.url, webSocketUrl: runtime.webSocketUrl, readyInMs: runtime.readyInMs, tokens });
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'flush') void runtime.flushCosts().then(() => say({ flushed: true }));
  });
  process.once('SIGTERM', () => void runtime.stop().then(() => process.exit(0)));
}

interface RuntimeHandle {
  readonly url: string;
  readonly webSocketUrl: string;
  readonly readyInMs: number;
  readonly tokens: Record<string, string>;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

async function startRuntimeProcess(): Promise<RuntimeHandle> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--cost-runtime'], { stdio: ['pipe', 'pipe', 'inherit'], cwd: ROOT });
  const waiting: ((value: Record<string, unknown>) => void)[] = [];
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const at = line.indexOf(MARK);
    if (at < 0) return; // a function's log line
    waiting.shift()?.(JSON.parse(line.slice(at + MARK.length)) as Record<string, unknown>);
  });
  const next = () => new Promise<Record<string, unknown>>((ok) => waiting.push(ok));
  const info = await Promise.race([next(), new Promise<never>((_, fail) => child.once('exit', (code) => fail(new Error(`the runtime process exited with ${code}`))))]);
  return {
    ...(info as Omit<RuntimeHandle, 'flush' | 'stop'>),
    flush: async () => {
      const done = next();
      child.stdin!.write('flush\n');
      await done;
    },
    stop: () =>
      new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

// ================================================================ HTTP and WebSocket clients

async function request(runtime: RuntimeHandle, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.headers ?? {}) },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

async function expectStatus(what: string, call: Promise<{ status: number; body: any }>, ...ok: number[]): Promise<any> {
  const res = await call;
  if (!ok.includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

interface ChatMessage {
  readonly role: string;
  readonly text: string;
  readonly entryId?: string;
}

/** A customer: the conversation, its WebSocket, and every message pushed to it. */
class Customer {
  readonly messages: ChatMessage[] = [];
  private waiter: { from: number; roles: readonly string[]; ok: (m: ChatMessage) => void } | undefined;
  private sent = 0;

  private constructor(
    private readonly runtime: RuntimeHandle,
    readonly conversationId: string,
    readonly token: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { type?: string; message?: ChatMessage };
      if (event.type !== 'message' || !event.message) return;
      this.messages.push(event.message);
      this.check();
    });
  }

  static async open(runtime: RuntimeHandle): Promise<Customer> {
    const opened = await expectStatus('open conversation', request(runtime, 'POST', '/v1/webchat/conversations', { body: {} }), 201);
    const ws = new WebSocket(`${runtime.webSocketUrl}?token=${opened.token}`);
    await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
    return new Customer(runtime, opened.conversationId, opened.token, ws);
  }

  private check(): void {
    const w = this.waiter;
    if (!w) return;
    const found = this.messages.slice(w.from).find((m) => w.roles.includes(m.role));
    if (found) {
      this.waiter = undefined;
      w.ok(found);
    }
  }

  /** Sends a message; resolves with the next bot or system message pushed after it. */
  async say(text: string): Promise<ChatMessage> {
    const from = this.messages.length;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<ChatMessage>((ok, fail) => {
      this.waiter = { from, roles: ['bot', 'system'], ok };
      timer = setTimeout(() => fail(new Error(`no reply within ${REPLY_TIMEOUT_MS} ms to "${text}" in ${this.conversationId}`)), REPLY_TIMEOUT_MS);
    });
    await expectStatus('post message', request(this.runtime, 'POST', `/v1/webchat/conversations/${this.conversationId}/messages`, { token: this.token, body: { clientMessageId: `cost-${this.sent++}`, text } }), 202);
    this.check();
    try {
      return await reply;
    } finally {
      clearTimeout(timer);
      this.waiter = undefined;
    }
  }

  rate(score: number) {
    return expectStatus('rate', request(this.runtime, 'POST', `/v1/webchat/conversations/${this.conversationId}/rating`, { token: this.token, body: { score } }), 200);
  }

  async close(): Promise<void> {
    await new Promise<void>((ok) => {
      this.ws.once('close', () => ok());
      this.ws.close();
    });
  }
}

/** The agent floor: one WebSocket per agent; offers are handed to whoever waits for that conversation. */
class Floor {
  private readonly offers = new Map<string, string>();
  private readonly waiters = new Map<string, (agentId: string) => void>();
  private readonly sockets: WebSocket[] = [];

  async open(runtime: RuntimeHandle): Promise<void> {
    for (const id of AGENTS) {
      const ws = new WebSocket(`${runtime.webSocketUrl}?token=${runtime.tokens[id]}`);
      await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
      ws.on('message', (data) => {
        const event = JSON.parse(data.toString()) as { type?: string; conversationId?: string; agentId?: string };
        if (event.type !== 'offer' || !event.conversationId || !event.agentId) return;
        const waiter = this.waiters.get(event.conversationId);
        if (waiter) {
          this.waiters.delete(event.conversationId);
          waiter(event.agentId);
        } else this.offers.set(event.conversationId, event.agentId);
      });
      this.sockets.push(ws);
    }
  }

  async offerOf(conversationId: string): Promise<string> {
    const early = this.offers.get(conversationId);
    if (early) {
      this.offers.delete(conversationId);
      return early;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await new Promise<string>((ok, fail) => {
        this.waiters.set(conversationId, ok);
        timer = setTimeout(() => (this.waiters.delete(conversationId), fail(new Error(`no offer of ${conversationId} within ${OFFER_TIMEOUT_MS} ms`))), OFFER_TIMEOUT_MS);
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.sockets.map((ws) => new Promise<void>((ok) => (ws.once('close', () => ok()), ws.close()))));
  }
}

// ================================================================ the conversations

/** A small deterministic generator, so that every run has the same mix in the same order. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Plan {
  readonly kind: Kind;
  /** Customer messages in order (for bot: the questions or a flow; for handoff and ticket: a question, then 转人工). */
  readonly script: readonly string[];
  readonly flow: boolean;
}

function plans(n: number): Plan[] {
  const random = prng(20261101);
  const tickets = Math.round(n * MIX.ticket);
  const handoffs = Math.round(n * MIX.handoff);
  const kinds: Kind[] = [...Array<Kind>(n - tickets - handoffs).fill('bot'), ...Array<Kind>(handoffs).fill('handoff'), ...Array<Kind>(tickets).fill('ticket')];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds.map((kind) => {
    const start = Math.floor(random() * QUESTIONS.length);
    if (kind !== 'bot') return { kind, script: [QUESTIONS[start]!, '转人工'], flow: false };
    if (random() < FLOW_SHARE_OF_BOT) return { kind, script: ['帮我查一下我的订单', `KF2024000${1 + Math.floor(random() * 8)}`], flow: true };
    const count = 1 + Math.floor(random() * 3);
    // Distinct questions in turn: the same question right after its answer is a loop, which the policy hands over.
    return { kind, script: Array.from({ length: count }, (_, i) => QUESTIONS[(start + i) % QUESTIONS.length]!), flow: false };
  });
}

interface Done {
  readonly kind: Kind;
  readonly conversationId: string;
  readonly customerMessages: number;
  readonly botReplies: number;
  readonly kbAnswers: number;
  readonly systemMessages: number;
  readonly agentMessages: number;
  readonly handedOff: boolean;
  readonly flow: boolean;
  readonly ms: number;
}

async function runConversation(runtime: RuntimeHandle, floor: Floor, plan: Plan, index: number): Promise<Done> {
  const started = performance.now();
  const customer = await Customer.open(runtime);
  let customerMessages = 0;
  let agentMessages = 0;
  let handedOff = false;
  try {
    for (const text of plan.script) {
      const reply = await customer.say(text);
      customerMessages++;
      if (reply.role === 'system') {
        handedOff = true;
        break;
      }
    }
    if (plan.kind === 'bot' && handedOff) throw new Error(`bot conversation ${customer.conversationId} was handed off: ${plan.script.join(' / ')}`);
    if (plan.kind !== 'bot') {
      if (!handedOff) throw new Error(`转人工 did not hand off ${customer.conversationId}`);
      const agentId = await floor.offerOf(customer.conversationId);
      const token = runtime.tokens[agentId];
      if (!token) throw new Error(`offer to an agent without a token: ${agentId}`);
      const path = `/v1/agent/conversations/${customer.conversationId}`;
      await expectStatus('accept', request(runtime, 'POST', `${path}/accept`, { token, body: {} }), 200);
      await expectStatus('agent reply', request(runtime, 'POST', `${path}/messages`, { token, body: { text: '您好，我是客服，我来帮您处理。' } }), 201);
      agentMessages++;
      if (plan.kind === 'ticket') {
        await expectStatus('ticket from chat', request(runtime, 'POST', `${path}/ticket`, { token, body: { type: 'after-sales', priority: 'normal' }, headers: { 'idempotency-key': `cost-ticket-${index}` } }), 201);
      }
      await expectStatus('agent reply', request(runtime, 'POST', `${path}/messages`, { token, body: { text: plan.kind === 'ticket' ? '已为您创建工单，我们会尽快跟进。' : '已经处理好了，还有别的问题吗？' } }), 201);
      agentMessages++;
      await expectStatus('resolve', request(runtime, 'POST', `${path}/resolve`, { token, body: {} }), 200);
      if (plan.kind === 'handoff') await customer.rate(index % 4 === 0 ? 4 : 5);
    }
  } finally {
    await customer.close();
  }
  const botReplies = customer.messages.filter((m) => m.role === 'bot');
  return {
    kind: plan.kind,
    conversationId: customer.conversationId,
    customerMessages,
    botReplies: botReplies.length,
    kbAnswers: botReplies.filter((m) => m.entryId).length,
    systemMessages: customer.messages.filter((m) => m.role === 'system').length,
    agentMessages,
    handedOff,
    flow: plan.flow,
    ms: performance.now() - started,
  };
}

// ================================================================ the finance API

interface Report {
  totals: { infrastructure: number; invocations: number; human: number; all: number };
  rows: { key: string; amount: number; invocations: number }[];
  byService: { service: string; amount: number }[];
  conversations: { engaged: number; contained: number; handedOff: number };
  perConversation: {
    bot: { conversations: number; infrastructure: number };
    human: { conversations: number; infrastructure: number; human: number; handledHours: number };
  };
  humanRate: { hourly: number; byGroup: Record<string, number> };
  priceVersion: string;
  currency: { code: string; perUsd: number };
}

interface Snapshot {
  readonly capability: Report;
  readonly function: Report;
  readonly channel: Report;
}

const dayUtc = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function financeReport(runtime: RuntimeHandle, by: string): Promise<Report> {
  // A window around today that covers the report time zone's day whatever it is.
  return expectStatus(`finance report by ${by}`, request(runtime, 'GET', `/v1/finance/costs?from=${dayUtc(-1)}&to=${dayUtc(1)}&by=${by}`, { token: runtime.tokens['finance-zhou'] }), 200);
}

async function snapshot(runtime: RuntimeHandle): Promise<Snapshot> {
  return { capability: await financeReport(runtime, 'capability'), function: await financeReport(runtime, 'function'), channel: await financeReport(runtime, 'channel') };
}

/** What moved in the ledger apart from the reads of the finance report itself and the ledger's own work on them. */
function settleKey(report: Report): string {
  const rows = report.rows.filter((r) => r.key !== 'finance' && r.key !== 'cost-ledger').map((r) => `${r.key}:${r.invocations}:${r.amount.toFixed(12)}`);
  return `${rows.sort().join('|')}#${report.conversations.engaged}/${report.conversations.handedOff}#${report.totals.human.toFixed(9)}`;
}

/** Flushes the meter's batch, then polls the finance API until two readings a second apart agree. */
async function settle(runtime: RuntimeHandle): Promise<{ polls: number; ms: number }> {
  const started = performance.now();
  let previous = '';
  let same = 0;
  for (let polls = 1; ; polls++) {
    await runtime.flush();
    const report = await financeReport(runtime, 'function');
    const key = settleKey(report);
    same = key === previous ? same + 1 : 0;
    previous = key;
    if (same >= 2) return { polls, ms: performance.now() - started };
    // The local ledger takes one batch of ≤ 500 records at a time: after a long run it drains a backlog for minutes.
    if (polls % 15 === 0) console.log(`  ledger still moving after ${fixed((performance.now() - started) / 1000, 0)} s: ${report.totals.invocations} invocations priced`);
    if (performance.now() - started > SETTLE_TIMEOUT_MS) throw new Error(`the cost ledger did not settle within ${SETTLE_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

type Rows = Map<string, { amount: number; invocations: number }>;
function rowsDelta(after: Report, before: Report): Rows {
  const out: Rows = new Map();
  for (const r of after.rows) out.set(r.key, { amount: r.amount, invocations: r.invocations });
  for (const r of before.rows) {
    const a = out.get(r.key) ?? { amount: 0, invocations: 0 };
    out.set(r.key, { amount: a.amount - r.amount, invocations: a.invocations - r.invocations });
  }
  for (const [k, v] of out) if (v.invocations === 0 && Math.abs(v.amount) < 1e-15) out.delete(k);
  return new Map([...out.entries()].sort((a, b) => b[1].amount - a[1].amount));
}
function serviceDelta(after: Report, before: Report): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of after.byService) out.set(s.service, s.amount);
  for (const s of before.byService) out.set(s.service, (out.get(s.service) ?? 0) - s.amount);
  return new Map([...out.entries()].filter(([, v]) => Math.abs(v) > 1e-15).sort((a, b) => b[1] - a[1]));
}

// ================================================================ idle cost from the templates

interface IdleCost {
  readonly stacks: string[];
  readonly lines: { label: string; type: string; count: number; unitMonthly: number; monthly: number }[];
  readonly monthly: number;
  readonly unpricedFixed: { type: string; count: number }[];
  readonly perRequestTypes: { type: string; count: number }[];
}

export async function idleCost(prices: ReturnType<typeof resolvePrices>): Promise<IdleCost> {
  const { synthesize } = await import('../../infra/synth.ts');
  const synthesized = await synthesize({ bundling: false });
  try {
    const counts = new Map<string, number>();
    const stacks: string[] = [];
    for (const stack of synthesized.assembly.stacks) {
      stacks.push(stack.stackName);
      const template = stack.template as { Resources?: Record<string, { Type: string }> };
      for (const r of Object.values(template.Resources ?? {})) counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
    }
    const lines = FIXED_COST_TYPES.map(({ type, key, label }) => {
      const price = prices.items[key];
      const unitMonthly = price.amount / price.per;
      const count = counts.get(type) ?? 0;
      return { label, type, count, unitMonthly, monthly: count * unitMonthly };
    });
    const fixedTypes = new Set([...FIXED_COST_TYPES.map((f) => f.type), ...UNPRICED_FIXED_TYPES]);
    return {
      stacks,
      lines,
      monthly: lines.reduce((s, l) => s + l.monthly, 0),
      unpricedFixed: UNPRICED_FIXED_TYPES.filter((t) => counts.has(t)).map((type) => ({ type, count: counts.get(type)! })),
      perRequestTypes: [...counts.entries()].filter(([t]) => !fixedTypes.has(t)).map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count),
    };
  } finally {
    rmSync(synthesized.assembly.directory, { recursive: true, force: true });
  }
}

// ================================================================ the measurement

export interface CostResult {
  readonly n: number;
  readonly concurrency: number;
  readonly readyInMs: number;
  readonly wallMs: number;
  readonly settle: { polls: number; ms: number };
  readonly done: Done[];
  readonly failures: { kind: Kind; error: string }[];
  readonly before: Snapshot;
  readonly after: Snapshot;
  readonly samples: Record<Kind, { count: number; infrastructure: number; human: number; invocations: number }>;
}

export async function measureCost(options: { conversations: number; concurrency: number }): Promise<CostResult> {
  const n = options.conversations;
  const runtime = await startRuntimeProcess();
  const floor = new Floor();
  try {
    await floor.open(runtime);
    for (const id of AGENTS) await expectStatus('presence', request(runtime, 'PUT', '/v1/agent/presence', { token: runtime.tokens[id], body: { presence: 'online' } }), 200);
    await settle(runtime);
    const before = await snapshot(runtime);

    const work = plans(n);
    const done: Done[] = [];
    const failures: { kind: Kind; error: string }[] = [];
    let next = 0;
    const started = performance.now();
    let lastReport = started;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let i = next++; i < work.length; i = next++) {
          try {
            done.push(await runConversation(runtime, floor, work[i]!, i));
          } catch (error) {
            failures.push({ kind: work[i]!.kind, error: (error as Error).message });
            if (failures.length > Math.max(10, n * 0.05)) throw new Error(`too many failed conversations; the last: ${(error as Error).message}`);
          }
          if (performance.now() - lastReport > 15_000) {
            lastReport = performance.now();
            console.log(`  ${done.length + failures.length}/${n} conversations (${fixed((lastReport - started) / 1000, 0)} s)`);
          }
        }
      }),
    );
    const wallMs = performance.now() - started;
    console.log(`  ${done.length}/${n} conversations in ${fixed(wallMs / 1000, 0)} s; settling the ledger…`);
    // Let the last workflows, pushes and disconnects finish before settling.
    await new Promise((r) => setTimeout(r, 1500));
    const settled = await settle(runtime);
    const after = await snapshot(runtime);

    // Per conversation, from the ledger's own lines (GET /v1/finance/conversations/{id}/costs), a sample of each kind.
    const samples = {} as CostResult['samples'];
    for (const kind of ['bot', 'handoff', 'ticket'] as const) {
      const ids = done.filter((d) => d.kind === kind).slice(0, 25).map((d) => d.conversationId);
      let infrastructure = 0;
      let human = 0;
      let invocations = 0;
      for (const id of ids) {
        const c = await expectStatus('conversation costs', request(runtime, 'GET', `/v1/finance/conversations/${id}/costs`, { token: runtime.tokens['finance-zhou'] }), 200);
        infrastructure += c.infrastructure;
        human += c.human?.amount ?? 0;
        invocations += c.invocations.length;
      }
      samples[kind] = { count: ids.length, infrastructure: ids.length ? infrastructure / ids.length : 0, human: ids.length ? human / ids.length : 0, invocations: ids.length ? invocations / ids.length : 0 };
    }
    return { n, concurrency: options.concurrency, readyInMs: runtime.readyInMs, wallMs, settle: settled, done, failures, before, after, samples };
  } finally {
    await floor.close().catch(() => undefined);
    await runtime.stop();
  }
}

// ================================================================ formatting

/** Dollars with enough decimals to show 3–4 significant digits of small amounts. */
function usd(value: number): string {
  if (value === 0) return '$0';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 2 : abs >= 1 ? 2 : Math.min(10, Math.max(2, 3 - Math.floor(Math.log10(abs))));
  return `${value < 0 ? '-' : ''}$${abs.toFixed(digits)}`;
}
const pct = (part: number, whole: number) => (whole > 0 ? `${fixed((100 * part) / whole)} %` : '–');
const ratio = (a: number, b: number) => (b > 0 ? `${a / b >= 0.01 ? fixed(a / b, 3) : (a / b).toExponential(2)}` : '–');
const times = (a: number, b: number) => (a > 0 ? `${fixed(b / a, 0)}× cheaper` : '–');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function parseArgs(argv: readonly string[]): { conversations: number; concurrency: number } {
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} needs a positive integer`);
    return v;
  };
  return { conversations: value('--conversations', 1000), concurrency: value('--concurrency', 8) };
}

/** The CLI: `npm run bench -- cost [--conversations N] [--concurrency C]`. */
export async function runCostBenchmark(argv: readonly string[]): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`cost benchmark exceeded ${DEADLINE_MS / 60_000} min; aborting`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  const options = parseArgs(argv);
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const t0 = performance.now();
  const command = `npm run bench -- cost${argv.includes('--conversations') ? ` --conversations ${options.conversations}` : ''}${argv.includes('--concurrency') ? ` --concurrency ${options.concurrency}` : ''}`;

  const prices = resolvePrices({ region: 'us-east-1', at: startedAt.toISOString() });
  console.log('synthesizing the CDK app for the idle cost…');
  const idle = await idleCost(prices);
  console.log(`starting the local runtime and running ${options.conversations} conversations at concurrency ${options.concurrency}…`);
  const r = await measureCost(options);
  const totalSeconds = (performance.now() - t0) / 1000;

  // ---------------------------------------------------------------- figures, all from the finance API
  const { before, after } = r;
  const byFunction = rowsDelta(after.function, before.function);
  const byCapability = rowsDelta(after.capability, before.capability);
  const byChannel = rowsDelta(after.channel, before.channel);
  const services = serviceDelta(after.function, before.function);
  const financeReads = byFunction.get('finance') ?? { amount: 0, invocations: 0 };
  const infraRaw = after.function.totals.infrastructure - before.function.totals.infrastructure;
  const invocationsRaw = after.function.totals.invocations - before.function.totals.invocations;
  // The benchmark's own reads of the finance report (settling) are not conversation cost: taken out of the total.
  const infra = infraRaw - financeReads.amount;
  const invocations = invocationsRaw - financeReads.invocations;
  const n = r.done.length;
  const per1000 = (infra * 1000) / n;
  const metering = byCapability.get('metering') ?? { amount: 0, invocations: 0 };
  const humanNow = after.function.perConversation.human;
  const humanBefore = before.function.perConversation.human;
  const botNow = after.function.perConversation.bot;
  const botBefore = before.function.perConversation.bot;
  const contained = botNow.conversations - botBefore.conversations;
  const handedOffCount = humanNow.conversations - humanBefore.conversations;
  const engaged = after.function.conversations.engaged - before.function.conversations.engaged;
  const botInfra = botNow.infrastructure - botBefore.infrastructure;
  const humanInfra = humanNow.infrastructure - humanBefore.infrastructure;
  const humanAmount = humanNow.human - humanBefore.human;
  const handledHours = humanNow.handledHours - humanBefore.handledHours;
  const perBot = contained > 0 ? botInfra / contained : 0;
  const perHumanInfra = handedOffCount > 0 ? humanInfra / handedOffCount : 0;
  const perHumanWithHuman = handedOffCount > 0 ? (humanInfra + humanAmount) / handedOffCount : 0;
  const unattributed = infra - botInfra - humanInfra;
  const rate = after.function.humanRate.hourly;
  const currency = after.function.currency.code;
  const realisticHuman = humanCost({ handledSeconds: REALISTIC_HANDLE_MINUTES * 60, hourlyRate: rate, currency });

  // Counts from the run.
  const count = (kind: Kind) => r.done.filter((d) => d.kind === kind).length;
  const sum = (f: (d: Done) => number, list = r.done) => list.reduce((s, d) => s + f(d), 0);
  const customerMessages = sum((d) => d.customerMessages);
  const botReplies = sum((d) => d.botReplies);
  const kbAnswers = sum((d) => d.kbAnswers);
  const systemMessages = sum((d) => d.systemMessages);
  const agentMessages = sum((d) => d.agentMessages);
  const bots = r.done.filter((d) => d.kind === 'bot');
  const messagesPerBotConversation = bots.length ? sum((d) => d.customerMessages + d.botReplies, bots) / bots.length : 0;
  const botAnswerInvocations = byFunction.get('bot-answer')?.invocations ?? 0;
  const flowConversations = r.done.filter((d) => d.flow).length;

  // Bedrock what-if, priced by the price table.
  const bedrock = BEDROCK_MODELS.map((modelId) => {
    const one = costOf({ bedrock: [{ modelId, inputTokens: BEDROCK_TOKENS.input, outputTokens: BEDROCK_TOKENS.output }] }, prices);
    const all = costOf({ bedrock: [{ modelId, inputTokens: BEDROCK_TOKENS.input * kbAnswers, outputTokens: BEDROCK_TOKENS.output * kbAnswers }] }, prices);
    const botAnswersInBot = sum((d) => d.kbAnswers, bots);
    const perBotConversation = bots.length ? (one.amount * botAnswersInBot) / bots.length : 0;
    return { modelId, perAnswer: one.amount, total: all.amount, per1000: (all.amount * 1000) / n, perBotConversation, botResolution: perBot + perBotConversation, formula: all.lines.map((l) => l.formula).join(' + ') };
  });

  // ---------------------------------------------------------------- output
  const mixText = `${count('bot')} bot-resolved (${pct(count('bot'), n)}; 1–3 knowledge-base questions from ${QUESTIONS.length} in rotation, or the order-status flow in ${fixed(FLOW_SHARE_OF_BOT * 100, 0)} % of them), ${count('handoff')} handed off (${pct(count('handoff'), n)}; a question, then 转人工, accepted, two agent replies, resolved, rated), ${count('ticket')} ticketed (${pct(count('ticket'), n)}; a question, 转人工, accepted, agent reply, ticket from the chat, agent reply, resolved)`;
  const summaryRows: string[][] = [
    ['Conversations completed', `${n} of ${r.n} (${r.failures.length} failed)`],
    ['Conversations the finance API counts (engaged / contained / handed off)', `${engaged} / ${contained} / ${handedOffCount}`],
    ['Infrastructure, all conversations', usd(infra)],
    ['**Infrastructure per 1,000 conversations**', `**${usd(per1000)}**`],
    ['Infrastructure per conversation (all-in, incl. unattributed)', usd(infra / n)],
    ['Per bot-resolved conversation (ledger path "bot")', `${usd(perBot)} (${contained} contained)`],
    ['Per human-handled conversation, infrastructure (path "human")', `${usd(perHumanInfra)} (${handedOffCount} handed off)`],
    [`Per human-handled conversation, + measured handling time at ${usd(rate)}/h`, `${usd(perHumanWithHuman)} (${fixed(handledHours * 3600 / Math.max(1, handedOffCount), 1)} s handled on average)`],
    [`Per human-handled conversation, + ${REALISTIC_HANDLE_MINUTES} min handling at ${usd(rate)}/h (what-if)`, usd(perHumanInfra + realisticHuman.amount)],
    ['Cost not attributed to a conversation (stream batches, ledger, console reads)', `${usd(unattributed)} (${pct(unattributed, infra)})`],
    ["Cost ledger's own share (capability metering)", `${usd(metering.amount)} (${pct(metering.amount, infra)}; ${metering.invocations} invocations)`],
    ['Metered invocations', `${invocations} (${fixed(invocations / n, 1)} per conversation)`],
    ['Messages', `${customerMessages} customer, ${botReplies} bot (${kbAnswers} from a knowledge entry), ${systemMessages} system, ${agentMessages} agent`],
    ['Bot-answer invocations (finance API, by function)', String(botAnswerInvocations)],
    ['Human cost in the ledger (measured handling)', `${usd(humanAmount)} (${fixed(handledHours * 3600, 0)} s at ${usd(rate)}/h)`],
    ['Idle monthly cost of a deployment', usd(idle.monthly)],
  ];
  const summary = table(['Figure', 'Value'], summaryRows);
  const rowsTable = (rows: Rows) => table(['Key', 'Amount', 'Per 1,000 conversations', 'Share', 'Invocations'], [...rows.entries()].map(([k, v]) => [`\`${k}\``, usd(v.amount), usd((v.amount * 1000) / n), pct(v.amount, infraRaw), String(v.invocations)]));
  const capabilityTable = rowsTable(byCapability);
  const functionTable = rowsTable(byFunction);
  const channelTable = rowsTable(byChannel);
  const serviceTable = table(['Service', 'Amount', 'Per 1,000 conversations', 'Share'], [...services.entries()].map(([k, v]) => [`\`${k}\``, usd(v), usd((v * 1000) / n), pct(v, infraRaw)]));
  const sampleTable = table(
    ['Kind', 'Sampled', 'Infrastructure per conversation', 'Human (measured) per conversation', 'Invocations per conversation'],
    (['bot', 'handoff', 'ticket'] as const).map((k) => [k, String(r.samples[k].count), usd(r.samples[k].infrastructure), usd(r.samples[k].human), fixed(r.samples[k].invocations, 1)]),
  );
  const bedrockTable = table(
    ['Model', 'Per answer', `All ${kbAnswers} answers`, 'Per 1,000 conversations', 'Added per bot-resolved conversation', 'Bot resolution with it'],
    bedrock.map((b) => [`\`${b.modelId}\``, usd(b.perAnswer), usd(b.total), usd(b.per1000), usd(b.perBotConversation), usd(b.botResolution)]),
  );
  const connectLow = ANCHORS.connectChatPerMessage[0] * messagesPerBotConversation;
  const connectHigh = ANCHORS.connectChatPerMessage[1] * messagesPerBotConversation;
  const anchorRows = (label: string, cost: number) => [
    [`Intercom Fin, $${ANCHORS.intercomFinPerResolution} per resolution`, label, ratio(cost, ANCHORS.intercomFinPerResolution), times(cost, ANCHORS.intercomFinPerResolution)],
    [`Zendesk, about $${ANCHORS.zendeskPerAutomatedResolution[0].toFixed(2)} per automated resolution`, label, ratio(cost, ANCHORS.zendeskPerAutomatedResolution[0]), times(cost, ANCHORS.zendeskPerAutomatedResolution[0])],
    [`Zendesk, about $${ANCHORS.zendeskPerAutomatedResolution[1].toFixed(2)} per automated resolution`, label, ratio(cost, ANCHORS.zendeskPerAutomatedResolution[1]), times(cost, ANCHORS.zendeskPerAutomatedResolution[1])],
    [`Amazon Connect chat, $${ANCHORS.connectChatPerMessage[0]} per message × ${fixed(messagesPerBotConversation, 2)} messages = ${usd(connectLow)}`, label, ratio(cost, connectLow), times(cost, connectLow)],
    [`Amazon Connect chat, $${ANCHORS.connectChatPerMessage[1]} per message × ${fixed(messagesPerBotConversation, 2)} messages = ${usd(connectHigh)}`, label, ratio(cost, connectHigh), times(cost, connectHigh)],
  ];
  const anchorTable = table(
    ['Anchor', 'Kefu bot resolution', 'Kefu ÷ anchor', 'Kefu is'],
    [
      ...anchorRows(`local engine ${usd(perBot)}`, perBot),
      ...anchorRows(`+ Claude Haiku 4.5 ${usd(bedrock[1]!.botResolution)}`, bedrock[1]!.botResolution),
      [`QnABot on AWS, about $${ANCHORS.qnaBotIdleMonthly.toLocaleString('en-US')} per month idle`, `Kefu idle ${usd(idle.monthly)} per month`, ratio(idle.monthly, ANCHORS.qnaBotIdleMonthly), times(idle.monthly, ANCHORS.qnaBotIdleMonthly)],
    ],
  );
  const idleTable = table(
    ['Resource', 'CloudFormation type', 'Count', 'Price per month', 'Per month'],
    [...idle.lines.map((l) => [l.label, `\`${l.type}\``, String(l.count), usd(l.unitMonthly), usd(l.monthly)]), ['**Total**', '', '', '', `**${usd(idle.monthly)}**`]],
  );
  const perRequestText = idle.perRequestTypes.map((t) => `${t.type.replace(/^AWS::/, '')} ×${t.count}`).join(', ');
  const cpu = cpus();
  const machine = [
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length}`,
    `- Memory: ${fixed(totalmem() / 1024 ** 3)} GiB`,
    `- OS: ${osType()} ${release()} (${arch()})`,
    `- Node.js: ${process.version}`,
    `- Load average at start (1/5/15 min): ${loadAtStart.map((l) => fixed(l, 2)).join(' / ')} — the machine may be shared with other work`,
  ].join('\n');
  const failuresText = r.failures.length === 0 ? 'none' : r.failures.slice(0, 10).map((f) => `${f.kind}: ${f.error}`).join('; ');
  const convMs = (kind: Kind) => {
    const list = r.done.filter((d) => d.kind === kind).map((d) => d.ms);
    return list.length ? fixed(list.reduce((a, b) => a + b, 0) / list.length / 1000, 2) : '–';
  };

  const doc = `# What Kefu costs to run

Generated by \`${command}\` (test/bench/cost.ts) on ${startedAt.toISOString()}; the run took ${fixed(totalSeconds, 0)} s
(${n} conversations in ${fixed(r.wallMs / 1000, 0)} s at concurrency ${r.concurrency}; the ledger settled ${fixed(r.settle.ms / 1000, 1)} s after the
last one). Every cost figure below was read from the finance API (\`GET /v1/finance/costs\`, the cost ledger) of the
local runtime that served the conversations; rerun the command to refresh this file (it is overwritten).
Prices: ${after.function.priceVersion} (list prices, first volume tier), ${currency}.

## Machine

${machine}

## Reproduce

\`\`\`sh
npm ci
${command}   # needs Java 17+ for DynamoDB Local; only loopback traffic
\`\`\`

## The run

- N = ${r.n} conversations planned, ${n} completed (failures: ${failuresText}).
- Mix: ${mixText}. Order shuffled with a fixed seed; ${flowConversations} of the bot-resolved ones walk the order-status flow.
- Customers use the web chat API (\`POST /v1/webchat/conversations\`, \`…/messages\`, \`…/rating\`) and a WebSocket each
  (opened with the conversation, closed at its end); three agents (agent-li, agent-wang, agent-chen, capacity
  ${AGENT_CAPACITY} each, online) listen on the agent WebSocket and act on each \`offer\` through the agent API
  (\`accept\`, \`messages\`, \`ticket\`, \`resolve\`). Mean conversation time: bot ${convMs('bot')} s, handed off ${convMs('handoff')} s, ticketed ${convMs('ticket')} s.
- The local runtime (\`startLocalRuntime\`, DynamoDB Local, the synthesized Step Functions on aws-local-stepfunctions)
  runs in a child process; its cost meter sends the records to the cost-ledger function every 250 ms. The figures
  are the difference between a finance report taken just before the first conversation and one taken after the
  ledger settled (\`runtime.flushCosts()\`, then polling until two readings a second apart agree). The benchmark's
  own ${financeReads.invocations} reads of the finance report while settling (${usd(financeReads.amount)}) are taken out of the total.

## Summary

${summary}

“Per bot-resolved conversation” is the ledger's own split (\`perConversation.bot\`): what was spent on conversations
while they were with the bot (the ledger tags each invocation by whether its conversation had been handed off when
the batch was priced), over the conversations the bot contained. It therefore also carries the bot part of the
conversations handed off later, and leaves out what belongs to no single conversation (${pct(unattributed, infra)} of the
total: stream batches serving several conversations, the ledger itself, console reads). The all-in figure per
conversation spreads everything over all ${n}.

## By capability

${capabilityTable}

Shares are of the total including the finance reads (${usd(infraRaw)}).

## By service

${serviceTable}

## By function

${functionTable}

## By channel

${channelTable}

## Per conversation, line by line (a sample)

From \`GET /v1/finance/conversations/{id}/costs\` for the first completed conversations of each kind: the invocations
attributed to the conversation (not its share of stream batches or the ledger) and, for handled ones, the measured
handling time at ${usd(rate)}/h.

${sampleTable}

## Human cost

The configured rate is ${usd(rate)} per agent hour (\`KEFU_AGENT_HOURLY_COST\`, default 20 × the currency's rate to the
dollar; none set here). The ledger's human cost is handling time (accept → resolve) × rate: in this benchmark an agent
takes about ${fixed(handledHours * 3600 / Math.max(1, handedOffCount), 1)} s, so the measured human cost (${usd(humanAmount)} in all) is not what a real chat costs.
What-if: ${REALISTIC_HANDLE_MINUTES} minutes of handling (an assumption, not measured): ${realisticHuman.formula}, making a
human-handled conversation ${usd(perHumanInfra + realisticHuman.amount)}, about ${fixed((perHumanInfra + realisticHuman.amount) / Math.max(perBot, 1e-12), 0)}× a bot-resolved one.

## With Bedrock (what-if)

The local runtime answers with the local answer engine, so no tokens were metered. Had each of the ${kbAnswers} answers
from a knowledge entry (bot messages carrying an \`entryId\`; the finance API counts ${botAnswerInvocations} \`bot-answer\`
invocations) been generated by Bedrock with ${BEDROCK_TOKENS.input.toLocaleString('en-US')} input tokens (question + 4 grounding entries + system prompt) and
${BEDROCK_TOKENS.output} output tokens, priced with \`resolvePrices\` and \`costOf\` (shared/domain/costs/):

${bedrockTable}

${bedrock.map((b) => `- \`${b.modelId}\`: ${b.formula}`).join('\n')}

## Idle monthly cost of a deployment

From the synthesized CloudFormation templates (${idle.stacks.join(', ')}; \`synthesize()\` of infra/synth.ts, default
stage), the resources billed by the month whether used or not, at the price table's prices:

${idleTable}

${idle.unpricedFixed.length ? `Also present, with a monthly price the table does not carry: ${idle.unpricedFixed.map((t) => `${t.type} ×${t.count}`).join(', ')}.\n\n` : ''}Everything else in the templates is billed per request or per GB stored and costs $0 idle apart from storage:
${perRequestText}.

## Anchors for comparison

Public list prices of other products, as commonly quoted (not measured here):

${anchorTable}

“Kefu ÷ anchor” is Kefu's cost as a fraction of the anchor; Connect is priced for the same messages as an average
bot-resolved conversation of this run (${fixed(messagesPerBotConversation, 2)} customer + bot messages).

## What the figures leave out

- Free tiers (Lambda, DynamoDB, API Gateway, Step Functions, CloudWatch): not applied; a small deployment pays less.
- Data transfer out, CloudFront (the console and widget), Cognito monthly active users (agents signing in), S3
  storage and requests, DynamoDB storage and backups, CloudWatch Logs storage, X-Ray traces, taxes and support plans.
- Standard Step Functions transitions of the SLA timers of the tickets made here: metered when an execution ends,
  and these were still running when the runtime stopped.
- Lambda duration is measured on this machine, where every function shares one Node.js event loop (and two cores with
  DynamoDB Local's JVM): an invocation's duration includes time spent waiting for others at concurrency
  ${r.concurrency}, and Lambda INIT (cold starts) is not billed locally. WebSocket connection minutes are billed
  per connection rounded up to a whole minute; these customers stayed seconds.
- LLM tokens (see the what-if above) and human cost beyond the measured seconds (see Human cost).
`;

  console.log(`\nN=${n} (planned ${r.n}), concurrency ${r.concurrency}; runtime ready in ${r.readyInMs} ms; conversations ${fixed(r.wallMs / 1000, 0)} s; total ${fixed(totalSeconds, 0)} s`);
  console.log(`mix: ${mixText}\n`);
  console.log(`${summary}\n\nby capability:\n${capabilityTable}\n\nby service:\n${serviceTable}\n\nsampled per conversation:\n${sampleTable}\n`);
  console.log(`Bedrock what-if (${BEDROCK_TOKENS.input} in / ${BEDROCK_TOKENS.output} out tokens per answer, ${kbAnswers} answers):\n${bedrockTable}\n\nidle monthly:\n${idleTable}\n\nanchors:\n${anchorTable}\n`);
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(join(ROOT, 'docs', 'COSTS.md'), doc);
  console.log(`wrote docs/COSTS.md (${fixed(totalSeconds, 0)} s)`);
}

if (process.argv.includes('--cost-runtime')) await serveRuntime();
