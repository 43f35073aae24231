/** The right column: who the customer is, how they feel, this chat's tickets, and their history. */
import { dateTime, shortId, TREND_ARROW } from '../format.ts';
import { labelOf, useI18n } from '../i18n.ts';
import type { TicketSummary } from '../types.ts';
import { Empty, MoodTag } from '../ui.tsx';
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
