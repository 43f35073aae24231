/**
 * The SMS channel (AWS End User Messaging SMS, formerly Pinpoint SMS, API "pinpoint-sms-voice-v2"), two-way.
 *
 * Inbound texts are not webhooks: End User Messaging publishes each incoming SMS to an Amazon SNS topic, which invokes
 * a Lambda directly (authorised by IAM, no HTTP signature to check). So this is not a `ChannelAdapter`: the Lambda hands
 * its SNS event to `parseSmsSnsEvent`, which maps every record it can and lists the ones it cannot, never throwing.
 *
 * Sources (AWS End User Messaging SMS User Guide): "Two-way SMS messaging" and "Example of a two-way SMS message payload
 * for Amazon SNS topics" (fields originationNumber, destinationNumber, messageKeyword, messageBody, inboundMessageId,
 * previousPublishedMessageId); "What are the Message Parts per Second (MPS) limits" (send rates).
 *
 * Opt-out keywords (STOP, UNSUBSCRIBE, …) and HELP are answered by AWS itself and the number is put on the opt-out
 * list there; Kefu keeps such messages as plain text so that the agent sees them, and a later send to an opted-out
 * number fails with ConflictException (SMS_ConflictException, not retryable).
 */
import type { ChannelCapabilities, ChannelSender, InboundMessage } from '../../../ports/channel.ts';
import { SMS_MAX_TEXT_CHARACTERS, SmsSender, type SmsSenderOptions } from './sms.sender.ts';

/** Required secret: the origination identity (phone number, its id or ARN, or a pool id / ARN) replies are sent from
 * when the conversation does not name the number the customer texted. */
export const SMS_SECRET_KEYS = ['originationIdentity'] as const;
/** Optional secret: the configuration set whose event destinations record delivery events. */
export const SMS_OPTIONAL_SECRET_KEYS = ['configurationSetName'] as const;

export const SMS_CAPABILITIES: ChannelCapabilities = {
  // SendTextMessage takes a MessageBody of up to 1600 characters (split by AWS into 140-byte message parts).
  maxText: { length: SMS_MAX_TEXT_CHARACTERS, unit: 'characters' },
  richContent: [],
  // No service window (SMS can be sent at any time, subject to opt-out), no synchronous reply.
  // 1 message part per second: the default for a long code (a US 10DLC number starts at 1 MPS; toll-free is 3 MPS,
  // short codes 100 MPS) — the MPS limits page of the user guide. Raise it with the account's actual quota.
  sendRatePerSecond: 1,
};

/** E.164: "+", a non-zero country-code digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;
const INBOUND_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_RECORDS = 100;

export interface SmsParseResult {
  readonly messages: InboundMessage[];
  /** Records that could not be read (index -1: the event itself), for logging; none of them is stored. */
  readonly rejected: { index: number; code: string; message: string }[];
}

class RecordError extends Error {}

/** Maps an SNS → Lambda event of two-way SMS notifications to inbound messages; never throws. */
export function parseSmsSnsEvent(event: unknown): SmsParseResult {
  const messages: InboundMessage[] = [];
  const rejected: SmsParseResult['rejected'] = [];
  const records = isObject(event) ? event.Records : undefined;
  if (!Array.isArray(records)) return { messages, rejected: [{ index: -1, code: 'WEBHOOK.MALFORMED', message: 'the event must be an SNS event with Records[]' }] };
  if (records.length > MAX_RECORDS) return { messages, rejected: [{ index: -1, code: 'WEBHOOK.MALFORMED', message: `an SNS event carries at most ${MAX_RECORDS} records` }] };
  records.forEach((record, index) => {
    try {
      messages.push(readRecord(record));
    } catch (error) {
      const message = error instanceof RecordError ? error.message : 'the record could not be read';
      rejected.push({ index, code: 'WEBHOOK.MALFORMED', message });
    }
  });
  return { messages, rejected };
}

