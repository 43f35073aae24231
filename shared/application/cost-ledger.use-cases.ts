/**
 * The cost ledger: a batch of cost records (what invocations used) is priced with the price table of the day they ran,
 * written as one line per invocation and added to the daily aggregates once per batch; then the budgets are checked.
 * The reports read it back: a period by dimension, bot versus human (with the human cost of handling time), and one
 * conversation line by line with each formula.
 */
import { dayOf } from '../domain/analytics/conversation-analytics.ts';
import { costOf, formatMoney, humanCost, knownBedrockModel, type Cost, type CostLine, type Usage } from '../domain/costs/formulas.ts';
import { resolvePrices, type Currency, type ResolvedPrices } from '../domain/costs/prices.ts';
import type { CostRecord } from '../domain/costs/cost-record.ts';
import type { AggregateRow, BudgetState, CostLedgerStore, LedgerLine } from '../ports/costs.ts';
import type { Clock } from '../ports/gateways.ts';

export const NANOS = 1_000_000_000;

export interface PricingSettings {
  readonly region: string;
  readonly overrides: Readonly<Record<string, number>>;
}

/** Prices of a day (cached per day: the table depends on the date). */
export function pricer(settings: PricingSettings, currency?: Currency) {
  const cache = new Map<string, ResolvedPrices>();
  return (at: string): ResolvedPrices => {
    const day = at.slice(0, 10);
    let prices = cache.get(day);
    if (!prices) {
      prices = resolvePrices({ region: settings.region, at: day, overrides: settings.overrides, ...(currency ? { currency } : {}) });
      cache.set(day, prices);
    }
    return prices;
  };
}

/** Prices one record's usage; usage the table cannot price (an unknown Bedrock model) is left out and named. */
export function priceUsage(usage: Usage, prices: ResolvedPrices): { cost: Cost; unpriced: string[] } {
  const unknown = (usage.bedrock ?? []).filter((b) => !knownBedrockModel(b.modelId, prices));
  if (unknown.length === 0) return { cost: costOf(usage, prices), unpriced: [] };
  const known = (usage.bedrock ?? []).filter((b) => knownBedrockModel(b.modelId, prices));
  return { cost: costOf({ ...usage, bedrock: known }, prices), unpriced: [...new Set(unknown.map((b) => `bedrock:${b.modelId}`))] };
}

/** Reads cost records out of log lines (a subscription's `awslogs` messages); anything else is skipped. */
export function costRecordsOf(messages: readonly string[]): CostRecord[] {
  const records: CostRecord[] = [];
  for (const message of messages) {
    const start = message.indexOf('{"kefu":"cost"');
    if (start < 0) continue;
    try {
      const record = JSON.parse(message.slice(start)) as CostRecord;
      if (record.kefu === 'cost' && typeof record.requestId === 'string' && typeof record.functionId === 'string' && record.usage?.lambda) records.push(record);
    } catch {
      // a truncated line: not a record
    }
  }
  return records;
}

export interface RecordCostsDeps {
  readonly ledger: CostLedgerStore;
  /** Channel and path (bot / human) of conversations, read once per batch. */
  readonly conversations: (ids: readonly string[]) => Promise<ReadonlyMap<string, { channel: string; handedOff: boolean }>>;
  readonly prices: (at: string) => ResolvedPrices;
  readonly timeZone: string;
  readonly retentionDays: number;
  readonly clock: Clock;
  readonly budget?: { readonly dailyUsd?: number; readonly monthlyUsd?: number };
  /** Told when a budget is first exceeded (a live event to admins). */
  readonly onBudgetExceeded?: (state: BudgetState) => Promise<void>;
}

