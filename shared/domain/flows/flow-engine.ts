/**
 * The flow engine: a pure, deterministic state machine over a parsed flow definition. It never performs I/O: a call
 * to the company's systems is returned as a `call` action, and the caller feeds the outcome back with `resume`.
 * The state is plain JSON, so that it can be stored between the customer's messages.
 *
 * At any step: a handoff request (转人工 / human) hands off, a cancel word (算了 / cancel) ends the flow, and an answer
 * that does not fit while the classifier is confident the message is another question ends it as a topic change.
 */
import { isHandoffRequest } from '../conversation/handoff-request.ts';
import { detectLanguage, type Language } from '../knowledge/text-features.ts';
import { isCancelRequest, yesOrNo } from './flow-commands.ts';
import type { AskStep, BranchCondition, CallStep, EndAction, FlowDefinition, FlowStep, FlowText, SlotDefinition } from './flow-definition.ts';
import { extractSlot, type ResolvedChoice, type SlotValue } from './slot-extraction.ts';

export type FlowLanguage = 'zh-Hans' | 'zh-Hant' | 'en';

export interface FlowState {
  readonly flowId: string;
  readonly version: number;
  readonly stepId: string;
  readonly language: FlowLanguage;
  readonly slots: Readonly<Record<string, SlotValue>>;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Failed answers per ask / confirm step, and retries per reask step. */
  readonly attempts: Readonly<Record<string, number>>;
  /** `call`: the current step is a call whose result the caller must feed back with `resume`. */
  readonly awaiting: 'input' | 'call';
}

export interface ConnectorRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the connector's base URL, placeholders already URL-encoded. */
  readonly path: string;
  readonly body?: unknown;
}

export interface TicketDraft {
  readonly flowId: string;
  readonly type: 'pre-sales' | 'after-sales' | 'inquiry' | 'complaint';
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  readonly subject: string;
  readonly description: string;
  readonly slots: Readonly<Record<string, SlotValue>>;
}

export type FlowOutcome = 'completed' | 'cancelled' | 'handoff' | 'topic_change';

export type FlowAction =
  | { readonly kind: 'call'; readonly stepId: string; readonly connector: string; readonly request: ConnectorRequest; readonly timeoutMs: number }
  | { readonly kind: 'create_ticket'; readonly ticket: TicketDraft }
  | { readonly kind: 'handoff'; readonly reason: string }
  | { readonly kind: 'end'; readonly outcome: FlowOutcome };

export interface FlowTurn {
  /** undefined once the flow has ended. */
  readonly state: FlowState | undefined;
  /** Bot replies, in the conversation's language. */
  readonly messages: readonly string[];
  readonly actions: readonly FlowAction[];
}

/** What the answer engine thinks the message is about (passed by the application). */
export interface Classification {
  readonly entryId?: string;
  readonly flowId?: string;
  readonly confidence: number;
}

export interface FlowContext {
  /** The conversation's language; detected from the text when missing or unknown. */
  readonly language?: Language;
  readonly classify?: Classification;
  /** Confidence at or above which an answer that does not fit is read as a new question (default 0.6). */
  readonly topicChangeThreshold?: number;
}

export type CallResult = { readonly kind: 'response'; readonly status: number; readonly body: unknown } | { readonly kind: 'failure'; readonly error: string };

export const DEFAULT_CALL_TIMEOUT_MS = 3000;
const DEFAULT_MAX_ATTEMPTS = 3;
const MAX_HOPS = 64;

// ---------------------------------------------------------------- built-in phrases

