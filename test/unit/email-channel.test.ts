/**
 * The email channel: MIME parsing (charsets, HTML sanitising, quoted history, attachments and their limits, hostile
 * input), the mapping to an InboundMessage, threading (plus address, Kefu's Message-IDs, reply headers), the SES
 * receipt event (AWS's documented sample) and the SES v2 sender against a loopback fake of its REST-JSON API.
 *
 * Fixtures: test/fixtures/email/ (SOURCES.md says which are hand-written and which is AWS's sample).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInboundEmail, sanitizeFilename, startsThread, stripQuotedHistory, toInboundMessage, type ParsedEmail, type ParseError } from '../../shared/adapters/channels/email/email-parse.ts';
import { capReferences, conversationFromEmail, kefuMessageId, outboundHeaders, replySubject, replyToAddress } from '../../shared/adapters/channels/email/email-threading.ts';
import { EMAIL_CAPABILITIES, EMAIL_SECRET_KEYS, emailChannel, encodeSubject, sendFailure, SesEmailSender, textToHtml } from '../../shared/adapters/channels/email/email.sender.ts';
import { parseSesEvent, senderVerified, shouldDrop } from '../../shared/adapters/channels/email/ses-receipt.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'email');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const CONV = 'conv_01JH8Z6Q0W2X4Y6Z8A0B2C4D6E';
const KEFU_ID = `<kefu.${CONV}.msg_01JH8Z7A3K@kefu.example.com>`;
const SES_ID = '<0100019a1b2c3d4e-5f60718293a4b5c6-d7e8f9a0b1c2-000000@email.amazonses.com>';
const CONFIG = { fromAddress: 'support@kefu.example.com', replyDomain: 'kefu.example.com' };

async function parsed(name: string | Uint8Array | string[], options = {}): Promise<ParsedEmail> {
  const raw = Array.isArray(name) ? name.join('\r\n') : typeof name === 'string' ? fixture(name) : name;
  const result = await parseInboundEmail(raw, options);
  if (result.kind !== 'email') throw new Error(`refused: ${result.message}`);
  return result;
}

async function refused(raw: Uint8Array | string, options = {}): Promise<ParseError> {
  const result = await parseInboundEmail(raw, options);
  if (result.kind !== 'error') throw new Error('expected a ParseError');
  return result;
}

describe('parsing an inbound e-mail', () => {
  it('reads a plain mail: sender, recipients, subject, ids, date, text and the words without the signature', async () => {
    const mail = await parsed('plain.eml');
    expect(mail.from).toEqual({ address: 'Alice@Example.com', name: 'Alice Example' });
    expect(mail.to).toEqual([{ address: 'support@kefu.example.com', name: 'Kefu Support' }]);
    expect(mail.cc).toEqual([]);
    expect(mail.subject).toBe('Where is my order #1234?');
    expect(mail.messageId).toBe('<CAFirst.1234@mail.example.com>');
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toEqual([]);
    expect(mail.date?.toISOString()).toBe('2026-01-05T01:15:00.000Z');
    expect(mail.text).toContain('Example Ltd. | +1 555 0100');
    expect(mail.newText).toBe('Hello,\n\nI ordered a kettle on 28 December (order #1234) and it has not arrived yet.\nCould you tell me where it is?\n\nThanks,\nAlice');
    expect(mail.html).toBeUndefined();
  });

  it('reads the CRLF form of a message as its LF form', async () => {
    const lf = await parsed('plain.eml');
    const crlf = await parsed(new TextEncoder().encode(fixture('plain.eml').toString('utf8').replace(/\n/g, '\r\n')));
    expect(crlf).toEqual(lf);
  });

  it('sanitises hostile HTML: no script, style, frame, form, object, event handler, javascript: or data: URL', async () => {
    const mail = await parsed('html-script.eml');
    const html = mail.html!;
    for (const banned of ['<script', 'alert(', '<style', 'onload', 'onclick', 'onmouseover', 'javascript:', 'data:', '<iframe', '<form', '<input', '<object', 'style=', 'target=', '<img', 'frame text', 'object text', 'steal()']) {
      expect(html.toLowerCase(), banned).not.toContain(banned.toLowerCase());
    }
    expect(html).toContain('<b>wrong</b> &amp; I need help.');
    expect(html).toContain('<a href="https://example.net/invoice/77" rel="noopener noreferrer nofollow">see the invoice</a>');
    // The tracking pixel is a link to it, never an image that loads.
    expect(html).toContain('<a href="https://tracker.example.net/pixel.gif" rel="noopener noreferrer nofollow">logo</a>');
    expect(html).toContain('[embedded]');
    // No text/plain part: the text is the HTML as text, links with their address.
    expect(mail.text).toBe('My invoice is wrong & I need help.\n\nclick me or see the invoice (https://example.net/invoice/77)');
  });

  it('takes only the new words of a Gmail reply (wrapped "On … wrote:" and ">" quotes)', async () => {
    const mail = await parsed('gmail-reply.eml');
    expect(mail.newText).toBe('Thanks, but it still has not arrived. The tracking page says "in transit"\nsince 2 January.');
    expect(mail.text).toContain('> Your order #1234 left our warehouse');
    expect(mail.inReplyTo).toBe(SES_ID);
    expect(mail.references).toEqual(['<CAFirst.1234@mail.example.com>', KEFU_ID, SES_ID]);
    expect(mail.html).toContain('in transit');
  });

  it('drops the quoted blockquote of an HTML-only reply', async () => {
    const html = fixture('gmail-reply.eml').toString('utf8').split('Content-Type: text/html; charset="UTF-8"\n\n')[1]!.split('\n--0000')[0]!;
    const mail = await parsed(['From: a@example.com', 'Subject: Re: x', 'Content-Type: text/html; charset=utf-8', '', html]);
    expect(mail.text).toContain('Your order #1234 left our warehouse');
    expect(mail.newText).toBe('Thanks, but it still has not arrived. The tracking page says "in transit" since 2 January.');
  });

  it('cuts an Outlook reply at its header block (and the rule above it), decoding ISO-8859-1', async () => {
    const mail = await parsed('outlook-reply.eml');
    expect(mail.newText).toBe('Hi,\n\nThe invoice should be addressed to Example Org Ltd., not to me personally. Can you re-issue it? Café receipts are attached separately.\n\nBob');
    expect(mail.text).toContain('Hello Bob, here is your invoice.');
  });

  it('cuts Chinese replies at "在 … 写道：" and at "原始邮件" / "发件人:"', async () => {
    const reply = await parsed('chinese-reply.eml');
    expect(reply.from).toEqual({ address: 'zhangsan@example.cn', name: '张三' });
    expect(reply.subject).toBe('回复：订单问题');
    expect(reply.newText).toBe('你好，我的订单还没有到，请帮我查一下物流。\n订单号：88888\n\n谢谢！');
    const qq = await parsed('chinese-qq-reply.eml');
    expect(qq.from.name).toBe('李四');
    expect(qq.newText).toBe('收到，谢谢。发票抬头请写“示例科技有限公司”。');
  });

  it('decodes GBK and ISO-2022-JP bodies and encoded-word headers', async () => {
    const gbk = await parsed('gbk.eml');
    expect(gbk.subject).toBe('退款申请');
    expect(gbk.from.name).toBe('王五');
    expect(gbk.newText).toBe('您好，我想申请退款，订单号 5678。\n谢谢！');
    const jp = await parsed('iso-2022-jp.eml');
    expect(jp.subject).toBe('注文について');
    expect(jp.from.name).toBe('山田');
    expect(jp.newText).toBe('お世話になっております。\n注文番号 4321 の配送状況を教えてください。');
  });

  it('keeps a PDF attachment and an inline image, with safe file names and their bytes', async () => {
    const mail = await parsed('attachment.eml');
    expect(mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, inline: a.inline, contentId: a.contentId, size: a.size }))).toEqual([
      { filename: 'photo.png', contentType: 'image/png', inline: true, contentId: 'photo-1@example.com', size: 70 },
      { filename: 'receipt.pdf', contentType: 'application/pdf', inline: false, contentId: undefined, size: 125 },
    ]);
    const pdf = mail.attachments[1]!.content;
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/^%PDF-1\.4\n[\s\S]*%%EOF\n$/);
    expect([...mail.attachments[0]!.content.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(mail.skippedAttachments).toEqual([]);
    // The cid: image is a placeholder in the sanitised HTML, never a link to load.
    expect(mail.html).toContain('<span>[photo]</span>');
    expect(mail.html).not.toContain('cid:');
  });

  it('skips attachments beyond the limits and says which and why', async () => {
    const tooMany = await parsed('attachment.eml', { maxAttachments: 1 });
    expect(tooMany.attachments.map((a) => a.filename)).toEqual(['photo.png']);
    expect(tooMany.skippedAttachments).toEqual([{ filename: 'receipt.pdf', contentType: 'application/pdf', size: 125, reason: 'too-many' }]);
    const tooLarge = await parsed('attachment.eml', { maxAttachmentBytes: 100 });
    expect(tooLarge.attachments.map((a) => a.filename)).toEqual(['photo.png']);
    expect(tooLarge.skippedAttachments).toEqual([{ filename: 'receipt.pdf', contentType: 'application/pdf', size: 125, reason: 'too-large' }]);
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\x\\evil.exe', 'evil.exe'],
    ['..', 'attachment-3'],
    ['', 'attachment-3'],
    ['a\u0000b<c>.txt', 'a_b_c_.txt'],
    ['.hidden', 'hidden'],
  ])('sanitises the file name %j', (name, expected) => {
    expect(sanitizeFilename(name, 3)).toBe(expected);
  });

  it('refuses what it cannot read with WEBHOOK.MALFORMED, never throwing', async () => {
    expect(await refused('')).toMatchObject({ kind: 'error', status: 400, code: 'WEBHOOK.MALFORMED' });
    expect((await refused('Subject: no sender\r\n\r\nhello')).message).toContain('From');
    expect((await refused('From: not an address\r\n\r\nhello')).code).toBe('WEBHOOK.MALFORMED');
    expect((await refused('garbage \u0000\u00ff')).code).toBe('WEBHOOK.MALFORMED');
    // Huge headers (beyond 256 KiB).
    expect((await refused(`From: a@example.com\r\nX-Big: ${'a'.repeat(300 * 1024)}\r\n\r\nbody`)).code).toBe('WEBHOOK.MALFORMED');
    // A message larger than the limit.
    expect((await refused('From: a@example.com\r\n\r\n' + 'x'.repeat(2000), { maxBytes: 1000 })).message).toContain('larger than 1000 bytes');
    // Not bytes at all.
    expect((await parseInboundEmail(42 as unknown as string)).kind).toBe('error');
  });

  it('refuses MIME nested beyond the limit', async () => {
    const depth = 40;
    const open = Array.from({ length: depth }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`).join('');
    const close = Array.from({ length: depth }, (_, i) => `\r\n--b${depth - 1 - i}--`).join('');
    const raw = `From: a@example.com\r\n${open}Content-Type: text/plain\r\n\r\nhi${close}`;
    expect((await refused(raw)).code).toBe('WEBHOOK.MALFORMED');
  });

  it('reads bad encodings and unknown charsets without throwing', async () => {
    const badBase64 = await parsed(['From: a@example.com', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', '!!!not base64***', '']);
    expect(badBase64.kind).toBe('email');
    const unknownCharset = await parsed(['From: a@example.com', 'Subject: =?x-unknown?B?AAAA?=', 'Content-Type: text/plain; charset=x-klingon', '', 'hello', '']);
    expect(unknownCharset.text).toContain('hello');
    const noHeaders = await parsed(['From: b@example.com', '', 'only a body']);
    expect(noHeaders).toMatchObject({ subject: '', references: [], to: [], newText: 'only a body' });
    expect(noHeaders.messageId).toBeUndefined();
    expect(noHeaders.date).toBeUndefined();
  });

  it('stays linear on pathological bodies (a quadratic trim took minutes on 200,000 spaces)', async () => {
    const bodies: [string, string][] = [
      ['text/plain', `${' '.repeat(200_000)}x`],
      ['text/plain', `${'\t \u00a0'.repeat(70_000)}x\n`.repeat(2)],
      ['text/plain', `On ${'a'.repeat(300)}\n`.repeat(2_000)],
      ['text/html', `<p>${' '.repeat(200_000)}x</p>`],
      ['text/html', '<blockquote>'.repeat(20_000)],
    ];
    for (const [type, body] of bodies) {
      const started = Date.now();
      const result = await parseInboundEmail(`From: a@example.com\r\nContent-Type: ${type}; charset=utf-8\r\n\r\n${body}`);
      expect(result.kind).toBe('email');
      expect(Date.now() - started, `${type} ${body.slice(0, 20)}`).toBeLessThan(5_000);
    }
  }, 60_000);

  it('never throws on ~2,000 random mutations of the fixtures: an e-mail or a WEBHOOK.MALFORMED error', async () => {
    const seeds = ['plain.eml', 'gmail-reply.eml', 'attachment.eml', 'html-script.eml', 'gbk.eml'].map((n) => new Uint8Array(fixture(n)));
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const kinds = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const base = seeds[i % seeds.length]!;
      let bytes: Uint8Array;
      switch (i % 4) {
        case 0:
          bytes = base.slice(0, rand(base.length));
          break;
        case 1:
          bytes = base.slice();
          for (let k = 0; k < 1 + rand(20); k++) bytes[rand(bytes.length)] = rand(256);
          break;
        case 2: {
          const at = rand(base.length);
          bytes = new Uint8Array([...base.slice(0, at), ...new TextEncoder().encode(['\r\n\r\n', '--', '=?', '<', 'Content-Type: multipart/mixed; boundary=x\r\n', '\u0000'][rand(6)]!), ...base.slice(at)]);
          break;
        }
        default:
          bytes = new Uint8Array(Array.from({ length: rand(400) }, () => rand(256)));
      }
      const result = await parseInboundEmail(bytes);
      kinds.add(result.kind);
      if (result.kind === 'error') expect(result).toMatchObject({ status: 400, code: 'WEBHOOK.MALFORMED' });
      else expect(typeof result.newText).toBe('string');
    }
    expect(kinds).toEqual(new Set(['email', 'error']));
  }, 60_000);
});

describe('removing quoted history', () => {
  it.each([
    ['-----Original Message-----', 'Thanks\n\n-----Original Message-----\nFrom: x\nold'],
    ['From: … Sent: …', 'Thanks\n\nFrom: Kefu <s@example.com>\nSent: Monday\nTo: me\nold'],
    ['发件人:', 'Thanks\n发件人: Kefu <s@example.com>\n发送时间: 2026年1月9日\nold'],
    ['-------- 原始邮件 --------', 'Thanks\n\n-------- 原始邮件 --------\n发件人：Kefu\nold'],
    ['-----邮件原件-----', 'Thanks\n-----邮件原件-----\nold'],
    ['在 … 写道：', 'Thanks\n在 2026年1月5日 10:00，Kefu <s@example.com> 写道：\nold'],
    ['在 … 写道： over two lines', 'Thanks\n在 2026年1月5日 10:00，Kefu\n<s@example.com> 写道：\nold'],
    ['On … wrote:', 'Thanks\nOn Mon, Jan 5, 2026 at 10:00 AM Kefu <s@example.com> wrote:\nold'],
    ['Le … a écrit :', 'Thanks\nLe lun. 5 janv. 2026 à 10:00, Kefu <s@example.com> a écrit :\nold'],
    ['the "-- " signature', 'Thanks\n-- \nAlice\nold'],
  ])('cuts at %s', (_what, text) => {
    expect(stripQuotedHistory(text)).toBe('Thanks');
  });

  it('drops interleaved ">" lines but keeps the answers between them', () => {
    expect(stripQuotedHistory('> Which colour?\nRed.\n> Which size?\nL.')).toBe('Red.\nL.');
  });

  it('keeps ordinary lines that only look a little like headers', () => {
    const text = 'On Monday I will be away.\nFrom: the warehouse, a parcel came.\nThanks';
    expect(stripQuotedHistory(text)).toBe(text);
  });
});

describe('the inbound message of an e-mail', () => {
  const dmarcPass = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } as const;

  it('maps a first mail: lower-cased sender, dedupe on Message-ID, the subject in front, a verified profile', async () => {
    const mail = await parsed('plain.eml');
    expect(startsThread(mail)).toBe(true);
    const message = toInboundMessage(mail, { sesMessageId: 'ses-1', verdicts: dmarcPass, includeSubject: startsThread(mail), recipient: 'Support@Kefu.Example.com' });
    expect(message).toMatchObject({
      channel: 'email',
      kind: 'text',
      sender: 'alice@example.com',
      recipient: 'support@kefu.example.com',
      dedupeId: 'email:<CAFirst.1234@mail.example.com>',
      profile: { displayName: 'Alice Example', email: 'alice@example.com', verified: ['email'] },
      thread: { subject: 'Where is my order #1234?', messageId: '<CAFirst.1234@mail.example.com>' },
    });
    expect(message.text).toBe(`Subject: Where is my order #1234?\n\n${mail.newText}`);
    expect(message.sentAt.toISOString()).toBe('2026-01-05T01:15:00.000Z');
    expect(message.thread).not.toHaveProperty('references');
  });

  it('maps a reply: only the new words, no subject, the references space-joined', async () => {
    const mail = await parsed('gmail-reply.eml');
    expect(startsThread(mail)).toBe(false);
    const message = toInboundMessage(mail, { sesMessageId: 'ses-2' });
    expect(message.text).toBe(mail.newText);
    expect(message.thread).toEqual({ subject: 'Re: Where is my order #1234?', messageId: '<CAGmail.Reply.5678@mail.gmail.com>', references: `<CAFirst.1234@mail.example.com> ${KEFU_ID} ${SES_ID}` });
    // No SES verdicts: not verified.
    expect(message.profile?.verified).toBeUndefined();
  });

  it('caps the references to the last 10', async () => {
    const ids = Array.from({ length: 14 }, (_, i) => `<id${i}@example.com>`);
    const mail = await parsed(['From: a@example.com', `References: ${ids.join(' ')}`, '', 'hi']);
    expect(toInboundMessage(mail, { sesMessageId: 's' }).thread?.references).toBe(ids.slice(4).join(' '));
  });

  it('falls back to the SES message id, to the whole text, to the subject; a mail with only files is a file', async () => {
    const quotedOnly = await parsed(['From: a@example.com', 'Subject: x', '', '> only a quote']);
    const m1 = toInboundMessage(quotedOnly, { sesMessageId: 'ses-3' });
    expect(m1.dedupeId).toBe('email:ses-3');
    expect(m1.text).toBe('> only a quote');
    const subjectOnly = await parsed(['From: a@example.com', 'Subject: Refund for order 123', '', '']);
    expect(toInboundMessage(subjectOnly, { sesMessageId: 's' }).text).toBe('Subject: Refund for order 123');
    const filesOnly = await parsed(['From: a@example.com', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: application/pdf', 'Content-Disposition: attachment; filename="bill.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0=', '--b--', '']);
    const m3 = toInboundMessage(filesOnly, { sesMessageId: 's' });
    expect(m3).toMatchObject({ kind: 'file', title: 'bill.pdf' });
    expect(m3.text).toBeUndefined();
  });

  it.each([
    [{ dmarc: 'PASS' }, true],
    [{ dmarc: 'GRAY', spf: 'PASS', dkim: 'PASS' }, true],
    [{ spf: 'PASS', dkim: 'PASS' }, true],
    [{ dmarc: 'FAIL', spf: 'PASS', dkim: 'PASS' }, false],
    [{ dmarc: 'GRAY', spf: 'PASS', dkim: 'FAIL' }, false],
    [{ spf: 'PASS' }, false],
    [{}, false],
  ] as const)('counts the sender verified for %j: %s', (verdicts, verified) => {
    expect(senderVerified(verdicts)).toBe(verified);
  });
});

describe('e-mail threading', () => {
  const empty = { to: [], cc: [], references: [] as string[] };

  it('finds the conversation in the plus address first', async () => {
    expect(conversationFromEmail(await parsed('gmail-reply.eml'), CONFIG)).toBe(CONV);
    const other = 'conv_OTHER';
    // The +tag wins over a Kefu id in References.
    expect(conversationFromEmail({ ...empty, to: [{ address: `Support+${other}@KEFU.example.com`, name: '' }], references: [KEFU_ID] }, CONFIG)).toBe(other);
    // Envelope recipients (Bcc) count too.
    expect(conversationFromEmail({ ...empty }, { ...CONFIG, envelopeRecipients: [`support+${other}@kefu.example.com`] })).toBe(other);
  });

  it('then In-Reply-To, then References newest first', () => {
    const a = kefuMessageId('conv_A', 'm1', 'kefu.example.com');
    const b = kefuMessageId('conv_B', 'm2', 'kefu.example.com');
    expect(conversationFromEmail({ ...empty, inReplyTo: a, references: [b] }, CONFIG)).toBe('conv_A');
    expect(conversationFromEmail({ ...empty, inReplyTo: SES_ID, references: [a, b, SES_ID] }, CONFIG)).toBe('conv_B');
  });

  it('finds it in an Outlook reply through References (In-Reply-To is SES\'s id)', async () => {
    expect(conversationFromEmail(await parsed('outlook-reply.eml'), CONFIG)).toBe(CONV);
  });

  it('ignores other domains, other mailboxes and malformed ids; a new thread is undefined', async () => {
    expect(conversationFromEmail(await parsed('plain.eml'), CONFIG)).toBeUndefined();
    const cases = [
      { ...empty, to: [{ address: `support+${CONV}@evil.example.net`, name: '' }] },
      { ...empty, to: [{ address: `sales+${CONV}@kefu.example.com`, name: '' }] },
      { ...empty, to: [{ address: 'support+conv_bad.id@kefu.example.com', name: '' }] },
      { ...empty, to: [{ address: `support+conv_${'x'.repeat(65)}@kefu.example.com`, name: '' }] },
      { ...empty, to: [{ address: 'support+notconv@kefu.example.com', name: '' }] },
      { ...empty, inReplyTo: `<kefu.${CONV}.m1@evil.example.net>` },
      { ...empty, references: ['<kefu.conv_.m1@kefu.example.com>', '<kefu.conv_a b.m1@kefu.example.com>'] },
    ];
    for (const c of cases) expect(conversationFromEmail(c, CONFIG), JSON.stringify(c)).toBeUndefined();
  });

  it('makes the reply headers: Kefu\'s id, In-Reply-To the customer\'s, References with it last', () => {
    const headers = outboundHeaders({ subject: 'Re: Re: Where is my order?', messageId: '<c2@example.com>', references: '<c1@example.com> <k1@kefu.example.com>' }, { conversationId: CONV, messageId: 'msg_9', replyDomain: 'kefu.example.com' });
    expect(headers).toEqual({
      messageId: `<kefu.${CONV}.msg_9@kefu.example.com>`,
      inReplyTo: '<c2@example.com>',
      references: '<c1@example.com> <k1@kefu.example.com> <c2@example.com>',
      subject: 'Re: Where is my order?',
    });
    expect(outboundHeaders(undefined, { conversationId: CONV, messageId: 'm', replyDomain: 'd.example' })).toEqual({ messageId: `<kefu.${CONV}.m@d.example>`, subject: 'Re: (no subject)' });
  });

  it('caps the references at 10 ids and 995 characters, keeping the newest', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `<id${i}@example.com>`);
    const headers = outboundHeaders({ messageId: '<last@example.com>', references: ids.join(' ') }, { conversationId: CONV, messageId: 'm', replyDomain: 'k.example' });
    expect(headers.references!.split(' ')).toEqual([...ids.slice(3), '<last@example.com>']);
    const long = Array.from({ length: 10 }, (_, i) => `<${String(i).repeat(150)}@example.com>`);
    const capped = capReferences(long);
    expect(capped.join(' ').length).toBeLessThanOrEqual(995);
    expect(capped.at(-1)).toBe(long.at(-1));
  });

  it.each([
    ['Where is my order?', 'Re: Where is my order?'],
    ['Re: Where is my order?', 'Re: Where is my order?'],
    ['RE: Re: re:Invoice 77', 'Re: Invoice 77'],
    ['回复：订单问题', 'Re: 订单问题'],
    ['Re: 回复: 答复：发票', 'Re: 发票'],
    ['AW: Rechnung', 'Re: Rechnung'],
    ['Re[2]: x', 'Re: x'],
    ['', 'Re: (no subject)'],
    ['Regarding my order', 'Re: Regarding my order'],
  ])('replies to the subject %j as %j', (subject, expected) => {
    expect(replySubject(subject)).toBe(expected);
  });

  it('makes the plus address from the sending address', () => {
    expect(replyToAddress('support@kefu.example.com', CONV)).toBe(`support+${CONV}@kefu.example.com`);
    expect(replyToAddress('support+x@kefu.example.com', CONV)).toBe(`support+${CONV}@kefu.example.com`);
    expect(replyToAddress('support@kefu.example.com', 'not a conversation')).toBe('support@kefu.example.com');
  });
});

describe('the SES receipt event', () => {
  const sample = JSON.parse(fixture('ses-event.json').toString('utf8'));

  it('reads AWS\'s documented Lambda-action event: id, recipients, verdicts; the S3 key from the configured prefix', () => {
    const outcome = parseSesEvent(sample, { s3: { bucket: 'kefu-inbound', keyPrefix: 'email/raw/' } });
    expect(outcome).toEqual({
      kind: 'receipts',
      receipts: [
        {
          sesMessageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
          receivedAt: new Date('2019-08-05T21:30:02.028Z'),
          source: 'prvs=144d0cba7=sender@example.com',
          recipients: ['recipient@example.com'],
          destination: ['recipient@example.com'],
          verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'GRAY' },
          s3: { bucket: 'kefu-inbound', key: 'email/raw/EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000' },
          subject: 'This is a test',
        },
      ],
    });
    // Without the configuration the Lambda action does not say where the body is.
    const bare = parseSesEvent(sample);
    expect(bare.kind === 'receipts' && bare.receipts[0]!.s3).toBeUndefined();
  });

  it('takes the bucket and key of an S3 action', () => {
    const event = structuredClone(sample);
    event.Records[0].ses.receipt.action = { type: 'S3', topicArn: 'arn:aws:sns:us-east-1:123456789012:t', bucketName: 'my-bucket', objectKeyPrefix: 'in/', objectKey: 'in/abc' };
    const outcome = parseSesEvent(event, { s3: { bucket: 'ignored' } });
    expect(outcome.kind === 'receipts' && outcome.receipts[0]!.s3).toEqual({ bucket: 'my-bucket', key: 'in/abc' });
  });

  it.each([
    ['null', null],
    ['no Records', {}],
    ['empty Records', { Records: [] }],
    ['a foreign event source', { Records: [{ ...sample.Records[0], eventSource: 'aws:s3' }] }],
    ['no message id', { Records: [{ eventSource: 'aws:ses', ses: { mail: {}, receipt: { recipients: [] } } }] }],
    ['a message id with a slash', { Records: [{ eventSource: 'aws:ses', ses: { mail: { messageId: '../x' }, receipt: { recipients: [] } } }] }],
    ['recipients not a list', { Records: [{ eventSource: 'aws:ses', ses: { mail: { messageId: 'abc' }, receipt: { recipients: 'a@b.c' } } }] }],
    ['an S3 action without a key', { Records: [{ eventSource: 'aws:ses', ses: { mail: { messageId: 'abc' }, receipt: { recipients: [], action: { type: 'S3', bucketName: 'b' } } } }] }],
  ])('refuses %s', (_what, event) => {
    expect(parseSesEvent(event)).toMatchObject({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED' });
  });

  it('drops a virus or spam FAIL, never throwing', () => {
    expect(shouldDrop({ virus: 'FAIL', spam: 'PASS' })).toBe('EMAIL.VIRUS');
    expect(shouldDrop({ virus: 'PASS', spam: 'FAIL' })).toBe('EMAIL.SPAM');
    expect(shouldDrop({ virus: 'GRAY', spam: 'GRAY' })).toBeUndefined();
    expect(shouldDrop({ virus: 'PASS', spam: 'PASS', dmarc: 'FAIL' })).toBeUndefined();
    for (const junk of [undefined, null, 'FAIL', 42, [], { virus: { status: 'FAIL' } }]) expect(() => shouldDrop(junk)).not.toThrow();
  });

  it('never throws on ~2,000 random mutations of the sample: receipts or a 400', () => {
    let seed = 777;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const junk = [null, 0, -1, 1e308, '', 'x'.repeat(1000), [], {}, true, [null], { status: 'FAIL' }];
    const paths: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      paths.push(path);
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(sample, []);
    const text = JSON.stringify(sample);
    const kinds = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      let event: unknown;
      if (i % 3 === 0) {
        try {
          event = JSON.parse(text.slice(0, rand(text.length)));
        } catch {
          event = text.slice(0, rand(text.length));
        }
      } else {
        event = structuredClone(sample);
        const path = paths[1 + rand(paths.length - 1)]!;
        let parent = event as Record<string, unknown>;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
        if (i % 3 === 1) parent[path.at(-1)!] = junk[rand(junk.length)];
        else delete parent[path.at(-1)!];
      }
      const outcome = parseSesEvent(event);
      kinds.add(outcome.kind);
      if (outcome.kind === 'refused') expect(outcome).toMatchObject({ status: 400, code: 'WEBHOOK.MALFORMED' });
      else for (const r of outcome.receipts) expect(() => shouldDrop(r.verdicts)).not.toThrow();
    }
    expect(kinds).toEqual(new Set(['receipts', 'refused']));
  });
});

describe('sending through SES v2', () => {
  let server: Server;
  let endpoint: string;
  const requests: { method: string; url: string; body: any }[] = [];
  let respond: (res: ServerResponse) => void = () => {};

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((done) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = await readBody(req);
      requests.push({ method: req.method ?? '', url: req.url ?? '', body: body ? JSON.parse(body) : undefined });
      respond(res);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
  });

  const client = () => new SESv2Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' }, maxAttempts: 1 });
  const ok = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ MessageId: '0100019a-ses-message-id-000000' }));
  };
  const sesError = (status: number, type: string) => (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ message: `${type} from the fake` }));
  };

  it('posts the reply with the plus address, In-Reply-To and References (Kefu\'s id last), text and HTML', async () => {
    respond = ok;
    requests.length = 0;
    const sender = new SesEmailSender({ client: client(), fromAddress: 'support@kefu.example.com' });
    const thread = { subject: 'Where is my order #1234?', messageId: '<CAFirst.1234@mail.example.com>' };
    const result = await sender.sendText('alice@example.com', 'Hello Alice,\nit ships <today> & arrives soon.', { messageId: 'msg_01', conversationId: CONV, thread });
    expect(result).toEqual({ ok: true, providerMessageId: '0100019a-ses-message-id-000000' });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v2/email/outbound-emails');
    expect(request!.body).toMatchObject({
      FromEmailAddress: 'support@kefu.example.com',
      Destination: { ToAddresses: ['alice@example.com'] },
      ReplyToAddresses: [`support+${CONV}@kefu.example.com`],
    });
    const simple = request!.body.Content.Simple;
    expect(simple.Subject).toEqual({ Data: 'Re: Where is my order #1234?', Charset: 'UTF-8' });
    expect(simple.Body.Text.Data).toBe('Hello Alice,\nit ships <today> & arrives soon.');
    expect(simple.Body.Html.Data).toBe('<div>Hello Alice,<br>\nit ships &lt;today&gt; &amp; arrives soon.</div>');
    expect(simple.Headers).toEqual([
      { Name: 'In-Reply-To', Value: '<CAFirst.1234@mail.example.com>' },
      { Name: 'References', Value: `<CAFirst.1234@mail.example.com> <kefu.${CONV}.msg_01@kefu.example.com>` },
    ]);
    // SES would replace a Message-ID header: none is sent.
    expect(JSON.stringify(simple.Headers)).not.toContain('Message-ID');
  });

  it('cuts text beyond 100,000 characters with "…"', async () => {
    respond = ok;
    requests.length = 0;
    const sender = emailChannel({ ...CONFIG, ses: client() }).sender;
    await sender.sendText('alice@example.com', 'x'.repeat(100_005), { messageId: 'm', conversationId: CONV });
    const text: string = requests[0]!.body.Content.Simple.Body.Text.Data;
    expect(text).toHaveLength(100_000);
    expect(text.endsWith('x…')).toBe(true);
  });

  it.each([
    [429, 'TooManyRequestsException', { ok: false, retryable: true, code: 'EMAIL_TooManyRequests', retryAfterMs: 1000 }],
    [429, 'LimitExceededException', { ok: false, retryable: true, code: 'EMAIL_LimitExceeded' }],
    [500, 'InternalServiceErrorException', { ok: false, retryable: true }],
    [503, 'SomethingElse', { ok: false, retryable: true, code: 'HTTP_503' }],
    [400, 'MessageRejected', { ok: false, retryable: false, code: 'EMAIL_MessageRejected' }],
    [400, 'MailFromDomainNotVerifiedException', { ok: false, retryable: false, code: 'EMAIL_MailFromDomainNotVerified' }],
    [400, 'AccountSuspendedException', { ok: false, retryable: false, code: 'EMAIL_AccountSuspended' }],
  ])('maps HTTP %i %s', async (status, type, expected) => {
    respond = sesError(status, type);
    const sender = new SesEmailSender({ client: client(), fromAddress: 'support@kefu.example.com' });
    expect(await sender.sendText('alice@example.com', 'hi', { messageId: 'm', conversationId: CONV })).toMatchObject(expected);
  });

  it('is retryable when SES cannot be reached, and refuses a recipient that is not an address', async () => {
    const unreachable = new SESv2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' }, maxAttempts: 1 });
    const sender = new SesEmailSender({ client: unreachable, fromAddress: 'support@kefu.example.com' });
    expect(await sender.sendText('alice@example.com', 'hi')).toMatchObject({ ok: false, retryable: true });
    expect(await sender.sendText('not an address', 'hi')).toEqual({ ok: false, retryable: false, code: 'EMAIL_INVALID_RECIPIENT', message: 'the recipient is not an e-mail address' });
    expect(sendFailure(Object.assign(new Error('reset'), { name: 'Error' }))).toMatchObject({ retryable: true, code: 'NETWORK' });
  });

  it('encodes a non-ASCII subject as RFC 2047 encoded-words that decode back', async () => {
    const subject = 'Re: 您的订单 #1234 已经发货，预计三天内送达，请注意查收。谢谢您的耐心等待！';
    const encoded = encodeSubject(subject);
    expect(encoded).toMatch(/^[\x20-\x7e]+$/);
    for (const word of encoded.split(' ')) expect(word.length).toBeLessThanOrEqual(75);
    // Decoded by postal-mime as a mail client would read the header.
    expect((await PostalMime.parse(`From: a@example.com\r\nSubject: ${encoded}\r\n\r\nx`)).subject).toBe(subject);
    expect(encodeSubject('Re: plain ASCII')).toBe('Re: plain ASCII');
  });

  it('escapes HTML and keeps line breaks', () => {
    expect(textToHtml('a<b>\r\n"c" & \'d\'')).toBe('<div>a&lt;b&gt;<br>\n&quot;c&quot; &amp; &#39;d&#39;</div>');
  });

  it('is made by the factory: no secrets, the capabilities, a checked fromAddress', () => {
    expect(EMAIL_SECRET_KEYS).toEqual([]);
    const channel = emailChannel({ fromAddress: 'support@kefu.example.com', region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
    expect(channel.sender.channel).toBe('email');
    expect(channel.capabilities).toBe(EMAIL_CAPABILITIES);
    expect(EMAIL_CAPABILITIES).toEqual({ maxText: { length: 100_000, unit: 'characters' }, richContent: ['file', 'link', 'image'], sendRatePerSecond: 1 });
    expect(EMAIL_CAPABILITIES.serviceWindowHours).toBeUndefined();
    expect(EMAIL_CAPABILITIES.syncReplyDeadlineMs).toBeUndefined();
    expect(() => emailChannel({ fromAddress: 'not-an-address' })).toThrow(/fromAddress/);
  });
});
