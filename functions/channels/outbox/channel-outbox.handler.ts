/**
 * The channel outbox: the messages table's stream hands over every reply stored with `outbox: pending` (bot, agent
 * and system messages on channels with their own send API), in order per conversation; each is delivered once
 * (see channel-outbox.use-cases.ts). A reply that still fails retryably after its tries stops the batch at that
 * record, so the stream retries it and everything after it in order, then sends it to the dead-letter queue.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { makeDeliverReply } from '../../../shared/application/channel-outbox.use-cases.ts';
import { channelKit } from '../../../shared/adapters/wiring/channels.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { clock, conversationStore, customerDirectory } from '../../../shared/adapters/wiring/storage.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { logger, metrics, rawFunction } from '../../../shared/observability/handler-kit.ts';

export const handler = rawFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>('channel-outbox', 'stream', async (event) => {
  const deliver = makeDeliverReply({ store: conversationStore(), customers: customerDirectory(), clock, live: liveUpdates(), channel: channelKit });
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (item.kind !== 'message' || item.outbox !== 'pending') continue;
    logger.setCorrelationId(item.pk);
    logger.appendKeys({ conversationId: item.pk, messageId: item.id });
    meter.attribute(item.pk);
    try {
      const result = await deliver({ conversationId: item.pk, seq: item.seq });
      logger.info('outbox', { ...result });
      metrics.addMetric(result.outcome === 'sent' ? 'RepliesSent' : result.outcome === 'failed' ? 'RepliesFailed' : 'RepliesSkipped', MetricUnit.Count, 1);
    } catch (error) {
      logger.error('delivery failed; the stream will retry it', { error: error as Error });
      metrics.addMetric('RepliesRetried', MetricUnit.Count, 1);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
});