const phrases = {
  handoffRequested: { zh: '好的，正在为您转接人工客服，请稍候。', 'zh-Hant': '好的，正在為您轉接人工客服，請稍候。', en: 'Sure, I am connecting you to a human agent. Please wait a moment.' },
  handoffExhausted: {
    zh: '抱歉，我还是没能确认这个信息。正在为您转接人工客服，请稍候。',
    'zh-Hant': '抱歉，我還是沒能確認這個資訊。正在為您轉接人工客服，請稍候。',
    en: 'Sorry, I still could not get that. I am connecting you to a human agent.',
  },
  handoffNotFound: {
    zh: '抱歉，没有查到相关信息。正在为您转接人工客服，请稍候。',
    'zh-Hant': '抱歉，沒有查到相關資訊。正在為您轉接人工客服，請稍候。',
    en: 'Sorry, I could not find that. I am connecting you to a human agent.',
  },
  handoffError: {
    zh: '抱歉，系统暂时无法处理您的请求。正在为您转接人工客服，请稍候。',
    'zh-Hant': '抱歉，系統暫時無法處理您的請求。正在為您轉接人工客服，請稍候。',
    en: 'Sorry, our system cannot handle this right now. I am connecting you to a human agent.',
  },
  cancelled: { zh: '好的，已为您取消。还有什么可以帮您？', 'zh-Hant': '好的，已為您取消。還有什麼可以幫您？', en: 'OK, I have cancelled that. Is there anything else I can help with?' },
} satisfies Record<string, FlowText>;

// ---------------------------------------------------------------- rendering

export function textFor(text: FlowText, language: FlowLanguage): string {
  if (language === 'en') return text.en;
  if (language === 'zh-Hant') return text['zh-Hant'] ?? text.zh;
  return text.zh;
}

function flowLanguage(language: Language | undefined, text: string | undefined): FlowLanguage {
  const l = language && language !== 'unknown' ? language : text ? detectLanguage(text) : 'unknown';
  return l === 'unknown' ? 'zh-Hans' : l;
}

/**
 * The language of a follow-up message replaces the flow's only when the message clearly has one: "KF20240012", "y"
 * or "2" say nothing about it, and Simplified-looking text does not undo Traditional.
 */
function followLanguage(current: FlowLanguage, text: string): FlowLanguage {
  const detected = detectLanguage(text);
  if (detected === 'en') return (text.match(/\b[a-zA-Z]{2,}\b/g) ?? []).length >= 2 ? 'en' : current;
  if (detected === 'zh-Hans' || detected === 'zh-Hant') {
    if ((text.match(/[\u3400-\u9fff]/gu) ?? []).length < 2) return current;
    return detected === 'zh-Hans' && current === 'zh-Hant' ? current : detected;
  }
  return current;
}

