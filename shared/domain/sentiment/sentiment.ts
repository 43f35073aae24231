/**
 * The sentiment capability's vocabulary: what every scored message carries, whichever engine scored it.
 */
import type { Language } from '../knowledge/text-features.ts';

export type Polarity = 'positive' | 'neutral' | 'negative' | 'mixed';
export const POLARITIES: readonly Polarity[] = ['positive', 'neutral', 'negative', 'mixed'];

/**
 * Emotion categories. The first six are the customer-service set (the "at least"); surprised and disgusted
 * complete Ekman's basic emotions so that public emotion sets can be evaluated without merging classes.
 */
export type Emotion = 'angry' | 'anxious' | 'disappointed' | 'fearful' | 'happy' | 'surprised' | 'disgusted' | 'neutral';
export const EMOTIONS: readonly Emotion[] = ['angry', 'anxious', 'disappointed', 'fearful', 'happy', 'surprised', 'disgusted', 'neutral'];
export const NEGATIVE_EMOTIONS: ReadonlySet<Emotion> = new Set<Emotion>(['angry', 'anxious', 'disappointed', 'fearful', 'disgusted']);

export interface PolarityScores {
  readonly positive: number;
  readonly negative: number;
  readonly neutral: number;
  readonly mixed: number;
}

export type SentimentProviderName = 'local' | 'comprehend';

export interface SentimentResult {
  readonly polarity: Polarity;
  /** Sum to 1 (± rounding). */
  readonly scores: PolarityScores;
  readonly emotion: Emotion;
  /** Strength of `emotion`, 0..1 (0 for neutral). */
  readonly intensity: number;
  readonly language: Language;
  readonly provider: SentimentProviderName;
  /** Customer-service cues that fired (complaint, threat, negation, …), for the agent's view and for explanations. */
  readonly cues?: readonly string[];
  /** Comprehend only: billable units (100 characters a unit, 3 units minimum per document). */
  readonly units?: number;
  /** Set when the configured cloud provider failed or timed out and the local engine answered instead. */
  readonly fallbackReason?: 'timeout' | 'error';
}
