/**
 * The conversation: one model for every channel, with one explicit owner at a time (the bot, the queue, an agent),
 * so that bot and human never talk over each other.
 */
import { DomainError } from '../errors.ts';
import type { ConversationMood } from '../sentiment/mood.ts';
import type { Emotion, Polarity, PolarityScores } from '../sentiment/sentiment.ts';

/** What a customer message's sentiment left on the message (its mood marker in the transcript). */
export interface MessageSentiment {
  readonly polarity: Polarity;
  readonly emotion: Emotion;
  readonly intensity: number;
  readonly scores: PolarityScores;
  readonly provider: string;
}

export type ConversationStatus = 'bot' | 'queued' | 'agent' | 'resolved';
export type MessageRole = 'customer' | 'bot' | 'agent' | 'system';
export type Channel = 'webchat' | 'wechat' | 'wecom' | 'email' | 'whatsapp' | 'telegram' | 'line' | 'sms' | 'api';

/**
 * Channels whose replies leave through the channel's own send API (the channel outbox): every bot, agent or system
 * message written to such a conversation is stored with `outbox: 'pending'` and delivered once by the outbox
 * consumer. Web chat and the REST API channel read the transcript themselves (socket / polling).
 */
export const OUTBOUND_CHANNELS: readonly Channel[] = ['wechat', 'wecom', 'email', 'whatsapp', 'telegram', 'line', 'sms'];

/**
 * Where an outbound message is on its way to the customer's channel: `pending` (stored, not sent), `sending` (the
 * outbox consumer claimed it), `sent` (the channel's API accepted it), `passive` (went out as the webhook's own
 * synchronous reply), `failed` (refused for good: outside the service window, blocked, misconfigured).
 */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'passive' | 'failed';

