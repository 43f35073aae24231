/**
 * Port: one adapter per messaging channel (WeChat Official Account first; WeCom, WhatsApp, LINE, Telegram… follow).
 *
 * A channel function drives it in one order: `verify` (signature, replay window, handshake) → `parse` (the channel's
 * payload into unified inbound messages) → persist through the conversation use cases → answer within
 * `capabilities.syncReplyDeadlineMs` with `reply` when the answer is ready, else `acknowledge` and later `send`.
 * Adapters know no storage and no HTTP framework: they see a plain request and return plain values.
 */
import type { Channel } from '../domain/conversation/conversation.ts';

/** The parts of an inbound webhook request an adapter may look at (header names in lower case, body as received). */
export interface ChannelRequest {
  readonly method: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A response written by the adapter itself (a handshake, a passive reply, an acknowledgement). */
export interface ChannelResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Outcome of `verify`: go on, answer a handshake and stop, or refuse (nothing may be stored). */
export type Verification =
  | { readonly kind: 'ok' }
  | { readonly kind: 'handshake'; readonly response: ChannelResponse }
  | { readonly kind: 'refused'; readonly status: 401; readonly code: string; readonly message: string };

export type InboundKind = 'text' | 'image' | 'voice' | 'video' | 'location' | 'link' | 'file' | 'event';

/** Channel events Kefu understands; anything else arrives as `other` with the channel's own name in `eventName`. */
export type InboundEvent = 'subscribe' | 'unsubscribe' | 'scan' | 'click' | 'view' | 'location' | 'other';

/** One message or event from a channel, in the one shape every channel is mapped to. */
export interface InboundMessage {
  readonly channel: Channel;
  readonly kind: InboundKind;
  /** The sender's identity on the channel (WeChat: the openid); maps to one customer. */
  readonly sender: string;
  /** The company account the message was sent to (WeChat: the official account's id). */
  readonly recipient?: string;
  /** Stable across the channel's retries of the same delivery: the idempotency key of the stored message. */
  readonly dedupeId: string;
  /** When the channel says the message was created. */
  readonly sentAt: Date;
  readonly text?: string;
  readonly mediaId?: string;
  readonly url?: string;
  readonly title?: string;
  readonly description?: string;
  readonly location?: { readonly latitude: number; readonly longitude: number; readonly scale?: number; readonly label?: string };
  readonly event?: InboundEvent;
  readonly eventName?: string;
  readonly eventKey?: string;
  /** What the channel says about the sender (for the agent, and to merge identities: only verified values merge). */
  readonly profile?: SenderProfile;
  /**
   * Channel-specific context the reply must carry (kept on the conversation, handed back in `OutboundContext.thread`):
   * e.g. the WeCom service account (open_kfid), an e-mail's Message-ID and subject, a LINE reply token and its time.
   */
  readonly thread?: Readonly<Record<string, string>>;
}

export interface SenderProfile {
  readonly displayName?: string;
  readonly email?: string;
  readonly phone?: string;
  /** Which of email / phone the channel has verified (SMS and WhatsApp numbers; an e-mail address passing DMARC). */
  readonly verified?: readonly ('email' | 'phone')[];
}

/**
 * Outcome of `parse`: the messages, or a refusal with a stable code: malformed → 400; a body whose own signature fails
 * (channels that sign the body inside it, e.g. WeChat's safe mode) → 401.
 */
export type ParseOutcome =
  | { readonly kind: 'messages'; readonly messages: readonly InboundMessage[] }
  | { readonly kind: 'refused'; readonly status: 400 | 401; readonly code: string; readonly message: string };

/** What a channel can carry, so that replies are shaped (and cut) before they are sent. */
export interface ChannelCapabilities {
  /** Longest text one message may carry, and the unit the platform counts it in. */
  readonly maxText: { readonly length: number; readonly unit: 'characters' | 'utf8-bytes' };
  /** Rich content the channel renders besides text. */
  readonly richContent: readonly ('image' | 'voice' | 'video' | 'link' | 'card' | 'file')[];
  /** Hours after the customer's last message during which free-form replies may be sent (undefined: no window). */
  readonly serviceWindowHours?: number;
  /** The channel's synchronous reply deadline in ms (undefined: no synchronous reply, acknowledge at once). */
  readonly syncReplyDeadlineMs?: number;
  /** The platform's documented send rate for one account, messages per second (the sender paces itself below it). */
  readonly sendRatePerSecond?: number;
}

export interface ChannelAdapter {
  readonly channel: Channel;
  readonly capabilities: ChannelCapabilities;
  verify(request: ChannelRequest): Verification;
  parse(request: ChannelRequest): ParseOutcome;
  /** A synchronous reply to `to` within the deadline, for channels that allow one. */
  reply?(to: InboundMessage, text: string): ChannelResponse;
  /** The acknowledgement when no reply is ready in time (the reply then goes through `ChannelSender`). */
  acknowledge(): ChannelResponse;
}

/**
 * Outcome of an outbound send: retryable failures (throttling, 5xx, expired token, network) are worth another try,
 * after `retryAfterMs` when the platform said how long to wait (HTTP Retry-After, Telegram's retry_after).
 */
export type SendResult =
  | { readonly ok: true; readonly providerMessageId?: string }
  | { readonly ok: false; readonly retryable: boolean; readonly code: string; readonly message: string; readonly retryAfterMs?: number };

/** What a send knows besides the recipient and the text. */
export interface OutboundContext {
  /** Kefu's message id: stable across retries of the same send (an idempotency key where the platform takes one). */
  readonly messageId: string;
  readonly conversationId: string;
  /** The `thread` of the customer's latest inbound message on this conversation, if the channel gave one. */
  readonly thread?: Readonly<Record<string, string>>;
}

/** Outbound port: a text to one channel identity through the channel's API (used when no synchronous reply was possible). */
export interface ChannelSender {
  readonly channel: Channel;
  sendText(to: string, text: string, context?: OutboundContext): Promise<SendResult>;
}

/**
 * What a channel may still send once its service window has closed (WhatsApp: only an approved template); the text is
 * handed over for templates that carry it as a parameter.
 */
export interface OutsideWindowSender {
  /** How it goes out, recorded on the message (e.g. `template:<name>`). */
  readonly via: string;
  send(to: string, text: string, context?: OutboundContext): Promise<SendResult>;
}

/** Where a channel that pulls its messages (WeCom's sync_msg) keeps its read position, per account. */
export interface ChannelCursors {
  get(key: string): Promise<string | undefined>;
  put(key: string, cursor: string): Promise<void>;
}

/**
 * A step some channels need between parse and intake: the webhook only says "there are messages" (WeCom's
 * kf_msg_or_event), and the messages are pulled from the platform. Returns the messages to take in and a commit that
 * moves the read position once they are all stored (so a crash re-reads rather than loses; dedupe absorbs the rest).
 */
export type ChannelPull = (notice: InboundMessage, cursors: ChannelCursors) => Promise<{ readonly messages: readonly InboundMessage[]; commit(): Promise<void> } | undefined>;
