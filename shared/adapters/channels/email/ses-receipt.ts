/**
 * The event SES email receiving hands to a Lambda function (a receipt rule's Lambda action, after its S3 action stored
 * the raw message): one record per message with the envelope, the common headers and SES's verdicts. The body is not
 * in the event: it is read from S3 (`{objectKeyPrefix}{messageId}`, where the rule's S3 action wrote it).
 *
 * Source: Amazon SES Developer Guide, "Invoking Lambda functions" / "Sample incoming email event" and "Contents of
 * notifications for Amazon SES email receiving" (receipt object, verdict objects, action object).
 * Never throws: anything unexpected is a refusal with code WEBHOOK.MALFORMED.
 */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface SesVerdicts {
  readonly spam?: VerdictStatus;
  readonly virus?: VerdictStatus;
  readonly spf?: VerdictStatus;
  readonly dkim?: VerdictStatus;
  readonly dmarc?: VerdictStatus;
  /** The sending domain's DMARC policy (`none`, `quarantine`, `reject`), present when DMARC failed. */
  readonly dmarcPolicy?: string;
}

export interface SesReceipt {
  readonly sesMessageId: string;
  /** When SES received the message. */
  readonly receivedAt?: Date;
  /** The envelope sender (MAIL FROM); not the From header. */
  readonly source?: string;
  /** The recipients this receipt rule matched (envelope RCPT TO, so Bcc'd addresses too). */
  readonly recipients: readonly string[];
  readonly destination: readonly string[];
  readonly verdicts: SesVerdicts;
  /** Where the raw message is: the S3 action's own location, or `{prefix}{messageId}` in the bucket configured. */
  readonly s3?: { readonly bucket: string; readonly key: string };
  readonly subject?: string;
}

export type SesEventOutcome =
  | { readonly kind: 'receipts'; readonly receipts: readonly SesReceipt[] }
  | { readonly kind: 'refused'; readonly status: 400; readonly code: 'WEBHOOK.MALFORMED'; readonly message: string };

export interface SesEventOptions {
  /** The bucket and key prefix of the receipt rule's S3 action, for events from its Lambda action (which name neither). */
  readonly s3?: { readonly bucket: string; readonly keyPrefix?: string };
}

