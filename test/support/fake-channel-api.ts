/**
 * A stand-in for a channel's own send API (WeChat's customer-service API, Telegram's Bot API, LINE, WhatsApp…) on
 * loopback: real HTTP, every call recorded, answers per route, and failures on demand (the next N calls of a route
 * answer with a given status and body), so that retries, backoff and dead-letter paths can be exercised.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json?: any;
  readonly at: number;
}

export interface FakeAnswer {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

type Responder = (call: RecordedCall) => FakeAnswer;

export class FakeChannelApi {
  readonly calls: RecordedCall[] = [];
  private server?: Server;
  private readonly routes = new Map<string, Responder>();
  private readonly failures = new Map<string, FakeAnswer[]>();
  url = '';

  /** Answers `METHOD /path` (exact path, query ignored) with `respond`. */
  route(method: string, path: string, respond: Responder): this {
    this.routes.set(`${method} ${path}`, respond);
    return this;
  }

  /** The next `count` calls of `METHOD /path` answer `answer` instead of the route. */
  failNext(method: string, path: string, count: number, answer: FakeAnswer): this {
    const queue = this.failures.get(`${method} ${path}`) ?? [];
    for (let i = 0; i < count; i++) queue.push(answer);
    this.failures.set(`${method} ${path}`, queue);
    return this;
  }

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  async waitForCalls(predicate: (call: RecordedCall) => boolean, count = 1, timeoutMs = 20_000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.calls.filter(predicate);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) throw new Error(`expected ${count} matching call(s) to the fake API, saw ${matching.length} (of ${this.calls.length})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((text) => {
        const url = new URL(req.url ?? '/', 'http://fake');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const call: RecordedCall = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
          text,
          json,
          at: Date.now(),
        };
        this.calls.push(call);
        const key = `${call.method} ${call.path}`;
        const answer = this.failures.get(key)?.shift() ?? this.routes.get(key)?.(call) ?? { status: 404, body: { error: 'no such route in the fake' } };
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {}));
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
