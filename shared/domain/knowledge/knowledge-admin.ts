/**
 * Editing the knowledge base: what a valid entry is, how an edit makes a new version, which status changes exist, and
 * the flat record (CSV row / JSON object) that bulk import and export use. Pure: no I/O, no clock.
 */
import { DomainError } from '../errors.ts';
import type { Attachment, EntryStatus, KnowledgeEntry } from './knowledge-entry.ts';

export const ANSWER_LANGUAGES = ['zh-Hans', 'zh-Hant', 'en', 'default'] as const;
export const LIMITS = { questions: 200, questionLength: 500, answerLength: 5000, tags: 20, attachments: 10 } as const;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

/** What an admin writes: everything of an entry except its bookkeeping (version, status, timestamps). */
export interface EntryInput {
  readonly questions: readonly string[];
  readonly answers: Readonly<Record<string, string>>;
  readonly channelAnswers?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly attachments?: readonly Attachment[];
  readonly category: string;
  readonly tags?: readonly string[];
  readonly languages?: readonly string[];
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly owner?: string;
}

export type EntryProblem = { readonly field: string; readonly message: string };

function cleanList(values: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values ?? []) {
    const t = v.normalize('NFC').trim().replace(/\s+/g, ' ');
    const key = t.toLowerCase();
    if (t && !seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

function cleanAnswers(answers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lang, text] of Object.entries(answers ?? {})) if (text.trim()) out[lang] = text.trim();
  return out;
}

/** Every problem of an entry, so that an import can report them all at once. */
export function problemsOf(id: string, input: EntryInput): EntryProblem[] {
  const problems: EntryProblem[] = [];
  if (!ID_PATTERN.test(id)) problems.push({ field: 'id', message: 'must be 2–64 letters, digits, ".", "_" or "-", starting with a letter or digit' });
  const questions = cleanList(input.questions);
  if (questions.length === 0) problems.push({ field: 'questions', message: 'at least one question is required' });
  if (questions.length > LIMITS.questions) problems.push({ field: 'questions', message: `at most ${LIMITS.questions} questions` });
  questions.forEach((q, i) => {
    if (q.length > LIMITS.questionLength) problems.push({ field: `questions.${i}`, message: `at most ${LIMITS.questionLength} characters` });
  });
  const answers = cleanAnswers(input.answers);
  if (Object.keys(answers).length === 0) problems.push({ field: 'answers', message: 'at least one answer is required' });
  for (const [lang, text] of Object.entries(answers)) {
    if (!(ANSWER_LANGUAGES as readonly string[]).includes(lang)) problems.push({ field: `answers.${lang}`, message: `language must be one of ${ANSWER_LANGUAGES.join(', ')}` });
    if (text.length > LIMITS.answerLength) problems.push({ field: `answers.${lang}`, message: `at most ${LIMITS.answerLength} characters` });
  }
  for (const [channel, byLang] of Object.entries(input.channelAnswers ?? {})) {
    for (const [lang, text] of Object.entries(byLang)) {
      if (!(ANSWER_LANGUAGES as readonly string[]).includes(lang)) problems.push({ field: `channelAnswers.${channel}.${lang}`, message: `language must be one of ${ANSWER_LANGUAGES.join(', ')}` });
      if (text.length > LIMITS.answerLength) problems.push({ field: `channelAnswers.${channel}.${lang}`, message: `at most ${LIMITS.answerLength} characters` });
    }
  }
  if (!input.category.trim()) problems.push({ field: 'category', message: 'is required' });
  if ((input.tags ?? []).length > LIMITS.tags) problems.push({ field: 'tags', message: `at most ${LIMITS.tags} tags` });
  (input.attachments ?? []).forEach((a, i) => {
    if (!/^https?:\/\/\S+$/.test(a.url)) problems.push({ field: `attachments.${i}.url`, message: 'must be an http(s) URL' });
  });
  if ((input.attachments ?? []).length > LIMITS.attachments) problems.push({ field: 'attachments', message: `at most ${LIMITS.attachments}` });
  const from = input.validFrom ? Date.parse(input.validFrom) : undefined;
  const until = input.validUntil ? Date.parse(input.validUntil) : undefined;
  if (input.validFrom && Number.isNaN(from)) problems.push({ field: 'validFrom', message: 'must be an ISO 8601 date-time' });
  if (input.validUntil && Number.isNaN(until)) problems.push({ field: 'validUntil', message: 'must be an ISO 8601 date-time' });
  if (from !== undefined && until !== undefined && !Number.isNaN(from) && !Number.isNaN(until) && from >= until) {
    problems.push({ field: 'validUntil', message: 'must be after validFrom' });
  }
  return problems;
}

