/**
 * Message intake: the messages table's stream delivers newly stored customer messages, in order per conversation;
 * each runs the message workflow. On a failure the batch stops there and reports that record, so the stream
 * redelivers it and everything after it in order (never lost, never reordered); the policy step is idempotent.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { makeProcessCustomerMessage } from '../../../shared/application/message-processing.use-cases.ts';
import { makeTicketSlaHook } from '../../../shared/application/sla.use-cases.ts';
import { makeCustomerWroteInConversation } from '../../../shared/application/ticket.use-cases.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { clock, conversationStore, ids, routingStore, ticketStore } from '../../../shared/adapters/wiring/storage.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { workflowGateway } from '../../../shared/adapters/wiring/workflows.ts';
import { loadStepFunctionsSdk } from '../../../shared/adapters/stepfunctions/client.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { logger, metrics, rawFunction } from '../../../shared/observability/handler-kit.ts';

// Every invocation starts the message workflow: load the Step Functions SDK during init, not on the first message.
await loadStepFunctionsSdk();

/** A message in a conversation with a ticket also goes on the ticket (reopening it; its SLA clocks move with it). */
const ticketMessage = once(() => makeCustomerWroteInConversation({ tickets: ticketStore(), clock, ids, sla: makeTicketSlaHook({ routing: routingStore() }) }));

export const handler = rawFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>('message-intake', 'stream', async (event) => {
  const process = makeProcessCustomerMessage({ store: conversationStore(), workflows: workflowGateway(), live: liveUpdates(), onTicketMessage: ticketMessage() });
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (item.kind !== 'message' || item.role !== 'customer') continue;
    logger.setCorrelationId(item.pk);
    logger.appendKeys({ conversationId: item.pk, messageId: item.id });
    meter.attribute(item.pk, typeof item.channel === 'string' ? item.channel : undefined);
    try {
      const result = await process({
        conversationId: item.pk,
        id: item.id,
        seq: item.seq,
        text: item.text,
        role: 'customer',
        createdAt: item.createdAt,
        ...(item.ownerAtWrite ? { ownerAtWrite: item.ownerAtWrite } : {}),
        ...(item.ticketAtWrite ? { ticketAtWrite: item.ticketAtWrite } : {}),
        ...(item.channel ? { channel: item.channel } : {}),
      });
      metrics.addMetric(result.outcome === 'processed' ? 'MessagesProcessed' : 'MessagesSkipped', MetricUnit.Count, 1);
    } catch (error) {
      logger.error('message processing failed; the stream will redeliver it', { error: error as Error });
      metrics.addMetric('MessagesFailed', MetricUnit.Count, 1);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
});
