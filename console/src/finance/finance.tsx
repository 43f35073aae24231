/**
 * The Finance view (role finance, and admins): what the platform cost in a period, from GET /v1/finance/costs —
 * infrastructure (every invocation priced with the price table) and human (handling time × hourly rate), per day by
 * capability, by a chosen dimension, bot versus human per resolved conversation, the budget — and, for one
 * conversation, every invocation's line items with their formulas (GET /v1/finance/conversations/{id}/costs).
 * Export CSV downloads the same report as a file. Any figure the API does not know shows as "—".
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage, queryString } from '../api.ts';
import { StackedBars } from '../dashboard/charts.tsx';
import { clockTime, dateTime, duration } from '../format.ts';
import { useI18n, useScreenT } from '../i18n.ts';
import type { ConsoleConfig } from '../types.ts';
import { Empty, useApp } from '../ui.tsx';
import { strings, type FinanceKey } from './finance.i18n.ts';
import { money, percent, plain, ratioN } from './money.ts';
import { PeriodPicker } from '../dashboard/period-picker.tsx';

const REFRESH_MS = 60_000;

type Num = number | null | undefined;

export type By = 'day' | 'channel' | 'capability' | 'function' | 'service';
export const BYS: readonly By[] = ['day', 'channel', 'capability', 'function', 'service'];

export interface CostReport {
  readonly period?: { readonly from?: string; readonly to?: string; readonly timeZone?: string; readonly days?: number } | null;
  readonly currency?: { readonly code?: string | null; readonly perUsd?: Num } | null;
  readonly priceVersion?: string | null;
  readonly by?: By | null;
  readonly rows?: readonly { readonly key: string; readonly amount: Num; readonly invocations?: Num }[] | null;
  readonly series?: readonly { readonly day: string; readonly amount?: Num; readonly invocations?: Num; readonly byCapability?: Readonly<Record<string, Num>> | null }[] | null;
  readonly byService?: readonly { readonly service: string; readonly amount: Num }[] | null;
  readonly totals?: { readonly infrastructure?: Num; readonly invocations?: Num; readonly human?: Num; readonly all?: Num } | null;
  readonly conversations?: { readonly engaged?: Num; readonly contained?: Num; readonly handedOff?: Num } | null;
  readonly perConversation?: {
    readonly bot?: { readonly conversations?: Num; readonly infrastructure?: Num; readonly perConversation?: Num } | null;
    readonly human?: { readonly conversations?: Num; readonly infrastructure?: Num; readonly human?: Num; readonly handledHours?: Num; readonly perConversation?: Num } | null;
    readonly all?: { readonly conversations?: Num; readonly amount?: Num; readonly perConversation?: Num } | null;
  } | null;
  readonly humanRate?: { readonly hourly?: Num; readonly byGroup?: Readonly<Record<string, Num>> | null } | null;
  readonly budget?: { readonly dailyUsd?: Num; readonly monthlyUsd?: Num; readonly today?: Num; readonly month?: Num; readonly exceeded?: boolean | null; readonly degraded?: boolean | null } | null;
}

export interface ConversationCosts {
  readonly conversationId: string;
  readonly channel?: string | null;
  readonly status?: string | null;
  readonly currency?: string | { readonly code?: string | null; readonly perUsd?: Num } | null;
  readonly invocations?:
    | readonly {
        readonly requestId: string;
        readonly at?: string | null;
        readonly functionId?: string | null;
        readonly capability?: string | null;
        readonly route?: string | null;
        readonly amount?: Num;
        readonly lines?: readonly { readonly item: string; readonly service?: string | null; readonly quantity?: Num; readonly unit?: string | null; readonly unitPrice?: Num; readonly per?: Num | string; readonly amount?: Num; readonly formula?: string | null; readonly basis?: string | null }[] | null;
      }[]
    | null;
  readonly infrastructure?: Num;
  readonly human?: { readonly handledSeconds?: Num; readonly hourlyRate?: Num; readonly amount?: Num; readonly formula?: string | null } | null;
  readonly total?: Num;
  readonly formula?: string | null;
}

type Preset = 'today' | '7' | '30' | 'month' | 'custom';

const minusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const num = (value: Num): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const count = (value: Num): string => (num(value) === undefined ? '—' : String(value));
const currencyCode = (currency: ConversationCosts['currency']): string | undefined => (typeof currency === 'string' ? currency : (currency?.code ?? undefined));

/** The chart's unit: amounts are drawn in a power of ten of the currency, so the axis reads 0 / 50 / 100, not 0 / 0 / 0. */
function chartUnit(max: number): number {
  if (!(max > 0) || max >= 100) return 1;
  return 10 ** (Math.floor(Math.log10(max)) - 2);
}

