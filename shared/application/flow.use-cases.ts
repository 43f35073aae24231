/**
 * One customer message through the multi-turn flows: continue the conversation's running flow, or start one when the
 * message triggers it; perform the flow's calls to the company's systems and its ticket; keep the session.
 *
 * Idempotent per customer message: the session remembers the last message id and what the turn answered, so that a
 * redelivered message gets the same replies without a second connector call or ticket. Calls carry an idempotency
 * key, and tickets a stable one, for the case where the process dies between a call and the session write.
 */
import { isHandoffRequest } from '../domain/conversation/handoff-request.ts';
import type { FlowDefinition } from '../domain/flows/flow-definition.ts';
import { resume, start, step, type CallResult, type Classification, type FlowContext, type FlowTurn, type TicketDraft } from '../domain/flows/flow-engine.ts';
import { DEFAULT_TRIGGER_THRESHOLD, FlowTriggerMatcher } from '../domain/flows/flow-trigger.ts';
import type { Language } from '../domain/knowledge/text-features.ts';
import type { Clock } from '../ports/gateways.ts';
import type { Connector, FlowCatalog, FlowSession, FlowSessionStore, FlowTurnResult } from '../ports/flows.ts';

export interface FlowTicketRequest extends TicketDraft {
  readonly conversationId: string;
  readonly messageId: string;
  /** Stable for the customer message: creating the ticket again with it must not create a second one. */
  readonly idempotencyKey: string;
}

export interface FlowTurnOptions {
  /** A running flow untouched for this long is forgotten (default 30). */
  readonly idleMinutes?: number;
  /** How long an ended session is kept for redeliveries (default 24 h). */
  readonly keepEndedMinutes?: number;
  /** Trigger similarity at or above which a message starts a flow (default 0.55). */
  readonly triggerThreshold?: number;
  /** Classifier confidence at or above which a non-fitting answer is read as a new question (default 0.6). */
  readonly topicChangeThreshold?: number;
  /** A knowledge answer beats a flow trigger when its confidence is higher than the trigger's score by this (default 0.1). */
  readonly knowledgeMargin?: number;
  /** Connector calls at most per customer message (default 5): a definition cannot loop on calls. */
  readonly maxCallsPerTurn?: number;
}

export interface FlowTurnDeps {
  readonly flows: FlowCatalog;
  readonly sessions: FlowSessionStore;
  readonly connector: Connector;
  /** Creates a Kefu ticket (idempotent on `idempotencyKey`); without it, ticket actions are skipped. */
  readonly tickets?: (draft: FlowTicketRequest) => Promise<{ id: string }>;
  readonly clock: Clock;
  readonly options?: FlowTurnOptions;
}

export interface FlowTurnInput {
  readonly conversationId: string;
  /** The customer message id (the unit of idempotency). */
  readonly messageId: string;
  readonly text: string;
  /** The conversation's language, when known (sentiment / detection). */
  readonly language?: Language;
  /** What the answer engine thinks the message is (entry or flow, with confidence). */
  readonly classify?: Classification;
  /**
   * The caller knows that no flow is running in the conversation (it keeps that on the conversation): the session is
   * not read, which saves a round trip on every message outside a flow.
   */
  readonly noRunningFlow?: boolean;
}

const MINUTE = 60_000;
const notHandled: FlowTurnResult = { handled: false, messages: [] };

interface Driven {
  readonly turn: FlowTurn;
  readonly messages: string[];
  handoff?: { reason: string };
  ticketId?: string;
  ended?: FlowTurnResult['ended'];
}

