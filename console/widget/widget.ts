/**
 * The widget itself: a launcher and a chat panel in a Shadow DOM, the conversation kept in localStorage (so a reload
 * restores the transcript and reconnects), messages sent with a clientMessageId (retried with the same id), and the
 * agent's replies and the queue position shown live.
 */
import { call, clientMessageId, gone, withRetry, type Attachment, type ConversationView, type Message, type Opened, type Status } from './api.ts';
import { words, type Lang, type Words } from './i18n.ts';
import { Live, type Mode } from './live.ts';
import { css } from './styles.ts';

export interface WidgetConfig {
  /** The API base from data-api (else config.json's absolute apiBase, else `origin`). */
  readonly apiBase?: string;
  /** The WebSocket URL from data-ws (else config.json's webSocketUrl, else derived from the API base). */
  readonly wsUrl?: string;
  /** The script's own origin. */
  readonly origin: string;
  readonly configUrl: string;
  readonly lang: Lang;
  readonly customer?: { name?: string; externalId?: string };
  readonly accent?: string;
}

interface Outgoing {
  readonly cid: string;
  readonly text: string;
  readonly at: string;
  state: 'pending' | 'failed';
  /** The server's copy arrived (over the WebSocket) before the POST answered: shown in its place. */
  echo?: string;
  renewed?: boolean;
}

interface Saved {
  conversationId?: string;
  token?: string;
  cursor?: number;
  status?: Status;
  position?: number | null;
  agentName?: string;
  agents?: Record<string, string>;
  messages?: Message[];
  outbox?: Outgoing[];
  /** message id → clientMessageId, so that a sent bubble keeps its place when confirmed */
  sent?: Record<string, string>;
  open?: boolean;
}

/** The channel's settings as the console's admin set them (GET /v1/webchat/settings): words per language, colour, side. */
interface Settings {
  readonly enabled?: boolean;
  readonly title?: Partial<Record<Lang, string>>;
  readonly greeting?: Partial<Record<Lang, string>>;
  readonly accentColor?: string;
  readonly position?: 'right' | 'left';
  readonly offlineMessage?: Partial<Record<Lang, string>>;
}

interface Entry {
  readonly key: string;
  readonly role: Message['role'];
  readonly text: string;
  readonly who?: string;
  readonly at?: string;
  readonly state?: 'pending' | 'failed';
  readonly attachments?: readonly Attachment[];
  readonly cid?: string;
}

const KEEP_MESSAGES = 200;
const PAGE = 100;
const POSITION = /第\s*(\d+)\s*位|number (\d+) in the queue/;

type Child = Node | string | false | undefined;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children) if (child) el.append(child);
  return el;
}

const safeUrl = (url: string): string | undefined => {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
};

const ICON = '<svg class="x-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"/></svg><svg class="c-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3C6.5 3 2 6.9 2 11.7c0 2.6 1.3 4.9 3.4 6.5L4.6 22l4.3-2.3c1 .3 2 .4 3.1.4 5.5 0 10-3.9 10-8.7S17.5 3 12 3zm-4 10a1.3 1.3 0 110-2.6A1.3 1.3 0 018 13zm4 0a1.3 1.3 0 110-2.6 1.3 1.3 0 010 2.6zm4 0a1.3 1.3 0 110-2.6 1.3 1.3 0 010 2.6z"/></svg>';

