/**
 * The local sentiment engine (default, no network): a hand-written lexicon of customer-service language in Chinese
 * (Simplified, with Traditional folded in) and English, with negation, intensifiers, repeated punctuation and
 * complaint / threat cues. Deterministic and allocation-light: well under a millisecond per message.
 */
import { detectLanguage, normalise, type Language } from '../knowledge/text-features.ts';

export type Polarity = 'positive' | 'neutral' | 'negative' | 'mixed';
export type Emotion = 'angry' | 'anxious' | 'disappointed' | 'fearful' | 'happy' | 'neutral';

export interface SentimentResult {
  readonly polarity: Polarity;
  readonly scores: { readonly positive: number; readonly negative: number; readonly neutral: number; readonly mixed: number };
  readonly emotion: Emotion;
  /** 0..1 */
  readonly intensity: number;
  readonly language: Language;
  readonly provider: 'local';
}

type Cue = readonly [term: string, emotion: Emotion, weight: number];

const cues: readonly Cue[] = [
  // angry
  ['投诉', 'angry', 2], ['差评', 'angry', 2], ['12315', 'angry', 2.5], ['垃圾', 'angry', 2], ['骗子', 'angry', 2.5], ['骗人', 'angry', 2],
  ['气死', 'angry', 2.5], ['生气', 'angry', 2], ['恼火', 'angry', 2], ['愤怒', 'angry', 2.5], ['太差', 'angry', 1.5], ['什么破', 'angry', 2], ['滚', 'angry', 2], ['退钱', 'angry', 1.5],
  ['曝光', 'angry', 2], ['律师', 'angry', 1.5], ['起诉', 'angry', 2], ['无语', 'angry', 1], ['坑', 'angry', 1.2], ['恶心', 'angry', 2],
  ['angry', 'angry', 2], ['furious', 'angry', 2.5], ['ridiculous', 'angry', 1.5], ['unacceptable', 'angry', 2], ['scam', 'angry', 2.5],
  ['worst', 'angry', 2], ['complaint', 'angry', 1.5], ['complain', 'angry', 1.5], ['lawyer', 'angry', 1.5], ['sue', 'angry', 1.5],
  ['cancel my account', 'angry', 2], ['terrible', 'angry', 1.5], ['useless', 'angry', 1.5], ['rubbish', 'angry', 1.5], ['garbage', 'angry', 2],
  ['fraud', 'angry', 2.5], ['wtf', 'angry', 2], ['refund now', 'angry', 1.5],
  // anxious
  ['着急', 'anxious', 2], ['急', 'anxious', 1], ['快点', 'anxious', 1.2], ['怎么还没', 'anxious', 1.5], ['还没到', 'anxious', 1.2], ['还没收到', 'anxious', 1.2],
  ['赶紧', 'anxious', 1.2], ['马上', 'anxious', 0.8], ['等了', 'anxious', 1], ['太慢', 'anxious', 1.5], ['催', 'anxious', 1.2], ['担心', 'anxious', 1.5],
  ['urgent', 'anxious', 2], ['asap', 'anxious', 1.5], ['hurry', 'anxious', 1.5], ['still waiting', 'anxious', 1.5], ['still not', 'anxious', 1.2],
  ['worried', 'anxious', 1.5], ['how long', 'anxious', 1], ['where is my', 'anxious', 0.8], ['too slow', 'anxious', 1.5],
  // disappointed / sad
  ['失望', 'disappointed', 2], ['不满意', 'disappointed', 1.8], ['难过', 'disappointed', 1.5], ['遗憾', 'disappointed', 1.2], ['后悔', 'disappointed', 1.5],
  ['伤心', 'disappointed', 1.5], ['不好', 'disappointed', 1], ['差', 'disappointed', 0.8], ['坏了', 'disappointed', 1.2], ['破损', 'disappointed', 1.2],
  ['disappointed', 'disappointed', 2], ['disappointing', 'disappointed', 2], ['sad', 'disappointed', 1.5], ['unhappy', 'disappointed', 1.5],
  ['broken', 'disappointed', 1.2], ['damaged', 'disappointed', 1.2], ['poor', 'disappointed', 1], ['bad', 'disappointed', 1], ['regret', 'disappointed', 1.5],
  // fearful
  ['害怕', 'fearful', 2], ['怕', 'fearful', 1], ['被盗', 'fearful', 2], ['盗刷', 'fearful', 2.5], ['泄露', 'fearful', 2], ['安全吗', 'fearful', 1.2],
  ['scared', 'fearful', 2], ['afraid', 'fearful', 2], ['stolen', 'fearful', 2], ['hacked', 'fearful', 2.5], ['fraudulent charge', 'fearful', 2.5],
  // happy
  ['谢谢', 'happy', 1.2], ['感谢', 'happy', 1.5], ['满意', 'happy', 1.5], ['好评', 'happy', 2], ['太好了', 'happy', 2], ['不错', 'happy', 1.2],
  ['开心', 'happy', 1.8], ['棒', 'happy', 1.5], ['给力', 'happy', 1.5], ['喜欢', 'happy', 1.2], ['👍', 'happy', 1.5], ['😊', 'happy', 1.5], ['😀', 'happy', 1.5],
  ['thanks', 'happy', 1.2], ['thank you', 'happy', 1.5], ['great', 'happy', 1.5], ['awesome', 'happy', 1.8], ['perfect', 'happy', 1.8],
  ['happy', 'happy', 1.5], ['love', 'happy', 1.5], ['excellent', 'happy', 1.8], ['helpful', 'happy', 1.2], ['good', 'happy', 1],
  // emoji
  ['😡', 'angry', 2.5], ['🤬', 'angry', 3], ['😠', 'angry', 2], ['😢', 'disappointed', 1.8], ['😭', 'disappointed', 2], ['😞', 'disappointed', 1.5], ['😰', 'anxious', 1.8], ['😱', 'fearful', 1.8],
];

