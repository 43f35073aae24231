/** Dialogs: transfer a conversation, create a ticket from it, and one ticket's detail (SLA, replies, notes). */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorMessage, randomId } from '../api.ts';
import { hasRole } from '../auth.ts';
import { dateTime } from '../format.ts';
import { labelOf, useI18n } from '../i18n.ts';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES, type FloorView, type Ticket, type TicketDetail, type TicketPriority, type TicketStatus, type TicketType } from '../types.ts';
import { Modal, PresenceDot, useApp } from '../ui.tsx';
import type { ChatState } from './chat-state.ts';

export type TransferTarget = { agentId: string } | { groupId: string };

/** `exclude`: the agent the conversation is with now (default: the signed-in agent, transferring their own chat). */
export function TransferDialog({ conversationId, groups, onClose, onTransfer, exclude }: { conversationId: string; groups: readonly string[]; onClose(): void; onTransfer(to: TransferTarget, note: string): Promise<void>; exclude?: string }) {
  const { t } = useI18n();
  const { api, session } = useApp();
  const [kind, setKind] = useState<'agent' | 'group'>('agent');
  const [agentId, setAgentId] = useState('');
  const [groupId, setGroupId] = useState(groups[0] ?? 'default');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // Supervisors see the floor, so they pick from the agents with a free seat; agents type the colleague's id.
  const [floor, setFloor] = useState<FloorView>();
  useEffect(() => {
    if (!hasRole(session.user, 'supervisor', 'admin')) return;
    api.get<FloorView>('/v1/supervisor/floor').then(setFloor, () => undefined);
  }, [api, session.user]);
  const candidates = (floor?.agents ?? []).filter((a) => a.id !== (exclude ?? session.user.id) && a.capacity > 0).sort((a, b) => Number(b.presence === 'online') - Number(a.presence === 'online') || b.capacity - b.load - (a.capacity - a.load));
  const groupOptions = floor ? floor.queues.map((q) => ({ id: q.groupId, name: q.name })) : groups.map((id) => ({ id, name: id }));

  const submit = async (e: Event) => {
    e.preventDefault();
    const to: TransferTarget = kind === 'agent' ? { agentId: agentId.trim() } : { groupId: groupId.trim() };
    if (kind === 'agent' ? !agentId.trim() : !groupId.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      await onTransfer(to, note);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal title={t('transfer.title')} onClose={onClose} testId="transfer-dialog">
      <form class="form" onSubmit={submit} data-conversation-id={conversationId}>
        <div class="segmented" role="radiogroup">
          <button type="button" class={kind === 'agent' ? 'active' : ''} aria-pressed={kind === 'agent'} data-testid="transfer-kind-agent" onClick={() => setKind('agent')}>
            {t('transfer.toAgent')}
          </button>
          <button type="button" class={kind === 'group' ? 'active' : ''} aria-pressed={kind === 'group'} data-testid="transfer-kind-group" onClick={() => setKind('group')}>
            {t('transfer.toGroup')}
          </button>
        </div>
        {kind === 'agent' ? (
          candidates.length ? (
            <div class="field">
              <span>{t('transfer.agent')}</span>
              <ul class="pick-list" role="listbox">
                {candidates.map((a) => (
                  <li key={a.id} role="option" aria-selected={agentId === a.id} class={agentId === a.id ? 'selected' : ''} onClick={() => setAgentId(a.id)}>
                    <PresenceDot presence={a.presence} /> <span class="strong">{a.name}</span> <span class="muted small">{a.id}</span>
                    <span class="pick-aside small">{t('transfer.free', { free: Math.max(0, a.capacity - a.load) })}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <label class="field">
              <span>{t('transfer.agent')}</span>
              <input data-testid="transfer-agent" value={agentId} placeholder={t('transfer.agentPlaceholder')} onInput={(e) => setAgentId(e.currentTarget.value)} />
            </label>
          )
        ) : (
          <label class="field">
            <span>{t('transfer.group')}</span>
            {/* A group id from the list, or typed: agents cannot list every group (the directory is for supervisors). */}
            <input data-testid="transfer-group" list="transfer-groups" value={groupId} onInput={(e) => setGroupId(e.currentTarget.value)} />
            <datalist id="transfer-groups">
              {groupOptions.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </datalist>
          </label>
        )}
        <label class="field">
          <span>{t('transfer.note')}</span>
          <textarea rows={2} value={note} maxLength={2000} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <DialogFooter error={error} onClose={onClose} submitTestId="transfer-submit" submitLabel={t('transfer.submit')} disabled={busy || !(kind === 'agent' ? agentId : groupId).trim()} />
      </form>
    </Modal>
  );
}

export interface TicketDraft {
  readonly subject?: string;
  readonly type: TicketType;
  readonly priority: TicketPriority;
  readonly idempotencyKey: string;
}

const PRIORITY_FROM_SCORE = (score: number | undefined): TicketPriority => (score === undefined ? 'normal' : score >= 9 ? 'urgent' : score >= 7 ? 'high' : score >= 4 ? 'normal' : 'low');

export function TicketDialog({ chat, onClose, onCreate }: { chat: ChatState; onClose(): void; onCreate(draft: TicketDraft): Promise<Ticket> }) {
  const { t } = useI18n();
  const ctx = chat.ctx;
  const [subject, setSubject] = useState(() => (ctx?.summary.topic ?? '').slice(0, 200));
  const [type, setType] = useState<TicketType>(ctx?.summary.handoffReason === 'negative_emotion' ? 'complaint' : 'inquiry');
  const [priority, setPriority] = useState<TicketPriority>(PRIORITY_FROM_SCORE(ctx?.conversation.priority));
  // One key per dialog: a double click or a retry after a lost answer creates one ticket.
  const [idempotencyKey] = useState(() => randomId('tk'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onCreate({ ...(subject.trim() ? { subject: subject.trim() } : {}), type, priority, idempotencyKey });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal title={t('ticket.title')} onClose={onClose} testId="ticket-dialog">
      <form class="form" onSubmit={submit}>
        <label class="field">
          <span>{t('ticket.subject')}</span>
          <input data-testid="ticket-subject" value={subject} maxLength={200} onInput={(e) => setSubject(e.currentTarget.value)} />
        </label>
        <div class="field-row">
          <label class="field">
            <span>{t('ticket.type')}</span>
            <select data-testid="ticket-type" value={type} onChange={(e) => setType(e.currentTarget.value as TicketType)}>
              {TICKET_TYPES.map((value) => (
                <option key={value} value={value}>
                  {labelOf(t, 'ticketType', value)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{t('ticket.priority')}</span>
            <select data-testid="ticket-priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value as TicketPriority)}>
              {TICKET_PRIORITIES.map((value) => (
                <option key={value} value={value}>
                  {labelOf(t, 'ticketPriority', value)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <DialogFooter error={error} onClose={onClose} submitTestId="ticket-submit" submitLabel={t('ticket.submit')} disabled={busy} />
      </form>
    </Modal>
  );
}

/** One ticket: status and priority (changed with the version read), SLA clocks, replies and internal notes. */
export function TicketDrawer({ ticketId, onClose }: { ticketId: string; onClose(): void }) {
  const { t, lang } = useI18n();
  const { api, toast } = useApp();
  const [detail, setDetail] = useState<TicketDetail>();
  const [error, setError] = useState<string>();
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'internal'>('internal');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.get<TicketDetail>(`/v1/tickets/${encodeURIComponent(ticketId)}`).then(setDetail, (err: unknown) => setError(errorMessage(err)));
  }, [api, ticketId]);
  useEffect(load, [load]);

  const update = async (fields: { status?: TicketStatus; priority?: TicketPriority }) => {
    if (!detail) return;
    setBusy(true);
    try {
      await api.patch(`/v1/tickets/${encodeURIComponent(ticketId)}`, { version: detail.ticket.version, ...fields });
      toast('success', t('ticket.updated'));
    } catch (err) {
      toast('error', errorMessage(err));
    } finally {
      setBusy(false);
      load();
    }
  };
  const comment = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    try {
      await api.post(`/v1/tickets/${encodeURIComponent(ticketId)}/comments`, { visibility, text: text.trim() });
      setText('');
      toast('success', t('ticket.commented'));
    } catch (err) {
      toast('error', errorMessage(err));
    } finally {
      setBusy(false);
      load();
    }
  };

  const ticket = detail?.ticket;
  return (
    <Modal title={ticket ? `${ticket.id} · ${ticket.subject}` : ticketId} onClose={onClose} testId="ticket-detail">
      {error && <p class="error-text">{error}</p>}
      {!detail && !error && <p class="muted">{t('common.loading')}</p>}
      {ticket && detail && (
        <div class="ticket-detail">
          <div class="field-row">
            <label class="field">
              <span>{t('ticket.status')}</span>
              <select value={ticket.status} disabled={busy} data-testid="ticket-status" onChange={(e) => void update({ status: e.currentTarget.value as TicketStatus })}>
                {TICKET_STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {labelOf(t, 'ticketStatus', value)}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>{t('ticket.priority')}</span>
              <select value={ticket.priority} disabled={busy} onChange={(e) => void update({ priority: e.currentTarget.value as TicketPriority })}>
                {TICKET_PRIORITIES.map((value) => (
                  <option key={value} value={value}>
                    {labelOf(t, 'ticketPriority', value)}
                  </option>
                ))}
              </select>
            </label>
            <div class="field">
              <span>{t('ticket.type')}</span>
              <span class="static">{labelOf(t, 'ticketType', ticket.type)}</span>
            </div>
          </div>
          <p class="muted small">
            {t('ticket.created', { time: dateTime(ticket.createdAt, lang) })}
            {ticket.dueAt ? ` · ${t('ticket.due')} ${dateTime(ticket.dueAt, lang)}` : ''}
          </p>
          {detail.sla && detail.sla.clocks.length > 0 && (
            <div class="sla">
              <h4>{t('ticket.sla')}</h4>
              <ul class="sla-clocks">
                {detail.sla.clocks.map((clock) => (
                  <li key={clock.metric} class={`sla-clock ${clock.breached || clock.state === 'missed' ? 'bad' : clock.warning ? 'warn' : clock.state === 'hit' ? 'good' : ''}`}>
                    <span class="strong">{labelOf(t, 'sla', clock.metric)}</span>
                    <span class="small">{labelOf(t, 'slaState', clock.state)}</span>
                    {clock.dueAt && <span class="small muted">{dateTime(clock.dueAt, lang)}</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <h4>{t('ticket.comments')}</h4>
          <ul class="comments">
            {detail.comments.length === 0 && <li class="muted small">{t('ticket.noComments')}</li>}
            {detail.comments.map((c) => (
              <li key={c.id} class={`comment comment-${c.visibility}`}>
                <div class="muted small">
                  {c.author} · {dateTime(c.createdAt, lang)} · {c.visibility === 'public' ? t('ticket.public') : t('ticket.internal')}
                </div>
                <div class="comment-text">{c.text}</div>
              </li>
            ))}
          </ul>
          <form class="form" onSubmit={comment}>
            <div class="segmented segmented-small">
              <button type="button" class={visibility === 'internal' ? 'active' : ''} onClick={() => setVisibility('internal')}>
                {t('ticket.internal')}
              </button>
              <button type="button" class={visibility === 'public' ? 'active' : ''} onClick={() => setVisibility('public')}>
                {t('ticket.public')}
              </button>
            </div>
            <textarea rows={3} value={text} placeholder={t('ticket.commentPlaceholder')} onInput={(e) => setText(e.currentTarget.value)} />
            <div class="form-actions">
              <button type="button" class="button" onClick={onClose}>
                {t('ticket.close')}
              </button>
              <button type="submit" class="button button-primary" disabled={busy || !text.trim()}>
                {t('ticket.addComment')}
              </button>
            </div>
          </form>
        </div>
      )}
    </Modal>
  );
}

/** The error line and the cancel / submit buttons every dialog form ends with. */
function DialogFooter(props: { error: string | undefined; onClose: () => void; submitTestId: string; submitLabel: string; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {props.error && (
        <p class="error-text" role="alert" data-testid="dialog-error">
          {props.error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="button" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="button button-primary" data-testid={props.submitTestId} disabled={props.disabled}>
          {props.submitLabel}
        </button>
      </div>
    </>
  );
}
