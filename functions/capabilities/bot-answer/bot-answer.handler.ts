/** Bot answer capability: over the API for integrations, and as the message workflow's FindAnswer task. */
import * as z from 'zod/mini';
import { makeAnswerQuestion } from '../../../shared/application/capability.use-cases.ts';
import { clock, costLedger, knowledgeRepository } from '../../../shared/adapters/wiring/storage.ts';
import { costSettings, reportTimeZone } from '../../../shared/config/runtime-config.ts';
import { dayOf } from '../../../shared/domain/analytics/conversation-analytics.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { ANSWER_PROVIDER_ENV } from '../../../shared/manifest/manifest.ts';
import { httpFunction, httpOrTask, taskFunction, validate } from '../../../shared/observability/handler-kit.ts';

/** How often the knowledge base revision is read: a publish reaches every running function within this time. */
const REVISION_CHECK_MS = Number(process.env.KNOWLEDGE_REVISION_CHECK_MS ?? 5_000);

/**
 * Bedrock writes the answer when the deployment names a model (ANSWER_PROVIDER_ENV, set by the CDK app from the
 * bedrockModelId context); its SDK client is loaded only then, so the local-only default pays nothing for it.
 */
async function groundedAnswer() {
  if (process.env[ANSWER_PROVIDER_ENV.provider] !== 'bedrock') return undefined;
  const [{ BedrockAnswerProvider }, { makeGroundedAnswer }] = await Promise.all([
    import('../../../shared/adapters/bedrock/bedrock-answer-provider.ts'),
    import('../../../shared/application/grounded-answer.use-cases.ts'),
    // Loaded now, so that the first answer's deadline does not include loading the client.
    import('@aws-sdk/client-bedrock-runtime'),
  ]);
  const guardrailId = process.env[ANSWER_PROVIDER_ENV.guardrailId];
  const guardrailVersion = process.env[ANSWER_PROVIDER_ENV.guardrailVersion];
  const provider = new BedrockAnswerProvider({
    ...(process.env[ANSWER_PROVIDER_ENV.modelId] ? { modelId: process.env[ANSWER_PROVIDER_ENV.modelId] } : {}),
    ...(guardrailId && guardrailVersion ? { guardrail: { identifier: guardrailId, version: guardrailVersion } } : {}),
  });
  return makeGroundedAnswer({ provider, timeoutMs: Number(process.env[ANSWER_PROVIDER_ENV.timeoutMs] ?? 2_000), minGroundingScore: 0.22, maxGrounding: 4, ...(costSettings().budget.degrade ? { overBudget } : {}) });
}

/** The cost ledger's budget state, read at most once a minute per instance. */
let budgetRead: { at: number; exceeded: Promise<boolean> } | undefined;
function overBudget(): Promise<boolean> {
  if (!budgetRead || Date.now() - budgetRead.at > 60_000) {
    const today = dayOf(clock.now().toISOString(), reportTimeZone());
    budgetRead = { at: Date.now(), exceeded: costLedger().budget().then((state) => state?.exceeded === true && state.day === today) };
  }
  return budgetRead.exceeded;
}

const answerQuestion = once(async () =>
  makeAnswerQuestion({
    knowledge: knowledgeRepository(),
    repository: knowledgeRepository(),
    clock,
    revisionCheckMs: REVISION_CHECK_MS,
    ...(await groundedAnswer().then((grounded) => (grounded ? { grounded } : {}))),
  }),
);

const textSchema = z.strictObject({ text: z.string().check(z.maxLength(10_000, 'text must be at most 10000 characters')) });
const taskSchema = z.object({
  action: z.literal('answer'),
  conversationId: z.string().check(z.minLength(1)),
  text: z.string().check(z.maxLength(10_000)),
  channel: z.optional(z.string()),
});

export const handler = httpOrTask(
  httpFunction('bot-answer', {
    answer: async ({ body }) => ({ status: 200, body: await (await answerQuestion())(validate(textSchema, body)) }),
  }),
  taskFunction('bot-answer', taskSchema, async (input) => (await answerQuestion())({ text: input.text, ...(input.channel ? { channel: input.channel } : {}) })),
);
