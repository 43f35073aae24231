/**
 * The WeChat Official Account webhook over HTTP on the local runtime: the echostr handshake, a signed text message
 * answered passively with the bot's reply, WeChat's retry absorbed, hardened intake (401 / 400 / 413, nothing
 * stored), the conversation in the agents' queue after 转人工, and a small fuzz run (no 5xx, nothing stored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatSignature } from '../../shared/adapters/channels/wechat/wechat-signature.ts';
import { parseWechatXml } from '../../shared/adapters/channels/wechat/wechat-xml.ts';
import { conversationStore, customerDirectory } from '../../shared/adapters/wiring/storage.ts';
import { customerIdForIdentity } from '../../shared/application/channel-intake.use-cases.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const TOKEN = 'kefu-e2e-wechat-token';
const WEBHOOK = '/v1/channels/wechat/webhook';
const ACCOUNT = 'gh_kefu_demo';

let platform: Platform;
let msgIds = 7_300_000_000_000_000_000n;
const nextMsgId = () => String(msgIds++);

beforeAll(async () => {
  process.env.KEFU_WECHAT_TOKEN = TOKEN;
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
  // Warm the bot (its first answer loads the knowledge index), so that the passive-reply test measures the steady path.
  const warm = await platform.openConversation();
  await platform.say(warm, '你好');
  await platform.waitFor(async () => (await platform.transcript(warm)).find((m) => m.role === 'bot'), 'the warm-up answer', 30_000);
}, 120_000);
afterAll(async () => platform?.runtime.stop());

/** The query WeChat adds to every call: signature over (token, timestamp, nonce). */
function signedQuery(options: { token?: string; timestamp?: number; nonce?: string; echostr?: string } = {}): string {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e9));
  const params = new URLSearchParams({ signature: wechatSignature(options.token ?? TOKEN, timestamp, nonce), timestamp, nonce });
  if (options.echostr !== undefined) params.set('echostr', options.echostr);
  return params.toString();
}