const STATUSES = new Set<VerdictStatus>(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']);
const MAX_RECORDS = 100;
const MAX_RECIPIENTS = 100;
// SES message ids: letters, digits and dashes (e.g. "EXAMPLE7c191be45-e9aedb9a-…-000000", "d6iitobk75ur44p8kdnnp7g2n800").
const SES_MESSAGE_ID = /^[A-Za-z0-9._-]{1,200}$/;
const BUCKET = /^[a-z0-9A-Z][a-zA-Z0-9._-]{1,254}$/;

const refused = (message: string): SesEventOutcome => ({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED', message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseSesEvent(event: unknown, options: SesEventOptions = {}): SesEventOutcome {
  try {
    if (!isObject(event) || !Array.isArray(event.Records)) return refused('an SES event has a Records array');
    if (event.Records.length === 0 || event.Records.length > MAX_RECORDS) return refused(`an SES event has 1 to ${MAX_RECORDS} records`);
    const receipts: SesReceipt[] = [];
    for (const [index, record] of event.Records.entries()) {
      const parsed = parseRecord(record, options);
      if (typeof parsed === 'string') return refused(`record ${index}: ${parsed}`);
      receipts.push(parsed);
    }
    return { kind: 'receipts', receipts };
  } catch (error) {
    return refused(`the SES event could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`);
  }
}

function parseRecord(record: unknown, options: SesEventOptions): SesReceipt | string {
  if (!isObject(record)) return 'a record is an object';
  if (record.eventSource !== undefined && record.eventSource !== 'aws:ses') return 'eventSource must be aws:ses';
  const ses = record.ses;
  if (!isObject(ses) || !isObject(ses.mail) || !isObject(ses.receipt)) return 'ses.mail and ses.receipt are required';
  const { mail, receipt } = ses;
  const sesMessageId = mail.messageId;
  if (typeof sesMessageId !== 'string' || !SES_MESSAGE_ID.test(sesMessageId)) return 'ses.mail.messageId is missing or malformed';

  const recipients = addresses(receipt.recipients);
  if (!recipients) return 'ses.receipt.recipients must be a list of addresses';
  const destination = addresses(mail.destination) ?? [];

  const receivedAt = typeof mail.timestamp === 'string' ? new Date(mail.timestamp) : undefined;
  const subject = isObject(mail.commonHeaders) && typeof mail.commonHeaders.subject === 'string' ? mail.commonHeaders.subject.slice(0, 998) : undefined;

  let s3: SesReceipt['s3'];
  const action = receipt.action;
  if (isObject(action) && action.type === 'S3') {
    if (typeof action.bucketName !== 'string' || !BUCKET.test(action.bucketName) || typeof action.objectKey !== 'string' || action.objectKey === '' || action.objectKey.length > 1024) {
      return 'an S3 action names its bucketName and objectKey';
    }
    s3 = { bucket: action.bucketName, key: action.objectKey };
  } else if (options.s3) {
    s3 = { bucket: options.s3.bucket, key: `${options.s3.keyPrefix ?? ''}${sesMessageId}` };
  }

  return {
    sesMessageId,
    ...(receivedAt && !Number.isNaN(receivedAt.getTime()) ? { receivedAt } : {}),
    ...(typeof mail.source === 'string' && mail.source.length <= 320 ? { source: mail.source } : {}),
    recipients,
    destination,
    verdicts: verdictsOf(receipt),
    ...(s3 ? { s3 } : {}),
    ...(subject !== undefined ? { subject } : {}),
  };
}

function addresses(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_RECIPIENTS) return undefined;
  // eslint-disable-next-line no-control-regex
  if (!value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 320 && !/[\s\u0000-\u001f<>]/.test(v))) return undefined;
  return value as string[];
}

function status(value: unknown): VerdictStatus | undefined {
  const s = isObject(value) ? value.status : undefined;
  return typeof s === 'string' && STATUSES.has(s as VerdictStatus) ? (s as VerdictStatus) : undefined;
}

function verdictsOf(receipt: Record<string, unknown>): SesVerdicts {
  const entries: [keyof SesVerdicts, VerdictStatus | undefined][] = [
    ['spam', status(receipt.spamVerdict)],
    ['virus', status(receipt.virusVerdict)],
    ['spf', status(receipt.spfVerdict)],
    ['dkim', status(receipt.dkimVerdict)],
    ['dmarc', status(receipt.dmarcVerdict)],
  ];
  const policy = typeof receipt.dmarcPolicy === 'string' && /^[a-z]{1,20}$/i.test(receipt.dmarcPolicy) ? receipt.dmarcPolicy.toLowerCase() : undefined;
  return Object.fromEntries([...entries.filter(([, v]) => v !== undefined), ...(policy ? [['dmarcPolicy', policy]] : [])]) as SesVerdicts;
}

/** Why a message is dropped unread (a virus or spam FAIL from SES), or undefined to go on. Never throws. */
export function shouldDrop(verdicts: unknown): 'EMAIL.VIRUS' | 'EMAIL.SPAM' | undefined {
  if (!isObject(verdicts)) return undefined;
  if (verdicts.virus === 'FAIL') return 'EMAIL.VIRUS';
  if (verdicts.spam === 'FAIL') return 'EMAIL.SPAM';
  return undefined;
}

/**
 * Whether the From address may count as verified (merged with other identities): DMARC passed — which means SPF or
 * DKIM passed aligned with the From domain — or, when DMARC gave no verdict of its own, both SPF and DKIM passed.
 */
export function senderVerified(verdicts: SesVerdicts | undefined): boolean {
  if (!verdicts) return false;
  if (verdicts.dmarc === 'PASS') return true;
  if (verdicts.dmarc === 'FAIL') return false;
  return verdicts.spf === 'PASS' && verdicts.dkim === 'PASS';
}
