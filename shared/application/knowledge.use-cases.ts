/**
 * Knowledge base administration: create, edit, publish and archive entries (each change a new version with its audit
 * event, written all or nothing), bulk import and export as CSV or JSON, the audit trail, and the review of questions
 * the bot could not answer. Every change that alters what may be served moves the index revision, which running answer
 * engines watch, so a publish takes effect without a redeploy.
 */
import { DomainError } from '../domain/errors.ts';
import {
  affectsServing, changedFields, changeStatus, createEntry, entryFromObject, entryFromRecord, inputOf, RECORD_COLUMNS, recordFromEntry, reviseEntry,
  type EntryInput, type EntryProblem, type EntryRecord,
} from '../domain/knowledge/knowledge-admin.ts';
import type { EntryStatus, KnowledgeEntry } from '../domain/knowledge/knowledge-entry.ts';
import type { Clock, Ids } from '../ports/gateways.ts';
import type { CsvCodec, KnowledgeAction, KnowledgeRepository } from '../ports/knowledge.ts';

export interface KnowledgeAdminDeps {
  readonly repository: KnowledgeRepository;
  readonly csv: CsvCodec;
  readonly clock: Clock;
  readonly ids: Ids;
}

export const MAX_IMPORT_ROWS = 2000;

async function mustGet(deps: KnowledgeAdminDeps, entryId: string): Promise<KnowledgeEntry> {
  const entry = await deps.repository.get(entryId);
  if (!entry) throw new DomainError('KNOWLEDGE.NOT_FOUND', `knowledge entry ${entryId} does not exist`);
  return entry;
}

function checkVersion(entry: KnowledgeEntry, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && entry.version !== expectedVersion) {
    throw new DomainError('KNOWLEDGE.VERSION_CONFLICT', `knowledge entry ${entry.id} is at version ${entry.version}, not ${expectedVersion}; reload it and edit again`, { currentVersion: entry.version });
  }
}

async function write(deps: KnowledgeAdminDeps, before: KnowledgeEntry | undefined, after: KnowledgeEntry, action: KnowledgeAction, actor: string): Promise<KnowledgeEntry> {
  await deps.repository.save(after, {
    expectedVersion: before?.version ?? 0,
    bumpRevision: affectsServing(before, after),
    audit: { at: after.updatedAt, actor, action, entryId: after.id, version: after.version, fields: changedFields(before, after) },
  });
  return after;
}

const statusAction: Record<EntryStatus, KnowledgeAction> = { published: 'publish', archived: 'archive', draft: 'unpublish' };

