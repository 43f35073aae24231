/**
 * The storage adapters (DynamoDB), ids and clock a function uses, created once per process and lazily, so that a
 * function needs only the environment of what it uses. Each wiring module imports only its own SDK client, so a
 * function loads (cold start) only the clients it needs.
 */
import { DynamoDbChannelCursors } from '../dynamodb/channel-cursors.dynamodb.ts';
import { monotonicFactory } from 'ulid';
import { escalationSettings, tableName } from '../../config/runtime-config.ts';
import { systemClock, type Clock, type Ids } from '../../ports/gateways.ts';
import { dynamoDocumentClient } from '../dynamodb/document-client.ts';
import { DynamoDbConversationStore } from '../dynamodb/conversation.store.dynamodb.ts';
import { DynamoDbRoutingStore } from '../dynamodb/routing.dynamodb.ts';
import { DynamoDbAgentDirectory, DynamoDbCustomerDirectory } from '../dynamodb/directory.dynamodb.ts';
import { DynamoDbTicketStore } from '../dynamodb/tickets.dynamodb.ts';
import { DynamoDbAnalyticsStore } from '../dynamodb/analytics.dynamodb.ts';
import { DynamoDbCostLedger } from '../dynamodb/costs.dynamodb.ts';
import { DynamoDbKnowledgeRepository, DynamoDbUnansweredLog } from '../dynamodb/knowledge.repository.dynamodb.ts';
import { ConnectionRegistry } from '../websocket/connection-registry.dynamodb.ts';
import { once } from './once.ts';

const ulid = monotonicFactory();
export const ids: Ids = { next: () => ulid().toLowerCase() };
export const clock: Clock = systemClock;

export const conversationStore = once(
  () => new DynamoDbConversationStore(dynamoDocumentClient(), { conversations: tableName('conversations'), messages: tableName('messages'), idempotency: tableName('idempotency') }),
);
export const agentDirectory = once(() => new DynamoDbAgentDirectory(dynamoDocumentClient(), tableName('agents')));
export const customerDirectory = once(() => new DynamoDbCustomerDirectory(dynamoDocumentClient(), tableName('customers')));
export const knowledgeRepository = once(() => new DynamoDbKnowledgeRepository(dynamoDocumentClient(), { knowledge: tableName('knowledge'), log: tableName('knowledge-log') }));
export const unansweredLog = once(() => new DynamoDbUnansweredLog(dynamoDocumentClient(), { log: tableName('knowledge-log') }));
export const costLedger = once(() => new DynamoDbCostLedger(dynamoDocumentClient(), tableName('costs')));
export const analyticsStore = once(() => new DynamoDbAnalyticsStore(dynamoDocumentClient(), tableName('analytics')));
export const ticketStore = once(() => new DynamoDbTicketStore(dynamoDocumentClient(), tableName('tickets')));
export const channelCursors = once(() => new DynamoDbChannelCursors(dynamoDocumentClient(), tableName('idempotency')));
export const connectionRegistry = once(() => new ConnectionRegistry(dynamoDocumentClient(), tableName('connections')));
export const escalation = once(() => escalationSettings());
export const routingStore = once(() => new DynamoDbRoutingStore(dynamoDocumentClient(), { conversations: tableName('conversations'), agents: tableName('agents') }));
