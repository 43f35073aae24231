/**
 * The SMS channel (AWS End User Messaging SMS, two-way): parsing the SNS → Lambda event around AWS's documented two-way
 * payload (test/fixtures/sms/, sources in SOURCES.md), strict validation that never throws (fuzzed), and the
 * SendTextMessage sender against a loopback fake that speaks the awsJson1_0 protocol.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSmsSnsEvent, SMS_CAPABILITIES, SMS_OPTIONAL_SECRET_KEYS, SMS_SECRET_KEYS, smsChannel } from '../../shared/adapters/channels/sms/sms.adapter.ts';
import { SmsSender, truncateSmsText } from '../../shared/adapters/channels/sms/sms.sender.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'sms');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const snsEvent = () => JSON.parse(fixture('sns-event.json'));

/** The fixture's SNS event with its SMS payload changed. */
function eventWith(change: (payload: Record<string, unknown>) => void): unknown {
  const event = snsEvent();
  const payload = JSON.parse(event.Records[0].Sns.Message);
  change(payload);
  event.Records[0].Sns.Message = JSON.stringify(payload);
  return event;
}

describe('parsing the two-way SMS SNS event', () => {
  it('wraps the documented payload verbatim', () => {
    expect(JSON.parse(snsEvent().Records[0].Sns.Message)).toEqual(JSON.parse(fixture('two-way-payload.json')));
  });

  it('reads AWS’s example payload into one text from the customer’s verified number', () => {
    expect(parseSmsSnsEvent(snsEvent())).toEqual({
      messages: [
        {
          channel: 'sms',
          kind: 'text',
          sender: '+14255550182',
          recipient: '+12125550101',
          dedupeId: 'sms:cae173d2-66b9-564c-8309-21f858e9fb84',
          sentAt: new Date('2026-01-02T03:04:05.678Z'),
          text: 'EXAMPLE',
          profile: { phone: '+14255550182', verified: ['phone'] },
          thread: { destinationNumber: '+12125550101' },
        },
      ],
      rejected: [],
    });
  });

  it('keeps STOP and HELP as plain text (AWS answers them and keeps the opt-out list)', () => {
    const { messages } = parseSmsSnsEvent(eventWith((p) => { p.messageBody = 'STOP'; p.messageKeyword = 'STOP'; }));
    expect(messages).toMatchObject([{ kind: 'text', text: 'STOP' }]);
  });

  it('gives a redelivery the same dedupe id and another message another one', () => {
    const first = parseSmsSnsEvent(snsEvent()).messages[0]!;
    expect(parseSmsSnsEvent(snsEvent()).messages[0]!.dedupeId).toBe(first.dedupeId);
    expect(parseSmsSnsEvent(eventWith((p) => (p.inboundMessageId = 'cae173d2-66b9-564c-8309-21f858e9fb85'))).messages[0]!.dedupeId).not.toBe(first.dedupeId);
  });

  it('maps every good record and lists the bad ones by index', () => {
    const good = snsEvent().Records[0];
    const bad = structuredClone(good);
    bad.Sns.Message = '{"originationNumber":"12345"}';
    const second = structuredClone(good);
    second.Sns.Message = second.Sns.Message.replace('cae173d2', 'dae173d2').replace('EXAMPLE"', 'second"');
    const result = parseSmsSnsEvent({ Records: [good, bad, second] });
    expect(result.messages.map((m) => m.text)).toEqual(['EXAMPLE', 'second']);
    expect(result.rejected).toEqual([{ index: 1, code: 'WEBHOOK.MALFORMED', message: 'originationNumber must be an E.164 number' }]);
  });

  it('accepts a body of exactly 1600 characters (emoji counted as one) and rejects 1601', () => {
    expect(parseSmsSnsEvent(eventWith((p) => (p.messageBody = '😀'.repeat(1600)))).messages).toHaveLength(1);
    expect(parseSmsSnsEvent(eventWith((p) => (p.messageBody = 'a'.repeat(1601)))).rejected).toHaveLength(1);
  });

  it.each([
    ['a local number', (p: Record<string, unknown>) => (p.originationNumber = '4255550182')],
    ['a number with spaces', (p: Record<string, unknown>) => (p.originationNumber = '+1 425 555 0182')],
    ['a 16-digit number', (p: Record<string, unknown>) => (p.originationNumber = '+1234567890123456')],
    ['a destination that is not E.164', (p: Record<string, unknown>) => (p.destinationNumber = 'SENDERID')],
    ['a numeric body', (p: Record<string, unknown>) => (p.messageBody = 42)],
    ['no body', (p: Record<string, unknown>) => delete p.messageBody],
    ['no inboundMessageId', (p: Record<string, unknown>) => delete p.inboundMessageId],
    ['an inboundMessageId with spaces', (p: Record<string, unknown>) => (p.inboundMessageId = 'a b')],
    ['a keyword that is an object', (p: Record<string, unknown>) => (p.messageKeyword = { a: 1 })],
  ])('rejects %s', (_what, change) => {
    const result = parseSmsSnsEvent(eventWith(change));
    expect(result.messages).toEqual([]);
    expect(result.rejected).toMatchObject([{ index: 0, code: 'WEBHOOK.MALFORMED' }]);
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'Records'],
    ['an object without Records', {}],
    ['Records that is not an array', { Records: {} }],
    ['too many records', { Records: Array.from({ length: 101 }, () => ({})) }],
  ])('rejects an event that is %s as a whole (index -1)', (_what, event) => {
    expect(parseSmsSnsEvent(event)).toEqual({ messages: [], rejected: [expect.objectContaining({ index: -1, code: 'WEBHOOK.MALFORMED' })] });
  });

  it('rejects records from another source, of another SNS type, or with a bad time or message', () => {
    const cases = [
      (e: any) => (e.Records[0].EventSource = 'aws:sqs'),
      (e: any) => (e.Records[0].Sns.Type = 'SubscriptionConfirmation'),
      (e: any) => (e.Records[0].Sns.Timestamp = 'yesterday'),
      (e: any) => delete e.Records[0].Sns.Timestamp,
      (e: any) => (e.Records[0].Sns.Message = '{"truncated'),
      (e: any) => (e.Records[0].Sns.Message = '[1,2]'),
      (e: any) => (e.Records[0].Sns = null),
    ];
    for (const change of cases) {
      const event = snsEvent();
      change(event);
      expect(parseSmsSnsEvent(event)).toMatchObject({ messages: [], rejected: [{ index: 0 }] });
    }
  });

  it('never throws on 2,000 mutations, and accounts for every record', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const WEIRD: unknown[] = [null, 0, 1e308, '', '+', '+0', [], {}, true, 'x'.repeat(2000), -1, '\u0000'];
    const base = fixture('sns-event.json');
    const outcomes = { message: 0, rejected: 0 };
    for (let i = 0; i < 2000; i++) {
      let event: unknown;
      const how = i % 4;
      if (how === 0) {
        // Truncated envelope: may no longer be JSON at all, then the raw string is the event.
        const text = base.slice(0, Math.floor(random() * base.length));
        try { event = JSON.parse(text); } catch { event = text; }
      } else if (how === 1) {
        // Flipped bytes inside the inner message.
        const e = snsEvent();
        const bytes = Buffer.from(e.Records[0].Sns.Message, 'utf8');
        for (let n = 1 + Math.floor(random() * 3); n > 0; n--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        e.Records[0].Sns.Message = bytes.toString('utf8');
        event = e;
      } else if (how === 2) {
        // A wrong type for one field of the inner payload.
        const keys = ['originationNumber', 'destinationNumber', 'messageKeyword', 'messageBody', 'inboundMessageId', 'previousPublishedMessageId'];
        event = eventWith((p) => (p[keys[Math.floor(random() * keys.length)]!] = WEIRD[Math.floor(random() * WEIRD.length)]));
      } else {
        // A wrong type for one field of the envelope.
        const e = snsEvent();
        const targets = [e, e.Records[0], e.Records[0].Sns];
        const target = targets[Math.floor(random() * targets.length)];
        const keys = Object.keys(target);
        target[keys[Math.floor(random() * keys.length)]!] = WEIRD[Math.floor(random() * WEIRD.length)];
        event = e;
      }
      let result!: ReturnType<typeof parseSmsSnsEvent>;
      expect(() => (result = parseSmsSnsEvent(event))).not.toThrow();
      const records = Array.isArray((event as any)?.Records) && (event as any).Records.length <= 100 ? (event as any).Records.length : undefined;
      if (records !== undefined) expect(result.messages.length + result.rejected.length).toBe(records);
      else expect(result.rejected).toMatchObject([{ index: -1 }]);
      for (const m of result.messages) {
        expect(m.sender).toMatch(/^\+[1-9]\d{1,14}$/);
        expect(m.sentAt.getTime()).not.toBeNaN();
      }
      outcomes.message += result.messages.length;
      outcomes.rejected += result.rejected.length;
    }
    expect(outcomes.message).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });
});

