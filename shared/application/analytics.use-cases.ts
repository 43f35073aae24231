/**
 * Conversation analytics: the conversations table's stream records each change's facts into daily counters
 * (idempotently), and the supervisor dashboard reads a period of them back, with the knowledge entries' questions for
 * the top intents and the open unanswered questions last asked in the period.
 */
import { conversationFacts, dayOf, summarise, type Dashboard } from '../domain/analytics/conversation-analytics.ts';
import type { Conversation } from '../domain/conversation/conversation.ts';
import { DomainError } from '../domain/errors.ts';
import type { AnalyticsStore } from '../ports/analytics.ts';
import type { Clock } from '../ports/gateways.ts';
import type { KnowledgeRepository } from '../ports/knowledge.ts';

export function makeRecordConversationChange(deps: { analytics: AnalyticsStore; timeZone: string }) {
  return async (previous: Partial<Conversation> | undefined, next: Partial<Conversation>) => {
    let recorded = 0;
    for (const fact of conversationFacts(previous, next, deps.timeZone)) {
      if ((await deps.analytics.record(fact)) === 'recorded') recorded += 1;
    }
    return { recorded };
  };
}

export const MAX_REPORT_DAYS = 92;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(value: string, field: string): string {
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new DomainError('REQUEST.VALIDATION_FAILED', `${field} must be a date as YYYY-MM-DD`, { field });
  }
  return value;
}

/** The period asked for: both ends inclusive, at most MAX_REPORT_DAYS; by default the last 7 days up to today. */
export function reportPeriod(input: { from?: string | undefined; to?: string | undefined }, today: string): { from: string; to: string } {
  const to = input.to !== undefined ? validDay(input.to, 'to') : today;
  const from = input.from !== undefined ? validDay(input.from, 'from') : new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw new DomainError('REQUEST.VALIDATION_FAILED', 'from must not be after to', { field: 'from' });
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_REPORT_DAYS) throw new DomainError('REQUEST.VALIDATION_FAILED', `a report covers at most ${MAX_REPORT_DAYS} days`, { field: 'from', max: MAX_REPORT_DAYS });
  return { from, to };
}

export interface DashboardDeps {
  readonly analytics: AnalyticsStore;
  readonly knowledge: Pick<KnowledgeRepository, 'get' | 'listUnanswered'>;
  readonly flows?: () => Promise<readonly { readonly id: string; readonly name: { readonly zh: string; readonly en: string } }[]>;
  readonly clock: Clock;
  readonly timeZone: string;
}

export type DashboardView = Dashboard & {
  readonly topIntents: readonly { readonly topic: string; readonly count: number; readonly kind: 'entry' | 'flow'; readonly label: string; readonly labels?: { readonly zh: string; readonly en: string } }[];
  readonly topUnanswered: readonly { readonly key: string; readonly text: string; readonly count: number; readonly lastSeen: string; readonly outcome: string }[];
};

export function makeDashboard(deps: DashboardDeps) {
  return async (input: { from?: string | undefined; to?: string | undefined }): Promise<DashboardView> => {
    const today = dayOf(deps.clock.now().toISOString(), deps.timeZone);
    const period = reportPeriod(input, today);
    const [rows, unanswered, flows] = await Promise.all([
      deps.analytics.counters(period.from, period.to),
      deps.knowledge.listUnanswered({ status: 'open', limit: 500 }),
      deps.flows ? deps.flows().catch(() => []) : Promise.resolve([]),
    ]);
    const dashboard = summarise(rows, { ...period, timeZone: deps.timeZone });
    const topIntents = await Promise.all(
      dashboard.topIntents.map(async (intent) => {
        if (intent.topic.startsWith('flow:')) {
          const id = intent.topic.slice(5);
          const name = flows.find((f) => f.id === id)?.name;
          return { ...intent, kind: 'flow' as const, label: name?.zh ?? id, ...(name ? { labels: { zh: name.zh, en: name.en } } : {}) };
        }
        const entry = await deps.knowledge.get(intent.topic).catch(() => undefined);
        return { ...intent, kind: 'entry' as const, label: entry?.questions[0] ?? intent.topic };
      }),
    );
    const inPeriod = (iso: string) => {
      const day = dayOf(iso, deps.timeZone);
      return day >= period.from && day <= period.to;
    };
    const topUnanswered = unanswered
      .filter((q) => inPeriod(q.lastSeen))
      .sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen))
      .slice(0, 10)
      .map((q) => ({ key: q.key, text: q.text, count: q.count, lastSeen: q.lastSeen, outcome: q.outcome }));
    return { ...dashboard, topIntents, topUnanswered };
  };
}
