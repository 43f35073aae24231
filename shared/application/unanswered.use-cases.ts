/**
 * The review list of questions the bot could not answer: the reply policy records a question once it knows that
 * neither a flow nor a handoff request took the message; an admin turns it into a variant or an entry later.
 */
import { unansweredKey } from '../domain/knowledge/knowledge-admin.ts';
import { normalise } from '../domain/knowledge/text-features.ts';
import type { Clock } from '../ports/gateways.ts';
import type { KnowledgeRepository } from '../ports/knowledge.ts';

export interface UnansweredQuestionInput {
  readonly text: string;
  readonly language: string;
  readonly outcome: 'out_of_scope' | 'suggest' | 'low_confidence';
  readonly nearest?: { readonly entryId: string; readonly question: string; readonly score: number };
  readonly conversationId?: string;
}

/** Counts a question the bot could not answer; never fails the caller (the review list is not worth a lost reply). */
export function makeRecordUnanswered(deps: { log: Pick<KnowledgeRepository, 'recordUnanswered'>; clock: Clock; onError?: (error: unknown) => void }) {
  return async (question: UnansweredQuestionInput): Promise<void> => {
    const key = unansweredKey(question.text, normalise);
    if (!key) return;
    try {
      await deps.log.recordUnanswered({
        key,
        text: question.text.trim().slice(0, 500),
        language: question.language,
        outcome: question.outcome,
        ...(question.nearest ? { nearest: question.nearest } : {}),
        ...(question.conversationId ? { lastConversationId: question.conversationId } : {}),
        at: deps.clock.now().toISOString(),
      });
    } catch (error) {
      deps.onError?.(error);
    }
  };
}
