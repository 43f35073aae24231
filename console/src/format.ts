/** Times, durations and moods as the console shows them, in the chosen language. */
import type { Lang, Translate } from './i18n.ts';
import type { Emotion, MoodTrend } from './types.ts';

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');

/** 0:42, 3:05, 1:02:10 */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function clockTime(iso: string | undefined, lang: Lang): string {
  if (!iso) return '';
  return new Date(iso).toLocaleTimeString(locale(lang), { hour: '2-digit', minute: '2-digit' });
}

/** Today: the time; otherwise the date and time. */
export function dateTime(iso: string | undefined, lang: Lang): string {
  if (!iso) return '';
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(locale(lang), { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(locale(lang), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function ago(iso: string | undefined, t: Translate, now = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 10) return t('time.justNow');
  if (seconds < 60) return t('time.secondsAgo', { n: seconds });
  if (seconds < 3600) return t('time.minutesAgo', { n: Math.floor(seconds / 60) });
  if (seconds < 86400) return t('time.hoursAgo', { n: Math.floor(seconds / 3600) });
  return t('time.daysAgo', { n: Math.floor(seconds / 86400) });
}

export const EMOTION_EMOJI: Readonly<Record<Emotion, string>> = {
  angry: '😠',
  anxious: '😟',
  disappointed: '😞',
  fearful: '😨',
  happy: '😊',
  surprised: '😮',
  disgusted: '😖',
  neutral: '😐',
};

export const TREND_ARROW: Readonly<Record<MoodTrend, string>> = { improving: '↗', steady: '→', worsening: '↘' };

/** Negative emotions in red / amber, positive in green, the rest grey. */
export function emotionTone(emotion: string | null | undefined): 'bad' | 'warn' | 'good' | 'calm' {
  if (emotion === 'angry' || emotion === 'disgusted') return 'bad';
  if (emotion === 'anxious' || emotion === 'fearful' || emotion === 'disappointed') return 'warn';
  if (emotion === 'happy') return 'good';
  return 'calm';
}

export function shortId(id: string): string {
  const bare = id.replace(/^(conv|tkt|cus)_/, '');
  return bare.length > 8 ? bare.slice(-6) : bare;
}
