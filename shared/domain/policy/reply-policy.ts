/**
 * The reply policy, the one place that decides handoffs: given the customer's message, its sentiment and the bot's
 * answer (or a multi-turn flow's turn), decide whether the bot replies or the conversation goes to a human, and why.
 * A human is offered when the customer asks for one (at any turn, also inside a flow), for human-first categories
 * (complaints by default), after two answers in a row that found nothing, when the customer asks the same question
 * again right after it was answered (the answer did not help), on anger or anxiety above their thresholds, when the
 * customer's mood has worsened over the last turns, and when a flow cannot finish. An upset customer's reply starts by
 * acknowledging the emotion (a soothing phrase per emotion and language, configurable) and carries a tone hint. The
 * bot never refuses a handoff. Pure: no I/O, no clock.
 */
import { isHandoffRequest } from '../conversation/handoff-request.ts';
import type { Conversation } from '../conversation/conversation.ts';
import type { SentimentResult } from '../sentiment/local-sentiment-engine.ts';
import type { ConversationMood } from '../sentiment/mood.ts';
import type { Emotion } from '../sentiment/sentiment.ts';

export type AnswerOutcome =
  | {
      readonly kind: 'answer';
      readonly entryId: string;
      readonly text: string;
      readonly confidence: number;
      readonly category?: string;
      readonly attachments?: readonly { readonly kind: 'link' | 'image'; readonly url: string; readonly title?: string }[];
      readonly alternatives?: readonly { entryId: string; question: string }[];
    }
  | { readonly kind: 'suggest'; readonly confidence: number; readonly alternatives: readonly { entryId: string; question: string }[] }
  | { readonly kind: 'out_of_scope' | 'unavailable'; readonly confidence: number; readonly alternatives?: readonly { entryId: string; question: string }[] };

export type HandoffReason = 'requested' | 'repeated_failure' | 'negative_emotion' | 'mood_worsening' | 'human_first' | 'loop' | 'flow_unresolved';

/** How the reply should sound: acknowledge the customer's emotion before the answer. */
export interface ToneHint {
  readonly emotion: Emotion;
  readonly intensity: number;
  /** 'soothe': acknowledge and calm (angry, anxious, fearful, disappointed); 'warm': match a happy customer. */
  readonly style: 'soothe' | 'warm' | 'plain';
  /** The phrase the reply starts with ('' when none). */
  readonly acknowledgement: string;
}

export type Decision =
  | {
      readonly kind: 'reply';
      readonly text: string;
      readonly entryId?: string;
      readonly attachments?: readonly { readonly kind: 'link' | 'image'; readonly url: string; readonly title?: string }[];
      readonly answered: boolean;
      readonly weak?: boolean;
      readonly tone?: ToneHint;
    }
  | { readonly kind: 'handoff'; readonly reason: HandoffReason; readonly priority: number; readonly text: string };

export interface PolicyOptions {
  /** Failed answers in a row after which the bot hands over. */
  readonly maxFailedAnswers: number;
  /** Intensity of anger at or above which the conversation goes to a human first. */
  readonly angerThreshold: number;
  /** Knowledge categories a human handles: the bot hands over instead of answering (e.g. complaints, refunds). */
  readonly humanFirstCategories: readonly string[];
  /**
   * Confidence below which an answer is served but counts as weak: two weak or missing answers in a row hand over,
   * and weak answers go to the review list.
   */
  readonly lowConfidence: number;
  /** Intensity of anxiety (or fear) at or above which the conversation goes to a human first. */
  readonly anxietyThreshold: number;
  /** A mood that worsened steadily over this many customer turns (and is negative now) hands over; 0 turns it off. */
  readonly moodTrendTurns: number;
  /** Soothing phrases per emotion and language, over the built-in ones (KEFU_SOOTHING_PHRASES). */
  readonly soothingPhrases?: SoothingPhrases;
}

export type SoothingPhrases = Partial<Record<Emotion, Partial<Record<Lang, string>>>>;

export const defaultPolicyOptions: PolicyOptions = {
  maxFailedAnswers: 2,
  angerThreshold: 0.6,
  humanFirstCategories: ['complaints'],
  lowConfidence: 0.75,
  anxietyThreshold: 0.75,
  moodTrendTurns: 3,
};

