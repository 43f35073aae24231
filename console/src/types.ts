/**
 * The parts of the platform's public HTTP contract the console reads (README "HTTP API"). Responses may gain fields,
 * never lose them, so every type here is a subset and optional where the platform may leave a field out.
 */

export type Role = 'agent' | 'supervisor' | 'admin' | 'finance'; // finance: the Finance view
export type Presence = 'online' | 'away' | 'offline';
export type Emotion = 'angry' | 'anxious' | 'disappointed' | 'fearful' | 'happy' | 'surprised' | 'disgusted' | 'neutral';
export type MoodTrend = 'improving' | 'steady' | 'worsening';
export type ConversationStatus = 'bot' | 'queued' | 'agent' | 'resolved';
export type MessageRole = 'customer' | 'bot' | 'agent' | 'system';
export type TicketType = 'pre-sales' | 'after-sales' | 'inquiry' | 'complaint';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketStatus = 'new' | 'open' | 'pending' | 'on-hold' | 'solved' | 'closed';

export const TICKET_TYPES: readonly TicketType[] = ['inquiry', 'after-sales', 'pre-sales', 'complaint'];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'];

/** GET /console/config.json: where the console runs and how users sign in. */
export interface ConsoleConfig {
  readonly stage: string;
  readonly apiBase: string;
  readonly webSocketUrl: string;
  readonly auth:
    | { readonly kind: 'local'; readonly signInUrl: string }
    | {
        readonly kind: 'cognito';
        readonly region?: string;
        readonly userPoolId?: string;
        /** The console's app client (managed login, authorization code with PKCE, no secret). */
        readonly clientId?: string;
        /** Managed-login base URL, e.g. https://kefu-prod-1a2b3c4d.auth.eu-west-1.amazoncognito.com (the host alone is accepted too). */
        readonly domain?: string;
      };
}

export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly roles: readonly Role[];
}

export interface Session {
  readonly token: string;
  readonly user: SessionUser;
  /** Epoch milliseconds the token stops being valid (from its `exp` claim). */
  readonly expiresAt?: number;
}

/** GET /v1/agent/me */
export interface AgentProfile {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly presence: Presence;
  readonly capacity: number;
  readonly load?: number;
  readonly groups: readonly string[];
  readonly skills: readonly string[];
  readonly languages?: readonly string[];
  readonly roles: readonly Role[];
}

/** GET /v1/agent/queue → items */
export interface QueueItem {
  readonly conversationId: string;
  readonly groupId: string;
  readonly position: number;
  readonly offeredAgentId: string | null;
  readonly channel: string;
  readonly priority: number;
  readonly reason: string | null;
  readonly mood: Emotion | null;
  readonly moodTrend: MoodTrend | null;
  readonly queuedAt: string | null;
  readonly waitingSeconds: number;
  readonly preview: string | null;
}

export interface Sentiment {
  readonly emotion: Emotion;
  readonly intensity: number;
  readonly polarity?: string;
  readonly scores?: Readonly<Record<string, number>>;
  readonly provider?: string;
}

export interface Message {
  readonly id: string;
  readonly seq: number;
  readonly role: MessageRole;
  readonly text: string;
  readonly createdAt: string;
  readonly agentId?: string;
  readonly entryId?: string;
  readonly sentiment?: Sentiment;
  readonly tone?: { readonly emotion?: string; readonly style?: string };
  readonly attachments?: readonly { readonly kind?: string; readonly url?: string; readonly title?: string }[];
  /** An agent's internal note in the agents' transcript: never shown to the customer (`agentId` is its author). */
  readonly internal?: boolean;
  /** Replies on channels with their own send API (WeChat, e-mail, …): where the delivery is. */
  readonly delivery?: { readonly state: 'pending' | 'sending' | 'sent' | 'passive' | 'failed'; readonly error?: { readonly code: string; readonly message: string } };
}

