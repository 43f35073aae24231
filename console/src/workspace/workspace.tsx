/**
 * The agent workspace: the queue and offers on the left (live from the floor's WebSocket), the selected conversation
 * in the centre (live from its own WebSocket), the customer on the right. Every conversation the agent holds has its
 * socket open, so new customer messages count as unread while another chat is on screen.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage, randomId } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { LiveSocket, socketUrl } from '../live.ts';
import type { ConversationContext, ConversationEvent, ConversationNote, Customer, CustomerPatch, Message, QueueItem, Sentiment, Ticket } from '../types.ts';
import { useApp } from '../ui.tsx';
import { ChatPanel } from './chat-panel.tsx';
import { emptyChat, hasGap, loadMine, saveMine, withCustomer, withMessage, type ChatState } from './chat-state.ts';
import { CustomerPanel } from './customer-panel.tsx';
import { TicketDialog, TicketDrawer, TransferDialog, type TicketDraft, type TransferTarget } from './dialogs.tsx';
import { QueuePanel } from './queue-panel.tsx';

const QUEUE_POLL_MS = 20_000;

export interface WorkspaceActions {
  select(id: string): void;
  accept(id: string): Promise<void>;
  decline(id: string): Promise<void>;
  send(id: string, text: string, clientMessageId?: string): Promise<void>;
  discard(id: string, clientMessageId: string): void;
  setDraft(id: string, draft: string): void;
  resolve(id: string): Promise<void>;
  openTransfer(id: string): void;
  openTicket(id: string): void;
  openTicketDetail(ticketId: string): void;
  setComposeMode(id: string, mode: 'reply' | 'note'): void;
  setNoteDraft(id: string, draft: string): void;
  /** Leaves an internal note on the conversation (agents only); true when stored. */
  addNote(id: string, text: string): Promise<boolean>;
  /** Edits the conversation's customer, conditional on the version on screen; true when saved. */
  updateCustomer(id: string, patch: Omit<CustomerPatch, 'expectedVersion'>): Promise<boolean>;
}

