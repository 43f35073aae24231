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
