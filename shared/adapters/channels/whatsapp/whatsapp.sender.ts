/**
 * Outbound WhatsApp through the Cloud API messages endpoint (`POST /{version}/{phone-number-id}/messages`, Bearer
 * access token): free-form text within the 24-hour customer service window, and approved templates outside it.
 * The base URL is configurable so that tests point it at a loopback fake.
 *
 * Errors (Cloud API error codes reference): 131047 re-engagement (more than 24 h since the customer's last message)
 * → OUTSIDE_SERVICE_WINDOW; 4 / 80007 / 130429 / 131056 (API, WABA, throughput and pair rate limits) and HTTP 5xx / 429
 * → retryable; 190 (access token expired or invalid: a person has to renew it) and every other code → not retryable.
 */
import type { ChannelSender, OutboundContext, SendResult } from '../../../ports/channel.ts';

export const WHATSAPP_API_BASE_URL = 'https://graph.facebook.com';
export const WHATSAPP_GRAPH_VERSION = 'v21.0';
/** Cloud API text messages carry at most 4096 characters. */
export const WHATSAPP_TEXT_LIMIT = 4096;

const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);
const OUTSIDE_WINDOW_CODE = 131047;

/**
 * Cuts text to `max` UTF-16 code units, ending with "…", never splitting a surrogate pair. Meta documents the limit in
 * "characters" without saying which; UTF-16 units are never fewer than code points, so this cut is always accepted.
 */
export function truncateWhatsappText(text: string, max: number = WHATSAPP_TEXT_LIMIT): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

export interface WhatsappTemplate {
  /** The approved template's name. */
  readonly name: string;
  /** The template language code, e.g. `en_US`, `zh_CN`. */
  readonly language: string;
  /** Values of the body's {{1}}, {{2}}, … placeholders, in order. */
  readonly bodyParameters?: readonly string[];
}

export interface WhatsappSenderOptions {
  readonly accessToken: string;
  /** The business phone number id used when the conversation does not name one (`thread.phoneNumberId`). */
  readonly phoneNumberId: string;
  readonly baseUrl?: string;
  readonly graphVersion?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

interface GraphError {
  readonly message?: string;
  readonly type?: string;
  readonly code?: number;
  readonly error_subcode?: number;
  readonly error_data?: { readonly details?: string };
}

export class WhatsappCloudSender implements ChannelSender {
  readonly channel = 'whatsapp' as const;

  constructor(private readonly options: WhatsappSenderOptions) {
    if (!options.accessToken) throw new Error('the whatsapp access token must not be empty');
    if (!options.phoneNumberId) throw new Error('the whatsapp phone number id must not be empty');
  }

  /** A free-form text (only inside the customer service window), from the number the customer wrote to. */
  sendText(to: string, text: string, context?: OutboundContext): Promise<SendResult> {
    return this.post(context, { messaging_product: 'whatsapp', recipient_type: 'individual', to: recipientId(to), type: 'text', text: { body: truncateWhatsappText(text), preview_url: false } });
  }

  /** An approved template message: the only kind Meta delivers outside the 24-hour window. */
  sendTemplate(to: string, template: WhatsappTemplate, context?: OutboundContext): Promise<SendResult> {
    const parameters = (template.bodyParameters ?? []).map((value) => ({ type: 'text', text: value }));
    return this.post(context, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: recipientId(to),
      type: 'template',
      template: { name: template.name, language: { code: template.language }, ...(parameters.length > 0 ? { components: [{ type: 'body', parameters }] } : {}) },
    });
  }

  private async post(context: OutboundContext | undefined, payload: Record<string, unknown>): Promise<SendResult> {
    const phoneNumberId = context?.thread?.phoneNumberId || this.options.phoneNumberId;
    const url = new URL(`/${this.options.graphVersion ?? WHATSAPP_GRAPH_VERSION}/${encodeURIComponent(phoneNumberId)}/messages`, this.options.baseUrl ?? WHATSAPP_API_BASE_URL);
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      return { ok: false, retryable: true, code: 'NETWORK', message: (error as Error).message };
    }
    const body = (await res.json().catch(() => undefined)) as { messages?: { id?: unknown }[]; error?: GraphError } | undefined;
    if (res.ok && !body?.error) {
      const id = body?.messages?.[0]?.id;
      return typeof id === 'string' ? { ok: true, providerMessageId: id } : { ok: true };
    }
    const retryAfterMs = retryAfter(res.headers.get('retry-after'));
    const error = body?.error;
    const code = typeof error?.code === 'number' ? error.code : undefined;
    const message = [error?.message, error?.error_data?.details].filter(Boolean).join(': ') || res.statusText || `HTTP ${res.status}`;
    const withRetry = retryAfterMs !== undefined ? { retryAfterMs } : {};
    if (code === OUTSIDE_WINDOW_CODE) return { ok: false, retryable: false, code: 'OUTSIDE_SERVICE_WINDOW', message };
    if (code !== undefined && RATE_LIMIT_CODES.has(code)) return { ok: false, retryable: true, code: `WHATSAPP_${code}`, message, ...withRetry };
    if (res.status >= 500 || res.status === 429) return { ok: false, retryable: true, code: code !== undefined ? `WHATSAPP_${code}` : `HTTP_${res.status}`, message, ...withRetry };
    return { ok: false, retryable: false, code: code !== undefined ? `WHATSAPP_${code}` : `HTTP_${res.status}`, message };
  }
}

/** The Cloud API takes the number without "+" (the wa_id form Kefu stores as the sender). */
function recipientId(to: string): string {
  return to.startsWith('+') ? to.slice(1) : to;
}

/** Retry-After as delta-seconds or an HTTP date, in ms (undefined when absent or unreadable). */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d{1,9}$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
