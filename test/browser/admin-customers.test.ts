/**
 * The customers screen in a real Chromium against the real local runtime: the admin searches a WeChat customer,
 * merges an SMS customer into it with a reason (identities, conversations of both and the identity log show), splits
 * the SMS identity off again, and a change made elsewhere meanwhile is a conflict with a reload. Screenshots in both
 * languages. An agent has no Customers screen.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock, conversationStore, customerDirectory, ids } from '../../shared/adapters/wiring/storage.ts';
import { makeChannelIntake } from '../../shared/application/channel-intake.use-cases.ts';
import { ensureConsoleBuilt, launchBrowser, newConsolePage, screenshot, signIn } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ensureConsoleBuilt();
  platform = await startPlatform();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await platform?.runtime.stop();
});

const rand = () => Math.random().toString(36).slice(2, 10);

/** Two customers as channel intake makes them: a WeChat user and an SMS number. */
async function twoCustomers() {
  const intake = makeChannelIntake({ store: conversationStore(), customers: customerDirectory(), clock, ids });
  const openid = `oBrowser${rand()}`;
  const phone = `+86136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const wechat = await intake({ channel: 'wechat', kind: 'text', sender: openid, dedupeId: `wechat:${rand()}`, sentAt: new Date(), text: '微信咨询' });
  const sms = await intake({ channel: 'sms', kind: 'text', sender: phone, dedupeId: `sms:${rand()}`, sentAt: new Date(), text: 'SMS question', profile: { phone, verified: ['phone'] } });
  return { openid, phone, wechat: wechat.customerId, sms: sms.customerId };
}

async function openCustomer(page: Page, query: string, customerId: string) {
  await page.getByTestId('customer-search').fill(query);
  await page.getByTestId('customer-search-go').click();
  await page.locator(`[data-testid="customer-row"][data-customer-id="${customerId}"]`).click();
  await page.locator(`[data-testid="customer-detail"][data-customer-id="${customerId}"]`).waitFor();
}

describe('the customers screen', () => {
  it('merges a customer in with a reason, shows identities, conversations and the log, and splits an identity off', async () => {
    // Prepare
    const { openid, phone, wechat, sms } = await twoCustomers();
    const { page, errors } = await newConsolePage(browser, contexts);
    await page.goto(`${platform.runtime.url}/console/admin/customers`);
    await signIn(page, 'admin');
    await page.getByTestId('customers').waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console/admin/customers');
    await openCustomer(page, openid, wechat);
    const detail = page.getByTestId('customer-detail');
    expect(await page.getByTestId('identity-row').count()).toBe(1);

    // Act: merge the SMS customer in.
    await page.getByTestId('customer-merge').click();
    await page.getByTestId('merge-source').fill(sms);
    await page.getByTestId('identity-reason').fill('客户来电确认是同一人');
    await page.getByTestId('identity-confirm').click();

    // Assess: both identities with their channel labels, both conversations, the log entry with who and why.
    await expect.poll(() => page.getByTestId('identity-row').count()).toBe(2);
    expect(await detail.locator('[data-testid="channel-badge"][data-channel="sms"]').textContent()).toContain('短信');
    expect(await detail.locator('[data-testid="channel-badge"][data-channel="wechat"]').textContent()).toContain('微信');
    expect(await page.getByTestId('verified-contact').textContent()).toContain(phone);
    // Both conversations, the SMS one (still open) now the survivor's: the merge moved it.
    expect(await page.locator('[data-testid="customer-conversation"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer-id')))).toEqual([wechat, wechat]);
    expect(await page.locator('[data-testid="customer-conversation"]').count()).toBe(2);
    const entry = page.locator('[data-testid="identity-log-entry"]').first();
    expect(await entry.getAttribute('data-kind')).toBe('merge-in');
    expect(await entry.textContent()).toContain('admin');
    expect(await entry.getByTestId('identity-log-reason').textContent()).toBe('客户来电确认是同一人');
    const stored = await platform.request('GET', `/v1/admin/customers/${wechat}`, { token: await platform.runtime.tokenFor('admin') });
    expect(stored.body.customer.identities).toHaveLength(2);
    await screenshot(page, 'admin-customers-merged-zh');

    // Act: split the SMS identity off again.
    await page.locator(`[data-testid="identity-row"][data-channel="sms"] [data-testid="identity-split"]`).click();
    await page.getByTestId('split-dialog').waitFor();
    await page.getByTestId('identity-reason').fill('not the same person');
    await page.getByTestId('identity-confirm').click();

    // Assess
    await expect.poll(() => page.getByTestId('identity-row').count()).toBe(1);
    expect(await page.locator('[data-testid="identity-log-entry"]').first().getAttribute('data-kind')).toBe('split-off');
    expect(await page.locator('[data-testid="identity-row"] [data-testid="identity-split"]').isDisabled()).toBe(true);
    const linked = await platform.request('GET', `/v1/admin/customers?q=${encodeURIComponent(phone)}`, { token: await platform.runtime.tokenFor('admin') });
    const owner = linked.body.customers.find((c: { identities: { channel: string }[] }) => c.identities.some((i) => i.channel === 'sms'));
    expect(owner.id).not.toBe(wechat);

    // English
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Customers');
    await screenshot(page, 'admin-customers-en');
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows a conflict with a reload when the customer changed after the screen read it', async () => {
    // Prepare
    const { openid, wechat, sms } = await twoCustomers();
    const { page, errors } = await newConsolePage(browser, contexts, { expected: /409/ });
    await page.goto(`${platform.runtime.url}/console/admin/customers`);
    await signIn(page, 'agent-chen');
    await page.getByTestId('customers').waitFor();
    await openCustomer(page, openid, wechat);
    const version = Number(await page.getByTestId('customer-detail').getAttribute('data-version'));
    // Someone else edits the customer meanwhile.
    const edit = await platform.request('PATCH', `/v1/agent/customers/${wechat}`, { token: await platform.runtime.tokenFor('agent-li'), body: { notes: 'called back' } });
    expect(edit.status).toBe(200);

    // Act
    await page.getByTestId('customer-merge').click();
    await page.getByTestId('merge-source').fill(sms);
    await page.getByTestId('identity-reason').fill('dup');
    await page.getByTestId('identity-confirm').click();

    // Assess: the conflict names the new version; nothing merged; the reload shows the new version.
    await page.getByTestId('customer-conflict').waitFor();
    expect(await page.getByTestId('customer-conflict').textContent()).toContain(String(version + 1));
    expect(await page.getByTestId('identity-row').count()).toBe(1);
    await page.getByTestId('customer-reload').click();
    await expect.poll(() => page.getByTestId('customer-detail').getAttribute('data-version')).toBe(String(version + 1));
    const source = await platform.request('GET', `/v1/admin/customers/${sms}`, { token: await platform.runtime.tokenFor('admin') });
    expect(source.body.redirectedFrom).toBeUndefined();
    expect(errors).toEqual([]);
  }, 60_000);

  it('has no Customers screen for an agent', async () => {
    const { page } = await newConsolePage(browser, contexts);
    await page.goto(`${platform.runtime.url}/console/agent`);
    await signIn(page, 'agent-li');
    await page.getByTestId('nav-agent').waitFor();
    expect(await page.getByTestId('nav-customers').count()).toBe(0);
  }, 30_000);
});
