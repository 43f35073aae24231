/**
 * The multi-turn flows a function runs: definitions from the knowledge-log table (edited through the admin API),
 * sessions on the conversations table, the company's systems through the HTTP connector (KEFU_FLOW_CONNECTORS), and
 * tickets in the tickets table with an id derived from the flow's idempotency key (a retried turn finds the same one).
 */
import { createHash } from 'node:crypto';
import { makeFlowTurn } from '../../application/flow.use-cases.ts';
import { withStartedSla } from '../../application/sla.use-cases.ts';
import { orderNumberFromSlots, type NewTicket } from '../../domain/tickets/ticket.ts';
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
import { clock, conversationStore, routingStore, ticketStore } from './storage.ts';

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
    tickets: async (draft0) => {
      const conversation = await conversationStore().get(draft0.conversationId);
      const now = clock.now();
      const orderNumber = orderNumberFromSlots(draft0.slots);
      const draft: NewTicket = {
        id: `tkt_${createHash('sha256').update(draft0.idempotencyKey).digest('hex').slice(0, 20)}`,
        conversationId: draft0.conversationId,
        customerId: conversation?.customerId ?? 'unknown',
        type: draft0.type,
        status: 'new',
        priority: draft0.priority,
        subject: draft0.subject,
        description: draft0.description,
        createdAt: now.toISOString(),
        links: [{ kind: 'conversation', conversationId: draft0.conversationId, at: now.toISOString() }],
        ...(conversation?.groupId ? { groupId: conversation.groupId } : {}),
        ...(conversation ? { channel: conversation.channel } : {}),
        ...(orderNumber ? { orderNumber } : {}),
      };
      // The ticket's SLA clocks start now, on its group's calendar (the SLA scheduler times its warnings and breaches).
      const ticket = await ticketStore().createOnce((await withStartedSla({ routing: routingStore() }, draft, now)).ticket);
      return { id: ticket.id };
    },
    clock,
  }),
);