/** Built-in acknowledgements, said before the answer (理解您的心情 …). */
export const DEFAULT_SOOTHING_PHRASES: Readonly<Record<Emotion, Readonly<Record<Lang, string>>>> = {
  angry: { zh: '非常抱歉给您带来不好的体验，您的心情我完全理解。', en: 'I am really sorry about this, and I understand why you are upset. ' },
  anxious: { zh: '理解您着急的心情，我马上帮您处理。', en: 'I understand this is urgent for you. Let me help right away. ' },
  disappointed: { zh: '很抱歉让您失望了。', en: 'I am sorry this has been disappointing. ' },
  fearful: { zh: '请别担心，我们会帮您确认并保障您的权益。', en: 'Please do not worry, we will look into this with you. ' },
  disgusted: { zh: '非常抱歉给您带来不好的体验。', en: 'I am very sorry about this experience. ' },
  happy: { zh: '', en: '' },
  surprised: { zh: '', en: '' },
  neutral: { zh: '', en: '' },
};

/**
 * Anxiety, disappointment and fear below this intensity are not acknowledged: the lexicon reads them off the topic of
 * plain service questions too ("where is my parcel", "怎么退货" score about 0.35), and "很抱歉让您失望了" before the answer
 * to a plain question rings false. Anger and disgust come from explicit words and are acknowledged at any intensity.
 */
export const SOOTHE_MIN_INTENSITY = 0.4;

/** The tone of the bot's reply to this message. */
export function toneFor(sentiment: SentimentResult | undefined, language: Lang, custom?: SoothingPhrases): ToneHint | undefined {
  if (!sentiment || sentiment.emotion === 'neutral') return undefined;
  const negative = sentiment.polarity === 'negative' || sentiment.polarity === 'mixed';
  const inferredOnly = (sentiment.emotion === 'anxious' || sentiment.emotion === 'disappointed' || sentiment.emotion === 'fearful') && sentiment.intensity < SOOTHE_MIN_INTENSITY;
  const style: ToneHint['style'] = sentiment.emotion === 'happy' ? 'warm' : sentiment.emotion === 'surprised' || !negative || inferredOnly ? 'plain' : 'soothe';
  const acknowledgement = style === 'soothe' ? (custom?.[sentiment.emotion]?.[language] ?? DEFAULT_SOOTHING_PHRASES[sentiment.emotion][language]) : '';
  return { emotion: sentiment.emotion, intensity: sentiment.intensity, style, acknowledgement };
}

export type Lang = 'zh' | 'en';

const phrases: Record<string, Record<Lang, string>> = {
  handoff: { zh: '好的，正在为您转接人工客服，请稍候。', en: 'Sure, I am connecting you to a human agent. Please wait a moment.' },
  handoffAfterFailures: {
    zh: '抱歉没能帮到您，正在为您转接人工客服，请稍候。',
    en: 'Sorry I could not help with that. I am connecting you to a human agent now.',
  },
  handoffEmotion: {
    zh: '非常抱歉给您带来不好的体验，我马上为您转接人工客服。',
    en: 'I am very sorry about this experience. I am connecting you to a human agent right away.',
  },
  notKnown: {
    zh: '抱歉，这个问题我暂时无法回答。您可以换个说法，或者回复“转人工”联系人工客服。',
    en: 'Sorry, I do not know the answer to that yet. You can rephrase it, or type "human" to talk to an agent.',
  },
  suggest: { zh: '您是想问以下问题吗？', en: 'Did you mean one of these?' },
  handoffAnxious: {
    zh: '理解您着急的心情，我马上为您转接人工客服优先处理。',
    en: 'I understand this is urgent. I am connecting you to a human agent right away.',
  },
  humanFirst: { zh: '这个问题由人工客服为您专门处理，正在为您转接，请稍候。', en: 'A colleague handles this kind of request personally. I am connecting you now.' },
  loop: {
    zh: '看来刚才的回答没能解决您的问题，我为您转接人工客服。',
    en: 'It looks like my last answer did not solve this. I am connecting you to a colleague.',
  },
};

function lang(language: string | undefined): Lang {
  return language === 'en' ? 'en' : 'zh';
}

