/**
 * The front door for channel webhooks whose bodies are not JSON (WeChat's XML, GET handshakes answered in plain text).
 *
 * It reuses handler-kit's HTTP stack as is (manifest routing, logging, metrics, tracing, cost metering, error mapping):
 * the raw body is set aside before the stack parses bodies and handed to the route handler untouched, so that the
 * signature is checked over the exact bytes received. Handlers answer with `raw` results or typed errors.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { DomainError } from '../domain/errors.ts';
import type { FunctionId } from '../manifest/manifest.ts';
import type { ChannelRequest } from '../ports/channel.ts';
import { meter } from './cost-meter.ts';
import { httpFunction, type HttpRequest, type HttpResult } from './handler-kit.ts';

/** A webhook route handler: the request as the channel adapter sees it, plus handler-kit's request for the rest. */
export type WebhookHandler = (request: ChannelRequest, http: HttpRequest) => Promise<HttpResult>;

export interface WebhookFunctionOptions {
  /** Larger bodies are refused with 413 before any parsing (default 64 KB). */
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Raw bodies set aside per event, for the handler that runs inside the stack for that very event. */
const rawBodies = new WeakMap<object, Buffer>();

export function webhookFunction(functionId: FunctionId, handlers: Readonly<Record<string, WebhookHandler>>, options: WebhookFunctionOptions = {}) {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const wrapped = Object.fromEntries(
    Object.entries(handlers).map(([name, handle]) => [
      name,
      async (http: HttpRequest): Promise<HttpResult> => {
        const raw = rawBodies.get(http.event) ?? Buffer.alloc(0);
        // The HTTP API request's real size (the stack saw the body set aside).
        meter.httpRequest(raw.length);
        if (raw.length > maxBody) throw new DomainError('REQUEST.TOO_LARGE', `the request body must be at most ${maxBody} bytes`);
        const headers = Object.fromEntries(Object.entries(http.event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']));
        return handle({ method: http.route.method, query: http.query, headers, body: raw.toString('utf8') }, http);
      },
    ]),
  );
  const stack = httpFunction(functionId, wrapped);
  return async (event: APIGatewayProxyEventV2, context: Context) => {
    const raw = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
    const { body: _body, ...rest } = event;
    const stripped: APIGatewayProxyEventV2 = { ...rest, isBase64Encoded: false };
    rawBodies.set(stripped, raw);
    return stack(stripped, context);
  };
}

/** A JSON error result in the platform's shape (`{ error: { code, message } }`) for refusals a channel adapter returns. */
export function webhookError(status: number, code: string, message: string): HttpResult {
  return { status, body: { error: { code, message } } };
}
