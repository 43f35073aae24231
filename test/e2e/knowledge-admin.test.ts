/**
 * The knowledge base over HTTP against the local runtime: an admin imports a CSV of FAQs, publishes, the bot answers
 * paraphrases in 简体 / 繁體 / English without a redeploy; versions, audit, export, validity, roles, bad input, and
 * unanswered questions turned into variants with one call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let admin: string;
let agent: string;
let supervisor: string;

beforeAll(async () => {
  platform = await startPlatform();
  [admin, agent, supervisor] = await Promise.all([platform.runtime.tokenFor('admin'), platform.runtime.tokenFor('agent-li'), platform.runtime.tokenFor('agent-chen')]);
}, 60_000);
afterAll(async () => platform?.runtime.stop());

const csv = [
  'id,status,category,tags,questions,answer_zh-Hans,answer_zh-Hant,answer_en',
  'kb-test-giftcard,draft,payments,"gift|card","礼品卡怎么用\n礼品卡能抵扣运费吗\nhow do i use a gift card\nredeem gift card","礼品卡可在结算页“使用礼品卡”中输入卡号抵扣，运费也可抵扣。","禮品卡可在結帳頁「使用禮品卡」中輸入卡號折抵，運費也可折抵。","Enter the gift card number under Use a gift card at checkout; it also covers shipping."',
  'kb-test-warranty,draft,after-sales,warranty,"保修多久\n家电保修期\nhow long is the warranty","家电整机保修一年，主要部件三年。","家電整機保修一年，主要部件三年。","Appliances carry a one-year warranty, three years on main parts."',
].join('\n');

const ask = async (text: string) => (await platform.request('POST', '/v1/capabilities/answer', { token: agent, body: { text } })).body;

describe('knowledge base administration', () => {
  it('imports a CSV as drafts: nothing is served until it is published', async () => {
    const res = await platform.request('POST', '/v1/admin/knowledge/import', { token: admin, body: { format: 'csv', content: csv } });
    expect(res.status).toBe(200);
    expect(res.body.created.sort()).toEqual(['kb-test-giftcard', 'kb-test-warranty']);
    const answer = await ask('礼品卡怎么用');
    expect(answer.entryId).not.toBe('kb-test-giftcard');
  });

  it('publishes, and the running bot answers paraphrases in 简体, 繁體 and English without a redeploy', async () => {
    for (const id of ['kb-test-giftcard', 'kb-test-warranty']) {
      const res = await platform.request('POST', `/v1/admin/knowledge/${id}/publish`, { token: admin, body: {} });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('published');
      expect(res.body.version).toBe(2);
    }
    const simplified = await platform.waitFor(async () => {
      const a = await ask('礼品卡怎么使用');
      return a.entryId === 'kb-test-giftcard' ? a : undefined;
    }, 'the published entry to be served', 10_000);
    expect(simplified.text).toMatch(/礼品卡/);
    const traditional = await ask('禮品卡怎麼用');
    expect(traditional.entryId).toBe('kb-test-giftcard');
    expect(traditional.text).toMatch(/禮品卡/);
    const english = await ask('how can i use my gift card');
    expect(english.entryId).toBe('kb-test-giftcard');
    expect(english.text).toMatch(/gift card/i);
  });

  it('keeps every version with who changed what, and rejects a stale edit with 409', async () => {
    const before = await platform.request('GET', '/v1/admin/knowledge/kb-test-warranty', { token: admin });
    expect(before.status).toBe(200);
    const { entry } = before.body;
    const edit = { expectedVersion: entry.version, questions: [...entry.questions, '保修期多长'], answers: entry.answers, category: entry.category, tags: entry.tags };
    const updated = await platform.request('PUT', '/v1/admin/knowledge/kb-test-warranty', { token: admin, body: edit });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(entry.version + 1);
    const stale = await platform.request('PUT', '/v1/admin/knowledge/kb-test-warranty', { token: admin, body: edit });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('KNOWLEDGE.VERSION_CONFLICT');
    const after = await platform.request('GET', '/v1/admin/knowledge/kb-test-warranty', { token: admin });
    expect(after.body.versions.map((v: any) => v.version)).toEqual([3, 2, 1]);
    expect(after.body.audit.map((a: any) => a.action)).toEqual(['update', 'publish', 'import']);
    expect(after.body.audit[0]).toMatchObject({ actor: 'admin', fields: ['questions'] });
    const all = await platform.request('GET', '/v1/admin/knowledge/audit?limit=5', { token: supervisor });
    expect(all.status).toBe(200);
    expect(all.body.events[0]).toMatchObject({ entryId: 'kb-test-warranty', action: 'update', actor: 'admin' });
  });

  it('rejects a file with a bad row as a whole, listing every problem, and writes nothing', async () => {
    const bad = `${csv.split('\n')[0]}\nkb-test-new,published,coupons,,"优惠券怎么用",,,\nkb-test-new2,bogus,coupons,,,"答",,`;
    const res = await platform.request('POST', '/v1/admin/knowledge/import', { token: admin, body: { format: 'csv', content: bad } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('KNOWLEDGE.INVALID');
    const rows = res.body.error.details.rows.map((r: any) => [r.row, r.issues.map((i: any) => i.field).sort()]);
    expect(rows).toEqual([[1, ['answers']], [2, ['questions', 'status']]]);
    expect((await platform.request('GET', '/v1/admin/knowledge/kb-test-new', { token: admin })).status).toBe(404);
    const unknownColumn = await platform.request('POST', '/v1/admin/knowledge/import', { token: admin, body: { format: 'csv', content: 'id,question\nx,y' } });
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body.error.message).toMatch(/unknown column/);
  });

  it('exports CSV and JSON that import back unchanged', async () => {
    const exportedCsv = await platform.request('GET', '/v1/admin/knowledge/export?format=csv', { token: admin });
    expect(exportedCsv.status).toBe(200);
    expect(typeof exportedCsv.body).toBe('string');
    // fetch's text() drops the byte-order mark the export starts with (for spreadsheet programs).
    expect(exportedCsv.body.replace(/^\uFEFF/, '').startsWith('id,status,category')).toBe(true);
    expect(exportedCsv.body).toContain('禮品卡');
    const again = await platform.request('POST', '/v1/admin/knowledge/import', { token: admin, body: { format: 'csv', content: exportedCsv.body } });
    expect(again.status).toBe(200);
    expect(again.body.created).toEqual([]);
    expect(again.body.updated).toEqual([]);
    const json = await platform.request('GET', '/v1/admin/knowledge/export?format=json&status=published', { token: admin });
    expect(json.body.find((e: any) => e.id === 'kb-test-giftcard')).toMatchObject({ status: 'published', category: 'payments' });
    const jsonAgain = await platform.request('POST', '/v1/admin/knowledge/import', { token: admin, body: { format: 'json', content: json.body } });
    expect(jsonAgain.body.unchanged.length).toBe(json.body.length);
  });

  it('never serves an entry outside its validity window', async () => {
    const created = await platform.request('POST', '/v1/admin/knowledge', {
      token: admin,
      body: { id: 'kb-test-expired', status: 'published', category: 'coupons', questions: ['双十一满减券怎么领'], answers: { 'zh-Hans': '双十一满减券已发放。' }, validUntil: '2020-01-01T00:00:00Z' },
    });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await ask('双十一满减券怎么领')).entryId).not.toBe('kb-test-expired');
  });

  it('records what the bot could not answer, and one call turns it into a variant', async () => {
    const conversation = await platform.openConversation();
    await platform.say(conversation, '你们的发票能寄纸质版到公司吗');
    const question = await platform.waitFor(async () => {
      const res = await platform.request('GET', '/v1/admin/unanswered', { token: admin });
      return res.body.questions.find((q: any) => q.text === '你们的发票能寄纸质版到公司吗');
    }, 'the unanswered question in the review list');
    expect(question).toMatchObject({ count: 1, status: 'open', lastConversationId: conversation.conversationId });
    const resolved = await platform.request('POST', `/v1/admin/unanswered/${encodeURIComponent(question.key)}/resolve`, { token: admin, body: { addToEntry: 'kb-invoice' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body.entry.questions).toContain('你们的发票能寄纸质版到公司吗');
    const answer = await platform.waitFor(async () => {
      const a = await ask('你们的发票能寄纸质版到公司吗');
      return a.entryId === 'kb-invoice' ? a : undefined;
    }, 'the new variant to be served', 10_000);
    expect(answer.kind).toBe('answer');
    expect((await platform.request('GET', '/v1/admin/unanswered', { token: admin })).body.questions.some((q: any) => q.key === question.key)).toBe(false);
  });

  it('does not count a handoff request or a flow step as an unanswered question', async () => {
    const conversation = await platform.openConversation();
    await platform.say(conversation, '我要退货');
    await platform.waitFor(async () => (await platform.transcript(conversation)).some((m) => m.role === 'bot'), 'the flow to ask for the order');
    await platform.say(conversation, 'KF20240008');
    await platform.waitFor(async () => (await platform.transcript(conversation)).filter((m) => m.role === 'bot').length === 2, 'the flow to list the items');
    await platform.say(conversation, '转人工');
    await platform.waitFor(async () => (await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token })).body.status === 'queued', 'the handoff');
    const texts = (await platform.request('GET', '/v1/admin/unanswered', { token: admin })).body.questions.map((q: any) => q.text);
    expect(texts).not.toContain('转人工');
    expect(texts).not.toContain('KF20240008');
  });

  it('replies with the words an entry has for the channel, and its links and images', async () => {
    const created = await platform.request('POST', '/v1/admin/knowledge', {
      token: admin,
      body: {
        id: 'kb-test-size-guide',
        status: 'published',
        category: 'products',
        questions: ['尺码表在哪里看', 'where is the size guide'],
        answers: { 'zh-Hans': '尺码表见商品详情页。', en: 'The size guide is on the product page.' },
        channelAnswers: { webchat: { 'zh-Hans': '尺码表见商品详情页，点击下方链接直接打开。' } },
        attachments: [{ kind: 'link', url: 'https://shop.example/size-guide', title: '尺码表' }, { kind: 'image', url: 'https://shop.example/size-guide.png' }],
      },
    });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1200));
    const conversation = await platform.openConversation();
    await platform.say(conversation, '尺码表在哪里看');
    const reply = await platform.waitFor(async () => {
      const res = await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}/messages`, { token: conversation.token });
      return res.body.messages.find((m: any) => m.role === 'bot');
    }, 'the bot reply');
    expect(reply.text).toBe('尺码表见商品详情页，点击下方链接直接打开。');
    expect(reply.attachments).toEqual([{ kind: 'link', url: 'https://shop.example/size-guide', title: '尺码表' }, { kind: 'image', url: 'https://shop.example/size-guide.png' }]);
    const viaApi = await ask('尺码表在哪里看');
    expect(viaApi.text).toBe('尺码表见商品详情页。');
  });

  it('lets only admins write and supervisors read; agents get 403, no token 401', async () => {
    const body = { questions: ['x'], answers: { en: 'y' }, category: 'c' };
    expect((await platform.request('POST', '/v1/admin/knowledge', { token: agent, body })).status).toBe(403);
    expect((await platform.request('POST', '/v1/admin/knowledge', { token: supervisor, body })).status).toBe(403);
    expect((await platform.request('GET', '/v1/admin/knowledge', { token: agent })).status).toBe(403);
    expect((await platform.request('GET', '/v1/admin/knowledge', { token: supervisor })).status).toBe(200);
    expect((await platform.request('GET', '/v1/admin/knowledge')).status).toBe(401);
    expect((await platform.request('POST', '/v1/admin/knowledge/nope/publish', { token: admin, body: {} })).status).toBe(404);
    const invalid = await platform.request('POST', '/v1/admin/knowledge', { token: admin, body: { questions: [], answers: {}, category: '' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('KNOWLEDGE.INVALID');
  });
});