/** POST /v1/agent/conversations/{id}/notes → 201; also `notes` of the conversation context. */
export interface ConversationNote {
  readonly id: string;
  readonly agentId: string;
  readonly text: string;
  readonly createdAt: string;
}

export interface Conversation {
  readonly id: string;
  readonly status: ConversationStatus;
  readonly channel: string;
  readonly customerId: string;
  readonly language?: string;
  readonly groupId?: string;
  readonly priority?: number;
  readonly assignedAgentId?: string;
  readonly offeredAgentId?: string;
  readonly handoffReason?: string;
  readonly queuedAt?: string;
  readonly acceptedAt?: string;
  readonly resolvedAt?: string;
  readonly createdAt: string;
  readonly seq: number;
  readonly ticketId?: string;
  readonly lastMood?: Emotion;
  readonly mood?: { readonly emotion: Emotion; readonly trend: MoodTrend; readonly valence: number; readonly intensity: number };
}

export interface Customer {
  readonly id: string;
  readonly name?: string;
  readonly tier: 'standard' | 'vip' | string;
  readonly identities: readonly { readonly channel: string; readonly value: string }[];
  readonly createdAt: string;
  readonly tags?: readonly string[];
  readonly notes?: string;
  readonly email?: string;
  readonly phone?: string;
  /** Sent back as `expectedVersion` with an edit (absent: 0). */
  readonly version?: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
  readonly audit?: readonly CustomerChange[];
}

export const CUSTOMER_TIERS = ['standard', 'vip'] as const;

export interface CustomerChange {
  readonly at: string;
  readonly by: string;
  readonly changes: Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;
}

/** PATCH /v1/agent/customers/{customerId} (a 409 CUSTOMER.CONFLICT when `expectedVersion` is stale). */
export interface CustomerPatch {
  readonly name?: string;
  readonly tier?: string;
  readonly tags?: readonly string[];
  readonly notes?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly expectedVersion?: number;
}

export interface TicketSummary {
  readonly id: string;
  readonly subject: string;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  readonly type: TicketType;
  readonly createdAt: string;
  readonly dueAt?: string;
}

export interface Ticket extends TicketSummary {
  readonly version: number;
  readonly customerId: string;
  readonly conversationId?: string;
  readonly assigneeId?: string;
  readonly groupId?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly updatedAt?: string;
}

export interface SlaClock {
  readonly metric: string;
  readonly state: 'active' | 'paused' | 'hit' | 'missed';
  readonly targetMinutes: number;
  readonly dueAt?: string;
  readonly remainingBusinessMinutes?: number;
  readonly breached?: boolean;
  readonly warning?: boolean;
}

export interface TicketComment {
  readonly id: string;
  readonly visibility: 'public' | 'internal';
  readonly author: string;
  readonly authorKind?: string;
  readonly text: string;
  readonly createdAt: string;
}

/** GET /v1/tickets/{id} */
export interface TicketDetail {
  readonly ticket: Ticket;
  readonly comments: readonly TicketComment[];
  readonly history?: readonly unknown[];
  readonly sla?: { readonly policyId: string; readonly calendarId: string; readonly clocks: readonly SlaClock[] };
}

export interface Summary {
  readonly text: string;
  readonly topic: string | null;
  readonly intent: string | null;
  readonly handoffReason: string | null;
  readonly mood: Emotion | null;
  readonly moodTrend: MoodTrend | null;
  readonly customerMessages: number;
  readonly botReplies: number;
  readonly previousConversations: number;
}

export interface PreviousConversation {
  readonly id: string;
  readonly channel: string;
  readonly status: ConversationStatus;
  readonly createdAt: string;
  readonly resolvedAt?: string;
  readonly handoffReason?: string;
  readonly mood?: Emotion;
  readonly ticketId?: string;
  readonly agentId?: string;
}

