/**
 * Two-way SMS: AWS End User Messaging publishes each text a customer sends to the stage's `sms-inbound` SNS topic,
 * which invokes this function (no HTTP signature: SNS → Lambda is authorised by IAM). Each record is stored once per
 * inboundMessageId (SNS redelivers); a record that cannot be read is logged and dropped (it would fail every retry);
 * a storage failure throws, so Lambda retries the event twice and then dead-letters it (with an alarm).
 * Replies leave through the channel outbox (SendTextMessage from the number the customer texted).
 * The channel's settings (cached 30 s): disabled → the texts are logged and skipped (nothing stored); new
 * conversations open in the channel's routing group.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SNSEvent } from 'aws-lambda';
import { parseSmsSnsEvent } from '../../../shared/adapters/channels/sms/sms.adapter.ts';
import { channelSettings, intakeGroup } from '../../../shared/adapters/wiring/channel-settings.ts';
import { clock, conversationStore, customerDirectory, ids } from '../../../shared/adapters/wiring/storage.ts';
import { makeChannelIntake } from '../../../shared/application/channel-intake.use-cases.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { logger, metrics, rawFunction } from '../../../shared/observability/handler-kit.ts';

export const handler = rawFunction<SNSEvent, { stored: number; duplicates: number; rejected: number; skipped: number }>('sms', 'event', async (event) => {
  const { messages, rejected } = parseSmsSnsEvent(event);
  for (const r of rejected) logger.warn('an SMS record could not be read; dropped', { index: r.index, code: r.code, reason: r.message });
  const settings = await channelSettings('sms');
  if (!settings.enabled) {
    logger.info('the sms channel is disabled; the texts are skipped, nothing stored', { messages: messages.length });
    if (messages.length) metrics.addMetric('SmsSkippedDisabled', MetricUnit.Count, messages.length);
    return { stored: 0, duplicates: 0, rejected: rejected.length, skipped: messages.length };
  }
  const intake = makeChannelIntake({ store: conversationStore(), customers: customerDirectory(), clock, ids });
  let stored = 0;
  let duplicates = 0;
  for (const message of messages) {
    const result = await intake(message, intakeGroup(settings));
    if (result.kind !== 'message') continue;
    meter.attribute(result.conversationId, 'sms');
    if (result.duplicate) duplicates++;
    else stored++;
  }
  metrics.addMetric('SmsStored', MetricUnit.Count, stored);
  if (rejected.length) metrics.addMetric('SmsRejected', MetricUnit.Count, rejected.length);
  return { stored, duplicates, rejected: rejected.length, skipped: 0 };
});
