/**
 * Routing capability: the escalation workflow's queue steps — enqueue, route (offer to the best agent, claiming the
 * seat), park the offer's or the wait's task token, expire an offer, overflow, record the assignment.
 */
import * as z from 'zod/mini';
import {
  makeEnqueue,
  makeExpireOffer,
  makeOverflow,
  makeParkOffer,
  makeParkWait,
  makeRecordAssignment,
  makeRoute,
} from '../../../shared/application/routing.use-cases.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { clock, conversationStore, customerDirectory, ids, escalation, routingStore } from '../../../shared/adapters/wiring/storage.ts';
import { workflowGateway } from '../../../shared/adapters/wiring/workflows.ts';
import { taskFunction } from '../../../shared/observability/handler-kit.ts';

const id = z.string().check(z.minLength(1), z.maxLength(200));
const schema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('enqueue'), conversationId: id, reason: z.string(), priority: z.int().check(z.minimum(0), z.maximum(9)) }),
  z.object({ action: z.literal('route'), conversationId: id, maxOffers: z.optional(z.int().check(z.minimum(1), z.maximum(50))) }),
  z.object({ action: z.literal('park-offer'), conversationId: id, agentId: id, taskToken: z.string().check(z.minLength(1)) }),
  z.object({ action: z.literal('park-wait'), conversationId: id, taskToken: z.string().check(z.minLength(1)) }),
  z.object({ action: z.literal('expire-offer'), conversationId: id, agentId: id }),
  z.object({ action: z.literal('overflow'), conversationId: id }),
  z.object({ action: z.literal('assigned'), conversationId: id, agentId: z.nullable(z.string()) }),
]);

const deps = () => ({
  store: conversationStore(),
  live: liveUpdates(),
  clock,
  ids,
  routing: routingStore(),
  workflows: workflowGateway(),
  customers: customerDirectory(),
  settings: escalation(),
});

export const handler = taskFunction('routing', schema, async (input) => {
  switch (input.action) {
    case 'enqueue':
      return makeEnqueue(deps())(input);
    case 'route':
      return makeRoute(deps())(input);
    case 'park-offer':
      return makeParkOffer(deps())(input);
    case 'park-wait':
      return makeParkWait(deps())(input);
    case 'expire-offer':
      return makeExpireOffer(deps())(input);
    case 'overflow':
      return makeOverflow(deps())(input);
    case 'assigned':
      return makeRecordAssignment(deps())(input);
  }
});
