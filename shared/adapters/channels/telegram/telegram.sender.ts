/**
 * Outbound Telegram text through the Bot API's `sendMessage` (`POST /bot<token>/sendMessage`). Telegram has no
 * customer-service window: a bot may write to any chat that has started it and not blocked it.
 *
 * Errors follow the Bot API's shape `{ ok: false, error_code, description, parameters? }`: 429 carries
 * `parameters.retry_after` (seconds); 403 means the bot was blocked (or kicked from the group); 400 "chat not found"
 * means a wrong chat id. Source: core.telegram.org/bots/api (Making requests, ResponseParameters, sendMessage) and
 * core.telegram.org/bots/faq ("My bot is hitting limits").
 */
import type { ChannelSender, OutboundContext, SendResult } from '../../../ports/channel.ts';

export const TELEGRAM_API_BASE_URL = 'https://api.telegram.org';

/** `sendMessage` takes 1–4096 characters of text after entity parsing (no parse_mode here, so the text as is). */
export const TELEGRAM_MAX_TEXT_LENGTH = 4096;

/**
 * Cuts a text to at most `max` UTF-16 code units, never between the halves of a surrogate pair, marking the cut with
 * "…". Telegram (and LINE) count text in UTF-16 code units, and a code unit count never undercounts characters, so the
 * cut text fits either way.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export interface TelegramSenderOptions {
  /** The bot token from @BotFather (`123456:ABC-DEF…`); it is part of the URL, so it never appears in results. */
  readonly botToken: string;
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

interface BotApiResponse {
  ok?: boolean;
  result?: { message_id?: number };
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export class TelegramSender implements ChannelSender {
  readonly channel = 'telegram' as const;

  constructor(private readonly options: TelegramSenderOptions) {
    if (!options.botToken) throw new Error('the telegram bot token must not be empty');
  }

  async sendText(to: string, text: string, _context?: OutboundContext): Promise<SendResult> {
    const url = new URL(`/bot${this.options.botToken}/sendMessage`, this.options.baseUrl ?? TELEGRAM_API_BASE_URL);
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ chat_id: to, text: truncateText(text, TELEGRAM_MAX_TEXT_LENGTH) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      return { ok: false, retryable: true, code: 'NETWORK', message: this.scrub((error as Error).message) };
    }
    const body = (await res.json().catch(() => ({}))) as BotApiResponse;
    if (res.ok && body.ok !== false) {
      const id = body.result?.message_id;
      return { ok: true, ...(typeof id === 'number' ? { providerMessageId: String(id) } : {}) };
    }
    const status = typeof body.error_code === 'number' ? body.error_code : res.status;
    const message = this.scrub(typeof body.description === 'string' ? body.description : res.statusText);
    const code = `TELEGRAM_${status}`;
    if (status === 429) {
      const retryAfterMs = retryAfter(body.parameters?.retry_after, res.headers.get('retry-after'));
      return { ok: false, retryable: true, code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    if (status >= 500) return { ok: false, retryable: true, code, message };
    // 400 (chat not found, group migrated to a supergroup), 401 (bad token), 403 (blocked / kicked), 404: not retryable.
    return { ok: false, retryable: false, code, message };
  }

  /** Telegram's descriptions never echo the token, but a transport error might carry the URL: keep the token out. */
  private scrub(message: string): string {
    return message.replaceAll(this.options.botToken, '<token>');
  }
}

/** Milliseconds from Telegram's `retry_after` (seconds), else from an HTTP Retry-After header (seconds). */
function retryAfter(seconds: unknown, header: string | null): number | undefined {
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  if (header && /^\d{1,6}$/.test(header.trim())) return Number(header.trim()) * 1000;
  return undefined;
}
