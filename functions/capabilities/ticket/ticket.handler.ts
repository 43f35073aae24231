/** Ticket capability: the escalation workflow's last step turns an unanswered handoff into a ticket. */
import * as z from 'zod/mini';
import { makeLeaveOfflineMessage } from '../../../shared/application/escalation.use-cases.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { clock, conversationStore, ids, ticketStore } from '../../../shared/adapters/wiring/storage.ts';
import { taskFunction } from '../../../shared/observability/handler-kit.ts';

const schema = z.object({ action: z.literal('offline'), conversationId: z.string().check(z.minLength(1)), reason: z.string(), offers: z.optional(z.int().check(z.minimum(0))) });

export const handler = taskFunction('ticket', schema, (input) =>
  makeLeaveOfflineMessage({ store: conversationStore(), live: liveUpdates(), tickets: ticketStore(), clock, ids })(input),
);
