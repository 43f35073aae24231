/**
 * Outbound SMS through AWS End User Messaging SMS (`SendTextMessage`, pinpoint-sms-voice-v2), from the number the
 * customer texted (`thread.destinationNumber`) or else the configured origination identity.
 *
 * Errors: ThrottlingException, ServiceQuotaExceededException, InternalServerException / any 5xx and network failures
 * are worth another try; ValidationException (bad number, body), ConflictException (e.g. the destination opted out,
 * Reason DESTINATION_PHONE_NUMBER_OPTED_OUT), AccessDeniedException, ResourceNotFoundException are not, and come back as
 * `SMS_<exception name>`. The client's own retries are off by default (maxAttempts 1): Kefu's outbox retries.
 */
import { PinpointSMSVoiceV2Client, SendTextMessageCommand, type PinpointSMSVoiceV2ClientConfig } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { ChannelSender, OutboundContext, SendResult } from '../../../ports/channel.ts';

/**
 * The longest MessageBody SendTextMessage takes: 1600 characters (SendTextMessage API reference, MessageBody length
 * constraint; the user guide's MPS page gives the same 1600-character ceiling for an MMS body — see
 * test/fixtures/sms/SOURCES.md). AWS splits the text into 140-byte message parts and bills each part. Smithy length
 * constraints count Unicode code points, so the cut is in code points.
 */
export const SMS_MAX_TEXT_CHARACTERS = 1600;

const RETRYABLE_ERRORS = new Set(['ThrottlingException', 'ServiceQuotaExceededException', 'InternalServerException']);

/** Cuts text to `max` Unicode code points, the last one being "…". */
export function truncateSmsText(text: string, max: number = SMS_MAX_TEXT_CHARACTERS): string {
  const points = [...text];
  if (points.length <= max) return text;
  return `${points.slice(0, max - 1).join('')}…`;
}

export interface SmsSenderOptions {
  /** Phone number (E.164), PhoneNumberId / ARN, or PoolId / ARN used when the conversation names no number. */
  readonly originationIdentity: string;
  readonly configurationSetName?: string;
  /** A ready client (tests, or shared across senders); otherwise one is built from the fields below. */
  readonly client?: PinpointSMSVoiceV2Client;
  /** Endpoint override (tests: a loopback fake speaking awsJson1_0). */
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: PinpointSMSVoiceV2ClientConfig['credentials'];
  /** SDK attempts per send (default 1: retries belong to the caller, guided by `retryable`). */
  readonly maxAttempts?: number;
  /** TRANSACTIONAL (default: customer-service replies are time-sensitive) or PROMOTIONAL. */
  readonly messageType?: 'TRANSACTIONAL' | 'PROMOTIONAL';
}

export class SmsSender implements ChannelSender {
  readonly channel = 'sms' as const;
  private readonly client: PinpointSMSVoiceV2Client;

  constructor(private readonly options: SmsSenderOptions) {
    if (!options.originationIdentity) throw new Error('the sms origination identity must not be empty');
    this.client =
      options.client ??
      new PinpointSMSVoiceV2Client({
        maxAttempts: options.maxAttempts ?? 1,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.region ? { region: options.region } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      });
  }

  async sendText(to: string, text: string, context?: OutboundContext): Promise<SendResult> {
    if (!/^\+[1-9]\d{1,14}$/.test(to)) return { ok: false, retryable: false, code: 'SMS_INVALID_RECIPIENT', message: 'the recipient must be an E.164 phone number' };
    const originationIdentity = context?.thread?.destinationNumber || this.options.originationIdentity;
    try {
      const out = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: to,
          OriginationIdentity: originationIdentity,
          MessageBody: truncateSmsText(text),
          MessageType: this.options.messageType ?? 'TRANSACTIONAL',
          ...(this.options.configurationSetName ? { ConfigurationSetName: this.options.configurationSetName } : {}),
        }),
      );
      return out.MessageId ? { ok: true, providerMessageId: out.MessageId } : { ok: true };
    } catch (error) {
      return failure(error);
    }
  }
}

function failure(error: unknown): SendResult {
  const e = (error ?? {}) as { name?: string; message?: string; Reason?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.name === 'string' && /^[A-Za-z]{1,64}$/.test(e.name) ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = [e.message, e.Reason].filter(Boolean).join(' — ') || name;
  // No HTTP status: the request never got an answer (connection refused, reset, timeout).
  if (status === undefined) return { ok: false, retryable: true, code: 'NETWORK', message };
  const retryable = RETRYABLE_ERRORS.has(name) || status >= 500 || status === 429;
  return { ok: false, retryable, code: `SMS_${name}`, message };
}
