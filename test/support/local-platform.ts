/** Starts the local runtime for a test file and talks to it over real HTTP on loopback. */
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../infra/local/runtime.ts';

export interface Platform {
  readonly runtime: LocalRuntime;
  request(method: string, path: string, options?: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  openConversation(): Promise<{ conversationId: string; token: string }>;
  say(conversation: { conversationId: string; token: string }, text: string, clientMessageId?: string): Promise<{ status: number; body: any }>;
  transcript(conversation: { conversationId: string; token: string }): Promise<Array<{ id: string; role: string; text: string }>>;
  waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs?: number): Promise<T>;
}

let counter = 0;

export async function startPlatform(options: LocalRuntimeOptions = {}): Promise<Platform> {
  const runtime = await startLocalRuntime({ port: 0, ...options });
  const request: Platform['request'] = async (method, path, opts = {}) => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        ...(opts.body !== undefined || opts.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.headers ?? {}),
      },
      ...(opts.rawBody !== undefined ? { body: opts.rawBody } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  };
  const platform: Platform = {
    runtime,
    request,
    openConversation: async () => {
      const res = await request('POST', '/v1/webchat/conversations', { body: {} });
      if (res.status !== 201) throw new Error(`open failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    say: (conversation, text, clientMessageId = `c-${Date.now()}-${counter++}`) =>
      request('POST', `/v1/webchat/conversations/${conversation.conversationId}/messages`, { token: conversation.token, body: { clientMessageId, text } }),
    transcript: async (conversation) => (await request('GET', `/v1/webchat/conversations/${conversation.conversationId}/messages`, { token: conversation.token })).body.messages,
    waitFor: async (probe, what, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return platform;
}