/** One request with the signed-in user's token; the body as text (an export is a file, not JSON). */
async function rawText(config: ConsoleConfig, token: string, path: string): Promise<string> {
  const res = await fetch(`${config.apiBase.replace(/\/$/, '')}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
  const text = await res.text();
  if (!res.ok) {
    let error: { code?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, error?.code ?? `HTTP.${res.status}`, error?.message ?? (text || `HTTP ${res.status}`));
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

export function Screen() {
  const { t: shared, lang } = useI18n();
  const t = useScreenT(strings);
  const { api, config, session, toast } = useApp();
  const [preset, setPreset] = useState<Preset>('7');
  const [custom, setCustom] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [by, setBy] = useState<By>('day');
  const [data, setData] = useState<CostReport>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [updatedAt, setUpdatedAt] = useState<string>();
  // The report's today (in its time zone): where the presets end.
  const [today, setToday] = useState<string>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const next = await api.get<CostReport>(`/v1/finance/costs${queryString({ from: range.from, to: range.to, by })}`);
      setData(next);
      setError(undefined);
      setUpdatedAt(new Date().toISOString());
      const period = next.period;
      if (!range.from && !range.to && period?.to) setToday(period.to);
      if (period?.from && period.to) setCustom((current) => (current.from ? current : { from: period.from!, to: period.to! }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, [api, range, by]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const choose = (next: Preset) => {
    setPreset(next);
    if (next === 'custom') return;
    if (next === '7' || !today) setRange({});
    else if (next === 'today') setRange({ from: today, to: today });
    else if (next === 'month') setRange({ from: `${today.slice(0, 8)}01`, to: today });
    else setRange({ from: minusDays(today, 29), to: today });
  };

  const code = data?.currency?.code ?? undefined;
  const m = (value: Num, currency = code) => money(value, currency, lang);
  const channelLabel = (c: string) => (`channel.${c}` in strings['zh-CN'] ? t(`channel.${c}` as FinanceKey) : c);
  const keyLabel = (key: string) => (by === 'channel' ? channelLabel(key) : key);

  const exportCsv = async () => {
    setExporting(true);
    try {
      const from = range.from ?? data?.period?.from;
      const to = range.to ?? data?.period?.to;
      const text = await rawText(config, session.token, `/v1/finance/costs${queryString({ from, to, by, format: 'csv' })}`);
      const file = `kefu-costs-${from ?? 'period'}-${to ?? ''}-${by}.csv`.replace(/-+\./, '.');
      // The CSV keeps a byte-order mark (spreadsheet programs read UTF-8 by it); fetch's text() drops it.
      download(file, 'text/csv;charset=utf-8', `\uFEFF${text.replace(/^\uFEFF/, '')}`);
      toast('success', t('exported', { file }));
    } catch (err) {
      toast('error', errorMessage(err));
    } finally {
      setExporting(false);
    }
  };

  const series = data?.series ?? [];
  const days = series.map((s) => s.day);
  const capabilities = [...new Set(series.flatMap((s) => Object.keys(s.byCapability ?? {})))].sort();
  const capValue = (day: string, key: string) => num(series.find((s) => s.day === day)?.byCapability?.[key]) ?? 0;
  const maxDay = Math.max(0, ...days.map((d) => capabilities.reduce((n, k) => n + capValue(d, k), 0)));
  const unit = chartUnit(maxDay);

  const rows = data?.rows ?? [];
  const rowsTotal = rows.reduce((n, r) => n + (num(r.amount) ?? 0), 0);
  const rowsInvocations = rows.reduce((n, r) => n + (num(r.invocations) ?? 0), 0);
  const services = data?.byService ?? [];
  const serviceMax = Math.max(0, ...services.map((s) => num(s.amount) ?? 0));

  const totals = data?.totals;
  const conv = data?.conversations;
  const contained = num(conv?.contained);
  const handedOff = num(conv?.handedOff);
  const resolved = contained !== undefined && handedOff !== undefined ? contained + handedOff : undefined;
  const botShare = contained !== undefined && resolved ? contained / resolved : undefined;
  const per = data?.perConversation;
  const botPer = num(per?.bot?.perConversation);
  const humanPer = num(per?.human?.perConversation);
  const ratio = botPer !== undefined && humanPer !== undefined && botPer > 0 && humanPer > 0 ? humanPer / botPer : undefined;
  const budget = data?.budget;
  const hours = num(per?.human?.handledHours);
  const empty = data !== undefined && !num(totals?.infrastructure) && !num(totals?.human) && rows.length === 0;

  return (
    <div class="supervisor dashboard finance" data-testid="finance">
      <div class="page-head dashboard-head">
        <h1>{t('title')}</h1>
        {data?.period && (
          <span class="muted" data-testid="finance-period">
            {t('subtitle', { from: data.period.from ?? '—', to: data.period.to ?? '—', zone: data.period.timeZone ?? '—', days: data.period.days ?? '—' })}
          </span>
        )}
        <div class="dashboard-controls">
          <PeriodPicker
            presets={['today', '7', '30', 'month', 'custom'] as const}
            preset={preset}
            custom={custom}
            label={(key) => ({ 'preset:today': t('period.today'), 'preset:7': t('period.7'), 'preset:30': t('period.30'), 'preset:month': t('period.month'), 'preset:custom': t('period.custom'), from: t('period.from'), to: t('period.to'), apply: t('period.apply') })[key] ?? key}
            choose={choose}
            setCustom={setCustom}
            apply={setRange}
          />
          <button type="button" class="button button-small button-ghost" data-testid="finance-refresh" disabled={loading} onClick={() => void load()}>
            {t('refresh')}
          </button>
          <button type="button" class="button button-small" data-testid="finance-export" disabled={exporting || !data} onClick={() => void exportCsv()}>
            {t('exportCsv')}
          </button>
          {updatedAt && <span class="muted small">{t('updated', { time: clockTime(updatedAt, lang) })}</span>}
        </div>
      </div>
      {error && (
        <p class="error-text" data-testid="finance-error">
          {error}
        </p>
      )}
      {!data && !error && <div class="center-screen">{shared('app.loading')}</div>}
      {data && (
        <>
          <div class="kpis kpis-dashboard" data-testid="finance-kpis">
            <Kpi label={t('kpi.infrastructure')} value={m(totals?.infrastructure)} amount={totals?.infrastructure} hint={t('kpi.infrastructure.hint', { count: count(totals?.invocations) })} testId="kpi-infrastructure" />
            <Kpi label={t('kpi.human')} value={m(totals?.human)} amount={totals?.human} hint={t('kpi.human.hint', { time: hours === undefined ? '—' : duration(hours * 3600) })} testId="kpi-human" />
            <Kpi label={t('kpi.perBot')} value={m(botPer)} amount={botPer} hint={t('kpi.perBot.hint', { count: count(per?.bot?.conversations) })} testId="kpi-per-bot" />
            <Kpi label={t('kpi.perHuman')} value={m(humanPer)} amount={humanPer} hint={t('kpi.perHuman.hint', { count: count(per?.human?.conversations) })} testId="kpi-per-human" />
            <Kpi label={t('kpi.botShare')} value={percent(botShare)} hint={t('kpi.botShare.hint', { contained: count(contained), total: count(resolved) })} testId="kpi-bot-share" />
            <BudgetKpi label={t('kpi.budgetToday')} spent={budget?.today} limitUsd={budget?.dailyUsd} exceeded={!!budget?.exceeded && exceededNow(budget.today, budget.dailyUsd, data.currency?.perUsd)} degraded={!!budget?.degraded} format={m} t={t} testId="kpi-budget-today" />
            <BudgetKpi label={t('kpi.budgetMonth')} spent={budget?.month} limitUsd={budget?.monthlyUsd} exceeded={!!budget?.exceeded && exceededNow(budget.month, budget.monthlyUsd, data.currency?.perUsd)} degraded={!!budget?.degraded} format={m} t={t} testId="kpi-budget-month" />
          </div>
          {empty && <Empty>{t('noData')}</Empty>}
          <div class="dashboard-grid">
            <section class="card card-wide">
              <h2>
                {t('chart.byDay')} <span class="muted small finance-unit">{t('chart.unit', { unit: unit === 1 ? (code ?? '') : `${plain(unit, lang)} ${code ?? ''}` })}</span>
              </h2>
              <StackedBars testId="finance-chart" width={1280} days={days} keys={capabilities.length ? capabilities : ['—']} values={(day, key) => Number((capValue(day, key) / unit).toPrecision(6))} label={(key) => key} />
            </section>
            <section class="card">
              <h2>{t('rows.title', { by: t(`by.${by}`) })}</h2>
              <div class="segmented segmented-small finance-by" role="group" aria-label={t('by.label')}>
                {BYS.map((b) => (
                  <button key={b} type="button" class={by === b ? 'active' : ''} aria-pressed={by === b} data-testid={`by-${b}`} onClick={() => setBy(b)}>
                    {t(`by.${b}`)}
                  </button>
                ))}
              </div>
              <table class="table finance-rows" data-testid="finance-rows" data-by={data.by ?? by}>
                <thead>
                  <tr>
                    <th>{t(`by.${by}`)}</th>
                    <th class="num">{t('col.amount')}</th>
                    <th class="num">{t('col.share')}</th>
                    <th class="num">{t('col.invocations')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key} data-key={r.key} data-amount={num(r.amount) ?? ''}>
                      <td class="ellipsis" title={r.key}>
                        {keyLabel(r.key)}
                      </td>
                      <td class="num strong" title={num(r.amount) === undefined ? undefined : String(r.amount)}>
                        {m(r.amount)}
                      </td>
                      <td class="num">
                        <span class="finance-share">
                          <span class="finance-share-fill" style={{ width: `${rowsTotal > 0 ? ((num(r.amount) ?? 0) / rowsTotal) * 100 : 0}%` }} />
                        </span>
                        {rowsTotal > 0 && num(r.amount) !== undefined ? percent(r.amount! / rowsTotal) : '—'}
                      </td>
                      <td class="num">{count(r.invocations)}</td>
                    </tr>
                  ))}
                </tbody>
                {rows.length > 0 && (
                  <tfoot>
                    <tr>
                      <td class="strong">{t('col.total')}</td>
                      <td class="num strong" data-testid="finance-rows-total">
                        {m(rowsTotal)}
                      </td>
                      <td class="num">100%</td>
                      <td class="num">{rowsInvocations}</td>
                    </tr>
                  </tfoot>
                )}
              </table>
              {!rows.length && <Empty>{t('noData')}</Empty>}
            </section>
            <section class="card" data-testid="finance-compare">
              <h2>{t('compare.title')}</h2>
              <table class="table">
                <thead>
                  <tr>
                    <th />
                    <th class="num">{t('compare.bot')}</th>
                    <th class="num">{t('compare.human')}</th>
                    <th class="num">{t('compare.all')}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td class="strong">{t('compare.perConversation')}</td>
                    <td class="num strong" data-testid="compare-bot">
                      {m(botPer)}
                    </td>
                    <td class="num strong" data-testid="compare-human">
                      {m(humanPer)}
                    </td>
                    <td class="num strong">{m(per?.all?.perConversation)}</td>
                  </tr>
                  <tr>
                    <td>{t('compare.conversations')}</td>
                    <td class="num">{count(per?.bot?.conversations)}</td>
                    <td class="num">{count(per?.human?.conversations)}</td>
                    <td class="num">{count(per?.all?.conversations)}</td>
                  </tr>
                  <tr>
                    <td>{t('compare.infrastructure')}</td>
                    <td class="num">{m(per?.bot?.infrastructure)}</td>
                    <td class="num">{m(per?.human?.infrastructure)}</td>
                    <td class="num">{m(totals?.infrastructure)}</td>
                  </tr>
                  <tr>
                    <td>{t('compare.humanCost')}</td>
                    <td class="num">—</td>
                    <td class="num">{m(per?.human?.human)}</td>
                    <td class="num">{m(totals?.human)}</td>
                  </tr>
                  <tr>
                    <td>{t('compare.handledHours')}</td>
                    <td class="num">—</td>
                    <td class="num" title={hours === undefined ? undefined : String(hours)}>
                      {hours === undefined ? '—' : duration(hours * 3600)}
                    </td>
                    <td class="num">{hours === undefined ? '—' : duration(hours * 3600)}</td>
                  </tr>
                  <tr>
                    <td>{t('compare.amount')}</td>
                    <td class="num">{m(per?.bot?.infrastructure)}</td>
                    <td class="num">{m(num(per?.human?.infrastructure) !== undefined && num(per?.human?.human) !== undefined ? per!.human!.infrastructure! + per!.human!.human! : undefined)}</td>
                    <td class="num">{m(per?.all?.amount ?? totals?.all)}</td>
                  </tr>
                </tbody>
              </table>
              <p class={`finance-ratio ${ratio === undefined ? 'muted' : ''}`} data-testid="finance-ratio" data-ratio={ratio ?? ''}>
                {ratio === undefined ? t('compare.ratioUnknown') : t('compare.ratio', { n: ratioN(ratio) })}
              </p>
              {services.length > 0 && (
                <>
                  <h2 class="finance-subhead">{t('services.title')}</h2>
                  <ul class="hbars" data-testid="finance-services">
                    {services.map((s) => (
                      <li key={s.service} data-key={s.service} data-value={num(s.amount) ?? ''}>
                        <span class="hbar-label">{s.service}</span>
                        <span class="hbar-track">
                          <span class="hbar-fill" style={{ width: `${serviceMax > 0 ? ((num(s.amount) ?? 0) / serviceMax) * 100 : 0}%`, background: 'var(--primary)' }} />
                        </span>
                        <span class="hbar-value finance-service-value">{m(s.amount)}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
            <ConversationBox />
            <section class="card card-wide">
              <p class="muted small dashboard-definitions" data-testid="finance-definitions">
                {t('definitions', {
                  version: data.priceVersion ?? '—',
                  currency: code ?? '—',
                  perUsd: plain(data.currency?.perUsd, lang),
                  hourly: m(data.humanRate?.hourly),
                })}
                {data.humanRate?.byGroup && Object.keys(data.humanRate.byGroup).length > 0 && (
                  <>
                    {' '}
                    {Object.entries(data.humanRate.byGroup)
                      .map(([group, rate]) => `${group}: ${m(rate)}`)
                      .join(' · ')}
                  </>
                )}
              </p>
            </section>
          </div>
        </>
      )}
    </div>
  );
}

/** The budget flags say a budget was exceeded; which one is read from the figures when both are known. */
function exceededNow(spent: Num, limitUsd: Num, perUsd: Num): boolean {
  const s = num(spent);
  const l = num(limitUsd);
  if (s === undefined || l === undefined) return true;
  return s >= l * (num(perUsd) ?? 1);
}

function Kpi({ label, value, amount, hint, tone, testId }: { label: string; value: string; amount?: Num; hint?: string; tone?: 'warn' | 'bad' | undefined; testId: string }) {
  return (
    <div class={`kpi ${tone ? `kpi-${tone}` : ''}`}>
      <span class="kpi-label">{label}</span>
      <span class="kpi-value" data-testid={testId} data-amount={num(amount) ?? ''} title={num(amount) === undefined ? undefined : String(amount)}>
        {value}
      </span>
      {hint && <span class="muted small">{hint}</span>}
    </div>
  );
}

function BudgetKpi({ label, spent, limitUsd, exceeded, degraded, format, t, testId }: { label: string; spent: Num; limitUsd: Num; exceeded: boolean; degraded: boolean; format: (value: Num, currency?: string) => string; t: (key: FinanceKey, vars?: Record<string, string | number>) => string; testId: string }) {
  const state = exceeded ? 'exceeded' : degraded ? 'degraded' : 'ok';
  return (
    <div class={`kpi finance-budget finance-budget-${state} ${exceeded ? 'kpi-bad' : degraded ? 'kpi-warn' : ''}`} data-state={state}>
      <span class="kpi-label">{label}</span>
      <span class="kpi-value" data-testid={testId} data-amount={num(spent) ?? ''}>
        {format(spent)}
      </span>
      <span class="muted small">
        {num(limitUsd) === undefined ? t('kpi.budget.noLimit') : t('kpi.budget.limit', { limit: format(limitUsd, 'USD') })}
        {exceeded && <span class="finance-flag finance-flag-bad"> {t('kpi.budget.exceeded')}</span>}
        {degraded && <span class="finance-flag finance-flag-warn"> {t('kpi.budget.degraded')}</span>}
      </span>
    </div>
  );
}

function ConversationBox() {
  const { lang } = useI18n();
  const t = useScreenT(strings);
  const { api } = useApp();
  const [id, setId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ConversationCosts>();
  const [error, setError] = useState<string>();

  const lookup = async () => {
    const conversationId = id.trim();
    if (!conversationId) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.get<ConversationCosts>(`/v1/finance/conversations/${encodeURIComponent(conversationId)}/costs`));
    } catch (err) {
      setResult(undefined);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const code = currencyCode(result?.currency);
  const m = (value: Num) => money(value, code, lang);
  const invocations = result?.invocations ?? [];
  return (
    <section class="card card-wide finance-conversation" data-testid="finance-conversation">
      <h2>{t('conv.title')}</h2>
      <form
        class="finance-conv-form"
        onSubmit={(e) => {
          e.preventDefault();
          void lookup();
        }}
      >
        <input type="text" class="mono" value={id} placeholder={t('conv.placeholder')} data-testid="conv-id" onInput={(e) => setId(e.currentTarget.value)} />
        <button type="submit" class="button button-small button-primary" data-testid="conv-lookup" disabled={busy || !id.trim()}>
          {busy ? t('conv.looking') : t('conv.lookup')}
        </button>
      </form>
      {error && (
        <p class="error-text" data-testid="conv-error">
          {error}
        </p>
      )}
      {result && (
        <div class="finance-conv-result" data-testid="conv-result" data-conversation={result.conversationId}>
          <div class="finance-conv-meta">
            <span class="mono strong">{result.conversationId}</span>
            <span class="muted">
              {t('conv.channel')}: {result.channel ?? '—'}
            </span>
            <span class="muted">
              {t('conv.status')}: {result.status ?? '—'}
            </span>
          </div>
          <h3>{t('conv.invocations', { count: invocations.length })}</h3>
          {!invocations.length && <Empty>{t('conv.noInvocations')}</Empty>}
          {invocations.map((inv) => (
            <div key={inv.requestId} class="finance-invocation" data-testid="conv-invocation" data-request={inv.requestId} data-amount={num(inv.amount) ?? ''}>
              <div class="finance-invocation-head">
                <span class="muted small">{inv.at ? dateTime(inv.at, lang) : '—'}</span>
                <span class="tag">{inv.functionId ?? '—'}</span>
                <span class="small">
                  {t('conv.capability')}: {inv.capability ?? '—'}
                </span>
                {inv.route && (
                  <span class="small mono">
                    {t('conv.route')}: {inv.route}
                  </span>
                )}
                <span class="mono muted small finance-request">{inv.requestId}</span>
                <span class="strong finance-invocation-amount" title={num(inv.amount) === undefined ? undefined : String(inv.amount)}>
                  {m(inv.amount)}
                </span>
              </div>
              <table class="table finance-lines">
                <thead>
                  <tr>
                    <th>{t('conv.item')}</th>
                    <th>{t('conv.service')}</th>
                    <th class="num">{t('conv.quantity')}</th>
                    <th class="num">{t('conv.unitPrice')}</th>
                    <th class="num">{t('conv.amount')}</th>
                    <th>{t('conv.formula')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(inv.lines ?? []).map((line, i) => (
                    <tr key={`${line.item}-${i}`} data-testid="conv-line" data-item={line.item} data-amount={num(line.amount) ?? ''}>
                      <td>{line.item}</td>
                      <td class="muted">{line.service ?? '—'}</td>
                      <td class="num">
                        {plain(line.quantity, lang)} {line.unit ?? ''}
                      </td>
                      <td class="num">
                        {money(num(line.unitPrice), code, lang)}
                        {line.per !== undefined && line.per !== null && line.per !== 1 && <span class="muted small"> / {typeof line.per === 'number' ? plain(line.per, lang) : line.per}</span>}
                      </td>
                      <td class="num strong">{m(line.amount)}</td>
                      <td class="mono finance-formula" data-testid="conv-formula">
                        {line.formula ?? '—'}
                        {line.basis && <div class="muted small">{line.basis}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
          <div class="finance-conv-summary">
            <div>
              <span class="muted">{t('conv.infrastructure')}</span> <span class="strong" data-testid="conv-infrastructure">{m(result.infrastructure)}</span>
            </div>
            <div data-testid="conv-human">
              <span class="muted">{t('conv.human')}</span>{' '}
              {result.human ? (
                <>
                  <span class="strong">{m(result.human.amount)}</span>{' '}
                  <span class="small muted">{t('conv.humanLine', { time: num(result.human.handledSeconds) === undefined ? '—' : duration(result.human.handledSeconds!), rate: m(result.human.hourlyRate) })}</span>
                  {result.human.formula && <div class="mono finance-formula">{result.human.formula}</div>}
                </>
              ) : (
                <span class="muted">{t('conv.humanNone')}</span>
              )}
            </div>
            <div class="finance-conv-total">
              <span class="muted">{t('conv.total')}</span>{' '}
              <span class="strong" data-testid="conv-total" data-amount={num(result.total) ?? ''} title={num(result.total) === undefined ? undefined : String(result.total)}>
                {m(result.total)}
              </span>
              {result.formula && (
                <div class="mono finance-formula" data-testid="conv-total-formula">
                  {result.formula}
                </div>
              )}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
