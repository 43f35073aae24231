/**
 * Keeps the widget current: a WebSocket with reconnects (exponential backoff with jitter, capped at 10 s) and a
 * catch-up after every (re)connect; while the WebSocket is down (or cannot connect at all) the transcript is polled
 * every 3 s instead.
 */

export type Mode = 'idle' | 'connecting' | 'ws' | 'poll';

export interface LiveOptions {
  /** The WebSocket URL (without the token), or undefined when there is none: then polling only. */
  readonly url: () => Promise<string | undefined>;
  readonly token: string;
  readonly onEvent: (event: Record<string, unknown>) => void;
  /** Fetches what may have been missed (messages after the cursor, the status); called on (re)connect and per poll. */
  readonly catchUp: () => Promise<void>;
  readonly onMode: (mode: Mode) => void;
}

const POLL_MS = 3000;
const MAX_BACKOFF_MS = 10_000;
const PING_MS = 4 * 60_000;

export class Live {
  private ws: WebSocket | undefined;
  private attempts = 0;
  private stopped = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;
  private pollRun = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private mode: Mode = 'idle';
  private readonly wake = () => this.reconnectNow();

  constructor(private readonly options: LiveOptions) {}

  start(): void {
    addEventListener('online', this.wake);
    document.addEventListener('visibilitychange', this.wake);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.wake);
    document.removeEventListener('visibilitychange', this.wake);
    clearTimeout(this.reconnectTimer);
    this.stopPolling();
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = undefined;
    ws?.close();
    this.setMode('idle');
  }

  private setMode(mode: Mode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.options.onMode(mode);
  }

  /** Back online or back in view: try the WebSocket at once instead of waiting out the backoff. */
  private reconnectNow(): void {
    if (this.stopped || document.visibilityState === 'hidden' || this.ws) return;
    clearTimeout(this.reconnectTimer);
    this.attempts = 0;
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    const base = typeof WebSocket === 'function' ? await this.options.url().catch(() => undefined) : undefined;
    if (this.stopped || this.ws) return;
    if (!base) {
      this.poll();
      return;
    }
    if (this.mode !== 'poll') this.setMode('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${base}${base.includes('?') ? '&' : '?'}token=${encodeURIComponent(this.options.token)}`);
    } catch {
      this.retryLater();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempts = 0;
      this.stopPolling();
      this.setMode('ws');
      // API Gateway closes idle WebSockets after 10 minutes: a ping now and then keeps this one.
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ action: 'ping' })), PING_MS);
      void this.options.catchUp().catch(() => undefined);
    };
    ws.onmessage = (message) => {
      if (this.ws !== ws || typeof message.data !== 'string') return;
      try {
        const event = JSON.parse(message.data) as Record<string, unknown>;
        if (event && typeof event === 'object') this.options.onEvent(event);
      } catch {
        // not an event of ours
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      clearInterval(this.pingTimer);
      if (this.stopped) return;
      this.retryLater();
    };
  }

  /** While the WebSocket is down: poll, and try it again after a backoff. */
  private retryLater(): void {
    this.poll();
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) * (0.75 + Math.random() * 0.25);
    this.attempts++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private poll(): void {
    if (this.stopped || this.polling) return;
    this.polling = true;
    this.setMode('poll');
    const run = ++this.pollRun;
    const tick = async () => {
      await this.options.catchUp().catch(() => undefined);
      if (run === this.pollRun && !this.stopped) this.pollTimer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
  }

  private stopPolling(): void {
    this.polling = false;
    this.pollRun++;
    clearTimeout(this.pollTimer);
  }
}
