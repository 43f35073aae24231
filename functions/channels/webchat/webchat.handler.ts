/** Web chat channel: open a conversation, post customer messages (persisted before anything else), read it back. */
import * as z from 'zod';
import { makeGetConversation, makeListMessages, makeOpenConversation, makePostCustomerMessage } from '../../../shared/application/conversation.use-cases.ts';
import { customerTokens } from '../../../shared/adapters/wiring/customer-tokens.ts';
import { clock, conversationStore, customerDirectory, ids } from '../../../shared/adapters/wiring/storage.ts';
import { httpFunction, validate } from '../../../shared/observability/handler-kit.ts';

const deps = () => ({ store: conversationStore(), customers: customerDirectory(), clock, ids });

const openSchema = z
  .object({ customer: z.object({ name: z.string().trim().min(1).max(100).optional(), externalId: z.string().trim().min(1).max(200).optional() }).strict().optional() })
  .strict();
const postSchema = z
  .object({
    clientMessageId: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
    text: z.string().max(10_000, 'text must be at most 10000 characters'),
  })
  .strict();
const listSchema = z.object({ after: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).optional() });

export const handler = httpFunction(
  'webchat',
  {
    openConversation: async ({ body }) => {
      const input = validate(openSchema, body);
      const result = await makeOpenConversation({ ...deps(), tokens: await customerTokens() })({ channel: 'webchat', ...(input.customer ? { customer: input.customer } : {}) });
      return { status: 201, body: result };
    },
    postMessage: async ({ params, body }) => {
      const input = validate(postSchema, body);
      const result = await makePostCustomerMessage(deps())({ conversationId: params.id!, channel: 'webchat', ...input });
      return { status: 202, body: { messageId: result.messageId, seq: result.seq, duplicate: result.duplicate } };
    },
    getConversation: async ({ params }) => ({ status: 200, body: await makeGetConversation(deps())(params.id!) }),
    listMessages: async ({ params, query }) => {
      const input = validate(listSchema, query);
      return { status: 200, body: await makeListMessages(deps())({ conversationId: params.id!, ...input }) };
    },
  },
  { customerTokens },
);
