/**
 * The right column: who the customer is (with the tags, notes and, for supervisors, the tier agents edit here), how
 * they feel, this chat's tickets, and their history.
 */
import { useEffect, useState } from 'preact/hooks';
import { dateTime, shortId, TREND_ARROW } from '../format.ts';
import { labelOf, useI18n } from '../i18n.ts';
import { CUSTOMER_TIERS, type Customer, type TicketSummary } from '../types.ts';
import { Empty, MoodTag, useApp } from '../ui.tsx';
import { currentMood, type ChatState } from './chat-state.ts';
import type { WorkspaceActions } from './workspace.tsx';

function TicketRow({ ticket, actions, testId }: { ticket: TicketSummary; actions: WorkspaceActions; testId: string }) {
  const { t, lang } = useI18n();
  return (
    <li class="history-item clickable" data-testid={testId} data-ticket-id={ticket.id} onClick={() => actions.openTicketDetail(ticket.id)}>
      <div class="history-top">
        <span class="mono small">{ticket.id}</span>
        <span class={`tag ticket-status-${ticket.status}`}>{labelOf(t, 'ticketStatus', ticket.status)}</span>
        <span class={`tag priority-tag-${ticket.priority}`}>{labelOf(t, 'ticketPriority', ticket.priority)}</span>
      </div>
      <div class="history-text">{ticket.subject}</div>
      {ticket.dueAt && ticket.status !== 'solved' && ticket.status !== 'closed' && (
        <div class="muted small">
          {t('ticket.due')} {dateTime(ticket.dueAt, lang)}
        </div>
      )}
    </li>
  );
}

const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 32;
const MAX_NOTES_LENGTH = 2000;

/** Tags (add / remove chips), the customer's notes and the tier; each save is one PATCH on the version on screen. */
function CustomerEditor({ conversationId, customer, actions }: { conversationId: string; customer: Customer; actions: WorkspaceActions }) {
  const { t, lang } = useI18n();
  const { session } = useApp();
  const [tag, setTag] = useState('');
  const [notes, setNotes] = useState(customer.notes ?? '');
  const [busy, setBusy] = useState(false);
  // A saved or reloaded customer replaces the draft.
  useEffect(() => setNotes(customer.notes ?? ''), [customer.id, customer.version, customer.notes]);
  const tags = customer.tags ?? [];
  const mayChangeTier = session.user.roles.some((r) => r === 'supervisor' || r === 'admin');

  const save = async (change: Parameters<WorkspaceActions['updateCustomer']>[1]) => {
    setBusy(true);
    try {
      return await actions.updateCustomer(conversationId, change);
    } finally {
      setBusy(false);
    }
  };
  const addTag = async () => {
    const value = tag.trim().replace(/\s+/g, ' ');
    if (!value) return;
    if (tags.some((x) => x.toLowerCase() === value.toLowerCase())) return setTag('');
    if (await save({ tags: [...tags, value] })) setTag('');
  };

  return (
    <div class="customer-edit" data-testid="customer-edit" data-version={customer.version ?? 0}>
      <div class="customer-edit-field">
        <span class="muted small">{t('customer.edit.tags')}</span>
        <ul class="tag-chips" data-testid="customer-tags">
          {tags.map((x) => (
            <li key={x} class="tag-chip" data-testid="customer-tag" data-tag={x}>
              <span>{x}</span>
              <button type="button" class="tag-chip-remove" data-testid="customer-tag-remove" aria-label={t('customer.edit.removeTag', { tag: x })} disabled={busy} onClick={() => void save({ tags: tags.filter((y) => y !== x) })}>
                ×
              </button>
            </li>
          ))}
        </ul>
        {tags.length < MAX_TAGS && (
          <div class="tag-add">
            <input
              type="text"
              data-testid="customer-tag-input"
              maxLength={MAX_TAG_LENGTH}
              placeholder={t('customer.edit.tagPlaceholder')}
              value={tag}
              disabled={busy}
              onInput={(e) => setTag(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.isComposing && e.keyCode !== 229) {
                  e.preventDefault();
                  void addTag();
                }
              }}
            />
            <button type="button" class="button button-small" data-testid="customer-tag-add" disabled={busy || !tag.trim()} onClick={() => void addTag()}>
              {t('customer.edit.addTag')}
            </button>
          </div>
        )}
      </div>
      <label class="customer-edit-field">
        <span class="muted small">{t('customer.edit.notes')}</span>
        <textarea data-testid="customer-notes" rows={3} maxLength={MAX_NOTES_LENGTH} placeholder={t('customer.edit.notesPlaceholder')} value={notes} disabled={busy} onInput={(e) => setNotes(e.currentTarget.value)} />
      </label>
      <div class="customer-edit-actions">
        <button type="button" class="button button-small" data-testid="customer-notes-save" disabled={busy || notes.trim() === (customer.notes ?? '')} onClick={() => void save({ notes })}>
          {t('customer.edit.save')}
        </button>
      </div>
      {mayChangeTier && (
        <label class="customer-edit-field">
          <span class="muted small">{t('customer.edit.tier')}</span>
          <select data-testid="customer-tier-select" value={customer.tier} disabled={busy} onChange={(e) => void save({ tier: e.currentTarget.value })}>
            {CUSTOMER_TIERS.map((tier) => (
              <option key={tier} value={tier}>
                {labelOf(t, 'customer.tier', tier)}
              </option>
            ))}
          </select>
        </label>
      )}
      {customer.updatedAt && (
        <div class="muted small" data-testid="customer-updated">
          {t('customer.edit.updated', { who: customer.updatedBy ?? '', time: dateTime(customer.updatedAt, lang) })}
        </div>
      )}
    </div>
  );
}

