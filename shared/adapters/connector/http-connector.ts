/**
 * The flows' connector over HTTP: each connector name ("shop") has a configured base URL, optional headers (an API
 * key, a bearer token) and a timeout. JSON in and out, a hard timeout per call, no redirects followed (a redirect
 * would carry the headers elsewhere), a bounded response size, and logs that never contain headers or bodies.
 */
import * as z from 'zod/mini';
import type { ConnectorRequest } from '../../domain/flows/flow-engine.ts';
import type { Connector, ConnectorCallOptions, ConnectorResponse } from '../../ports/flows.ts';

/** The environment variable that holds the connector configuration as JSON (see docs/FLOWS.md). */
export const CONNECTORS_ENV = 'KEFU_FLOW_CONNECTORS';

const connectorSchema = z.strictObject({
  baseUrl: z.string().check(z.regex(/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/, 'must be an http(s) URL without query or fragment')),
  headers: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z0-9-]+$/, 'must be a header name')), z.string())),
  timeoutMs: z.optional(z.int().check(z.minimum(100), z.maximum(30_000))),
  maxResponseBytes: z.optional(z.int().check(z.minimum(1024), z.maximum(10 * 1024 * 1024))),
});

export const connectorConfigSchema = z.record(z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, 'must be a connector name')), connectorSchema);

export type ConnectorConfig = z.infer<typeof connectorConfigSchema>;

/** Parses the configuration (an object or its JSON text); the error names the bad field, never a header value. */
export function parseConnectorConfig(value: unknown): ConnectorConfig {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      throw new Error('connector configuration is not valid JSON');
    }
  }
  const result = connectorConfigSchema.safeParse(parsed);
  if (!result.success) throw new Error(`invalid connector configuration: ${result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return result.data;
}

/** The configuration from `KEFU_FLOW_CONNECTORS` (empty when unset). */
export function connectorConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ConnectorConfig {
  const raw = env[CONNECTORS_ENV];
  return raw === undefined || raw.trim() === '' ? {} : parseConnectorConfig(raw);
}

export type ConnectorFailure = 'unknown_connector' | 'invalid_path' | 'timeout' | 'network' | 'too_large';

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** One line per call: what was called and how it went; no headers, no bodies, no query strings. */
export interface ConnectorLogEntry {
  readonly connector: string;
  readonly method: string;
  readonly path: string;
  readonly durationMs: number;
  readonly status?: number;
  readonly failure?: ConnectorFailure;
}

export interface HttpConnectorOptions {
  readonly fetch?: typeof fetch;
  readonly log?: (entry: ConnectorLogEntry) => void;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

function safePath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('#') || path.includes('\\')) return false;
  return !path
    .split('?')[0]!
    .split('/')
    .some((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return true;
      }
      return decoded === '..' || decoded === '.';
    });
}

async function readBounded(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > limit) throw new ConnectorError('too_large', `response larger than ${limit} bytes`);
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ConnectorError('too_large', `response larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class HttpConnector implements Connector {
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly config: ConnectorConfig,
    private readonly options: HttpConnectorOptions = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  async call(name: string, request: ConnectorRequest, options: ConnectorCallOptions): Promise<ConnectorResponse> {
    const target = this.config[name];
    if (!target) throw new ConnectorError('unknown_connector', `no connector named ${name} is configured`);
    const logPath = request.path.split('?')[0]!;
    if (!safePath(request.path)) throw new ConnectorError('invalid_path', `connector ${name}: refusing path ${logPath}`);
    const url = `${target.baseUrl.replace(/\/+$/, '')}${request.path}`;
    const timeoutMs = Math.min(options.timeoutMs, target.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const headers: Record<string, string> = { accept: 'application/json', ...(target.headers ?? {}) };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

    const t0 = performance.now();
    const log = (entry: Partial<ConnectorLogEntry>) => this.options.log?.({ connector: name, method: request.method, path: logPath, durationMs: Math.round(performance.now() - t0), ...entry });
    try {
      const res = await this.fetchImpl(url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await readBounded(res, target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
      let body: unknown = text;
      if (text !== '' && (/json/i.test(res.headers.get('content-type') ?? '') || /^\s*[{[]/.test(text))) {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          body = text;
        }
      }
      log({ status: res.status });
      return { status: res.status, body: text === '' ? null : body };
    } catch (error) {
      if (error instanceof ConnectorError) {
        log({ failure: error.kind });
        throw error;
      }
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const kind: ConnectorFailure = timedOut ? 'timeout' : 'network';
      log({ failure: kind });
      throw new ConnectorError(kind, timedOut ? `connector ${name}: ${request.method} ${logPath} timed out after ${timeoutMs} ms` : `connector ${name}: ${request.method} ${logPath} failed`);
    }
  }
}
