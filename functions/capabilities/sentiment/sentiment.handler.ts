/** Sentiment capability: over the API for integrations, and as the message workflow's ScoreSentiment task. */
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { localSentimentProvider, makeScoreSentiment } from '../../../shared/application/capability.use-cases.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { SentimentModel } from '../../../shared/domain/sentiment/sentiment-model.ts';
import { SENTIMENT_MODEL_ENV, SENTIMENT_PROVIDER_ENV } from '../../../shared/manifest/manifest.ts';
import { httpFunction, httpOrTask, taskFunction, validate } from '../../../shared/observability/handler-kit.ts';

/** A company's trained model (npm run kefu -- sentiment train), when the deployment ships one. */
function trainedModel(): SentimentModel | undefined {
  const path = process.env[SENTIMENT_MODEL_ENV];
  return path ? SentimentModel.fromJSON(JSON.parse(readFileSync(path, 'utf8'))) : undefined;
}

/**
 * Comprehend scores polarity when the deployment chose it (SENTIMENT_PROVIDER_ENV, set by the CDK app from the
 * sentimentProvider context), with the local engine as its emotion source and fallback; its SDK client is loaded only
 * then, so the local-only default pays nothing for it.
 */
const score = once(async () => {
  const local = localSentimentProvider(trainedModel());
  if (process.env[SENTIMENT_PROVIDER_ENV.provider] !== 'comprehend') return makeScoreSentiment({ provider: local });
  const { createComprehendSentimentProvider } = await import('../../../shared/adapters/comprehend/comprehend-sentiment.ts');
  const provider = await createComprehendSentimentProvider({
    local: (text) => local.scoreNow({ text }),
    timeoutMs: Number(process.env[SENTIMENT_PROVIDER_ENV.timeoutMs] ?? 800),
  });
  return makeScoreSentiment({ provider });
});

const language = z.optional(z.enum(['zh-Hans', 'zh-Hant', 'en']));
const textSchema = z.strictObject({ text: z.string().check(z.minLength(1, 'text must not be empty'), z.maxLength(10_000, 'text must be at most 10000 characters')), language });
const taskSchema = z.object({ action: z.literal('score'), conversationId: z.string().check(z.minLength(1)), text: z.string().check(z.maxLength(10_000)), language });

export const handler = httpOrTask(
  httpFunction('sentiment', {
    score: async ({ body }) => ({ status: 200, body: await (await score())(validate(textSchema, body)) }),
  }),
  taskFunction('sentiment', taskSchema, async (input) => (await score())({ text: input.text, ...(input.language ? { language: input.language } : {}) })),
);