export function makeRecordCosts(deps: RecordCostsDeps) {
  return async (records: readonly CostRecord[], batchId: string) => {
    if (records.length === 0) return { lines: 0, aggregates: 'duplicate' as const };
    const ids = [...new Set(records.map((r) => r.conversationId).filter((id): id is string => !!id))];
    const conversations = ids.length ? await deps.conversations(ids) : new Map<string, { channel: string; handedOff: boolean }>();
    const lines: LedgerLine[] = records.map((record) => {
      const prices = deps.prices(record.at);
      const { cost, unpriced } = priceUsage(record.usage as Usage, prices);
      const conversation = record.conversationId ? conversations.get(record.conversationId) : undefined;
      const serviceNanos: Record<string, number> = {};
      for (const line of cost.lines) serviceNanos[line.service] = (serviceNanos[line.service] ?? 0) + line.nanos;
      const channel = record.channel ?? conversation?.channel;
      return {
        requestId: record.requestId,
        functionId: record.functionId,
        capability: record.capability,
        kind: record.kind,
        at: record.at,
        day: dayOf(record.at, deps.timeZone),
        ...(record.conversationId ? { conversationId: record.conversationId } : {}),
        ...(channel ? { channel } : {}),
        ...(record.route ? { route: record.route } : {}),
        ...(conversation ? { path: conversation.handedOff ? ('human' as const) : ('bot' as const) } : {}),
        usage: record.usage,
        nanos: cost.nanos,
        serviceNanos,
        priceVersion: prices.version,
        ...(unpriced.length ? { unpriced } : {}),
      };
    });
    const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + deps.retentionDays * 86_400;
    await deps.ledger.putLines(lines, expiresAt);

    // Aggregates: every line adds to its day's total and to one value per dimension.
    const sums = new Map<string, AggregateRow>();
    const add = (day: string, dimension: string, value: string, nanos: number) => {
      const key = `${day}#${dimension}#${value}`;
      const prior = sums.get(key);
      sums.set(key, { day, dimension, value, nanos: (prior?.nanos ?? 0) + nanos, count: (prior?.count ?? 0) + 1 });
    };
    for (const line of lines) {
      add(line.day, 'total', 'all', line.nanos);
      add(line.day, 'channel', line.channel ?? 'none', line.nanos);
      add(line.day, 'capability', line.capability, line.nanos);
      add(line.day, 'function', line.functionId, line.nanos);
      add(line.day, 'path', line.path ?? 'none', line.nanos);
      for (const [service, nanos] of Object.entries(line.serviceNanos)) add(line.day, 'service', service, nanos);
    }
    const aggregates = await deps.ledger.addAggregates(batchId, [...sums.values()]);
    if (aggregates === 'added' && deps.budget && (deps.budget.dailyUsd !== undefined || deps.budget.monthlyUsd !== undefined)) await checkBudget(deps);
    return { lines: lines.length, aggregates };
  };
}

async function checkBudget(deps: RecordCostsDeps): Promise<BudgetState> {
  const now = deps.clock.now().toISOString();
  const day = dayOf(now, deps.timeZone);
  const [todayNanos, monthNanos, previous] = await Promise.all([deps.ledger.total(day), deps.ledger.monthTotal(day.slice(0, 7)), deps.ledger.budget()]);
  const daily = deps.budget?.dailyUsd !== undefined && todayNanos >= deps.budget.dailyUsd * NANOS;
  const monthly = deps.budget?.monthlyUsd !== undefined && monthNanos >= deps.budget.monthlyUsd * NANOS;
  const state: BudgetState = { day, todayNanos, monthNanos, exceeded: daily || monthly, ...(daily ? { reason: 'daily' as const } : monthly ? { reason: 'monthly' as const } : {}), at: now };
  const changed = !previous || previous.exceeded !== state.exceeded || previous.day !== day;
  // Written when it changes, and at most once a minute otherwise (the bot reads it to degrade gracefully).
  if (changed || Date.parse(now) - Date.parse(previous.at) > 60_000) await deps.ledger.setBudget(state);
  if (state.exceeded && (!previous?.exceeded || previous.day !== day)) await deps.onBudgetExceeded?.(state);
  return state;
}

// ---------------------------------------------------------------- reports

export interface ReportDeps {
  readonly ledger: CostLedgerStore;
  readonly prices: (at: string) => ResolvedPrices;
  readonly currency: Currency;
  readonly timeZone: string;
  readonly clock: Clock;
  /** Handling seconds per agent over a period (the analytics counters), and each agent's group. */
  readonly handling: (from: string, to: string) => Promise<{ conversations: number; handedOff: number; agents: readonly { agentId: string; seconds: number; handled: number }[] }>;
  readonly agentGroup: (agentId: string) => Promise<string | undefined>;
  readonly humanRate: { readonly hourly: number; readonly byGroup: Readonly<Record<string, number>> };
  readonly budget: { readonly dailyUsd?: number; readonly monthlyUsd?: number; readonly degrade: boolean };
  readonly conversation: (id: string) => Promise<{ channel: string; status: string; acceptedAt?: string; resolvedAt?: string; assignedAgentId?: string; handoffs: number } | undefined>;
}