/** The use case: `(input) → FlowTurnResult`; `handled: false` means the normal answer pipeline takes the message. */
export function makeFlowTurn(deps: FlowTurnDeps) {
  const o = deps.options ?? {};
  const idleMs = (o.idleMinutes ?? 30) * MINUTE;
  const keepEndedMs = (o.keepEndedMinutes ?? 24 * 60) * MINUTE;
  const maxCalls = o.maxCallsPerTurn ?? 5;
  const matchers = new WeakMap<readonly FlowDefinition[], FlowTriggerMatcher>();

  const matcherFor = (catalog: readonly FlowDefinition[]) => {
    let matcher = matchers.get(catalog);
    if (!matcher) matchers.set(catalog, (matcher = new FlowTriggerMatcher(catalog, o.triggerThreshold ?? DEFAULT_TRIGGER_THRESHOLD)));
    return matcher;
  };

  /** The flow this message starts, if any. */
  const pick = (catalog: readonly FlowDefinition[], input: FlowTurnInput, exclude?: string): FlowDefinition | undefined => {
    if (isHandoffRequest(input.text)) return undefined;
    const c = input.classify;
    if (c?.flowId !== undefined && c.flowId !== exclude) {
      const named = catalog.find((f) => f.id === c.flowId);
      if (named) return named;
    }
    const match = matcherFor(catalog).match(input.text);
    if (!match || match.flowId === exclude) return undefined;
    // A confident knowledge answer to an informational question ("退货运费谁出") beats a weaker trigger.
    if (c?.entryId !== undefined && c.confidence > match.score + (o.knowledgeMargin ?? 0.1)) return undefined;
    return catalog.find((f) => f.id === match.flowId);
  };

  /** Performs the turn's actions: calls (resuming the engine with their results), tickets, handoff, end. */
  const drive = async (def: FlowDefinition, first: FlowTurn, input: FlowTurnInput, ctx: FlowContext): Promise<Driven> => {
    const out: Driven = { turn: first, messages: [...first.messages] };
    let turn = first;
    for (let calls = 0; ; calls++) {
      for (const action of turn.actions) {
        if (action.kind === 'create_ticket' && deps.tickets) {
          const ticket = await deps.tickets({ ...action.ticket, conversationId: input.conversationId, messageId: input.messageId, idempotencyKey: `flow#${input.conversationId}#${input.messageId}` });
          out.ticketId = ticket.id;
        } else if (action.kind === 'handoff') out.handoff = { reason: action.reason };
        else if (action.kind === 'end') out.ended = action.outcome;
      }
      const call = turn.actions.find((a) => a.kind === 'call');
      if (!call || call.kind !== 'call' || !turn.state) break;
      let result: CallResult;
      if (calls >= maxCalls) result = { kind: 'failure', error: `more than ${maxCalls} calls in one turn` };
      else {
        try {
          const response = await deps.connector.call(call.connector, call.request, {
            timeoutMs: call.timeoutMs,
            idempotencyKey: `flow-${input.conversationId}-${input.messageId}-${call.stepId}`,
          });
          result = { kind: 'response', status: response.status, body: response.body };
        } catch (error) {
          result = { kind: 'failure', error: error instanceof Error ? error.message : String(error) };
        }
      }
      turn = resume(def, turn.state, result, ctx);
      out.messages.push(...turn.messages);
    }
    return { ...out, turn };
  };

  const begin = async (def: FlowDefinition, input: FlowTurnInput, ctx: FlowContext) => drive(def, start(def, { ...ctx, triggerText: input.text }), input, ctx);

  const save = async (input: FlowTurnInput, def: FlowDefinition, driven: Driven, result: FlowTurnResult, startedAt: string) => {
    const now = deps.clock.now();
    const state = driven.turn.state;
    const session: FlowSession = {
      flowId: def.id,
      flowVersion: def.version,
      ...(state ? { state } : {}),
      lastMessageId: input.messageId,
      lastTurn: result,
      startedAt,
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (state ? idleMs : keepEndedMs)).toISOString(),
    };
    await deps.sessions.put(input.conversationId, session);
  };

  const resultOf = (def: FlowDefinition, driven: Driven): FlowTurnResult => ({
    handled: true,
    flowId: def.id,
    messages: driven.messages,
    ...(driven.handoff ? { handoff: driven.handoff } : {}),
    ...(driven.ticketId ? { ticketId: driven.ticketId } : {}),
    ...(driven.ended ? { ended: driven.ended } : {}),
  });

  return async (input: FlowTurnInput): Promise<FlowTurnResult> => {
    const session = input.noRunningFlow ? undefined : await deps.sessions.get(input.conversationId);
    if (session?.lastMessageId === input.messageId) return session.lastTurn;
    const now = deps.clock.now();
    const catalog = await deps.flows.list();
    const ctx: FlowContext = {
      ...(input.language ? { language: input.language } : {}),
      ...(input.classify ? { classify: input.classify } : {}),
      ...(o.topicChangeThreshold !== undefined ? { topicChangeThreshold: o.topicChangeThreshold } : {}),
    };

    const running = session?.state && Date.parse(session.updatedAt) + idleMs > now.getTime() ? session : undefined;
    const runningDef = running && catalog.find((f) => f.id === running.flowId);
    let continued: FlowTurn | undefined;
    if (running?.state && runningDef) {
      try {
        continued = step(runningDef, running.state, input.text, ctx);
      } catch {
        // The definition changed under the session (a step was renamed or removed): forget the old flow.
        continued = undefined;
      }
    }

    if (running && runningDef && continued) {
      const driven = await drive(runningDef, continued, input, ctx);
      if (driven.ended !== 'topic_change') {
        const result = resultOf(runningDef, driven);
        await save(input, runningDef, driven, result, running.startedAt);
        return result;
      }
      // A new question in the middle of a flow: it may start another flow; otherwise the pipeline answers it.
      const next = pick(catalog, input, runningDef.id);
      if (next) {
        const started = await begin(next, input, ctx);
        const result = resultOf(next, started);
        await save(input, next, started, result, now.toISOString());
        return result;
      }
      const result: FlowTurnResult = { handled: false, flowId: runningDef.id, messages: [], ended: 'topic_change' };
      await save(input, runningDef, driven, result, running.startedAt);
      return result;
    }

    const def = pick(catalog, input);
    if (!def) {
      // A session whose flow is gone or stale ends quietly; the message goes to the normal pipeline.
      if (session?.state) await deps.sessions.put(input.conversationId, undefined);
      return notHandled;
    }
    const started = await begin(def, input, ctx);
    const result = resultOf(def, started);
    await save(input, def, started, result, now.toISOString());
    return result;
  };
}

/** A catalog over fixed definitions (the demo flows, or definitions loaded once at cold start). */
export function staticFlowCatalog(definitions: readonly FlowDefinition[]): FlowCatalog {
  const list = [...definitions];
  return { list: () => Promise.resolve(list) };
}
