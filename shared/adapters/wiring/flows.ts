/**
 * The multi-turn flows a function runs: definitions from the knowledge-log table (edited through the admin API),
 * sessions on the conversations table, the company's systems through the HTTP connector (KEFU_FLOW_CONNECTORS), and
 * tickets in the tickets table with an id derived from the flow's idempotency key (a retried turn finds the same one).
 */
import { createHash } from 'node:crypto';
import { makeFlowTurn } from '../../application/flow.use-cases.ts';
import { orderNumberFromSlots } from '../../domain/tickets/ticket.ts';
import { tableName } from '../../config/runtime-config.ts';
import { logger } from '../../observability/powertools.ts';
import { COMMON_ENV } from '../../manifest/manifest.ts';
import { optionalEnv, requireEnv } from '../../config/runtime-config.ts';
import type { Connector } from '../../ports/flows.ts';
import { CONNECTORS_ENV, connectorConfigFromEnv, HttpConnector, parseConnectorConfig } from '../connector/http-connector.ts';
import { lambdaSecretString } from '../secrets/secrets-extension.ts';
import { dynamoDocumentClient } from '../dynamodb/document-client.ts';
import { DynamoDbFlowCatalog, DynamoDbFlowSessions } from '../dynamodb/flows.dynamodb.ts';
import { once } from './once.ts';
import { clock, conversationStore, ticketStore } from './storage.ts';

/** How long a ticket a flow opens may wait for its first answer. */
const FLOW_TICKET_DUE_HOURS = 24;

/**
 * The HTTP connector, configured on first use: locally from KEFU_FLOW_CONNECTORS (JSON), in AWS from the flow
 * connectors secret through the Parameters and Secrets extension (cached by the extension for five minutes).
 */
function lazyConnector(): Connector {
  let connector: Promise<HttpConnector> | undefined;
  const load = async () => {
    const log = { log: (entry: object) => logger.info('connector call', { ...entry }) };
    if (optionalEnv(CONNECTORS_ENV) !== undefined || optionalEnv(COMMON_ENV.connectorsSecretArn) === undefined) return new HttpConnector(connectorConfigFromEnv(), log);
    const secret = await lambdaSecretString(requireEnv(COMMON_ENV.connectorsSecretArn));
    return new HttpConnector(parseConnectorConfig(JSON.parse(secret)), log);
  };
  return {
    call: async (name, request, options) => {
      if (!connector) {
        connector = load();
        // A failed read is retried on the next call rather than cached.
        connector.catch(() => {
          connector = undefined;
        });
      }
      return (await connector).call(name, request, options);
    },
  };
}

export const flowCatalog = once(() => new DynamoDbFlowCatalog(dynamoDocumentClient(), tableName('knowledge-log')));

export const flowTurn = once(() =>
  makeFlowTurn({
    flows: flowCatalog(),
    sessions: new DynamoDbFlowSessions(dynamoDocumentClient(), tableName('conversations')),
    connector: lazyConnector(),
    tickets: async (draft) => {
      const conversation = await conversationStore().get(draft.conversationId);
      const now = clock.now();
      const orderNumber = orderNumberFromSlots(draft.slots);
      const ticket = await ticketStore().createOnce({
        id: `tkt_${createHash('sha256').update(draft.idempotencyKey).digest('hex').slice(0, 20)}`,
        conversationId: draft.conversationId,
        customerId: conversation?.customerId ?? 'unknown',
        type: draft.type,
        status: 'new',
        priority: draft.priority,
        subject: draft.subject,
        description: draft.description,
        createdAt: now.toISOString(),
        dueAt: new Date(now.getTime() + FLOW_TICKET_DUE_HOURS * 3_600_000).toISOString(),
        ...(conversation ? { channel: conversation.channel } : {}),
        ...(orderNumber ? { orderNumber } : {}),
      });
      return { id: ticket.id };
    },
    clock,
  }),
);
