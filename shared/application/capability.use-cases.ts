/**
 * The capabilities on their own (also callable over the API by other systems): answer a question from the published
 * knowledge, score a text's sentiment. The answer index is rebuilt from the knowledge source when it is older than
 * its time to live, so a running function picks up newly published entries without a redeploy.
 */
import { LocalAnswerEngine, type AnswerResult } from '../domain/knowledge/local-answer-engine.ts';
import { scoreSentiment, type SentimentResult } from '../domain/sentiment/local-sentiment-engine.ts';
import { validateText } from './conversation.use-cases.ts';
import type { KnowledgeSource } from '../ports/directory.ts';
import type { Clock } from '../ports/gateways.ts';

export interface AnswerDeps {
  readonly knowledge: KnowledgeSource;
  readonly clock: Clock;
  /** How long a built index is used before the knowledge is read again. */
  readonly indexTtlMs: number;
}

export function makeAnswerQuestion(deps: AnswerDeps) {
  let engine: LocalAnswerEngine | undefined;
  let builtAt = 0;
  let building: Promise<LocalAnswerEngine> | undefined;
  const current = async (): Promise<LocalAnswerEngine> => {
    const now = deps.clock.now();
    if (engine && now.getTime() - builtAt < deps.indexTtlMs) return engine;
    building ??= (async () => {
      try {
        const built = new LocalAnswerEngine(await deps.knowledge.list(), now);
        engine = built;
        builtAt = now.getTime();
        return built;
      } finally {
        building = undefined;
      }
    })();
    return building;
  };
  return async (input: { text: string }): Promise<AnswerResult & { provider: 'local'; latencyMs: number }> => {
    const text = validateText(input.text);
    const started = performance.now();
    const result = (await current()).answer(text);
    return { ...result, provider: 'local', latencyMs: Math.round((performance.now() - started) * 1000) / 1000 };
  };
}

export function makeScoreSentiment() {
  return async (input: { text: string }): Promise<SentimentResult> => scoreSentiment(validateText(input.text));
}
