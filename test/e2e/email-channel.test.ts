/**
 * The e-mail channel on the local runtime: raw messages delivered as SES's receipt rule delivers them (the local
 * stand-in stores the raw mail and invokes the e-mail function with SES's event), the reply sent through SES v2
 * (a loopback fake speaking its REST-JSON) with the plus address and threading headers, the customer's answer to that
 * reply landing in the same conversation, attachments kept, and mail SES judged a virus dropped.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectStore } from '../../shared/adapters/wiring/objects.ts';
import { conversationStore, customerDirectory } from '../../shared/adapters/wiring/storage.ts';
import { customerIdForIdentity } from '../../shared/application/channel-intake.use-cases.ts';
import { FakeChannelApi } from '../support/fake-channel-api.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'email');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const SUPPORT = 'support@kefu.example.com';
const ses = new FakeChannelApi();
let platform: Platform;

beforeAll(async () => {
  await ses.start();
  ses.route('POST', '/v2/email/outbound-emails', () => ({ body: { MessageId: `ses-out-${ses.calls.length}` } }));
  Object.assign(process.env, { KEFU_EMAIL_FROM_ADDRESS: SUPPORT, KEFU_EMAIL_REPLY_DOMAIN: 'kefu.example.com', KEFU_EMAIL_API_BASE_URL: ses.url });
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
}, 120_000);
afterAll(async () => {
  await platform?.runtime.stop();
  await ses.stop();
});

/** A fixture with its sender and Message-ID made unique for this test. */
function mail(name: string, from: string, messageId: string): string {
  return fixture(name)
    .replace(/^From: .*$/m, `From: Test Customer <${from}>`)
    .replace(/^Message-ID: .*$/im, `Message-ID: <${messageId}>`);
}

async function deliver(raw: string, query = ''): Promise<{ status: number; body: any }> {
  return platform.request('POST', `/_local/ses/inbound${query}`, { rawBody: raw, headers: { 'content-type': 'message/rfc822' } });
}

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

