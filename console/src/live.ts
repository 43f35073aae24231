/**
 * One WebSocket subscription (the agent floor, or one conversation), kept open: it reconnects with exponential
 * backoff and jitter (1 s doubling to 30 s), at once when the browser comes back online or the tab becomes visible,
 * and tells its owner every time it is open again so the owner refetches what it may have missed. A ping every few
 * minutes keeps API Gateway from closing an idle connection.
 */

export type LiveStatus = 'connecting' | 'open' | 'closed';

export interface LiveHandlers<E> {
  onEvent(event: E): void;
  /** Called on every open; `reconnected` is false only for the first. */
  onOpen?(reconnected: boolean): void;
  onStatus?(status: LiveStatus): void;
}

const PING_MS = 4 * 60_000;
const MAX_BACKOFF_MS = 30_000;

export function socketUrl(base: string, token: string, conversationId?: string): string {
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}token=${encodeURIComponent(token)}${conversationId ? `&conversationId=${encodeURIComponent(conversationId)}` : ''}`;
}

export class LiveSocket<E extends { type: string }> {
  private socket: WebSocket | undefined;
  private attempts = 0;
  private opened = false;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly wake = () => {
    if (!this.stopped && !this.socket && document.visibilityState !== 'hidden') this.connectNow();
  };

  constructor(
    private readonly url: () => string | undefined,
    private readonly handlers: LiveHandlers<E>,
  ) {}

  start(): this {
    window.addEventListener('online', this.wake);
    document.addEventListener('visibilitychange', this.wake);
    this.connect();
    return this;
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.wake);
    document.removeEventListener('visibilitychange', this.wake);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onclose = null;
      socket.onerror = null;
      socket.onmessage = null;
      socket.close();
    }
  }

  private connectNow(): void {
    clearTimeout(this.retryTimer);
    this.attempts = 0;
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    const url = this.url();
    if (!url) return;
    this.handlers.onStatus?.('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      const reconnected = this.opened;
      this.opened = true;
      this.handlers.onStatus?.('open');
      this.handlers.onOpen?.(reconnected);
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: 'ping' }));
      }, PING_MS);
    };
    socket.onmessage = (message) => {
      let event: E;
      try {
        event = JSON.parse(String(message.data)) as E;
      } catch {
        return;
      }
      if (event && typeof event.type === 'string' && event.type !== 'pong') this.handlers.onEvent(event);
    };
    socket.onclose = () => {
      clearInterval(this.pingTimer);
      if (this.socket === socket) this.socket = undefined;
      if (!this.stopped) this.retry();
    };
    socket.onerror = () => {
      // onclose follows and schedules the retry
    };
  }

  private retry(): void {
    this.handlers.onStatus?.('closed');
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