export type CostDimension = 'day' | 'channel' | 'capability' | 'function' | 'service';

const money = (nanos: number, currency: Currency) => (nanos / NANOS) * currency.perUsd;

export function makeCostReport(deps: ReportDeps) {
  return async (period: { from: string; to: string }, by: CostDimension) => {
    const today = dayOf(deps.clock.now().toISOString(), deps.timeZone);
    const [rows, handling, budgetState, monthNanos] = await Promise.all([deps.ledger.aggregates(period.from, period.to), deps.handling(period.from, period.to), deps.ledger.budget(), deps.ledger.monthTotal(today.slice(0, 7))]);
    const of = (dimension: string) => rows.filter((r) => r.dimension === dimension);
    const sum = (list: readonly AggregateRow[]) => list.reduce((n, r) => n + r.nanos, 0);
    const totals = of('total');
    const days: string[] = [];
    for (let t = Date.parse(`${period.from}T00:00:00Z`); t <= Date.parse(`${period.to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
    const grouped = (dimension: string) => {
      const map = new Map<string, { nanos: number; count: number }>();
      for (const r of of(dimension)) {
        const prior = map.get(r.value) ?? { nanos: 0, count: 0 };
        map.set(r.value, { nanos: prior.nanos + r.nanos, count: prior.count + r.count });
      }
      return [...map.entries()].sort((a, b) => b[1].nanos - a[1].nanos).map(([key, v]) => ({ key, amount: money(v.nanos, deps.currency), invocations: v.count }));
    };
    const infraNanos = sum(totals);
    const invocations = totals.reduce((n, r) => n + r.count, 0);

    // Human cost: each agent's handling time at the rate of the agent's group (or the default rate).
    let humanAmount = 0;
    let handledSeconds = 0;
    for (const agent of handling.agents) {
      const group = await deps.agentGroup(agent.agentId);
      const rate = (group !== undefined ? deps.humanRate.byGroup[group] : undefined) ?? deps.humanRate.hourly;
      humanAmount += (agent.seconds / 3600) * rate;
      handledSeconds += agent.seconds;
    }
    const pathNanos = (path: string) => sum(of('path').filter((r) => r.value === path));
    const contained = Math.max(0, handling.conversations - handling.handedOff);
    const botInfra = money(pathNanos('bot'), deps.currency);
    const humanInfra = money(pathNanos('human'), deps.currency);
    const perConversation = (amount: number, n: number) => (n > 0 ? amount / n : null);
    return {
      period: { ...period, timeZone: deps.timeZone, days: days.length },
      currency: deps.currency,
      priceVersion: deps.prices(`${period.to}T00:00:00Z`).version,
      by,
      rows:
        by === 'day'
          ? days.map((day) => {
              const r = totals.filter((t) => t.day === day);
              return { key: day, amount: money(sum(r), deps.currency), invocations: r.reduce((n, x) => n + x.count, 0) };
            })
          : grouped(by),
      series: days.map((day) => {
        const r = totals.filter((t) => t.day === day);
        return {
          day,
          amount: money(sum(r), deps.currency),
          invocations: r.reduce((n, x) => n + x.count, 0),
          byCapability: Object.fromEntries(of('capability').filter((c) => c.day === day).map((c) => [c.value, money(c.nanos, deps.currency)])),
        };
      }),
      byService: grouped('service').map((r) => ({ service: r.key, amount: r.amount })),
      totals: { infrastructure: money(infraNanos, deps.currency), invocations, human: humanAmount, all: money(infraNanos, deps.currency) + humanAmount },
      conversations: { engaged: handling.conversations, contained, handedOff: handling.handedOff },
      perConversation: {
        // The bot's share: what was spent while conversations were with the bot, over the conversations it resolved.
        bot: { conversations: contained, infrastructure: botInfra, perConversation: perConversation(botInfra, contained) },
        human: { conversations: handling.handedOff, infrastructure: humanInfra, human: humanAmount, handledHours: handledSeconds / 3600, perConversation: perConversation(humanInfra + humanAmount, handling.handedOff) },
        all: { conversations: handling.conversations, amount: money(infraNanos, deps.currency) + humanAmount, perConversation: perConversation(money(infraNanos, deps.currency) + humanAmount, handling.conversations) },
      },
      humanRate: deps.humanRate,
      budget: {
        ...(deps.budget.dailyUsd !== undefined ? { dailyUsd: deps.budget.dailyUsd } : {}),
        ...(deps.budget.monthlyUsd !== undefined ? { monthlyUsd: deps.budget.monthlyUsd } : {}),
        today: money(sum(totals.filter((t) => t.day === today)) || (budgetState?.day === today ? budgetState.todayNanos : 0), deps.currency),
        month: money(monthNanos, deps.currency),
        exceeded: budgetState?.day === today ? budgetState.exceeded : false,
        degraded: deps.budget.degrade && budgetState?.day === today && budgetState.exceeded,
      },
    };
  };
}

export function makeConversationCosts(deps: ReportDeps) {
  return async (conversationId: string) => {
    const [lines, conversation] = await Promise.all([deps.ledger.linesOf(conversationId), deps.conversation(conversationId)]);
    const currency = deps.currency.code;
    const invocations = lines
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((line) => {
        // Repriced with the table of its day in the report's currency: the same arithmetic, shown line by line.
        const prices = deps.prices(line.at);
        const { cost, unpriced } = priceUsage(line.usage as Usage, prices);
        return {
          requestId: line.requestId,
          at: line.at,
          functionId: line.functionId,
          capability: line.capability,
          ...(line.route ? { route: line.route } : {}),
          ...(line.path ? { path: line.path } : {}),
          amount: cost.amount,
          lines: cost.lines.map((l: CostLine) => ({ item: l.item, service: l.service, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, per: l.per, amount: l.amount, formula: l.formula, ...(l.basis ? { basis: l.basis } : {}) })),
          ...(unpriced.length ? { unpriced } : {}),
          priceVersion: line.priceVersion,
        };
      });
    const infrastructure = invocations.reduce((n, i) => n + i.amount, 0);
    let human: { handledSeconds: number; hourlyRate: number; amount: number; formula: string } | null = null;
    if (conversation?.acceptedAt && conversation.resolvedAt && conversation.assignedAgentId) {
      const handledSeconds = Math.max(0, (Date.parse(conversation.resolvedAt) - Date.parse(conversation.acceptedAt)) / 1000);
      const group = await deps.agentGroup(conversation.assignedAgentId);
      const hourlyRate = (group !== undefined ? deps.humanRate.byGroup[group] : undefined) ?? deps.humanRate.hourly;
      const line = humanCost({ handledSeconds, hourlyRate, currency });
      human = { handledSeconds, hourlyRate, amount: line.amount, formula: line.formula };
    }
    const total = infrastructure + (human?.amount ?? 0);
    return {
      conversationId,
      channel: conversation?.channel ?? null,
      status: conversation?.status ?? null,
      currency: deps.currency,
      invocations,
      infrastructure,
      human,
      total,
      formula: `${invocations.length} invocations ${formatMoney(infrastructure, currency)}${human ? ` + human ${formatMoney(human.amount, currency)}` : ''} = ${formatMoney(total, currency)}`,
    };
  };
}

/** The report as CSV: one row per key of the chosen dimension. */
export function costCsv(report: Awaited<ReturnType<ReturnType<typeof makeCostReport>>>): string {
  const lines = [`${report.by},amount_${report.currency.code.toLowerCase()},invocations`];
  for (const row of report.rows) lines.push(`${JSON.stringify(row.key)},${row.amount.toFixed(10)},${row.invocations}`);
  lines.push(`"infrastructure total",${report.totals.infrastructure.toFixed(10)},${report.totals.invocations}`);
  lines.push(`"human (handling time)",${report.totals.human.toFixed(10)},`);
  return `${lines.join('\n')}\n`;
}
