/**
 * What happens to a customer message after it is stored: the intake decides whether the bot takes it (and runs the
 * message workflow), the policy step turns sentiment + answer into a reply or a handoff.
 */
import { messageView, type Channel, type Conversation, type ConversationStatus } from '../domain/conversation/conversation.ts';
import { DomainError } from '../domain/errors.ts';
import { decide, decideFlowTurn, type AnswerOutcome, type Decision, type PolicyOptions, defaultPolicyOptions } from '../domain/policy/reply-policy.ts';
import type { Language } from '../domain/knowledge/text-features.ts';
import type { FlowTurnResult } from '../ports/flows.ts';
import type { UnansweredQuestionInput } from './unanswered.use-cases.ts';
import type { SentimentResult } from '../domain/sentiment/local-sentiment-engine.ts';
import { updateMood } from '../domain/sentiment/mood.ts';
import type { ConversationStore } from '../ports/conversation.store.ts';
import type { Clock, EscalationInput, Ids, LiveUpdates, WorkflowGateway } from '../ports/gateways.ts';
import { conversationAudience } from './conversation.use-cases.ts';

export interface IntakeDeps {
  readonly store: ConversationStore;
  readonly workflows: WorkflowGateway;
  readonly live: LiveUpdates;
  /** A message in a conversation with a ticket goes on the ticket too (see makeCustomerWroteInConversation). */
  readonly onTicketMessage?: (input: { ticketId: string; conversationId: string; messageId: string; text: string; channel?: string }) => Promise<unknown>;
}

export interface StoredCustomerMessage {
  readonly conversationId: string;
  readonly id: string;
  readonly seq: number;
  readonly text: string;
  readonly role: 'customer';
  readonly createdAt: string;
  readonly ownerAtWrite?: ConversationStatus;
  readonly ticketAtWrite?: string;
  readonly channel?: Channel;
}

/**
 * Intake of a stored customer message: pushes it live to whoever watches the conversation and, unless a human owns
 * the conversation, runs the message workflow (both at once). Throws when the workflow fails, so that the stream
 * redelivers the message (the live push is best effort and idempotent for the clients, which dedupe by id).
 */
export function makeProcessCustomerMessage(deps: IntakeDeps) {
  return async (message: StoredCustomerMessage) => {
    // The copy onto the conversation's ticket runs alongside the reply, not before it; a failure of either
    // redelivers the message, and both steps are idempotent per message.
    const onTicket =
      message.ticketAtWrite && deps.onTicketMessage
        ? deps.onTicketMessage({ ticketId: message.ticketAtWrite, conversationId: message.conversationId, messageId: message.id, text: message.text, ...(message.channel ? { channel: message.channel } : {}) })
        : undefined;
    const owner = message.ownerAtWrite ?? (await deps.store.get(message.conversationId))?.status;
    const push = deps.live.publish(conversationAudience(message.conversationId), { type: 'message', conversationId: message.conversationId, message: messageView({ ...message }) });
    if (owner !== 'bot') {
      await Promise.all([push, onTicket]);
      return { outcome: 'skipped' as const, reason: `owned by ${owner ?? 'nobody (missing)'}` };
    }
    const [result] = await Promise.all([
      deps.workflows.runMessageWorkflow({ conversationId: message.conversationId, messageId: message.id, seq: message.seq, text: message.text, channel: message.channel ?? 'webchat' }),
      push,
      onTicket,
    ]);
    if (result.status !== 'SUCCEEDED') throw new Error(`message workflow ${result.status} for ${message.id}: ${result.error ?? ''}`);
    return { outcome: 'processed' as const, output: result.output };
  };
}

export interface PolicyDeps {
  readonly store: ConversationStore;
  readonly live: LiveUpdates;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly escalation: { maxOffers: number };
  readonly options?: PolicyOptions;
  /**
   * Multi-turn flows (order status, returns...): a running flow, or one the message starts, takes the message before
   * the knowledge answer; `handled: false` leaves it to the answer.
   */
  readonly flowTurn?: (input: {
    conversationId: string;
    messageId: string;
    text: string;
    language?: Language;
    classify?: { entryId?: string; confidence: number };
    noRunningFlow?: boolean;
  }) => Promise<FlowTurnResult>;
  /** Keeps what the bot could not answer for review (not handoff requests, not flow turns). */
  readonly recordUnanswered?: (question: UnansweredQuestionInput) => Promise<void>;
}

