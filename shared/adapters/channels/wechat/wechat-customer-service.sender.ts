/**
 * Outbound WeChat text through the customer-service message API (客服消息, `POST /cgi-bin/message/custom/send`), used
 * when the answer was not ready within the 5-second passive-reply window. The base URL is configurable so that tests
 * point it at a loopback fake.
 */
import type { ChannelSender, SendResult } from '../../../ports/channel.ts';
import { truncateUtf8 } from './wechat-xml.ts';
import { WECHAT_MAX_TEXT_BYTES } from './wechat.adapter.ts';

export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

/** Port: the official account's access token (the `client_credential` token, valid 2 h, shared by every caller). */
export interface WechatAccessTokens {
  get(): Promise<string>;
  /** Forgets a token WeChat called invalid or expired (errcode 40001 / 40014 / 42001), so that the next get fetches anew. */
  invalidate(token: string): void;
}

/** A fixed token (tests; or a token another system keeps fresh and hands over). */
export class StaticAccessTokens implements WechatAccessTokens {
  constructor(private readonly token: string) {}
  async get(): Promise<string> {
    return this.token;
  }
  invalidate(): void {}
}

/**
 * The stable access token (`POST /cgi-bin/stable_token`, normal mode), cached until 5 minutes before it expires.
 * Normal mode hands every caller the same token while it is valid and never invalidates the previous one, so each
 * Lambda container may fetch its own without a central refresher (the plain `/cgi-bin/token` would invalidate the
 * other containers' tokens). Rate: 10,000 calls a minute, 500,000 a day per account (getStableAccessToken's page).
 */
export class FetchedAccessTokens implements WechatAccessTokens {
  private cached?: { token: string; expiresAt: number };
  private pending?: Promise<string>;

  constructor(private readonly options: { appId: string; appSecret: string; baseUrl?: string; fetch?: typeof fetch; now?: () => number }) {}

  async get(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && this.cached.expiresAt > now) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const url = new URL('/cgi-bin/stable_token', this.options.baseUrl ?? WECHAT_API_BASE_URL);
    const res = await (this.options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.options.appId, secret: this.options.appSecret, force_refresh: false }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    if (!res.ok || !body.access_token) throw new Error(`wechat access token: ${body.errcode ?? res.status} ${body.errmsg ?? ''}`.trim());
    const lifetimeMs = Math.max(60, (body.expires_in ?? 7200) - 300) * 1000;
    this.cached = { token: body.access_token, expiresAt: (this.options.now ?? Date.now)() + lifetimeMs };
    return body.access_token;
  }
}

const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
// System busy, and the API's daily quota (45009): worth another try later.
const RETRYABLE_ERRORS = new Set([-1, 45009]);
// Outside the 48-hour window after the user's last message (45015), or the 20 replies it allows used up (45047):
// nothing goes out until the customer writes again.
const WINDOW_ERRORS = new Set([45015, 45047]);

export class WechatCustomerServiceSender implements ChannelSender {
  readonly channel = 'wechat' as const;

  constructor(private readonly options: { tokens: WechatAccessTokens; baseUrl?: string; fetch?: typeof fetch; timeoutMs?: number }) {}

  async sendText(to: string, text: string): Promise<SendResult> {
    const token = await this.options.tokens.get();
    const url = new URL('/cgi-bin/message/custom/send', this.options.baseUrl ?? WECHAT_API_BASE_URL);
    url.searchParams.set('access_token', token);
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ touser: to, msgtype: 'text', text: { content: truncateUtf8(text, WECHAT_MAX_TEXT_BYTES) } }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      return { ok: false, retryable: true, code: 'NETWORK', message: (error as Error).message };
    }
    if (!res.ok) return { ok: false, retryable: res.status >= 500 || res.status === 429, code: `HTTP_${res.status}`, message: res.statusText };
    const body = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
    const errcode = body.errcode ?? 0;
    if (errcode === 0) return { ok: true };
    if (TOKEN_ERRORS.has(errcode)) this.options.tokens.invalidate(token);
    if (WINDOW_ERRORS.has(errcode)) return { ok: false, retryable: false, code: 'OUTSIDE_SERVICE_WINDOW', message: `WeChat ${errcode}: ${body.errmsg ?? ''}` };
    return { ok: false, retryable: TOKEN_ERRORS.has(errcode) || RETRYABLE_ERRORS.has(errcode), code: `WECHAT_${errcode}`, message: body.errmsg ?? '' };
  }
}
