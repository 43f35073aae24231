/**
 * The knowledge base screen (`/console/admin/knowledge`): the entries (search, status, category), one entry's editor
 * (question variants, answers per language, category, tags, validity; saved with the version it was read at, so a
 * concurrent edit is a 409 and not a lost update; publish / unpublish / archive), "test a question" against the live
 * answer index, and the questions the bot could not answer. Admins edit; supervisors read. Loaded lazily by app.tsx.
 * Export downloads the entries as CSV or JSON; import (a file or pasted text) shows what was created / updated or, when
 * the API rejects the file, every bad row. An entry created from an unanswered question is created through the
 * question's resolve call, so the question leaves the list; "Add to …" resolves it as a variant of its nearest entry.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorMessage, isVersionConflict, queryString } from '../api.ts';
import { hasRole } from '../auth.ts';
import { dateTime } from '../format.ts';
import { labelOf, useI18n, useScreenT, type MessageKey, type Translate } from '../i18n.ts';
import type { ConsoleConfig } from '../types.ts';
import { Empty, Modal, useApp } from '../ui.tsx';
import { knowledgeStrings } from './knowledge.i18n.ts';
import type { AnswerResult, ApiErrorBody, EntryStatus, ImportReport, KnowledgeDetail, KnowledgeEntry, KnowledgeList, UnansweredQuestion } from './types.ts';

const STATUSES: readonly EntryStatus[] = ['draft', 'published', 'archived'];
const LANGUAGES = ['zh-Hans', 'zh-Hant', 'en'] as const;

type Selection = { readonly mode: 'edit'; readonly id: string } | { readonly mode: 'new'; readonly question?: string; readonly unansweredKey?: string; readonly key: number };

/** An API error that keeps the body's `details` (the shared client keeps only code and message). */
class DetailedError extends ApiError {
  constructor(
    status: number,
    readonly body: ApiErrorBody,
  ) {
    super(status, body.code, body.message);
  }
}

