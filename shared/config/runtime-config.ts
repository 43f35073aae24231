/**
 * Configuration read and checked once per process (cold start), from the names the manifest fixes.
 * A missing variable fails at the first use with a clear message rather than deep inside a request.
 */
import { COMMON_ENV, tableSpec, workflowSpec, type TableId, type WorkflowId } from '../manifest/manifest.ts';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`missing environment variable ${name}`);
  return value;
}

export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function tableName(id: TableId): string {
  return requireEnv(tableSpec(id).envVar);
}

export function workflowArn(id: WorkflowId): string {
  return requireEnv(workflowSpec(id).envVar);
}

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = optionalEnv(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got ${raw}`);
  return n;
}

/** Escalation settings the policy puts into the escalation it starts (the CDK app sets them from context). */
export function escalationSettings() {
  return { maxOffers: intEnv(COMMON_ENV.maxOffers, 3, 1, 50), missedOffersAway: intEnv('KEFU_MISSED_OFFERS_AWAY', 2, 1, 100), idleAwayMinutes: intEnv('KEFU_AGENT_IDLE_MINUTES', 30, 0, 1440) };
}

export function stage(): string {
  return optionalEnv(COMMON_ENV.stage) ?? 'local';
}

/** The time zone whose calendar days the reports count in (an IANA name; default Asia/Shanghai). */
export function reportTimeZone(): string {
  const zone = optionalEnv('KEFU_REPORT_TIME_ZONE') ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`KEFU_REPORT_TIME_ZONE must be an IANA time zone such as Asia/Shanghai, got ${zone}`);
  }
  return zone;
}

function numberEnv(name: string, min: number): number | undefined {
  const raw = optionalEnv(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number of at least ${min}, got ${raw}`);
  return n;
}

/**
 * The cost ledger's settings: the price region and overrides (KEFU_PRICE_OVERRIDES, JSON), the report currency
 * (KEFU_CURRENCY with KEFU_CURRENCY_PER_USD; US dollars by default), how long ledger lines are kept
 * (KEFU_COST_RETENTION_DAYS, 90), budgets in US dollars (KEFU_BUDGET_DAILY_USD, KEFU_BUDGET_MONTHLY_USD) and whether
 * the bot degrades to the local engine over budget (KEFU_BUDGET_DEGRADE=local), and the cost of an agent hour in the
 * report currency (KEFU_AGENT_HOURLY_COST, default 20 US dollars converted; KEFU_GROUP_HOURLY_COST per group, JSON).
 */
export function costSettings() {
  const code = (optionalEnv('KEFU_CURRENCY') ?? 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`KEFU_CURRENCY must be a three-letter currency code, got ${code}`);
  const perUsd = numberEnv('KEFU_CURRENCY_PER_USD', 0) ?? 1;
  if (code !== 'USD' && optionalEnv('KEFU_CURRENCY_PER_USD') === undefined) throw new Error(`KEFU_CURRENCY=${code} needs KEFU_CURRENCY_PER_USD (how many ${code} a US dollar buys)`);
  let byGroup: Record<string, number> = {};
  const groupRates = optionalEnv('KEFU_GROUP_HOURLY_COST');
  if (groupRates) {
    try {
      byGroup = JSON.parse(groupRates) as Record<string, number>;
    } catch {
      throw new Error('KEFU_GROUP_HOURLY_COST must be JSON such as {"overflow": 12}');
    }
    for (const [group, rate] of Object.entries(byGroup)) if (typeof rate !== 'number' || !(rate >= 0)) throw new Error(`KEFU_GROUP_HOURLY_COST: the rate of ${group} must be a number ≥ 0`);
  }
  const dailyUsd = numberEnv('KEFU_BUDGET_DAILY_USD', 0);
  const monthlyUsd = numberEnv('KEFU_BUDGET_MONTHLY_USD', 0);
  return {
    region: optionalEnv('AWS_REGION') ?? 'us-east-1',
    overridesJson: optionalEnv('KEFU_PRICE_OVERRIDES'),
    currency: { code, perUsd },
    retentionDays: intEnv('KEFU_COST_RETENTION_DAYS', 90, 1, 3650),
    budget: { ...(dailyUsd !== undefined ? { dailyUsd } : {}), ...(monthlyUsd !== undefined ? { monthlyUsd } : {}), degrade: optionalEnv('KEFU_BUDGET_DEGRADE') === 'local' },
    humanRate: { hourly: numberEnv('KEFU_AGENT_HOURLY_COST', 0) ?? 20 * perUsd, byGroup },
  };
}
