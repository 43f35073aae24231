/** The knowledge base as the admin API returns it (`/v1/admin/knowledge`, `/v1/capabilities/answer`, `/v1/admin/unanswered`). */
export type EntryStatus = 'draft' | 'published' | 'archived';

export interface KnowledgeEntry {
  readonly id: string;
  readonly questions: readonly string[];
  readonly answers: Readonly<Record<string, string>>;
  readonly channelAnswers?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly attachments?: readonly { kind: 'link' | 'image'; url: string; title?: string }[];
  readonly category: string;
  readonly tags?: readonly string[];
  readonly languages?: readonly string[];
  readonly status: EntryStatus;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly owner?: string;
  readonly version: number;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export interface KnowledgeList {
  readonly entries: readonly KnowledgeEntry[];
  readonly revision: number;
}

export interface AuditEvent {
  readonly entryId: string;
  readonly version: number;
  readonly actor: string;
  readonly action: string;
  readonly at: string;
  readonly fields?: readonly string[];
}

export interface KnowledgeDetail {
  readonly entry: KnowledgeEntry;
  readonly versions: readonly KnowledgeEntry[];
  readonly audit: readonly AuditEvent[];
}

export interface AnswerResult {
  readonly kind: string;
  readonly entryId?: string;
  readonly text?: string;
  readonly confidence: number;
  readonly language?: string;
  readonly category?: string;
  readonly alternatives: readonly { entryId: string; question: string; score: number }[];
  readonly revision?: number;
}

export interface UnansweredQuestion {
  readonly key: string;
  readonly text: string;
  readonly language: string;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly outcome: string;
  readonly nearest?: { entryId: string; question: string; score: number };
  readonly status: 'open' | 'resolved';
}

/** A stored flow as `/v1/admin/flows` returns it: the definition (checked on the way in) and who stored it when. */
export interface StoredFlow {
  readonly id: string;
  readonly definition: FlowDefinitionLike;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** A flow definition as the screen reads it (shared/domain/flows/flow-definition.ts is the authority; fields may be missing in a draft). */
export interface FlowDefinitionLike {
  readonly id?: string;
  readonly version?: number;
  readonly name?: FlowTextLike;
  readonly description?: string;
  readonly triggers?: { readonly zh?: readonly string[]; readonly en?: readonly string[] };
  readonly connectors?: readonly { readonly name: string; readonly description?: string }[];
  readonly slots?: readonly FlowSlotLike[];
  readonly start?: string;
  readonly steps?: readonly FlowStepLike[];
}

export interface FlowTextLike {
  readonly zh?: string;
  readonly en?: string;
  readonly 'zh-Hant'?: string;
}

export interface FlowSlotLike {
  readonly name: string;
  readonly type: string;
  readonly prefill?: boolean;
  readonly validation?: {
    readonly regex?: string;
    readonly min?: number;
    readonly max?: number;
    readonly choices?: readonly { readonly value: string; readonly labels?: FlowTextLike; readonly synonyms?: readonly string[] }[];
    readonly choicesFrom?: { readonly var: string; readonly value: string; readonly label: string };
  };
}

/** Any step kind: the fields of every kind, all optional. */
export interface FlowStepLike {
  readonly id: string;
  readonly kind: 'ask' | 'call' | 'confirm' | 'say' | 'branch' | 'reask' | 'end' | string;
  readonly slot?: string;
  readonly prompt?: FlowTextLike;
  readonly reprompt?: FlowTextLike;
  readonly message?: FlowTextLike;
  readonly maxAttempts?: number;
  readonly maxRetries?: number;
  readonly onExhausted?: string;
  readonly next?: string;
  readonly connector?: string;
  readonly method?: string;
  readonly path?: string;
  readonly body?: unknown;
  readonly timeoutMs?: number;
  readonly assign?: Readonly<Record<string, string>>;
  readonly onFound?: string;
  readonly onNotFound?: string;
  readonly onError?: string;
  readonly onYes?: string;
  readonly onNo?: string;
  readonly cases?: readonly { readonly when: { readonly value: string; readonly equals?: unknown; readonly in?: readonly unknown[]; readonly exists?: boolean }; readonly next: string }[];
  readonly default?: string;
  readonly action?: {
    readonly type: 'answer' | 'create_ticket' | 'handoff' | string;
    readonly message?: FlowTextLike;
    readonly reason?: string;
    readonly ticket?: { readonly type?: string; readonly priority?: string; readonly subject?: FlowTextLike; readonly description?: FlowTextLike };
  };
}

/** The platform's error body: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: { readonly issues?: readonly { readonly path: string; readonly message: string }[]; readonly rows?: readonly ImportRowProblem[] } & Readonly<Record<string, unknown>>;
}

/** One bad row of a knowledge import (400 KNOWLEDGE.INVALID, details.rows). */
export interface ImportRowProblem {
  readonly row: number;
  readonly id: string;
  readonly issues: readonly { readonly field: string; readonly message: string }[];
}

/** POST /v1/admin/knowledge/import */
export interface ImportReport {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
  readonly total: number;
  readonly revision: number;
}

/** The web chat's settings (`/v1/admin/channels`). */
export interface WebchatSettings {
  readonly enabled: boolean;
  readonly title: { readonly zh: string; readonly en: string };
  readonly greeting: { readonly zh: string; readonly en: string };
  readonly accentColor: string;
  readonly position: 'right' | 'left';
  readonly routingGroupId: string;
  readonly offlineMessage?: { readonly zh: string; readonly en: string };
  /** 0: never stored (the defaults). */
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export type ChannelInfo = { readonly id: 'webchat'; readonly configurable: true; readonly settings: WebchatSettings } | { readonly id: string; readonly configurable: false };
