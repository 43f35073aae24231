/**
 * Agent console API: the queue, a conversation's context, accept, reply, internal notes, resolve, and editing a
 * customer's profile. Every route needs an agent-role JWT.
 */
import * as z from 'zod/mini';
import { makeEditCustomer } from '../../../shared/application/customer.use-cases.ts';
import { makeGetCustomerIdentity, makeMergeCustomers, makeSearchCustomers, makeSplitIdentity } from '../../../shared/application/customer-identity.use-cases.ts';
import { makeGetAttachment } from '../../../shared/application/attachments.use-cases.ts';
import { makeAddNote, makeAgentReply, makeGetConversationContext, makeListQueue } from '../../../shared/application/escalation.use-cases.ts';
import { objectStore } from '../../../shared/adapters/wiring/objects.ts';
import {
  makeAcceptConversation,
  makeDeclineOffer,
  makeFloorView,
  makeResolveConversation,
  makeSetPresence,
  makeTouchAgent,
  makeTransferConversation,
} from '../../../shared/application/routing.use-cases.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { agentDirectory, clock, conversationStore, customerDirectory, ids, escalation, routingStore, ticketStore } from '../../../shared/adapters/wiring/storage.ts';
import { workflowGateway } from '../../../shared/adapters/wiring/workflows.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import { describeIssues } from '../../../shared/domain/validation-issues.ts';
import { httpFunction, validate, type HttpRequest, type HttpResult } from '../../../shared/observability/handler-kit.ts';

const deps = () => ({
  store: conversationStore(),
  live: liveUpdates(),
  clock,
  ids,
  workflows: workflowGateway(),
  agents: agentDirectory(),
  customers: customerDirectory(),
  tickets: ticketStore(),
  routing: routingStore(),
  settings: escalation(),
});

const replySchema = z.strictObject({
  text: z.string().check(z.maxLength(10_000, 'text must be at most 10000 characters')),
  clientMessageId: z.optional(z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:-]+$/))),
});
// eslint-disable-next-line no-control-regex -- control characters are what the key may not contain
const attachmentQuery = z.object({ key: z.string().check(z.regex(/^email\/attachments\/[^\u0000-\u001f]{1,400}$/, 'the key of one of the conversation\'s attachments')) });
const emptySchema = z.strictObject({});
const presenceSchema = z.strictObject({ presence: z.enum(['online', 'away', 'offline']) });
const agentIdSchema = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:@-]+$/));
const transferSchema = z.strictObject({
  to: z.union([z.strictObject({ agentId: agentIdSchema }), z.strictObject({ groupId: agentIdSchema })]),
  note: z.optional(z.string().check(z.maxLength(2000))),
});

const clientIdSchema = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:-]+$/));
// Lengths are checked by the use cases, so that too long a note or tag is a 400 naming the field (not a 413).
const noteSchema = z.strictObject({ text: z.string(), clientNoteId: z.optional(clientIdSchema) });
const customerPatchSchema = z.strictObject({
  name: z.optional(z.string()),
  tier: z.optional(z.string()),
  tags: z.optional(z.array(z.string())),
  notes: z.optional(z.string()),
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
  /** Optimistic concurrency: the customer's `version` the edit was made on (absent: apply to the current one). */
  expectedVersion: z.optional(z.int().check(z.minimum(0))),
});

// Customer identity (supervisors and admins): merge another customer into this one, split an identity off.
const customerIdSchema = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:@-]+$/));
const mergeSchema = z.strictObject({
  sourceCustomerId: customerIdSchema,
  reason: z.string(),
  /** Optimistic concurrency: the versions the merge was decided on (absent: the current ones). */
  expectedVersion: z.optional(z.int().check(z.minimum(0))),
  sourceExpectedVersion: z.optional(z.int().check(z.minimum(0))),
});
const splitSchema = z.strictObject({
  channel: z.enum(['webchat', 'wechat', 'wecom', 'email', 'whatsapp', 'telegram', 'line', 'sms', 'api']),
  value: z.string().check(z.minLength(1), z.maxLength(512)),
  reason: z.string(),
  expectedVersion: z.optional(z.int().check(z.minimum(0))),
});

