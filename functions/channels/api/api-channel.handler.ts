/**
 * The REST API channel: a company's own app (mobile app, web shop backend) talks to Kefu with an API key.
 *
 *   POST /v1/channels/api/messages                                  a customer's message → 202 (conversation, seq)
 *   GET  /v1/channels/api/conversations/{conversationId}/messages   the transcript after ?afterSeq=N (polling)
 *   GET / POST / DELETE /v1/admin/api-keys[/{keyId}]                admins list, create (plaintext shown once), revoke
 *
 * The key travels as `Authorization: Bearer kefu_…` or `X-Api-Key: kefu_…`; the channel's routes are public at the
 * gateway and the key is checked here: unknown, malformed or wrong → 401 API_KEY.INVALID (one message for all, so that
 * key ids cannot be probed), revoked → 401 API_KEY.REVOKED, over the key's requests per minute → 429 RATE_LIMITED with
 * Retry-After. Every request with a valid key counts against its limit (polls too); refusals store nothing.
 *
 * Replies: always written to the transcript, and the app may poll GET …/messages?afterSeq=<last seq it has> for them (a
 * poll every 2–5 s while a conversation is open fits the default 60 requests a minute). A key created with a
 * `callbackUrl` (https; http to 127.0.0.1 / localhost on the local stage only) also gets them pushed: its create
 * response shows a `callbackSecret` once; its messages carry the thread { apiKeyId, push: '1' }, which makes the
 * conversation's replies outbound (`outbox: 'pending'`), and the channel outbox POSTs each one, signed, to the URL
 * (shared/adapters/channels/api/api-callback.sender.ts documents the signature). To change the URL, create a new key.
 *
 * The channel's settings (cached 30 s): disabled → a message is refused with 403 CHANNEL.DISABLED (after the key check;
 * nothing stored; polling still answers); new conversations open in the channel's routing group.
 *
 * Storage (no table of its own): keys in the customers table ("apikey#<keyId>", and "apikeys" listing the ids),
 * rate-limit counters in the idempotency table ("ratelimit#apikey#<keyId>#<minute>", expiring through its TTL).
 */
import * as z from 'zod/mini';
import { makeApiChannel, makeApiKeyAdmin, makeApiKeyAuth, type ApiKeyCheck } from '../../../shared/application/api-channel.use-cases.ts';
import { DynamoDbApiKeyStore, DynamoDbRateCounters } from '../../../shared/adapters/dynamodb/api-keys.dynamodb.ts';
import { dynamoDocumentClient } from '../../../shared/adapters/dynamodb/document-client.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { channelSettings, intakeGroup } from '../../../shared/adapters/wiring/channel-settings.ts';
import { clock, conversationStore, customerDirectory, ids } from '../../../shared/adapters/wiring/storage.ts';
import { stage, tableName } from '../../../shared/config/runtime-config.ts';
import { KEY_OWNER_PATTERN, keyFromHeaders, MAX_RATE_PER_MINUTE } from '../../../shared/domain/channels/api-keys.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { httpFunction, logger, validate, type HttpRequest, type HttpResult } from '../../../shared/observability/handler-kit.ts';
import { webhookError } from '../../../shared/observability/webhook-kit.ts';

const keys = once(() => new DynamoDbApiKeyStore(dynamoDocumentClient(), tableName('customers')));
const counters = once(() => new DynamoDbRateCounters(dynamoDocumentClient(), tableName('idempotency')));
const authenticate = once(() => makeApiKeyAuth({ keys: keys(), counters: counters(), clock }));
const admin = once(() => makeApiKeyAdmin({ keys: keys(), clock, allowLoopbackHttpCallback: stage() === 'local' }));
const channel = once(() => makeApiChannel({ store: conversationStore(), customers: customerDirectory(), clock, ids }));

// Lengths are checked with patterns so that an over-long id or name is a plain 400 (handler-kit makes text over its
// length a 413, which stays so for the message text, as on every channel).
const NO_CONTROL = '[^\\u0000-\\u001f\\u007f]';
const bounded = (max: number, what: string) => z.string().check(z.regex(new RegExp(`^${NO_CONTROL}{1,${max}}$`), `${what}: 1 to ${max} characters, no control characters`));
const trimmedBounded = (max: number, what: string) => z.string().check(z.trim(), z.regex(new RegExp(`^${NO_CONTROL}{1,${max}}$`), `${what}: 1 to ${max} characters, no control characters`));

