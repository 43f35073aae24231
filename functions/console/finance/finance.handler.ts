/**
 * Finance reports: a period's cost by day, channel, capability, function or service, with bot versus human (the
 * human cost of handling time at the configured hourly rates) and the budgets; one conversation line by line with
 * each invocation's formulas; CSV. Read from the cost ledger's aggregates and the conversation analytics counters.
 */
import * as z from 'zod/mini';
import { reportPeriod } from '../../../shared/application/analytics.use-cases.ts';
import { costCsv, makeConversationCosts, makeCostReport, pricer, type CostDimension, type ReportDeps } from '../../../shared/application/cost-ledger.use-cases.ts';
import { agentDirectory, analyticsStore, clock, conversationStore, costLedger } from '../../../shared/adapters/wiring/storage.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { costSettings, reportTimeZone } from '../../../shared/config/runtime-config.ts';
import { dayOf } from '../../../shared/domain/analytics/conversation-analytics.ts';
import { parsePriceOverrides } from '../../../shared/domain/costs/prices.ts';
import { httpFunction, validate } from '../../../shared/observability/handler-kit.ts';

const deps = once((): ReportDeps => {
  const settings = costSettings();
  return {
    ledger: costLedger(),
    prices: pricer({ region: settings.region, overrides: parsePriceOverrides(settings.overridesJson) }, settings.currency),
    currency: settings.currency,
    timeZone: reportTimeZone(),
    clock,
    humanRate: settings.humanRate,
    budget: settings.budget,
    handling: async (from, to) => {
      const rows = await analyticsStore().counters(from, to);
      const count = (metric: string) => rows.filter((r) => r.metric === metric).reduce((n, r) => n + r.count, 0);
      const agents = new Map<string, { agentId: string; seconds: number; handled: number }>();
      for (const r of rows.filter((x) => x.metric === 'handled')) {
        const prior = agents.get(r.dimension) ?? { agentId: r.dimension, seconds: 0, handled: 0 };
        agents.set(r.dimension, { agentId: r.dimension, seconds: prior.seconds + r.sum, handled: prior.handled + r.count });
      }
      return { conversations: count('conversations'), handedOff: count('handedOff'), agents: [...agents.values()] };
    },
    agentGroup: async (agentId) => (await agentDirectory().get(agentId))?.groups[0],
    conversation: async (id) => {
      const c = await conversationStore().get(id);
      return c ? { channel: c.channel, status: c.status, handoffs: c.handoffs, ...(c.acceptedAt ? { acceptedAt: c.acceptedAt } : {}), ...(c.resolvedAt ? { resolvedAt: c.resolvedAt } : {}), ...(c.assignedAgentId ? { assignedAgentId: c.assignedAgentId } : {}) } : undefined;
    },
  };
});

const reportQuery = z.object({
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  by: z.optional(z.enum(['day', 'channel', 'capability', 'function', 'service'])),
  format: z.optional(z.enum(['json', 'csv'])),
});

export const handler = httpFunction('finance', {
  costReport: async ({ query }) => {
    const input = validate(reportQuery, query);
    const period = reportPeriod({ from: input.from, to: input.to }, dayOf(clock.now().toISOString(), reportTimeZone()));
    const report = await makeCostReport(deps())(period, (input.by ?? 'day') as CostDimension);
    if (input.format === 'csv') {
      return { status: 200, raw: { contentType: 'text/csv; charset=utf-8', body: costCsv(report) }, headers: { 'content-disposition': `attachment; filename="kefu-costs-${period.from}-${period.to}-by-${report.by}.csv"` } };
    }
    return { status: 200, body: report };
  },
  conversationCosts: async ({ params }) => ({ status: 200, body: await makeConversationCosts(deps())(params.conversationId!) }),
});
