/**
 * Routing administration API: agents (skills, levels, groups, capacity), routing groups, business calendars and SLA
 * policies. Writes need the admin role; supervisors may read (the manifest's routes, enforced before a handler runs).
 * A PUT creates (201) or replaces (200); every check is in the use cases (shared/application/routing-admin.use-cases.ts).
 */
import { makeChannelSettings, makeRoutingAdmin } from '../../../shared/application/routing-admin.use-cases.ts';
import { dynamoDocumentClient } from '../../../shared/adapters/dynamodb/document-client.ts';
import { DynamoDbRoutingStore } from '../../../shared/adapters/dynamodb/routing.dynamodb.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { clock } from '../../../shared/adapters/wiring/storage.ts';
import { tableName } from '../../../shared/config/runtime-config.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import { httpFunction } from '../../../shared/observability/handler-kit.ts';

/**
 * The routing store on the agents table alone. The shared `routingStore()` also reads the conversations table's name,
 * which this function is not given (its manifest entry grants the agents table only): in AWS it would fail on every
 * request. Administration never moves a conversation; if something here tried, the call would fail (no such table).
 */
const NO_CONVERSATIONS_TABLE = 'routing-admin-has-no-conversations-table';
const admin = once(() => makeRoutingAdmin({ routing: new DynamoDbRoutingStore(dynamoDocumentClient(), { agents: tableName('agents'), conversations: NO_CONVERSATIONS_TABLE }), clock }));

const written = (created: boolean, body: unknown) => ({ status: created ? 201 : 200, body });

// Channel settings (the web chat's today), on the same agents table.
const channels = once(() => {
  const store = new DynamoDbRoutingStore(dynamoDocumentClient(), { agents: tableName('agents'), conversations: NO_CONVERSATIONS_TABLE });
  return makeChannelSettings({ routing: store, channels: store, clock });
});

export const handler = httpFunction('routing-admin', {
  listAgents: async () => ({ status: 200, body: { agents: await admin().listAgents() } }),
  getAgent: async ({ params }) => ({ status: 200, body: await admin().getAgent(params.agentId!) }),
  putAgent: async ({ params, body }) => {
    const { agent, created } = await admin().putAgent(params.agentId!, body);
    return written(created, agent);
  },

  listGroups: async () => ({ status: 200, body: { groups: await admin().listGroups() } }),
  getGroup: async ({ params }) => ({ status: 200, body: await admin().getGroup(params.groupId!) }),
  putGroup: async ({ params, body }) => {
    const { group, created } = await admin().putGroup(params.groupId!, body);
    return written(created, group);
  },

  listCalendars: async () => ({ status: 200, body: { calendars: await admin().listCalendars() } }),
  getCalendar: async ({ params }) => ({ status: 200, body: await admin().getCalendar(params.calendarId!) }),
  putCalendar: async ({ params, body }) => {
    const { calendar, created } = await admin().putCalendar(params.calendarId!, body);
    return written(created, calendar);
  },

  listSlaPolicies: async () => ({ status: 200, body: { policies: await admin().listSlaPolicies() } }),
  getSlaPolicy: async ({ params }) => ({ status: 200, body: await admin().getSlaPolicy(params.policyId!) }),
  putSlaPolicy: async ({ params, body }) => {
    const { policy, created } = await admin().putSlaPolicy(params.policyId!, body);
    return written(created, policy);
  },

  listChannels: async () => ({ status: 200, body: await channels().listChannels() }),
  putChannel: async ({ params, body, principal }) => {
    if (!principal.subject) throw new DomainError('AUTH.UNAUTHENTICATED', 'a console token is required');
    return { status: 200, body: await channels().putChannel(params.channelId!, body, principal.subject) };
  },
});