describe('the e-mail channel', () => {
  it('turns a mail into a conversation, stored once per Message-ID, replies through SES with the plus address, and threads the answer back', async () => {
    // Prepare
    const from = `${unique('alice')}@example.com`;
    const first = mail('plain.eml', from, `${unique('first')}@mail.example.com`);
    // Act
    const delivered = await deliver(first);
    const redelivered = await deliver(first);
    // Assess: one customer by address, one conversation, the new words with the subject, the signature cut.
    expect(delivered.body.result).toMatchObject({ stored: 1 });
    expect(redelivered.body.result).toMatchObject({ stored: 0, duplicates: 1 });
    const [conversation] = await conversationStore().listByCustomer(customerIdForIdentity('email', from), 5);
    expect(conversation?.channel).toBe('email');
    const customerText = (await conversationStore().listMessages(conversation!.id, { limit: 10 })).find((m) => m.role === 'customer')!.text;
    expect(customerText).toContain('Subject: Where is my order #1234?');
    expect(customerText).toContain('it has not arrived yet');
    expect(customerText).not.toContain('-- \nAlice Example');

    // Act: an agent answers.
    const { message } = await conversationStore().append(conversation!.id, { id: `msg_mail_${Date.now()}`, role: 'agent', agentId: 'agent-li', text: 'Your kettle ships tomorrow.', createdAt: new Date().toISOString() });
    // Assess: SES received it for the customer, from the support address, answers go to the plus address.
    const [call] = await ses.waitForCalls((c) => c.json?.Destination?.ToAddresses?.includes(from) && JSON.stringify(c.json).includes('Your kettle ships tomorrow.'));
    expect(call!.json.FromEmailAddress).toContain(SUPPORT);
    expect(call!.json.ReplyToAddresses).toEqual([`support+${conversation!.id}@kefu.example.com`]);
    const headers = Object.fromEntries((call!.json.Content.Simple.Headers ?? []).map((h: { Name: string; Value: string }) => [h.Name, h.Value]));
    expect(headers['In-Reply-To']).toMatch(/^<first-/);
    expect(call!.json.Content.Simple.Subject.Data).toBe('Re: Where is my order #1234?');
    await platform.waitFor(async () => (await conversationStore().getMessage(conversation!.id, message.seq))?.outbox === 'sent', 'the e-mail reply marked sent');

    // Act: the customer answers that reply (to the plus address, quoting it).
    const answer = [
      `From: Test Customer <${from}>`,
      `To: support+${conversation!.id}@kefu.example.com`,
      'Subject: Re: Where is my order #1234?',
      `Message-ID: <${unique('answer')}@mail.example.com>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Great, thank you!',
      '',
      'On Mon, 5 Jan 2026 at 10:00, Kefu Support wrote:',
      '> Your kettle ships tomorrow.',
      '',
    ].join('\r\n');
    await deliver(answer, `?to=${encodeURIComponent(`support+${conversation!.id}@kefu.example.com`)}`);
    // Assess: the same conversation, the quote cut.
    const texts = (await conversationStore().listMessages(conversation!.id, { limit: 20 })).filter((m) => m.role === 'customer').map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe('Great, thank you!');
  }, 60_000);

  it('keeps attachments in the object store and lists them in the transcript', async () => {
    const from = `${unique('carol')}@example.com`;
    await deliver(mail('attachment.eml', from, `${unique('attach')}@example.com`));
    const [conversation] = await conversationStore().listByCustomer(customerIdForIdentity('email', from), 5);
    const event = (await conversationStore().listEvents(conversation!.id)).find((e) => e.type === 'email-attachments');
    const files = (event?.detail as { files: { key: string; filename: string; size: number }[] }).files;
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect((await objectStore().get(file.key))?.length).toBe(file.size);
    const text = (await conversationStore().listMessages(conversation!.id, { limit: 5 })).find((m) => m.role === 'customer')!.text;
    expect(text).toContain('[附件 attachments]');

    // Agents download each file as it arrived; a key the conversation does not list is refused.
    const token = await platform.runtime.tokenFor('agent-chen');
    const file = files[0]!;
    const res = await fetch(`${platform.runtime.url}/v1/agent/conversations/${conversation!.id}/attachment?key=${encodeURIComponent(file.key)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment;');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from((await objectStore().get(file.key))!))).toBe(true);
    const foreign = await platform.request('GET', `/v1/agent/conversations/${conversation!.id}/attachment?key=${encodeURIComponent('email/attachments/other/1-secret.pdf')}`, { token });
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'ATTACHMENT.NOT_FOUND' } } });
    const escape = await platform.request('GET', `/v1/agent/conversations/${conversation!.id}/attachment?key=${encodeURIComponent('email/inbound/anything')}`, { token });
    expect(escape.status).toBe(400);
    expect((await fetch(`${platform.runtime.url}/v1/agent/conversations/${conversation!.id}/attachment?key=${encodeURIComponent(file.key)}`)).status).toBe(401);
  });

  it('drops mail SES judged a virus, storing nothing', async () => {
    const from = `${unique('mallory')}@example.com`;
    const res = await deliver(mail('plain.eml', from, `${unique('virus')}@example.com`), '?virus=FAIL');
    expect(res.body.result).toMatchObject({ stored: 0, dropped: 1 });
    expect(await customerDirectory().get(customerIdForIdentity('email', from))).toBeUndefined();
  });

  it('refuses a reply forged into another customer’s conversation: it opens the sender’s own', async () => {
    const victim = `${unique('victim')}@example.com`;
    await deliver(mail('plain.eml', victim, `${unique('v')}@example.com`));
    const [theirs] = await conversationStore().listByCustomer(customerIdForIdentity('email', victim), 5);
    const attacker = `${unique('attacker')}@example.com`;
    const forged = [`From: ${attacker}`, `To: support+${theirs!.id}@kefu.example.com`, 'Subject: Re: hi', `Message-ID: <${unique('f')}@evil.example>`, 'Content-Type: text/plain', '', 'let me in', ''].join('\r\n');
    await deliver(forged, `?to=${encodeURIComponent(`support+${theirs!.id}@kefu.example.com`)}`);
    expect((await conversationStore().listMessages(theirs!.id, { limit: 20 })).map((m) => m.text)).not.toContain('let me in');
    const [own] = await conversationStore().listByCustomer(customerIdForIdentity('email', attacker), 5);
    expect(own?.id).not.toBe(theirs!.id);
  });
});
