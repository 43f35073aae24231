/** The message workflow's Decide step: reply as the bot or hand off, written idempotently per customer message. */
import * as z from 'zod/mini';
import { makeDecideReply } from '../../../shared/application/message-processing.use-cases.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { clock, conversationStore, escalation, ids } from '../../../shared/adapters/wiring/storage.ts';
import { flowTurn } from '../../../shared/adapters/wiring/flows.ts';
import { unansweredLog } from '../../../shared/adapters/wiring/storage.ts';
import { makeRecordUnanswered } from '../../../shared/application/unanswered.use-cases.ts';
import { logger } from '../../../shared/observability/handler-kit.ts';
import { taskFunction } from '../../../shared/observability/handler-kit.ts';
import { defaultPolicyOptions, type AnswerOutcome, type PolicyOptions } from '../../../shared/domain/policy/reply-policy.ts';
import type { SentimentResult } from '../../../shared/domain/sentiment/local-sentiment-engine.ts';

const schema = z.object({
  action: z.literal('decide'),
  conversationId: z.string().check(z.minLength(1)),
  messageId: z.string().check(z.minLength(1)),
  text: z.string(),
  analysis: z.object({
    sentiment: z.optional(z.looseObject({ polarity: z.string(), emotion: z.string(), intensity: z.number() })),
    answer: z.looseObject({ kind: z.enum(['answer', 'suggest', 'out_of_scope', 'unavailable']), confidence: z.number() }),
  }),
});

/** Knowledge categories a human handles first (comma-separated; default: complaints). */
const humanFirst = process.env.KEFU_HUMAN_FIRST_CATEGORIES;
const angerThreshold = Number(process.env.KEFU_ANGER_HANDOFF_THRESHOLD ?? defaultPolicyOptions.angerThreshold);
if (!(angerThreshold > 0 && angerThreshold <= 1)) throw new Error('KEFU_ANGER_HANDOFF_THRESHOLD must be a number in (0, 1]');
const lowConfidence = Number(process.env.KEFU_LOW_CONFIDENCE ?? defaultPolicyOptions.lowConfidence);
if (!(lowConfidence >= 0 && lowConfidence <= 1)) throw new Error('KEFU_LOW_CONFIDENCE must be a number in [0, 1]');
const options: PolicyOptions = {
  ...defaultPolicyOptions,
  angerThreshold,
  lowConfidence,
  ...(humanFirst !== undefined ? { humanFirstCategories: humanFirst.split(',').map((c) => c.trim()).filter(Boolean) } : {}),
};

const recordUnanswered = makeRecordUnanswered({
  log: { recordUnanswered: (q) => unansweredLog().recordUnanswered(q) },
  clock,
  onError: (error) => logger.warn('could not record an unanswered question', { error: error as Error }),
});

export const handler = taskFunction('message-policy', schema, (input) =>
  makeDecideReply({ store: conversationStore(), live: liveUpdates(), clock, ids, escalation: escalation(), options, flowTurn: flowTurn(), recordUnanswered })({
    conversationId: input.conversationId,
    messageId: input.messageId,
    text: input.text,
    analysis: {
      answer: input.analysis.answer as unknown as AnswerOutcome,
      ...(input.analysis.sentiment ? { sentiment: input.analysis.sentiment as unknown as SentimentResult } : {}),
    },
  }),
);