function path(value: unknown, dotted: string): unknown {
  if (dotted === '' || dotted === '.') return value;
  let current = value;
  for (const key of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isFlowText(value: unknown): value is FlowText {
  return typeof value === 'object' && value !== null && typeof (value as FlowText).zh === 'string' && typeof (value as FlowText).en === 'string';
}

interface Working {
  stepId: string;
  language: FlowLanguage;
  slots: Record<string, SlotValue>;
  vars: Record<string, unknown>;
  attempts: Record<string, number>;
  awaiting: 'input' | 'call';
}

class Run {
  readonly messages: string[] = [];
  readonly actions: FlowAction[] = [];
  private ended = false;
  /** Set by a reask step: its message replaces the next prompt. */
  private silenceNextPrompt = false;

  constructor(
    private readonly def: FlowDefinition,
    private readonly s: Working,
  ) {}

  // ------------------------------------------------ values and templates

  private slotDef(name: string): SlotDefinition {
    const slot = this.def.slots.find((x) => x.name === name);
    if (!slot) throw new Error(`flow ${this.def.id}: unknown slot ${name}`);
    return slot;
  }

  choicesOf(slot: SlotDefinition): ResolvedChoice[] {
    const v = slot.validation;
    if (v?.choices) return v.choices.map((c) => ({ value: c.value, labels: c.labels, synonyms: c.synonyms ?? [] }));
    const from = v?.choicesFrom;
    if (!from) return [];
    const list = path(this.s.vars, from.var.replace(/^var\./, ''));
    if (!Array.isArray(list)) return [];
    return list.flatMap((item): ResolvedChoice[] => {
      const value = path(item, from.value);
      const label = path(item, from.label);
      if (value === undefined || value === null || label === undefined) return [];
      const labels = isFlowText(label) ? label : { zh: String(label), en: String(label) };
      return [{ value: String(value), labels, synonyms: [] }];
    });
  }

  /** The raw value of `slotName` or `var.path` (a choice slot gives its value, not its label). */
  private raw(ref: string): unknown {
    if (ref.startsWith('var.')) return path(this.s.vars, ref.slice(4));
    return this.s.slots[ref];
  }

  /** How a value reads in a message: a choice's label, a bilingual field in the flow's language, lists joined. */
  private display(ref: string): string {
    if (ref === 'choices') return '';
    if (!ref.startsWith('var.')) {
      const value = this.s.slots[ref];
      if (value === undefined) return '';
      const slot = this.slotDef(ref);
      if (slot.type === 'choice') {
        const choice = this.choicesOf(slot).find((c) => c.value === String(value));
        if (choice) return textFor(choice.labels, this.s.language);
      }
      return String(value);
    }
    return this.format(this.raw(ref));
  }

  private format(value: unknown): string {
    if (value === undefined || value === null) return '';
    if (isFlowText(value)) return textFor(value, this.s.language);
    if (Array.isArray(value)) return value.map((v) => this.format(v)).join(this.s.language === 'en' ? ', ' : '、');
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  render(text: FlowText, choices?: readonly ResolvedChoice[]): string {
    return textFor(text, this.s.language).replace(/\{([a-zA-Z][a-zA-Z0-9_.-]*)\}/g, (_, ref: string) => {
      if (ref === 'choices' && choices) return choices.map((c, i) => `${i + 1}. ${textFor(c.labels, this.s.language)}`).join('\n');
      return this.display(ref);
    });
  }

  private renderRequestString(template: string, encode: boolean): unknown {
    const whole = /^\{([a-zA-Z][a-zA-Z0-9_.-]*)\}$/.exec(template);
    if (whole && !encode) return this.raw(whole[1]!) ?? null;
    return template.replace(/\{([a-zA-Z][a-zA-Z0-9_.-]*)\}/g, (_, ref: string) => {
      const value = this.raw(ref);
      const text = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      return encode ? encodeURIComponent(text) : text;
    });
  }

  private renderBody(template: unknown): unknown {
    if (typeof template === 'string') return this.renderRequestString(template, false);
    if (Array.isArray(template)) return template.map((t) => this.renderBody(t));
    if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, this.renderBody(v)]));
    return template;
  }

  private holds(when: BranchCondition): boolean {
    const value = this.raw(when.value);
    if (when.exists !== undefined) return (value !== undefined && value !== null) === when.exists;
    if (when.in !== undefined) return when.in.some((x) => x === value);
    return value === when.equals;
  }

  // ------------------------------------------------ endings

  end(outcome: FlowOutcome, message?: string): void {
    if (message) this.messages.push(message);
    this.actions.push({ kind: 'end', outcome });
    this.ended = true;
  }

  handoff(reason: string, message: FlowText): void {
    this.actions.push({ kind: 'handoff', reason });
    this.end('handoff', this.render(message));
  }

  private finish(action: EndAction): void {
    switch (action.type) {
      case 'answer':
        this.end('completed', this.render(action.message));
        return;
      case 'create_ticket':
        this.actions.push({
          kind: 'create_ticket',
          ticket: {
            flowId: this.def.id,
            type: action.ticket.type,
            priority: action.ticket.priority,
            subject: this.render(action.ticket.subject),
            description: this.render(action.ticket.description),
            slots: { ...this.s.slots },
          },
        });
        this.end('completed', this.render(action.message));
        return;
      case 'handoff':
        this.handoff(action.reason, action.message ?? phrases.handoffRequested);
        return;
    }
  }

  /** Goes to `target`, or hands off with `reason` when the definition names no target. */
  private goOr(target: string | undefined, reason: string, message: FlowText): boolean {
    if (target === undefined) {
      this.handoff(reason, message);
      return false;
    }
    this.s.stepId = target;
    return true;
  }

  // ------------------------------------------------ running

  private stepNow(): FlowStep {
    const step = this.def.steps.find((x) => x.id === this.s.stepId);
    if (!step) throw new Error(`flow ${this.def.id}: unknown step ${this.s.stepId}`);
    return step;
  }

  /** Runs steps from the current one until the flow needs the customer, a call result, or ends. */
  run(): void {
    for (let hop = 0; hop < MAX_HOPS && !this.ended; hop++) {
      const step = this.stepNow();
      switch (step.kind) {
        case 'ask': {
          const slot = this.slotDef(step.slot);
          if (this.s.slots[slot.name] !== undefined) {
            this.s.stepId = step.next;
            break;
          }
          const choices = this.choicesOf(slot);
          if (slot.type === 'choice' && choices.length === 0) {
            this.handoff('flow_error', phrases.handoffError);
            return;
          }
          if (slot.type === 'choice' && step.autoSelectSingle && choices.length === 1) {
            this.s.slots[slot.name] = choices[0]!.value;
            this.s.stepId = step.next;
            break;
          }
          if (!this.silenceNextPrompt) this.messages.push(this.render(step.prompt, choices));
          this.silenceNextPrompt = false;
          this.s.awaiting = 'input';
          return;
        }
        case 'confirm':
          this.messages.push(this.render(step.prompt));
          this.silenceNextPrompt = false;
          this.s.awaiting = 'input';
          return;
        case 'say':
          this.messages.push(this.render(step.message));
          this.s.stepId = step.next;
          break;
        case 'branch':
          this.s.stepId = step.cases.find((c) => this.holds(c.when))?.next ?? step.default;
          break;
        case 'reask': {
          const used = this.s.attempts[step.id] ?? 0;
          if (used >= step.maxRetries) {
            if (!this.goOr(step.onExhausted, 'not_found', phrases.handoffNotFound)) return;
            break;
          }
          this.s.attempts[step.id] = used + 1;
          this.messages.push(this.render(step.message));
          delete this.s.slots[step.slot];
          this.silenceNextPrompt = true;
          this.s.stepId = step.next;
          break;
        }
        case 'call':
          this.actions.push({ kind: 'call', stepId: step.id, connector: step.connector, request: this.request(step), timeoutMs: step.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS });
          this.s.awaiting = 'call';
          return;
        case 'end':
          this.finish(step.action);
          return;
      }
    }
    // A definition that loops without asking anything: do not spin, hand the customer to a person.
    if (!this.ended) this.handoff('flow_error', phrases.handoffError);
  }

  private request(step: CallStep): ConnectorRequest {
    const body = step.body === undefined ? undefined : this.renderBody(step.body);
    return { method: step.method, path: String(this.renderRequestString(step.path, true)), ...(body === undefined ? {} : { body }) };
  }

  /** The customer's answer to an ask step. */
  answerAsk(step: AskStep, text: string, topicChange: boolean): void {
    const slot = this.slotDef(step.slot);
    const value = extractSlot(slot, text, this.choicesOf(slot));
    if (value !== undefined) {
      this.s.slots[slot.name] = value;
      delete this.s.attempts[step.id];
      this.s.stepId = step.next;
      this.run();
      return;
    }
    this.failedAnswer(step.id, step.maxAttempts, step.onExhausted, step.reprompt, topicChange, this.choicesOf(slot));
  }

  answerConfirm(step: Extract<FlowStep, { kind: 'confirm' }>, text: string, topicChange: boolean): void {
    const answer = yesOrNo(text, { yes: step.yesWords ?? [], no: step.noWords ?? [] });
    if (answer !== undefined) {
      delete this.s.attempts[step.id];
      this.s.stepId = answer === 'yes' ? step.onYes : step.onNo;
      this.run();
      return;
    }
    this.failedAnswer(step.id, step.maxAttempts, step.onExhausted, step.reprompt ?? step.prompt, topicChange);
  }

  private failedAnswer(stepId: string, maxAttempts: number | undefined, onExhausted: string | undefined, reprompt: FlowText, topicChange: boolean, choices?: readonly ResolvedChoice[]): void {
    if (topicChange) {
      this.end('topic_change');
      return;
    }
    const used = (this.s.attempts[stepId] ?? 0) + 1;
    this.s.attempts[stepId] = used;
    if (used >= (maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
      if (this.goOr(onExhausted, 'max_attempts', phrases.handoffExhausted)) this.run();
      return;
    }
    this.messages.push(this.render(reprompt, choices));
    this.s.awaiting = 'input';
  }

  /** The outcome of the pending call step. */
  resumeCall(step: CallStep, result: CallResult): void {
    this.s.awaiting = 'input';
    if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
      for (const [name, from] of Object.entries(step.assign ?? {})) this.s.vars[name] = path(result.body, from);
      this.s.stepId = step.onFound;
    } else if (result.kind === 'response' && (step.notFoundStatuses ?? [404, 410]).includes(result.status)) {
      if (!this.goOr(step.onNotFound, 'not_found', phrases.handoffNotFound)) return;
    } else if (!this.goOr(step.onError, 'connector_error', phrases.handoffError)) return;
    this.run();
  }

  cancel(): void {
    this.end('cancelled', this.render(phrases.cancelled));
  }

  turn(def: FlowDefinition): FlowTurn {
    const state: FlowState | undefined = this.ended
      ? undefined
      : { flowId: def.id, version: def.version, stepId: this.s.stepId, language: this.s.language, slots: this.s.slots, vars: this.s.vars, attempts: this.s.attempts, awaiting: this.s.awaiting };
    return { state, messages: this.messages, actions: this.actions };
  }
}

