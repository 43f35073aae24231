/** What the workspace keeps per conversation, and the pure moves on it. */
import type { ConversationContext, Emotion, Message, Sentiment } from '../types.ts';

export interface PendingReply {
  readonly clientMessageId: string;
  readonly text: string;
  readonly state: 'sending' | 'failed';
  readonly error?: string;
}

export interface ChatState {
  readonly ctx?: ConversationContext;
  readonly loading: boolean;
  readonly error?: string;
  readonly pending: readonly PendingReply[];
  readonly unread: number;
  readonly draft: string;
  /** Customer messages scored live (those written after the handoff carry no stored sentiment). */
  readonly scores: Readonly<Record<string, Sentiment>>;
  readonly createdTicket?: { readonly id: string; readonly dueAt?: string };
  /** What the composer writes: a reply to the customer, or an internal note for agents. */
  readonly composeMode?: 'reply' | 'note';
  readonly noteDraft?: string;
  readonly noteSending?: boolean;
}

export const emptyChat: ChatState = { loading: false, pending: [], unread: 0, draft: '', scores: {} };

/** Sets the conversation's customer in every chat of that customer (after a profile edit). */
export function withCustomer(chat: ChatState, customer: NonNullable<ConversationContext['customer']>): ChatState {
  if (!chat.ctx || chat.ctx.conversation.customerId !== customer.id) return chat;
  return { ...chat, ctx: { ...chat.ctx, customer } };
}

/** Adds a message pushed live (or returned by a reply) in sequence order; a known id changes nothing. */
export function withMessage(chat: ChatState, message: Message): ChatState {
  if (!chat.ctx) return chat;
  const transcript = chat.ctx.transcript;
  if (transcript.some((m) => m.id === message.id)) return chat;
  const next = [...transcript, message].sort((a, b) => a.seq - b.seq);
  const seq = Math.max(chat.ctx.conversation.seq, message.seq);
  return { ...chat, ctx: { ...chat.ctx, transcript: next, conversation: { ...chat.ctx.conversation, seq } } };
}

/** True when a pushed message skips sequence numbers the console has not seen (a refetch fills the gap). */
export function hasGap(chat: ChatState, message: Message): boolean {
  // A note carries the sequence number of the message it followed: it never opens a gap.
  if (!chat.ctx || message.internal) return false;
  const last = chat.ctx.transcript.reduce((max, m) => Math.max(max, m.seq), 0);
  return message.seq > last + 1;
}

export function lastCustomerMessage(ctx: ConversationContext | undefined): Message | undefined {
  if (!ctx) return undefined;
  for (let i = ctx.transcript.length - 1; i >= 0; i--) if (ctx.transcript[i]!.role === 'customer') return ctx.transcript[i];
  return undefined;
}

/** The customer's mood now: their latest scored message (stored, or scored live), else the conversation's. */
export function currentMood(chat: ChatState | undefined): { emotion: Emotion; intensity?: number; live: boolean } | undefined {
  const ctx = chat?.ctx;
  if (!ctx) return undefined;
  for (let i = ctx.transcript.length - 1; i >= 0; i--) {
    const message = ctx.transcript[i]!;
    if (message.role !== 'customer') continue;
    const scored = message.sentiment ?? chat.scores[message.id];
    if (scored) return { emotion: scored.emotion, intensity: scored.intensity, live: !message.sentiment };
  }
  const mood = ctx.conversation.mood;
  return mood ? { emotion: mood.emotion, intensity: mood.intensity, live: false } : undefined;
}

const MINE_KEY = (agentId: string) => `kefu.myChats.${agentId}`;

/** The conversations this agent holds, remembered across reloads (the API has no "my chats" list). */
export function loadMine(agentId: string): string[] {
  try {
    const raw = localStorage.getItem(MINE_KEY(agentId));
    const ids = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string').slice(0, 50) : [];
  } catch {
    return [];
  }
}

export function saveMine(agentId: string, ids: readonly string[]): void {
  try {
    localStorage.setItem(MINE_KEY(agentId), JSON.stringify(ids));
  } catch {
    // storage disabled
  }
}
