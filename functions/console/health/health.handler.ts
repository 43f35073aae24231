/** Liveness: answers without touching any dependency, so that it says whether the API and the function are up. */
import { httpFunction } from '../../../shared/observability/handler-kit.ts';

const startedAt = new Date().toISOString();

export const handler = httpFunction('health', {
  health: async () => ({ status: 200, body: { status: 'ok', service: 'kefu', stage: process.env.KEFU_STAGE ?? 'local', startedAt } }),
});