export interface PolicyInput {
  readonly conversationId: string;
  readonly messageId: string;
  /** The customer message's sequence number: its sentiment is stored on it with the reply. */
  readonly seq?: number;
  readonly text: string;
  readonly analysis: { readonly sentiment?: SentimentResult; readonly answer: AnswerOutcome };
}

export type PolicyOutput =
  | { readonly handoff: false; readonly reply?: { messageId: string; text: string; entryId?: string }; readonly skipped?: string }
  | { readonly handoff: true; readonly reason: string; readonly escalation: { name: string; input: EscalationInput } };

/**
 * The escalation execution of a conversation's current handoff: named by conversation and handoff number, so that
 * starting it again (a redelivered message, a restarted local runtime) is idempotent.
 */
export function escalationExecution(
  conversation: Pick<Conversation, 'id' | 'handoffs' | 'handoffReason' | 'priority'>,
  settings: { maxOffers: number },
): { name: string; input: EscalationInput } {
  return {
    name: `${conversation.id}-handoff-${conversation.handoffs}`,
    input: { conversationId: conversation.id, reason: conversation.handoffReason ?? 'requested', priority: conversation.priority ?? 5, maxOffers: settings.maxOffers },
  };
}

/** The policy step: idempotent per customer message (a redelivered message gets the same outcome, never a second reply). */
export function makeDecideReply(deps: PolicyDeps) {
  return async (input: PolicyInput): Promise<PolicyOutput> => {
    const live = deps.live.channel(conversationAudience(input.conversationId));
    const conversation = await deps.store.get(input.conversationId);
    if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${input.conversationId} does not exist`);
    const idempotencyKey = `reply#${input.messageId}`;
    if (conversation.status !== 'bot') {
      // Already handed off for this very message (a redelivery after the escalation start failed): start it again, by name.
      if (conversation.status === 'queued' && conversation.handoffMessageId === input.messageId) {
        return { handoff: true, reason: conversation.handoffReason ?? 'requested', escalation: escalationExecution(conversation, deps.escalation) };
      }
      return { handoff: false, skipped: `owned by ${conversation.status}` };
    }
    const sentimentLanguage = input.analysis.sentiment?.language;
    const language = sentimentLanguage && sentimentLanguage !== 'unknown' ? sentimentLanguage : undefined;
    // The mood moves with every scored customer message (not when sentiment was unavailable).
    const sentiment = input.analysis.sentiment && input.analysis.sentiment.provider !== ('unavailable' as string) ? input.analysis.sentiment : undefined;
    const policyOptions = deps.options ?? defaultPolicyOptions;
    const mood = sentiment ? updateMood(conversation.mood, sentiment, input.messageId, deps.clock.now().toISOString(), policyOptions.moodTrendTurns || 3) : conversation.mood;
    const annotate =
      sentiment && input.seq !== undefined
        ? { annotate: { seq: input.seq, fields: { sentiment: { polarity: sentiment.polarity, emotion: sentiment.emotion, intensity: sentiment.intensity, scores: sentiment.scores, provider: sentiment.provider } } } }
        : {};
    let decision: Decision | undefined;
    let flowRunning = false;
    let replyFlowId: string | undefined;
    if (deps.flowTurn) {
      const answer = input.analysis.answer;
      const turn = await deps.flowTurn({
        conversationId: input.conversationId,
        messageId: input.messageId,
        text: input.text,
        ...(language ? { language: language as Language } : {}),
        classify: answer.kind === 'answer' ? { entryId: answer.entryId, confidence: answer.confidence } : { confidence: answer.confidence },
        // The conversation remembers whether a flow is running (written with each reply below).
        ...(conversation.flowRunning === false ? { noRunningFlow: true } : {}),
      });
      flowRunning = turn.handled && turn.ended === undefined && turn.handoff === undefined;
      if (turn.handled) replyFlowId = turn.flowId;
      if (turn.handled) decision = decideFlowTurn(turn, { conversation, ...(sentiment ? { sentiment } : {}), ...(mood ? { mood } : {}) }, policyOptions);
    }
    if (!decision) {
      decision = decide({ conversation, text: input.text, sentiment: input.analysis.sentiment, answer: input.analysis.answer, ...(mood ? { mood } : {}) }, policyOptions);
      const answer = input.analysis.answer;
      const botFailed = (decision.kind === 'reply' && !decision.answered) || (decision.kind === 'handoff' && decision.reason === 'repeated_failure');
      const weak = decision.kind === 'reply' && decision.weak === true;
      if (weak && deps.recordUnanswered && answer.kind === 'answer') {
        await deps.recordUnanswered({
          text: input.text,
          language: sentimentLanguage ?? 'unknown',
          outcome: 'low_confidence',
          conversationId: input.conversationId,
          nearest: { entryId: answer.entryId, question: '', score: answer.confidence },
        });
      }
      if (botFailed && deps.recordUnanswered && (answer.kind === 'out_of_scope' || answer.kind === 'suggest')) {
        const nearest = answer.alternatives?.[0] as { entryId: string; question: string; score?: number } | undefined;
        await deps.recordUnanswered({
          text: input.text,
          language: sentimentLanguage ?? 'unknown',
          outcome: answer.kind,
          conversationId: input.conversationId,
          ...(nearest ? { nearest: { entryId: nearest.entryId, question: nearest.question, score: nearest.score ?? answer.confidence } } : {}),
        });
      }
    }
    const now = deps.clock.now().toISOString();
    const moodFields: Record<string, Readonly<Record<string, unknown>> | string> = mood ? { mood: mood as unknown as Readonly<Record<string, unknown>>, lastMood: mood.emotion } : {};
    if (decision.kind === 'reply') {
      const replyId = `msg_${deps.ids.next()}`;
      const result = await deps.store.append(
        input.conversationId,
        {
          id: replyId,
          role: 'bot',
          text: decision.text,
          createdAt: now,
          ...(decision.entryId ? { entryId: decision.entryId } : {}),
          ...(decision.attachments ? { attachments: decision.attachments } : {}),
          ...(decision.tone && decision.tone.style !== 'plain' ? { tone: { emotion: decision.tone.emotion, style: decision.tone.style } } : {}),
        },
        {
          idempotencyKey,
          current: conversation,
          ...annotate,
          set: {
            failedAnswers: decision.answered && !decision.weak ? 0 : conversation.failedAnswers + 1,
            // What the loop check compares the next answer with (cleared by any reply that did not come from an entry).
            lastEntryId: decision.entryId ?? '',
            lastEntryLanguage: language ?? conversation.language ?? '',
            // Reports count each bot reply once (by its id): answered or not, and which entry it came from.
            lastReplyId: replyId,
            lastReplyAnswered: decision.answered && !decision.weak,
            lastReplyTopic: decision.entryId ?? (replyFlowId ? `flow:${replyFlowId}` : ''),
            ...(deps.flowTurn ? { flowRunning } : {}),
            ...moodFields,
            ...(language ? { language } : {}),
          },
        },
      );
      if (!result.duplicate) await live.publish({ type: 'message', conversationId: input.conversationId, message: messageView(result.message) });
      return { handoff: false, reply: { messageId: result.message.id, text: result.message.text, ...(result.message.entryId ? { entryId: result.message.entryId } : {}) } };
    }
    const handoffs = conversation.handoffs + 1;
    let result;
    try {
      result = await deps.store.append(
        input.conversationId,
        { id: `msg_${deps.ids.next()}`, role: 'system', text: decision.text, createdAt: now },
        {
          idempotencyKey,
          current: conversation,
          ...annotate,
          statusChange: {
            from: ['bot'],
            to: 'queued',
            set: {
              priority: decision.priority,
              queuedAt: now,
              handoffReason: decision.reason,
              handoffs,
              failedAnswers: 0,
              handoffMessageId: input.messageId,
              // The skill the router looks for: the category of what the customer asked about (refunds, logistics, …).
              neededSkill: input.analysis.answer.kind === 'answer' && input.analysis.answer.category ? input.analysis.answer.category : null,
              ...moodFields,
              ...(input.analysis.sentiment?.language && input.analysis.sentiment.language !== 'unknown' ? { language: input.analysis.sentiment.language } : {}),
            },
          },
        },
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CONVERSATION.BUSY') return { handoff: false, skipped: 'owner changed' };
      throw error;
    }
    if (!result.duplicate) {
      await deps.store.recordEvent(input.conversationId, { type: 'handoff.requested', at: now, actor: 'bot', detail: { reason: decision.reason, priority: decision.priority, messageId: input.messageId } });
      await live.publish({ type: 'message', conversationId: input.conversationId, message: messageView(result.message) });
      await live.publish({ type: 'status', conversationId: input.conversationId, status: 'queued' });
    }
    const current = result.duplicate ? ((await deps.store.get(input.conversationId)) ?? conversation) : { ...conversation, handoffs };
    return {
      handoff: true,
      reason: decision.reason,
      escalation: escalationExecution({ id: input.conversationId, handoffs: current.handoffs, handoffReason: decision.reason, priority: decision.priority }, deps.escalation),
    };
  };
}