/**
 * Queue priority 0..9 (higher first) from emotion and the mood's trend; tiers and waiting time add to it in routing.
 * Anger counts most (up to 9), then anxiety and fear (up to 8), then disappointment (up to 6); a worsening mood adds 1.
 */
export function priorityFor(sentiment: SentimentResult | undefined, mood?: Pick<ConversationMood, 'trend'>): number {
  if (!sentiment) return 5;
  let priority = 5;
  if (sentiment.emotion === 'angry' || sentiment.emotion === 'disgusted') priority = 5 + Math.round(4 * sentiment.intensity);
  else if (sentiment.emotion === 'anxious' || sentiment.emotion === 'fearful') priority = 5 + Math.round(3 * sentiment.intensity);
  else if (sentiment.emotion === 'disappointed') priority = 5 + Math.round(1 * sentiment.intensity);
  if (mood?.trend === 'worsening') priority++;
  return Math.min(9, priority);
}

export function decide(
  input: { conversation: Conversation; text: string; sentiment?: SentimentResult; answer: AnswerOutcome; mood?: ConversationMood },
  options: PolicyOptions = defaultPolicyOptions,
): Decision {
  const language = lang(input.sentiment?.language ?? input.conversation.language);
  const priority = priorityFor(input.sentiment, input.mood);
  if (isHandoffRequest(input.text)) {
    return { kind: 'handoff', reason: 'requested', priority, text: phrases.handoff![language] };
  }
  const s = input.sentiment;
  if (s && (s.emotion === 'angry' || s.emotion === 'disgusted') && s.intensity >= options.angerThreshold) {
    return { kind: 'handoff', reason: 'negative_emotion', priority, text: phrases.handoffEmotion![language] };
  }
  if (s && (s.emotion === 'anxious' || s.emotion === 'fearful') && s.intensity >= options.anxietyThreshold) {
    return { kind: 'handoff', reason: 'negative_emotion', priority, text: phrases.handoffAnxious![language] };
  }
  if (options.moodTrendTurns > 0 && input.mood && input.mood.trend === 'worsening' && input.mood.valence < 0 && input.mood.turns >= options.moodTrendTurns) {
    return { kind: 'handoff', reason: 'mood_worsening', priority, text: phrases.handoffEmotion![language] };
  }
  if (input.answer.kind === 'answer' && input.answer.category && options.humanFirstCategories.includes(input.answer.category)) {
    return { kind: 'handoff', reason: 'human_first', priority, text: phrases.humanFirst![language] };
  }
  // The same entry again, in the same language, right after the bot served it: the answer did not help, so a human
  // takes over (the same question in another language is a customer trying the bot, not a loop).
  const messageLanguage = input.sentiment?.language ?? input.conversation.language;
  if (input.answer.kind === 'answer' && input.conversation.lastEntryId === input.answer.entryId && input.conversation.lastEntryLanguage === messageLanguage) {
    return { kind: 'handoff', reason: 'loop', priority, text: phrases.loop![language] };
  }
  const tone = toneFor(s, language, options.soothingPhrases);
  const soothe = tone?.acknowledgement ?? '';
  const toned = tone ? { tone } : {};
  if (input.answer.kind === 'answer') {
    const weak = input.answer.confidence < options.lowConfidence;
    if (weak && input.conversation.failedAnswers + 1 >= options.maxFailedAnswers) {
      return { kind: 'handoff', reason: 'repeated_failure', priority, text: phrases.handoffAfterFailures![language] };
    }
    return {
      kind: 'reply',
      text: `${soothe}${input.answer.text}`,
      entryId: input.answer.entryId,
      ...(input.answer.attachments?.length ? { attachments: input.answer.attachments } : {}),
      answered: true,
      ...(weak ? { weak } : {}),
      ...toned,
    };
  }
  if (input.conversation.failedAnswers + 1 >= options.maxFailedAnswers) {
    return { kind: 'handoff', reason: 'repeated_failure', priority, text: phrases.handoffAfterFailures![language] };
  }
  const alternatives = input.answer.alternatives ?? [];
  if (input.answer.kind === 'suggest' && alternatives.length > 0) {
    const list = alternatives.map((a, i) => `${i + 1}. ${a.question}`).join('\n');
    return { kind: 'reply', text: `${soothe}${phrases.suggest![language]}\n${list}`, answered: false, ...toned };
  }
  return { kind: 'reply', text: `${soothe}${phrases.notKnown![language]}`, answered: false, ...toned };
}

