/**
 * A conversation's mood: the customer's current emotion, its trend over their last turns and the worst moment so far.
 * Updated from each customer message's sentiment by the policy step and stored on the conversation, where the agent
 * and the supervisor read it and where the reply policy reads the trend (a mood that keeps getting worse hands off).
 */
import type { Emotion, Polarity, SentimentResult } from './sentiment.ts';

export type MoodTrend = 'improving' | 'steady' | 'worsening';

export interface ConversationMood {
  readonly emotion: Emotion;
  readonly polarity: Polarity;
  readonly intensity: number;
  /** −1 (very negative) … +1 (very positive). */
  readonly valence: number;
  readonly trend: MoodTrend;
  /** Valence of the customer's last turns, oldest first (at most MOOD_HISTORY). */
  readonly recent: readonly number[];
  /** The most negative moment of the conversation. */
  readonly worst?: { readonly messageId: string; readonly emotion: Emotion; readonly intensity: number; readonly valence: number; readonly at: string };
  readonly turns: number;
  readonly updatedAt: string;
}

export const MOOD_HISTORY = 8;
/** A change of at least this much valence across the window is a trend. */
const TREND_DELTA = 0.25;

/** One number for how the message feels: the polarity balance, pulled down by a strong negative emotion. */
export function valenceOf(s: Pick<SentimentResult, 'scores' | 'emotion' | 'intensity' | 'polarity'>): number {
  const balance = s.scores.positive - s.scores.negative;
  const negativeEmotion = s.emotion !== 'happy' && s.emotion !== 'neutral' && s.emotion !== 'surprised';
  const v = negativeEmotion ? Math.min(balance, -s.intensity) : s.emotion === 'happy' ? Math.max(balance, s.intensity) : balance;
  return Math.round(Math.max(-1, Math.min(1, v)) * 1000) / 1000;
}

/** A step of at least this much valence counts as the mood moving (smaller steps are noise). */
const STEP_DELTA = 0.05;

/**
 * The trend over the last `turns` customer turns: worsening when every turn felt worse than the one before (by more
 * than noise) and valence fell by TREND_DELTA or more across them — a steady slide, not one bad message, nor a mildly
 * negative question after a neutral one (plain service questions such as "where is my parcel" read slightly negative);
 * improving the other way round.
 */
export function trendOf(recent: readonly number[], turns: number): MoodTrend {
  const window = recent.slice(-Math.max(2, turns));
  if (window.length < Math.max(2, turns)) return 'steady';
  const first = window[0]!;
  const last = window[window.length - 1]!;
  const steps = window.length - 1;
  let rises = 0;
  let falls = 0;
  for (let i = 1; i < window.length; i++) {
    if (window[i]! > window[i - 1]! + STEP_DELTA) rises++;
    if (window[i]! < window[i - 1]! - STEP_DELTA) falls++;
  }
  if (last <= first - TREND_DELTA && falls === steps) return 'worsening';
  if (last >= first + TREND_DELTA && rises === steps) return 'improving';
  return 'steady';
}

export function updateMood(previous: ConversationMood | undefined, sentiment: SentimentResult, messageId: string, at: string, trendTurns = 3): ConversationMood {
  const valence = valenceOf(sentiment);
  const recent = [...(previous?.recent ?? []), valence].slice(-MOOD_HISTORY);
  const worst =
    previous?.worst && previous.worst.valence <= valence
      ? previous.worst
      : valence < 0
        ? { messageId, emotion: sentiment.emotion, intensity: sentiment.intensity, valence, at }
        : previous?.worst;
  return {
    emotion: sentiment.emotion,
    polarity: sentiment.polarity,
    intensity: sentiment.intensity,
    valence,
    trend: trendOf(recent, trendTurns),
    recent,
    ...(worst ? { worst } : {}),
    turns: (previous?.turns ?? 0) + 1,
    updatedAt: at,
  };
}
