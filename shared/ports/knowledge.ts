/** Ports of the knowledge base: entries with their versions and audit trail, the index revision, unanswered questions. */
import type { KnowledgeEntry } from '../domain/knowledge/knowledge-entry.ts';
import type { EntryRecord } from '../domain/knowledge/knowledge-admin.ts';
import type { KnowledgeSource } from './directory.ts';

export type KnowledgeAction = 'create' | 'update' | 'publish' | 'archive' | 'unpublish' | 'import' | 'variant_added';

export interface KnowledgeAuditEvent {
  readonly at: string;
  readonly actor: string;
  readonly action: KnowledgeAction;
  readonly entryId: string;
  readonly version: number;
  /** Fields that changed with this version. */
  readonly fields: readonly string[];
}

export interface UnansweredQuestion {
  /** Stable key of the normalised text: the same question asked again counts up the same record. */
  readonly key: string;
  readonly text: string;
  readonly language: string;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** The entry the engine found closest, when there was one. */
  readonly nearest?: { readonly entryId: string; readonly question: string; readonly score: number };
  readonly lastConversationId?: string;
  /** How the engine decided: declined outright, offered suggestions, or answered with low confidence. */
  readonly outcome: 'out_of_scope' | 'suggest' | 'low_confidence';
  readonly status: 'open' | 'resolved';
  readonly resolvedBy?: string;
  readonly resolvedEntryId?: string;
  /** Why an admin dismissed it instead of answering it (spam, out of the company's scope…). */
  readonly dismissedReason?: string;
}

export interface KnowledgeRepository extends KnowledgeSource {
  get(entryId: string): Promise<KnowledgeEntry | undefined>;
  /**
   * Writes a new version of an entry together with its version snapshot, its audit event and (when it changes what
   * may be served) the index revision, all or nothing. Fails with KNOWLEDGE.VERSION_CONFLICT when the stored entry is
   * not at `expectedVersion` (0: must not exist yet).
   */
  save(entry: KnowledgeEntry, options: { readonly expectedVersion: number; readonly audit: KnowledgeAuditEvent; readonly bumpRevision: boolean }): Promise<void>;
  /** Every stored version of an entry, newest first. */
  versions(entryId: string): Promise<KnowledgeEntry[]>;
  audit(options: { readonly entryId?: string; readonly limit: number }): Promise<KnowledgeAuditEvent[]>;
  /** Goes up whenever what may be served changes; answer engines rebuild when it moves. */
  revision(): Promise<number>;
  recordUnanswered(question: Omit<UnansweredQuestion, 'count' | 'firstSeen' | 'status' | 'lastSeen'> & { readonly at: string }): Promise<void>;
  listUnanswered(options: { readonly status?: 'open' | 'resolved'; readonly limit: number }): Promise<UnansweredQuestion[]>;
  getUnanswered(key: string): Promise<UnansweredQuestion | undefined>;
  /** Closes a question: answered by an entry (`entryId`), or dismissed as not worth an answer (`dismissed`, with a reason). */
  resolveUnanswered(key: string, resolution: { readonly actor: string; readonly at: string } & ({ readonly entryId: string } | { readonly dismissed: string })): Promise<void>;
}

/** CSV codec for bulk import and export (the CSV library lives in an adapter). */
export interface CsvCodec {
  /** Rows of a CSV (or tab-separated) text with a header row; fails with KNOWLEDGE.INVALID on malformed CSV. */
  parse(content: string): EntryRecord[];
  stringify(records: readonly EntryRecord[]): string;
}
