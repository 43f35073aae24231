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
import { policyOptionsFrom, type AnswerOutcome, type PolicyOptions } from '../../../shared/domain/policy/reply-policy.ts';
import type { SentimentResult } from '../../../shared/domain/sentiment/local-sentiment-engine.ts';

const schema = z.object({
  action: z.literal('decide'),
  conversationId: z.string().check(z.minLength(1)),
  messageId: z.string().check(z.minLength(1)),
  seq: z.optional(z.number().check(z.int(), z.positive())),
  text: z.string(),
  analysis: z.object({
    sentiment: z.optional(z.looseObject({ polarity: z.string(), emotion: z.string(), intensity: z.number() })),
    answer: z.looseObject({ kind: z.enum(['answer', 'suggest', 'out_of_scope', 'unavailable']), confidence: z.number() }),
  }),
});

/** Thresholds, trend window, human-first categories and soothing phrases from the environment (see policyOptionsFrom). */
const options: PolicyOptions = policyOptionsFrom(process.env);

const recordUnanswered = makeRecordUnanswered({
  log: { recordUnanswered: (q) => unansweredLog().recordUnanswered(q) },
  clock,
  onError: (error) => logger.warn('could not record an unanswered question', { error: error as Error }),
});

export const handler = taskFunction('message-policy', schema, (input) =>
  makeDecideReply({ store: conversationStore(), live: liveUpdates(), clock, ids, escalation: escalation(), options, flowTurn: flowTurn(), recordUnanswered })({
    conversationId: input.conversationId,
    messageId: input.messageId,
    ...(input.seq !== undefined ? { seq: input.seq } : {}),
    text: input.text,
    analysis: {
      answer: input.analysis.answer as unknown as AnswerOutcome,
      ...(input.analysis.sentiment ? { sentiment: input.analysis.sentiment as unknown as SentimentResult } : {}),
    },
  }),
);
