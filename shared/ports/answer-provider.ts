/**
 * A generative answer provider (Bedrock in AWS): it receives the customer's question and only the knowledge entries
 * that retrieval found, and must answer from them alone, citing the entries it used, or say it does not know.
 */
export interface GroundingEntry {
  readonly entryId: string;
  /** The variant that matched best. */
  readonly question: string;
  /** The entry's answer in the customer's language. */
  readonly answer: string;
  /** Retrieval score 0..1. */
  readonly score: number;
}

export interface GroundedAnswerRequest {
  readonly question: string;
  /** zh-Hans | zh-Hant | en | unknown */
  readonly language: string;
  readonly grounding: readonly GroundingEntry[];
  /** Recent turns, oldest first, for follow-up questions ("and how long does it take?"). */
  readonly history?: readonly { readonly role: 'customer' | 'bot' | 'agent'; readonly text: string }[];
}

export interface TokenUsage {
  readonly modelId: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type GroundedAnswer =
  | { readonly kind: 'answer'; readonly text: string; readonly citations: readonly string[]; readonly usage: TokenUsage; readonly latencyMs: number }
  | { readonly kind: 'not_known'; readonly usage: TokenUsage; readonly latencyMs: number; readonly reason: 'no_grounding' | 'model_declined' | 'guardrail' | 'uncited' };

export interface AnswerProvider {
  readonly name: string;
  /** Rejects on timeout or service error; the caller falls back to the local engine. */
  answer(request: GroundedAnswerRequest, options: { readonly timeoutMs: number }): Promise<GroundedAnswer>;
}
