/**
 * The REST API channel: a company's own app (mobile app, web shop backend) posts its customers' messages with an API
 * key and polls the conversation for replies. Messages go through channel intake like every channel (one customer per
 * (channel 'api', "<owner>:<externalId>"), one open conversation per customer, dedupe on the client's message id, the
 * same bot and handoff flow).
 *
 * Keys: created by an admin (the plaintext shown once), listed without secret or hash, revoked (idempotent). A request
 * is checked in one order: key present and well formed → GetItem → constant-time hash compare → not revoked → the
 * key's rate limit (one counter per minute) → only then the body. Refusals never store anything.
 */
import { DomainError } from '../domain/errors.ts';
import {
  apiIdentity,
  apiKeyView,
  callbackUrlProblem,
  DECOY_HASH,
  DEFAULT_KEY_OWNER,
  DEFAULT_RATE_PER_MINUTE,
  generateApiKey,
  generateCallbackSecret,
  hashApiKey,
  hashesEqual,
  identityOwnedBy,
  KEY_OWNER_PATTERN,
  LAST_USED_RESOLUTION_MS,
  lastUsedIsStale,
  MAX_RATE_PER_MINUTE,
  parseApiKey,
  rateWindow,
  remaining,
  retryAfterSeconds,
  validRatePerMinute,
  type ApiKeyRecord,
  type ApiKeyView,
  type RandomBytes,
} from '../domain/channels/api-keys.ts';
import type { Message } from '../domain/conversation/conversation.ts';
import type { ApiKeyStore, RateCounters } from '../ports/api-keys.ts';
import type { ConversationStore } from '../ports/conversation.store.ts';
import type { Customer, CustomerDirectory } from '../ports/directory.ts';
import type { Clock, Ids } from '../ports/gateways.ts';
import { customerIdForIdentity, makeChannelIntake } from './channel-intake.use-cases.ts';

// ---------------------------------------------------------------- administration

export interface ApiKeyAdminDeps {
  readonly keys: ApiKeyStore;
  readonly clock: Clock;
  readonly random?: RandomBytes;
  /** Whether a callback may be plain http to 127.0.0.1 / localhost (the local stage only). */
  readonly allowLoopbackHttpCallback?: boolean;
}

export interface NewApiKey {
  readonly name: string;
  readonly ratePerMinute?: number;
  readonly owner?: string;
  /** Where replies are pushed, signed (https; see the API callback sender). */
  readonly callbackUrl?: string;
}

const invalid = (path: string, message: string): never => {
  throw new DomainError('REQUEST.VALIDATION_FAILED', `${path}: ${message}`, { issues: [{ path, message }] });
};

export function makeApiKeyAdmin(deps: ApiKeyAdminDeps) {
  return {
    /** A new key: stored as its hash; the plaintext is in the answer and nowhere else. */
    async create(input: NewApiKey, createdBy: string): Promise<ApiKeyView & { key: string; callbackSecret?: string }> {
      const name = input.name.trim();
      if (!name) invalid('name', 'must not be empty');
      const ratePerMinute = input.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE;
      if (!validRatePerMinute(ratePerMinute)) invalid('ratePerMinute', `must be a whole number from 1 to ${MAX_RATE_PER_MINUTE}`);
      const owner = input.owner ?? DEFAULT_KEY_OWNER;
      if (!KEY_OWNER_PATTERN.test(owner)) invalid('owner', 'lower-case letters, digits and -, at most 48');
      const callbackUrl = input.callbackUrl;
      const urlProblem = callbackUrl === undefined ? undefined : callbackUrlProblem(callbackUrl, deps.allowLoopbackHttpCallback ?? false);
      if (urlProblem) invalid('callbackUrl', urlProblem);
      // The secret signs the pushes (not a login secret): stored with the key, shown once, with the key.
      const callback: { callbackUrl?: string; callbackSecret?: string } = callbackUrl === undefined ? {} : { callbackUrl, callbackSecret: generateCallbackSecret(deps.random) };
      // 64 random bits of key id: a clash is all but impossible, and a clash is refused by the store, not overwritten.
      for (let attempt = 0; attempt < 3; attempt++) {
        const generated = generateApiKey(deps.random);
        const record: ApiKeyRecord = { keyId: generated.keyId, name, owner, hash: generated.hash, prefix: generated.prefix, ratePerMinute, createdAt: deps.clock.now().toISOString(), createdBy, ...callback };
        if (await deps.keys.create(record)) return { ...apiKeyView(record), key: generated.plaintext, ...(callback.callbackSecret ? { callbackSecret: callback.callbackSecret } : {}) };
      }
      throw new Error('could not allocate an API key id');
    },
    async list(): Promise<ApiKeyView[]> {
      return (await deps.keys.list()).map(apiKeyView);
    },
    /** Revokes a key (again: no change). Unknown key ids answer undefined (the handler's 404). */
    async revoke(keyId: string, by: string): Promise<ApiKeyView | undefined> {
      const revoked = await deps.keys.revoke(keyId, deps.clock.now().toISOString(), by);
      return revoked ? apiKeyView(revoked) : undefined;
    },
  };
}

