/**
 * Chooses between a generative answer provider (Bedrock when configured) and the local answer engine. The provider
 * sees only the retrieved entries that clear the grounding bar; its answer carries citations; when it says it does
 * not know, the bot says so rather than serving a guess; when it fails or is late, the local engine's result is served.
 *
 * | provider outcome              | served                                  | why                                                    |
 * |-------------------------------|-----------------------------------------|--------------------------------------------------------|
 * | none configured               | local result, unchanged                 |                                                        |
 * | no candidate clears the bar   | local result (fallbackReason)           | nothing to ground on; the provider is not called       |
 * | answer with citations         | provider answer                         |                                                        |
 * | not known (declined, uncited) | out_of_scope, even over a local answer  | see `decide` below                                     |
 * | not known (guardrail)         | out_of_scope, even over a local answer  | serving anything would go around the guardrail         |
 * | timeout or error              | local result (fallbackReason)           | a failure says nothing about the knowledge             |
 */
import type { AnswerCandidate } from '../domain/knowledge/local-answer-engine.ts';
import type { AnswerProvider, GroundedAnswer, GroundingEntry, TokenUsage } from '../ports/answer-provider.ts';

export interface GroundedAnswerDeps {
  /** True while a cost budget is exceeded and the deployment degrades to the local engine (KEFU_BUDGET_DEGRADE=local). */
  readonly overBudget?: () => Promise<boolean>;
  /** @default none: the local result is always served */
  readonly provider?: AnswerProvider;
  /** The provider's deadline; the local engine answers past it. */
  readonly timeoutMs: number;
  /** Retrieval score (0..1) a candidate needs to be shown to the provider. */
  readonly minGroundingScore: number;
  /** Most candidates shown to the provider, best first. */
  readonly maxGrounding: number;
}

/** The local engine's result, as the answer capability already computes it. */
export interface LocalAnswer {
  readonly kind: 'answer' | 'suggest' | 'out_of_scope';
  readonly entryId?: string;
  readonly text?: string;
  readonly confidence: number;
  readonly alternatives: readonly AnswerCandidate[];
}

export interface GroundedAnswerInput {
  readonly question: string;
  /** zh-Hans | zh-Hant | en | unknown */
  readonly language: string;
  readonly local: LocalAnswer;
  /** Retrieved entries with their answer in the customer's language, any order. */
  readonly candidates: readonly GroundingEntry[];
  readonly history?: readonly { readonly role: 'customer' | 'bot' | 'agent'; readonly text: string }[];
}

export type FallbackReason = 'timeout' | 'error' | 'no_grounding' | 'budget';
export type DeclineReason = 'model_declined' | 'guardrail' | 'uncited';

export interface GroundedAnswerResult {
  /** 'local', or the provider's name ('bedrock'). */
  readonly provider: string;
  readonly kind: 'answer' | 'suggest' | 'out_of_scope';
  readonly text?: string;
  /** The first cited entry (provider) or the matched entry (local). */
  readonly entryId?: string;
  /** Every entry the provider's answer cites, in order of first citation. */
  readonly citations?: readonly string[];
  /** Local: best similarity; provider answer: retrieval score of the first cited entry; provider decline: 0. */
  readonly confidence: number;
  readonly alternatives: readonly AnswerCandidate[];
  /** Present whenever the provider was called and reported it, for the cost meter (also on a fallback). */
  readonly usage?: TokenUsage;
  readonly latencyMs?: number;
  /** Why the local result was served although a provider is configured. */
  readonly fallbackReason?: FallbackReason;
  /** Why the provider said it does not know ("test a question" shows it). */
  readonly declineReason?: DeclineReason;
  /** Entry ids shown to the provider. */
  readonly grounding?: readonly string[];
}

/** Extra time the composition grants a provider past its own deadline before giving up on it itself. */
const DEADLINE_GRACE_MS = 50;

