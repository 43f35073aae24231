/** Sentiment capability: over the API for integrations, and as the message workflow's ScoreSentiment task. */
import * as z from 'zod/mini';
import { makeScoreSentiment } from '../../../shared/application/capability.use-cases.ts';
import { httpFunction, httpOrTask, taskFunction, validate } from '../../../shared/observability/handler-kit.ts';

const score = makeScoreSentiment();
const textSchema = z.strictObject({ text: z.string().check(z.maxLength(10_000, 'text must be at most 10000 characters')) });
const taskSchema = z.object({ action: z.literal('score'), conversationId: z.string().check(z.minLength(1)), text: z.string().check(z.maxLength(10_000)) });

export const handler = httpOrTask(
  httpFunction('sentiment', {
    score: async ({ body }) => ({ status: 200, body: await score(validate(textSchema, body)) }),
  }),
  taskFunction('sentiment', taskSchema, (input) => score({ text: input.text })),
);
