/** Bot answer capability: over the API for integrations, and as the message workflow's FindAnswer task. */
import * as z from 'zod/mini';
import { makeAnswerQuestion } from '../../../shared/application/capability.use-cases.ts';
import { clock, knowledgeSource } from '../../../shared/adapters/wiring/storage.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { httpFunction, httpOrTask, taskFunction, validate } from '../../../shared/observability/handler-kit.ts';

const INDEX_TTL_MS = Number(process.env.KNOWLEDGE_INDEX_TTL_MS ?? 30_000);
const answerQuestion = once(() => makeAnswerQuestion({ knowledge: knowledgeSource(), clock, indexTtlMs: INDEX_TTL_MS }));

const textSchema = z.strictObject({ text: z.string().check(z.maxLength(10_000, 'text must be at most 10000 characters')) });
const taskSchema = z.object({ action: z.literal('answer'), conversationId: z.string().check(z.minLength(1)), text: z.string().check(z.maxLength(10_000)) });

export const handler = httpOrTask(
  httpFunction('bot-answer', {
    answer: async ({ body }) => ({ status: 200, body: await answerQuestion()(validate(textSchema, body)) }),
  }),
  taskFunction('bot-answer', taskSchema, (input) => answerQuestion()({ text: input.text })),
);