export function makeGroundedAnswer(deps: GroundedAnswerDeps) {
  if (!(deps.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${deps.timeoutMs}`);
  if (!(deps.minGroundingScore >= 0 && deps.minGroundingScore <= 1)) throw new RangeError(`minGroundingScore must be within 0..1, got ${deps.minGroundingScore}`);
  if (!Number.isInteger(deps.maxGrounding) || deps.maxGrounding < 1) throw new RangeError(`maxGrounding must be a positive integer, got ${deps.maxGrounding}`);

  return async (input: GroundedAnswerInput): Promise<GroundedAnswerResult> => {
    const local = localResult(input.local);
    const provider = deps.provider;
    if (!provider) return local;
    // Over the cost budget (when the deployment asks to degrade): the local engine answers, the provider is not called.
    if (deps.overBudget && (await deps.overBudget().catch(() => false))) return { ...local, fallbackReason: 'budget' };
    const grounding = [...input.candidates]
      .filter((c) => c.score >= deps.minGroundingScore)
      .sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId))
      .slice(0, deps.maxGrounding);
    if (grounding.length === 0) return { ...local, fallbackReason: 'no_grounding' };
    const groundingIds = grounding.map((g) => g.entryId);
    let answer: GroundedAnswer;
    try {
      answer = await within(
        provider.answer({ question: input.question, language: input.language, grounding, ...(input.history ? { history: input.history } : {}) }, { timeoutMs: deps.timeoutMs }),
        deps.timeoutMs + DEADLINE_GRACE_MS,
      );
    } catch (error) {
      const usage = billedUsage(error);
      return { ...local, fallbackReason: isTimeout(error) ? 'timeout' : 'error', grounding: groundingIds, ...(usage ? { usage } : {}) };
    }
    return decide(local, provider.name, answer, grounding, groundingIds);
  };
}

/**
 * A provider that was given entries and still does not know wins over a confident local answer. The local engine
 * matches words, so "how long does a refund take" can look like "how long does delivery take"; the model read the
 * very entries the local engine would serve (the local best is among the grounding when it clears the bar) and found
 * no answer in them. Saying "I don't know" leads to a handoff offer and the unanswered-questions review; serving a
 * wrong answer confidently is the failure customers hate most. A local answer is served only when the provider
 * failed (timeout, error), which says nothing about the knowledge.
 */
function decide(local: GroundedAnswerResult, providerName: string, answer: GroundedAnswer, grounding: readonly GroundingEntry[], groundingIds: readonly string[]): GroundedAnswerResult {
  const common = { provider: providerName, usage: answer.usage, latencyMs: answer.latencyMs, grounding: groundingIds };
  if (answer.kind === 'not_known') {
    // The provider found nothing to ground on after all (its own cap): the same as no candidate clearing the bar.
    if (answer.reason === 'no_grounding') return { ...local, fallbackReason: 'no_grounding', usage: answer.usage, grounding: groundingIds };
    return { ...common, kind: 'out_of_scope', confidence: 0, alternatives: [], declineReason: answer.reason };
  }
  // The provider contract drops citations outside the grounding; checked again because a provider is only trusted so far.
  const citations = answer.citations.filter((id) => groundingIds.includes(id));
  const first = grounding.find((g) => g.entryId === citations[0]);
  if (!first || !answer.text.trim()) return { ...common, kind: 'out_of_scope', confidence: 0, alternatives: [], declineReason: 'uncited' };
  return { ...common, kind: 'answer', text: answer.text, entryId: first.entryId, citations, confidence: first.score, alternatives: [] };
}

function localResult(local: LocalAnswer): GroundedAnswerResult {
  return {
    provider: 'local',
    kind: local.kind,
    ...(local.text !== undefined ? { text: local.text } : {}),
    ...(local.entryId !== undefined ? { entryId: local.entryId } : {}),
    confidence: local.confidence,
    alternatives: local.alternatives,
  };
}

class CompositionTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the answer provider did not settle within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** Guards against a provider that ignores its own deadline: the customer never waits on it past timeoutMs + grace. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CompositionTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** A provider error may carry the usage of a call that was billed but not servable (an answer cut at max tokens). */
function billedUsage(error: unknown): TokenUsage | undefined {
  const usage = (error as { usage?: Partial<TokenUsage> } | null)?.usage;
  if (!usage || typeof usage.modelId !== 'string' || typeof usage.inputTokens !== 'number' || typeof usage.outputTokens !== 'number') return undefined;
  return { modelId: usage.modelId, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
}
