/**
 * Ticket capability: the escalation workflow's last step turns an unanswered handoff into a ticket (its SLA clocks
 * started on the group's calendar, the customer told when to expect an answer); the SLA timer workflow's step reports
 * a due warning or breach and escalates.
 */
import * as z from 'zod/mini';
import { makeLeaveOfflineMessage } from '../../../shared/application/escalation.use-cases.ts';
import { makeFireSlaTimer } from '../../../shared/application/sla.use-cases.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { clock, conversationStore, ids, routingStore, ticketStore } from '../../../shared/adapters/wiring/storage.ts';
import { logger, taskFunction } from '../../../shared/observability/handler-kit.ts';

const id = z.string().check(z.minLength(1), z.maxLength(200));
const schema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('offline'), conversationId: id, reason: z.string(), offers: z.optional(z.int().check(z.minimum(0))) }),
  z.object({ action: z.literal('sla-fire'), ticketId: id, version: z.int().check(z.minimum(1)) }),
]);

export const handler = taskFunction('ticket', schema, async (input) => {
  if (input.action === 'offline') {
    return makeLeaveOfflineMessage({ store: conversationStore(), live: liveUpdates(), tickets: ticketStore(), sla: { routing: routingStore() }, clock, ids })(input);
  }
  logger.appendKeys({ ticketId: input.ticketId, action: input.action });
  return makeFireSlaTimer({ tickets: ticketStore(), routing: routingStore(), live: liveUpdates(), clock, ids })(input);
});
