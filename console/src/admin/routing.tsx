/**
 * The "Agents & routing" screen (`/console/admin/routing`), four tabs on the routing administration API:
 * agents (name, groups, skills with levels, languages, capacity), routing groups (calendar, overflow group and wait,
 * queue limit, SLA policy), business calendars (time zone, weekly hours, holidays, special days; the server's
 * open-now / next opening / next closing) and SLA policies (targets per priority and type, warning lead, breach action).
 *
 * Every write is a PUT of the whole record, validated whole by the API; a refusal ("path: what is wrong; …") is shown
 * next to the form, field by field. The API keeps no versions, so before a PUT the editor reads the record again and
 * refuses to save over a change made since it was loaded (a check, not a guarantee: two saves in the same instant can
 * still both land). Admins edit; supervisors read. Loaded lazily by app.tsx.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api.ts';
import { hasRole } from '../auth.ts';
import { labelOf, useI18n, useScreenT, type Lang } from '../i18n.ts';
import { Empty, useApp } from '../ui.tsx';
import { strings } from './routing.i18n.ts';

// ---------------------------------------------------------------- API shapes

type SkillLevel = 'junior' | 'mid' | 'expert';
type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
type Priority = 'low' | 'normal' | 'high' | 'urgent';
type TicketType = 'pre-sales' | 'after-sales' | 'inquiry' | 'complaint';

interface AgentView {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly skills: readonly string[];
  readonly skillLevels?: Readonly<Record<string, SkillLevel>>;
  readonly groups: readonly string[];
  readonly languages: readonly string[];
  readonly capacity: number;
  readonly presence?: string;
  readonly load?: number;
  readonly freeSlots?: number;
  readonly roles?: readonly string[];
}

interface GroupView {
  readonly id: string;
  readonly name: string;
  readonly calendarId?: string;
  readonly overflowGroupId?: string;
  readonly maxQueue?: number;
  readonly maxWaitSeconds?: number;
  readonly outsourced?: boolean;
  readonly slaPolicyId?: string;
  readonly builtIn?: boolean;
}

interface Interval {
  readonly start: string;
  readonly end: string;
}

interface CalendarView {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly weekly: Readonly<Partial<Record<Weekday, readonly Interval[]>>>;
  readonly holidays: readonly string[];
  readonly specialDays?: readonly { readonly date: string; readonly hours: readonly Interval[] }[];
  readonly builtIn?: boolean;
  readonly openNow?: boolean;
  readonly nextOpening?: string | null;
  readonly nextClosing?: string | null;
  /** A stored calendar that no longer parses. */
  readonly problem?: string;
}

interface SlaTarget {
  readonly priority: Priority;
  readonly type?: TicketType;
  readonly firstResponseMinutes: number;
  readonly nextResponseMinutes: number;
  readonly resolutionMinutes: number;
}

interface SlaPolicyView {
  readonly id: string;
  readonly name: string;
  readonly calendarId: string;
  readonly warnBeforeMinutes: number;
  readonly targets: readonly SlaTarget[];
  readonly onBreach?: { readonly raisePriority: boolean; readonly reassignToGroupId?: string };
  readonly builtIn?: boolean;
}

const SKILL_LEVELS: readonly SkillLevel[] = ['junior', 'mid', 'expert'];
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];
const TICKET_TYPES: readonly TicketType[] = ['pre-sales', 'after-sales', 'inquiry', 'complaint'];
const TIME_ZONES: readonly string[] = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Singapore',
  'Asia/Bangkok',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Australia/Sydney',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'UTC',
];
const ALWAYS_OPEN_ID = 'always-open';
const DEFAULT_ID = 'default';

const useT = () => useScreenT(strings);
type T = ReturnType<typeof useT>;

const TABS = ['agents', 'groups', 'calendars', 'sla'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL = { agents: 'tab.agents', groups: 'tab.groups', calendars: 'tab.calendars', sla: 'tab.sla' } as const;
const PATHS: Readonly<Record<Tab, string>> = { agents: '/v1/admin/agents', groups: '/v1/admin/groups', calendars: '/v1/admin/calendars', sla: '/v1/admin/sla-policies' };

type Selection = { readonly mode: 'edit'; readonly id: string } | { readonly mode: 'new'; readonly key: number };
let newCounter = 0;

interface Data {
  readonly agents: readonly AgentView[];
  readonly groups: readonly GroupView[];
  readonly calendars: readonly CalendarView[];
  readonly policies: readonly SlaPolicyView[];
}

// ---------------------------------------------------------------- helpers

/** JSON with sorted keys, for comparing records read at different times. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** What GET shows but the record does not hold: the live state routing keeps and what the API computes. */
const COMPUTED = ['load', 'presence', 'presenceAt', 'missedOffers', 'lastAssignedAt', 'lastActiveAt', 'freeSlots', 'builtIn', 'openNow', 'nextOpening', 'nextClosing', 'roles'];

function recordOf(value: unknown): string {
  if (!value || typeof value !== 'object') return stable(null);
  return stable(Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => !COMPUTED.includes(key))));
}

interface Problem {
  readonly path: string;
  readonly message: string;
}

/** "invalid agent: capacity: must be at most 50; groups.1: group "x" does not exist" → one problem per field. */
function problemsOf(error: unknown): Problem[] {
  const text = errorMessage(error).replace(/^invalid [^:]+: /, '');
  const problems: Problem[] = [];
  for (const chunk of text.split('; ')) {
    const match = /^([A-Za-z0-9_.()]+): (.*)$/s.exec(chunk);
    const last = problems[problems.length - 1];
    if (match) problems.push({ path: match[1]!, message: match[2]! });
    else if (last) problems[problems.length - 1] = { ...last, message: `${last.message}; ${chunk}` };
    else problems.push({ path: '', message: chunk });
  }
  return problems;
}