/** A multi-turn flow's turn as a decision: its replies (after the acknowledgement of an upset customer), or a handoff. */
export function decideFlowTurn(
  turn: { readonly messages: readonly string[]; readonly handoff?: { readonly reason: string } },
  input: { conversation: Conversation; sentiment?: SentimentResult; mood?: ConversationMood },
  options: Pick<PolicyOptions, 'soothingPhrases'> = defaultPolicyOptions,
): Decision {
  const language = lang(input.sentiment?.language ?? input.conversation.language);
  const text = turn.messages.join('\n\n');
  if (turn.handoff) {
    const reason: HandoffReason = turn.handoff.reason === 'requested' ? 'requested' : 'flow_unresolved';
    return { kind: 'handoff', reason, priority: priorityFor(input.sentiment, input.mood), text: text || phrases.handoff![language] };
  }
  const tone = toneFor(input.sentiment, language, options.soothingPhrases);
  return { kind: 'reply', text: `${tone?.acknowledgement ?? ''}${text}`, answered: true, ...(tone ? { tone } : {}) };
}

/**
 * Policy options from configuration (the message-policy function's environment): KEFU_ANGER_HANDOFF_THRESHOLD,
 * KEFU_ANXIETY_HANDOFF_THRESHOLD (0..1], KEFU_MOOD_TREND_TURNS (0 = off), KEFU_LOW_CONFIDENCE [0..1],
 * KEFU_HUMAN_FIRST_CATEGORIES (comma-separated), KEFU_SOOTHING_PHRASES (JSON: {"angry": {"zh": "…", "en": "…"}, …}).
 * A bad value is a configuration error at cold start, never a silent default.
 */
export function policyOptionsFrom(env: Readonly<Record<string, string | undefined>>): PolicyOptions {
  const unit = (name: string, fallback: number, allowZero = false) => {
    const value = Number(env[name] ?? fallback);
    if (!(allowZero ? value >= 0 : value > 0) || value > 1) throw new Error(`${name} must be a number in ${allowZero ? '[0' : '(0'}, 1]`);
    return value;
  };
  const turns = Number(env.KEFU_MOOD_TREND_TURNS ?? defaultPolicyOptions.moodTrendTurns);
  if (!Number.isInteger(turns) || turns < 0 || turns > 8) throw new Error('KEFU_MOOD_TREND_TURNS must be an integer from 0 (off) to 8');
  let soothingPhrases: SoothingPhrases | undefined;
  if (env.KEFU_SOOTHING_PHRASES) {
    const parsed = JSON.parse(env.KEFU_SOOTHING_PHRASES) as unknown;
    const valid =
      typeof parsed === 'object' &&
      parsed !== null &&
      Object.entries(parsed).every(
        ([emotion, byLang]) =>
          emotion in DEFAULT_SOOTHING_PHRASES &&
          typeof byLang === 'object' &&
          byLang !== null &&
          Object.entries(byLang as object).every(([l, text]) => (l === 'zh' || l === 'en') && typeof text === 'string' && text.length <= 200),
      );
    if (!valid) throw new Error('KEFU_SOOTHING_PHRASES must be JSON {"<emotion>": {"zh"?: text, "en"?: text}} with known emotions and texts of at most 200 characters');
    soothingPhrases = parsed as SoothingPhrases;
  }
  const humanFirst = env.KEFU_HUMAN_FIRST_CATEGORIES;
  return {
    ...defaultPolicyOptions,
    angerThreshold: unit('KEFU_ANGER_HANDOFF_THRESHOLD', defaultPolicyOptions.angerThreshold),
    anxietyThreshold: unit('KEFU_ANXIETY_HANDOFF_THRESHOLD', defaultPolicyOptions.anxietyThreshold),
    lowConfidence: unit('KEFU_LOW_CONFIDENCE', defaultPolicyOptions.lowConfidence, true),
    moodTrendTurns: turns,
    ...(humanFirst !== undefined ? { humanFirstCategories: humanFirst.split(',').map((c) => c.trim()).filter(Boolean) } : {}),
    ...(soothingPhrases ? { soothingPhrases } : {}),
  };
}
