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
