/** The web chat HTTP API (README "HTTP API"), as the customer's browser calls it. */

export type Role = 'customer' | 'bot' | 'agent' | 'system';
export type Status = 'bot' | 'queued' | 'agent' | 'resolved';

export interface Attachment {
  readonly kind: 'link' | 'image';
  readonly url: string;
  readonly title?: string;
}

export interface Message {
  readonly id: string;
  readonly seq: number;
  readonly role: Role;
  readonly text: string;
  readonly createdAt: string;
  readonly agentId?: string;
  readonly attachments?: readonly Attachment[];
}

export interface Opened {
  readonly conversationId: string;
  readonly token: string;
  readonly status?: Status;
}

export interface ConversationView {
  readonly status: Status;
  readonly queuePosition?: number | null;
}

/** A response with an error status (a network failure is a TypeError from fetch instead). */
export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Worth trying again with the same request: the network, a timeout, throttling or a server fault. */
export const retryable = (error: unknown): boolean => !(error instanceof HttpError) || error.status >= 500 || error.status === 408 || error.status === 429;

/** The conversation or its token is no longer valid (expired token, data wiped): start a new one. */
export const gone = (error: unknown): boolean => error instanceof HttpError && (error.status === 401 || error.status === 403 || error.status === 404);

export async function call<T>(base: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new HttpError(res.status);
  return (await res.json()) as T;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` up to `tries` times, waiting 1 s, 2 s, 4 s… between tries, while the failure is retryable. */
export async function withRetry<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i + 1 >= tries || !retryable(error)) throw error;
      await sleep(1000 * 2 ** i);
    }
  }
}

/** An id for an outgoing message (the API accepts letters, digits and . _ : -). */
export function clientMessageId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `w-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