/** One request with the signed-in user's token; the body as text (an export is a file, not JSON). */
async function rawRequest(config: ConsoleConfig, token: string, method: string, path: string, body?: unknown): Promise<string> {
  const res = await fetch(`${config.apiBase.replace(/\/$/, '')}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) {
    let error: ApiErrorBody | undefined;
    try {
      error = (JSON.parse(text) as { error?: ApiErrorBody }).error;
    } catch {
      // not JSON
    }
    throw new DetailedError(res.status, error ?? { code: `HTTP.${res.status}`, message: text || `HTTP ${res.status}` });
  }
  return text;
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

let newCounter = 0;

export function Screen() {
  const { t } = useI18n();
  const k = useScreenT(knowledgeStrings);
  const { api, session, config, toast } = useApp();
  const canEdit = hasRole(session.user, 'admin');
  const [importing, setImporting] = useState(false);
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<EntryStatus | ''>('');
  const [category, setCategory] = useState('');
  const [list, setList] = useState<KnowledgeList>();
  const [categories, setCategories] = useState<readonly string[]>([]);
  const [error, setError] = useState<string>();
  const [selection, setSelection] = useState<Selection>();
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = useCallback(() => setRefreshKey((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      api.get<KnowledgeList>(`/v1/admin/knowledge${queryString({ status, category, q: q.trim() })}`).then(
        (next) => {
          if (cancelled) return;
          setList(next);
          setError(undefined);
          // Categories seen so far (a filtered list shows fewer): the category filter's options.
          setCategories((known) => [...new Set([...known, ...next.entries.map((e) => e.category)])].sort());
        },
        (err: unknown) => !cancelled && setError(errorMessage(err)),
      );
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, q, status, category, refreshKey]);

  const open = useCallback((id: string) => setSelection({ mode: 'edit', id }), []);
  const selectedId = selection?.mode === 'edit' ? selection.id : undefined;

  const exportAs = async (format: 'csv' | 'json') => {
    try {
      const text = await rawRequest(config, session.token, 'GET', `/v1/admin/knowledge/export${queryString({ format, status })}`);
      const file = `knowledge${status ? `-${status}` : ''}.${format}`;
      // The CSV keeps its byte-order mark (spreadsheet programs read UTF-8 by it); fetch's text() drops it.
      download(file, format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json', format === 'csv' ? `\uFEFF${text.replace(/^\uFEFF/, '')}` : text);
      toast('success', k('exported', { file }));
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  return (
    <div class="knowledge" data-testid="knowledge">
      <div class="page-head">
        <h1>{t('kb.title')}</h1>
        {list && (
          <span class="muted" data-testid="kb-revision">
            {t('kb.revision', { revision: list.revision })}
          </span>
        )}
        <span class="spacer" />
        <div class="kb-io-actions" title={k('exportHint')}>
          <button type="button" class="button button-ghost" data-testid="kb-export-csv" onClick={() => void exportAs('csv')}>
            {k('exportCsv')}
          </button>
          <button type="button" class="button button-ghost" data-testid="kb-export-json" onClick={() => void exportAs('json')}>
            {k('exportJson')}
          </button>
          {canEdit && (
            <button type="button" class="button" data-testid="kb-import" onClick={() => setImporting(true)}>
              {k('import')}
            </button>
          )}
        </div>
        {canEdit ? (
          <button type="button" class="button button-primary" data-testid="kb-new" onClick={() => setSelection({ mode: 'new', key: ++newCounter })}>
            {t('kb.new')}
          </button>
        ) : (
          <span class="tag" data-testid="kb-read-only">
            {t('kb.readOnly')}
          </span>
        )}
      </div>
      {error && <p class="error-text">{error}</p>}
      <div class="kb-grid">
        <div class="kb-column">
        <section class="card">
          <div class="kb-filters">
            <input type="search" class="kb-search" placeholder={t('kb.search')} aria-label={t('kb.search')} value={q} data-testid="kb-search" onInput={(e) => setQ(e.currentTarget.value)} />
            <select aria-label={t('kb.col.status')} value={status} data-testid="kb-status-filter" onChange={(e) => setStatus(e.currentTarget.value as EntryStatus | '')}>
              <option value="">{t('kb.allStatuses')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`kb.status.${s}`)}
                </option>
              ))}
            </select>
            <select aria-label={t('kb.col.category')} value={category} data-testid="kb-category-filter" onChange={(e) => setCategory(e.currentTarget.value)}>
              <option value="">{t('kb.allCategories')}</option>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            {list && <span class="muted small">{t('kb.count', { n: list.entries.length })}</span>}
          </div>
          <div class="kb-list">
            <table class="table" data-testid="kb-list">
              <thead>
                <tr>
                  <th>{t('kb.col.id')}</th>
                  <th>{t('kb.col.question')}</th>
                  <th>{t('kb.col.category')}</th>
                  <th>{t('kb.col.status')}</th>
                  <th class="num">{t('kb.col.version')}</th>
                  <th>{t('kb.col.validity')}</th>
                </tr>
              </thead>
              <tbody>
                {list?.entries.map((e) => (
                  <tr
                    key={e.id}
                    class={`kb-row ${selectedId === e.id ? 'selected' : ''}`}
                    data-testid="kb-row"
                    data-entry-id={e.id}
                    data-status={e.status}
                    data-version={e.version}
                    tabIndex={0}
                    onClick={() => open(e.id)}
                    onKeyDown={(ev) => ev.key === 'Enter' && open(e.id)}
                  >
                    <td class="small mono">{e.id}</td>
                    <td class="kb-question-cell">{e.questions[0] ?? ''}</td>
                    <td class="small">{e.category}</td>
                    <td>
                      <StatusTag status={e.status} />
                    </td>
                    <td class="num">{e.version}</td>
                    <td class="small">
                      <Validity entry={e} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list && list.entries.length === 0 && <Empty>{t('kb.none')}</Empty>}
          </div>
        </section>
        <AnswerTester onOpen={open} />
        </div>
        <section class="card">
          {selection ? (
            <EntryEditor key={selection.mode === 'edit' ? selection.id : `new-${selection.key}`} selection={selection} canEdit={canEdit} onSaved={(entry) => (refresh(), open(entry.id))} />
          ) : (
            <Empty>{t('kb.pick')}</Empty>
          )}
        </section>
        <Unanswered
          canEdit={canEdit}
          refreshKey={refreshKey}
          onOpen={open}
          onCreate={(question, unansweredKey) => setSelection({ mode: 'new', question, unansweredKey, key: ++newCounter })}
          onResolved={(entry) => {
            refresh();
            if (selectedId === entry.id) setSelection({ mode: 'edit', id: entry.id });
          }}
        />
      </div>
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={() => {
            refresh();
            if (selectedId) setSelection({ mode: 'edit', id: selectedId });
          }}
        />
      )}
    </div>
  );
}

// ---- import ----

function ImportDialog({ onClose, onImported }: { onClose(): void; onImported(): void }) {
  const k = useScreenT(knowledgeStrings);
  const { config, session, toast } = useApp();
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [content, setContent] = useState('');
  const [publish, setPublish] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport>();
  const [failure, setFailure] = useState<ApiErrorBody>();

  const pick = async (file: File | undefined) => {
    if (!file) return;
    if (/\.json$/i.test(file.name)) setFormat('json');
    else if (/\.csv$/i.test(file.name)) setFormat('csv');
    setContent((await file.text()).replace(/^\uFEFF/, ''));
    setReport(undefined);
    setFailure(undefined);
  };

  const submit = async () => {
    if (busy) return;
    if (!content.trim()) return setFailure({ code: 'EMPTY', message: k('empty') });
    setBusy(true);
    setReport(undefined);
    setFailure(undefined);
    try {
      const result = JSON.parse(await rawRequest(config, session.token, 'POST', '/v1/admin/knowledge/import', { format, content, ...(publish ? { publish: true } : {}) })) as ImportReport;
      setReport(result);
      toast('success', k('imported', { total: result.total, created: result.created.length, updated: result.updated.length }));
      onImported();
    } catch (err) {
      setFailure(err instanceof DetailedError ? err.body : { code: 'ERROR', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={k('importTitle')} onClose={onClose} testId="kb-import-dialog">
      <div class="kb-import">
        <p class="muted small">{k('importHint')}</p>
        <div class="field-row">
          <label class="field">
            <span>{k('format')}</span>
            <select value={format} data-testid="kb-import-format" onChange={(e) => setFormat(e.currentTarget.value as 'csv' | 'json')}>
              <option value="csv">CSV</option>
              <option value="json">JSON</option>
            </select>
          </label>
          <label class="field">
            <span>{k('file')}</span>
            <input type="file" accept=".csv,.json,text/csv,application/json" data-testid="kb-import-file" onChange={(e) => void pick(e.currentTarget.files?.[0])} />
          </label>
        </div>
        <label class="field">
          <span>{k('paste')}</span>
          <textarea rows={8} class="mono" value={content} data-testid="kb-import-text" onInput={(e) => setContent(e.currentTarget.value)} />
        </label>
        <label class="checkbox">
          <input type="checkbox" checked={publish} data-testid="kb-import-publish" onChange={(e) => setPublish(e.currentTarget.checked)} /> {k('publish')}
        </label>
        {report && (
          <div class="notice notice-success kb-import-result" data-testid="kb-import-result" data-created={report.created.join(',')} data-updated={report.updated.join(',')}>
            <strong>{k('resultTitle', { total: report.total })}</strong> · {k('created', { n: report.created.length })} · {k('updated', { n: report.updated.length })} · {k('unchanged', { n: report.unchanged.length })}
            <ul>
              {report.created.map((id) => (
                <li key={`c-${id}`} class="mono">
                  + {id}
                </li>
              ))}
              {report.updated.map((id) => (
                <li key={`u-${id}`} class="mono">
                  ~ {id}
                </li>
              ))}
            </ul>
          </div>
        )}
        {failure && (
          <div class="flow-problems kb-import-result" role="alert" data-testid="kb-import-errors">
            <p class="error-text">{failure.details?.rows ? k('rejected') : failure.message}</p>
            {failure.details?.rows && (
              <ul>
                {failure.details.rows.map((r) => (
                  <li key={r.row} data-testid="kb-import-row-error" data-row={r.row}>
                    {k('row', { row: r.row })}
                    {r.id ? <span class="mono"> ({r.id})</span> : null}: {r.issues.map((i) => `${i.field} ${i.message}`).join('; ')}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div class="kb-actions">
          <span class="spacer" />
          <button type="button" class="button button-ghost" data-testid="kb-import-close" onClick={onClose}>
            {k('cancel')}
          </button>
          <button type="button" class="button button-primary" data-testid="kb-import-submit" disabled={busy} onClick={() => void submit()}>
            {busy ? k('importing') : k('submit')}
          </button>
        </div>
      </div>
    </Modal>
  );
}

function StatusTag({ status }: { status: EntryStatus }) {
  const { t } = useI18n();
  return <span class={`tag kb-status kb-status-${status}`}>{t(`kb.status.${status}`)}</span>;
}

function Validity({ entry }: { entry: Pick<KnowledgeEntry, 'validFrom' | 'validUntil'> }) {
  const { t, lang } = useI18n();
  const { validFrom, validUntil } = entry;
  if (!validFrom && !validUntil) return <span class="muted">{t('kb.always')}</span>;
  const now = Date.now();
  const from = validFrom ? dateTime(validFrom, lang) : '';
  const until = validUntil ? dateTime(validUntil, lang) : '';
  const text = validFrom && validUntil ? `${from} – ${until}` : validFrom ? t('kb.validFromOnly', { from }) : t('kb.validUntilOnly', { until });
  const expired = validUntil && Date.parse(validUntil) <= now;
  const scheduled = validFrom && Date.parse(validFrom) > now;
  return (
    <span>
      {text} {expired && <span class="tag kb-status-archived">{t('kb.expired')}</span>}
      {scheduled && <span class="tag kb-status-draft">{t('kb.scheduled')}</span>}
    </span>
  );
}

// ---- the editor ----

interface Form {
  readonly id: string;
  readonly questions: readonly string[];
  readonly answers: Readonly<Record<string, string>>;
  readonly category: string;
  readonly tags: string;
  readonly validFrom: string;
  readonly validUntil: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as a `datetime-local` value in the browser's time zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function formOf(entry: KnowledgeEntry | undefined, question?: string): Form {
  return {
    id: entry?.id ?? '',
    questions: entry ? [...entry.questions] : [question ?? ''],
    answers: { ...Object.fromEntries(LANGUAGES.map((l) => [l, ''])), ...(entry?.answers ?? {}) },
    category: entry?.category ?? '',
    tags: (entry?.tags ?? []).join(', '),
    validFrom: toLocalInput(entry?.validFrom),
    validUntil: toLocalInput(entry?.validUntil),
  };
}

/** What PUT / POST take: the form, with what the form does not edit (channel answers, attachments, owner) kept. */
function inputOf(form: Form, base: KnowledgeEntry | undefined) {
  const validFrom = fromLocalInput(form.validFrom);
  const validUntil = fromLocalInput(form.validUntil);
  return {
    questions: form.questions.map((x) => x.trim()).filter(Boolean),
    answers: Object.fromEntries(Object.entries(form.answers).filter(([, text]) => text.trim())),
    category: form.category.trim(),
    tags: form.tags
      .split(/[,，]/)
      .map((x) => x.trim())
      .filter(Boolean),
    ...(validFrom ? { validFrom } : {}),
    ...(validUntil ? { validUntil } : {}),
    ...(base?.channelAnswers ? { channelAnswers: base.channelAnswers } : {}),
    ...(base?.attachments ? { attachments: base.attachments } : {}),
    ...(base?.owner ? { owner: base.owner } : {}),
  };
}

function langLabel(t: Translate, lang: string): string {
  return labelOf(t, 'kb.lang', lang);
}

function EntryEditor({ selection, canEdit, onSaved }: { selection: Selection; canEdit: boolean; onSaved(entry: KnowledgeEntry): void }) {
  const { t, lang } = useI18n();
  const k = useScreenT(knowledgeStrings);
  const { api, toast } = useApp();
  const isNew = selection.mode === 'new';
  const [detail, setDetail] = useState<KnowledgeDetail>();
  const [form, setForm] = useState<Form>(() => formOf(undefined, selection.mode === 'new' ? selection.question : undefined));
  const [saved, setSaved] = useState<Form>(form);
  const [loadError, setLoadError] = useState<string>();
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState<number | 'unknown'>();
  const [busy, setBusy] = useState(false);
  const entry = detail?.entry;

  const load = useCallback(async () => {
    if (selection.mode !== 'edit') return;
    try {
      const next = await api.get<KnowledgeDetail>(`/v1/admin/knowledge/${encodeURIComponent(selection.id)}`);
      setDetail(next);
      const f = formOf(next.entry);
      setForm(f);
      setSaved(f);
      setConflict(undefined);
      setError(undefined);
      setLoadError(undefined);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [api, selection]);
  useEffect(() => void load(), [load]);

  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(saved), [form, saved]);
  const languages = useMemo(() => [...new Set([...LANGUAGES, ...Object.keys(form.answers)])], [form.answers]);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const failed = (err: unknown) => {
    if (isVersionConflict(err)) {
      // "… is at version 3, not 2; reload it …": the version it is at now.
      const now = /version (\d+)/.exec(err.message)?.[1];
      setConflict(now ? Number(now) : 'unknown');
    } else setError(t('kb.invalid', { message: errorMessage(err) }));
  };

  const afterWrite = async (next: KnowledgeEntry) => {
    onSaved(next);
    if (!isNew) await load();
  };

  const save = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      if (isNew && selection.mode === 'new' && selection.unansweredKey) {
        // The question's own resolve call creates the entry (with the question as its first variant) and resolves it.
        const id = form.id.trim();
        const input = inputOf(form, undefined);
        const question = selection.question ?? '';
        const { entry: created } = await api.post<{ entry: KnowledgeEntry }>(`/v1/admin/unanswered/${encodeURIComponent(selection.unansweredKey)}/resolve`, {
          createEntry: { ...(id ? { id } : {}), ...input, questions: input.questions.filter((x) => x !== question.trim()) },
        });
        toast('success', k('resolvedCreated', { id: created.id }));
        await afterWrite(created);
      } else if (isNew) {
        const id = form.id.trim();
        const created = await api.post<KnowledgeEntry>('/v1/admin/knowledge', { ...(id ? { id } : {}), ...inputOf(form, undefined) });
        toast('success', t('kb.created', { id: created.id }));
        await afterWrite(created);
      } else if (entry) {
        const updated = await api.put<KnowledgeEntry>(`/v1/admin/knowledge/${encodeURIComponent(entry.id)}`, { ...inputOf(form, entry), expectedVersion: entry.version });
        toast('success', t('kb.saved', { id: updated.id, version: updated.version }));
        await afterWrite(updated);
      }
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const changeStatus = async (action: 'publish' | 'unpublish' | 'archive') => {
    if (busy || !entry) return;
    setBusy(true);
    setError(undefined);
    try {
      const next = await api.post<KnowledgeEntry>(`/v1/admin/knowledge/${encodeURIComponent(entry.id)}/${action}`, { expectedVersion: entry.version });
      toast('success', t(`kb.done.${next.status}` as MessageKey, { id: next.id }));
      await afterWrite(next);
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <p class="error-text">{loadError}</p>;
  if (!isNew && !entry) return <Empty>{t('common.loading')}</Empty>;
  const readOnly = !canEdit;

  return (
    <div class="kb-editor" data-testid="kb-editor" data-entry-id={entry?.id ?? ''} data-version={entry?.version ?? ''} data-status={entry?.status ?? 'new'} data-dirty={dirty}>
      <div class="kb-editor-head">
        <h2>{isNew ? t('kb.new') : entry?.id}</h2>
        {entry && <StatusTag status={entry.status} />}
        {dirty && <span class="tag kb-dirty">{t('kb.dirty')}</span>}
      </div>
      {entry && (
        <p class="muted small">
          {t('kb.meta', { version: entry.version, by: entry.updatedBy ?? '—', time: dateTime(entry.updatedAt, lang) })}
        </p>
      )}
      {conflict !== undefined && (
        <div class="kb-conflict" role="alert" data-testid="kb-conflict">
          <span>{t('kb.conflict', { version: conflict === 'unknown' ? '?' : conflict })}</span>
          <button type="button" class="button button-small" data-testid="kb-reload" onClick={() => void load()}>
            {t('kb.reload')}
          </button>
        </div>
      )}
      {isNew && selection.mode === 'new' && selection.unansweredKey && (
        <p class="hint" data-testid="kb-from-unanswered">
          {k('fromUnanswered')}
        </p>
      )}
      {error && (
        <p class="error-text" data-testid="kb-error">
          {error}
        </p>
      )}
      <fieldset disabled={readOnly || busy} class="kb-fieldset">
        {isNew && (
          <label class="field">
            <span>{t('kb.newId')}</span>
            <input value={form.id} data-testid="kb-new-id" placeholder="kb-…" onInput={(e) => set({ id: e.currentTarget.value })} />
          </label>
        )}
        <div class="field">
          <span>{t('kb.questions')}</span>
          {form.questions.map((question, i) => (
            <div class="kb-question" key={i}>
              <input
                value={question}
                aria-label={t('kb.question', { n: i + 1 })}
                data-testid="kb-question-input"
                onInput={(e) => {
                  const value = e.currentTarget.value;
                  setForm((f) => ({ ...f, questions: f.questions.map((x, j) => (j === i ? value : x)) }));
                }}
              />
              {!readOnly && (
                <button type="button" class="icon-button" title={t('kb.removeQuestion')} aria-label={t('kb.removeQuestion')} data-testid="kb-question-remove" disabled={form.questions.length <= 1} onClick={() => setForm((f) => ({ ...f, questions: f.questions.filter((_, j) => j !== i) }))}>
                  ×
                </button>
              )}
            </div>
          ))}
          {!readOnly && (
            <button type="button" class="button button-ghost button-small kb-add" data-testid="kb-question-add" onClick={() => setForm((f) => ({ ...f, questions: [...f.questions, ''] }))}>
              {t('kb.addQuestion')}
            </button>
          )}
        </div>
        <div class="field">
          <span>{t('kb.answers')}</span>
          {languages.map((l) => (
            <label class="kb-answer" key={l}>
              <span class="kb-lang">{langLabel(t, l)}</span>
              <textarea rows={3} value={form.answers[l] ?? ''} data-testid={`kb-answer-${l}`} onInput={(e) => set({ answers: { ...form.answers, [l]: e.currentTarget.value } })} />
            </label>
          ))}
        </div>
        <div class="field-row">
          <label class="field">
            <span>{t('kb.category')}</span>
            <input value={form.category} data-testid="kb-category" onInput={(e) => set({ category: e.currentTarget.value })} />
          </label>
          <label class="field">
            <span>{t('kb.tags')}</span>
            <input value={form.tags} data-testid="kb-tags" onInput={(e) => set({ tags: e.currentTarget.value })} />
          </label>
        </div>
        <div class="field-row">
          <label class="field">
            <span>{t('kb.validFrom')}</span>
            <input type="datetime-local" value={form.validFrom} data-testid="kb-valid-from" onInput={(e) => set({ validFrom: e.currentTarget.value })} />
          </label>
          <label class="field">
            <span>{t('kb.validUntil')}</span>
            <input type="datetime-local" value={form.validUntil} data-testid="kb-valid-until" onInput={(e) => set({ validUntil: e.currentTarget.value })} />
          </label>
        </div>
      </fieldset>
      {canEdit && (
        <div class="kb-actions">
          <button type="button" class="button button-primary" data-testid="kb-save" disabled={busy || (!dirty && !isNew)} onClick={() => void save()}>
            {busy ? t('kb.saving') : t('common.save')}
          </button>
          {dirty && !isNew && (
            <button type="button" class="button button-ghost" data-testid="kb-discard" disabled={busy} onClick={() => setForm(saved)}>
              {t('kb.discard')}
            </button>
          )}
          <span class="spacer" />
          {entry && entry.status !== 'published' && (
            <button type="button" class="button button-success" data-testid="kb-publish" disabled={busy || dirty} title={dirty ? t('kb.saveFirst') : undefined} onClick={() => void changeStatus('publish')}>
              {t('kb.publish')}
            </button>
          )}
          {entry && entry.status === 'published' && (
            <button type="button" class="button" data-testid="kb-unpublish" disabled={busy || dirty} title={dirty ? t('kb.saveFirst') : undefined} onClick={() => void changeStatus('unpublish')}>
              {t('kb.unpublish')}
            </button>
          )}
          {entry && entry.status !== 'archived' && (
            <button type="button" class="button button-ghost" data-testid="kb-archive" disabled={busy || dirty} title={dirty ? t('kb.saveFirst') : undefined} onClick={() => void changeStatus('archive')}>
              {t('kb.archive')}
            </button>
          )}
        </div>
      )}
      {detail && detail.audit.length > 0 && (
        <details class="kb-history">
          <summary>{t('kb.history')}</summary>
          <ul>
            {detail.audit.map((a) => (
              <li key={`${a.version}-${a.at}`} class="small">
                <span class="muted">{dateTime(a.at, lang)}</span> v{a.version} · {a.actor} · {labelOf(t, 'kb.action', a.action)}
                {a.fields?.length ? <span class="muted"> ({a.fields.join(', ')})</span> : null}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

// ---- test a question ----

function AnswerTester({ onOpen }: { onOpen(id: string): void }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [text, setText] = useState('');
  const [result, setResult] = useState<AnswerResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.post<AnswerResult>('/v1/capabilities/answer', { text: text.trim() }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return (
    <section class="card" data-testid="kb-test">
      <h2>{t('kb.test.title')}</h2>
      <form
        class="kb-test-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <input value={text} placeholder={t('kb.test.placeholder')} aria-label={t('kb.test.placeholder')} data-testid="kb-test-input" onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" class="button button-primary" data-testid="kb-test-submit" disabled={busy || !text.trim()}>
          {t('kb.test.submit')}
        </button>
      </form>
      {error && <p class="error-text">{error}</p>}
      {result && (
        <div class="kb-test-result" data-testid="kb-test-result" data-entry-id={result.entryId ?? ''} data-kind={result.kind}>
          <div class="kb-test-line">
            <span class={`tag kb-kind-${result.kind}`}>{labelOf(t, 'kb.test.kind', result.kind)}</span>
            <span class="muted">{t('kb.test.confidence')}</span>
            <span class="strong" data-testid="kb-test-confidence">
              {pct(result.confidence)}
            </span>
            <span class="confidence-bar">
              <span style={{ width: pct(Math.min(1, Math.max(0, result.confidence))) }} />
            </span>
          </div>
          <div class="kb-test-line">
            <span class="muted">{t('kb.test.chosen')}</span>
            {result.entryId ? (
              <button type="button" class="link-button mono" data-testid="kb-test-entry" onClick={() => onOpen(result.entryId!)}>
                {result.entryId}
              </button>
            ) : (
              <span>{t('kb.test.noEntry')}</span>
            )}
            {result.category && <span class="tag">{result.category}</span>}
          </div>
          {result.text && <p class="kb-test-answer">{result.text}</p>}
          {result.alternatives.length > 0 && (
            <>
              <div class="muted small">{t('kb.test.alternatives')}</div>
              <ul class="kb-alternatives">
                {result.alternatives.map((a) => (
                  <li key={a.entryId} data-testid="kb-test-alternative" data-entry-id={a.entryId}>
                    <button type="button" class="link-button mono" onClick={() => onOpen(a.entryId)}>
                      {a.entryId}
                    </button>{' '}
                    {a.question} <span class="muted">{pct(a.score)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}

// ---- unanswered questions ----

function Unanswered({
  canEdit,
  refreshKey,
  onOpen,
  onCreate,
  onResolved,
}: {
  canEdit: boolean;
  refreshKey: number;
  onOpen(id: string): void;
  onCreate(question: string, key: string): void;
  onResolved(entry: KnowledgeEntry): void;
}) {
  const { t, lang } = useI18n();
  const k = useScreenT(knowledgeStrings);
  const { api, toast } = useApp();
  const [questions, setQuestions] = useState<readonly UnansweredQuestion[]>();
  const [error, setError] = useState<string>();
  const [busyKey, setBusyKey] = useState<string>();
  const addTo = async (u: UnansweredQuestion, entryId: string) => {
    setBusyKey(u.key);
    try {
      const { entry } = await api.post<{ entry: KnowledgeEntry }>(`/v1/admin/unanswered/${encodeURIComponent(u.key)}/resolve`, { addToEntry: entryId });
      setQuestions((list) => list?.filter((x) => x.key !== u.key));
      toast('success', k('resolved', { id: entry.id }));
      onResolved(entry);
    } catch (err) {
      toast('error', errorMessage(err));
    } finally {
      setBusyKey(undefined);
    }
  };
  // Not worth an answer (spam, out of scope): closed with the reason the admin gives.
  const dismiss = async (u: UnansweredQuestion) => {
    const reason = window.prompt(k('dismissReason'), k('dismissDefault'))?.trim();
    if (!reason) return;
    setBusyKey(u.key);
    try {
      await api.post(`/v1/admin/unanswered/${encodeURIComponent(u.key)}/resolve`, { dismiss: { reason } });
      setQuestions((list) => list?.filter((x) => x.key !== u.key));
      toast('success', k('dismissed'));
    } catch (err) {
      toast('error', errorMessage(err));
    } finally {
      setBusyKey(undefined);
    }
  };
  useEffect(() => {
    api.get<{ questions: UnansweredQuestion[] }>('/v1/admin/unanswered').then(
      (r) => {
        setQuestions(r.questions);
        setError(undefined);
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [api, refreshKey]);
  return (
    <section class="card card-wide" data-testid="kb-unanswered">
      <h2>{t('kb.unanswered.title')}</h2>
      {error && <p class="error-text">{error}</p>}
      {questions && questions.length === 0 && <Empty>{t('kb.unanswered.none')}</Empty>}
      {questions && questions.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th>{t('kb.unanswered.text')}</th>
              <th class="num">{t('kb.unanswered.count')}</th>
              <th>{t('kb.unanswered.lastSeen')}</th>
              <th>{t('kb.unanswered.outcome')}</th>
              <th>{t('kb.unanswered.nearest')}</th>
              {canEdit && <th />}
            </tr>
          </thead>
          <tbody>
            {questions.map((u) => (
              <tr key={u.key} data-testid="kb-unanswered-row" data-key={u.key}>
                <td>{u.text}</td>
                <td class="num">{u.count}</td>
                <td class="small muted">{dateTime(u.lastSeen, lang)}</td>
                <td>
                  <span class="tag">{labelOf(t, 'kb.outcome', u.outcome)}</span>
                </td>
                <td class="small">
                  {u.nearest ? (
                    <button type="button" class="link-button mono" onClick={() => onOpen(u.nearest!.entryId)}>
                      {u.nearest.entryId}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                {canEdit && (
                  <td class="num kb-unanswered-actions">
                    <button type="button" class="button button-small" data-testid="kb-unanswered-create" onClick={() => onCreate(u.text, u.key)}>
                      {t('kb.unanswered.create')}
                    </button>{' '}
                    {u.nearest && (
                      <button type="button" class="button button-small button-ghost" data-testid="kb-unanswered-add" title={k('addToTitle', { id: u.nearest.entryId })} disabled={busyKey === u.key} onClick={() => void addTo(u, u.nearest!.entryId)}>
                        {k('addTo', { id: u.nearest.entryId })}
                      </button>
                    )}{' '}
                    <button type="button" class="button button-small button-ghost" data-testid="kb-unanswered-dismiss" disabled={busyKey === u.key} onClick={() => void dismiss(u)}>
                      {k('dismiss')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
