/** Routing capability: the escalation workflow's queue steps (enqueue, offer with a task token, record the assignment). */
import * as z from 'zod/mini';
import { makeEnqueue, makeOffer, makeRecordAssignment } from '../../../shared/application/escalation.use-cases.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { clock, conversationStore, ids } from '../../../shared/adapters/wiring/storage.ts';
import { workflowGateway } from '../../../shared/adapters/wiring/workflows.ts';
import { taskFunction } from '../../../shared/observability/handler-kit.ts';

const schema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('enqueue'), conversationId: z.string().check(z.minLength(1)), reason: z.string(), priority: z.int().check(z.minimum(0), z.maximum(9)) }),
  z.object({ action: z.literal('offer'), conversationId: z.string().check(z.minLength(1)), attempt: z.int().check(z.minimum(1)), taskToken: z.string().check(z.minLength(1)) }),
  z.object({ action: z.literal('assigned'), conversationId: z.string().check(z.minLength(1)), agentId: z.nullable(z.string()) }),
]);

const deps = () => ({ store: conversationStore(), live: liveUpdates(), clock, ids });

export const handler = taskFunction('routing', schema, async (input) => {
  switch (input.action) {
    case 'enqueue':
      return makeEnqueue(deps())(input);
    case 'offer':
      return makeOffer({ ...deps(), workflows: workflowGateway() })(input);
    case 'assigned':
      return makeRecordAssignment(deps())(input);
  }
});