export function CustomerPanel({ chat, actions }: { chat: ChatState | undefined; actions: WorkspaceActions }) {
  const { t, lang } = useI18n();
  const ctx = chat?.ctx;
  if (!ctx) return <aside class="customer-panel" data-testid="customer-panel" />;
  const customer = ctx.customer;
  const trend = ctx.conversation.mood?.trend;
  const now = currentMood(chat);
  return (
    <aside class="customer-panel" data-testid="customer-panel">
      <section class="panel-section">
        <h3 class="section-title">{t('customer.title')}</h3>
        <div class="profile">
          <div class="avatar avatar-large" aria-hidden="true">
            {(customer?.name ?? '客').slice(0, 1)}
          </div>
          <div>
            <div class="strong">
              {customer?.name ?? t('customer.anonymous')}{' '}
              <span class={`tag ${customer?.tier === 'vip' ? 'tag-vip' : ''}`} data-testid="customer-tier">
                {labelOf(t, 'customer.tier', customer?.tier ?? 'standard')}
              </span>
            </div>
            <div class="muted small mono">{customer?.id ?? ctx.conversation.customerId}</div>
            {customer?.createdAt && <div class="muted small">{t('customer.since', { time: dateTime(customer.createdAt, lang) })}</div>}
          </div>
        </div>
        {customer && customer.identities.length > 0 && (
          <dl class="identities">
            <dt class="muted small">{t('customer.identities')}</dt>
            {customer.identities.map((identity) => (
              <dd key={`${identity.channel}:${identity.value}`}>
                <span class="tag">{identity.channel}</span> <span class="mono small">{identity.value}</span>
              </dd>
            ))}
          </dl>
        )}
        {customer && <CustomerEditor conversationId={ctx.conversation.id} customer={customer} actions={actions} />}
        {now && (
          <div class="mood-box" data-testid="customer-mood">
            <span class="muted small">{t('chat.moodNow')}</span>
            <MoodTag emotion={now.emotion} {...(now.intensity !== undefined ? { intensity: now.intensity } : {})} live={now.live} />
            {trend && (
              <span class="small muted">
                {TREND_ARROW[trend]} {labelOf(t, 'trend', trend)}
              </span>
            )}
          </div>
        )}
      </section>
      <section class="panel-section">
        <h3 class="section-title">
          {t('customer.thisTickets')} <span class="count">{ctx.tickets.length}</span>
        </h3>
        <ul class="history" data-testid="conversation-tickets">
          {ctx.tickets.length === 0 && <Empty>{t('customer.none')}</Empty>}
          {ctx.tickets.map((ticket) => (
            <TicketRow key={ticket.id} ticket={ticket} actions={actions} testId="conversation-ticket" />
          ))}
        </ul>
      </section>
      <section class="panel-section">
        <h3 class="section-title">
          {t('customer.previous')} <span class="count">{ctx.previousConversations.length}</span>
        </h3>
        <ul class="history" data-testid="previous-conversations">
          {ctx.previousConversations.length === 0 && <Empty>{t('customer.firstContact')}</Empty>}
          {ctx.previousConversations.map((prev) => (
            <li key={prev.id} class="history-item clickable" data-testid="previous-conversation" onClick={() => actions.select(prev.id)}>
              <div class="history-top">
                <span class="mono small">#{shortId(prev.id)}</span>
                <span class={`status status-${prev.status}`}>{labelOf(t, 'status', prev.status)}</span>
                <MoodTag emotion={prev.mood} compact />
              </div>
              <div class="muted small">
                {dateTime(prev.createdAt, lang)} · {prev.channel}
                {prev.handoffReason ? ` · ${labelOf(t, 'reason', prev.handoffReason)}` : ''}
                {prev.ticketId ? ` · ${prev.ticketId}` : ''}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section class="panel-section">
        <h3 class="section-title">
          {t('customer.tickets')} <span class="count">{ctx.customerTickets.length}</span>
        </h3>
        <ul class="history" data-testid="customer-tickets">
          {ctx.customerTickets.length === 0 && <Empty>{t('customer.none')}</Empty>}
          {ctx.customerTickets.map((ticket) => (
            <TicketRow key={ticket.id} ticket={ticket} actions={actions} testId="customer-ticket" />
          ))}
        </ul>
      </section>
    </aside>
  );
}
