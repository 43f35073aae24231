/**
 * The centre: the conversation's header and summary, the whole transcript (the bot part included, every customer
 * message with its mood, the agents' internal notes marked as such), suggested answers for the customer's last
 * message, quick replies and the reply box, which also writes internal notes (Reply | Note).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api.ts';
import { clockTime, dateTime, shortId } from '../format.ts';
import { labelOf, translator, useI18n, type Translate } from '../i18n.ts';
import type { AnswerResult, ConversationContext, Message, QueueItem } from '../types.ts';
import { Empty, MoodTag, useApp } from '../ui.tsx';
import { lastCustomerMessage, type ChatState, type PendingReply } from './chat-state.ts';
import type { WorkspaceActions } from './workspace.tsx';

function MessageRow({ message, chat, myId }: { message: Message; chat: ChatState; myId: string }) {
  const { t, lang } = useI18n();
  if (message.internal) {
    return (
      <li class="msg msg-note" data-testid="message" data-role="note" data-internal="true" data-message-id={message.id}>
        <div class="msg-avatar" aria-hidden="true">
          ✎
        </div>
        <div class="msg-body">
          <div class="msg-meta">
            <span class="note-label">{t('notes.label')}</span>
            <span class="msg-who" data-testid="note-author">
              {message.agentId === myId ? t('role.you') : (message.agentId ?? t('role.agentMsg'))}
            </span>
            <span class="msg-time">{clockTime(message.createdAt, lang)}</span>
          </div>
          <div class="bubble note-bubble">{message.text}</div>
        </div>
      </li>
    );
  }
  if (message.role === 'system') {
    return (
      <li class="msg msg-system" data-testid="message" data-role="system" data-seq={message.seq}>
        <span>{message.text}</span>
        <span class="msg-time">{clockTime(message.createdAt, lang)}</span>
      </li>
    );
  }
  const live = message.role === 'customer' && !message.sentiment ? chat.scores[message.id] : undefined;
  const sentiment = message.sentiment ?? live;
  const who =
    message.role === 'customer'
      ? (chat.ctx?.customer?.name ?? t('role.customer'))
      : message.role === 'bot'
        ? t('role.bot')
        : message.agentId === myId
          ? t('role.you')
          : (message.agentId ?? t('role.agentMsg'));
  return (
    <li class={`msg msg-${message.role}`} data-testid="message" data-role={message.role} data-seq={message.seq} data-message-id={message.id}>
      <div class="msg-avatar" aria-hidden="true">
        {message.role === 'customer' ? '客' : message.role === 'bot' ? 'AI' : '服'}
      </div>
      <div class="msg-body">
        <div class="msg-meta">
          <span class="msg-who">{who}</span>
          <span class="msg-time">{clockTime(message.createdAt, lang)}</span>
          {sentiment && <MoodTag emotion={sentiment.emotion} intensity={sentiment.intensity} live={!!live} />}
          {message.entryId && <span class="tag tag-kb">{message.entryId}</span>}
        </div>
        <div class="bubble">{message.text}</div>
        {message.role === 'customer' && <AttachmentLinks message={message} chat={chat} />}
        {message.delivery && <DeliveryLine delivery={message.delivery} />}
        {message.attachments?.map((a, i) =>
          a.url ? (
            <a key={i} class="attachment" href={a.url} target="_blank" rel="noreferrer">
              {a.title ?? a.url}
            </a>
          ) : null,
        )}
      </div>
    </li>
  );
}

interface ListedFile {
  readonly key: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly inline?: boolean;
}

/** The files a customer's e-mail brought (listed by its `email-attachments` event), each a download. */
function AttachmentLinks({ message, chat }: { message: Message; chat: ChatState }) {
  const { api, toast } = useApp();
  const files = (chat.ctx?.events ?? [])
    .filter((e) => e.type === 'email-attachments' && e.detail?.messageId === message.id)
    .flatMap((e) => (e.detail?.files as readonly ListedFile[] | undefined) ?? []);
  if (files.length === 0 || !chat.ctx) return null;
  const conversationId = chat.ctx.conversation.id;
  const open = async (file: ListedFile) => {
    try {
      const blob = await api.blob(`/v1/agent/conversations/${encodeURIComponent(conversationId)}/attachment?key=${encodeURIComponent(file.key)}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };
  return (
    <div class="attachments" data-testid="attachments">
      {files.map((file) => (
        <button key={file.key} type="button" class="link-button attachment" data-testid="attachment" onClick={() => void open(file)}>
          ↓ {file.filename} ({Math.max(1, Math.round(file.size / 1024))} KB)
        </button>
      ))}
    </div>
  );
}

/** A reply's way to the customer's channel: on its way, delivered, or not delivered and why. */
function DeliveryLine({ delivery }: { delivery: NonNullable<Message['delivery']> }) {
  const { t } = useI18n();
  if (delivery.state === 'failed') {
    const code = delivery.error?.code ?? '';
    const reason = code === 'OUTSIDE_SERVICE_WINDOW' ? t('delivery.window') : code === 'CHANNEL.NOT_CONFIGURED' ? t('delivery.notConfigured') : `${code} ${delivery.error?.message ?? ''}`.trim();
    return (
      <div class="delivery text-bad small" data-testid="delivery" data-state="failed" title={delivery.error?.message}>
        {t('delivery.failed')}: {reason}
      </div>
    );
  }
  const done = delivery.state === 'sent' || delivery.state === 'passive';
  return (
    <div class="delivery muted small" data-testid="delivery" data-state={delivery.state}>
      {done ? `✓ ${t('delivery.sent')}` : t('delivery.pending')}
    </div>
  );
}

function PendingRow({ pending, onRetry, onDiscard }: { pending: PendingReply; onRetry(): void; onDiscard(): void }) {
  const { t } = useI18n();
  return (
    <li class={`msg msg-agent pending ${pending.state}`} data-testid="pending-message" data-state={pending.state}>
      <div class="msg-avatar" aria-hidden="true">
        服
      </div>
      <div class="msg-body">
        <div class="msg-meta">
          <span class="msg-who">{t('role.you')}</span>
          <span class={pending.state === 'failed' ? 'text-bad' : 'muted'}>{pending.state === 'failed' ? `${t('chat.failed')}: ${pending.error ?? ''}` : t('chat.sending')}</span>
        </div>
        <div class="bubble">{pending.text}</div>
        {pending.state === 'failed' && (
          <div class="pending-actions">
            <button type="button" class="link-button" onClick={onRetry}>
              {t('chat.retry')}
            </button>
            <button type="button" class="link-button" onClick={onDiscard}>
              {t('chat.discard')}
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

interface Suggested {
  readonly id: string;
  readonly answer?: AnswerResult;
  /** The best candidate's own answer when the knowledge base only had candidates (kind "suggest"). */
  readonly top?: { readonly text: string; readonly entryId: string; readonly score: number };
  readonly error?: string;
}

/**
 * Suggested answers for the customer's last message, from the knowledge base: the answer when there is one, else
 * the best candidate's answer; the other candidates as chips (a click fetches that entry's answer). One call per
 * message, cached.
 */
function Suggestions({ message, onInsert }: { message: Message | undefined; onInsert(text: string): void }) {
  const { t } = useI18n();
  const { api, toast } = useApp();
  const cache = useRef(new Map<string, Suggested>());
  const [result, setResult] = useState<Suggested>();
  useEffect(() => {
    if (!message) return setResult(undefined);
    const cached = cache.current.get(message.id);
    if (cached) return setResult(cached);
    setResult({ id: message.id });
    let live = true;
    const suggest = async (): Promise<Suggested> => {
      const answer = await api.post<AnswerResult>('/v1/capabilities/answer', { text: message.text });
      const best = answer.kind !== 'answer' ? answer.alternatives[0] : undefined;
      if (!best?.question) return { id: message.id, answer };
      const own = await api.post<AnswerResult>('/v1/capabilities/answer', { text: best.question }).catch(() => undefined);
      return { id: message.id, answer, ...(own?.text ? { top: { text: own.text, entryId: own.entryId ?? best.entryId, score: best.score } } : {}) };
    };
    suggest().then(
      (suggested) => {
        cache.current.set(message.id, suggested);
        if (live) setResult(suggested);
      },
      (error: unknown) => live && setResult({ id: message.id, error: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [message, api]);

  const insertQuestion = async (question: string) => {
    try {
      const answer = await api.post<AnswerResult>('/v1/capabilities/answer', { text: question });
      if (answer.text) onInsert(answer.text);
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };

  if (!message) return null;
  const answer = result?.answer;
  const main = answer?.kind === 'answer' && answer.text ? { text: answer.text, entryId: answer.entryId, score: answer.confidence } : result?.top;
  const others = answer ? answer.alternatives.filter((alt) => alt.entryId !== main?.entryId) : [];
  return (
    <div class="suggestions" data-testid="suggestions">
      <div class="suggestions-head">
        <span class="section-title-inline">{t('chat.suggestions')}</span>
        <span class="muted small ellipsis">{t('chat.suggestFor', { text: message.text.slice(0, 60) })}</span>
      </div>
      {!result?.answer && !result?.error && <div class="muted small">{t('chat.suggestLoading')}</div>}
      {result?.error && <div class="error-text small">{result.error}</div>}
      {main && (
        <button type="button" class="suggestion" data-testid="suggestion" data-entry-id={main.entryId} onClick={() => onInsert(main.text)}>
          <span class="suggestion-text">{main.text}</span>
          <span class="suggestion-meta">
            {main.entryId && <span class="tag tag-kb">{main.entryId}</span>}
            <span class={`confidence ${main.score < 0.75 ? 'text-warn' : ''}`}>{t('chat.confidence', { value: Math.round(main.score * 100) })}</span>
            <span class="insert">{t('chat.insert')} ↵</span>
          </span>
        </button>
      )}
      {others.length > 0 && (
        <div class="alternatives">
          <span class="muted small">{t('chat.related')}:</span>
          {others.map((alt) => (
            <button key={alt.entryId} type="button" class="chip" data-testid="suggestion-alternative" title={`${alt.entryId} · ${Math.round(alt.score * 100)}%`} onClick={() => void insertQuestion(alt.question)}>
              {alt.question || alt.entryId}
            </button>
          ))}
        </div>
      )}
      {answer && !main && others.length === 0 && <div class="muted small">{t('chat.noSuggestion')}</div>}
    </div>
  );
}

/** The summary in the console's language, from its fields (the platform's own line is in the customer's). */
function summaryLine(ctx: ConversationContext, t: Translate): string {
  const s = ctx.summary;
  return [
    t('summary.counts', { customer: s.customerMessages, bot: s.botReplies }),
    s.topic ? t('summary.topic', { topic: s.topic }) : undefined,
    s.intent ? t('summary.intent', { intent: s.intent }) : undefined,
    s.handoffReason ? t('summary.reason', { reason: labelOf(t, 'reason', s.handoffReason) }) : undefined,
    s.mood ? t('summary.mood', { mood: `${labelOf(t, 'emotion', s.mood)}${s.moodTrend ? ` (${labelOf(t, 'trend', s.moodTrend)})` : ''}` }) : undefined,
    s.previousConversations ? t('summary.previous', { n: s.previousConversations }) : t('customer.firstContact'),
  ]
    .filter(Boolean)
    .join(t('summary.separator'));
}

const CANNED = ['canned.greeting', 'canned.wait', 'canned.order', 'canned.sorry', 'canned.more', 'canned.thanks'] as const;

/** The note box: any agent may write one, whoever holds the conversation and whatever its status. */
function NoteComposer({ id, chat, actions }: { id: string; chat: ChatState; actions: WorkspaceActions }) {
  const { t } = useI18n();
  const draft = chat.noteDraft ?? '';
  const busy = !!chat.noteSending;
  const add = () => {
    if (busy || !draft.trim()) return;
    void actions.addNote(id, draft);
  };
  return (
    <div class="composer-row note-composer">
      <textarea
        data-testid="note-input"
        rows={3}
        maxLength={5000}
        placeholder={t('notes.placeholder')}
        value={draft}
        onInput={(e) => actions.setNoteDraft(id, e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
            e.preventDefault();
            add();
          }
        }}
      />
      <button type="button" class="button button-note" data-testid="note-send" disabled={busy || !draft.trim()} onClick={add}>
        {t('notes.add')}
      </button>
    </div>
  );
}

function ComposeTabs({ id, chat, actions }: { id: string; chat: ChatState; actions: WorkspaceActions }) {
  const { t } = useI18n();
  const mode = chat.composeMode ?? 'reply';
  return (
    <div class="compose-tabs" role="tablist" data-testid="compose-mode" data-mode={mode}>
      {(['reply', 'note'] as const).map((m) => (
        <button key={m} type="button" role="tab" aria-selected={mode === m} class={`compose-tab compose-tab-${m} ${mode === m ? 'active' : ''}`} data-testid={`compose-mode-${m}`} onClick={() => actions.setComposeMode(id, m)}>
          {t(m === 'reply' ? 'notes.mode.reply' : 'notes.mode.note')}
        </button>
      ))}
      {mode === 'note' && <span class="muted small">{t('notes.hint')}</span>}
    </div>
  );
}

function Composer({ id, chat, enabled, actions }: { id: string; chat: ChatState; enabled: boolean; actions: WorkspaceActions }) {
  if ((chat.composeMode ?? 'reply') === 'note') {
    return (
      <div class="composer composer-note">
        <ComposeTabs id={id} chat={chat} actions={actions} />
        <NoteComposer id={id} chat={chat} actions={actions} />
      </div>
    );
  }
  return <ReplyComposer id={id} chat={chat} enabled={enabled} actions={actions} />;
}

function ReplyComposer({ id, chat, enabled, actions }: { id: string; chat: ChatState; enabled: boolean; actions: WorkspaceActions }) {
  const { t } = useI18n();
  const { session, me } = useApp();
  const input = useRef<HTMLTextAreaElement>(null);
  const [cannedOpen, setCannedOpen] = useState(false);
  // Quick replies speak the customer's language, whatever the console's.
  const customerT = translator(chat.ctx?.conversation.language === 'en' ? 'en' : 'zh-CN');
  const agentName = (me?.name ?? session.user.name).split(' ')[0] ?? '';

  const insert = (text: string) => {
    const draft = chat.draft.trim() ? `${chat.draft.replace(/\s+$/, '')} ${text}` : text;
    actions.setDraft(id, draft);
    setCannedOpen(false);
    requestAnimationFrame(() => {
      const el = input.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    });
  };
  const send = () => {
    if (!enabled || !chat.draft.trim()) return;
    void actions.send(id, chat.draft);
  };

  return (
    <div class="composer">
      <Suggestions message={enabled ? lastCustomerMessage(chat.ctx) : undefined} onInsert={insert} />
      <ComposeTabs id={id} chat={chat} actions={actions} />
      <div class="composer-tools">
        <div class="canned">
          <button type="button" class="button button-small" data-testid="canned-toggle" disabled={!enabled} aria-expanded={cannedOpen} onClick={() => setCannedOpen(!cannedOpen)}>
            ⚡ {t('chat.canned')}
          </button>
          {cannedOpen && (
            <ul class="canned-menu" data-testid="canned-menu">
              {CANNED.map((key) => {
                const text = customerT(key, { name: agentName });
                return (
                  <li key={key}>
                    <button type="button" data-testid="canned-reply" onClick={() => insert(text)}>
                      {text}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      </div>
      <div class="composer-row">
        <textarea
          ref={input}
          data-testid="reply-input"
          rows={3}
          placeholder={t('chat.replyPlaceholder')}
          disabled={!enabled}
          value={chat.draft}
          onInput={(e) => actions.setDraft(id, e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is not a send.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="button" class="button button-primary" data-testid="reply-send" disabled={!enabled || !chat.draft.trim()} onClick={send}>
          {t('chat.send')}
        </button>
      </div>
    </div>
  );
}

export function ChatPanel({ id, chat, queueItem, actions }: { id: string | undefined; chat: ChatState | undefined; queueItem: QueueItem | undefined; actions: WorkspaceActions }) {
  const { t, lang } = useI18n();
  const { session } = useApp();
  const myId = session.user.id;
  const list = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [confirming, setConfirming] = useState(false);
  const ctx = chat?.ctx;
  const count = (ctx?.transcript.length ?? 0) + (chat?.pending.length ?? 0);

  // Follow new messages while the agent is at the bottom; keep the place while reading back.
  useLayoutEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [count, id]);
  useEffect(() => {
    stick.current = true;
    setConfirming(false);
  }, [id]);

  if (!id || !chat) {
    return (
      <section class="chat-panel chat-empty" data-testid="chat-panel">
        <Empty>
          {t('chat.empty')}
        </Empty>
      </section>
    );
  }
  if (!ctx) {
    return (
      <section class="chat-panel chat-empty" data-testid="chat-panel">
        <Empty>{chat.error ? <span class="error-text">{chat.error}</span> : t('chat.loading')}</Empty>
      </section>
    );
  }

  const c = ctx.conversation;
  const mine = c.status === 'agent' && c.assignedAgentId === myId;
  const offeredToMe = c.status === 'queued' && (c.offeredAgentId === myId || queueItem?.offeredAgentId === myId);
  const summary = ctx.summary;
  return (
    <section class="chat-panel" data-testid="chat-panel" data-conversation-id={c.id} data-status={c.status}>
      <header class="chat-head">
        <div class="chat-title">
          <h2>
            {ctx.customer?.name ?? t('customer.anonymous')} <span class="muted small mono">#{shortId(c.id)}</span>
          </h2>
          <div class="chat-sub">
            <span class={`status status-${c.status}`} data-testid="chat-status">
              {t(`status.${c.status}`)}
            </span>
            <span class="muted small">
              {c.channel} · {c.groupId ?? 'default'}
              {c.priority !== undefined ? ` · P${c.priority}` : ''} · {dateTime(c.createdAt, lang)}
            </span>
          </div>
        </div>
        <div class="chat-actions">
          <button type="button" class="button" data-testid="transfer-open" disabled={!mine} onClick={() => actions.openTransfer(c.id)}>
            ⇄ {t('chat.transfer')}
          </button>
          <button type="button" class="button" data-testid="ticket-open" onClick={() => actions.openTicket(c.id)}>
            + {t('chat.ticket')}
          </button>
          {confirming ? (
            <span class="confirm" data-testid="resolve-confirm">
              <span class="small">{t('chat.resolveConfirm')}</span>
              <button
                type="button"
                class="button button-success button-small"
                data-testid="resolve-yes"
                onClick={() => {
                  setConfirming(false);
                  void actions.resolve(c.id);
                }}
              >
                {t('chat.resolve')}
              </button>
              <button type="button" class="button button-small" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </button>
            </span>
          ) : (
            <button type="button" class="button button-success" data-testid="resolve" disabled={!mine} onClick={() => setConfirming(true)}>
              ✓ {t('chat.resolve')}
            </button>
          )}
        </div>
      </header>
      <div class="summary" data-testid="summary" title={summary.text}>
        <span class="summary-label">{t('chat.summary')}</span>
        <span class="summary-text">{summaryLine(ctx, t)}</span>
        <span class="summary-tags">
          <MoodTag emotion={summary.mood} trend={summary.moodTrend} />
        </span>
      </div>
      {chat.createdTicket && (
        <div class="notice notice-success" data-testid="ticket-created" data-ticket-id={chat.createdTicket.id}>
          {chat.createdTicket.dueAt ? t('chat.ticketCreated', { id: chat.createdTicket.id, due: dateTime(chat.createdTicket.dueAt, lang) }) : t('chat.ticketCreatedNoDue', { id: chat.createdTicket.id })}{' '}
          <button type="button" class="link-button" onClick={() => actions.openTicketDetail(chat.createdTicket!.id)}>
            →
          </button>
        </div>
      )}
      {offeredToMe && (
        <div class="notice notice-offer" data-testid="chat-offer">
          <span>{t('chat.offeredToYou')}</span>
          <button type="button" class="button button-primary button-small" data-testid="chat-accept" onClick={() => void actions.accept(c.id)}>
            {t('queue.accept')}
          </button>
          <button type="button" class="button button-small" onClick={() => void actions.decline(c.id)}>
            {t('queue.decline')}
          </button>
        </div>
      )}
      {c.status === 'queued' && !offeredToMe && (
        <div class="notice">
          <span>{t('chat.preview')}</span>
          {!c.offeredAgentId && (
            <button type="button" class="button button-primary button-small" onClick={() => void actions.accept(c.id)}>
              {t('queue.pick')}
            </button>
          )}
        </div>
      )}
      {c.status === 'resolved' && <div class="notice">{t('chat.resolved')}</div>}
      {c.status === 'agent' && !mine && <div class="notice">{t('chat.notYours')}</div>}
      <div
        class="transcript"
        ref={list}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        <ul data-testid="transcript">
          {ctx.transcript.map((message) => (
            <MessageRow key={message.id} message={message} chat={chat} myId={myId} />
          ))}
          {chat.pending.map((pending) => (
            <PendingRow key={pending.clientMessageId} pending={pending} onRetry={() => void actions.send(c.id, pending.text, pending.clientMessageId)} onDiscard={() => actions.discard(c.id, pending.clientMessageId)} />
          ))}
        </ul>
      </div>
      <Composer id={c.id} chat={chat} enabled={mine} actions={actions} />
    </section>
  );
}
