/** Supervisor reports: the dashboard of a period, from the daily counters the analytics function keeps. */
import { makeDashboard } from '../../../shared/application/analytics.use-cases.ts';
import { flowCatalog } from '../../../shared/adapters/wiring/flows.ts';
import { analyticsStore, clock, knowledgeRepository } from '../../../shared/adapters/wiring/storage.ts';
import { reportTimeZone } from '../../../shared/config/runtime-config.ts';
import { httpFunction } from '../../../shared/observability/handler-kit.ts';

export const handler = httpFunction('reports', {
  dashboard: async ({ query }) => ({
    status: 200,
    body: await makeDashboard({ analytics: analyticsStore(), knowledge: knowledgeRepository(), flows: () => flowCatalog().list(), clock, timeZone: reportTimeZone() })({ from: query.from, to: query.to }),
  }),
});
