/** Bot answer capability: over the API for integrations, and as the message workflow's FindAnswer task. */
import * as z from 'zod/mini';
import { makeAnswerQuestion } from '../../../shared/application/capability.use-cases.ts';
import { clock, knowledgeRepository, knowledgeSource } from '../../../shared/adapters/wiring/storage.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { httpFunction, httpOrTask, logger, taskFunction, validate } from '../../../shared/observability/handler-kit.ts';

/** How often the knowledge base revision is read: a publish reaches every running function within this time. */
const REVISION_CHECK_MS = Number(process.env.KNOWLEDGE_REVISION_CHECK_MS ?? 5_000);
const answerQuestion = once(() =>
  makeAnswerQuestion({
    knowledge: knowledgeSource(),
    repository: knowledgeRepository(),
    clock,
    revisionCheckMs: REVISION_CHECK_MS,
    onError: (error) => logger.warn('could not record an unanswered question', { error: error as Error }),
  }),
);

const textSchema = z.strictObject({ text: z.string().check(z.maxLength(10_000, 'text must be at most 10000 characters')) });
const taskSchema = z.object({ action: z.literal('answer'), conversationId: z.string().check(z.minLength(1)), text: z.string().check(z.maxLength(10_000)) });

export const handler = httpOrTask(
  httpFunction('bot-answer', {
    answer: async ({ body }) => ({ status: 200, body: await answerQuestion()(validate(textSchema, body)) }),
  }),
  // In a conversation: what the bot could not answer goes to the review list.
  taskFunction('bot-answer', taskSchema, (input) => answerQuestion()({ text: input.text, conversationId: input.conversationId, record: true })),
);
