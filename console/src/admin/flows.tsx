/**
 * The flows screen (`/console/admin/flows`): the multi-turn flows in service (id, name, trigger phrases, version, who
 * stored it when), one flow's steps rendered readably (prompts, the slot each ask fills and its validation, connector
 * calls, branches, the ending or handoff), and its definition edited as JSON with a live syntax check and the
 * server's validation problems (400 `details.issues`) beside the editor. The API stores a definition whole and has no
 * version check of its own, so a save first re-reads the flow and refuses when someone else stored it meanwhile, and
 * raises the definition's `version` by one (running conversations finish on the version they started). New flows
 * start from a small template; delete asks first. Admins edit; supervisors read. Loaded lazily by app.tsx.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api.ts';
import { hasRole } from '../auth.ts';
import { dateTime } from '../format.ts';
import { useI18n, useScreenT } from '../i18n.ts';
import type { ConsoleConfig } from '../types.ts';
import { Empty, Modal, useApp } from '../ui.tsx';
import { flowStrings, type FlowKey } from './flows.i18n.ts';
import type { ApiErrorBody, FlowDefinitionLike, FlowSlotLike, FlowStepLike, FlowTextLike, StoredFlow } from './types.ts';

type T = (key: FlowKey, vars?: Readonly<Record<string, string | number>>) => string;

// ---- HTTP with the error details (the shared client keeps only code and message) and DELETE ----

class ServerError extends ApiError {
  constructor(
    status: number,
    readonly body: ApiErrorBody,
  ) {
    super(status, body.code, body.message);
  }
}

async function send<R>(config: ConsoleConfig, token: string, method: string, path: string, body?: unknown): Promise<R> {
  const res = await fetch(`${config.apiBase.replace(/\/$/, '')}${path}`, {
    method,
    headers: { accept: 'application/json', authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  if (!res.ok) {
    const error = parsed && typeof parsed === 'object' ? (parsed as { error?: ApiErrorBody }).error : undefined;
    throw new ServerError(res.status, error ?? { code: `HTTP.${res.status}`, message: typeof parsed === 'string' && parsed ? parsed : `HTTP ${res.status}` });
  }
  return parsed as R;
}

// ---- helpers ----

const pretty = (definition: unknown) => JSON.stringify(definition, null, 2);

function textIn(text: FlowTextLike | undefined, lang: string): string {
  if (!text) return '';
  return (lang === 'en' ? text.en : text.zh) ?? text.zh ?? text.en ?? '';
}

/** Line and column of a JSON.parse error ("… at position 123", or V8's own "(line 5 column 3)"). */
function syntaxError(text: string): { message: string; line?: number; column?: number } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc) return { message, line: Number(lc[1]), column: Number(lc[2]) };
    const pos = /position (\d+)/.exec(message);
    if (!pos) return { message };
    const before = text.slice(0, Number(pos[1]));
    const lines = before.split('\n');
    return { message, line: lines.length, column: lines[lines.length - 1]!.length + 1 };
  }
}

function asDefinition(value: unknown): FlowDefinitionLike | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as FlowDefinitionLike) : undefined;
}

/** What "New flow" starts from: a valid definition with one question and an answer (the server checks it on save). */
function template(id: string): FlowDefinitionLike {
  return {
    id,
    version: 1,
    name: { zh: '新流程', en: 'New flow' },
    description: 'Describe what the flow does.',
    triggers: { zh: ['示例触发语'], en: ['example trigger'] },
    slots: [{ name: 'email', type: 'email' }],
    steps: [
      {
        id: 'ask_email',
        kind: 'ask',
        slot: 'email',
        prompt: { zh: '请告诉我您的邮箱地址。', en: 'What is your e-mail address?' },
        reprompt: { zh: '邮箱格式好像不对，请再发一次。', en: 'That does not look like an e-mail address. Please send it again.' },
        maxAttempts: 3,
        next: 'done',
      },
      { id: 'done', kind: 'end', action: { type: 'answer', message: { zh: '好的，已记录 {email}。', en: 'Thanks, noted {email}.' } } },
    ],
  };
}