export interface Conversation {
  readonly id: string;
  readonly channel: Channel;
  readonly customerId: string;
  readonly status: ConversationStatus;
  /** Last message sequence number allocated in this conversation (0 before the first message). */
  readonly seq: number;
  /** Bot answers in a row that did not find an answer; two in a row offer a human. */
  readonly failedAnswers: number;
  /** Knowledge entry of the bot's last answer (the same entry asked again right away is a loop). */
  readonly lastEntryId?: string;
  readonly lastEntryLanguage?: string;
  /** Whether a multi-turn flow is waiting for the customer's next message (false: no flow session to read). */
  readonly flowRunning?: boolean;
  readonly handoffs: number;
  readonly assignedAgentId?: string;
  readonly priority?: number;
  readonly queuedAt?: string;
  readonly handoffReason?: string;
  readonly language?: string;
  readonly lastMood?: string;
  /** The customer's mood: current emotion, trend over the last turns, worst moment (updated on every message). */
  readonly mood?: ConversationMood;
  readonly ticketId?: string;
  /** Routing group whose queue holds the conversation (default: "default"). */
  readonly groupId?: string;
  /** Skill the conversation needs (the category of the bot's last answer). */
  readonly neededSkill?: string;
  /** The agent the conversation is offered to right now (the agent's seat is held while the offer stands). */
  readonly offeredAgentId?: string;
  readonly offeredAt?: string;
  /** Offers made during the current handoff. */
  readonly offers?: number;
  /** Agents who declined the conversation during the current handoff (not offered it again). */
  readonly passedOver?: readonly string[];
  /** Task token of the escalation step waiting for a free seat (completed when capacity frees up). */
  readonly waitToken?: string;
  /** When the current wait ends in overflow or an offline message. */
  readonly deadlineAt?: string;
  /** Whether the conversation already moved to its group's overflow group. */
  readonly overflowed?: boolean;
  /** The queue position and estimated wait the customer was last told. */
  readonly toldPosition?: number;
  readonly toldEtaSeconds?: number;
  /** Task token of the escalation step waiting for an agent to accept. */
  readonly offerToken?: string;
  /** The customer message that caused the current handoff (makes a redelivered message hand off idempotently). */
  readonly handoffMessageId?: string;
  readonly acceptedAt?: string;
  /** The first agent reply after the latest handoff (first response time = respondedAt − queuedAt). */
  readonly respondedAt?: string;
  /** The bot's latest reply: its message id and whether it answered (reports count intents and unanswered turns). */
  readonly lastReplyId?: string;
  readonly lastReplyAnswered?: boolean;
  /** What the bot's latest reply was about: its knowledge entry id, `flow:<flowId>`, or '' (neither). */
  readonly lastReplyTopic?: string;
  readonly resolvedAt?: string;
  /** How it was resolved: by an agent, or as an offline message turned into a ticket. */
  readonly resolution?: 'agent' | 'offline-ticket';
  readonly lastMessageAt?: string;
  /** The customer's satisfaction rating (1–5) once the conversation was handled, given once. */
  readonly csat?: { readonly score: number; readonly comment?: string; readonly at: string };
  /** The customer's latest message (service windows count from it). */
  readonly lastInboundAt?: string;
  /** The channel context of the customer's latest message that replies must carry (see InboundMessage.thread). */
  readonly channelThread?: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a message looks like before the store gives it a sequence number. */
export interface MessageDraft {
  readonly id: string;
  readonly role: MessageRole;
  readonly text: string;
  readonly createdAt: string;
  readonly clientMessageId?: string;
  readonly agentId?: string;
  /** Knowledge entry a bot reply came from. */
  readonly entryId?: string;
  /** Links and images of the entry a bot reply came from. */
  readonly attachments?: readonly { readonly kind: 'link' | 'image'; readonly url: string; readonly title?: string }[];
  readonly mood?: string;
  /** Customer messages: their sentiment, set by the policy step with its reply. */
  readonly sentiment?: MessageSentiment;
  /** Bot replies: the tone they were written in (acknowledging the customer's emotion). */
  readonly tone?: { readonly emotion: Emotion; readonly style: string };
  /** Customer messages: the conversation's owner when the message was accepted (the policy re-checks the real one). */
  readonly ownerAtWrite?: ConversationStatus;
  /** Customer messages: the conversation's ticket when the message was accepted (the message goes on it too). */
  readonly ticketAtWrite?: string;
  /** Customer messages: the channel the message arrived on. */
  readonly channel?: Channel;
  /** Replies on an outbound channel: their delivery (set by the store and the outbox, never by callers). */
  readonly outbox?: OutboxState;
  readonly outboxAt?: string;
  readonly outboxAttempts?: number;
  /** Why delivery failed for good (a stable code and the platform's words). */
  readonly outboxError?: { readonly code: string; readonly message: string };
  readonly providerMessageId?: string;
  /** How a reply went out when not as a plain message (WhatsApp outside its window: `template:<name>`). */
  readonly outboxVia?: string;
}

/** A stored message: a draft with its conversation and its place in the transcript. */
export interface Message extends MessageDraft {
  readonly conversationId: string;
  readonly seq: number;
}

export const MAX_MESSAGE_LENGTH = 10_000;

export function assertAgentOwns(conversation: Conversation, agentId: string): void {
  if (conversation.status === 'resolved') {
    throw new DomainError('CONVERSATION.RESOLVED', `conversation ${conversation.id} is resolved`);
  }
  if (conversation.status !== 'agent' || conversation.assignedAgentId !== agentId) {
    throw new DomainError('CONVERSATION.NOT_ASSIGNED_TO_YOU', `conversation ${conversation.id} is not assigned to you`);
  }
}

/** The customer-facing view of a conversation (public contract: fields may be added, never removed). */
export function customerView(conversation: Conversation) {
  return {
    conversationId: conversation.id,
    status: conversation.status,
    channel: conversation.channel,
    assignedAgentId: conversation.assignedAgentId ?? null,
    queuedAt: conversation.queuedAt ?? null,
    ticketId: conversation.ticketId ?? null,
    rated: conversation.csat !== undefined,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
  };
}

export function messageView(message: Message) {
  return {
    id: message.id,
    seq: message.seq,
    role: message.role,
    text: message.text,
    createdAt: message.createdAt,
    ...(message.agentId ? { agentId: message.agentId } : {}),
    ...(message.entryId ? { entryId: message.entryId } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    ...(message.mood ? { mood: message.mood } : {}),
    ...(message.sentiment ? { sentiment: message.sentiment } : {}),
    ...(message.tone ? { tone: message.tone } : {}),
    // Replies on a channel with its own send API: where the delivery is (agents see a failed one and why).
    ...(message.outbox ? { delivery: { state: message.outbox, ...(message.outboxError ? { error: message.outboxError } : {}), ...(message.outboxVia ? { via: message.outboxVia } : {}) } } : {}),
  };
}