const messageSchema = z.strictObject({
  customer: z.strictObject({
    externalId: bounded(128, 'the customer id in your system'),
    name: z.optional(trimmedBounded(100, 'name')),
    email: z.optional(z.string().check(z.trim(), z.regex(/^(?=.{3,254}$)[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address'))),
    phone: z.optional(z.string().check(z.trim(), z.regex(/^\+?[0-9][0-9 ()-]{3,30}$/, 'a phone number'))),
  }),
  clientMessageId: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, '1 to 128 letters, digits and . _ : -')),
  text: z.string().check(z.maxLength(10_000, 'text must be at most 10000 characters')),
});
const pollSchema = z.object({
  afterSeq: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
});
const createKeySchema = z.strictObject({
  name: trimmedBounded(100, 'name'),
  ratePerMinute: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_RATE_PER_MINUTE))),
  owner: z.optional(z.string().check(z.regex(KEY_OWNER_PATTERN, 'lower-case letters, digits and -, at most 48'))),
  // Checked further (https, loopback http locally) by the use case.
  callbackUrl: z.optional(z.string().check(z.regex(/^\S{1,2048}$/, 'an https URL of at most 2048 characters'))),
});
const KEY_ID = /^[0-9a-f]{16}$/;

const rateHeaders = (limit: number, remainingRequests: number, resetSeconds: number) => ({
  'x-ratelimit-limit': String(limit),
  'x-ratelimit-remaining': String(remainingRequests),
  'x-ratelimit-reset': String(resetSeconds),
});

/** A refused key or an exhausted limit as the response (the platform's error shape; codes outside errors.ts). */
function refusal(check: Exclude<ApiKeyCheck, { kind: 'ok' }>): HttpResult {
  const error = webhookError(check.status, check.code, check.message);
  if (check.kind === 'refused') return { ...error, headers: { 'www-authenticate': 'Bearer realm="kefu-api"' } };
  return { ...error, headers: { 'retry-after': String(check.retryAfterSeconds), ...rateHeaders(check.limit, 0, check.retryAfterSeconds) } };
}

/** Runs `handle` for a request whose key is valid and within its limit; otherwise answers the refusal. */
async function withKey(request: HttpRequest, handle: (check: Extract<ApiKeyCheck, { kind: 'ok' }>) => Promise<HttpResult>): Promise<HttpResult> {
  const headers = Object.fromEntries(Object.entries(request.event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const check = await authenticate()(keyFromHeaders(headers));
  if (check.kind !== 'ok') {
    logger.info('API request refused', { code: check.code });
    return refusal(check);
  }
  logger.appendKeys({ apiKeyId: check.key.keyId });
  const result = await handle(check);
  return { ...result, headers: { ...rateHeaders(check.limit, check.remaining, check.resetSeconds), ...result.headers } };
}

function subjectOf(request: HttpRequest): string {
  if (!request.principal.subject) throw new DomainError('AUTH.UNAUTHENTICATED', 'a console token is required');
  return request.principal.subject;
}

export const handler = httpFunction('api-channel', {
  apiPostMessage: (request) =>
    withKey(request, async ({ key }) => {
      const input = validate(messageSchema, request.body);
      const settings = await channelSettings('api');
      if (!settings.enabled) {
        logger.info('the api channel is disabled; the message is refused');
        throw new DomainError('CHANNEL.DISABLED', 'the API channel is switched off', { channel: 'api' });
      }
      const result = await channel().postMessage(key, input, intakeGroup(settings));
      meter.attribute(result.conversationId, 'api');
      logger.appendKeys({ conversationId: result.conversationId });
      return { status: 202, body: result };
    }),

  apiListMessages: (request) =>
    withKey(request, async ({ key }) => {
      const query = validate(pollSchema, request.query);
      const conversationId = request.params.conversationId!;
      const result = await channel().listMessages(key, { conversationId, afterSeq: query.afterSeq ?? 0, limit: query.limit ?? 100 });
      meter.attribute(conversationId, 'api');
      return { status: 200, body: result };
    }),

  listApiKeys: async () => ({ status: 200, body: { keys: await admin().list() } }),

  createApiKey: async (request) => {
    const input = validate(createKeySchema, request.body);
    const created = await admin().create(input, subjectOf(request));
    logger.info('API key created', { apiKeyId: created.keyId, by: created.createdBy });
    return { status: 201, body: created };
  },

  revokeApiKey: async (request) => {
    const keyId = request.params.keyId!;
    const revoked = KEY_ID.test(keyId) ? await admin().revoke(keyId, subjectOf(request)) : undefined;
    if (!revoked) return webhookError(404, 'API_KEY.NOT_FOUND', `there is no API key ${keyId}`);
    logger.info('API key revoked', { apiKeyId: keyId });
    return { status: 200, body: revoked };
  },
});
