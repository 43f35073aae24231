/** Ticket capability: the escalation workflow's last step turns an unanswered handoff into a ticket. */
import { z } from 'zod';
import { makeLeaveOfflineMessage } from '../../../shared/application/escalation.use-cases.ts';
import { clock, conversationStore, ids, liveUpdates, ticketStore } from '../../../shared/adapters/default-adapters.ts';
import { taskFunction } from '../../../shared/observability/handler-kit.ts';

const schema = z.object({ action: z.literal('offline'), conversationId: z.string().min(1), reason: z.string(), offers: z.number().int().min(0) });

export const handler = taskFunction('ticket', schema, (input) =>
  makeLeaveOfflineMessage({ store: conversationStore(), live: liveUpdates(), tickets: ticketStore(), clock, ids })(input),
);
