/**
 * Small SVG / CSS charts for the dashboard, written here rather than pulled from a charting library: the screen needs
 * stacked bars, a line and horizontal bars, and these are a few hundred bytes against tens of kilobytes.
 */
import type { ComponentChildren } from 'preact';

export const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#6d4fd8', '#dc2626', '#0891b2', '#db2777', '#65a30d', '#64748b'];

const W = 640;
const H = 200;
const PAD = { left: 36, right: 22, top: 10, bottom: 24 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** Labels every nth day so the axis stays readable for 30+ days. */
const showLabel = (index: number, count: number) => count <= 10 || index % Math.ceil(count / 10) === 0 || index === count - 1;
const shortDay = (day: string) => day.slice(5).replace('-', '/');

/** `width`: the drawing's width in its own units (a wide card draws wider, so its text keeps the same size). */
export function StackedBars({ days, keys, values, label, testId, width = W }: { days: readonly string[]; keys: readonly string[]; values: (day: string, key: string) => number; label: (key: string) => string; testId?: string; width?: number }) {
  const totals = days.map((d) => keys.reduce((n, k) => n + values(d, k), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = width - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  return (
    <figure class="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${width} ${H}`} role="img" preserveAspectRatio="xMidYMid meet">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={width - PAD.right} y1={y(max * f)} y2={y(max * f)} class="chart-grid" />
            <text x={PAD.left - 6} y={y(max * f) + 4} class="chart-axis" text-anchor="end">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {days.map((day, i) => {
          let base = 0;
          const x = PAD.left + slot * i + (slot - barW) / 2;
          return (
            <g key={day} data-day={day} data-total={totals[i]}>
              {keys.map((key, k) => {
                const v = values(day, key);
                if (!v) return null;
                const top = y(base + v);
                const rect = <rect key={key} x={x} y={top} width={barW} height={y(base) - top} fill={PALETTE[k % PALETTE.length]}><title>{`${day} · ${label(key)}: ${v}`}</title></rect>;
                base += v;
                return rect;
              })}
              {showLabel(i, days.length) && (
                <text x={x + barW / 2} y={H - 6} class="chart-axis" text-anchor="middle">
                  {shortDay(day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <Legend items={keys.map((k, i) => ({ label: label(k), color: PALETTE[i % PALETTE.length]! }))} />
    </figure>
  );
}

/** A line of a rate (0–1) per day; gaps where a day has no value. */
export function RateLine({ days, values, testId }: { days: readonly string[]; values: readonly (number | null)[]; testId?: string }) {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = days.length > 1 ? plotW / (days.length - 1) : 0;
  const x = (i: number) => PAD.left + (days.length > 1 ? step * i : plotW / 2);
  const y = (v: number) => PAD.top + plotH - v * plotH;
  const segments: string[] = [];
  let current = '';
  values.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (current) segments.push(current);
  return (
    <figure class="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" preserveAspectRatio="xMidYMid meet">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(f)} y2={y(f)} class="chart-grid" />
            <text x={PAD.left - 6} y={y(f) + 4} class="chart-axis" text-anchor="end">
              {Math.round(f * 100)}%
            </text>
          </g>
        ))}
        {segments.map((d) => (
          <path key={d} d={d} class="chart-line" />
        ))}
        {values.map((v, i) =>
          v === null ? null : (
            <circle key={days[i]} cx={x(i)} cy={y(v)} r={3} class="chart-dot">
              <title>{`${days[i]}: ${Math.round(v * 100)}%`}</title>
            </circle>
          ),
        )}
        {days.map((day, i) =>
          showLabel(i, days.length) ? (
            <text key={day} x={x(i)} y={H - 6} class="chart-axis" text-anchor="middle">
              {shortDay(day)}
            </text>
          ) : null,
        )}
      </svg>
    </figure>
  );
}

/** Horizontal bars: one row per item, the bar's length relative to the largest. */
export function HBars({ items, testId, tone }: { items: readonly { key: string; label: ComponentChildren; value: number; note?: string }[]; testId?: string; tone?: (key: string) => string | undefined }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <ul class="hbars" data-testid={testId}>
      {items.map((item, index) => (
        <li key={item.key} data-key={item.key} data-value={item.value}>
          <span class="hbar-label">{item.label}</span>
          <span class="hbar-track">
            <span class="hbar-fill" style={{ width: `${(item.value / max) * 100}%`, background: tone?.(item.key) ?? PALETTE[index % PALETTE.length] }} />
          </span>
          <span class="hbar-value">
            {item.value}
            {item.note && <span class="muted small"> {item.note}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function Legend({ items }: { items: readonly { label: string; color: string }[] }) {
  return (
    <figcaption class="legend">
      {items.map((i) => (
        <span key={i.label}>
          <span class="legend-swatch" style={{ background: i.color }} />
          {i.label}
        </span>
      ))}
    </figcaption>
  );
}
