/** The left column: offers made to this agent (highlighted, accept / decline), the chats held, and the queue. */
import { duration } from '../format.ts';
import { labelOf, useI18n } from '../i18n.ts';
import type { QueueItem } from '../types.ts';
import { Empty, MoodTag, useApp, useNow } from '../ui.tsx';
import { lastCustomerMessage, type ChatState } from './chat-state.ts';
import type { WorkspaceActions } from './workspace.tsx';

/** The server's count plus the time since it was read (not the browser's clock against queuedAt: clocks differ). */
function waitedSeconds(item: QueueItem, loadedAt: number, now: number): number {
  return item.waitingSeconds + Math.max(0, now - loadedAt) / 1000;
}

function QueueCard({ item, offer, selected, actions, loadedAt, now }: { item: QueueItem; offer: boolean; selected: boolean; actions: WorkspaceActions; loadedAt: number; now: number }) {
  const { t } = useI18n();
  const waited = waitedSeconds(item, loadedAt, now);
  return (
    <li
      class={`queue-card ${offer ? 'offer' : ''} ${selected ? 'selected' : ''} priority-${item.priority >= 8 ? 'high' : item.priority >= 6 ? 'mid' : 'low'}`}
      data-testid={offer ? 'offer' : 'queue-item'}
      data-conversation-id={item.conversationId}
      onClick={() => actions.select(item.conversationId)}
    >
      <div class="queue-card-top">
        <span class="prio" title={t('queue.priority', { priority: item.priority })}>
          P{item.priority}
        </span>
        <MoodTag emotion={item.mood} trend={item.moodTrend} compact />
        <span class="queue-reason">{labelOf(t, 'reason', item.reason)}</span>
        <span class={`wait ${waited >= 300 ? 'text-bad' : waited >= 120 ? 'text-warn' : ''}`} title={t('queue.waited', { time: duration(waited) })}>
          {duration(waited)}
        </span>
      </div>
      <div class="queue-preview">{item.preview ?? '—'}</div>
      <div class="queue-card-bottom">
        <span class="muted small">
          {t('queue.position', { position: item.position })} · {item.groupId} · {item.channel}
        </span>
        {!offer && item.offeredAgentId && <span class="muted small">{t('queue.offeredToOther', { agent: item.offeredAgentId })}</span>}
      </div>
      {offer ? (
        <div class="queue-actions">
          <button
            type="button"
            class="button button-primary button-small"
            data-testid="offer-accept"
            onClick={(e) => {
              e.stopPropagation();
              void actions.accept(item.conversationId);
            }}
          >
            {t('queue.accept')}
          </button>
          <button
            type="button"
            class="button button-small"
            data-testid="offer-decline"
            onClick={(e) => {
              e.stopPropagation();
              void actions.decline(item.conversationId);
            }}
          >
            {t('queue.decline')}
          </button>
        </div>
      ) : (
        !item.offeredAgentId && (
          <div class="queue-actions">
            <button
              type="button"
              class="button button-small"
              data-testid="queue-pick"
              onClick={(e) => {
                e.stopPropagation();
                void actions.accept(item.conversationId);
              }}
            >
              {t('queue.pick')}
            </button>
          </div>
        )
      )}
    </li>
  );
}

export function QueuePanel({ offers, waiting, mine, chats, selected, actions, loadedAt }: { offers: readonly QueueItem[]; waiting: readonly QueueItem[]; mine: readonly string[]; chats: Readonly<Record<string, ChatState>>; selected: string | undefined; actions: WorkspaceActions; loadedAt: number }) {
  const { t } = useI18n();
  const { me } = useApp();
  const now = useNow(1000);
  return (
    <aside class="queue-panel" data-testid="queue-panel">
      {me && me.presence !== 'online' && <div class="notice notice-warn small">{t('queue.offlineHint')}</div>}
      {offers.length > 0 && (
        <section class="panel-section">
          <h3 class="section-title">
            {t('queue.offers')} <span class="count count-hot">{offers.length}</span>
          </h3>
          <ul class="queue-list" data-testid="offers">
            {offers.map((item) => (
              <QueueCard key={item.conversationId} item={item} offer selected={selected === item.conversationId} actions={actions} loadedAt={loadedAt} now={now} />
            ))}
          </ul>
        </section>
      )}
      <section class="panel-section">
        <h3 class="section-title">
          {t('queue.mine')} <span class="count">{mine.length}</span>
          {me && (
            <span class="muted small section-aside">
              {t('header.load', { load: mine.length, capacity: me.capacity })}
            </span>
          )}
        </h3>
        <ul class="chat-list" data-testid="my-chats">
          {mine.length === 0 && <Empty>{t('queue.noChats')}</Empty>}
          {mine.map((id) => {
            const chat = chats[id];
            const ctx = chat?.ctx;
            const last = ctx?.transcript[ctx.transcript.length - 1];
            const customerLast = lastCustomerMessage(ctx);
            const mood = (customerLast && (customerLast.sentiment ?? chat?.scores[customerLast.id])?.emotion) ?? ctx?.conversation.lastMood ?? null;
            return (
              <li key={id} class={`chat-item ${selected === id ? 'selected' : ''}`} data-testid="my-chat" data-conversation-id={id} onClick={() => actions.select(id)}>
                <div class="chat-item-top">
                  <span class="strong">{ctx?.customer?.name ?? t('customer.anonymous')}</span>
                  {ctx?.customer?.tier === 'vip' && <span class="tag tag-vip">VIP</span>}
                  <MoodTag emotion={mood} compact />
                  {chat && chat.unread > 0 && (
                    <span class="count count-hot" data-testid="unread" title={t('queue.unread', { count: chat.unread })}>
                      {chat.unread}
                    </span>
                  )}
                </div>
                <div class="chat-item-preview muted small">{last ? `${last.role === 'agent' ? `${t('role.you')}: ` : ''}${last.text}` : id}</div>
              </li>
            );
          })}
        </ul>
      </section>
      <section class="panel-section">
        <h3 class="section-title">
          {t('queue.waiting')} <span class="count">{waiting.length}</span>
        </h3>
        <ul class="queue-list" data-testid="queue">
          {waiting.length === 0 && <Empty>{t('queue.empty')}</Empty>}
          {waiting.map((item) => (
            <QueueCard key={item.conversationId} item={item} offer={false} selected={selected === item.conversationId} actions={actions} loadedAt={loadedAt} now={now} />
          ))}
        </ul>
      </section>
    </aside>
  );
}
