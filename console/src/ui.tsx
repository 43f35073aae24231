/** Small shared pieces: the app context, toasts, mood tags, presence dots, dialogs, a ticking clock. */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api.ts';
import { EMOTION_EMOJI, emotionTone, TREND_ARROW } from './format.ts';
import { labelOf, useI18n } from './i18n.ts';
import type { LiveStatus } from './live.ts';
import type { AgentProfile, ConsoleConfig, Emotion, FloorEvent, MoodTrend, Presence, Session } from './types.ts';

export type ToastKind = 'info' | 'success' | 'error' | 'warning';
export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly text: string;
}

export interface FloorBus {
  subscribe(listener: (event: FloorEvent) => void): () => void;
  /** Called when the floor socket opens again after a drop: refetch whatever the events would have told. */
  onReconnect(listener: () => void): () => void;
}

export interface AppServices {
  readonly config: ConsoleConfig;
  readonly session: Session;
  readonly api: Api;
  readonly me: AgentProfile | undefined;
  setMe(update: (me: AgentProfile | undefined) => AgentProfile | undefined): void;
  readonly floor: FloorBus;
  readonly floorStatus: LiveStatus;
  toast(kind: ToastKind, text: string): void;
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useApp(): AppServices {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside the signed-in app');
  return app;
}

export function Toasts({ toasts, dismiss }: { toasts: readonly Toast[]; dismiss(id: number): void }) {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.kind}`} data-testid="toast" data-kind={toast.kind}>
          <span>{toast.text}</span>
          <button type="button" class="toast-close" aria-label="×" onClick={() => dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function MoodTag({ emotion, trend, intensity, compact, live }: { emotion: Emotion | null | undefined; trend?: MoodTrend | null; intensity?: number; compact?: boolean; live?: boolean }) {
  const { t } = useI18n();
  if (!emotion) return null;
  const label = labelOf(t, 'emotion', emotion);
  const title = [label, trend ? labelOf(t, 'trend', trend) : '', intensity !== undefined ? `${Math.round(intensity * 100)}%` : '', live ? t('chat.moodLive') : ''].filter(Boolean).join(' · ');
  return (
    <span class={`mood mood-${emotionTone(emotion)}`} title={title} data-testid="mood" data-emotion={emotion}>
      <span aria-hidden="true">{EMOTION_EMOJI[emotion] ?? '•'}</span>
      {!compact && <span class="mood-label">{label}</span>}
      {trend && trend !== 'steady' && <span class="mood-trend">{TREND_ARROW[trend]}</span>}
    </span>
  );
}

export function PresenceDot({ presence }: { presence: Presence }) {
  return <span class={`dot dot-${presence}`} aria-hidden="true" />;
}

export function Modal({ title, onClose, children, testId }: { title: string; onClose(): void; children: ComponentChildren; testId?: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    document.addEventListener('keydown', onKey);
    ref.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div class="modal" role="dialog" aria-modal="true" aria-label={title} ref={ref} data-testid={testId}>
        <div class="modal-head">
          <h2>{title}</h2>
          <button type="button" class="icon-button" aria-label={t('common.close')} onClick={onClose}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

/** Re-renders every `ms` so waiting times tick. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}
