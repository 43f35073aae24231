/**
 * Tickets API for agents and supervisors: create (by API, or from a conversation with its transcript, customer,
 * channel and order number), read with comments, history and SLA clocks, update (conditional on the version read),
 * public replies (sent to the customer through their conversation) and internal notes, links, merge, search.
 */
import * as z from 'zod/mini';
import { makeNotifyTicketReply } from '../../../shared/application/escalation.use-cases.ts';
import { makeTicketSlaHook, slaViewOf } from '../../../shared/application/sla.use-cases.ts';
import {
  makeAddComment,
  makeCreateTicket,
  makeCreateTicketFromConversation,
  makeGetTicket,
  makeLinkTickets,
  makeMergeTickets,
  makeSearchTickets,
  makeUpdateTicket,
  type TicketDeps,
} from '../../../shared/application/ticket.use-cases.ts';
import { DynamoDbFlowSessions } from '../../../shared/adapters/dynamodb/flows.dynamodb.ts';
import { dynamoDocumentClient } from '../../../shared/adapters/dynamodb/document-client.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { clock, conversationStore, ids, routingStore, ticketStore } from '../../../shared/adapters/wiring/storage.ts';
import { tableName } from '../../../shared/config/runtime-config.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../../shared/domain/tickets/ticket.ts';
import { httpFunction, validate, type HttpRequest } from '../../../shared/observability/handler-kit.ts';

const deps = once(
  (): TicketDeps => ({
    tickets: ticketStore(),
    clock,
    ids,
    sla: makeTicketSlaHook({ routing: routingStore() }),
    notifyCustomer: makeNotifyTicketReply({ store: conversationStore(), live: liveUpdates(), clock, ids }),
  }),
);
const flowSessions = once(() => new DynamoDbFlowSessions(dynamoDocumentClient(), tableName('conversations')));

const id = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:@#-]+$/, 'must be letters, digits and . _ : @ # -'));
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const tags = z.array(z.string().check(z.minLength(1), z.maxLength(50))).check(z.maxLength(20));
const customFields = z.record(z.string().check(z.minLength(1), z.maxLength(64)), z.nullable(z.union([z.string().check(z.maxLength(1000)), z.number(), z.boolean()])));
const idempotencyKey = z.string().check(z.minLength(1), z.maxLength(200));

/** What a creator may set on a new ticket, by API or from a conversation. */
const ticketFields = {
  type: z.optional(z.enum(TICKET_TYPES)),
  priority: z.optional(z.enum(TICKET_PRIORITIES)),
  assigneeId: z.optional(id),
  groupId: z.optional(id),
  tags: z.optional(tags),
  customFields: z.optional(customFields),
  idempotencyKey: z.optional(idempotencyKey),
};
const createSchema = z.strictObject({
  ...ticketFields,
  customerId: id,
  subject: text(200),
  description: z.string().check(z.maxLength(20_000)),
  channel: z.optional(z.string()),
  conversationId: z.optional(id),
  orderNumber: z.optional(text(64)),
});
const fromConversationSchema = z.strictObject({ ...ticketFields, subject: z.optional(text(200)) });
const updateSchema = z.strictObject({
  version: z.int().check(z.minimum(1)),
  status: z.optional(z.enum(TICKET_STATUSES)),
  priority: z.optional(z.enum(TICKET_PRIORITIES)),
  type: z.optional(z.enum(TICKET_TYPES)),
  subject: z.optional(text(200)),
  assigneeId: z.optional(z.nullable(id)),
  groupId: z.optional(z.nullable(id)),
  tags: z.optional(tags),
  addTags: z.optional(tags),
  removeTags: z.optional(tags),
  customFields: z.optional(customFields),
});
const commentSchema = z.strictObject({ visibility: z.enum(['public', 'internal']), text: text(10_000) });
const linkSchema = z.union([z.strictObject({ otherTicketId: id }), z.strictObject({ conversationId: id })]);
const mergeSchema = z.strictObject({ targetId: id, sourceVersion: z.optional(z.int().check(z.minimum(1))), targetVersion: z.optional(z.int().check(z.minimum(1))) });
const searchSchema = z.strictObject({
  status: z.optional(z.enum(TICKET_STATUSES)),
  assigneeId: z.optional(id),
  customerId: z.optional(id),
  conversationId: z.optional(id),
  dueBefore: z.optional(z.string()),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, 'must be a number from 1 to 100'))),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

function actor(request: HttpRequest): string {
  if (!request.principal.subject) throw new DomainError('AUTH.UNAUTHENTICATED', 'a console token is required');
  return request.principal.subject;
}

/** `Idempotency-Key` header, or the body's idempotencyKey: a retried create returns the first ticket. */
function keyOf(request: HttpRequest, body: { idempotencyKey?: string }): string | undefined {
  const header = request.event.headers?.['idempotency-key'];
  return body.idempotencyKey ?? (header ? validate(idempotencyKey, header) : undefined);
}

const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export const handler = httpFunction('tickets', {
  searchTickets: async (request) => {
    const q = validate(searchSchema, request.query);
    const page = await makeSearchTickets(deps())(
      defined({ ...q, assigneeId: q.assigneeId === 'me' ? actor(request) : q.assigneeId, limit: q.limit === undefined ? undefined : Number(q.limit) }),
    );
    return { status: 200, body: page };
  },
  createTicket: async (request) => {
    const input = validate(createSchema, request.body);
    const key = keyOf(request, input);
    const result = await makeCreateTicket(deps())(defined({ ...input, actor: actor(request), idempotencyKey: key, customFields: input.customFields as Record<string, unknown> | undefined }));
    return { status: result.created ? 201 : 200, body: result };
  },
  ticketFromConversation: async (request) => {
    const input = validate(fromConversationSchema, request.body);
    const conversation = await conversationStore().get(request.params.id!);
    if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${request.params.id} does not exist`);
    const key = keyOf(request, input);
    const assigneeId = input.assigneeId ?? conversation.assignedAgentId;
    const groupId = input.groupId ?? conversation.groupId;
    const result = await makeCreateTicketFromConversation({ ...deps(), conversations: conversationStore(), flowSessions: flowSessions() })(
      defined({ ...input, conversationId: conversation.id, actor: actor(request), idempotencyKey: key, assigneeId, groupId, customFields: input.customFields as Record<string, unknown> | undefined }),
    );
    return { status: result.created ? 201 : 200, body: result };
  },
  getTicket: async (request) => {
    const found = await makeGetTicket(deps())({ ticketId: request.params.id! });
    return { status: 200, body: { ...found, sla: (await slaViewOf({ routing: routingStore() }, found.ticket, clock.now())) ?? null } };
  },
  updateTicket: async (request) => {
    const input = validate(updateSchema, request.body);
    const result = await makeUpdateTicket(deps())(defined({ ...input, ticketId: request.params.id!, actor: actor(request) }));
    return { status: 200, body: result };
  },
  commentTicket: async (request) => {
    const input = validate(commentSchema, request.body);
    const result = await makeAddComment(deps())({ ticketId: request.params.id!, actor: actor(request), visibility: input.visibility, text: input.text });
    return { status: 201, body: result };
  },
  linkTicket: async (request) => {
    const input = validate(linkSchema, request.body);
    return { status: 200, body: await makeLinkTickets(deps())({ ticketId: request.params.id!, actor: actor(request), ...input }) };
  },
  mergeTicket: async (request) => {
    const input = validate(mergeSchema, request.body);
    return { status: 200, body: await makeMergeTickets(deps())(defined({ sourceId: request.params.id!, actor: actor(request), ...input })) };
  },
});