// ---------------------------------------------------------------- authentication and rate limit

export type ApiKeyCheck =
  | { readonly kind: 'ok'; readonly key: ApiKeyRecord; readonly limit: number; readonly remaining: number; readonly resetSeconds: number }
  | { readonly kind: 'refused'; readonly status: 401; readonly code: 'API_KEY.INVALID' | 'API_KEY.REVOKED'; readonly message: string }
  | { readonly kind: 'rate-limited'; readonly status: 429; readonly code: 'RATE_LIMITED'; readonly message: string; readonly retryAfterSeconds: number; readonly limit: number };

/** One message for unknown, malformed and wrong keys alike, so that key ids cannot be probed. */
export const INVALID_KEY_MESSAGE = 'the API key is not valid';

export interface ApiKeyAuthDeps {
  readonly keys: ApiKeyStore;
  readonly counters: RateCounters;
  readonly clock: Clock;
}

export function makeApiKeyAuth(deps: ApiKeyAuthDeps) {
  const invalidKey: ApiKeyCheck = { kind: 'refused', status: 401, code: 'API_KEY.INVALID', message: INVALID_KEY_MESSAGE };
  return async (presented: string | undefined): Promise<ApiKeyCheck> => {
    if (!presented) return { kind: 'refused', status: 401, code: 'API_KEY.INVALID', message: 'an API key is required (Authorization: Bearer kefu_… or X-Api-Key: kefu_…)' };
    const parsed = parseApiKey(presented);
    if (!parsed) return invalidKey;
    const key = await deps.keys.get(parsed.keyId);
    // The hash is compared whether or not the key id exists (against a decoy), in constant time.
    const matches = hashesEqual(key?.hash ?? DECOY_HASH, hashApiKey(presented)) && key !== undefined;
    if (!matches || !key) return invalidKey;
    if (key.revokedAt !== undefined) return { kind: 'refused', status: 401, code: 'API_KEY.REVOKED', message: 'the API key was revoked' };

    const now = deps.clock.now();
    const window = rateWindow(key.keyId, now.getTime());
    const taken = await deps.counters.take(window.counterKey, key.ratePerMinute, window.expiresAt);
    const resetSeconds = retryAfterSeconds(window, now.getTime());
    if (!taken.admitted) {
      return { kind: 'rate-limited', status: 429, code: 'RATE_LIMITED', message: `this API key may make ${key.ratePerMinute} requests a minute; retry after ${resetSeconds} s`, retryAfterSeconds: resetSeconds, limit: key.ratePerMinute };
    }
    // Last use, at most one write a minute per key (skipped without a write when the read says it is recent).
    if (lastUsedIsStale(key.lastUsedAt, now)) await deps.keys.touch(key.keyId, now.toISOString(), new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString());
    return { kind: 'ok', key, limit: key.ratePerMinute, remaining: remaining(taken.count, key.ratePerMinute), resetSeconds };
  };
}

// ---------------------------------------------------------------- messages