export function Workspace() {
  const { api, session, me, floor, toast, config } = useApp();
  const { t } = useI18n();
  const myId = session.user.id;

  // ---- the queue and offers ---------------------------------------------------------------------------------
  const [queue, setQueue] = useState<readonly QueueItem[]>([]);
  const [queueLoadedAt, setQueueLoadedAt] = useState(Date.now());
  const queueBusy = useRef(false);
  const queueAgain = useRef(false);
  const refreshQueue = useCallback(async () => {
    if (queueBusy.current) {
      queueAgain.current = true;
      return;
    }
    queueBusy.current = true;
    try {
      do {
        queueAgain.current = false;
        const { items } = await api.get<{ items: QueueItem[] }>('/v1/agent/queue');
        setQueue(items);
        setQueueLoadedAt(Date.now());
      } while (queueAgain.current);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) toast('error', errorMessage(error));
    } finally {
      queueBusy.current = false;
    }
  }, [api, toast]);

  // ---- the conversations this agent holds -------------------------------------------------------------------
  const [mine, setMine] = useState<string[]>(() => loadMine(myId));
  useEffect(() => saveMine(myId, mine), [myId, mine]);
  const addMine = useCallback((id: string) => setMine((list) => (list.includes(id) ? list : [...list, id])), []);
  const dropMine = useCallback((id: string) => setMine((list) => list.filter((x) => x !== id)), []);

  const [chats, setChats] = useState<Readonly<Record<string, ChatState>>>({});
  const patch = useCallback((id: string, update: (chat: ChatState) => ChatState) => setChats((all) => ({ ...all, [id]: update(all[id] ?? emptyChat) })), []);
  const chatsRef = useRef(chats);
  chatsRef.current = chats;
  const [selected, setSelected] = useState<string>();
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  // Customer messages without a stored score (written while an agent holds the chat) are scored live, once each.
  const scoring = useRef(new Set<string>());
  const score = useCallback(
    (id: string, messages: readonly Message[]) => {
      for (const message of messages.slice(-20)) {
        if (message.role !== 'customer' || message.sentiment || scoring.current.has(message.id)) continue;
        scoring.current.add(message.id);
        api.post<Sentiment>('/v1/capabilities/sentiment', { text: message.text }).then(
          (sentiment) => patch(id, (chat) => ({ ...chat, scores: { ...chat.scores, [message.id]: sentiment } })),
          () => undefined,
        );
      }
    },
    [api, patch],
  );

  const loading = useRef(new Map<string, Promise<void>>());
  const load = useCallback(
    (id: string): Promise<void> => {
      const running = loading.current.get(id);
      if (running) return running;
      patch(id, (chat) => ({ ...chat, loading: true }));
      const promise = api
        .get<ConversationContext>(`/v1/agent/conversations/${encodeURIComponent(id)}`)
        .then((ctx) => {
          patch(id, (chat) => ({ ...chat, ctx, loading: false, error: undefined }) as ChatState);
          const c = ctx.conversation;
          if (c.status === 'agent' && c.assignedAgentId === myId) addMine(id);
          else dropMine(id);
          score(id, ctx.transcript);
        })
        .catch((error: unknown) => {
          patch(id, (chat) => ({ ...chat, loading: false, error: errorMessage(error) }));
          if (error instanceof ApiError && error.status === 404) dropMine(id);
        })
        .finally(() => loading.current.delete(id));
      loading.current.set(id, promise);
      return promise;
    },
    [api, patch, myId, addMine, dropMine, score],
  );

  // A status change may mean anything (resolved, transferred, taken): refetch, once for a burst.
  const reloadTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const reloadSoon = useCallback(
    (id: string, ms = 200) => {
      clearTimeout(reloadTimers.current.get(id));
      reloadTimers.current.set(
        id,
        setTimeout(() => {
          reloadTimers.current.delete(id);
          void load(id);
        }, ms),
      );
    },
    [load],
  );

  const onConversationEvent = useCallback(
    (id: string, event: ConversationEvent) => {
      if (event.type === 'message') {
        const message = event.message;
        const gap = hasGap(chatsRef.current[id] ?? emptyChat, message);
        patch(id, (chat) => {
          const next = withMessage(chat, message);
          const unread = next !== chat && message.role === 'customer' && selectedRef.current !== id ? chat.unread + 1 : chat.unread;
          return { ...next, unread };
        });
        if (gap) reloadSoon(id, 50);
        if (message.role === 'customer') score(id, [message]);
      } else if (event.type === 'status') {
        reloadSoon(id);
      } else if (event.type === 'message.delivery') {
        reloadSoon(id);
      }
    },
    [patch, reloadSoon, score],
  );
  const eventRef = useRef(onConversationEvent);
  eventRef.current = onConversationEvent;
  const loadRef = useRef(load);
  loadRef.current = load;

  // One socket per held conversation, and one for the conversation on screen.
  const watched = useMemo(() => [...new Set([...mine, ...(selected ? [selected] : [])])], [mine, selected]);
  const sockets = useRef(new Map<string, LiveSocket<ConversationEvent>>());
  const tokenRef = useRef(session.token);
  tokenRef.current = session.token;
  useEffect(() => {
    for (const [id, socket] of sockets.current) {
      if (!watched.includes(id)) {
        socket.stop();
        sockets.current.delete(id);
      }
    }
    for (const id of watched) {
      if (sockets.current.has(id)) continue;
      const socket = new LiveSocket<ConversationEvent>(() => socketUrl(config.webSocketUrl, tokenRef.current, id), {
        onEvent: (event) => eventRef.current(id, event),
        // Every open (the first too: messages may have come between the fetch and the subscription) refetches.
        onOpen: () => void loadRef.current(id),
      });
      sockets.current.set(id, socket.start());
    }
  }, [watched, config.webSocketUrl]);
  useEffect(
    () => () => {
      for (const socket of sockets.current.values()) socket.stop();
      sockets.current.clear();
      for (const timer of reloadTimers.current.values()) clearTimeout(timer);
    },
    [],
  );

  // The server's list of chats this agent serves (a new browser, another device, a transfer while away): joined
  // with the ones remembered here, which also keeps resolved chats on screen until the agent closes them.
  const syncMine = useCallback(async () => {
    try {
      const { conversations } = await api.get<{ conversations: readonly { id: string }[] }>('/v1/agent/conversations');
      for (const c of conversations) addMine(c.id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) toast('error', errorMessage(error));
    }
  }, [api, addMine, toast]);

  // ---- the floor --------------------------------------------------------------------------------------------
  useEffect(() => {
    void refreshQueue();
    void syncMine();
    const timer = setInterval(() => void refreshQueue(), QUEUE_POLL_MS);
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void refreshQueue(), 100);
    };
    const off = floor.subscribe((event) => {
      // A colleague's internal note (agents only: it comes on the floor, never on the conversation's own socket).
      if (event.type === 'note') {
        if (chatsRef.current[event.conversationId]?.ctx) patch(event.conversationId, (chat) => withMessage(chat, { ...event.note, internal: true }));
        return;
      }
      if (event.type === 'offer' && event.agentId === myId) toast('info', t('queue.newOffer'));
      if (event.type === 'offer.withdrawn' && event.agentId === myId) {
        toast('warning', t('queue.offerWithdrawn'));
        if (selectedRef.current === event.conversationId) reloadSoon(event.conversationId);
      }
      if (event.type === 'transferred' && event.to === myId) {
        addMine(event.conversationId);
        reloadSoon(event.conversationId);
      }
      if (event.type === 'transferred' && event.from === myId) reloadSoon(event.conversationId);
      // Accepted in another tab of this agent's.
      if (event.type === 'queue.changed' && event.change === 'removed' && event.agentId === myId) addMine(event.conversationId);
      if (event.type === 'queue.changed' && selectedRef.current === event.conversationId) reloadSoon(event.conversationId);
      if ((event.type === 'sla.warning' || event.type === 'sla.breach') && event.assigneeId === myId) {
        toast(event.type === 'sla.breach' ? 'error' : 'warning', t(event.type === 'sla.breach' ? 'event.sla.breach' : 'event.sla.warning', { ticket: event.ticketId }));
      }
      soon();
    });
    const offReconnect = floor.onReconnect(() => {
      soon();
      void syncMine();
      for (const id of sockets.current.keys()) reloadSoon(id);
    });
    return () => {
      clearInterval(timer);
      clearTimeout(debounce);
      off();
      offReconnect();
    };
  }, [floor, refreshQueue, syncMine, myId, toast, t, addMine, reloadSoon, patch]);

  const offers = queue.filter((item) => item.offeredAgentId === myId);
  const waiting = queue.filter((item) => item.offeredAgentId !== myId);
  useEffect(() => {
    const base = t('app.name');
    document.title = offers.length ? `(${offers.length}) ${t('queue.newOffer')} · ${base}` : base;
  }, [offers.length, t]);
  useEffect(() => () => void (document.title = t('app.name')), [t]);

  // ---- actions ----------------------------------------------------------------------------------------------
  const [transferFor, setTransferFor] = useState<string>();
  const [ticketFor, setTicketFor] = useState<string>();
  const [ticketDetail, setTicketDetail] = useState<string>();

  const select = useCallback(
    (id: string) => {
      setSelected(id);
      patch(id, (chat) => ({ ...chat, unread: 0 }));
      void load(id);
    },
    [patch, load],
  );

  const actions: WorkspaceActions = {
    select,
    accept: async (id) => {
      try {
        await api.post(`/v1/agent/conversations/${encodeURIComponent(id)}/accept`, {});
        addMine(id);
        setSelected(id);
        toast('success', t('chat.acceptedToast'));
        void load(id);
      } catch (error) {
        toast('error', errorMessage(error));
      } finally {
        void refreshQueue();
      }
    },
    decline: async (id) => {
      try {
        await api.post(`/v1/agent/conversations/${encodeURIComponent(id)}/decline`, {});
        toast('info', t('chat.declinedToast'));
        if (selectedRef.current === id) setSelected(undefined);
      } catch (error) {
        toast('error', errorMessage(error));
      } finally {
        void refreshQueue();
      }
    },
    send: async (id, text, clientMessageId = randomId('cm')) => {
      const body = text.trim();
      if (!body) return;
      patch(id, (chat) => ({
        ...chat,
        draft: chat.pending.some((p) => p.clientMessageId === clientMessageId) ? chat.draft : '',
        pending: [...chat.pending.filter((p) => p.clientMessageId !== clientMessageId), { clientMessageId, text: body, state: 'sending' }],
      }));
      try {
        const result = await api.post<{ messageId: string; seq: number }>(`/v1/agent/conversations/${encodeURIComponent(id)}/messages`, { text: body, clientMessageId });
        patch(id, (chat) => {
          const stored: Message = { id: result.messageId, seq: result.seq, role: 'agent', text: body, agentId: myId, createdAt: new Date().toISOString() };
          return { ...withMessage(chat, stored), pending: chat.pending.filter((p) => p.clientMessageId !== clientMessageId) };
        });
      } catch (error) {
        patch(id, (chat) => ({ ...chat, pending: chat.pending.map((p) => (p.clientMessageId === clientMessageId ? { ...p, state: 'failed', error: errorMessage(error) } : p)) }));
        if (error instanceof ApiError && error.status === 409) reloadSoon(id);
      }
    },
    discard: (id, clientMessageId) => patch(id, (chat) => ({ ...chat, pending: chat.pending.filter((p) => p.clientMessageId !== clientMessageId) })),
    setDraft: (id, draft) => patch(id, (chat) => ({ ...chat, draft })),
    resolve: async (id) => {
      try {
        await api.post(`/v1/agent/conversations/${encodeURIComponent(id)}/resolve`, {});
        dropMine(id);
        toast('success', t('chat.resolvedToast'));
        void load(id);
      } catch (error) {
        toast('error', errorMessage(error));
        reloadSoon(id);
      }
    },
    openTransfer: setTransferFor,
    openTicket: setTicketFor,
    openTicketDetail: setTicketDetail,
    setComposeMode: (id, mode) => patch(id, (chat) => ({ ...chat, composeMode: mode })),
    setNoteDraft: (id, draft) => patch(id, (chat) => ({ ...chat, noteDraft: draft })),
    addNote: async (id, text) => {
      const body = text.trim();
      if (!body) return false;
      patch(id, (chat) => ({ ...chat, noteSending: true }));
      try {
        const note = await api.post<ConversationNote>(`/v1/agent/conversations/${encodeURIComponent(id)}/notes`, { text: body, clientNoteId: randomId('note') });
        patch(id, (chat) => {
          const line: Message = { ...note, seq: chat.ctx?.conversation.seq ?? 0, role: 'agent', internal: true };
          return { ...withMessage(chat, line), noteDraft: '', noteSending: false };
        });
        return true;
      } catch (error) {
        patch(id, (chat) => ({ ...chat, noteSending: false }));
        toast('error', errorMessage(error));
        return false;
      }
    },
    updateCustomer: async (id, change) => {
      const customer = chatsRef.current[id]?.ctx?.customer;
      if (!customer) return false;
      try {
        const saved = await api.patch<Customer>(`/v1/agent/customers/${encodeURIComponent(customer.id)}`, { ...change, expectedVersion: customer.version ?? 0 });
        setChats((all) => Object.fromEntries(Object.entries(all).map(([key, chat]) => [key, withCustomer(chat, saved)])));
        toast('success', t('customer.edit.saved'));
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'CUSTOMER.CONFLICT') {
          toast('error', t('customer.edit.conflict'));
          void load(id);
        } else if (error instanceof ApiError && error.code === 'CUSTOMER.TIER_FORBIDDEN') toast('error', t('customer.edit.forbidden'));
        else toast('error', errorMessage(error));
        return false;
      }
    },
  };

  const transfer = async (id: string, to: TransferTarget, note: string) => {
    await api.post(`/v1/agent/conversations/${encodeURIComponent(id)}/transfer`, { to, ...(note.trim() ? { note: note.trim() } : {}) });
    dropMine(id);
    toast('success', t('transfer.done'));
    setTransferFor(undefined);
    void load(id);
    void refreshQueue();
  };

  const createTicket = async (id: string, draft: TicketDraft) => {
    const { ticket } = await api.post<{ ticket: Ticket; created: boolean }>(`/v1/agent/conversations/${encodeURIComponent(id)}/ticket`, draft);
    patch(id, (chat) => ({ ...chat, createdTicket: { id: ticket.id, ...(ticket.dueAt ? { dueAt: ticket.dueAt } : {}) } }));
    setTicketFor(undefined);
    void load(id);
    return ticket;
  };

  const current = selected ? (chats[selected] ?? emptyChat) : undefined;
  const queueItem = selected ? queue.find((item) => item.conversationId === selected) : undefined;
  const knownGroups = [...new Set(['default', ...(me?.groups ?? []), ...queue.map((item) => item.groupId), ...(current?.ctx?.conversation.groupId ? [current.ctx.conversation.groupId] : [])])];

  return (
    <div class="workspace" data-testid="workspace">
      <QueuePanel offers={offers} waiting={waiting} mine={mine} chats={chats} selected={selected} actions={actions} loadedAt={queueLoadedAt} />
      <ChatPanel id={selected} chat={current} queueItem={queueItem} actions={actions} />
      <CustomerPanel chat={current} actions={actions} />
      {transferFor && <TransferDialog conversationId={transferFor} groups={knownGroups} onClose={() => setTransferFor(undefined)} onTransfer={(to, note) => transfer(transferFor, to, note)} />}
      {ticketFor && <TicketDialog chat={chats[ticketFor] ?? emptyChat} onClose={() => setTicketFor(undefined)} onCreate={(draft) => createTicket(ticketFor, draft)} />}
      {ticketDetail && <TicketDrawer ticketId={ticketDetail} onClose={() => setTicketDetail(undefined)} />}
    </div>
  );
}
