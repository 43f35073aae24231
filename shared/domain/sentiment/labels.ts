/**
 * How the labels of a labelled file map to the engine's categories (for the evaluation command and for training).
 * A file whose labels all map to polarities is a polarity set; otherwise every label must map to an emotion.
 * Documented in docs/EVALUATION.md ("Label mapping").
 */
import type { Emotion, Polarity } from './sentiment.ts';

export const POLARITY_LABELS: Readonly<Record<string, Polarity>> = {
  positive: 'positive', pos: 'positive', '1': 'positive', good: 'positive',
  negative: 'negative', neg: 'negative', '0': 'negative', bad: 'negative',
  neutral: 'neutral', none: 'neutral',
  mixed: 'mixed',
};

export const EMOTION_LABELS: Readonly<Record<string, Emotion>> = {
  angry: 'angry', anger: 'angry', annoyance: 'angry',
  anxious: 'anxious', anxiety: 'anxious', nervousness: 'anxious', urgent: 'anxious',
  sad: 'disappointed', sadness: 'disappointed', disappointed: 'disappointed', disappointment: 'disappointed',
  fear: 'fearful', fearful: 'fearful', scared: 'fearful',
  happy: 'happy', joy: 'happy', happiness: 'happy',
  surprise: 'surprised', surprised: 'surprised',
  disgust: 'disgusted', disgusted: 'disgusted',
  neutral: 'neutral', none: 'neutral',
};

export type LabelledSet =
  | { readonly task: 'polarity'; readonly labels: readonly Polarity[]; readonly rows: ReadonlyArray<{ text: string; label: Polarity }> }
  | { readonly task: 'emotion'; readonly labels: readonly Emotion[]; readonly rows: ReadonlyArray<{ text: string; label: Emotion }> };

/** Maps a file's rows to engine categories; throws with the unmapped labels listed. */
export function mapLabels(rows: ReadonlyArray<{ readonly text: string; readonly label: string }>): LabelledSet {
  const raw = [...new Set(rows.map((r) => r.label.trim().toLowerCase()))];
  if (raw.every((l) => l in POLARITY_LABELS)) {
    const mapped = rows.map((r) => ({ text: r.text, label: POLARITY_LABELS[r.label.trim().toLowerCase()]! }));
    return { task: 'polarity', labels: [...new Set(mapped.map((r) => r.label))].sort(), rows: mapped };
  }
  const unmapped = raw.filter((l) => !(l in EMOTION_LABELS));
  if (unmapped.length) throw new Error(`labels not in the mapping table: ${unmapped.join(', ')} (see docs/EVALUATION.md, "Label mapping")`);
  const mapped = rows.map((r) => ({ text: r.text, label: EMOTION_LABELS[r.label.trim().toLowerCase()]! }));
  return { task: 'emotion', labels: [...new Set(mapped.map((r) => r.label))].sort(), rows: mapped };
}