/** GET /v1/agent/conversations/{id} */
export interface ConversationContext {
  readonly conversation: Conversation;
  readonly transcript: readonly Message[];
  readonly events: readonly { readonly type: string; readonly at: string; readonly actor?: string; readonly detail?: Readonly<Record<string, unknown>> }[];
  readonly customer: Customer | null;
  readonly tickets: readonly Ticket[];
  readonly summary: Summary;
  readonly previousConversations: readonly PreviousConversation[];
  readonly customerTickets: readonly TicketSummary[];
  readonly notes?: readonly ConversationNote[];
}

/** POST /v1/capabilities/answer */
export interface AnswerResult {
  readonly kind: 'answer' | 'suggest' | 'out_of_scope';
  readonly entryId?: string;
  readonly text?: string;
  readonly confidence: number;
  readonly language?: string;
  readonly category?: string;
  readonly alternatives: readonly { readonly entryId: string; readonly question: string; readonly score: number }[];
}

/** GET /v1/supervisor/floor */
export interface FloorView {
  readonly queues: readonly { readonly groupId: string; readonly name: string; readonly outsourced: boolean; readonly waiting: number; readonly offered: number; readonly longestWaitSeconds: number }[];
  readonly agents: readonly { readonly id: string; readonly name: string; readonly presence: Presence; readonly load: number; readonly capacity: number; readonly groups: readonly string[]; readonly skills: readonly string[]; readonly lastActiveAt?: string }[];
  /** Active tickets whose SLA is breached or due within `atRiskMinutes`. */
  readonly sla?: { readonly atRiskMinutes: number; readonly breached: number; readonly atRisk: number; readonly tickets: readonly { readonly id: string; readonly subject: string; readonly priority: string; readonly dueAt: string; readonly assigneeId?: string }[] };
  /** The conversations waiting (in serving order) and being served, for the supervisor to watch and reassign. */
  readonly conversations?: readonly FloorConversation[];
}

export interface FloorConversation {
  readonly id: string;
  readonly status: 'queued' | 'agent';
  readonly channel: string;
  readonly groupId: string;
  readonly priority: number;
  readonly assignedAgentId?: string;
  readonly offeredAgentId?: string;
  readonly queuedAt?: string;
  readonly acceptedAt?: string;
  readonly handoffReason?: string;
  readonly mood?: { readonly emotion: Emotion; readonly trend: MoodTrend };
  readonly lastMessageAt?: string;
}

/** What the agent floor's WebSocket pushes (`?token=<jwt>`). */
export type FloorEvent =
  | { readonly type: 'offer'; readonly conversationId: string; readonly agentId: string; readonly priority?: number }
  | { readonly type: 'offer.withdrawn'; readonly conversationId: string; readonly agentId: string; readonly reason?: string }
  | { readonly type: 'queue.changed'; readonly conversationId: string; readonly change: string; readonly groupId?: string; readonly agentId?: string }
  | { readonly type: 'presence'; readonly agentId: string; readonly presence: Presence; readonly reason?: string }
  | { readonly type: 'transferred'; readonly conversationId: string; readonly from: string; readonly to: string }
  | { readonly type: 'agent.load'; readonly agentId: string; readonly change: number }
  | { readonly type: 'note'; readonly conversationId: string; readonly note: Message }
  | { readonly type: 'sla.warning' | 'sla.breach'; readonly ticketId: string; readonly subject?: string; readonly priority?: string; readonly assigneeId?: string; readonly groupId?: string; readonly dueAt?: string; readonly metrics?: readonly string[] };

/** What a conversation's WebSocket pushes (`?token=<jwt>&conversationId=<id>`). */
export type ConversationEvent =
  | { readonly type: 'message'; readonly conversationId: string; readonly message: Message }
  | { readonly type: 'message.delivery'; readonly conversationId: string; readonly messageId: string; readonly seq: number; readonly outbox: NonNullable<Message['delivery']>['state']; readonly code?: string }
  | { readonly type: 'status'; readonly conversationId: string; readonly status: ConversationStatus; readonly agentName?: string; readonly ticketId?: string }
  | { readonly type: 'queue.position'; readonly conversationId: string; readonly position: number; readonly etaSeconds?: number };