describe('the SMS capabilities and factory', () => {
  it('cuts at 1600 characters, paces at 1 message per second, and has no window or synchronous reply', () => {
    expect(SMS_CAPABILITIES).toEqual({ maxText: { length: 1600, unit: 'characters' }, richContent: [], sendRatePerSecond: 1 });
    expect(truncateSmsText('short')).toBe('short');
    const cut = truncateSmsText('😀'.repeat(2000));
    expect([...cut]).toHaveLength(1600);
    expect(cut.endsWith('😀…')).toBe(true);
  });

  it('names the missing origination identity, never a value', () => {
    expect(SMS_SECRET_KEYS).toEqual(['originationIdentity']);
    expect(SMS_OPTIONAL_SECRET_KEYS).toEqual(['configurationSetName']);
    expect(() => smsChannel({ secrets: { configurationSetName: 'kefu-sms-events' } })).toThrow(/missing secret\(s\): originationIdentity$/);
    expect(smsChannel({ secrets: { originationIdentity: '+12125550101' }, region: 'us-east-1' })).toMatchObject({ sender: { channel: 'sms' }, capabilities: SMS_CAPABILITIES });
  });
});

describe('the SendTextMessage sender (loopback awsJson1_0 fake)', () => {
  let server: Server;
  let endpoint: string;
  const calls: { method?: string; url?: string; headers: IncomingHttpHeaders; body: any }[] = [];
  let next: { status: number; type?: string; body: unknown } | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        calls.push({ method: req.method, url: req.url, headers: req.headers, body: data ? JSON.parse(data) : undefined });
        const answer = next ?? { status: 200, body: { MessageId: `msg-${calls.length}` } };
        next = undefined;
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1', ...(answer.type ? { 'x-amzn-errortype': answer.type } : {}) });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  beforeEach(() => {
    calls.length = 0;
    next = undefined;
  });

  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const sender = (extra: { configurationSetName?: string } = {}) => new SmsSender({ originationIdentity: '+12125550199', endpoint, region: 'us-east-1', credentials, ...extra });
  const awsError = (name: string, status: number, extra: Record<string, unknown> = {}) => ({ status, type: name, body: { __type: `com.amazonaws.pinpointsmsvoicev2#${name}`, message: `${name} happened`, ...extra } });

  it('sends SendTextMessage from the number the customer texted, signed, and returns the MessageId', async () => {
    const result = await sender({ configurationSetName: 'kefu-sms-events' }).sendText('+14255550182', 'Your order has shipped.', { messageId: 'm1', conversationId: 'c1', thread: { destinationNumber: '+12125550101' } });
    expect(result).toEqual({ ok: true, providerMessageId: 'msg-1' });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call).toMatchObject({ method: 'POST', url: '/' });
    expect(call!.headers['x-amz-target']).toBe('PinpointSMSVoiceV2.SendTextMessage');
    expect(call!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(call!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/sms-voice\/aws4_request/);
    expect(call!.body).toEqual({ DestinationPhoneNumber: '+14255550182', OriginationIdentity: '+12125550101', MessageBody: 'Your order has shipped.', MessageType: 'TRANSACTIONAL', ConfigurationSetName: 'kefu-sms-events' });
  });

  it('falls back to the configured origination identity and cuts the body at 1600 characters', async () => {
    await sender().sendText('+14255550182', 'x'.repeat(2000));
    expect(calls[0]!.body).toMatchObject({ OriginationIdentity: '+12125550199' });
    expect(calls[0]!.body).not.toHaveProperty('ConfigurationSetName');
    expect(calls[0]!.body.MessageBody).toHaveLength(1600);
    expect(calls[0]!.body.MessageBody.endsWith('…')).toBe(true);
  });

  it('refuses a recipient that is not E.164 without calling AWS', async () => {
    expect(await sender().sendText('4255550182', 'hi')).toMatchObject({ ok: false, retryable: false, code: 'SMS_INVALID_RECIPIENT' });
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['ThrottlingException', 400],
    ['ServiceQuotaExceededException', 402],
    ['InternalServerException', 500],
  ])('reports %s as retryable', async (name, status) => {
    next = awsError(name, status);
    expect(await sender().sendText('+14255550182', 'hi')).toMatchObject({ ok: false, retryable: true, code: `SMS_${name}` });
    // The SDK's own retries are off: Kefu's outbox decides.
    expect(calls).toHaveLength(1);
  });

  it('reports an opted-out destination (ConflictException) and a ValidationException as not retryable', async () => {
    next = awsError('ConflictException', 400, { Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ResourceType: 'opt-out-list', ResourceId: 'Default' });
    const conflict = await sender().sendText('+14255550182', 'hi');
    expect(conflict).toMatchObject({ ok: false, retryable: false, code: 'SMS_ConflictException' });
    expect(conflict.ok === false && conflict.message).toContain('DESTINATION_PHONE_NUMBER_OPTED_OUT');
    next = awsError('ValidationException', 400, { Reason: 'INVALID_PARAMETER' });
    expect(await sender().sendText('+14255550182', 'hi')).toMatchObject({ ok: false, retryable: false, code: 'SMS_ValidationException' });
  });

  it('reports a network failure as retryable', async () => {
    const closed = new SmsSender({ originationIdentity: '+12125550199', endpoint: 'http://127.0.0.1:1', region: 'us-east-1', credentials });
    expect(await closed.sendText('+14255550182', 'hi')).toMatchObject({ ok: false, retryable: true, code: 'NETWORK' });
  });

  it('works through the factory with an endpoint override', async () => {
    const { sender: built } = smsChannel({ secrets: { originationIdentity: '+12125550199', configurationSetName: 'cs' }, endpoint, region: 'eu-west-1', credentials });
    expect(await built.sendText('+14255550182', 'hello')).toEqual({ ok: true, providerMessageId: 'msg-1' });
    expect(calls[0]!.body).toMatchObject({ OriginationIdentity: '+12125550199', ConfigurationSetName: 'cs' });
    expect(calls[0]!.headers.authorization).toContain('/eu-west-1/sms-voice/');
  });
});
