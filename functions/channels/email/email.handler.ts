/**
 * Inbound e-mail: an SES receipt rule stores each message in S3 (its S3 action) and then invokes this function (its
 * Lambda action). Each receipt: mail SES judged a virus or spam is dropped (logged, counted); the raw message is read
 * and parsed (HTML sanitised, quoted history cut); the conversation is found from the plus address, In-Reply-To or
 * References (only the sender's own, on e-mail), else the sender's open one, else a new one; attachments go to the
 * object store and are listed in the transcript (their keys in an `email-attachments` audit event); the message is
 * stored once per Message-ID. Replies leave through the channel outbox (SES, with threading headers).
 *
 * The channel's settings (cached 30 s): disabled → the receipts are logged and skipped (nothing read or stored); new
 * conversations open in the channel's routing group.
 *
 * A storage failure throws, so Lambda retries the event (twice, then the dead-letter queue with an alarm).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { isParseError, parseInboundEmail, startsThread, toInboundMessage } from '../../../shared/adapters/channels/email/email-parse.ts';
import { conversationFromEmail } from '../../../shared/adapters/channels/email/email-threading.ts';
import { parseSesEvent, shouldDrop } from '../../../shared/adapters/channels/email/ses-receipt.ts';
import { channelSecretEnv } from '../../../shared/adapters/wiring/channels.ts';
import { INBOUND_MAIL_PREFIX, mailBucket, objectStore } from '../../../shared/adapters/wiring/objects.ts';
import { channelSettings, intakeGroup } from '../../../shared/adapters/wiring/channel-settings.ts';
import { clock, conversationStore, customerDirectory, ids } from '../../../shared/adapters/wiring/storage.ts';
import { makeChannelIntake } from '../../../shared/application/channel-intake.use-cases.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { logger, metrics, rawFunction } from '../../../shared/observability/handler-kit.ts';

type Outcome = { stored: number; duplicates: number; dropped: number; unreadable: number; skipped: number };

export const handler = rawFunction<unknown, Outcome>('email', 'event', async (event) => {
  const outcome: Outcome = { stored: 0, duplicates: 0, dropped: 0, unreadable: 0, skipped: 0 };
  const fromAddress = process.env[channelSecretEnv('email', 'fromAddress')];
  const replyDomain = process.env[channelSecretEnv('email', 'replyDomain')];
  const parsedEvent = parseSesEvent(event, { s3: { bucket: mailBucket(), keyPrefix: INBOUND_MAIL_PREFIX } });
  if (parsedEvent.kind === 'refused') {
    logger.warn('not an SES receipt event; dropped', { reason: parsedEvent.message });
    return { ...outcome, unreadable: 1 };
  }
  const settings = await channelSettings('email');
  if (!settings.enabled) {
    logger.info('the email channel is disabled; the receipts are skipped, nothing stored', { receipts: parsedEvent.receipts.length });
    if (parsedEvent.receipts.length) metrics.addMetric('EmailsSkippedDisabled', MetricUnit.Count, parsedEvent.receipts.length);
    return { ...outcome, skipped: parsedEvent.receipts.length };
  }
  const intake = makeChannelIntake({ store: conversationStore(), customers: customerDirectory(), clock, ids });
  for (const receipt of parsedEvent.receipts) {
    logger.appendKeys({ sesMessageId: receipt.sesMessageId });
    const drop = shouldDrop(receipt.verdicts);
    if (drop) {
      logger.warn('e-mail dropped on SES verdicts', { reason: drop });
      outcome.dropped++;
      continue;
    }
    const raw = receipt.s3 ? await objectStore().get(receipt.s3.key) : undefined;
    // The S3 action runs before the Lambda action: a missing object is worth Lambda's retry.
    if (!raw) throw new Error(`the raw message ${receipt.s3?.key ?? '(no location)'} is not in the object store`);
    const parsed = await parseInboundEmail(raw);
    if (isParseError(parsed)) {
      logger.warn('unreadable e-mail; dropped', { reason: parsed.message });
      outcome.unreadable++;
      continue;
    }
    const threaded = fromAddress ? conversationFromEmail(parsed, { fromAddress, ...(replyDomain ? { replyDomain } : {}), envelopeRecipients: receipt.recipients }) : undefined;
    let message = toInboundMessage(parsed, {
      sesMessageId: receipt.sesMessageId,
      verdicts: receipt.verdicts,
      includeSubject: !threaded && startsThread(parsed),
      ...(receipt.recipients[0] ? { recipient: receipt.recipients[0] } : {}),
      ...(receipt.receivedAt ? { receivedAt: receipt.receivedAt } : {}),
    });
    const files = [];
    for (const [i, attachment] of parsed.attachments.entries()) {
      const key = `email/attachments/${receipt.sesMessageId}/${i + 1}-${attachment.filename}`;
      await objectStore().put(key, attachment.content, attachment.contentType);
      files.push({ key, filename: attachment.filename, contentType: attachment.contentType, size: attachment.size, inline: attachment.inline });
    }
    const listed = files.filter((f) => !f.inline).map((f) => `${f.filename} (${Math.max(1, Math.round(f.size / 1024))} KB)`);
    if (listed.length > 0 && message.kind === 'text') message = { ...message, text: `${message.text ?? ''}\n\n[附件 attachments] ${listed.join(', ')}` };
    const result = await intake(message, { ...intakeGroup(settings), ...(threaded ? { conversationId: threaded } : {}) });
    if (result.kind !== 'message') continue;
    meter.attribute(result.conversationId, 'email');
    if (result.duplicate) {
      outcome.duplicates++;
      continue;
    }
    outcome.stored++;
    if (files.length > 0 || parsed.skippedAttachments.length > 0) {
      await conversationStore().recordEvent(result.conversationId, {
        type: 'email-attachments',
        at: clock.now().toISOString(),
        actor: 'email',
        detail: { messageId: result.messageId, files, skipped: parsed.skippedAttachments },
      });
    }
  }
  metrics.addMetric('EmailsStored', MetricUnit.Count, outcome.stored);
  if (outcome.dropped) metrics.addMetric('EmailsDropped', MetricUnit.Count, outcome.dropped);
  return outcome;
});