function working(def: FlowDefinition, state: FlowState): Working {
  if (state.flowId !== def.id) throw new Error(`flow state of ${state.flowId} given to flow ${def.id}`);
  return {
    stepId: state.stepId,
    language: state.language,
    slots: { ...state.slots },
    vars: structuredClone(state.vars) as Record<string, unknown>,
    attempts: { ...state.attempts },
    awaiting: state.awaiting,
  };
}

function isTopicChange(def: FlowDefinition, ctx: FlowContext): boolean {
  const c = ctx.classify;
  if (!c || c.confidence < (ctx.topicChangeThreshold ?? 0.6)) return false;
  if (c.flowId !== undefined) return c.flowId !== def.id;
  return c.entryId !== undefined;
}

/**
 * Starts a flow. `triggerText` (the message that started it) pre-fills slots that allow it ("where is order
 * KF20240012" starts the order-status flow with the order number known).
 */
export function start(def: FlowDefinition, ctx: FlowContext & { readonly triggerText?: string } = {}): FlowTurn {
  const s: Working = { stepId: def.start ?? def.steps[0]!.id, language: flowLanguage(ctx.language, ctx.triggerText), slots: {}, vars: {}, attempts: {}, awaiting: 'input' };
  const run = new Run(def, s);
  if (ctx.triggerText !== undefined) {
    for (const slot of def.slots) {
      const prefill = slot.prefill ?? (slot.type === 'order_number' || slot.type === 'phone' || slot.type === 'email');
      if (!prefill) continue;
      const value = extractSlot(slot, ctx.triggerText, run.choicesOf(slot));
      if (value !== undefined) s.slots[slot.name] = value;
    }
  }
  run.run();
  return run.turn(def);
}

