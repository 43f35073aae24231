/**
 * An e-mail conversation in the agent console, in a real Chromium against the local runtime: the customer's mail with
 * a PDF attached asks for a human; agent-li accepts it, downloads the attachment from the transcript (the same bytes
 * the mail carried), replies, and sees the reply's delivery to the channel (SES faked on loopback); when SES refuses
 * the next reply for good, the transcript says it was not delivered and why.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannelApi } from '../support/fake-channel-api.ts';
import { ensureConsoleBuilt, launchBrowser, newConsolePage, screenshot, signIn } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let browser: Browser;
const contexts: BrowserContext[] = [];
const ses = new FakeChannelApi();
const PDF = Buffer.from('%PDF-1.4\n% Kefu test receipt\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

beforeAll(async () => {
  ensureConsoleBuilt();
  await ses.start();
  ses.route('POST', '/v2/email/outbound-emails', () => ({ body: { MessageId: `ses-${ses.calls.length}` } }));
  Object.assign(process.env, { KEFU_EMAIL_FROM_ADDRESS: 'support@kefu.example.com', KEFU_EMAIL_REPLY_DOMAIN: 'kefu.example.com', KEFU_EMAIL_API_BASE_URL: ses.url });
  platform = await startPlatform({ acceptTimeoutSeconds: 120 });
  for (const id of ['agent-wang', 'agent-chen', 'agent-sam']) {
    expect((await platform.request('PUT', '/v1/agent/presence', { token: await platform.runtime.tokenFor(id), body: { presence: 'offline' } })).status).toBe(200);
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await platform?.runtime.stop();
  await ses.stop();
});

function mailWithPdf(from: string): string {
  const boundary = 'kefu-boundary-42';
  return [
    `From: Dana <${from}>`,
    'To: support@kefu.example.com',
    'Subject: Broken kettle',
    `Message-ID: <dana-${Date.now()}@example.com>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    '转人工 the kettle arrived broken, receipt attached',
    `--${boundary}`,
    'Content-Type: application/pdf; name="receipt.pdf"',
    'Content-Disposition: attachment; filename="receipt.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    PDF.toString('base64'),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

describe('an e-mail conversation in the console', () => {
  let page: Page;
  let errors: string[];

  it('downloads the customer’s attachment and shows each reply’s delivery', async () => {
    // Prepare: agent-li online; the customer's mail asks for a human.
    ({ page, errors } = await newConsolePage(browser, contexts, { expected: /status of 4\d\d/ }));
    await page.goto(`${platform.runtime.url}/console/`);
    await signIn(page, 'agent-li');
    await page.getByTestId('workspace').waitFor();
    if ((await page.getByTestId('presence').getAttribute('data-presence')) !== 'online') await page.getByTestId('presence-online').click();
    const from = `dana-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const delivered = await platform.request('POST', '/_local/ses/inbound', { rawBody: mailWithPdf(from), headers: { 'content-type': 'message/rfc822' } });
    expect(delivered.body.result).toMatchObject({ stored: 1 });

    // Act: accept the offer.
    const offer = page.locator('[data-testid="offer"]').filter({ hasText: '转人工' }).first();
    await offer.waitFor({ timeout: 30_000 });
    const conversationId = (await offer.getAttribute('data-conversation-id'))!;
    await offer.click();
    await offer.getByTestId('offer-accept').click();
    const chat = page.locator(`[data-testid="chat-panel"][data-conversation-id="${conversationId}"]`);
    await expect.poll(() => chat.getAttribute('data-status'), { timeout: 20_000 }).toBe('agent');

    // Assess: the attachment downloads with the mail's bytes.
    const button = chat.getByTestId('attachment').first();
    await button.waitFor();
    expect(await button.textContent()).toContain('receipt.pdf');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('receipt.pdf');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync((await download.path())!).equals(PDF)).toBe(true);

    // Act: reply; Assess: SES got it and the transcript says it was delivered.
    await page.getByTestId('reply-input').fill('Sorry about that — a new kettle ships today.');
    await page.getByTestId('reply-send').click();
    await ses.waitForCalls((c) => JSON.stringify(c.json).includes('a new kettle ships today'));
    const replyRow = chat.locator('[data-testid="message"][data-role="agent"]').filter({ hasText: 'a new kettle ships today' });
    await expect.poll(async () => replyRow.getByTestId('delivery').getAttribute('data-state').catch(() => null), { timeout: 20_000 }).toBe('sent');

    // Act: SES refuses the next reply for good; Assess: not delivered, with why.
    ses.failNext('POST', '/v2/email/outbound-emails', 1, { status: 400, body: { message: 'Email address is not verified.' }, headers: { 'x-amzn-errortype': 'MessageRejected' } });
    await page.getByTestId('reply-input').fill('Tracking number follows.');
    await page.getByTestId('reply-send').click();
    const failedRow = chat.locator('[data-testid="message"][data-role="agent"]').filter({ hasText: 'Tracking number follows.' });
    await expect.poll(async () => failedRow.getByTestId('delivery').getAttribute('data-state').catch(() => null), { timeout: 20_000 }).toBe('failed');
    expect(await failedRow.getByTestId('delivery').textContent()).toContain('未送达');
    await screenshot(page, 'agent-email-conversation-zh');
    expect(errors).toEqual([]);
  }, 120_000);
});
