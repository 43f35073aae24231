/**
 * The capabilities on their own (also callable over the API by other systems): answer a question from the published
 * knowledge, score a text's sentiment. The answer index is rebuilt when the knowledge base's revision moves (every
 * publish, archive or edit of a published entry moves it) or when an entry's validity window opens or closes, so a
 * running function serves newly published knowledge within seconds and never serves expired knowledge, without a
 * redeploy.
 */
import { LocalAnswerEngine, type AnswerResult } from '../domain/knowledge/local-answer-engine.ts';
import { answerFor, nextValidityChange, type KnowledgeEntry } from '../domain/knowledge/knowledge-entry.ts';
import type { GroundedAnswerInput, GroundedAnswerResult } from './grounded-answer.use-cases.ts';
import type { KnowledgeRepository } from '../ports/knowledge.ts';
import { scoreSentiment, type SentimentResult } from '../domain/sentiment/local-sentiment-engine.ts';
import type { SentimentModel } from '../domain/sentiment/sentiment-model.ts';
import type { SentimentProvider, SentimentRequest } from '../ports/sentiment.ts';
import type { Language } from '../domain/knowledge/text-features.ts';
import { validateText } from './conversation.use-cases.ts';
import type { KnowledgeSource } from '../ports/directory.ts';
import type { Clock } from '../ports/gateways.ts';

export interface AnswerDeps {
  readonly knowledge: KnowledgeSource;
  /** The knowledge revision; without it the index is rebuilt every `revisionCheckMs`. */
  readonly repository?: Pick<KnowledgeRepository, 'revision'>;
  readonly clock: Clock;
  /** How often the knowledge base's revision is read (one small read); the index is rebuilt only when it moved. */
  readonly revisionCheckMs: number;
  /** The generative provider composed over the local result (Bedrock when configured); absent: the local engine alone. */
  readonly grounded?: (input: GroundedAnswerInput) => Promise<GroundedAnswerResult>;
}

export type AnswerQuestionResult = AnswerResult & {
  provider: string;
  category?: string;
  attachments?: KnowledgeEntry['attachments'];
  latencyMs: number;
  revision: number;
  citations?: readonly string[];
  usage?: GroundedAnswerResult['usage'];
  fallbackReason?: GroundedAnswerResult['fallbackReason'];
  declineReason?: GroundedAnswerResult['declineReason'];
};

/** The provider's result in the local result's shape (the public contract of the answer capability). */
function fromGrounded(local: AnswerResult, grounded: GroundedAnswerResult): AnswerResult & Partial<AnswerQuestionResult> {
  const extra = {
    provider: grounded.provider,
    ...(grounded.citations ? { citations: grounded.citations } : {}),
    ...(grounded.usage ? { usage: grounded.usage } : {}),
    ...(grounded.fallbackReason ? { fallbackReason: grounded.fallbackReason } : {}),
    ...(grounded.declineReason ? { declineReason: grounded.declineReason } : {}),
  };
  if (grounded.kind === 'answer' && grounded.entryId && grounded.text) {
    return { kind: 'answer', entryId: grounded.entryId, text: grounded.text, confidence: grounded.confidence, language: local.language, alternatives: grounded.alternatives, ...extra };
  }
  if (grounded.kind === 'answer') return { ...local, ...extra };
  return { kind: grounded.kind, confidence: grounded.confidence, language: local.language, alternatives: grounded.alternatives, ...extra };
}

export function makeAnswerQuestion(deps: AnswerDeps) {
  let engine: LocalAnswerEngine | undefined;
  let builtRevision = -1;
  let checkAfter = 0;
  let rebuildAt = Infinity;
  let building: Promise<LocalAnswerEngine> | undefined;
  let byId = new Map<string, KnowledgeEntry>();
  const current = async (): Promise<LocalAnswerEngine> => {
    const now = deps.clock.now();
    if (engine && now.getTime() < checkAfter && now.getTime() < rebuildAt) return engine;
    building ??= (async () => {
      try {
        const revision = deps.repository ? await deps.repository.revision() : builtRevision + 1;
        if (engine && revision === builtRevision && now.getTime() < rebuildAt) {
          checkAfter = now.getTime() + deps.revisionCheckMs;
          return engine;
        }
        const entries = await deps.knowledge.list();
        const built = new LocalAnswerEngine(entries, now);
        byId = new Map(entries.map((e) => [e.id, e]));
        engine = built;
        builtRevision = revision;
        checkAfter = now.getTime() + deps.revisionCheckMs;
        rebuildAt = nextValidityChange(entries, now)?.getTime() ?? Infinity;
        return built;
      } finally {
        building = undefined;
      }
    })();
    return building;
  };
  return async (input: { text: string; channel?: string }): Promise<AnswerQuestionResult> => {
    const text = validateText(input.text);
    const engineNow = await current();
    const started = performance.now();
    const local = engineNow.answer(text);
    let result: AnswerResult & Partial<AnswerQuestionResult> = local;
    if (deps.grounded) {
      const language = local.language === 'unknown' ? 'default' : local.language;
      const ranked = [...(local.kind === 'answer' ? [{ entryId: local.entryId, question: '', score: local.confidence }] : []), ...local.alternatives];
      const candidates = ranked.flatMap((c) => {
        const entry = byId.get(c.entryId);
        return entry ? [{ entryId: c.entryId, question: c.question || entry.questions[0] || '', answer: answerFor(entry, language), score: c.score }] : [];
      });
      const localView = { kind: local.kind, confidence: local.confidence, alternatives: local.alternatives, ...(local.kind === 'answer' ? { entryId: local.entryId, text: local.text } : {}) };
      result = fromGrounded(local, await deps.grounded({ question: text, language: local.language, local: localView, candidates }));
    }
    const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
    // The entry's category goes along (the reply policy hands some categories to a human first), with its links and
    // images, and the words the entry has for the customer's channel when it has some.
    const entry = result.kind === 'answer' ? byId.get(result.entryId) : undefined;
    if (entry && result.kind === 'answer' && input.channel && result.provider !== 'bedrock' && entry.channelAnswers?.[input.channel]) {
      result = { ...result, text: answerFor(entry, result.language === 'unknown' ? 'default' : result.language, input.channel) };
    }
    return {
      provider: 'local',
      ...result,
      ...(entry ? { category: entry.category } : {}),
      ...(entry?.attachments?.length ? { attachments: entry.attachments } : {}),
      latencyMs,
      revision: builtRevision,
    };
  };
}

/** The local engine as a provider: the shipped lexicon and rules, or a company's trained model over them. */
export function localSentimentProvider(model?: SentimentModel): SentimentProvider & { scoreNow(request: SentimentRequest): SentimentResult } {
  const scoreNow = (request: SentimentRequest) => scoreSentiment(request.text, { ...(model ? { model } : {}), ...(request.language ? { language: request.language } : {}) });
  return { name: 'local', scoreNow, score: async (request) => scoreNow(request) };
}

/**
 * Scores a text with the configured provider (Comprehend when the deployment chose it, falling back to the local
 * engine on error or timeout; the local engine otherwise), with the time it took.
 */
export function makeScoreSentiment(deps: { provider?: SentimentProvider } = {}) {
  const provider = deps.provider ?? localSentimentProvider();
  return async (input: { text: string; language?: Language }): Promise<SentimentResult & { latencyMs: number }> => {
    const text = validateText(input.text);
    const started = performance.now();
    const result = await provider.score({ text, ...(input.language ? { language: input.language } : {}) });
    return { ...result, latencyMs: Math.round((performance.now() - started) * 1000) / 1000 };
  };
}