/** Like validate, but every problem names its field (an unknown field included), always as a 400. */
function parseNamed<T extends z.ZodMiniType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = describeIssues(result.error.issues, '(body)');
  throw new DomainError('REQUEST.VALIDATION_FAILED', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

function agentId(request: HttpRequest): string {
  if (!request.principal.subject) throw new DomainError('AUTH.UNAUTHENTICATED', 'a console token is required');
  return request.principal.subject;
}

/**
 * Every console call counts as the agent's activity (presence by inactivity): recorded alongside the call, at most
 * once a minute per agent, and never failing the call it rides on.
 */
function active<R extends Record<string, (request: HttpRequest) => Promise<HttpResult>>>(routes: R): R {
  const touch = (id: string) => makeTouchAgent({ routing: routingStore(), clock })(id);
  return Object.fromEntries(
    Object.entries(routes).map(([name, route]) => [
      name,
      async (request: HttpRequest) => {
        const touched = request.principal.subject ? touch(request.principal.subject).catch(() => undefined) : undefined;
        const [result] = await Promise.all([route(request), touched]);
        return result;
      },
    ]),
  ) as R;
}

export const handler = httpFunction('agent-console', active({
  // Every group's queue: the default one and each configured group (the overflow team's included).
  queue: async () => ({ status: 200, body: await makeListQueue(deps())(['default', ...(await routingStore().listGroups()).map((g) => g.id).filter((id) => id !== 'default')]) }),
  me: async (request) => {
    const agent = await agentDirectory().get(agentId(request));
    if (!agent) throw new DomainError('AGENT.NOT_FOUND', 'you are signed in but not in the agent directory');
    return { status: 200, body: { ...agent, roles: request.principal.roles } };
  },
  // The chats the signed-in agent is serving (another tab, a reload, a transfer to them all show up here).
  myConversations: async (request) => {
    const mine = await conversationStore().listAssigned(agentId(request), 100);
    return { status: 200, body: { conversations: mine.map((c) => ({ id: c.id, channel: c.channel, customerId: c.customerId, status: c.status, groupId: c.groupId ?? 'default', priority: c.priority ?? 5, acceptedAt: c.acceptedAt ?? null, lastMessageAt: c.lastMessageAt ?? null, handoffReason: c.handoffReason ?? null, mood: c.mood ? { emotion: c.mood.emotion, trend: c.mood.trend } : null })) } };
  },
  conversation: async ({ params }) => ({ status: 200, body: await makeGetConversationContext(deps())(params.id!) }),
  // A customer's e-mail attachment, as a download (only files the conversation lists; at most 5 MB).
  attachment: async ({ params, query }) => {
    const key = validate(attachmentQuery, query).key;
    const file = await makeGetAttachment({ store: conversationStore(), objects: objectStore() })(params.id!, key);
    const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    return {
      status: 200,
      raw: { contentType: file.contentType || 'application/octet-stream', body: Buffer.from(file.bytes).toString('base64'), base64: true },
      headers: { 'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`, 'x-content-type-options': 'nosniff' },
    };
  },
  accept: async (request) => {
    validate(emptySchema, request.body);
    return { status: 200, body: await makeAcceptConversation(deps())({ conversationId: request.params.id!, agentId: agentId(request) }) };
  },
  reply: async (request) => {
    const input = validate(replySchema, request.body);
    return { status: 201, body: await makeAgentReply(deps())({ conversationId: request.params.id!, agentId: agentId(request), ...input }) };
  },
  addNote: async (request) => {
    const input = parseNamed(noteSchema, request.body);
    return { status: 201, body: await makeAddNote(deps())({ conversationId: request.params.id!, agentId: agentId(request), text: input.text, ...(input.clientNoteId ? { clientNoteId: input.clientNoteId } : {}) }) };
  },
  updateCustomer: async (request) => {
    const { expectedVersion, ...patch } = parseNamed(customerPatchSchema, request.body);
    const mayChangeTier = request.principal.roles.some((r) => r === 'supervisor' || r === 'admin');
    const customer = await makeEditCustomer(deps())({ customerId: request.params.customerId!, by: { agentId: agentId(request), mayChangeTier }, patch, ...(expectedVersion !== undefined ? { expectedVersion } : {}) });
    return { status: 200, body: customer };
  },
  searchCustomers: async (request) => ({ status: 200, body: await makeSearchCustomers(deps())(request.query.q ?? '') }),
  getCustomerIdentity: async (request) => ({ status: 200, body: await makeGetCustomerIdentity(deps())(request.params.customerId!) }),
  mergeCustomers: async (request) => {
    const input = parseNamed(mergeSchema, request.body);
    return { status: 200, body: await makeMergeCustomers(deps())({ customerId: request.params.customerId!, by: agentId(request), ...input }) };
  },
  splitCustomerIdentity: async (request) => {
    const input = parseNamed(splitSchema, request.body);
    return { status: 200, body: await makeSplitIdentity(deps())({ customerId: request.params.customerId!, by: agentId(request), ...input }) };
  },
  presence: async (request) => {
    const input = validate(presenceSchema, request.body);
    return { status: 200, body: await makeSetPresence(deps())({ agentId: agentId(request), presence: input.presence }) };
  },
  decline: async (request) => {
    validate(emptySchema, request.body);
    return { status: 200, body: await makeDeclineOffer(deps())({ conversationId: request.params.id!, agentId: agentId(request) }) };
  },
  transfer: async (request) => {
    const input = validate(transferSchema, request.body);
    const supervisor = request.principal.roles.some((r) => r === 'supervisor' || r === 'admin');
    const conversation = await conversationStore().get(request.params.id!);
    const bySupervisor = supervisor && conversation?.assignedAgentId !== agentId(request);
    return { status: 200, body: await makeTransferConversation(deps())({ conversationId: request.params.id!, agentId: agentId(request), to: input.to, ...(input.note ? { note: input.note } : {}), bySupervisor }) };
  },
  floor: async () => ({ status: 200, body: await makeFloorView(deps())() }),
  resolve: async (request) => {
    validate(emptySchema, request.body);
    return { status: 200, body: await makeResolveConversation(deps())({ conversationId: request.params.id!, agentId: agentId(request) }) };
  },
}));
