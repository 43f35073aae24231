/**
 * The supervisor's floor: every group's queue (waiting, on offer, longest wait) and every agent (presence, load against
 * capacity), refetched when the floor's WebSocket tells of a change, and every 10 s in case an event was missed.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from './api.ts';
import { ago, clockTime, duration } from './format.ts';
import { labelOf, useI18n, type Translate } from './i18n.ts';
import type { FloorConversation, FloorEvent, FloorView } from './types.ts';
import { Empty, MoodTag, PresenceDot, useApp, useNow } from './ui.tsx';
import { TransferDialog, type TransferTarget } from './workspace/dialogs.tsx';

const POLL_MS = 10_000;
const MAX_EVENTS = 30;

interface LoggedEvent {
  readonly id: number;
  readonly at: string;
  readonly event: FloorEvent;
}

function describe(event: FloorEvent, t: Translate, name: (id: string | undefined) => string, group: (id: string | undefined) => string): string {
  const conversation = 'conversationId' in event ? event.conversationId.slice(-6) : '';
  switch (event.type) {
    case 'offer':
      return t('event.offer', { conversation, agent: name(event.agentId) });
    case 'offer.withdrawn':
      return t('event.offer.withdrawn', { agent: name(event.agentId) });
    case 'queue.changed':
      return event.change === 'added'
        ? t('event.queue.changed.added', { group: group(event.groupId) })
        : event.change === 'moved'
          ? t('event.queue.changed.moved', { conversation, group: group(event.groupId) })
          : t('event.queue.changed.removed', { conversation });
    case 'presence':
      return t('event.presence', { agent: name(event.agentId), presence: t(`presence.${event.presence}`) });
    case 'transferred':
      return t('event.transferred', { conversation, from: name(event.from), to: name(event.to) });
    case 'agent.load':
      return t('event.agent.load', { agent: name(event.agentId) });
    case 'sla.warning':
    case 'sla.breach':
      return t(event.type === 'sla.warning' ? 'event.sla.warning' : 'event.sla.breach', { ticket: event.ticketId });
    default:
      return (event as { type: string }).type;
  }
}

let eventCounter = 0;

export function Supervisor() {
  const { t, lang } = useI18n();
  const { api, floor, toast } = useApp();
  const [view, setView] = useState<FloorView>();
  const [updatedAt, setUpdatedAt] = useState<string>();
  const [error, setError] = useState<string>();
  const [events, setEvents] = useState<LoggedEvent[]>([]);
  const [reassigning, setReassigning] = useState<FloorConversation>();
  const now = useNow(1000);

  const inFlight = useRef(false);
  const again = useRef(false);
  const refresh = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      do {
        again.current = false;
        const next = await api.get<FloorView>('/v1/supervisor/floor');
        setView(next);
        setUpdatedAt(new Date().toISOString());
        setError(undefined);
      } while (again.current);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      inFlight.current = false;
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void refresh(), 250);
    };
    const off = floor.subscribe((event) => {
      setEvents((list) => [{ id: ++eventCounter, at: new Date().toISOString(), event }, ...list].slice(0, MAX_EVENTS));
      if (event.type === 'sla.breach') toast('error', describe(event, t, (id) => id ?? '', (id) => id ?? ''));
      soon();
    });
    const offReconnect = floor.onReconnect(soon);
    return () => {
      clearInterval(timer);
      clearTimeout(debounce);
      off();
      offReconnect();
    };
  }, [floor, refresh, toast, t]);

  const agentName = (id: string | undefined) => (id ? (view?.agents.find((a) => a.id === id)?.name ?? id) : '');
  const groupName = (id: string | undefined) => (id ? (view?.queues.find((q) => q.groupId === id)?.name ?? id) : '');
  // Waits tick between fetches.
  const sinceFetch = updatedAt ? Math.max(0, (now - Date.parse(updatedAt)) / 1000) : 0;
  const totals = view
    ? {
        waiting: view.queues.reduce((n, q) => n + q.waiting, 0),
        online: view.agents.filter((a) => a.presence === 'online').length,
        load: view.agents.reduce((n, a) => n + a.load, 0),
        capacity: view.agents.filter((a) => a.presence === 'online').reduce((n, a) => n + a.capacity, 0),
        longest: Math.max(0, ...view.queues.map((q) => (q.waiting ? q.longestWaitSeconds + sinceFetch : 0))),
      }
    : undefined;

  // A supervisor moves a chat from the agent serving it to another agent or back to a group's queue.
  const reassign = async (conversation: FloorConversation, to: TransferTarget, note: string) => {
    await api.post(`/v1/agent/conversations/${encodeURIComponent(conversation.id)}/transfer`, { to, ...(note.trim() ? { note: note.trim() } : {}) });
    setReassigning(undefined);
    toast('success', t('supervisor.reassigned', { conversation: conversation.id.slice(-6) }));
    void refresh();
  };
  const state = (c: FloorConversation) =>
    c.status === 'agent' ? t('supervisor.state.agent', { agent: agentName(c.assignedAgentId) }) : c.offeredAgentId ? t('supervisor.state.offered', { agent: agentName(c.offeredAgentId) }) : t('supervisor.state.queued');
  const since = (c: FloorConversation) => {
    const from = c.status === 'agent' ? c.acceptedAt : c.queuedAt;
    return from ? duration(Math.max(0, (now - Date.parse(from)) / 1000)) : '—';
  };

  return (
    <div class="supervisor" data-testid="supervisor">
      <div class="page-head">
        <h1>{t('supervisor.title')}</h1>
        {updatedAt && (
          <span class="muted" data-testid="floor-updated">
            {t('supervisor.updated', { time: clockTime(updatedAt, lang) })}
          </span>
        )}
      </div>
      {error && <p class="error-text">{error}</p>}
      {totals && (
        <div class="kpis">
          <div class="kpi">
            <span class="kpi-label">{t('supervisor.totalWaiting')}</span>
            <span class="kpi-value" data-testid="kpi-waiting">
              {totals.waiting}
            </span>
          </div>
          <div class="kpi">
            <span class="kpi-label">{t('supervisor.onlineAgents')}</span>
            <span class="kpi-value" data-testid="kpi-online">
              {totals.online}
            </span>
          </div>
          <div class="kpi">
            <span class="kpi-label">{t('supervisor.seats')}</span>
            <span class="kpi-value">
              {totals.load}/{totals.capacity}
            </span>
          </div>
          <div class={`kpi ${totals.longest >= 300 ? 'kpi-bad' : totals.longest >= 120 ? 'kpi-warn' : ''}`}>
            <span class="kpi-label">{t('supervisor.longestAll')}</span>
            <span class="kpi-value">{duration(totals.longest)}</span>
          </div>
          {view?.sla && (
            <div class={`kpi ${view.sla.breached ? 'kpi-bad' : view.sla.atRisk ? 'kpi-warn' : ''}`} title={view.sla.tickets.map((x) => `${x.id} · ${x.subject}`).join('\n')}>
              <span class="kpi-label">{t('supervisor.slaRisk', { minutes: view.sla.atRiskMinutes })}</span>
              <span class="kpi-value" data-testid="kpi-sla">
                {view.sla.breached} / {view.sla.atRisk}
              </span>
            </div>
          )}
        </div>
      )}
      <div class="supervisor-grid">
        <section class="card">
          <h2>{t('supervisor.queues')}</h2>
          <table class="table" data-testid="floor-queues">
            <thead>
              <tr>
                <th>{t('supervisor.group')}</th>
                <th class="num">{t('supervisor.waiting')}</th>
                <th class="num">{t('supervisor.offered')}</th>
                <th class="num">{t('supervisor.longest')}</th>
              </tr>
            </thead>
            <tbody>
              {view?.queues.map((q) => {
                const longest = q.waiting ? q.longestWaitSeconds + sinceFetch : 0;
                return (
                  <tr key={q.groupId} data-testid="floor-queue" data-group={q.groupId} data-waiting={q.waiting}>
                    <td>
                      <span class="strong">{q.name}</span> {q.outsourced && <span class="tag">{t('supervisor.outsourced')}</span>}
                      <div class="muted small">{q.groupId}</div>
                    </td>
                    <td class="num strong">{q.waiting}</td>
                    <td class="num">{q.offered}</td>
                    <td class={`num ${longest >= 300 ? 'text-bad' : longest >= 120 ? 'text-warn' : ''}`}>{q.waiting ? duration(longest) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section class="card">
          <h2>{t('supervisor.events')}</h2>
          <ul class="event-feed" data-testid="floor-events">
            {events.length === 0 && <Empty>{t('supervisor.noEvents')}</Empty>}
            {events.map((e) => (
              <li key={e.id} class={e.event.type.startsWith('sla.') ? (e.event.type === 'sla.breach' ? 'text-bad' : 'text-warn') : ''}>
                <span class="muted small">{clockTime(e.at, lang)}</span> {describe(e.event, t, agentName, groupName)}
              </li>
            ))}
          </ul>
        </section>
        <section class="card card-wide">
          <h2>{t('supervisor.conversations')}</h2>
          <table class="table" data-testid="floor-conversations">
            <thead>
              <tr>
                <th>{t('supervisor.col.conversation')}</th>
                <th>{t('supervisor.col.state')}</th>
                <th>{t('supervisor.group')}</th>
                <th class="num">{t('supervisor.col.since')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {view?.conversations?.map((c) => (
                <tr key={c.id} data-testid="floor-conversation" data-conversation={c.id} data-status={c.status} data-agent={c.assignedAgentId ?? ''}>
                  <td>
                    <span class="strong mono">{c.id.slice(-6)}</span> <span class="tag">{c.channel}</span> {c.mood && <MoodTag emotion={c.mood.emotion} trend={c.mood.trend} compact />}
                    {c.handoffReason && <div class="muted small">{labelOf(t, 'reason', c.handoffReason)}</div>}
                  </td>
                  <td>{state(c)}</td>
                  <td class="small">{groupName(c.groupId)}</td>
                  <td class="num">{since(c)}</td>
                  <td class="num">
                    {c.status === 'agent' && (
                      <button type="button" class="button button-small" data-testid="reassign" onClick={() => setReassigning(c)}>
                        {t('supervisor.reassign')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!view?.conversations?.length && <Empty>{t('supervisor.noConversations')}</Empty>}
        </section>
        <section class="card card-wide">
          <h2>{t('supervisor.agents')}</h2>
          <table class="table" data-testid="floor-agents">
            <thead>
              <tr>
                <th>{t('supervisor.agent')}</th>
                <th>{t('supervisor.presence')}</th>
                <th>{t('supervisor.load')}</th>
                <th>{t('supervisor.groups')}</th>
                <th>{t('supervisor.skills')}</th>
                <th>{t('supervisor.lastActive')}</th>
              </tr>
            </thead>
            <tbody>
              {view?.agents.map((a) => {
                const share = a.capacity ? Math.min(1, a.load / a.capacity) : 0;
                return (
                  <tr key={a.id} data-testid="floor-agent" data-agent={a.id} data-presence={a.presence}>
                    <td>
                      <span class="strong">{a.name}</span>
                      <div class="muted small">{a.id}</div>
                    </td>
                    <td>
                      <span class={`presence-label presence-${a.presence}`}>
                        <PresenceDot presence={a.presence} /> {t(`presence.${a.presence}`)}
                      </span>
                    </td>
                    <td>
                      <div class="load">
                        <div class="load-bar">
                          <div class={`load-fill ${share >= 1 ? 'full' : share >= 0.75 ? 'high' : ''}`} style={{ width: `${share * 100}%` }} />
                        </div>
                        <span class="small">
                          {a.load}/{a.capacity}
                        </span>
                      </div>
                    </td>
                    <td class="small">{a.groups.map((g) => groupName(g)).join(', ') || '—'}</td>
                    <td>
                      {a.skills.map((s) => (
                        <span key={s} class="tag">
                          {s}
                        </span>
                      ))}
                    </td>
                    <td class="muted small">{a.lastActiveAt ? ago(a.lastActiveAt, t, now) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
      {reassigning && (
        <TransferDialog
          conversationId={reassigning.id}
          groups={view?.queues.map((q) => q.groupId) ?? []}
          exclude={reassigning.assignedAgentId}
          onClose={() => setReassigning(undefined)}
          onTransfer={(to, note) => reassign(reassigning, to, note)}
        />
      )}
    </div>
  );
}
