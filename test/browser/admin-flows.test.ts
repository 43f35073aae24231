/**
 * The flows screen in a real Chromium against the real local runtime: the admin signs in, opens /console/admin/flows,
 * sees the seeded demo flows and their steps, edits the order-status flow's first prompt in the JSON editor, saves
 * (the version goes up), and a customer who asks about an order gets the new prompt. Broken JSON and a definition the
 * server rejects show their errors and change nothing. New flows from the template, deletion with a confirmation, and
 * a supervisor's read-only view. Screenshots in both languages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, newConsolePage, screenshot, signIn } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const FLOW = 'order-status';
const OLD_PROMPT = '好的，请告诉我您的订单号';
const NEW_PROMPT = '测试提示-5519，请发订单号';

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

const newPage = () =>
  // The rejected definition is an expected 400; anything else the console logs as an error is not.
  newConsolePage(browser, contexts, { expected: /400/ });


const stored = async () => (await platform.request('GET', `/v1/admin/flows/${FLOW}`, { token: await platform.runtime.tokenFor('admin') })).body;

describe('the flows screen', () => {
  let page: Page;
  let errors: string[];

  it('lists the demo flows, shows the steps, and a saved prompt is what the bot asks next', async () => {
    ({ page, errors } = await newPage());
    await page.goto(`${platform.runtime.url}/console/admin/flows`);
    await signIn(page, 'admin');
    await page.getByTestId('flows').waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console/admin/flows');
    await page.locator('[data-testid="flow-row"]').first().waitFor();
    const ids = await page.getByTestId('flow-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-flow-id')));
    expect(ids).toEqual(['order-status', 'return-refund']);
    expect(await page.locator(`[data-testid="flow-row"][data-flow-id="${FLOW}"]`).textContent()).toContain('查订单');

    await page.locator(`[data-testid="flow-row"][data-flow-id="${FLOW}"]`).click();
    const detail = page.locator(`[data-testid="flow-detail"][data-flow-id="${FLOW}"]`);
    await detail.waitFor();
    const version = Number(await detail.getAttribute('data-version'));
    // The steps, readable: the ask with its prompt and slot, the connector call, the branch, the handoff ending.
    const ask = detail.locator('[data-testid="flow-step"][data-step-id="ask_order"]');
    expect(await ask.getAttribute('data-kind')).toBe('ask');
    expect(await ask.textContent()).toContain(OLD_PROMPT);
    expect(await ask.textContent()).toContain('orderNumber');
    expect(await detail.locator('[data-testid="flow-step"][data-step-id="lookup"]').textContent()).toContain('GET /orders/{orderNumber}');
    expect(await detail.locator('[data-testid="flow-step"][data-kind="branch"]').count()).toBeGreaterThan(0);
    expect(await detail.locator('[data-testid="flow-step"][data-step-id="handoff_not_found"]').textContent()).toContain('转人工');
    await screenshot(page, 'admin-flows-zh');

    // Edit the first prompt in the JSON editor and save.
    await detail.getByTestId('flow-tab-json').click();
    const editor = detail.getByTestId('flow-json');
    const json = await editor.inputValue();
    expect(json).toContain(OLD_PROMPT);
    await editor.fill(json.replace(OLD_PROMPT, NEW_PROMPT));
    expect(await detail.getAttribute('data-dirty')).toBe('true');
    expect(await detail.getByTestId('flow-json-status').getAttribute('data-valid')).toBe('true');
    await detail.getByTestId('flow-save').click();
    await expect.poll(() => detail.getAttribute('data-version')).toBe(String(version + 1));
    expect(await detail.getAttribute('data-dirty')).toBe('false');
    const after = await stored();
    expect(after.definition.version).toBe(version + 1);
    expect(after.definition.steps[0].prompt.zh).toContain(NEW_PROMPT);
    expect(after.updatedBy).toBe('admin');

    // A customer asking about an order now gets the new prompt (the catalog is re-read within a few seconds).
    await platform.waitFor(
      async () => {
        const customer = await platform.openConversation();
        expect((await platform.say(customer, '帮我查一下我的订单')).status).toBe(202);
        const reply = await platform.waitFor(async () => (await platform.transcript(customer)).find((m) => m.role === 'bot' || m.role === 'system'), 'the bot reply');
        return reply.text.includes(NEW_PROMPT);
      },
      'the bot to ask with the new prompt',
      30_000,
    );

    await page.getByTestId('lang-en').click();
    await expect.poll(() => detail.getByTestId('flow-tab-steps').textContent()).toBe('Steps');
    await detail.getByTestId('flow-tab-steps').click();
    await page.getByTestId('flows').evaluate((el) => el.closest('main')?.scrollTo(0, 0));
    await screenshot(page, 'admin-flows-en');
    await page.getByTestId('lang-zh').click();
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows broken JSON and a rejected definition next to the editor, and changes nothing', async () => {
    const detail = page.locator(`[data-testid="flow-detail"][data-flow-id="${FLOW}"]`);
    const before = await stored();
    await detail.getByTestId('flow-tab-json').click();
    const editor = detail.getByTestId('flow-json');
    const json = await editor.inputValue();

    // Not JSON: the live check says where, and save is not possible.
    await editor.fill(json.replace('"kind": "ask",', '"kind": "ask"'));
    const status = detail.getByTestId('flow-json-status');
    await expect.poll(() => status.getAttribute('data-valid')).toBe('false');
    expect(await status.textContent()).toMatch(/JSON 格式错误.*第 \d+ 行/);
    expect(await detail.getByTestId('flow-save').isDisabled()).toBe(true);

    // JSON, but a step points nowhere: the server's 400 lists the path, and nothing is stored.
    await editor.fill(json.replace('"next": "lookup"', '"next": "nowhere"'));
    await expect.poll(() => status.getAttribute('data-valid')).toBe('true');
    await detail.getByTestId('flow-save').click();
    const issue = detail.locator('[data-testid="flow-issue"][data-path="steps.0.next"]');
    await issue.waitFor();
    expect(await issue.textContent()).toContain('nowhere');
    expect(await detail.getAttribute('data-dirty')).toBe('true');
    const afterwards = await stored();
    expect(afterwards.definition).toEqual(before.definition);
    expect(afterwards.updatedAt).toBe(before.updatedAt);
    await detail.getByTestId('flow-discard').click();
    await expect.poll(() => detail.getAttribute('data-dirty')).toBe('false');
    expect(await detail.getByTestId('flow-errors').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('refuses to overwrite a flow someone else saved meanwhile', async () => {
    const detail = page.locator(`[data-testid="flow-detail"][data-flow-id="${FLOW}"]`);
    const token = await platform.runtime.tokenFor('admin');
    const current = await stored();
    const other = { ...current.definition, description: 'changed behind the screen' };
    expect((await platform.request('PUT', `/v1/admin/flows/${FLOW}`, { token, body: other })).status).toBe(200);
    const editor = detail.getByTestId('flow-json');
    await editor.fill((await editor.inputValue()).replace(NEW_PROMPT, `${NEW_PROMPT}!`));
    await detail.getByTestId('flow-save').click();
    await detail.getByTestId('flow-conflict').waitFor();
    expect((await stored()).definition.description).toBe('changed behind the screen');
    await detail.getByTestId('flow-reload').click();
    await detail.getByTestId('flow-conflict').waitFor({ state: 'detached' });
    expect(await editor.inputValue()).toContain('changed behind the screen');
  });

  it('creates a flow from the template and deletes it after asking', async () => {
    await page.getByTestId('flows-new').click();
    const fresh = page.locator('[data-testid="flow-detail"][data-mode="new"]');
    await fresh.waitFor();
    const editor = fresh.getByTestId('flow-json');
    await editor.fill((await editor.inputValue()).replace('"my-flow"', '"test-flow"'));
    await fresh.getByTestId('flow-save').click();
    await page.locator('[data-testid="flow-row"][data-flow-id="test-flow"]').waitFor();
    const detail = page.locator('[data-testid="flow-detail"][data-flow-id="test-flow"]');
    await detail.waitFor();
    const token = await platform.runtime.tokenFor('admin');
    expect((await platform.request('GET', '/v1/admin/flows/test-flow', { token })).status).toBe(200);

    await detail.getByTestId('flow-delete').click();
    await page.getByTestId('flow-delete-dialog').waitFor();
    await page.getByTestId('flow-delete-cancel').click();
    expect((await platform.request('GET', '/v1/admin/flows/test-flow', { token })).status).toBe(200);
    await detail.getByTestId('flow-delete').click();
    await page.getByTestId('flow-delete-confirm').click();
    await page.locator('[data-testid="flow-row"][data-flow-id="test-flow"]').waitFor({ state: 'detached' });
    expect((await platform.request('GET', '/v1/admin/flows/test-flow', { token })).status).toBe(404);
    expect(errors).toEqual([]);
  });

  it('shows a supervisor the flows read-only', async () => {
    const { page: supervisor, errors: supervisorErrors } = await newPage();
    await supervisor.goto(`${platform.runtime.url}/console/admin/flows`);
    await signIn(supervisor, 'agent-chen');
    await supervisor.getByTestId('flows').waitFor();
    await supervisor.getByTestId('flows-read-only').waitFor();
    expect(await supervisor.getByTestId('flows-new').count()).toBe(0);
    await supervisor.locator(`[data-testid="flow-row"][data-flow-id="${FLOW}"]`).click();
    const detail = supervisor.locator(`[data-testid="flow-detail"][data-flow-id="${FLOW}"]`);
    await detail.waitFor();
    await detail.locator('[data-testid="flow-step"]').first().waitFor();
    await detail.getByTestId('flow-tab-json').click();
    expect(await detail.getByTestId('flow-json').getAttribute('readonly')).not.toBeNull();
    expect(await detail.getByTestId('flow-save').count()).toBe(0);
    expect(await detail.getByTestId('flow-delete').count()).toBe(0);
    expect(supervisorErrors).toEqual([]);
  });
});