function readRecord(record: unknown): InboundMessage {
  if (!isObject(record)) fail('the record must be an object');
  if (record.EventSource !== undefined && record.EventSource !== 'aws:sns') fail('EventSource must be aws:sns');
  const sns = record.Sns;
  if (!isObject(sns)) fail('Sns must be an object');
  if (sns.Type !== undefined && sns.Type !== 'Notification') fail('Sns.Type must be Notification');
  if (typeof sns.Message !== 'string' || sns.Message.length > 64 * 1024) fail('Sns.Message must be a JSON string');
  // The SMS notification carries no time of its own: SNS's publish time stands for it.
  const timestamp = typeof sns.Timestamp === 'string' && sns.Timestamp.length <= 64 ? new Date(sns.Timestamp) : undefined;
  if (!timestamp || Number.isNaN(timestamp.getTime())) fail('Sns.Timestamp must be an ISO 8601 time');
  let payload: unknown;
  try {
    payload = JSON.parse(sns.Message);
  } catch {
    fail('Sns.Message is not JSON');
  }
  if (!isObject(payload)) fail('Sns.Message must be a JSON object');
  const { originationNumber, destinationNumber, messageBody, inboundMessageId, messageKeyword, previousPublishedMessageId } = payload;
  if (typeof originationNumber !== 'string' || !E164.test(originationNumber)) fail('originationNumber must be an E.164 number');
  if (typeof destinationNumber !== 'string' || !E164.test(destinationNumber)) fail('destinationNumber must be an E.164 number');
  if (typeof messageBody !== 'string' || [...messageBody].length > SMS_MAX_TEXT_CHARACTERS) fail(`messageBody must be a string of at most ${SMS_MAX_TEXT_CHARACTERS} characters`);
  if (typeof inboundMessageId !== 'string' || !INBOUND_ID.test(inboundMessageId)) fail('inboundMessageId is missing or malformed');
  if (messageKeyword !== undefined && messageKeyword !== null && (typeof messageKeyword !== 'string' || messageKeyword.length > 64)) fail('messageKeyword must be a short string');
  if (previousPublishedMessageId !== undefined && previousPublishedMessageId !== null && (typeof previousPublishedMessageId !== 'string' || previousPublishedMessageId.length > 256)) {
    fail('previousPublishedMessageId must be a short string');
  }
  return {
    channel: 'sms',
    kind: 'text',
    sender: originationNumber,
    recipient: destinationNumber,
    dedupeId: `sms:${inboundMessageId}`,
    sentAt: timestamp,
    text: messageBody,
    profile: { phone: originationNumber, verified: ['phone'] },
    // Replies go out from the number the customer texted.
    thread: { destinationNumber },
  };
}

function fail(message: string): never {
  throw new RecordError(message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The SMS factory: a sender (and the capabilities it is shaped by); no adapter, since inbound SMS arrives as an SNS
 * event (`parseSmsSnsEvent`). Throws naming the missing required secret(s), never their values.
 */
export function smsChannel(config: {
  secrets: Readonly<Record<string, string | undefined>>;
  endpoint?: string;
  region?: string;
  /** Static credentials (tests); in Lambda the SDK's default provider chain is used. */
  credentials?: SmsSenderOptions['credentials'];
  client?: SmsSenderOptions['client'];
}): { sender: ChannelSender; capabilities: ChannelCapabilities } {
  const missing = SMS_SECRET_KEYS.filter((key) => !config.secrets[key]);
  if (missing.length > 0) throw new Error(`sms channel: missing secret(s): ${missing.join(', ')}`);
  const configurationSetName = config.secrets.configurationSetName || undefined;
  const sender = new SmsSender({
    originationIdentity: config.secrets.originationIdentity!,
    ...(configurationSetName ? { configurationSetName } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.region ? { region: config.region } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.client ? { client: config.client } : {}),
  });
  return { sender, capabilities: SMS_CAPABILITIES };
}
