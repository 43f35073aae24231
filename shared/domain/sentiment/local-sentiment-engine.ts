/**
 * The local sentiment engine (default, and the fallback when a cloud provider fails): the lexicon and rules of
 * lexicon-scorer.ts turned into polarity scores, an emotion with its intensity and the detected language. When a
 * company has trained a model on its own labelled messages (sentiment-model.ts), the model's linear scores decide
 * polarity or emotion, with the lexicon's figures among its features. Deterministic; a few microseconds a message.
 */
import { detectLanguage, type Language } from '../knowledge/text-features.ts';
import { scoreWithLexicon, type LexiconScore } from './lexicon-scorer.ts';
import { NEGATIVE_EMOTIONS, type Emotion, type Polarity, type PolarityScores, type SentimentResult } from './sentiment.ts';
import type { SentimentModel } from './sentiment-model.ts';

export type { Emotion, Polarity, SentimentResult } from './sentiment.ts';

/** Mass that stands for "nothing said" in the polarity scores: one mild term is not yet a clear polarity. */
const NEUTRAL_MASS = 1;
/** An emotion is reported from this much lexicon weight (after emphasis); below it the message is neutral. */
const EMOTION_FLOOR = 0.9;

export interface LocalSentimentOptions {
  /** A trained model (npm run kefu -- sentiment train); absent: the shipped lexicon and rules alone. */
  readonly model?: SentimentModel;
  readonly language?: Language;
}

export function scoreSentiment(input: string, options: LocalSentimentOptions = {}): SentimentResult {
  const language = options.language && options.language !== 'unknown' ? options.language : detectLanguage(input);
  const lexicon = scoreWithLexicon(input);
  const ruled = fromLexicon(lexicon);
  const model = options.model;
  if (!model) return { ...ruled, language, provider: 'local', ...(lexicon.cues.length ? { cues: lexicon.cues } : {}) };
  const predicted = model.predict(input, lexicon);
  let result: Omit<SentimentResult, 'language' | 'provider'> = ruled;
  if (predicted.polarity) result = withPolarity(result, predicted.polarity.label as Polarity, predicted.polarity.probabilities, lexicon);
  if (predicted.emotion) result = withEmotion(result, predicted.emotion.label as Emotion, predicted.emotion.confidence, lexicon);
  return { ...result, language, provider: 'local', ...(lexicon.cues.length ? { cues: lexicon.cues } : {}) };
}

/** The rules' reading: polarity scores from the positive / negative mass, the strongest emotion of that polarity. */
export function fromLexicon(lexicon: LexiconScore): Pick<SentimentResult, 'polarity' | 'scores' | 'emotion' | 'intensity'> {
  const pos = Math.min(lexicon.positive, 8);
  const neg = Math.min(lexicon.negative, 8);
  const mixedMass = pos >= 1.2 && neg >= 1.2 && Math.min(pos, neg) / Math.max(pos, neg) >= 0.6 ? Math.min(pos, neg) : 0;
  const total = pos + neg + NEUTRAL_MASS + mixedMass;
  const scores = normalised({
    positive: (pos - mixedMass / 2) / total,
    negative: (neg - mixedMass / 2) / total,
    neutral: NEUTRAL_MASS / total,
    mixed: mixedMass / total,
  });
  const polarity = polarityOf(scores);
  const { emotion, intensity } = emotionOf(lexicon, polarity);
  return { polarity, scores, emotion, intensity };
}

function polarityOf(scores: PolarityScores): Polarity {
  const ranked = (Object.entries(scores) as Array<[Polarity, number]>).sort((a, b) => b[1] - a[1]);
  return ranked[0]![0];
}

function emotionOf(lexicon: LexiconScore, polarity: Polarity): { emotion: Emotion; intensity: number } {
  let emotion: Emotion = 'neutral';
  let best = 0;
  for (const [e, w] of lexicon.emotions) {
    // A negative message is angry, anxious, … not happy; a positive one is not angry.
    if (polarity === 'negative' && e === 'happy') continue;
    if (polarity === 'positive' && NEGATIVE_EMOTIONS.has(e)) continue;
    if (w > best) {
      best = w;
      emotion = e;
    }
  }
  if (emotion === 'neutral' && polarity === 'negative' && lexicon.negative >= EMOTION_FLOOR) {
    emotion = 'disappointed';
    best = lexicon.negative * 0.6;
  }
  if (best < EMOTION_FLOOR) return { emotion: 'neutral', intensity: 0 };
  return { emotion, intensity: intensityOf(best) };
}

/** A model's polarity over the rules' scores; the emotion follows the polarity (no angry "positive" message). */
function withPolarity(
  ruled: Omit<SentimentResult, 'language' | 'provider'>,
  polarity: Polarity,
  probabilities: Readonly<Record<string, number>>,
  lexicon: LexiconScore,
): Omit<SentimentResult, 'language' | 'provider'> {
  const scores = normalised({
    positive: probabilities.positive ?? 0,
    negative: probabilities.negative ?? 0,
    neutral: probabilities.neutral ?? 0,
    mixed: probabilities.mixed ?? 0,
  });
  const { emotion, intensity } = emotionOf(lexicon, polarity);
  if (polarity === 'negative' && emotion === 'neutral') return { polarity, scores, emotion: 'disappointed', intensity: round(Math.max(0.25, scores.negative / 2)) };
  if (polarity === 'positive' && emotion === 'neutral') return { polarity, scores, emotion: 'happy', intensity: round(Math.max(0.25, scores.positive / 2)) };
  return { ...ruled, polarity, scores, emotion, intensity };
}

/** A model's emotion over the rules' reading; intensity from the model's confidence and the lexicon's strength. */
function withEmotion(
  ruled: Omit<SentimentResult, 'language' | 'provider'>,
  emotion: Emotion,
  confidence: number,
  lexicon: LexiconScore,
): Omit<SentimentResult, 'language' | 'provider'> {
  if (emotion === 'neutral') return { ...ruled, emotion, intensity: 0 };
  const strength = intensityOf(lexicon.emotions.get(emotion) ?? 0);
  const intensity = round(Math.min(1, Math.max(confidence * 0.6, strength)));
  const polarity: Polarity = emotion === 'happy' ? (ruled.polarity === 'negative' ? 'mixed' : 'positive') : emotion === 'surprised' ? ruled.polarity : ruled.polarity === 'positive' ? 'mixed' : 'negative';
  return { ...ruled, polarity, emotion, intensity };
}

/** Lexicon mass → 0..1, saturating: one strong cue ≈ 0.45, two ≈ 0.7, a pile-up with !!! → 0.9. */
function intensityOf(mass: number): number {
  return round(1 - Math.exp(-mass / 3.5));
}

function normalised(scores: PolarityScores): PolarityScores {
  const clamp = (n: number) => Math.max(0, n);
  const sum = clamp(scores.positive) + clamp(scores.negative) + clamp(scores.neutral) + clamp(scores.mixed) || 1;
  return {
    positive: round(clamp(scores.positive) / sum),
    negative: round(clamp(scores.negative) / sum),
    neutral: round(clamp(scores.neutral) / sum),
    mixed: round(clamp(scores.mixed) / sum),
  };
}

function round(n: number): number {
  return Math.max(0, Math.round(n * 1000) / 1000);
}