export function makeKnowledgeAdmin(deps: KnowledgeAdminDeps) {
  const now = () => deps.clock.now().toISOString();

  const list = async (filter: { status?: EntryStatus; category?: string; q?: string } = {}) => {
    const q = filter.q?.trim().toLowerCase();
    const entries = (await deps.repository.list())
      .filter((e) => !filter.status || e.status === filter.status)
      .filter((e) => !filter.category || e.category === filter.category)
      .filter((e) => !q || e.id.toLowerCase().includes(q) || e.questions.some((x) => x.toLowerCase().includes(q)) || Object.values(e.answers).some((a) => a.toLowerCase().includes(q)))
      .sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
    return { entries, revision: await deps.repository.revision() };
  };

  const create = async (request: { id?: string; status?: EntryStatus; input: EntryInput }, actor: string) => {
    const id = request.id ?? `kb-${deps.ids.next().toLowerCase()}`;
    if (await deps.repository.get(id)) throw new DomainError('KNOWLEDGE.ALREADY_EXISTS', `knowledge entry ${id} already exists`);
    const entry = createEntry(id, request.input, { actor, at: now(), ...(request.status ? { status: request.status } : {}) });
    return write(deps, undefined, entry, 'create', actor);
  };

  const update = async (entryId: string, request: { expectedVersion?: number; input: EntryInput }, actor: string) => {
    const current = await mustGet(deps, entryId);
    checkVersion(current, request.expectedVersion);
    return write(deps, current, reviseEntry(current, request.input, { actor, at: now() }), 'update', actor);
  };

  const setStatus = async (entryId: string, to: EntryStatus, request: { expectedVersion?: number }, actor: string) => {
    const current = await mustGet(deps, entryId);
    checkVersion(current, request.expectedVersion);
    const next = changeStatus(current, to, { actor, at: now() });
    return next ? write(deps, current, next, statusAction[to], actor) : current;
  };

  const get = async (entryId: string) => {
    const entry = await mustGet(deps, entryId);
    const [versions, audit] = await Promise.all([deps.repository.versions(entryId), deps.repository.audit({ entryId, limit: 100 })]);
    return { entry, versions, audit };
  };

  /**
   * Bulk import: every row is checked first, and one bad row rejects the whole file with every problem listed (nothing
   * is written). Then each row creates its entry or, when the id exists, becomes a new version of it (unchanged rows
   * write nothing). `publish` publishes every imported entry; otherwise a row's status column (or draft) applies.
   */
  const importEntries = async (request: { format: 'csv' | 'json'; content: string | readonly unknown[]; publish?: boolean }, actor: string) => {
    const rows = parseImport(deps, request.format, request.content);
    if (rows.length === 0) throw new DomainError('KNOWLEDGE.INVALID', 'the file has no entries');
    if (rows.length > MAX_IMPORT_ROWS) throw new DomainError('KNOWLEDGE.INVALID', `at most ${MAX_IMPORT_ROWS} entries per import`);
    const problems: { row: number; id: string; issues: EntryProblem[] }[] = [];
    const seen = new Map<string, number>();
    rows.forEach((row, i) => {
      const issues = [...row.problems];
      const first = seen.get(row.id);
      if (row.id && first !== undefined) issues.push({ field: 'id', message: `duplicates row ${first}` });
      seen.set(row.id, i + 1);
      if (issues.length > 0) problems.push({ row: i + 1, id: row.id, issues });
    });
    if (problems.length > 0) {
      const summary = problems.slice(0, 5).map((p) => `row ${p.row}${p.id ? ` (${p.id})` : ''}: ${p.issues.map((x) => `${x.field} ${x.message}`).join(', ')}`).join('; ');
      throw new DomainError('KNOWLEDGE.INVALID', `${problems.length} of ${rows.length} rows are invalid, nothing was imported: ${summary}`, { rows: problems });
    }
    const at = now();
    const report = { created: [] as string[], updated: [] as string[], unchanged: [] as string[] };
    for (const row of rows) {
      const status = request.publish ? 'published' : row.status;
      const current = await deps.repository.get(row.id);
      if (!current) {
        await write(deps, undefined, createEntry(row.id, row.input, { actor, at, status: status ?? 'draft' }), 'import', actor);
        report.created.push(row.id);
        continue;
      }
      const next = reviseEntry(current, row.input, { actor, at, ...(status ? { status } : {}) });
      // Compared with the current entry normalised the same way (e.g. languages derived from the answers), so that
      // re-importing an export changes nothing.
      const normalisedCurrent = reviseEntry(current, inputOf(current), { actor, at });
      if (changedFields(normalisedCurrent, next).length === 0) {
        report.unchanged.push(row.id);
        continue;
      }
      await write(deps, current, next, 'import', actor);
      report.updated.push(row.id);
    }
    return { ...report, total: rows.length, revision: await deps.repository.revision() };
  };

  const exportEntries = async (request: { format: 'csv' | 'json'; status?: EntryStatus }) => {
    const { entries } = await list(request.status ? { status: request.status } : {});
    if (request.format === 'csv') return { contentType: 'text/csv; charset=utf-8', body: deps.csv.stringify(entries.map(recordFromEntry)) };
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(entries.map((e) => ({ id: e.id, status: e.status, ...inputOf(e) })), null, 2) };
  };

  const unanswered = async (request: { status?: 'open' | 'resolved'; limit?: number }) => ({
    questions: (await deps.repository.listUnanswered({ status: request.status ?? 'open', limit: request.limit ?? 100 })),
  });

  /** One call turns an unanswered question into a new variant of an entry, or into a new entry. */
  const resolveUnanswered = async (
    key: string,
    request: { addToEntry: string; expectedVersion?: number } | { createEntry: { id?: string; status?: EntryStatus; input: Omit<EntryInput, 'questions'> & { questions?: readonly string[] } } } | { dismiss: { reason: string } },
    actor: string,
  ) => {
    const question = await deps.repository.getUnanswered(key);
    if (!question) throw new DomainError('UNANSWERED.NOT_FOUND', `no unanswered question ${key}`);
    if ('dismiss' in request) {
      await deps.repository.resolveUnanswered(key, { actor, dismissed: request.dismiss.reason, at: now() });
      return { question: { ...question, status: 'resolved' as const, resolvedBy: actor, dismissedReason: request.dismiss.reason } };
    }
    let entry: KnowledgeEntry;
    if ('addToEntry' in request) {
      const current = await mustGet(deps, request.addToEntry);
      checkVersion(current, request.expectedVersion);
      const input = inputOf(current);
      entry = await write(deps, current, reviseEntry(current, { ...input, questions: [...input.questions, question.text] }, { actor, at: now() }), 'variant_added', actor);
    } else {
      const { input, ...rest } = request.createEntry;
      entry = await create({ ...rest, input: { ...input, questions: [question.text, ...(input.questions ?? [])] } }, actor);
    }
    await deps.repository.resolveUnanswered(key, { actor, entryId: entry.id, at: now() });
    return { entry, question: { ...question, status: 'resolved' as const, resolvedBy: actor, resolvedEntryId: entry.id } };
  };

  return {
    list, get, create, update, setStatus, importEntries, exportEntries, unanswered, resolveUnanswered,
    audit: (request: { entryId?: string; limit?: number }) => deps.repository.audit({ ...(request.entryId ? { entryId: request.entryId } : {}), limit: request.limit ?? 100 }),
  };
}

type ImportRow = ReturnType<typeof entryFromRecord>;

/** JSON accepts both shapes: entries as exported (`questions` an array, `answers` an object) and flat CSV-like records. */
function parseImport(deps: KnowledgeAdminDeps, format: 'csv' | 'json', content: string | readonly unknown[]): ImportRow[] {
  if (format === 'csv') {
    if (typeof content !== 'string') throw new DomainError('KNOWLEDGE.INVALID', 'a CSV import needs `content` as text');
    return deps.csv.parse(content).map(entryFromRecord);
  }
  let items: unknown;
  try {
    items = typeof content === 'string' ? JSON.parse(content) : content;
  } catch {
    throw new DomainError('KNOWLEDGE.INVALID', 'the JSON file is not valid JSON');
  }
  if (!Array.isArray(items)) throw new DomainError('KNOWLEDGE.INVALID', 'a JSON import is an array of entries');
  return items.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { id: '', input: { questions: [], answers: {}, category: '' }, problems: [{ field: `[${i}]`, message: 'must be an object' }] };
    }
    const o = item as Record<string, unknown>;
    if (Array.isArray(o.questions)) return entryFromObject(o);
    const record = Object.fromEntries(Object.entries(o).filter(([k, v]) => (RECORD_COLUMNS as readonly string[]).includes(k) && typeof v === 'string')) as EntryRecord;
    return entryFromRecord(record);
  });
}