function assertValid(id: string, input: EntryInput): void {
  const problems = problemsOf(id, input);
  if (problems.length > 0) {
    throw new DomainError('KNOWLEDGE.INVALID', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { issues: problems });
  }
}

function normalisedFields(input: EntryInput) {
  return {
    questions: cleanList(input.questions),
    answers: cleanAnswers(input.answers),
    ...(input.channelAnswers && Object.keys(input.channelAnswers).length > 0 ? { channelAnswers: input.channelAnswers } : {}),
    ...(input.attachments && input.attachments.length > 0 ? { attachments: input.attachments } : {}),
    category: input.category.trim(),
    tags: cleanList(input.tags),
    languages: input.languages && input.languages.length > 0 ? cleanList(input.languages) : ANSWER_LANGUAGES.filter((l) => l !== 'default' && cleanAnswers(input.answers)[l]),
    ...(input.validFrom ? { validFrom: new Date(input.validFrom).toISOString() } : {}),
    ...(input.validUntil ? { validUntil: new Date(input.validUntil).toISOString() } : {}),
    ...(input.owner ? { owner: input.owner } : {}),
  };
}

export function createEntry(id: string, input: EntryInput, by: { actor: string; at: string; status?: EntryStatus }): KnowledgeEntry {
  assertValid(id, input);
  return { id, ...normalisedFields(input), status: by.status ?? 'draft', version: 1, createdAt: by.at, updatedAt: by.at, updatedBy: by.actor };
}

/** An edit: the whole input replaces the entry's content; status and creation stay; the version goes up by one. */
export function reviseEntry(current: KnowledgeEntry, input: EntryInput, by: { actor: string; at: string; status?: EntryStatus }): KnowledgeEntry {
  assertValid(current.id, input);
  return {
    id: current.id,
    ...normalisedFields(input),
    status: by.status ?? current.status,
    version: current.version + 1,
    ...(current.createdAt ? { createdAt: current.createdAt } : {}),
    updatedAt: by.at,
    updatedBy: by.actor,
  };
}

/** The entry's editable content, as an admin would send it back. */
export function inputOf(entry: KnowledgeEntry): EntryInput {
  return {
    questions: entry.questions,
    answers: entry.answers,
    ...(entry.channelAnswers ? { channelAnswers: entry.channelAnswers } : {}),
    ...(entry.attachments ? { attachments: entry.attachments } : {}),
    category: entry.category,
    tags: entry.tags,
    ...(entry.languages ? { languages: entry.languages } : {}),
    ...(entry.validFrom ? { validFrom: entry.validFrom } : {}),
    ...(entry.validUntil ? { validUntil: entry.validUntil } : {}),
    ...(entry.owner ? { owner: entry.owner } : {}),
  };
}

/** Publish, archive or return to draft; undefined when the entry already has that status (nothing to do). */
export function changeStatus(current: KnowledgeEntry, to: EntryStatus, by: { actor: string; at: string }): KnowledgeEntry | undefined {
  if (current.status === to) return undefined;
  return { ...current, status: to, version: current.version + 1, updatedAt: by.at, updatedBy: by.actor };
}