/** A text message as WeChat posts it (event factory). */
function textMessage(openid: string, content: string, msgId = nextMsgId()): string {
  return `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
}

async function post(body: string, query = signedQuery()): Promise<{ status: number; text: string; contentType: string }> {
  const res = await fetch(`${platform.runtime.url}${WEBHOOK}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

const openid = (label: string) => `o${label}${Math.random().toString(36).slice(2, 12)}`;

async function conversationsOf(id: string) {
  return conversationStore().listByCustomer(customerIdForIdentity('wechat', id), 10);
}

async function transcriptOf(id: string) {
  const [conversation] = await conversationsOf(id);
  return conversation ? conversationStore().listMessages(conversation.id, { limit: 100 }) : [];
}

describe('the WeChat Official Account webhook', () => {
  it('answers the echostr URL verification with echostr in plain text', async () => {
    const res = await fetch(`${platform.runtime.url}${WEBHOOK}?${signedQuery({ echostr: '5837397520001466787' })}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('5837397520001466787');
  });

  it("replies passively with the bot's answer, and absorbs WeChat's retry of the same MsgId", async () => {
    // Prepare
    const user = openid('parcel');
    const msgId = nextMsgId();
    // Act
    const first = await post(textMessage(user, '我的包裹到哪了', msgId));
    // Assess: a passive XML reply to the user, carrying the bot's answer.
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/xml/);
    const reply = parseWechatXml(first.text);
    expect(reply).toMatchObject({ ToUserName: user, FromUserName: ACCOUNT, MsgType: 'text' });
    expect(reply.Content).toContain('查看物流');
    const before = await transcriptOf(user);
    expect(before.filter((m) => m.role === 'customer').map((m) => m.text)).toEqual(['我的包裹到哪了']);

    // Act: WeChat retries the same MsgId.
    const retry = await post(textMessage(user, '我的包裹到哪了', msgId));
    // Assess: the same reply again, nothing new stored.
    expect(parseWechatXml(retry.text).Content).toBe(reply.Content);
    expect(await transcriptOf(user)).toHaveLength(before.length);
    expect(await conversationsOf(user)).toHaveLength(1);
  });

  it('keeps one customer and one open conversation per openid across messages', async () => {
    const user = openid('twice');
    await post(textMessage(user, '你好'));
    await post(textMessage(user, '怎么退货'));
    const customer = await customerDirectory().get(customerIdForIdentity('wechat', user));
    expect(customer?.identities).toEqual([{ channel: 'wechat', value: user }]);
    const conversations = await conversationsOf(user);
    expect(conversations).toHaveLength(1);
    expect(conversations[0]!.channel).toBe('wechat');
  });

  it('rejects a bad signature with 401 and a JSON error, storing nothing', async () => {
    const user = openid('forged');
    const res = await post(textMessage(user, '我的包裹到哪了'), signedQuery({ token: 'not-the-token' }));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'WEBHOOK.SIGNATURE_INVALID' } });
    expect(await customerDirectory().get(customerIdForIdentity('wechat', user))).toBeUndefined();
    expect(await conversationsOf(user)).toEqual([]);
  });

  it('rejects a replayed timestamp with 401, storing nothing', async () => {
    const user = openid('replay');
    const res = await post(textMessage(user, '你好'), signedQuery({ timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).error.code).toBe('WEBHOOK.REPLAYED');
    expect(await customerDirectory().get(customerIdForIdentity('wechat', user))).toBeUndefined();
  });

  it('rejects malformed XML with 400, storing nothing', async () => {
    const user = openid('broken');
    const res = await post(textMessage(user, '你好').slice(0, -4));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.code).toBe('WEBHOOK.MALFORMED');
    expect(await customerDirectory().get(customerIdForIdentity('wechat', user))).toBeUndefined();
  });

  it('rejects a body over 64 KB with 413, storing nothing', async () => {
    const user = openid('huge');
    const res = await post(textMessage(user, '包'.repeat(30_000)));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).error.code).toBe('REQUEST.TOO_LARGE');
    expect(await customerDirectory().get(customerIdForIdentity('wechat', user))).toBeUndefined();
  });

  it('creates the customer on a subscribe event and acknowledges with success', async () => {
    const user = openid('follow');
    const res = await post(`<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`);
    expect(res).toMatchObject({ status: 200, text: 'success' });
    expect(await customerDirectory().get(customerIdForIdentity('wechat', user))).toBeDefined();
    expect(await conversationsOf(user)).toEqual([]);
  });

  it('puts the conversation in the agents’ queue after 转人工', async () => {
    const user = openid('human');
    await post(textMessage(user, '转人工'));
    const [conversation] = await conversationsOf(user);
    const agentToken = await platform.runtime.tokenFor('agent-li');
    const item = await platform.waitFor(async () => {
      const res = await platform.request('GET', '/v1/agent/queue', { token: agentToken });
      return res.body.items.find((i: any) => i.conversationId === conversation!.id);
    }, 'the WeChat conversation in the agent queue');
    expect(item).toMatchObject({ reason: 'requested', preview: '转人工' });
  });

  it('survives a few hundred malformed, truncated and wrongly signed requests: no 5xx, nothing stored', async () => {
    // Prepare: requests built from a valid message by corruption, truncation and wrong signatures.
    const users: string[] = [];
    const requests: { body: string; query: string }[] = [];
    const printable = '<>/![]&;#xCDATA 包"\'\u0000\uffff';
    for (let n = 0; n < 300; n++) {
      const user = `ofuzz${n}x${Math.random().toString(36).slice(2, 8)}`;
      users.push(user);
      const valid = textMessage(user, `fuzz ${n}`);
      switch (n % 5) {
        case 0: // truncated, correctly signed
          requests.push({ body: valid.slice(0, Math.floor(Math.random() * (valid.length - 1))), query: signedQuery() });
          break;
        case 1: {
          // one character replaced and a non-numeric MsgId, correctly signed
          const at = Math.floor(Math.random() * valid.length);
          const corrupt = valid.slice(0, at) + printable[n % printable.length] + valid.slice(at + 1);
          requests.push({ body: corrupt.replace('<MsgId>', '<MsgId>x'), query: signedQuery() });
          break;
        }
        case 2: // valid body, wrong token
          requests.push({ body: valid, query: signedQuery({ token: `wrong-${n}` }) });
          break;
        case 3: // valid body, no signature at all or a mangled query
          requests.push({ body: valid, query: n % 2 ? '' : `signature=${'0'.repeat(40)}&timestamp=abc&nonce=${'n'.repeat(500)}` });
          break;
        default: // random bytes, correctly signed
          requests.push({ body: Array.from({ length: 50 + (n % 200) }, () => String.fromCharCode(Math.floor(Math.random() * 0xd7ff))).join(''), query: signedQuery() });
      }
    }
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < requests.length; i += 20) {
      statuses.push(...(await Promise.all(requests.slice(i, i + 20).map((r) => post(r.body, r.query)))).map((r) => r.status));
    }
    // Assess
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 400 || s === 401)).toBe(true);
    const stored = await Promise.all(users.map(async (u) => (await customerDirectory().get(customerIdForIdentity('wechat', u))) !== undefined));
    expect(stored.filter(Boolean)).toHaveLength(0);
  });
});