/** Feeds the customer's next message to a running flow. */
export function step(def: FlowDefinition, state: FlowState, userText: string, ctx: FlowContext = {}): FlowTurn {
  const s = working(def, state);
  s.language = followLanguage(s.language, userText);
  const run = new Run(def, s);
  const current = def.steps.find((x) => x.id === s.stepId);
  if (isHandoffRequest(userText)) run.handoff('requested', phrases.handoffRequested);
  else if (isCancelRequest(userText)) run.cancel();
  else if (!current || s.awaiting === 'call') run.run();
  else if (current.kind === 'ask') run.answerAsk(current, userText, isTopicChange(def, ctx));
  else if (current.kind === 'confirm') run.answerConfirm(current, userText, isTopicChange(def, ctx));
  else run.run();
  return run.turn(def);
}

/** Feeds the result of the pending `call` action back to the flow. */
export function resume(def: FlowDefinition, state: FlowState, result: CallResult, _ctx: FlowContext = {}): FlowTurn {
  const s = working(def, state);
  const current = def.steps.find((x) => x.id === s.stepId);
  if (s.awaiting !== 'call' || current?.kind !== 'call') throw new Error(`flow ${def.id} is not waiting for a call result at step ${s.stepId}`);
  const run = new Run(def, s);
  run.resumeCall(current, result);
  return run.turn(def);
}
