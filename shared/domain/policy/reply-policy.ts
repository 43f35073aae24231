/**
 * The reply policy, the one place that decides handoffs: given the customer's message, its sentiment and the bot's
 * answer (or a multi-turn flow's turn), decide whether the bot replies or the conversation goes to a human, and why.
 * A human is offered when the customer asks for one (at any turn, also inside a flow), for human-first categories
 * (complaints by default), after two answers in a row that found nothing, when the customer asks the same question
 * again right after it was answered (the answer did not help), on anger above the threshold, and when a flow cannot
 * finish. The bot never refuses a handoff. Pure: no I/O, no clock.
 */
import { isHandoffRequest } from '../conversation/handoff-request.ts';
import type { Conversation } from '../conversation/conversation.ts';
import type { SentimentResult } from '../sentiment/local-sentiment-engine.ts';

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

export type HandoffReason = 'requested' | 'repeated_failure' | 'negative_emotion' | 'human_first' | 'loop' | 'flow_unresolved';

export type Decision =
  | {
      readonly kind: 'reply';
      readonly text: string;
      readonly entryId?: string;
      readonly attachments?: readonly { readonly kind: 'link' | 'image'; readonly url: string; readonly title?: string }[];
      readonly answered: boolean;
      readonly weak?: boolean;
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
}

export const defaultPolicyOptions: PolicyOptions = { maxFailedAnswers: 2, angerThreshold: 0.6, humanFirstCategories: ['complaints'], lowConfidence: 0.75 };

type Lang = 'zh' | 'en';

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
  soothe: { zh: '理解您的心情，', en: 'I understand this is frustrating. ' },
  humanFirst: { zh: '这个问题由人工客服为您专门处理，正在为您转接，请稍候。', en: 'A colleague handles this kind of request personally. I am connecting you now.' },
  loop: {
    zh: '看来刚才的回答没能解决您的问题，我为您转接人工客服。',
    en: 'It looks like my last answer did not solve this. I am connecting you to a colleague.',
  },
};

function lang(language: string | undefined): Lang {
  return language === 'en' ? 'en' : 'zh';
}

/** Queue priority 0..9 (higher first) from emotion; tiers and waiting time add to it in routing. */
export function priorityFor(sentiment: SentimentResult | undefined): number {
  if (!sentiment) return 5;
  if (sentiment.emotion === 'angry') return 5 + Math.round(4 * sentiment.intensity);
  if (sentiment.emotion === 'anxious' || sentiment.emotion === 'fearful') return 5 + Math.round(2 * sentiment.intensity);
  return 5;
}

export function decide(
  input: { conversation: Conversation; text: string; sentiment?: SentimentResult; answer: AnswerOutcome },
  options: PolicyOptions = defaultPolicyOptions,
): Decision {
  const language = lang(input.sentiment?.language ?? input.conversation.language);
  const priority = priorityFor(input.sentiment);
  if (isHandoffRequest(input.text)) {
    return { kind: 'handoff', reason: 'requested', priority, text: phrases.handoff![language] };
  }
  const s = input.sentiment;
  if (s && s.emotion === 'angry' && s.intensity >= options.angerThreshold) {
    return { kind: 'handoff', reason: 'negative_emotion', priority, text: phrases.handoffEmotion![language] };
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
  const upset = s !== undefined && s.polarity === 'negative' && s.emotion !== 'neutral';
  const soothe = upset ? phrases.soothe![language] : '';
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
    };
  }
  if (input.conversation.failedAnswers + 1 >= options.maxFailedAnswers) {
    return { kind: 'handoff', reason: 'repeated_failure', priority, text: phrases.handoffAfterFailures![language] };
  }
  const alternatives = input.answer.alternatives ?? [];
  if (input.answer.kind === 'suggest' && alternatives.length > 0) {
    const list = alternatives.map((a, i) => `${i + 1}. ${a.question}`).join('\n');
    return { kind: 'reply', text: `${soothe}${phrases.suggest![language]}\n${list}`, answered: false };
  }
  return { kind: 'reply', text: `${soothe}${phrases.notKnown![language]}`, answered: false };
}

/** A multi-turn flow's turn as a decision: its replies, or a handoff (asked for, or the flow could not finish). */
export function decideFlowTurn(
  turn: { readonly messages: readonly string[]; readonly handoff?: { readonly reason: string } },
  input: { conversation: Conversation; sentiment?: SentimentResult },
): Decision {
  const language = lang(input.sentiment?.language ?? input.conversation.language);
  const text = turn.messages.join('\n\n');
  if (turn.handoff) {
    const reason: HandoffReason = turn.handoff.reason === 'requested' ? 'requested' : 'flow_unresolved';
    return { kind: 'handoff', reason, priority: priorityFor(input.sentiment), text: text || phrases.handoff![language] };
  }
  return { kind: 'reply', text, answered: true };
}
