/**
 * The supervisor dashboard: a period's conversations by channel, bot resolution (containment), handoff rate and
 * reasons, first response / queue wait / handling time, CSAT, the customers' sentiment mix, top intents and top
 * unanswered questions, and each agent's figures, from GET /v1/supervisor/dashboard (daily counters the analytics
 * function keeps from the conversations' stream). Refreshed every minute while open.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorMessage, queryString } from '../api.ts';
import { clockTime, dateTime, duration } from '../format.ts';
import { labelOf, useI18n, useScreenT } from '../i18n.ts';
import { Empty, useApp } from '../ui.tsx';
import { HBars, PALETTE, RateLine, StackedBars } from './charts.tsx';
import { strings, type DashboardKey } from './dashboard.i18n.ts';
import { PeriodPicker } from './period-picker.tsx';

const REFRESH_MS = 60_000;

interface DurationSummary {
  readonly count: number;
  readonly averageSeconds: number | null;
  readonly medianAtMostSeconds: number | null;
  readonly p90AtMostSeconds: number | null;
  readonly distribution: readonly { readonly upToSeconds: number | null; readonly count: number }[];
}

export interface DashboardData {
  readonly period: { readonly from: string; readonly to: string; readonly timeZone: string; readonly days: number };
  readonly totals: {
    readonly conversations: number;
    readonly handedOff: number;
    readonly contained: number;
    readonly containmentRate: number | null;
    readonly handoffRate: number | null;
    readonly botReplies: number;
    readonly botAnswerRate: number | null;
    readonly unansweredReplies: number;
    readonly customerTurnsScored: number;
  };
  readonly byChannel: readonly { readonly channel: string; readonly conversations: number; readonly handedOff: number; readonly containmentRate: number | null; readonly csatAverage: number | null }[];
  readonly handoffReasons: readonly { readonly reason: string; readonly count: number; readonly share: number | null }[];
  readonly queueWait: DurationSummary;
  readonly firstResponse: DurationSummary;
  readonly handling: DurationSummary;
  readonly csat: { readonly count: number; readonly average: number | null; readonly satisfiedRate: number | null; readonly distribution: readonly { readonly score: number; readonly count: number }[] };
  readonly sentiment: { readonly emotions: readonly { readonly emotion: string; readonly count: number; readonly share: number | null }[] };
  readonly topIntents: readonly { readonly topic: string; readonly count: number; readonly kind: 'entry' | 'flow'; readonly label: string; readonly labels?: { readonly zh: string; readonly en: string } }[];
  readonly topUnanswered: readonly { readonly key: string; readonly text: string; readonly count: number; readonly lastSeen: string }[];
  readonly agents: readonly { readonly agentId: string; readonly handled: number; readonly handlingAverageSeconds: number | null; readonly firstResponseAverageSeconds: number | null; readonly csatAverage: number | null; readonly ratings: number }[];
  readonly series: readonly { readonly day: string; readonly conversations: number; readonly byChannel: Readonly<Record<string, number>>; readonly containmentRate: number | null }[];
}

type Preset = 'today' | '7' | '30' | 'custom';

const percent = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`);
const seconds = (v: number | null | undefined) => (v === null || v === undefined ? '—' : duration(v));
const minusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

const EMOTION_COLOURS: Readonly<Record<string, string>> = {
  neutral: '#94a3b8',
  happy: '#16a34a',
  surprised: '#0891b2',
  anxious: '#f59e0b',
  disappointed: '#a16207',
  fearful: '#7c3aed',
  angry: '#dc2626',
  disgusted: '#be185d',
};

export function Screen() {
  const { t: shared, lang } = useI18n();
  const t = useScreenT(strings);
  const { api, session } = useApp();
  const [preset, setPreset] = useState<Preset>('7');
  const [custom, setCustom] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [data, setData] = useState<DashboardData>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [updatedAt, setUpdatedAt] = useState<string>();
  // The report's today (in its time zone): where the default period ends.
  const [today, setToday] = useState<string>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const next = await api.get<DashboardData>(`/v1/supervisor/dashboard${queryString({ from: range.from, to: range.to })}`);
      setData(next);
      setError(undefined);
      setUpdatedAt(new Date().toISOString());
      if (!range.from && !range.to) setToday(next.period.to);
      setCustom((current) => (current.from ? current : { from: next.period.from, to: next.period.to }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, [api, range]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const choose = (next: Preset) => {
    setPreset(next);
    if (next === 'custom') return;
    if (next === '7' || !today) setRange({});
    else setRange({ from: next === 'today' ? today : minusDays(today, 29), to: today });
  };

  const channelLabel = (c: string) => (`channel.${c}` in strings['zh-CN'] ? t(`channel.${c}` as DashboardKey) : c);
  const bucketLabel = (upTo: number | null, previous: number | undefined) => (upTo === null ? t('bucket.over', { time: duration(previous ?? 0) }) : t('bucket.upTo', { time: duration(upTo) }));
  const histogram = (summary: DurationSummary, testId: string) => (
    <HBars
      testId={testId}
      items={summary.distribution.map((b, i) => ({ key: String(b.upToSeconds ?? 'more'), label: bucketLabel(b.upToSeconds, summary.distribution[i - 1]?.upToSeconds ?? undefined), value: b.count }))}
      tone={() => PALETTE[0]}
    />
  );

  const days = data?.series.map((s) => s.day) ?? [];
  const channels = [...new Set(data?.series.flatMap((s) => Object.keys(s.byChannel)) ?? [])].sort();
  const totals = data?.totals;
  const empty = data !== undefined && totals?.conversations === 0 && data.csat.count === 0 && data.handling.count === 0 && totals.botReplies === 0;

  return (
    <div class="supervisor dashboard" data-testid="dashboard">
      <div class="page-head dashboard-head">
        <h1>{t('title')}</h1>
        {data && (
          <span class="muted" data-testid="dashboard-period">
            {t('subtitle', { from: data.period.from, to: data.period.to, zone: data.period.timeZone, days: data.period.days })}
          </span>
        )}
        <div class="dashboard-controls">
          <PeriodPicker
            presets={['today', '7', '30', 'custom'] as const}
            preset={preset}
            custom={custom}
            label={(key) => ({ 'preset:today': t('period.today'), 'preset:7': t('period.7'), 'preset:30': t('period.30'), 'preset:custom': t('period.custom'), from: t('period.from'), to: t('period.to'), apply: t('period.apply') })[key] ?? key}
            choose={choose}
            setCustom={setCustom}
            apply={setRange}
          />
          <button type="button" class="button button-small button-ghost" data-testid="dashboard-refresh" disabled={loading} onClick={() => void load()}>
            {t('refresh')}
          </button>
          {updatedAt && <span class="muted small">{t('updated', { time: clockTime(updatedAt, lang) })}</span>}
        </div>
      </div>
      {error && (
        <p class="error-text" data-testid="dashboard-error">
          {error}
        </p>
      )}
      {!data && !error && <div class="center-screen">{shared('app.loading')}</div>}
      {data && totals && (
        <>
          <div class="kpis kpis-dashboard" data-testid="dashboard-kpis">
            <Kpi label={t('kpi.conversations')} value={String(totals.conversations)} testId="kpi-conversations" />
            <Kpi label={t('kpi.containment')} value={percent(totals.containmentRate)} hint={t('kpi.containment.hint', { contained: totals.contained, total: totals.conversations })} testId="kpi-containment" />
            <Kpi label={t('kpi.handoff')} value={percent(totals.handoffRate)} hint={`${totals.handedOff}`} testId="kpi-handoff" />
            <Kpi label={t('kpi.frt')} value={seconds(data.firstResponse.averageSeconds)} hint={t('kpi.frt.hint', { median: seconds(data.firstResponse.medianAtMostSeconds), p90: seconds(data.firstResponse.p90AtMostSeconds) })} testId="kpi-frt" />
            <Kpi label={t('kpi.handling')} value={seconds(data.handling.averageSeconds)} hint={`${data.handling.count}`} testId="kpi-handling" />
            <Kpi label={t('kpi.csat')} value={data.csat.average === null ? '—' : data.csat.average.toFixed(2)} hint={t('kpi.csat.hint', { count: data.csat.count, rate: percent(data.csat.satisfiedRate) })} testId="kpi-csat" />
            <Kpi label={t('kpi.unanswered')} value={String(totals.unansweredReplies)} hint={t('kpi.unanswered.hint', { total: totals.botReplies, rate: percent(totals.botAnswerRate) })} tone={totals.unansweredReplies > 0 ? 'warn' : undefined} testId="kpi-unanswered" />
          </div>
          {empty && <Empty>{t('noData')}</Empty>}
          <div class="dashboard-grid">
            <section class="card card-wide">
              <h2>{t('chart.byDay')}</h2>
              <StackedBars testId="chart-by-day" width={1280} days={days} keys={channels.length ? channels : ['webchat']} values={(day, key) => data.series.find((s) => s.day === day)?.byChannel[key] ?? 0} label={channelLabel} />
            </section>
            <section class="card">
              <h2>{t('chart.containment')}</h2>
              <RateLine testId="chart-containment" days={days} values={data.series.map((s) => s.containmentRate)} />
            </section>
            <section class="card">
              <h2>{t('chart.reasons')}</h2>
              {data.handoffReasons.length ? (
                <HBars testId="chart-reasons" items={data.handoffReasons.map((r) => ({ key: r.reason, label: labelOf(shared, 'reason', r.reason), value: r.count, note: percent(r.share) }))} />
              ) : (
                <Empty>{t('noData')}</Empty>
              )}
            </section>
            <section class="card">
              <h2>{t('chart.frt')}</h2>
              {histogram(data.firstResponse, 'chart-frt')}
            </section>
            <section class="card">
              <h2>{t('chart.handling')}</h2>
              {histogram(data.handling, 'chart-handling')}
            </section>
            <section class="card">
              <h2>{t('chart.csat')}</h2>
              <HBars
                testId="chart-csat"
                items={[...data.csat.distribution].reverse().map((d) => ({ key: String(d.score), label: t('score', { score: d.score }), value: d.count }))}
                tone={(k) => (Number(k) >= 4 ? '#16a34a' : Number(k) === 3 ? '#f59e0b' : '#dc2626')}
              />
            </section>
            <section class="card">
              <h2>{t('chart.sentiment')}</h2>
              {data.sentiment.emotions.length ? (
                <>
                  <div class="mix-bar" data-testid="chart-sentiment">
                    {data.sentiment.emotions.map((e) => (
                      <span key={e.emotion} data-emotion={e.emotion} style={{ flexGrow: e.count, background: EMOTION_COLOURS[e.emotion] ?? '#64748b' }} title={`${labelOf(shared, 'emotion', e.emotion)} ${percent(e.share)}`} />
                    ))}
                  </div>
                  <HBars items={data.sentiment.emotions.map((e) => ({ key: e.emotion, label: labelOf(shared, 'emotion', e.emotion), value: e.count, note: percent(e.share) }))} tone={(k) => EMOTION_COLOURS[k]} />
                </>
              ) : (
                <Empty>{t('noData')}</Empty>
              )}
            </section>
            <section class="card">
              <h2>{t('chart.intents')}</h2>
              <table class="table" data-testid="top-intents">
                <thead>
                  <tr>
                    <th>{t('col.topic')}</th>
                    <th class="num">{t('col.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.topIntents.map((i) => (
                    <tr key={i.topic} data-topic={i.topic}>
                      <td>
                        <span class="tag">{t(i.kind === 'flow' ? 'kind.flow' : 'kind.entry')}</span> {i.labels ? (lang === 'en' ? i.labels.en : i.labels.zh) : i.label}
                        <div class="muted small">{i.topic}</div>
                      </td>
                      <td class="num strong">{i.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!data.topIntents.length && <Empty>{t('noData')}</Empty>}
            </section>
            <section class="card">
              <h2>{t('chart.unanswered')}</h2>
              <table class="table" data-testid="top-unanswered">
                <thead>
                  <tr>
                    <th>{t('col.question')}</th>
                    <th class="num">{t('col.count')}</th>
                    <th>{t('col.lastSeen')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.topUnanswered.map((q) => (
                    <tr key={q.key}>
                      <td>{q.text}</td>
                      <td class="num strong">{q.count}</td>
                      <td class="muted small">{dateTime(q.lastSeen, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!data.topUnanswered.length && <Empty>{t('noData')}</Empty>}
              {session.user.roles.includes('admin') && data.topUnanswered.length > 0 && (
                <a class="small" href="/console/admin/knowledge">
                  {shared('nav.knowledge')} →
                </a>
              )}
            </section>
            <section class="card">
              <h2>{t('chart.channels')}</h2>
              <table class="table" data-testid="by-channel">
                <thead>
                  <tr>
                    <th>{t('col.channel')}</th>
                    <th class="num">{t('col.conversations')}</th>
                    <th class="num">{t('col.handedOff')}</th>
                    <th class="num">{t('col.containment')}</th>
                    <th class="num">{t('col.csat')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.byChannel.map((c) => (
                    <tr key={c.channel} data-channel={c.channel}>
                      <td>{channelLabel(c.channel)}</td>
                      <td class="num">{c.conversations}</td>
                      <td class="num">{c.handedOff}</td>
                      <td class="num">{percent(c.containmentRate)}</td>
                      <td class="num">{c.csatAverage?.toFixed(2) ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section class="card card-wide">
              <h2>{t('chart.agents')}</h2>
              <table class="table" data-testid="agent-figures">
                <thead>
                  <tr>
                    <th>{t('col.agent')}</th>
                    <th class="num">{t('col.handled')}</th>
                    <th class="num">{t('col.handling')}</th>
                    <th class="num">{t('col.frt')}</th>
                    <th class="num">{t('col.csat')}</th>
                    <th class="num">{t('col.ratings')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.agents.map((a) => (
                    <tr key={a.agentId} data-agent={a.agentId}>
                      <td class="strong">{a.agentId}</td>
                      <td class="num">{a.handled}</td>
                      <td class="num">{seconds(a.handlingAverageSeconds)}</td>
                      <td class="num">{seconds(a.firstResponseAverageSeconds)}</td>
                      <td class="num">{a.csatAverage?.toFixed(2) ?? '—'}</td>
                      <td class="num">{a.ratings}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!data.agents.length && <Empty>{t('noData')}</Empty>}
            </section>
            <section class="card card-wide">
              <h2>{t('chart.wait')}</h2>
              {histogram(data.queueWait, 'chart-wait')}
              <p class="muted small dashboard-definitions">{t('definitions')}</p>
            </section>
          </div>
        </>
      )}
    </div>
  );
}

function Kpi({ label, value, hint, tone, testId }: { label: string; value: string; hint?: string; tone?: 'warn' | 'bad' | undefined; testId: string }) {
  return (
    <div class={`kpi ${tone ? `kpi-${tone}` : ''}`}>
      <span class="kpi-label">{label}</span>
      <span class="kpi-value" data-testid={testId}>
        {value}
      </span>
      {hint && <span class="muted small">{hint}</span>}
    </div>
  );
}