/** JSON with object keys sorted, so that two maps with the same content compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Fields that differ between two versions, for the audit trail. */
export function changedFields(before: KnowledgeEntry | undefined, after: KnowledgeEntry): string[] {
  const fields = ['questions', 'answers', 'channelAnswers', 'attachments', 'category', 'tags', 'languages', 'status', 'validFrom', 'validUntil', 'owner'] as const;
  if (!before) return [...fields].filter((f) => after[f] !== undefined);
  return fields.filter((f) => canonical(before[f]) !== canonical(after[f]));
}

/** Whether a change can alter what the bot serves (so the answer index must be rebuilt). */
export function affectsServing(before: KnowledgeEntry | undefined, after: KnowledgeEntry): boolean {
  return before?.status === 'published' || after.status === 'published';
}

// ---- Flat records for CSV / JSON import and export -------------------------------------------------------------

/** Columns of the CSV format, in order. Lists inside a cell are one item per line (a "|" also separates). */
export const RECORD_COLUMNS = [
  'id', 'status', 'category', 'tags', 'languages', 'questions',
  'answer_zh-Hans', 'answer_zh-Hant', 'answer_en', 'answer_default',
  'validFrom', 'validUntil', 'owner', 'attachments',
] as const;

export type EntryRecord = Partial<Record<(typeof RECORD_COLUMNS)[number], string>>;

function splitList(cell: string | undefined): string[] {
  return (cell ?? '').split(/\r?\n|\|/).map((s) => s.trim()).filter(Boolean);
}

/** One attachment per line: `link <url> [title]` or `image <url> [title]`, or just a URL (a link). */
function parseAttachments(cell: string | undefined): Attachment[] {
  return (cell ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean).map((line) => {
    const [first, ...rest] = line.split(/\s+/);
    if ((first === 'link' || first === 'image') && rest.length > 0) {
      const [url, ...title] = rest;
      return { kind: first, url: url!, ...(title.length ? { title: title.join(' ') } : {}) };
    }
    const [url, ...title] = line.split(/\s+/);
    return { kind: 'link' as const, url: url!, ...(title.length ? { title: title.join(' ') } : {}) };
  });
}

const STATUSES: readonly EntryStatus[] = ['draft', 'published', 'archived'];

/** A record (a CSV row, or a JSON object with the same keys) as an entry's id, status and content. */
export function entryFromRecord(record: EntryRecord): { id: string; status?: EntryStatus; input: EntryInput; problems: EntryProblem[] } {
  const id = (record.id ?? '').trim();
  const answers: Record<string, string> = {};
  for (const lang of ANSWER_LANGUAGES) {
    const text = record[`answer_${lang}`]?.trim();
    if (text) answers[lang] = text;
  }
  const input: EntryInput = {
    questions: splitList(record.questions),
    answers,
    category: (record.category ?? '').trim(),
    tags: splitList(record.tags?.replace(/,/g, '|')),
    languages: splitList(record.languages?.replace(/,/g, '|')),
    ...(record.validFrom?.trim() ? { validFrom: record.validFrom.trim() } : {}),
    ...(record.validUntil?.trim() ? { validUntil: record.validUntil.trim() } : {}),
    ...(record.owner?.trim() ? { owner: record.owner.trim() } : {}),
    attachments: parseAttachments(record.attachments),
  };
  const problems = problemsOf(id, input);
  const rawStatus = record.status?.trim().toLowerCase();
  if (rawStatus && !(STATUSES as readonly string[]).includes(rawStatus)) problems.push({ field: 'status', message: `must be one of ${STATUSES.join(', ')}` });
  return { id, ...(rawStatus && (STATUSES as readonly string[]).includes(rawStatus) ? { status: rawStatus as EntryStatus } : {}), input, problems };
}