type Selection = { readonly mode: 'edit'; readonly id: string } | { readonly mode: 'new'; readonly key: number };
let newCounter = 0;

// ---- the screen ----

export function Screen() {
  const t = useScreenT(flowStrings);
  const { lang } = useI18n();
  const { api, session } = useApp();
  const canEdit = hasRole(session.user, 'admin');
  const [flows, setFlows] = useState<readonly StoredFlow[]>();
  const [error, setError] = useState<string>();
  const [selection, setSelection] = useState<Selection>();
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = useCallback(() => setRefreshKey((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    api.get<{ flows: StoredFlow[] }>('/v1/admin/flows').then(
      (r) => {
        if (cancelled) return;
        setFlows([...r.flows].sort((a, b) => a.id.localeCompare(b.id)));
        setError(undefined);
      },
      (err: unknown) => !cancelled && setError(errorMessage(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, refreshKey]);

  // The first flow opens by itself, so the screen never starts empty.
  useEffect(() => {
    if (!selection && flows && flows.length > 0) setSelection({ mode: 'edit', id: flows[0]!.id });
  }, [flows, selection]);

  const selectedId = selection?.mode === 'edit' ? selection.id : undefined;
  const ids = useMemo(() => (flows ?? []).map((f) => f.id), [flows]);

  return (
    <div class="flows" data-testid="flows">
      <div class="page-head">
        <h1>{t('title')}</h1>
        {flows && <span class="muted">{t('count', { n: flows.length })}</span>}
        <span class="spacer" />
        {canEdit ? (
          <button type="button" class="button button-primary" data-testid="flows-new" onClick={() => setSelection({ mode: 'new', key: ++newCounter })}>
            {t('new')}
          </button>
        ) : (
          <span class="tag" data-testid="flows-read-only">
            {t('readOnly')}
          </span>
        )}
      </div>
      <p class="muted small flows-intro">{t('intro')}</p>
      {error && <p class="error-text">{error}</p>}
      <div class="flows-grid">
        <section class="card">
          <table class="table" data-testid="flow-list">
            <thead>
              <tr>
                <th>{t('col.id')}</th>
                <th>{t('col.name')}</th>
                <th>{t('col.triggers')}</th>
                <th>{t('col.state')}</th>
                <th class="num">{t('col.version')}</th>
                <th>{t('col.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {flows?.map((f) => {
                const triggers = (lang === 'en' ? f.definition.triggers?.en : f.definition.triggers?.zh) ?? [];
                return (
                  <tr
                    key={f.id}
                    class={`flow-row ${selectedId === f.id ? 'selected' : ''}`}
                    data-testid="flow-row"
                    data-flow-id={f.id}
                    data-version={f.definition.version ?? ''}
                    tabIndex={0}
                    onClick={() => setSelection({ mode: 'edit', id: f.id })}
                    onKeyDown={(ev) => ev.key === 'Enter' && setSelection({ mode: 'edit', id: f.id })}
                  >
                    <td class="small mono">{f.id}</td>
                    <td>{textIn(f.definition.name, lang)}</td>
                    <td class="small flow-trigger-cell">
                      {triggers.slice(0, 3).map((x) => (
                        <span key={x} class="tag flow-trigger">
                          {x}
                        </span>
                      ))}
                      {triggers.length > 3 && <span class="muted"> {t('moreTriggers', { n: triggers.length - 3 })}</span>}
                    </td>
                    <td>
                      <span class="tag flow-enabled" title={t('inServiceHint')}>
                        {t('inService')}
                      </span>
                    </td>
                    <td class="num">{f.definition.version ?? '—'}</td>
                    <td class="small muted">
                      {f.updatedBy === 'seed' ? <span class="tag">{t('seeded')}</span> : (f.updatedBy ?? '—')}
                      <br />
                      {f.updatedAt ? dateTime(f.updatedAt, lang) : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {flows && flows.length === 0 && <Empty>{t('none')}</Empty>}
          {!flows && !error && <Empty>{t('loading')}</Empty>}
          <p class="muted small">{t('inServiceHint')}</p>
          <p class="muted small" data-testid="flows-try-note">
            {t('tryNote')}
          </p>
        </section>
        <section class="card">
          {selection ? (
            <FlowEditor
              key={selection.mode === 'edit' ? selection.id : `new-${selection.key}`}
              selection={selection}
              canEdit={canEdit}
              existingIds={ids}
              t={t}
              onSaved={(id) => {
                refresh();
                setSelection((s) => (s?.mode === 'edit' && s.id === id ? s : { mode: 'edit', id }));
              }}
              onDeleted={() => {
                setSelection(undefined);
                setFlows(undefined);
                refresh();
              }}
            />
          ) : (
            <Empty>{flows && flows.length === 0 ? t('none') : t('pick')}</Empty>
          )}
        </section>
      </div>
    </div>
  );
}

// ---- one flow: steps and the JSON editor ----

function FlowEditor({
  selection,
  canEdit,
  existingIds,
  t,
  onSaved,
  onDeleted,
}: {
  selection: Selection;
  canEdit: boolean;
  existingIds: readonly string[];
  t: T;
  onSaved(id: string): void;
  onDeleted(): void;
}) {
  const { lang } = useI18n();
  const { api, config, session, toast } = useApp();
  const isNew = selection.mode === 'new';
  const [stored, setStored] = useState<StoredFlow>();
  const [text, setText] = useState(() => (isNew ? pretty(template('my-flow')) : ''));
  const [savedText, setSavedText] = useState(isNew ? '' : text);
  const [tab, setTab] = useState<'steps' | 'json'>(isNew ? 'json' : 'steps');
  const [loadError, setLoadError] = useState<string>();
  const [problem, setProblem] = useState<{ message: string; issues: readonly { path: string; message: string }[] }>();
  const [conflict, setConflict] = useState<StoredFlow>();
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const load = useCallback(async () => {
    if (selection.mode !== 'edit') return;
    try {
      const flow = await api.get<StoredFlow>(`/v1/admin/flows/${encodeURIComponent(selection.id)}`);
      setStored(flow);
      setText(pretty(flow.definition));
      setSavedText(pretty(flow.definition));
      setProblem(undefined);
      setConflict(undefined);
      setLoadError(undefined);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [api, selection]);
  useEffect(() => void load(), [load]);

  const syntax = useMemo(() => syntaxError(text), [text]);
  const draft = useMemo(() => (syntax ? undefined : asDefinition(JSON.parse(text))), [text, syntax]);
  const dirty = text !== savedText;
  const shown = draft ?? stored?.definition;

  const save = async () => {
    if (busy || syntax || !draft) return;
    setProblem(undefined);
    const id = typeof draft.id === 'string' ? draft.id : '';
    if (!id) return setProblem({ message: t('noId'), issues: [] });
    if (!isNew && stored && id !== stored.id) return setProblem({ message: t('idChanged', { id, current: stored.id }), issues: [] });
    if (isNew && existingIds.includes(id)) return setProblem({ message: t('exists', { id }), issues: [] });
    setBusy(true);
    try {
      let body: FlowDefinitionLike = draft;
      if (!isNew && stored) {
        // No version check in the API: re-read, and refuse when it moved on since this screen read it.
        const current = await api.get<StoredFlow>(`/v1/admin/flows/${encodeURIComponent(stored.id)}`);
        if (current.updatedAt !== stored.updatedAt || pretty(current.definition) !== pretty(stored.definition)) {
          setConflict(current);
          return;
        }
        const was = stored.definition.version ?? 0;
        if (draft.version === was) body = { ...draft, version: was + 1 };
      }
      const saved = await send<StoredFlow>(config, session.token, 'PUT', `/v1/admin/flows/${encodeURIComponent(id)}`, body);
      toast('success', isNew ? t('created', { id }) : t('saved', { id, version: saved.definition.version ?? '' }));
      if (!isNew) {
        setStored(saved);
        setText(pretty(saved.definition));
        setSavedText(pretty(saved.definition));
      }
      onSaved(id);
    } catch (err) {
      if (err instanceof ServerError && err.status === 400) setProblem({ message: err.body.message, issues: err.body.details?.issues ?? [] });
      else setProblem({ message: t('failed', { message: errorMessage(err) }), issues: [] });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!stored) return;
    setBusy(true);
    try {
      await send(config, session.token, 'DELETE', `/v1/admin/flows/${encodeURIComponent(stored.id)}`);
      toast('success', t('deleted', { id: stored.id }));
      setConfirmDelete(false);
      onDeleted();
    } catch (err) {
      setConfirmDelete(false);
      setProblem({ message: errorMessage(err), issues: [] });
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <p class="error-text">{loadError}</p>;
  if (!isNew && !stored) return <Empty>{t('loading')}</Empty>;
  const name = textIn(shown?.name, lang) || stored?.id || '';

  return (
    <div class="flow-editor" data-testid="flow-detail" data-flow-id={stored?.id ?? ''} data-version={stored?.definition.version ?? ''} data-dirty={dirty} data-mode={selection.mode}>
      <div class="kb-editor-head">
        <h2>{isNew ? t('newTitle') : name}</h2>
        {stored && <span class="tag mono">{stored.id}</span>}
        {dirty && !isNew && <span class="tag kb-dirty">{t('dirty')}</span>}
      </div>
      {stored && <p class="muted small">{t('meta', { version: stored.definition.version ?? '—', by: stored.updatedBy ?? '—', time: stored.updatedAt ? dateTime(stored.updatedAt, lang) : '—' })}</p>}
      {isNew && <p class="muted small">{t('newHint')}</p>}
      {shown?.description && <p class="small">{shown.description}</p>}
      {conflict && (
        <div class="kb-conflict" role="alert" data-testid="flow-conflict">
          <span>{t('conflict', { by: conflict.updatedBy ?? '—', time: conflict.updatedAt ? dateTime(conflict.updatedAt, lang) : '—' })}</span>
          <button type="button" class="button button-small" data-testid="flow-reload" onClick={() => void load()}>
            {t('reload')}
          </button>
        </div>
      )}
      <div class="segmented segmented-small flow-tabs" role="tablist">
        <button type="button" role="tab" class={tab === 'steps' ? 'active' : ''} aria-selected={tab === 'steps'} data-testid="flow-tab-steps" onClick={() => setTab('steps')}>
          {t('tab.steps')}
        </button>
        <button type="button" role="tab" class={tab === 'json' ? 'active' : ''} aria-selected={tab === 'json'} data-testid="flow-tab-json" onClick={() => setTab('json')}>
          {t('tab.json')}
        </button>
      </div>
      {tab === 'steps' ? (
        <>
          {dirty && draft && <p class="hint">{t('previewDraft')}</p>}
          {shown ? <FlowView def={shown} t={t} /> : <Empty>{t('loading')}</Empty>}
        </>
      ) : (
        <div class="flow-json">
          <label class="field">
            <span>{t('jsonLabel')}</span>
            <textarea
              class="flow-json-input mono"
              rows={28}
              spellcheck={false}
              readOnly={!canEdit}
              value={text}
              data-testid="flow-json"
              onInput={(e) => {
                setText(e.currentTarget.value);
                setProblem(undefined);
              }}
            />
          </label>
          <div class={`flow-json-status ${syntax ? 'bad' : 'ok'}`} data-testid="flow-json-status" data-valid={!syntax} role="status">
            {syntax
              ? `${t('jsonBad', { message: syntax.message })}${syntax.line ? t('jsonPosition', { line: syntax.line, column: syntax.column ?? 1 }) : ''}`
              : `✓ ${t('jsonOk')}`}
          </div>
          {canEdit && !isNew && <p class="muted small">{t('versionNote')}</p>}
        </div>
      )}
      {problem && (
        <div class="flow-problems" role="alert" data-testid="flow-errors">
          {problem.issues.length > 0 ? (
            <>
              <p class="error-text">{t('serverInvalid')}</p>
              <ul>
                {problem.issues.map((issue, i) => (
                  <li key={i} data-testid="flow-issue" data-path={issue.path}>
                    <code>{issue.path}</code> {issue.message}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="error-text">{problem.message}</p>
          )}
        </div>
      )}
      {canEdit && (
        <div class="kb-actions">
          <button
            type="button"
            class="button button-primary"
            data-testid="flow-save"
            disabled={busy || !!syntax || (!dirty && !isNew)}
            onClick={() => {
              setTab('json');
              void save();
            }}
          >
            {busy ? t('saving') : t('save')}
          </button>
          {dirty && !isNew && (
            <button
              type="button"
              class="button button-ghost"
              data-testid="flow-discard"
              disabled={busy}
              onClick={() => {
                setText(savedText);
                setProblem(undefined);
              }}
            >
              {t('discard')}
            </button>
          )}
          <span class="spacer" />
          {stored && (
            <button type="button" class="button button-ghost flow-delete" data-testid="flow-delete" disabled={busy} onClick={() => setConfirmDelete(true)}>
              {t('delete')}
            </button>
          )}
        </div>
      )}
      {confirmDelete && stored && (
        <Modal title={t('delete')} onClose={() => setConfirmDelete(false)} testId="flow-delete-dialog">
          <p>{t('deleteConfirm', { name, id: stored.id })}</p>
          <div class="kb-actions">
            <span class="spacer" />
            <button type="button" class="button button-ghost" data-testid="flow-delete-cancel" onClick={() => setConfirmDelete(false)}>
              {t('cancel')}
            </button>
            <button type="button" class="button button-primary flow-delete-yes" data-testid="flow-delete-confirm" disabled={busy} onClick={() => void remove()}>
              {t('deleteYes')}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}

// ---- the readable view ----

function Bilingual({ text }: { text: FlowTextLike | undefined }) {
  if (!text) return null;
  return (
    <div class="flow-text">
      {(['zh', 'zh-Hant', 'en'] as const).map((l) =>
        text[l] ? (
          <div key={l} class="flow-text-line">
            <span class="flow-lang">{l}</span>
            <span>{text[l]}</span>
          </div>
        ) : null,
      )}
    </div>
  );
}

function Target({ id, label }: { id: string | undefined; label: string }) {
  if (!id) return null;
  return (
    <span class="flow-target">
      <span class="muted">{label}</span>{' '}
      <a
        href={`#flow-step-${id}`}
        class="link-button mono"
        data-testid="flow-target"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById(`flow-step-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
        }}
      >
        → {id}
      </a>
    </span>
  );
}

function slotValidation(slot: FlowSlotLike | undefined, t: T, lang: string): string[] {
  if (!slot) return [];
  const v = slot.validation;
  const parts: string[] = [];
  if (v?.regex) parts.push(t('regex', { regex: v.regex }));
  if (v?.min !== undefined || v?.max !== undefined) parts.push(t('range', { min: v?.min ?? '', max: v?.max ?? '' }));
  if (v?.choices) parts.push(`${t('choices')}: ${v.choices.map((c) => textIn(c.labels, lang) || c.value).join(' / ')}`);
  if (v?.choicesFrom) parts.push(t('choicesFrom', { var: v.choicesFrom.var }));
  if (slot.prefill ?? ['order_number', 'phone', 'email'].includes(slot.type)) parts.push(t('prefill'));
  return parts;
}

function FlowView({ def, t }: { def: FlowDefinitionLike; t: T }) {
  const { lang } = useI18n();
  const slots = new Map((def.slots ?? []).map((s) => [s.name, s]));
  const steps = Array.isArray(def.steps) ? def.steps : [];
  const start = def.start ?? steps[0]?.id;
  return (
    <div class="flow-view" data-testid="flow-view">
      <div class="flow-summary">
        <div>
          <div class="muted small">{t('triggersZh')}</div>
          {(def.triggers?.zh ?? []).map((x) => (
            <span key={x} class="tag flow-trigger" data-testid="flow-trigger">
              {x}
            </span>
          ))}
        </div>
        <div>
          <div class="muted small">{t('triggersEn')}</div>
          {(def.triggers?.en ?? []).map((x) => (
            <span key={x} class="tag flow-trigger" data-testid="flow-trigger">
              {x}
            </span>
          ))}
        </div>
        {(def.slots ?? []).length > 0 && (
          <div>
            <div class="muted small">{t('slots')}</div>
            {(def.slots ?? []).map((s) => (
              <span key={s.name} class="tag">
                <span class="mono">{s.name}</span> · {s.type}
              </span>
            ))}
          </div>
        )}
        {(def.connectors ?? []).length > 0 && (
          <div>
            <div class="muted small">{t('connectors')}</div>
            {(def.connectors ?? []).map((c) => (
              <span key={c.name} class="tag" title={c.description}>
                <span class="mono">{c.name}</span>
              </span>
            ))}
          </div>
        )}
      </div>
      <h3>{t('steps', { n: steps.length })}</h3>
      {start && <Target id={start} label={t('start')} />}
      <ol class="flow-steps">
        {steps.map((step, i) => (
          <li key={`${step.id}-${i}`} id={`flow-step-${step.id}`} class={`flow-step flow-step-${step.kind}`} data-testid="flow-step" data-step-id={step.id} data-kind={step.kind}>
            <div class="flow-step-head">
              <span class={`tag flow-kind flow-kind-${step.kind}`}>{(flowStrings.en as Record<string, string>)[`kind.${step.kind}`] ? t(`kind.${step.kind}` as FlowKey) : step.kind}</span>
              <span class="mono strong">{step.id}</span>
            </div>
            <StepBody step={step} slot={step.slot ? slots.get(step.slot) : undefined} t={t} lang={lang} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function StepBody({ step, slot, t, lang }: { step: FlowStepLike; slot: FlowSlotLike | undefined; t: T; lang: string }) {
  const validation = slotValidation(slot, t, lang);
  switch (step.kind) {
    case 'ask':
      return (
        <div class="flow-step-body">
          <div class="flow-field">
            <span class="muted">{t('prompt')}</span>
            <Bilingual text={step.prompt} />
          </div>
          <div class="flow-field">
            <span class="muted">{t('fillsSlot')}</span>
            <span>
              <span class="mono">{step.slot}</span>
              {slot && <span class="muted"> ({slot.type})</span>}
              {validation.length > 0 && <span class="small"> · {t('validation')}: {validation.join(' · ')}</span>}
            </span>
          </div>
          <div class="flow-field">
            <span class="muted">{t('reprompt')}</span>
            <Bilingual text={step.reprompt} />
          </div>
          <div class="flow-links">
            {step.maxAttempts !== undefined && <span class="muted small">{t('attempts', { n: step.maxAttempts })}</span>}
            <Target id={step.next} label={t('next')} />
            {step.onExhausted ? <Target id={step.onExhausted} label={t('onExhausted')} /> : <span class="muted small">{t('onExhausted')}: {t('defaultHandoff')}</span>}
          </div>
        </div>
      );
    case 'call':
      return (
        <div class="flow-step-body">
          <div class="flow-field">
            <span class="muted">{t('kind.call')}</span>
            <code>
              {step.connector} · {step.method} {step.path}
            </code>
            {step.timeoutMs !== undefined && <span class="muted small"> · {t('timeout', { ms: step.timeoutMs })}</span>}
          </div>
          {step.assign && Object.keys(step.assign).length > 0 && (
            <div class="flow-field">
              <span class="muted">{t('assigns')}</span>
              <span class="small mono">{Object.keys(step.assign).join(', ')}</span>
            </div>
          )}
          <div class="flow-links">
            <Target id={step.onFound} label={t('onFound')} />
            <Target id={step.onNotFound} label={t('onNotFound')} />
            {step.onError ? <Target id={step.onError} label={t('onError')} /> : <span class="muted small">{t('onError')}: {t('defaultHandoff')}</span>}
          </div>
        </div>
      );
    case 'confirm':
      return (
        <div class="flow-step-body">
          <div class="flow-field">
            <span class="muted">{t('prompt')}</span>
            <Bilingual text={step.prompt} />
          </div>
          <div class="flow-links">
            <Target id={step.onYes} label={t('onYes')} />
            <Target id={step.onNo} label={t('onNo')} />
            <Target id={step.onExhausted} label={t('onExhausted')} />
          </div>
        </div>
      );
    case 'say':
      return (
        <div class="flow-step-body">
          <div class="flow-field">
            <span class="muted">{t('message')}</span>
            <Bilingual text={step.message} />
          </div>
          <div class="flow-links">
            <Target id={step.next} label={t('next')} />
          </div>
        </div>
      );
    case 'reask':
      return (
        <div class="flow-step-body">
          <div class="flow-field">
            <span class="muted">{t('message')}</span>
            <Bilingual text={step.message} />
          </div>
          <div class="flow-field">
            <span class="muted">{t('fillsSlot')}</span>
            <span class="mono">{step.slot}</span>
          </div>
          <div class="flow-links">
            {step.maxRetries !== undefined && <span class="muted small">{t('retries', { n: step.maxRetries })}</span>}
            <Target id={step.next} label={t('next')} />
            <Target id={step.onExhausted} label={t('onExhausted')} />
          </div>
        </div>
      );
    case 'branch':
      return (
        <div class="flow-step-body">
          <ul class="flow-cases">
            {(step.cases ?? []).map((c, i) => {
              const w = c.when;
              const test = w.equals !== undefined ? t('equals', { v: JSON.stringify(w.equals) }) : w.in ? t('in', { v: JSON.stringify(w.in) }) : w.exists === false ? t('notExists') : t('caseExists');
              return (
                <li key={i}>
                  {t('when', { value: w.value, test })} <Target id={c.next} label="" />
                </li>
              );
            })}
            <li>
              {t('otherwise')} <Target id={step.default} label="" />
            </li>
          </ul>
        </div>
      );
    case 'end': {
      const action = step.action;
      const type = action?.type ?? '';
      return (
        <div class="flow-step-body">
          <div class="flow-field">
            <span class={`tag flow-end flow-end-${type}`}>{['answer', 'create_ticket', 'handoff'].includes(type) ? t(`end.${type}` as FlowKey) : type}</span>
            {action?.reason && (
              <span class="small">
                {t('reason')}: <span class="mono">{action.reason}</span>
              </span>
            )}
            {action?.ticket && <span class="small">{t('ticket', { type: action.ticket.type ?? '', priority: action.ticket.priority ?? '' })}</span>}
          </div>
          {action?.ticket?.subject && <Bilingual text={action.ticket.subject} />}
          {action?.message && (
            <div class="flow-field">
              <span class="muted">{t('message')}</span>
              <Bilingual text={action.message} />
            </div>
          )}
        </div>
      );
    }
    default:
      return <pre class="small mono">{JSON.stringify(step, null, 2)}</pre>;
  }
}
