/** A knowledge base entry the bot may answer from. */
export type EntryStatus = 'draft' | 'published' | 'archived';

export interface KnowledgeEntry {
  readonly id: string;
  readonly questions: readonly string[];
  /** Answer per language; `default` is used when the customer's language has none. */
  readonly answers: Readonly<Record<string, string>>;
  readonly category: string;
  readonly tags: readonly string[];
  readonly status: EntryStatus;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly owner?: string;
  readonly version: number;
  readonly updatedAt: string;
}

/** Expired, future or unpublished knowledge is never served. */
export function isServable(entry: KnowledgeEntry, now: Date): boolean {
  if (entry.status !== 'published') return false;
  if (entry.validFrom && Date.parse(entry.validFrom) > now.getTime()) return false;
  if (entry.validUntil && Date.parse(entry.validUntil) <= now.getTime()) return false;
  return true;
}

export function answerFor(entry: KnowledgeEntry, language: string): string {
  return entry.answers[language] ?? (language.startsWith('zh') ? entry.answers['zh-Hans'] : undefined) ?? entry.answers.default ?? Object.values(entry.answers)[0] ?? '';
}
