/**
 * The console's HTTP client: JSON in and out, `Authorization: Bearer <token>`, and the platform's error body
 * `{ error: { code, message } }` turned into an ApiError whose message is shown to the user as is.
 */
import type { ConsoleConfig } from './types.ts';

export const CONSOLE_BASE = '/console/';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorFrom(status: number, body: unknown): ApiError {
  const record = body && typeof body === 'object' ? (body as { error?: { code?: string; message?: string }; message?: string }) : {};
  const code = record.error?.code ?? (status === 401 ? 'AUTH.UNAUTHENTICATED' : `HTTP.${status}`);
  const message = record.error?.message ?? record.message ?? (typeof body === 'string' && body ? body : `HTTP ${status}`);
  return new ApiError(status, code, message);
}

/** Sends one request; a network failure becomes ApiError(0, 'NETWORK'). */
export async function requestJson<T>(url: string, init: { method?: string; body?: unknown; token?: string; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message || 'network error');
  }
  const body = await parse(res);
  if (!res.ok) throw errorFrom(res.status, body);
  return body as T;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  return requestJson<ConsoleConfig>(`${CONSOLE_BASE}config.json`);
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  /** A file (an attachment) with the user's token. */
  blob(path: string): Promise<Blob>;
}

/** An API bound to the deployment's base and the signed-in user's token; a 401 signs the user out. */
export function createApi(config: ConsoleConfig, token: () => string | undefined, onUnauthorized: () => void): Api {
  const base = config.apiBase.replace(/\/$/, '');
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    try {
      return await requestJson<T>(`${base}${path}`, { method, ...(body !== undefined ? { body } : {}), ...(token() ? { token: token()! } : {}) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onUnauthorized();
      throw error;
    }
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body = {}) => call('POST', path, body),
    put: (path, body = {}) => call('PUT', path, body),
    patch: (path, body = {}) => call('PATCH', path, body),
    blob: async (path) => {
      const res = await fetch(`${base}${path}`, { headers: token() ? { authorization: `Bearer ${token()}` } : {} });
      if (res.status === 401) onUnauthorized();
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
        throw new ApiError(res.status, body.error?.code ?? `HTTP.${res.status}`, body.error?.message ?? `HTTP ${res.status}`);
      }
      return res.blob();
    },
  };
}

/** A short random id for idempotency keys (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** `?a=1&b=2` from the values that are set and not empty; '' when none is. */
export function queryString(params: Readonly<Record<string, string | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A 409 saying the record moved on since it was read (optimistic concurrency). */
export function isVersionConflict(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 409 && error.code.endsWith('VERSION_CONFLICT');
}