/** The launcher and the panel, in an open Shadow DOM on a host element of their own. */
function buildDom(w: Words, config: WidgetConfig) {
  const host = h('div', { 'data-kefu-widget': '' });
  const shadow = host.attachShadow({ mode: 'open' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const close = h('button', { class: 'x', type: 'button', 'aria-label': w.close, title: w.close }, '×');
  const title = h('h2', { id: 'kefu-title' }, w.title);
  const conn = h('div', { class: 'conn', role: 'alert', hidden: '' }, w.offline);
  const log = h('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': w.transcript, tabindex: '0' });
  const human = h('button', { class: 'human', type: 'button' }, w.human);
  const input = h('textarea', { rows: '1', maxlength: '10000', 'aria-label': w.input, placeholder: w.placeholder, enterkeyhint: 'send' });
  const form = h('form', {}, input, h('button', { class: 'send', type: 'submit' }, w.send));
  const panel = h(
    'section',
    { class: 'panel', id: 'kefu-panel', role: 'dialog', 'aria-labelledby': 'kefu-title', hidden: '' },
    h('header', {}, h('div', { class: 't' }, title, status), close),
    conn,
    log,
    h('div', { class: 'bar' }, human),
    form,
  );
  const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' });
  const launcher = h('button', { class: 'launcher', type: 'button', 'aria-controls': 'kefu-panel', 'aria-expanded': 'false' }, badge);
  launcher.insertAdjacentHTML('afterbegin', ICON);
  const root = h('div', { class: 'k', lang: config.lang === 'zh' ? 'zh-CN' : 'en' }, h('style', {}, css), panel, launcher);
  if (config.accent) root.style.setProperty('--kefu-accent', config.accent);
  shadow.append(root);
  return { host, root, panel, title, status, close, conn, log, human, form, input, launcher, badge };
}
type UI = ReturnType<typeof buildDom>;

export class Widget {
  private readonly w: Words;
  private readonly key: string;
  private conv: { id: string; token: string } | undefined;
  private cursor = 0;
  private messages = new Map<string, Message>();
  private sent: Record<string, string> = {};
  private outbox: Outgoing[] = [];
  private status: Status = 'bot';
  private position: number | null = null;
  private agentName: string | undefined;
  private agents: Record<string, string> = {};
  private isOpen = false;
  private unread = 0;
  private synced = false;
  private netDown = false;
  private mode: Mode = 'idle';
  private live: Live | undefined;
  private endpoints: Promise<{ api: string; ws: string | undefined }> | undefined;
  private opening: Promise<{ id: string; token: string }> | undefined;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private flushing = false;
  private renderQueued = false;
  private readonly nodes = new Map<string, HTMLElement>();
  private readonly ui: UI;
  private readonly config: WidgetConfig;
  private settings: Settings = {};

  constructor(config: WidgetConfig) {
    this.config = config;
    this.w = words(config.lang);
    this.key = `kefu-widget:${config.apiBase ?? config.origin}`;
    this.ui = buildDom(this.w, config);
    this.wire();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The DOM

  private wire(): void {
    const { panel, close, human, form, input, log, launcher } = this.ui;
    launcher.addEventListener('click', () => this.setOpen(!this.isOpen, true));
    close.addEventListener('click', () => this.setOpen(false, true));
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.setOpen(false, true);
    });
    human.addEventListener('click', () => this.send(this.w.humanAsk));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    input.addEventListener('keydown', (e) => {
      // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition (Chinese input) is not a send.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        this.submit();
      }
    });
    input.addEventListener('input', () => this.grow());
    log.addEventListener('click', (e) => {
      const cid = (e.target as HTMLElement).closest?.('[data-retry]')?.getAttribute('data-retry');
      if (cid) this.retry(cid);
    });
  }

  private grow(): void {
    const input = this.ui.input;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`;
  }

  mount(): void {
    document.body.append(this.ui.host);
    const saved = this.load();
    if (saved.conversationId && saved.token) this.adopt(saved);
    else if (saved.outbox?.length) {
      // Written, not yet sent when the page went away: send now.
      this.outbox = saved.outbox;
      void this.flush();
    }
    addEventListener('storage', (e) => {
      // Another tab of the same site opened a conversation: join it rather than keeping two.
      if (e.key !== this.key || !e.newValue) return;
      const other = this.parse(e.newValue);
      if (!other.conversationId || !other.token || other.conversationId === this.conv?.id) return;
      this.live?.stop();
      this.adopt(other, true);
    });
    addEventListener('online', () => {
      for (const item of this.outbox) if (item.state === 'failed') item.state = 'pending';
      void this.flush();
    });
    // Waiting for an agent: the position and the status are also read now and then (an event may have been missed).
    setInterval(() => {
      if (this.status === 'queued' && this.mode === 'ws') void this.sync().catch(() => undefined);
    }, 20_000);
    this.isOpen = !!saved.open;
    this.render();
    void this.loadSettings();
  }

  /** The admin's settings: title, greeting, colour (data-color on the page still wins), side, and whether it is on. */
  private async loadSettings(): Promise<void> {
    try {
      const { api } = await this.resolve();
      this.settings = await call<Settings>(api, 'GET', '/v1/webchat/settings');
    } catch {
      return; // not reachable (an older API, the network): the built-in words
    }
    const { root, title } = this.ui;
    const lang = this.config.lang;
    title.textContent = this.settings.title?.[lang] || this.w.title;
    if (!this.config.accent && this.settings.accentColor && /^#[0-9a-f]{6}$/i.test(this.settings.accentColor)) root.style.setProperty('--kefu-accent', this.settings.accentColor);
    root.dataset.pos = this.settings.position === 'left' ? 'left' : 'right';
    this.render();
  }

  /** Switched off by the admin, with no conversation going on: the offline message if there is one, else nothing. */
  private off(): boolean {
    return this.settings.enabled === false && !this.conv;
  }

  private adopt(saved: Saved, keepOutbox = false): void {
    this.conv = { id: saved.conversationId!, token: saved.token! };
    this.cursor = saved.cursor ?? 0;
    this.messages = new Map((saved.messages ?? []).map((m) => [m.id, m]));
    // Without the transcript (storage trimmed or cleared), read it all again.
    if (!this.messages.size) this.cursor = 0;
    this.sent = saved.sent ?? {};
    if (!keepOutbox) this.outbox = saved.outbox ?? [];
    this.status = saved.status ?? 'bot';
    this.position = saved.position ?? null;
    this.agentName = saved.agentName;
    this.agents = saved.agents ?? {};
    this.synced = false;
    this.startLive();
    void this.sync().catch(() => undefined);
    void this.flush();
    this.render();
  }

  /** Renders on the next microtask, once for any number of changes. */
  private render(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      this.renderQueued = false;
      this.draw();
    });
  }

  private entries(): Entry[] {
    const w = this.w;
    const lang = this.config.lang;
    const greeting = (this.off() && this.settings.offlineMessage?.[lang]) || this.settings.greeting?.[lang] || w.greeting;
    const list: Entry[] = [{ key: 'greeting', role: 'bot', text: greeting, who: w.bot }];
    for (const m of [...this.messages.values()].sort((a, b) => a.seq - b.seq)) {
      const name = m.role === 'agent' ? ((m.agentId && this.agents[m.agentId]) || this.agentName) : undefined;
      list.push({
        key: this.sent[m.id] ?? m.id,
        role: m.role,
        text: m.text,
        at: m.createdAt,
        who: m.role === 'bot' ? w.bot : m.role === 'agent' ? (name ? `${w.agent} ${name}` : w.agent) : m.role === 'system' ? w.system : w.you,
        ...(m.attachments?.length ? { attachments: m.attachments } : {}),
      });
    }
    for (const o of this.outbox) if (!o.echo) list.push({ key: o.cid, role: 'customer', text: o.text, at: o.at, who: w.you, state: o.state, cid: o.cid });
    return list;
  }

  private bubble(entry: Entry, signature: string): HTMLElement {
    const w = this.w;
    const visibleName = entry.role === 'bot' || entry.role === 'agent';
    const li = h('li', { class: `m ${entry.role}${entry.state ? ` ${entry.state}` : ''}`, 'data-key': entry.key, 'data-role': entry.role });
    li.dataset.sig = signature;
    li.append(h('span', { class: visibleName ? 'who' : 'sr' }, entry.who ?? ''));
    const body = h('div', { class: 'b' }, entry.text);
    if (entry.at) body.title = new Date(entry.at).toLocaleString(this.config.lang === 'zh' ? 'zh-CN' : 'en');
    li.append(body);
    if (entry.attachments?.length) {
      const box = h('div', { class: 'att' });
      for (const a of entry.attachments) {
        const url = safeUrl(a.url);
        if (!url) continue;
        if (a.kind === 'image') box.append(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, h('img', { src: url, alt: a.title ?? w.image, loading: 'lazy' })));
        else box.append(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, a.title ?? w.link));
      }
      li.append(box);
    }
    if (entry.state === 'pending') li.append(h('span', { class: 'meta' }, w.pending));
    if (entry.state === 'failed') li.append(h('span', { class: 'meta', role: 'alert' }, w.failed, h('button', { type: 'button', 'data-retry': entry.cid ?? '' }, w.retry)));
    return li;
  }

  private draw(): void {
    const { root, panel, status, conn, log, human, launcher, badge } = this.ui;
    const w = this.w;
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    let grew = false;
    const keep = new Set<string>();
    let previous: HTMLElement | undefined;
    for (const entry of this.entries()) {
      const signature = JSON.stringify([entry.role, entry.text, entry.who, entry.state, entry.attachments]);
      keep.add(entry.key);
      let node = this.nodes.get(entry.key);
      if (node?.dataset.sig !== signature) {
        const fresh = this.bubble(entry, signature);
        if (node) node.replaceWith(fresh);
        else grew = true;
        node = fresh;
        this.nodes.set(entry.key, node);
      }
      const wanted = previous ? previous.nextSibling : log.firstChild;
      if (wanted !== node) log.insertBefore(node, wanted);
      previous = node;
    }
    for (const [key, node] of this.nodes) {
      if (keep.has(key)) continue;
      node.remove();
      this.nodes.delete(key);
    }
    if (grew && (nearBottom || !this.isOpen)) log.scrollTop = log.scrollHeight;

    const off = this.off();
    root.toggleAttribute('data-off', off);
    // An inline style: the hidden attribute would lose to the Shadow DOM's `:host{all:initial}`.
    this.ui.host.style.display = off && !this.settings.offlineMessage?.[this.config.lang] ? 'none' : '';
    root.dataset.status = this.status;
    root.dataset.conn = this.mode;
    root.toggleAttribute('data-open', this.isOpen);
    status.textContent =
      this.status === 'queued'
        ? this.position
          ? w.statusPosition(this.position)
          : w.statusQueued
        : this.status === 'agent'
          ? w.statusAgent(this.agentName)
          : this.status === 'resolved'
            ? w.statusResolved
            : w.statusBot;
    const withHuman = this.status === 'queued' || this.status === 'agent';
    human.disabled = withHuman;
    human.title = withHuman ? w.humanBusy : w.human;
    conn.hidden = !this.netDown;
    panel.hidden = !this.isOpen;
    launcher.setAttribute('aria-expanded', String(this.isOpen));
    launcher.setAttribute('aria-label', this.unread ? w.openUnread(this.unread) : this.isOpen ? w.close : w.open);
    badge.hidden = !this.unread;
    badge.textContent = String(this.unread);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // What the page (and the demo) can call: window.KefuWidget.open() / close() / reset()

  setOpen(open: boolean, moveFocus = false): void {
    this.isOpen = open;
    if (open) this.unread = 0;
    this.persist();
    this.draw();
    if (open) this.ui.log.scrollTop = this.ui.log.scrollHeight;
    if (moveFocus) (open ? this.ui.input : this.ui.launcher).focus();
  }

  /** Forgets the conversation (a new one starts with the next message). */
  reset(keepOutbox = false): void {
    this.live?.stop();
    this.live = undefined;
    this.conv = undefined;
    this.cursor = 0;
    this.messages = new Map();
    this.sent = {};
    if (!keepOutbox) this.outbox = [];
    this.status = 'bot';
    this.position = null;
    this.agentName = undefined;
    this.agents = {};
    this.netDown = false;
    this.mode = 'idle';
    this.persist();
    this.render();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Storage

  private parse(json: string | null): Saved {
    try {
      const value = JSON.parse(json ?? '{}') as Saved;
      return value && typeof value === 'object' ? value : {};
    } catch {
      return {};
    }
  }

  private load(): Saved {
    try {
      return this.parse(localStorage.getItem(this.key));
    } catch {
      return {};
    }
  }

  private persist(): void {
    const messages = [...this.messages.values()].sort((a, b) => a.seq - b.seq).slice(-KEEP_MESSAGES);
    const kept = new Set(messages.map((m) => m.id));
    const saved: Saved = {
      open: this.isOpen,
      ...(this.conv
        ? {
            conversationId: this.conv.id,
            token: this.conv.token,
            // A trimmed transcript is read again from the start on the next load.
            cursor: messages.length < this.messages.size ? 0 : this.cursor,
            status: this.status,
            position: this.position,
            ...(this.agentName ? { agentName: this.agentName } : {}),
            agents: this.agents,
            messages,
            sent: Object.fromEntries(Object.entries(this.sent).filter(([id]) => kept.has(id))),
          }
        : {}),
      outbox: this.outbox.map(({ cid, text, at, state }) => ({ cid, text, at, state })),
    };
    try {
      localStorage.setItem(this.key, JSON.stringify(saved));
    } catch {
      // storage full or blocked: the widget still works, it just will not survive a reload
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The server

  private resolve(): Promise<{ api: string; ws: string | undefined }> {
    return (this.endpoints ??= (async () => {
      let remote: { apiBase?: unknown; webSocketUrl?: unknown } = {};
      if (!this.config.apiBase || !this.config.wsUrl) {
        try {
          const res = await fetch(this.config.configUrl, { cache: 'no-store' });
          if (res.ok) remote = (await res.json()) as typeof remote;
        } catch {
          // no config.json there (or not readable cross-origin): the defaults below
        }
      }
      const remoteApi = typeof remote.apiBase === 'string' && /^https?:\/\//.test(remote.apiBase) ? remote.apiBase : undefined;
      const api = (this.config.apiBase ?? remoteApi ?? this.config.origin).replace(/\/+$/, '');
      const ws = this.config.wsUrl ?? (typeof remote.webSocketUrl === 'string' && remote.webSocketUrl ? remote.webSocketUrl : `${api.replace(/^http/, 'ws')}/ws`);
      return { api, ws };
    })());
  }

  private startLive(): void {
    const conv = this.conv;
    if (!conv) return;
    this.live?.stop();
    this.live = new Live({
      url: async () => (await this.resolve()).ws,
      token: conv.token,
      catchUp: () => this.sync(),
      onEvent: (event) => this.onEvent(event),
      onMode: (mode) => {
        this.mode = mode;
        this.render();
      },
    });
    this.live.start();
  }

  private onEvent(event: Record<string, unknown>): void {
    if (!this.conv || (event.conversationId && event.conversationId !== this.conv.id)) return;
    if (event.type === 'message' && event.message) this.ingest([event.message as Message], true);
    else if (event.type === 'status' && typeof event.status === 'string') {
      this.applyStatus(event.status as Status, typeof event.agentName === 'string' ? event.agentName : undefined);
      // The position is not in the event: ask for it.
      if (event.status === 'queued') void this.sync().catch(() => undefined);
    } else if (event.type === 'queue.position' && typeof event.position === 'number') this.position = event.position;
    else return;
    this.persist();
    this.render();
  }

  private applyStatus(status: Status, agentName?: string, position?: number | null): void {
    if (status === 'queued' && this.status !== 'queued') {
      this.position = null;
      this.agentName = undefined;
    }
    if (agentName) this.agentName = agentName;
    if (status === 'queued' && position) this.position = position;
    if (status !== 'queued') this.position = null;
    this.status = status;
  }

  private ingest(list: readonly Message[], live: boolean): void {
    const fresh = list.filter((m) => m && typeof m.id === 'string' && typeof m.seq === 'number' && !this.messages.has(m.id)).sort((a, b) => a.seq - b.seq);
    for (const m of fresh) {
      this.messages.set(m.id, m);
      if (m.role === 'customer' && !this.sent[m.id]) {
        const mine = this.outbox.find((o) => o.state === 'pending' && !o.echo && o.text === m.text);
        if (mine) {
          mine.echo = m.id;
          this.sent[m.id] = mine.cid;
        }
      }
      // A resolved conversation opens again with the customer's next message (no status event says so).
      if (live && this.status === 'resolved' && (m.role === 'customer' || m.role === 'bot')) this.status = 'bot';
      if (m.role === 'agent' && m.agentId && this.agentName && !this.agents[m.agentId]) this.agents[m.agentId] = this.agentName;
      const position = m.role === 'system' && this.status === 'queued' ? POSITION.exec(m.text) : null;
      if (position) this.position = Number(position[1] ?? position[2]);
      if (live && this.synced && !this.isOpen && m.role !== 'customer') this.unread++;
    }
    // The cursor moves over messages without gaps only (seq is contiguous per conversation): a message that came over
    // the WebSocket while an earlier one was missed leaves the cursor before the gap, so the catch-up fills it.
    const seqs = new Set([...this.messages.values()].map((m) => m.seq));
    while (seqs.has(this.cursor + 1)) this.cursor++;
    if (fresh.length) {
      this.persist();
      this.render();
    }
  }

  /** Reads what was missed (messages after the cursor, then the status); concurrent calls share one run. */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const run = (async () => {
      try {
        do {
          this.syncAgain = false;
          await this.syncOnce();
        } while (this.syncAgain);
      } finally {
        this.syncing = undefined;
      }
    })();
    this.syncing = run;
    return run;
  }

  private async syncOnce(): Promise<void> {
    const conv = this.conv;
    if (!conv) return;
    const path = `/v1/webchat/conversations/${encodeURIComponent(conv.id)}`;
    try {
      const { api } = await this.resolve();
      for (let pages = 0; pages < 50; pages++) {
        const after = this.cursor;
        const page = await call<{ messages: Message[]; cursor: string }>(api, 'GET', `${path}/messages?after=${after}&limit=${PAGE}`, conv.token);
        if (conv !== this.conv) return;
        this.ingest(page.messages ?? [], true);
        const next = Number(page.cursor);
        if (next > this.cursor) this.cursor = next;
        if ((page.messages ?? []).length < PAGE || this.cursor <= after) break;
      }
      const view = await call<ConversationView>(api, 'GET', path, conv.token);
      if (conv !== this.conv) return;
      this.applyStatus(view.status, undefined, view.queuePosition);
      this.synced = true;
      this.netDown = false;
    } catch (error) {
      if (conv !== this.conv) return;
      if (gone(error)) {
        this.reset(true);
        return;
      }
      this.netDown = true;
      throw error;
    } finally {
      this.persist();
      this.render();
    }
  }

  private ensureConversation(): Promise<{ id: string; token: string }> {
    if (this.conv) return Promise.resolve(this.conv);
    return (this.opening ??= (async () => {
      try {
        const { api } = await this.resolve();
        const customer = this.config.customer;
        const opened = await withRetry(() => call<Opened>(api, 'POST', '/v1/webchat/conversations', undefined, customer ? { customer } : {}));
        this.conv = { id: opened.conversationId, token: opened.token };
        this.cursor = 0;
        this.status = opened.status ?? 'bot';
        this.synced = true;
        this.persist();
        this.startLive();
        return this.conv;
      } finally {
        this.opening = undefined;
      }
    })());
  }

  private submit(): void {
    const text = this.ui.input.value.trim();
    if (!text) return;
    this.ui.input.value = '';
    this.grow();
    this.send(text);
  }

  send(text: string): void {
    this.outbox.push({ cid: clientMessageId(), text, at: new Date().toISOString(), state: 'pending' });
    this.persist();
    this.render();
    void this.flush();
  }

  private retry(cid: string): void {
    const item = this.outbox.find((o) => o.cid === cid);
    if (!item) return;
    item.state = 'pending';
    this.render();
    void this.flush();
  }

  /** Sends the waiting messages one at a time, in order; each keeps its clientMessageId across retries. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        const item = this.outbox.find((o) => o.state === 'pending');
        if (!item) break;
        try {
          const conv = await this.ensureConversation();
          const { api } = await this.resolve();
          const res = await withRetry(() =>
            call<{ messageId: string; seq: number }>(api, 'POST', `/v1/webchat/conversations/${encodeURIComponent(conv.id)}/messages`, conv.token, { clientMessageId: item.cid, text: item.text }),
          );
          this.outbox = this.outbox.filter((o) => o !== item);
          if (conv === this.conv) {
            this.sent[res.messageId] = item.cid;
            this.ingest([{ id: res.messageId, seq: res.seq, role: 'customer', text: item.text, createdAt: item.at }], false);
          }
        } catch (error) {
          if (gone(error) && this.conv && !item.renewed) {
            // The stored conversation is no more (token expired, data reset): this message starts a new one.
            item.renewed = true;
            this.reset(true);
            continue;
          }
          // The server has it already (its copy came over the WebSocket): nothing to retry.
          if (item.echo) this.outbox = this.outbox.filter((o) => o !== item);
          else item.state = 'failed';
        }
        this.persist();
        this.render();
      }
    } finally {
      this.flushing = false;
    }
  }
}
