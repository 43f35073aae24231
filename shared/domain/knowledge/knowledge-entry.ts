/** A knowledge base entry the bot may answer from. */
export type EntryStatus = 'draft' | 'published' | 'archived';

/** A link or an image shown with an answer (channels without rich content get the link as text). */
export interface Attachment {
  readonly kind: 'link' | 'image';
  readonly url: string;
  readonly title?: string;
}

export interface KnowledgeEntry {
  readonly id: string;
  readonly questions: readonly string[];
  /** Answer per language; `default` is used when the customer's language has none. */
  readonly answers: Readonly<Record<string, string>>;
  /** Where a channel needs other words (e.g. SMS without links): channel → language → answer. */
  readonly channelAnswers?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly attachments?: readonly Attachment[];
  readonly category: string;
  readonly tags: readonly string[];
  /** Languages the entry serves (zh-Hans, zh-Hant, en); informative, the answers decide what is served. */
  readonly languages?: readonly string[];
  readonly status: EntryStatus;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly owner?: string;
  readonly version: number;
  readonly createdAt?: string;
  readonly updatedAt: string;
  readonly updatedBy?: string;
}

/** Expired, future or unpublished knowledge is never served. */
export function isServable(entry: KnowledgeEntry, now: Date): boolean {
  if (entry.status !== 'published') return false;
  if (entry.validFrom && Date.parse(entry.validFrom) > now.getTime()) return false;
  if (entry.validUntil && Date.parse(entry.validUntil) <= now.getTime()) return false;
  return true;
}

function pick(answers: Readonly<Record<string, string>> | undefined, language: string): string | undefined {
  if (!answers) return undefined;
  return answers[language] ?? (language.startsWith('zh') ? (answers['zh-Hans'] ?? answers['zh-Hant']) : undefined) ?? answers.default;
}

/** The answer in the customer's language, on the customer's channel where the entry has channel-specific words. */
export function answerFor(entry: KnowledgeEntry, language: string, channel?: string): string {
  return (channel ? pick(entry.channelAnswers?.[channel], language) : undefined) ?? pick(entry.answers, language) ?? Object.values(entry.answers)[0] ?? '';
}

/**
 * The next moment at which what may be served changes by itself (an entry's validFrom or validUntil still ahead), so
 * that an index built now can be rebuilt then; undefined when nothing is scheduled.
 */
export function nextValidityChange(entries: readonly KnowledgeEntry[], now: Date): Date | undefined {
  let next: number | undefined;
  for (const e of entries) {
    if (e.status !== 'published') continue;
    for (const at of [e.validFrom, e.validUntil]) {
      const t = at ? Date.parse(at) : NaN;
      if (t > now.getTime() && (next === undefined || t < next)) next = t;
    }
  }
  return next === undefined ? undefined : new Date(next);
}
