/**
 * SLA scheduler: the tickets table's stream delivers every changed ticket; each SLA state with a pending warning or
 * breach gets its timer (one Standard execution per SLA version, named after it, so a redelivered record or a ticket
 * change that left the SLA alone starts nothing new). A failure reports that record, and the stream retries it, then
 * dead-letters it (with an alarm): a timer is never silently lost, and nothing ever scans for due tickets.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { makeScheduleSlaTimer } from '../../../shared/application/sla.use-cases.ts';
import { clock } from '../../../shared/adapters/wiring/storage.ts';
import { slaTimers } from '../../../shared/adapters/wiring/workflows.ts';
import { logger, metrics, rawFunction } from '../../../shared/observability/handler-kit.ts';

export const handler = rawFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>('sla-scheduler', 'stream', async (event) => {
  const schedule = makeScheduleSlaTimer({ timers: slaTimers(), clock });
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (item.sk !== 'ticket' || typeof item.id !== 'string') continue;
    try {
      const result = await schedule({ id: item.id, status: item.status, sla: item.sla });
      if (result.scheduled) {
        logger.info('SLA timer scheduled', { ticketId: item.id, execution: result.name, wakeAt: result.wakeAt });
        metrics.addMetric('SlaTimersScheduled', MetricUnit.Count, 1);
      }
    } catch (error) {
      logger.error('SLA timer could not be scheduled; the stream will redeliver the ticket', { ticketId: item.id, error: error as Error });
      metrics.addMetric('SlaTimersFailed', MetricUnit.Count, 1);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
});