export interface ApiChannelDeps {
  readonly store: ConversationStore;
  readonly customers: CustomerDirectory;
  readonly clock: Clock;
  readonly ids: Ids;
}

export interface ApiCustomer {
  readonly externalId: string;
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
}

export interface ApiMessageInput {
  readonly customer: ApiCustomer;
  readonly clientMessageId: string;
  readonly text: string;
}

/** What the app sees of a transcript message (no sentiment, mood or internal ids). */
export function apiMessageView(message: Message) {
  return {
    id: message.id,
    seq: message.seq,
    role: message.role,
    text: message.text,
    createdAt: message.createdAt,
    ...(message.attachments?.length ? { attachments: message.attachments } : {}),
  };
}

const PROFILE_FIELDS = ['name', 'email', 'phone'] as const;

export function makeApiChannel(deps: ApiChannelDeps) {
  /**
   * The customer of the identity, created with the profile the app sent; on later messages only fields still empty are
   * filled (agents' edits in the console are never overwritten by the app).
   */
  const ensureCustomer = async (identity: string, profile: ApiCustomer): Promise<void> => {
    const id = customerIdForIdentity('api', identity);
    const given = Object.fromEntries(PROFILE_FIELDS.filter((f) => profile[f] !== undefined).map((f) => [f, profile[f]!])) as Partial<Pick<Customer, 'name' | 'email' | 'phone'>>;
    const existing = await deps.customers.get(id);
    if (!existing) {
      // Two first messages at once write the same customer twice: the same identity and profile, harmless.
      await deps.customers.put({ id, tier: 'standard', identities: [{ channel: 'api', value: identity }], createdAt: deps.clock.now().toISOString(), ...given });
      return;
    }
    const missing = Object.fromEntries(Object.entries(given).filter(([field]) => existing[field as keyof typeof given] === undefined));
    if (Object.keys(missing).length === 0) return;
    // Conditional on the version read: an agent's edit meanwhile wins, and the fill is dropped (best effort).
    await deps.customers.replace({ ...existing, ...missing }, existing.version ?? 0);
  };

  return {
    async postMessage(key: ApiKeyRecord, input: ApiMessageInput, options: { groupId?: string } = {}) {
      // Checked before anything is stored: intake would create the customer and conversation before refusing it.
      if (input.text.trim() === '') invalid('text', 'must not be empty');
      const identity = apiIdentity(key.owner, input.customer.externalId);
      await ensureCustomer(identity, input.customer);
      // A key with a callback asks for pushed replies: the thread (kept on the conversation) makes them outbound.
      const thread = key.callbackUrl ? { thread: { apiKeyId: key.keyId, push: '1' } } : {};
      const result = await makeChannelIntake(deps)({ channel: 'api', kind: 'text', sender: identity, dedupeId: input.clientMessageId, sentAt: deps.clock.now(), text: input.text, ...thread }, options.groupId ? { groupId: options.groupId } : {});
      if (result.kind !== 'message') throw new Error('a text message was taken in as an event');
      return { conversationId: result.conversationId, messageId: result.messageId, seq: result.seq, duplicate: result.duplicate };
    },

    /** The customer-visible transcript after `afterSeq`; conversations of other key owners (or channels) do not exist. */
    async listMessages(key: ApiKeyRecord, input: { conversationId: string; afterSeq: number; limit: number }) {
      const notFound = () => new DomainError('CONVERSATION.NOT_FOUND', `conversation ${input.conversationId} does not exist`);
      const conversation = await deps.store.get(input.conversationId);
      if (!conversation || conversation.channel !== 'api') throw notFound();
      const customer = await deps.customers.get(conversation.customerId);
      if (!customer?.identities.some((i) => i.channel === 'api' && identityOwnedBy(key.owner, i.value))) throw notFound();
      const messages = await deps.store.listMessages(conversation.id, { afterSeq: input.afterSeq, limit: input.limit });
      return {
        conversationId: conversation.id,
        status: conversation.status,
        messages: messages.map(apiMessageView),
        lastSeq: messages.at(-1)?.seq ?? input.afterSeq,
      };
    },
  };
}
