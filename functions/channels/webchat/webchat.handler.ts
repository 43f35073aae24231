/** Web chat channel: open a conversation, post customer messages (persisted before anything else), read it back. */
import * as z from 'zod/mini';
import { makeGetConversation, makeListMessages, makeOpenConversation, makePostCustomerMessage, makeRateConversation } from '../../../shared/application/conversation.use-cases.ts';
import { makeChannelSettings, publicWebchatSettings } from '../../../shared/application/routing-admin.use-cases.ts';
import { customerTokens } from '../../../shared/adapters/wiring/customer-tokens.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { clock, conversationStore, customerDirectory, ids, routingStore } from '../../../shared/adapters/wiring/storage.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { httpFunction, validate } from '../../../shared/observability/handler-kit.ts';

const deps = () => ({ store: conversationStore(), customers: customerDirectory(), clock, ids });

/** The web chat's settings (title, greeting, colour, routing group…) from the agents table, read only. */
const channelSettings = once(() => makeChannelSettings({ routing: routingStore(), channels: routingStore(), clock }));


const clientMessageId = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'));
const openSchema = z.strictObject({
  customer: z.optional(
    z.strictObject({
      name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
      externalId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    }),
  ),
});
const postSchema = z.strictObject({ clientMessageId, text: z.string().check(z.maxLength(10_000, 'text must be at most 10000 characters')) });
const rateSchema = z.strictObject({ score: z.int().check(z.minimum(1), z.maximum(5)), comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))) });
const listSchema = z.object({ after: z.optional(z.string()), limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))) });

export const handler = httpFunction(
  'webchat',
  {
    openConversation: async ({ body }) => {
      const input = validate(openSchema, body);
      // One consistent read per new conversation: an admin's change applies to the next one opened.
      const settings = await channelSettings().webchat();
      if (!settings.enabled) throw new DomainError('CHANNEL.DISABLED', 'web chat is switched off; write to us another way', { channel: 'webchat', ...(settings.offlineMessage ? { offlineMessage: settings.offlineMessage } : {}) });
      const result = await makeOpenConversation({ ...deps(), tokens: await customerTokens() })({ channel: 'webchat', groupId: settings.routingGroupId, ...(input.customer ? { customer: input.customer } : {}) });
      meter.attribute(result.conversationId, 'webchat');
      return { status: 201, body: result };
    },
    postMessage: async ({ params, body }) => {
      const input = validate(postSchema, body);
      const result = await makePostCustomerMessage(deps())({ conversationId: params.id!, channel: 'webchat', ...input });
      return { status: 202, body: { messageId: result.messageId, seq: result.seq, duplicate: result.duplicate } };
    },
    rateConversation: async ({ params, body }) => {
      const input = validate(rateSchema, body);
      return { status: 200, body: await makeRateConversation(deps())({ conversationId: params.id!, score: input.score, ...(input.comment ? { comment: input.comment } : {}) }) };
    },
    getConversation: async ({ params }) => ({ status: 200, body: await makeGetConversation(deps())(params.id!) }),
    // Public: what the widget shows before any conversation (cached briefly by browsers and CDNs).
    webchatSettings: async () => ({ status: 200, body: publicWebchatSettings(await channelSettings().webchat()), headers: { 'cache-control': 'public, max-age=30' } }),
    listMessages: async ({ params, query }) => {
      const input = validate(listSchema, query);
      return { status: 200, body: await makeListMessages(deps())({ conversationId: params.id!, ...input }) };
    },
  },
  { customerTokens },
);