const negations = ['不', '没', '没有', '别', '未', '并不', '不太', "not", "no", "never", "don't", "didn't", "isn't", "wasn't", "can't", "won't", 'hardly'];
const intensifiers = ['非常', '特别', '太', '超', '极', '十分', '真的', '根本', 'very', 'so', 'really', 'extremely', 'totally', 'absolutely'];

const negative: ReadonlySet<Emotion> = new Set(['angry', 'anxious', 'disappointed', 'fearful']);

function isLatin(term: string): boolean {
  return /^[a-z0-9' ]+$/.test(term);
}

/** Finds a cue in the text; Latin cues only on word boundaries. Returns the start offsets. */
function occurrences(text: string, term: string): number[] {
  const found: number[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(term, from);
    if (at < 0) return found;
    const before = text[at - 1];
    const after = text[at + term.length];
    if (!isLatin(term) || ((!before || !/[a-z0-9]/.test(before)) && (!after || !/[a-z0-9]/.test(after)))) found.push(at);
    from = at + term.length;
  }
}

function precededBy(text: string, at: number, words: readonly string[]): boolean {
  const window = text.slice(Math.max(0, at - 8), at);
  return words.some((w) => (isLatin(w) ? new RegExp(`(^|[^a-z])${w.replace("'", "'")}\\s+(\\w+\\s+)?$`).test(window) : window.endsWith(w) || window.endsWith(`${w}是`)));
}

export function scoreSentiment(input: string): SentimentResult {
  const language = detectLanguage(input);
  const text = normalise(input);
  const byEmotion = new Map<Emotion, number>();
  const covered: Array<[number, number]> = [];
  // Longer cues first so that 不满意 wins over 满意 and "thank you" over "thank".
  const ordered = [...cues].sort((a, b) => b[0].length - a[0].length);
  for (const [term, emotion, weight] of ordered) {
    for (const at of occurrences(text, term)) {
      if (covered.some(([s, e]) => at < e && at + term.length > s)) continue;
      covered.push([at, at + term.length]);
      let w = weight;
      let target: Emotion = emotion;
      if (precededBy(text, at, intensifiers)) w *= 1.5;
      if (precededBy(text, at, negations)) {
        // "不满意" is its own cue; a negated positive ("not good", "不开心") reads as disappointment, a negated
        // negative ("不着急", "not angry") as calm.
        if (emotion === 'happy') target = 'disappointed';
        else {
          w *= 0;
        }
      }
      byEmotion.set(target, (byEmotion.get(target) ?? 0) + w);
    }
  }
  const exclamations = (input.match(/[!！]/g) ?? []).length;
  const questions = (input.match(/[?？]{2,}/g) ?? []).length;
  const emphasis = 1 + Math.min(exclamations, 5) * 0.15 + questions * 0.2;
  let neg = 0;
  let pos = byEmotion.get('happy') ?? 0;
  for (const e of negative) neg += byEmotion.get(e) ?? 0;
  neg *= emphasis;
  let emotion: Emotion = 'neutral';
  let best = 0;
  for (const [e, w] of byEmotion) {
    const weighted = negative.has(e) ? w * emphasis : w;
    if (weighted > best) {
      best = weighted;
      emotion = e;
    }
  }
  if (best < 0.8) emotion = 'neutral';
  pos = Math.min(pos, 6);
  neg = Math.min(neg, 6);
  const neutralMass = 1.2;
  const total = pos + neg + neutralMass;
  const mixedMass = pos > 0.8 && neg > 0.8 ? Math.min(pos, neg) : 0;
  const scores = {
    positive: round((pos - mixedMass / 2) / (total + mixedMass)),
    negative: round((neg - mixedMass / 2) / (total + mixedMass)),
    neutral: round(neutralMass / (total + mixedMass)),
    mixed: round((mixedMass * 2) / (total + mixedMass)),
  };
  const polarity: Polarity =
    mixedMass > 0 && scores.mixed >= Math.max(scores.positive, scores.negative)
      ? 'mixed'
      : scores.negative > scores.neutral && scores.negative >= scores.positive
        ? 'negative'
        : scores.positive > scores.neutral
          ? 'positive'
          : 'neutral';
  const intensity = emotion === 'neutral' ? 0 : round(Math.min(1, best / 4));
  return { polarity, scores, emotion, intensity, language, provider: 'local' };
}

function round(n: number): number {
  return Math.max(0, Math.round(n * 1000) / 1000);
}
