/**
 * Analytics: the conversations table's stream delivers every changed conversation with its old and new image; each
 * change's facts (engaged, handed off, accepted, first response, resolved, rated, a scored customer turn, a bot reply)
 * are added to the daily counters once (a fact marker makes a redelivered record count nothing). Reports never scan
 * conversations. A failure reports that record; the stream retries it, then dead-letters it (with an alarm).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { makeRecordConversationChange } from '../../../shared/application/analytics.use-cases.ts';
import { analyticsStore } from '../../../shared/adapters/wiring/storage.ts';
import { reportTimeZone } from '../../../shared/config/runtime-config.ts';
import type { Conversation } from '../../../shared/domain/conversation/conversation.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { logger, metrics, rawFunction } from '../../../shared/observability/handler-kit.ts';

const image = (raw: unknown) => (raw ? (unmarshall(raw as Record<string, AttributeValue>) as Partial<Conversation>) : undefined);

export const handler = rawFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>('analytics', 'stream', async (event) => {
  const record = makeRecordConversationChange({ analytics: analyticsStore(), timeZone: reportTimeZone() });
  let facts = 0;
  for (const change of event.Records) {
    const next = image(change.dynamodb?.NewImage);
    if (!next) continue;
    meter.attribute(next.id, next.channel);
    try {
      facts += (await record(image(change.dynamodb?.OldImage), next)).recorded;
    } catch (error) {
      logger.error('analytics facts could not be recorded; the stream will redeliver the change', { conversationId: next.id, error: error as Error });
      metrics.addMetric('AnalyticsFailed', MetricUnit.Count, 1);
      return { batchItemFailures: [{ itemIdentifier: change.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  if (facts) metrics.addMetric('AnalyticsFacts', MetricUnit.Count, facts);
  return { batchItemFailures: [] };
});