/** An entry as exported to JSON (`questions` an array, `answers` an object): anything of the wrong type is a problem. */
export function entryFromObject(o: Readonly<Record<string, unknown>>): { id: string; status?: EntryStatus; input: EntryInput; problems: EntryProblem[] } {
  const problems: EntryProblem[] = [];
  const strings = (field: string, v: unknown): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problems.push({ field, message: 'must be an array of strings' });
      return [];
    }
    return v as string[];
  };
  const text = (field: string, v: unknown): string | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') {
      problems.push({ field, message: 'must be a string' });
      return undefined;
    }
    return v;
  };
  const answers: Record<string, string> = {};
  if (typeof o.answers === 'object' && o.answers !== null && !Array.isArray(o.answers)) {
    for (const [lang, v] of Object.entries(o.answers)) {
      if (typeof v === 'string') answers[lang] = v;
      else problems.push({ field: `answers.${lang}`, message: 'must be a string' });
    }
  } else problems.push({ field: 'answers', message: 'must be an object of language → answer' });
  const attachments: Attachment[] = [];
  if (o.attachments !== undefined) {
    if (!Array.isArray(o.attachments)) problems.push({ field: 'attachments', message: 'must be an array' });
    else {
      o.attachments.forEach((a: unknown, i) => {
        const x = a as Record<string, unknown> | null;
        if (!x || (x.kind !== 'link' && x.kind !== 'image') || typeof x.url !== 'string') problems.push({ field: `attachments.${i}`, message: 'must be { kind: link | image, url, title? }' });
        else attachments.push({ kind: x.kind, url: x.url, ...(typeof x.title === 'string' ? { title: x.title } : {}) });
      });
    }
  }
  const id = text('id', o.id) ?? '';
  const validFrom = text('validFrom', o.validFrom);
  const validUntil = text('validUntil', o.validUntil);
  const owner = text('owner', o.owner);
  const input: EntryInput = {
    questions: strings('questions', o.questions),
    answers,
    ...(typeof o.channelAnswers === 'object' && o.channelAnswers !== null ? { channelAnswers: o.channelAnswers as EntryInput['channelAnswers'] } : {}),
    attachments,
    category: text('category', o.category) ?? '',
    tags: strings('tags', o.tags),
    languages: strings('languages', o.languages),
    ...(validFrom ? { validFrom } : {}),
    ...(validUntil ? { validUntil } : {}),
    ...(owner ? { owner } : {}),
  };
  problems.push(...problemsOf(id, input));
  const status = text('status', o.status);
  if (status && !(STATUSES as readonly string[]).includes(status)) problems.push({ field: 'status', message: `must be one of ${STATUSES.join(', ')}` });
  return { id, ...(status && (STATUSES as readonly string[]).includes(status) ? { status: status as EntryStatus } : {}), input, problems };
}

export function recordFromEntry(entry: KnowledgeEntry): Required<EntryRecord> {
  return {
    id: entry.id,
    status: entry.status,
    category: entry.category,
    tags: entry.tags.join('\n'),
    languages: (entry.languages ?? []).join('\n'),
    questions: entry.questions.join('\n'),
    'answer_zh-Hans': entry.answers['zh-Hans'] ?? '',
    'answer_zh-Hant': entry.answers['zh-Hant'] ?? '',
    answer_en: entry.answers.en ?? '',
    answer_default: entry.answers.default ?? '',
    validFrom: entry.validFrom ?? '',
    validUntil: entry.validUntil ?? '',
    owner: entry.owner ?? '',
    attachments: (entry.attachments ?? []).map((a) => `${a.kind} ${a.url}${a.title ? ` ${a.title}` : ''}`).join('\n'),
  };
}

/**
 * The key under which an unanswered question is counted: the text normalised (width, case, Traditional folded to
 * Simplified) without punctuation and spaces, so "退貨怎麼辦？" and "退货怎么办" count as one question.
 */
export function unansweredKey(text: string, fold: (text: string) => string): string {
  return fold(text).replace(/[\p{P}\p{S}\s]+/gu, '').slice(0, 200);
}