const num = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value.trim()));
const list = (value: string): string[] =>
  value
    .split(/[,，\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function locale(lang: Lang): string {
  return lang === 'en' ? 'en-GB' : 'zh-CN';
}

/** An instant in a calendar's own time zone, with the zone's abbreviation. */
function zonedTime(iso: string | null | undefined, timeZone: string, lang: Lang, t: T): string {
  if (!iso) return t('cal.never');
  try {
    return new Date(iso).toLocaleString(locale(lang), { timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  } catch {
    return iso;
  }
}

function waitText(seconds: number | undefined, t: T): string {
  if (seconds === undefined) return t('groups.maxWaitDefault');
  return seconds % 60 === 0 ? t('minutes', { n: seconds / 60 }) : t('seconds', { n: seconds });
}

const nameOf = (items: readonly { id: string; name: string }[], id: string | undefined) => (id ? (items.find((x) => x.id === id)?.name ?? id) : '');

// ---------------------------------------------------------------- the screen

export function Screen() {
  const t = useT();
  const { api, session } = useApp();
  const canEdit = hasRole(session.user, 'admin');
  const [tab, setTab] = useState<Tab>('agents');
  const [data, setData] = useState<Data>();
  const [error, setError] = useState<string>();
  const [selections, setSelections] = useState<Partial<Record<Tab, Selection>>>({});

  const load = useCallback(async () => {
    try {
      const [agents, groups, calendars, policies] = await Promise.all([
        api.get<{ agents: AgentView[] }>(PATHS.agents),
        api.get<{ groups: GroupView[] }>(PATHS.groups),
        api.get<{ calendars: CalendarView[] }>(PATHS.calendars),
        api.get<{ policies: SlaPolicyView[] }>(PATHS.sla),
      ]);
      setData({ agents: agents.agents, groups: groups.groups, calendars: calendars.calendars, policies: policies.policies });
      setError(undefined);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const select = useCallback((which: Tab, selection: Selection | undefined) => setSelections((s) => ({ ...s, [which]: selection })), []);
  const onSaved = useCallback(
    async (which: Tab, id: string) => {
      await load();
      select(which, { mode: 'edit', id });
    },
    [load, select],
  );

  const selection = selections[tab];
  const props = { data: data!, canEdit, selection, select: (s: Selection | undefined) => select(tab, s), onSaved: (id: string) => onSaved(tab, id), reload: load };

  return (
    <div class="routing" data-testid="routing" data-tab={tab}>
      <div class="page-head">
        <h1>{t('title')}</h1>
        <div class="segmented routing-tabs" role="tablist">
          {TABS.map((which) => (
            <button type="button" key={which} role="tab" aria-selected={tab === which} class={tab === which ? 'active' : ''} data-testid={`routing-tab-${which}`} onClick={() => setTab(which)}>
              {t(TAB_LABEL[which])}
            </button>
          ))}
        </div>
        <span class="spacer" />
        {canEdit ? (
          <button type="button" class="button button-primary" data-testid="routing-new" onClick={() => select(tab, { mode: 'new', key: ++newCounter })}>
            {t(tab === 'agents' ? 'agents.new' : tab === 'groups' ? 'groups.new' : tab === 'calendars' ? 'cal.new' : 'sla.new')}
          </button>
        ) : (
          <span class="tag" data-testid="routing-read-only">
            {t('readOnly')}
          </span>
        )}
      </div>
      {error && <p class="error-text">{error}</p>}
      {!data ? (
        !error && <Empty>{t('loading')}</Empty>
      ) : tab === 'agents' ? (
        <AgentsTab {...props} />
      ) : tab === 'groups' ? (
        <GroupsTab {...props} />
      ) : tab === 'calendars' ? (
        <CalendarsTab {...props} />
      ) : (
        <SlaTab {...props} />
      )}
    </div>
  );
}

interface TabProps {
  readonly data: Data;
  readonly canEdit: boolean;
  readonly selection: Selection | undefined;
  select(selection: Selection | undefined): void;
  onSaved(id: string): Promise<void>;
  reload(): Promise<void>;
}

/** The list on the left, the selected record's editor on the right. */
function Layout({ list, editor }: { list: ComponentChildren; editor: ComponentChildren }) {
  const t = useT();
  return (
    <div class="routing-grid">
      <section class="card routing-list">{list}</section>
      <section class="card">{editor ?? <Empty>{t('pick')}</Empty>}</section>
    </div>
  );
}

const editorKey = (selection: Selection, record: unknown) => (selection.mode === 'new' ? `new-${selection.key}` : `${selection.id}|${stable(record)}`);

// ---------------------------------------------------------------- saving

/**
 * PUT a whole record: first reads it again and stops if it changed since it was loaded (or, for a new one, if it
 * exists already); a refusal becomes one problem per field.
 */
function useSave(path: string, original: unknown, onSaved: (id: string) => Promise<void>) {
  const t = useT();
  const { api, toast } = useApp();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<readonly Problem[]>();
  const [conflict, setConflict] = useState(false);
  const save = async (id: string, body: unknown) => {
    if (busy) return;
    setBusy(true);
    setProblems(undefined);
    setConflict(false);
    if (!id) {
      setProblems([{ path: 'id', message: t('idRequired') }]);
      setBusy(false);
      return;
    }
    try {
      const url = `${path}/${encodeURIComponent(id)}`;
      {
        const current = await api.get<unknown>(url).catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 404) return undefined;
          throw err;
        });
        if (recordOf(current) !== recordOf(original)) {
          setConflict(true);
          return;
        }
      }
      await api.put<unknown>(url, body);
      toast('success', t(original ? 'saved' : 'created', { id }));
      await onSaved(id);
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problems, conflict, save };
}

/** The messages of the problems at `path` (or under it), shown under that field. */
function FieldError({ problems, path }: { problems: readonly Problem[] | undefined; path: string }) {
  const mine = problems?.filter((p) => p.path === path || p.path.startsWith(`${path}.`)) ?? [];
  if (mine.length === 0) return null;
  return (
    <span class="routing-field-error" data-testid={`field-error-${path}`}>
      {mine.map((p) => (p.path === path ? p.message : `${p.path.slice(path.length + 1)}: ${p.message}`)).join('; ')}
    </span>
  );
}

function EditorShell(props: {
  testId: string;
  attrs: Record<string, string | number | boolean>;
  title: string;
  tags?: ComponentChildren;
  readOnly: boolean;
  canEdit: boolean;
  isNew: boolean;
  dirty: boolean;
  busy: boolean;
  problems: readonly Problem[] | undefined;
  conflict: boolean;
  note?: ComponentChildren;
  onSave(): void;
  onDiscard(): void;
  onReload(): void;
  children: ComponentChildren;
}) {
  const t = useT();
  const { t: tc } = useI18n();
  const data = Object.fromEntries(Object.entries(props.attrs).map(([k, v]) => [`data-${k}`, String(v)]));
  return (
    <div class="routing-editor" data-testid={props.testId} data-dirty={props.dirty} {...data}>
      <div class="kb-editor-head">
        <h2>{props.title}</h2>
        {props.tags}
        {props.dirty && <span class="tag kb-dirty">{t('dirty')}</span>}
      </div>
      {props.note}
      {props.conflict && (
        <div class="kb-conflict" role="alert" data-testid="routing-conflict">
          <span>{t('conflict')}</span>
          <button type="button" class="button button-small" data-testid="routing-reload" onClick={props.onReload}>
            {t('reload')}
          </button>
        </div>
      )}
      {props.problems && props.problems.length > 0 && (
        <div class="routing-problems" role="alert" data-testid="routing-error">
          <div>{t('invalid')}</div>
          <ul>
            {props.problems.map((p, i) => (
              <li key={i}>
                {p.path && <span class="mono">{p.path}</span>} {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <fieldset disabled={props.readOnly || props.busy} class="kb-fieldset">
        {props.children}
      </fieldset>
      {props.canEdit && !props.readOnly && (
        <div class="kb-actions">
          <button type="button" class="button button-primary" data-testid="routing-save" disabled={props.busy || (!props.dirty && !props.isNew)} onClick={props.onSave}>
            {props.busy ? t('saving') : tc('common.save')}
          </button>
          {props.dirty && !props.isNew && (
            <button type="button" class="button button-ghost" data-testid="routing-discard" disabled={props.busy} onClick={props.onDiscard}>
              {t('discard')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** A form, the form as loaded, and whether they differ. */
function useForm<F>(initial: () => F) {
  const [saved] = useState<F>(initial);
  const [form, setForm] = useState<F>(saved);
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(saved), [form, saved]);
  const set = (patch: Partial<F>) => setForm((f) => ({ ...f, ...patch }));
  return { form, setForm, set, dirty, discard: () => setForm(saved) };
}

function IdField({ value, onInput, problems, path }: { value: string; onInput(value: string): void; problems: readonly Problem[] | undefined; path: string }) {
  const t = useT();
  return (
    <label class="field">
      <span>{t('newId')}</span>
      <input value={value} data-testid="routing-new-id" onInput={(e) => onInput(e.currentTarget.value)} />
      <FieldError problems={problems} path="id" />
      <FieldError problems={problems} path={path} />
    </label>
  );
}

// ---------------------------------------------------------------- agents

interface AgentForm {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly groups: readonly string[];
  readonly skills: readonly { readonly skill: string; readonly level: SkillLevel | '' }[];
  readonly languages: string;
  readonly capacity: string;
}

function agentForm(agent: AgentView | undefined): AgentForm {
  return {
    id: agent?.id ?? '',
    name: agent?.name ?? '',
    email: agent?.email ?? '',
    groups: agent ? [...agent.groups] : [DEFAULT_ID],
    skills: (agent?.skills ?? []).map((skill) => ({ skill, level: agent?.skillLevels?.[skill] ?? '' })),
    languages: (agent?.languages ?? ['zh-Hans']).join(', '),
    capacity: String(agent?.capacity ?? 3),
  };
}

function agentBody(form: AgentForm) {
  const skills = form.skills.map((s) => ({ ...s, skill: s.skill.trim() })).filter((s) => s.skill);
  const levels = Object.fromEntries(skills.filter((s) => s.level).map((s) => [s.skill, s.level]));
  return {
    name: form.name.trim(),
    ...(form.email.trim() ? { email: form.email.trim() } : {}),
    skills: skills.map((s) => s.skill),
    ...(Object.keys(levels).length > 0 ? { skillLevels: levels } : {}),
    groups: form.groups,
    languages: list(form.languages),
    capacity: num(form.capacity),
  };
}

function AgentsTab({ data, canEdit, selection, select, onSaved, reload }: TabProps) {
  const t = useT();
  const { t: tc } = useI18n();
  const selectedId = selection?.mode === 'edit' ? selection.id : undefined;
  const agent = selectedId ? data.agents.find((a) => a.id === selectedId) : undefined;
  return (
    <Layout
      list={
        <>
          <div class="muted small routing-count">{t('agents.count', { n: data.agents.length })}</div>
          <table class="table" data-testid="agent-list">
            <thead>
              <tr>
                <th>{t('agents.col.agent')}</th>
                <th>{t('agents.col.groups')}</th>
                <th>{t('agents.col.skills')}</th>
                <th class="num">{t('agents.col.capacity')}</th>
                <th class="num">{t('agents.col.load')}</th>
                <th>{t('agents.col.presence')}</th>
                {data.agents.some((a) => a.roles?.length) && <th>{t('agents.col.roles')}</th>}
              </tr>
            </thead>
            <tbody>
              {data.agents.map((a) => (
                <tr
                  key={a.id}
                  class={`kb-row ${selectedId === a.id ? 'selected' : ''}`}
                  data-testid="agent-row"
                  data-agent-id={a.id}
                  data-capacity={a.capacity}
                  tabIndex={0}
                  onClick={() => select({ mode: 'edit', id: a.id })}
                  onKeyDown={(e) => e.key === 'Enter' && select({ mode: 'edit', id: a.id })}
                >
                  <td>
                    <div>{a.name}</div>
                    <div class="small muted mono">{a.id}</div>
                  </td>
                  <td class="small">
                    {a.groups.map((g) => (
                      <span class="tag" key={g}>
                        {nameOf(data.groups, g)}
                      </span>
                    ))}
                  </td>
                  <td class="small">
                    {a.skills.map((s) => (
                      <span class="tag" key={s}>
                        {s}
                        {a.skillLevels?.[s] ? ` · ${t(`level.${a.skillLevels[s]}`)}` : ''}
                      </span>
                    ))}
                  </td>
                  <td class="num strong" data-testid="agent-capacity-cell">
                    {a.capacity}
                  </td>
                  <td class="num muted">{a.load ?? 0}</td>
                  <td class="small">{labelOf(tc, 'presence', a.presence ?? 'offline')}</td>
                  {data.agents.some((x) => x.roles?.length) && <td class="small">{(a.roles ?? []).map((r) => labelOf(tc, 'role', r)).join('、')}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {data.agents.length === 0 && <Empty>{t('none')}</Empty>}
        </>
      }
      editor={
        selection && (selection.mode === 'new' || agent) ? (
          <AgentEditor key={editorKey(selection, agent)} agent={selection.mode === 'new' ? undefined : agent} data={data} canEdit={canEdit} onSaved={onSaved} reload={reload} />
        ) : undefined
      }
    />
  );
}

function AgentEditor({ agent, data, canEdit, onSaved, reload }: { agent: AgentView | undefined; data: Data; canEdit: boolean; onSaved(id: string): Promise<void>; reload(): Promise<void> }) {
  const t = useT();
  const { t: tc } = useI18n();
  const { form, setForm, set, dirty, discard } = useForm(() => agentForm(agent));
  const { busy, problems, conflict, save } = useSave(PATHS.agents, agent, onSaved);
  const isNew = !agent;
  const groupIds = [...new Set([...data.groups.map((g) => g.id), ...form.groups])];
  const setSkill = (i: number, patch: Partial<AgentForm['skills'][number]>) => setForm((f) => ({ ...f, skills: f.skills.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  return (
    <EditorShell
      testId="agent-editor"
      attrs={{ 'agent-id': agent?.id ?? '' }}
      title={isNew ? t('agents.new') : (agent?.name ?? '')}
      tags={agent && <span class="tag mono">{agent.id}</span>}
      readOnly={!canEdit}
      canEdit={canEdit}
      isNew={isNew}
      dirty={dirty}
      busy={busy}
      problems={problems}
      conflict={conflict}
      note={
        agent && (
          <p class="muted small">
            {t('agents.live', { presence: labelOf(tc, 'presence', agent.presence ?? 'offline'), load: agent.load ?? 0, capacity: agent.capacity, free: agent.freeSlots ?? 0 })}
          </p>
        )
      }
      onSave={() => void save(isNew ? form.id.trim() : agent.id, agentBody(form))}
      onDiscard={discard}
      onReload={() => void reload()}
    >
      {isNew && <IdField value={form.id} onInput={(id) => set({ id })} problems={problems} path="agentId" />}
      <div class="field-row">
        <label class="field">
          <span>{t('agents.name')}</span>
          <input value={form.name} data-testid="agent-name" onInput={(e) => set({ name: e.currentTarget.value })} />
          <FieldError problems={problems} path="name" />
        </label>
        <label class="field">
          <span>{t('agents.email')}</span>
          <input type="email" value={form.email} data-testid="agent-email" onInput={(e) => set({ email: e.currentTarget.value })} />
          <FieldError problems={problems} path="email" />
        </label>
      </div>
      <div class="field">
        <span>{t('agents.groups')}</span>
        <div class="routing-checks">
          {groupIds.map((id) => (
            <label class="routing-check" key={id}>
              <input
                type="checkbox"
                checked={form.groups.includes(id)}
                data-testid={`agent-group-${id}`}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setForm((f) => ({ ...f, groups: on ? [...f.groups, id] : f.groups.filter((g) => g !== id) }));
                }}
              />
              {nameOf(data.groups, id)}
            </label>
          ))}
        </div>
        {form.groups.length === 0 && <span class="muted small">{t('agents.noGroups')}</span>}
        <FieldError problems={problems} path="groups" />
      </div>
      <div class="field">
        <span>{t('agents.skills')}</span>
        {form.skills.map((s, i) => (
          <div class="routing-inline" key={i} data-testid="agent-skill-row">
            <input value={s.skill} aria-label={t('agents.skill')} placeholder={t('agents.skill')} data-testid="agent-skill" onInput={(e) => setSkill(i, { skill: e.currentTarget.value })} />
            <select aria-label={t('agents.level')} value={s.level} data-testid="agent-skill-level" onChange={(e) => setSkill(i, { level: e.currentTarget.value as SkillLevel | '' })}>
              <option value="">{t('agents.noLevel')}</option>
              {SKILL_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`level.${l}`)}
                </option>
              ))}
            </select>
            {canEdit && (
              <button type="button" class="icon-button" title={t('remove')} aria-label={t('remove')} data-testid="agent-skill-remove" onClick={() => setForm((f) => ({ ...f, skills: f.skills.filter((_, j) => j !== i) }))}>
                ×
              </button>
            )}
          </div>
        ))}
        {canEdit && (
          <button type="button" class="button button-ghost button-small kb-add" data-testid="agent-skill-add" onClick={() => setForm((f) => ({ ...f, skills: [...f.skills, { skill: '', level: '' }] }))}>
            {t('agents.addSkill')}
          </button>
        )}
        <FieldError problems={problems} path="skills" />
        <FieldError problems={problems} path="skillLevels" />
      </div>
      <div class="field-row">
        <label class="field">
          <span>{t('agents.languages')}</span>
          <input value={form.languages} data-testid="agent-languages" onInput={(e) => set({ languages: e.currentTarget.value })} />
          <FieldError problems={problems} path="languages" />
        </label>
        <label class="field">
          <span>{t('agents.capacity')}</span>
          <input type="number" min={0} max={50} step={1} value={form.capacity} data-testid="agent-capacity" onInput={(e) => set({ capacity: e.currentTarget.value })} />
          <FieldError problems={problems} path="capacity" />
          <span class="muted small">{t('agents.capacityHint')}</span>
        </label>
      </div>
    </EditorShell>
  );
}

// ---------------------------------------------------------------- groups

interface GroupForm {
  readonly id: string;
  readonly name: string;
  readonly calendarId: string;
  readonly overflowGroupId: string;
  readonly maxWaitSeconds: string;
  readonly maxQueue: string;
  readonly outsourced: boolean;
  readonly slaPolicyId: string;
}

function groupForm(group: GroupView | undefined): GroupForm {
  return {
    id: group?.id ?? '',
    name: group?.name ?? '',
    calendarId: group?.calendarId ?? '',
    overflowGroupId: group?.overflowGroupId ?? '',
    maxWaitSeconds: group?.maxWaitSeconds === undefined ? '' : String(group.maxWaitSeconds),
    maxQueue: group?.maxQueue === undefined ? '' : String(group.maxQueue),
    outsourced: group?.outsourced ?? false,
    slaPolicyId: group?.slaPolicyId ?? '',
  };
}

function groupBody(form: GroupForm, original: GroupView | undefined) {
  const maxWaitSeconds = num(form.maxWaitSeconds);
  const maxQueue = num(form.maxQueue);
  return {
    name: form.name.trim(),
    ...(form.calendarId ? { calendarId: form.calendarId } : {}),
    ...(form.overflowGroupId ? { overflowGroupId: form.overflowGroupId } : {}),
    ...(maxWaitSeconds !== undefined ? { maxWaitSeconds } : {}),
    ...(maxQueue !== undefined ? { maxQueue } : {}),
    // Left out unless set (or set before): `outsourced: false` and absent mean the same.
    ...(form.outsourced || original?.outsourced !== undefined ? { outsourced: form.outsourced } : {}),
    ...(form.slaPolicyId ? { slaPolicyId: form.slaPolicyId } : {}),
  };
}

function GroupsTab({ data, canEdit, selection, select, onSaved, reload }: TabProps) {
  const t = useT();
  const selectedId = selection?.mode === 'edit' ? selection.id : undefined;
  const group = selectedId ? data.groups.find((g) => g.id === selectedId) : undefined;
  return (
    <Layout
      list={
        <>
          <table class="table" data-testid="group-list">
            <thead>
              <tr>
                <th>{t('groups.col.group')}</th>
                <th>{t('groups.col.calendar')}</th>
                <th>{t('groups.col.overflow')}</th>
                <th>{t('groups.col.sla')}</th>
                <th class="num">{t('groups.col.agents')}</th>
              </tr>
            </thead>
            <tbody>
              {data.groups.map((g) => (
                <tr
                  key={g.id}
                  class={`kb-row ${selectedId === g.id ? 'selected' : ''}`}
                  data-testid="group-row"
                  data-group-id={g.id}
                  data-calendar-id={g.calendarId ?? ''}
                  tabIndex={0}
                  onClick={() => select({ mode: 'edit', id: g.id })}
                  onKeyDown={(e) => e.key === 'Enter' && select({ mode: 'edit', id: g.id })}
                >
                  <td>
                    <div>
                      {g.name} {g.builtIn && <span class="tag">{t('builtIn')}</span>}
                      {g.outsourced && <span class="tag">{t('groups.outsourcedTag')}</span>}
                    </div>
                    <div class="small muted mono">{g.id}</div>
                  </td>
                  <td class="small">{g.calendarId ? nameOf(data.calendars, g.calendarId) : <span class="muted">{t('groups.calendarNone')}</span>}</td>
                  <td class="small">{g.overflowGroupId ? t('groups.overflowAfter', { group: nameOf(data.groups, g.overflowGroupId), after: waitText(g.maxWaitSeconds, t) }) : <span class="muted">{t('groups.overflowNone')}</span>}</td>
                  <td class="small">{g.slaPolicyId ? nameOf(data.policies, g.slaPolicyId) : <span class="muted">{DEFAULT_ID}</span>}</td>
                  <td class="num">{data.agents.filter((a) => a.groups.includes(g.id)).length}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.groups.length === 0 && <Empty>{t('none')}</Empty>}
        </>
      }
      editor={
        selection && (selection.mode === 'new' || group) ? (
          <GroupEditor key={editorKey(selection, group)} group={selection.mode === 'new' ? undefined : group} data={data} canEdit={canEdit} onSaved={onSaved} reload={reload} />
        ) : undefined
      }
    />
  );
}

/** The options of a reference: the known records, and the current value when it is not among them. */
function RefOptions({ items, current, exclude }: { items: readonly { id: string; name: string }[]; current: string; exclude?: string }) {
  const shown = items.filter((x) => x.id !== exclude);
  return (
    <>
      {shown.map((x) => (
        <option key={x.id} value={x.id}>
          {x.name === x.id ? x.id : `${x.name} (${x.id})`}
        </option>
      ))}
      {current && !items.some((x) => x.id === current) && <option value={current}>{current}</option>}
    </>
  );
}

function GroupEditor({ group, data, canEdit, onSaved, reload }: { group: GroupView | undefined; data: Data; canEdit: boolean; onSaved(id: string): Promise<void>; reload(): Promise<void> }) {
  const t = useT();
  const { form, set, dirty, discard } = useForm(() => groupForm(group));
  // The built-in "default" group is not stored: its GET says builtIn, and a PUT stores it.
  const { busy, problems, conflict, save } = useSave(PATHS.groups, group, onSaved);
  const isNew = !group;
  const id = isNew ? form.id.trim() : group.id;
  return (
    <EditorShell
      testId="group-editor"
      attrs={{ 'group-id': group?.id ?? '' }}
      title={isNew ? t('groups.new') : group.name}
      tags={
        group && (
          <>
            <span class="tag mono">{group.id}</span>
            {group.builtIn && <span class="tag">{t('builtIn')}</span>}
          </>
        )
      }
      readOnly={!canEdit}
      canEdit={canEdit}
      isNew={isNew}
      dirty={dirty}
      busy={busy}
      problems={problems}
      conflict={conflict}
      onSave={() => void save(id, groupBody(form, group))}
      onDiscard={discard}
      onReload={() => void reload()}
    >
      {isNew && <IdField value={form.id} onInput={(value) => set({ id: value })} problems={problems} path="groupId" />}
      <label class="field">
        <span>{t('groups.name')}</span>
        <input value={form.name} data-testid="group-name" onInput={(e) => set({ name: e.currentTarget.value })} />
        <FieldError problems={problems} path="name" />
      </label>
      <label class="field">
        <span>{t('groups.calendar')}</span>
        <select value={form.calendarId} data-testid="group-calendar" onChange={(e) => set({ calendarId: e.currentTarget.value })}>
          <option value="">{t('groups.calendarNone')}</option>
          <RefOptions items={data.calendars} current={form.calendarId} />
        </select>
        <FieldError problems={problems} path="calendarId" />
      </label>
      <div class="field-row">
        <label class="field">
          <span>{t('groups.overflow')}</span>
          <select value={form.overflowGroupId} data-testid="group-overflow" onChange={(e) => set({ overflowGroupId: e.currentTarget.value })}>
            <option value="">{t('groups.overflowNone')}</option>
            <RefOptions items={data.groups} current={form.overflowGroupId} exclude={id} />
          </select>
          <FieldError problems={problems} path="overflowGroupId" />
        </label>
        <label class="field">
          <span>{t('groups.maxWait')}</span>
          <input type="number" min={10} max={86400} value={form.maxWaitSeconds} placeholder={t('groups.maxWaitDefault')} data-testid="group-max-wait" onInput={(e) => set({ maxWaitSeconds: e.currentTarget.value })} />
          <FieldError problems={problems} path="maxWaitSeconds" />
        </label>
      </div>
      <div class="field-row">
        <label class="field">
          <span>{t('groups.maxQueue')}</span>
          <input type="number" min={0} value={form.maxQueue} placeholder={t('groups.maxQueueNone')} data-testid="group-max-queue" onInput={(e) => set({ maxQueue: e.currentTarget.value })} />
          <FieldError problems={problems} path="maxQueue" />
        </label>
        <label class="field">
          <span>{t('groups.sla')}</span>
          <select value={form.slaPolicyId} data-testid="group-sla" onChange={(e) => set({ slaPolicyId: e.currentTarget.value })}>
            <option value="">{t('groups.slaDefault')}</option>
            <RefOptions items={data.policies} current={form.slaPolicyId} />
          </select>
          <FieldError problems={problems} path="slaPolicyId" />
        </label>
      </div>
      <div class="field">
        <label class="routing-check">
          <input type="checkbox" checked={form.outsourced} data-testid="group-outsourced" onChange={(e) => set({ outsourced: e.currentTarget.checked })} />
          {t('groups.outsourced')}
        </label>
        <FieldError problems={problems} path="outsourced" />
      </div>
    </EditorShell>
  );
}

// ---------------------------------------------------------------- business calendars

interface CalendarForm {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly weekly: Readonly<Record<Weekday, readonly Interval[]>>;
  readonly holidays: readonly string[];
  readonly specialDays: readonly { readonly date: string; readonly hours: readonly Interval[] }[];
}

const NINE_TO_SIX: readonly Interval[] = [{ start: '09:00', end: '18:00' }];

function calendarForm(calendar: CalendarView | undefined): CalendarForm {
  const weekday = (day: Weekday) => (calendar ? [...(calendar.weekly?.[day] ?? [])] : ['sat', 'sun'].includes(day) ? [] : [...NINE_TO_SIX]);
  return {
    id: calendar?.id ?? '',
    name: calendar?.name ?? '',
    timeZone: calendar?.timeZone ?? 'Asia/Shanghai',
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, weekday(d)])) as Record<Weekday, Interval[]>,
    holidays: [...(calendar?.holidays ?? [])],
    specialDays: (calendar?.specialDays ?? []).map((s) => ({ date: s.date, hours: [...s.hours] })),
  };
}

function calendarBody(form: CalendarForm, original: CalendarView | undefined) {
  const trim = (hours: readonly Interval[]) => hours.map((h) => ({ start: h.start.trim(), end: h.end.trim() }));
  return {
    name: form.name.trim(),
    timeZone: form.timeZone,
    weekly: Object.fromEntries(WEEKDAYS.filter((d) => form.weekly[d].length > 0).map((d) => [d, trim(form.weekly[d])])),
    holidays: form.holidays.filter(Boolean),
    ...(form.specialDays.length > 0 || original?.specialDays ? { specialDays: form.specialDays.map((s) => ({ date: s.date, hours: trim(s.hours) })) } : {}),
  };
}

function OpenState({ calendar }: { calendar: CalendarView }) {
  const t = useT();
  if (calendar.openNow === undefined) return null;
  return <span class={`tag ${calendar.openNow ? 'routing-open' : 'routing-closed'}`}>{calendar.openNow ? t('cal.openNow') : t('cal.closedNow')}</span>;
}

function CalendarsTab({ data, canEdit, selection, select, onSaved, reload }: TabProps) {
  const t = useT();
  const { lang } = useI18n();
  const selectedId = selection?.mode === 'edit' ? selection.id : undefined;
  const calendar = selectedId ? data.calendars.find((c) => c.id === selectedId) : undefined;
  return (
    <Layout
      list={
        <>
          <table class="table" data-testid="calendar-list">
            <thead>
              <tr>
                <th>{t('cal.col.calendar')}</th>
                <th>{t('cal.col.timeZone')}</th>
                <th>{t('cal.col.status')}</th>
                <th>{t('cal.col.next')}</th>
              </tr>
            </thead>
            <tbody>
              {data.calendars.map((c) => (
                <tr
                  key={c.id}
                  class={`kb-row ${selectedId === c.id ? 'selected' : ''}`}
                  data-testid="calendar-row"
                  data-calendar-id={c.id}
                  data-open-now={String(c.openNow ?? '')}
                  tabIndex={0}
                  onClick={() => select({ mode: 'edit', id: c.id })}
                  onKeyDown={(e) => e.key === 'Enter' && select({ mode: 'edit', id: c.id })}
                >
                  <td>
                    <div>
                      {c.name} {c.builtIn && <span class="tag">{t('builtIn')}</span>}
                    </div>
                    <div class="small muted mono">{c.id}</div>
                  </td>
                  <td class="small mono">{c.timeZone}</td>
                  <td>{c.problem ? <span class="tag kb-status-archived">!</span> : <OpenState calendar={c} />}</td>
                  <td class="small">{c.openNow === undefined ? '' : c.openNow ? t('cal.nextClosing', { time: zonedTime(c.nextClosing, c.timeZone, lang, t) }) : t('cal.nextOpening', { time: zonedTime(c.nextOpening, c.timeZone, lang, t) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.calendars.length === 0 && <Empty>{t('none')}</Empty>}
        </>
      }
      editor={
        selection && (selection.mode === 'new' || calendar) ? (
          <CalendarEditor key={editorKey(selection, calendar)} calendar={selection.mode === 'new' ? undefined : calendar} canEdit={canEdit} onSaved={onSaved} reload={reload} />
        ) : undefined
      }
    />
  );
}

/** The opening intervals of one day: start–end pairs, added and removed. */
function Intervals({ hours, editable, onChange, testId }: { hours: readonly Interval[]; editable: boolean; onChange(hours: Interval[]): void; testId: string }) {
  const t = useT();
  const setAt = (i: number, patch: Partial<Interval>) => onChange(hours.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <div class="routing-intervals" data-testid={testId}>
      {hours.map((h, i) => (
        <span class="routing-interval" key={i}>
          <input class="routing-time" value={h.start} placeholder="09:00" maxLength={5} aria-label="start" data-testid="interval-start" onInput={(e) => setAt(i, { start: e.currentTarget.value })} />
          <span>–</span>
          <input class="routing-time" value={h.end} placeholder="18:00" maxLength={5} aria-label="end" data-testid="interval-end" onInput={(e) => setAt(i, { end: e.currentTarget.value })} />
          {editable && (
            <button type="button" class="icon-button" title={t('remove')} aria-label={t('remove')} data-testid="interval-remove" onClick={() => onChange(hours.filter((_, j) => j !== i))}>
              ×
            </button>
          )}
        </span>
      ))}
      {editable && (
        <button
          type="button"
          class="button button-ghost button-small"
          data-testid="interval-add"
          onClick={() => {
            const last = hours[hours.length - 1];
            onChange([...hours, last ? { start: last.end === '24:00' ? '23:00' : last.end, end: '24:00' } : { ...NINE_TO_SIX[0]! }]);
          }}
        >
          {t('cal.addInterval')}
        </button>
      )}
    </div>
  );
}

function CalendarEditor({ calendar, canEdit, onSaved, reload }: { calendar: CalendarView | undefined; canEdit: boolean; onSaved(id: string): Promise<void>; reload(): Promise<void> }) {
  const t = useT();
  const { lang } = useI18n();
  const { form, setForm, set, dirty, discard } = useForm(() => calendarForm(calendar));
  const { busy, problems, conflict, save } = useSave(PATHS.calendars, calendar, onSaved);
  const isNew = !calendar;
  const builtIn = !!calendar?.builtIn || calendar?.id === ALWAYS_OPEN_ID;
  const editable = canEdit && !builtIn;
  const zones = TIME_ZONES.includes(form.timeZone) ? TIME_ZONES : [form.timeZone, ...TIME_ZONES];
  const setDay = (day: Weekday, hours: readonly Interval[]) => setForm((f) => ({ ...f, weekly: { ...f.weekly, [day]: hours } }));
  return (
    <EditorShell
      testId="calendar-editor"
      attrs={{ 'calendar-id': calendar?.id ?? '' }}
      title={isNew ? t('cal.new') : calendar.name}
      tags={
        calendar && (
          <>
            <span class="tag mono">{calendar.id}</span>
            {builtIn && <span class="tag">{t('builtIn')}</span>}
          </>
        )
      }
      readOnly={!editable}
      canEdit={canEdit}
      isNew={isNew}
      dirty={dirty}
      busy={busy}
      problems={problems}
      conflict={conflict}
      note={
        <>
          {calendar && calendar.openNow !== undefined && (
            <div class="routing-status" data-testid="calendar-status" data-open-now={String(calendar.openNow)}>
              <span class="muted small">{t('cal.statusTitle')}</span>
              <OpenState calendar={calendar} />
              <span data-testid="calendar-next-opening">{t('cal.nextOpening', { time: zonedTime(calendar.nextOpening, calendar.timeZone, lang, t) })}</span>
              <span data-testid="calendar-next-closing">{t('cal.nextClosing', { time: zonedTime(calendar.nextClosing, calendar.timeZone, lang, t) })}</span>
            </div>
          )}
          {calendar?.problem && <p class="error-text">{t('cal.problem', { problem: calendar.problem })}</p>}
          {builtIn && <p class="muted small">{t('cal.builtInHint')}</p>}
        </>
      }
      onSave={() => void save(isNew ? form.id.trim() : calendar.id, calendarBody(form, calendar))}
      onDiscard={discard}
      onReload={() => void reload()}
    >
      {isNew && <IdField value={form.id} onInput={(id) => set({ id })} problems={problems} path="calendarId" />}
      <div class="field-row">
        <label class="field">
          <span>{t('cal.name')}</span>
          <input value={form.name} data-testid="calendar-name" onInput={(e) => set({ name: e.currentTarget.value })} />
          <FieldError problems={problems} path="name" />
        </label>
        <label class="field">
          <span>{t('cal.timeZone')}</span>
          <select value={form.timeZone} data-testid="calendar-time-zone" onChange={(e) => set({ timeZone: e.currentTarget.value })}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          <FieldError problems={problems} path="timeZone" />
        </label>
      </div>
      <div class="field">
        <span>{t('cal.weekly')}</span>
        <table class="routing-week">
          <tbody>
            {WEEKDAYS.map((day) => {
              const hours = form.weekly[day];
              return (
                <tr key={day} data-testid="calendar-day" data-day={day} data-open={hours.length > 0}>
                  <th>{t(`weekday.${day}`)}</th>
                  <td class="routing-day-toggle">
                    <label class="routing-check">
                      <input type="checkbox" checked={hours.length > 0} data-testid="calendar-day-open" onChange={(e) => setDay(day, e.currentTarget.checked ? [...NINE_TO_SIX] : [])} />
                      {hours.length > 0 ? t('cal.open') : <span class="muted">{t('cal.closed')}</span>}
                    </label>
                  </td>
                  <td>
                    {hours.length > 0 && <Intervals hours={hours} editable={editable} onChange={(next) => setDay(day, next)} testId={`calendar-hours-${day}`} />}
                    <FieldError problems={problems} path={`weekly.${day}`} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <span class="muted small">{t('cal.intervalHint')}</span>
        <FieldError problems={problems} path="weekly" />
      </div>
      <div class="field">
        <span>{t('cal.holidays')}</span>
        <div class="routing-dates">
          {form.holidays.map((date, i) => (
            <span class="routing-interval" key={i} data-testid="calendar-holiday">
              <input type="date" value={date} aria-label={t('cal.holidays')} data-testid="calendar-holiday-date" onInput={(e) => {
                const value = e.currentTarget.value;
                setForm((f) => ({ ...f, holidays: f.holidays.map((d, j) => (j === i ? value : d)) }));
              }} />
              {editable && (
                <button type="button" class="icon-button" title={t('remove')} aria-label={t('remove')} data-testid="calendar-holiday-remove" onClick={() => setForm((f) => ({ ...f, holidays: f.holidays.filter((_, j) => j !== i) }))}>
                  ×
                </button>
              )}
            </span>
          ))}
          {form.holidays.length === 0 && <span class="muted small">{t('cal.noHolidays')}</span>}
        </div>
        {editable && (
          <button type="button" class="button button-ghost button-small kb-add" data-testid="calendar-holiday-add" onClick={() => setForm((f) => ({ ...f, holidays: [...f.holidays, ''] }))}>
            {t('cal.addHoliday')}
          </button>
        )}
        <FieldError problems={problems} path="holidays" />
      </div>
      <div class="field">
        <span>{t('cal.specialDays')}</span>
        {form.specialDays.map((special, i) => (
          <div class="routing-inline" key={i} data-testid="calendar-special-day">
            <input type="date" value={special.date} aria-label={t('cal.specialDays')} data-testid="calendar-special-date" onInput={(e) => {
              const value = e.currentTarget.value;
              setForm((f) => ({ ...f, specialDays: f.specialDays.map((s, j) => (j === i ? { ...s, date: value } : s)) }));
            }} />
            <Intervals hours={special.hours} editable={editable} testId="calendar-special-hours" onChange={(hours) => setForm((f) => ({ ...f, specialDays: f.specialDays.map((s, j) => (j === i ? { ...s, hours } : s)) }))} />
            {special.hours.length === 0 && <span class="muted small">{t('cal.specialClosed')}</span>}
            {editable && (
              <button type="button" class="icon-button" title={t('remove')} aria-label={t('remove')} data-testid="calendar-special-remove" onClick={() => setForm((f) => ({ ...f, specialDays: f.specialDays.filter((_, j) => j !== i) }))}>
                ×
              </button>
            )}
          </div>
        ))}
        {editable && (
          <button type="button" class="button button-ghost button-small kb-add" data-testid="calendar-special-add" onClick={() => setForm((f) => ({ ...f, specialDays: [...f.specialDays, { date: '', hours: [...NINE_TO_SIX] }] }))}>
            {t('cal.addSpecialDay')}
          </button>
        )}
        <FieldError problems={problems} path="specialDays" />
      </div>
    </EditorShell>
  );
}

// ---------------------------------------------------------------- SLA policies

interface TargetForm {
  readonly priority: Priority;
  readonly type: TicketType | '';
  readonly firstResponseMinutes: string;
  readonly nextResponseMinutes: string;
  readonly resolutionMinutes: string;
}

interface SlaForm {
  readonly id: string;
  readonly name: string;
  readonly calendarId: string;
  readonly warnBeforeMinutes: string;
  readonly targets: readonly TargetForm[];
  readonly raisePriority: boolean;
  readonly reassignToGroupId: string;
}

const METRICS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes'] as const;
const METRIC_LABEL = { firstResponseMinutes: 'sla.firstResponse', nextResponseMinutes: 'sla.nextResponse', resolutionMinutes: 'sla.resolution' } as const;
const METRIC_TESTID = { firstResponseMinutes: 'sla-first-response', nextResponseMinutes: 'sla-next-response', resolutionMinutes: 'sla-resolution' } as const;

function slaForm(policy: SlaPolicyView | undefined): SlaForm {
  const targets: readonly SlaTarget[] = policy?.targets ?? PRIORITIES.map((priority, i) => ({ priority, firstResponseMinutes: 30 * 2 ** i, nextResponseMinutes: 60 * 2 ** i, resolutionMinutes: 240 * 2 ** i }));
  return {
    id: policy?.id ?? '',
    name: policy?.name ?? '',
    calendarId: policy?.calendarId ?? ALWAYS_OPEN_ID,
    warnBeforeMinutes: String(policy?.warnBeforeMinutes ?? 15),
    targets: targets.map((x) => ({ priority: x.priority, type: x.type ?? '', firstResponseMinutes: String(x.firstResponseMinutes), nextResponseMinutes: String(x.nextResponseMinutes), resolutionMinutes: String(x.resolutionMinutes) })),
    raisePriority: policy?.onBreach?.raisePriority ?? true,
    reassignToGroupId: policy?.onBreach?.reassignToGroupId ?? '',
  };
}

function slaBody(form: SlaForm, original: SlaPolicyView | undefined) {
  // Absent onBreach means "raise the priority, keep the assignee": left out when that is what the form says and the
  // policy had none.
  const plainDefault = form.raisePriority && !form.reassignToGroupId && !original?.onBreach;
  return {
    name: form.name.trim(),
    calendarId: form.calendarId,
    warnBeforeMinutes: num(form.warnBeforeMinutes),
    targets: form.targets.map((x) => ({
      priority: x.priority,
      ...(x.type ? { type: x.type } : {}),
      firstResponseMinutes: num(x.firstResponseMinutes),
      nextResponseMinutes: num(x.nextResponseMinutes),
      resolutionMinutes: num(x.resolutionMinutes),
    })),
    ...(plainDefault ? {} : { onBreach: { raisePriority: form.raisePriority, ...(form.reassignToGroupId ? { reassignToGroupId: form.reassignToGroupId } : {}) } }),
  };
}

function SlaTab({ data, canEdit, selection, select, onSaved, reload }: TabProps) {
  const t = useT();
  const selectedId = selection?.mode === 'edit' ? selection.id : undefined;
  const policy = selectedId ? data.policies.find((p) => p.id === selectedId) : undefined;
  return (
    <Layout
      list={
        <>
          <table class="table" data-testid="sla-list">
            <thead>
              <tr>
                <th>{t('sla.col.policy')}</th>
                <th>{t('sla.col.calendar')}</th>
                <th class="num">{t('sla.col.warn')}</th>
                <th class="num">{t('sla.col.targets')}</th>
                <th>{t('sla.col.breach')}</th>
              </tr>
            </thead>
            <tbody>
              {data.policies.map((p) => (
                <tr
                  key={p.id}
                  class={`kb-row ${selectedId === p.id ? 'selected' : ''}`}
                  data-testid="sla-row"
                  data-policy-id={p.id}
                  tabIndex={0}
                  onClick={() => select({ mode: 'edit', id: p.id })}
                  onKeyDown={(e) => e.key === 'Enter' && select({ mode: 'edit', id: p.id })}
                >
                  <td>
                    <div>
                      {p.name} {p.builtIn && <span class="tag">{t('builtIn')}</span>}
                    </div>
                    <div class="small muted mono">{p.id}</div>
                  </td>
                  <td class="small">{nameOf(data.calendars, p.calendarId)}</td>
                  <td class="num">{t('minutes', { n: p.warnBeforeMinutes })}</td>
                  <td class="num">{p.targets.length}</td>
                  <td class="small">
                    {(p.onBreach?.raisePriority ?? true) && <span class="tag">{t('sla.breachRaise')}</span>}
                    {p.onBreach?.reassignToGroupId && <span class="tag">{t('sla.breachReassign', { group: nameOf(data.groups, p.onBreach.reassignToGroupId) })}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.policies.length === 0 && <Empty>{t('none')}</Empty>}
        </>
      }
      editor={
        selection && (selection.mode === 'new' || policy) ? (
          <SlaEditor key={editorKey(selection, policy)} policy={selection.mode === 'new' ? undefined : policy} data={data} canEdit={canEdit} onSaved={onSaved} reload={reload} />
        ) : undefined
      }
    />
  );
}

function SlaEditor({ policy, data, canEdit, onSaved, reload }: { policy: SlaPolicyView | undefined; data: Data; canEdit: boolean; onSaved(id: string): Promise<void>; reload(): Promise<void> }) {
  const t = useT();
  const { t: tc } = useI18n();
  const { form, setForm, set, dirty, discard } = useForm(() => slaForm(policy));
  const { busy, problems, conflict, save } = useSave(PATHS.sla, policy, onSaved);
  const isNew = !policy;
  const setTarget = (i: number, patch: Partial<TargetForm>) => setForm((f) => ({ ...f, targets: f.targets.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  return (
    <EditorShell
      testId="sla-editor"
      attrs={{ 'policy-id': policy?.id ?? '' }}
      title={isNew ? t('sla.new') : policy.name}
      tags={
        policy && (
          <>
            <span class="tag mono">{policy.id}</span>
            {policy.builtIn && <span class="tag">{t('builtIn')}</span>}
          </>
        )
      }
      readOnly={!canEdit}
      canEdit={canEdit}
      isNew={isNew}
      dirty={dirty}
      busy={busy}
      problems={problems}
      conflict={conflict}
      onSave={() => void save(isNew ? form.id.trim() : policy.id, slaBody(form, policy))}
      onDiscard={discard}
      onReload={() => void reload()}
    >
      {isNew && <IdField value={form.id} onInput={(id) => set({ id })} problems={problems} path="policyId" />}
      <div class="field-row">
        <label class="field">
          <span>{t('sla.name')}</span>
          <input value={form.name} data-testid="sla-name" onInput={(e) => set({ name: e.currentTarget.value })} />
          <FieldError problems={problems} path="name" />
        </label>
        <label class="field">
          <span>{t('sla.calendar')}</span>
          <select value={form.calendarId} data-testid="sla-calendar" onChange={(e) => set({ calendarId: e.currentTarget.value })}>
            <RefOptions items={data.calendars} current={form.calendarId} />
          </select>
          <FieldError problems={problems} path="calendarId" />
        </label>
        <label class="field">
          <span>{t('sla.warn')}</span>
          <input type="number" min={0} value={form.warnBeforeMinutes} data-testid="sla-warn" onInput={(e) => set({ warnBeforeMinutes: e.currentTarget.value })} />
          <FieldError problems={problems} path="warnBeforeMinutes" />
        </label>
      </div>
      <div class="field">
        <span>{t('sla.targets')}</span>
        <table class="table routing-targets">
          <thead>
            <tr>
              <th>{t('sla.priority')}</th>
              <th>{t('sla.type')}</th>
              {METRICS.map((m) => (
                <th key={m} class="num">
                  {t(METRIC_LABEL[m])}
                </th>
              ))}
              {canEdit && <th />}
            </tr>
          </thead>
          <tbody>
            {form.targets.map((x, i) => (
              <tr key={i} data-testid="sla-target-row" data-priority={x.priority} data-type={x.type}>
                <td>
                  <select aria-label={t('sla.priority')} value={x.priority} data-testid="sla-priority" onChange={(e) => setTarget(i, { priority: e.currentTarget.value as Priority })}>
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {labelOf(tc, 'ticketPriority', p)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select aria-label={t('sla.type')} value={x.type} data-testid="sla-type" onChange={(e) => setTarget(i, { type: e.currentTarget.value as TicketType | '' })}>
                    <option value="">{t('sla.allTypes')}</option>
                    {TICKET_TYPES.map((type) => (
                      <option key={type} value={type}>
                        {labelOf(tc, 'ticketType', type)}
                      </option>
                    ))}
                  </select>
                </td>
                {METRICS.map((m) => (
                  <td key={m} class="num">
                    <input class="routing-minutes" type="number" min={1} aria-label={t(METRIC_LABEL[m])} value={x[m]} data-testid={METRIC_TESTID[m]} onInput={(e) => setTarget(i, { [m]: e.currentTarget.value })} />
                  </td>
                ))}
                {canEdit && (
                  <td>
                    <button type="button" class="icon-button" title={t('remove')} aria-label={t('remove')} data-testid="sla-target-remove" onClick={() => setForm((f) => ({ ...f, targets: f.targets.filter((_, j) => j !== i) }))}>
                      ×
                    </button>
                  </td>
                )}
                <td class="routing-row-error">
                  <FieldError problems={problems} path={`targets.${i}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {canEdit && (
          <button
            type="button"
            class="button button-ghost button-small kb-add"
            data-testid="sla-target-add"
            onClick={() => setForm((f) => ({ ...f, targets: [...f.targets, { priority: 'normal', type: 'complaint', firstResponseMinutes: '120', nextResponseMinutes: '480', resolutionMinutes: '1440' }] }))}
          >
            {t('sla.addTarget')}
          </button>
        )}
        <span class="muted small">{t('sla.targetsHint')}</span>
        {problems?.some((p) => p.path === 'targets') && <FieldError problems={problems.filter((p) => p.path === 'targets')} path="targets" />}
      </div>
      <div class="field">
        <span>{t('sla.onBreach')}</span>
        <label class="routing-check">
          <input type="checkbox" checked={form.raisePriority} data-testid="sla-raise-priority" onChange={(e) => set({ raisePriority: e.currentTarget.checked })} />
          {t('sla.raisePriority')}
        </label>
        <label class="field routing-sub-field">
          <span>{t('sla.reassign')}</span>
          <select value={form.reassignToGroupId} data-testid="sla-reassign" onChange={(e) => set({ reassignToGroupId: e.currentTarget.value })}>
            <option value="">{t('sla.reassignNone')}</option>
            <RefOptions items={data.groups} current={form.reassignToGroupId} />
          </select>
          <FieldError problems={problems} path="onBreach" />
        </label>
      </div>
    </EditorShell>
  );
}
