/**
 * Declarative multi-turn flows: the JSON a company edits (docs/FLOWS.md), its schema, and the semantic checks that a
 * schema cannot express (unique step ids, existing targets, known placeholders and connectors). A definition that
 * passes `parseFlowDefinition` can be run by the flow engine without further checks.
 */
import * as z from 'zod/mini';
import { DomainError } from '../errors.ts';
import { describeIssues, type Problem } from '../validation-issues.ts';

// ---------------------------------------------------------------- schema

const nonEmpty = () => z.string().check(z.minLength(1));
const identifier = () => z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, 'must start with a letter and contain only letters, digits, _ or - (at most 64)'));

/** A bilingual text: `zh` (Simplified, also shown to Traditional readers unless `zh-Hant` is given) and `en`. */
const textSchema = z.strictObject({ zh: nonEmpty(), en: nonEmpty(), 'zh-Hant': z.optional(nonEmpty()) });

const choiceSchema = z.strictObject({
  value: nonEmpty(),
  labels: textSchema,
  synonyms: z.optional(z.array(nonEmpty())),
});

const slotSchema = z.strictObject({
  name: identifier(),
  type: z.enum(['order_number', 'text', 'choice', 'phone', 'email', 'number']),
  validation: z.optional(
    z.strictObject({
      /** Overrides the type's pattern (order_number, phone, email) or constrains a text slot. */
      regex: z.optional(nonEmpty()),
      /** number: smallest value; text: shortest length. */
      min: z.optional(z.number()),
      /** number: largest value; text: longest length. */
      max: z.optional(z.number()),
      choices: z.optional(z.array(choiceSchema).check(z.minLength(1))),
      /** Choices read from a variable at run time, e.g. the items of an order. */
      choicesFrom: z.optional(z.strictObject({ var: nonEmpty(), value: nonEmpty(), label: nonEmpty() })),
    }),
  ),
  /** Fill the slot from the message that started the flow (default: true for order_number, phone and email). */
  prefill: z.optional(z.boolean()),
});

const stepId = () => identifier();
const methodSchema = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const jsonTemplate: z.ZodMiniType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonTemplate), z.record(z.string(), jsonTemplate)]));

const askStep = z.strictObject({
  id: stepId(),
  kind: z.literal('ask'),
  slot: identifier(),
  prompt: textSchema,
  reprompt: textSchema,
  maxAttempts: z.optional(z.int().check(z.minimum(1), z.maximum(10))),
  /** Where to go when the attempts run out (default: hand off to a human). */
  onExhausted: z.optional(stepId()),
  /** With a choice slot that has exactly one choice, take it without asking. */
  autoSelectSingle: z.optional(z.boolean()),
  next: stepId(),
});

const callStep = z.strictObject({
  id: stepId(),
  kind: z.literal('call'),
  connector: identifier(),
  method: methodSchema,
  /** Path under the connector's base URL; `{slot}` / `{var.x}` placeholders are URL-encoded. */
  path: z.string().check(z.regex(/^\//, 'must start with /')),
  body: z.optional(jsonTemplate),
  timeoutMs: z.optional(z.int().check(z.minimum(100), z.maximum(30_000))),
  /** variable name → dotted path in the response body ("" for the whole body). */
  assign: z.optional(z.record(identifier(), z.string())),
  /** Statuses read as "not found" (default 404 and 410); other non-2xx statuses and failures are errors. */
  notFoundStatuses: z.optional(z.array(z.int())),
  onFound: stepId(),
  onNotFound: z.optional(stepId()),
  /** Default: apologise and hand off to a human. */
  onError: z.optional(stepId()),
});

const confirmStep = z.strictObject({
  id: stepId(),
  kind: z.literal('confirm'),
  prompt: textSchema,
  reprompt: z.optional(textSchema),
  maxAttempts: z.optional(z.int().check(z.minimum(1), z.maximum(10))),
  onExhausted: z.optional(stepId()),
  /** Extra words read as yes / no, besides the built-in ones (是 / 对 / 确认 / 好的 / yes ..., 不 / 否 / no ...). */
  yesWords: z.optional(z.array(nonEmpty())),
  noWords: z.optional(z.array(nonEmpty())),
  onYes: stepId(),
  onNo: stepId(),
});

const sayStep = z.strictObject({ id: stepId(), kind: z.literal('say'), message: textSchema, next: stepId() });

const conditionSchema = z.strictObject({
  /** `slotName` or `var.path`. */
  value: nonEmpty(),
  equals: z.optional(z.union([z.string(), z.number(), z.boolean()])),
  in: z.optional(z.array(z.union([z.string(), z.number(), z.boolean()]))),
  exists: z.optional(z.boolean()),
});

const branchStep = z.strictObject({
  id: stepId(),
  kind: z.literal('branch'),
  cases: z.array(z.strictObject({ when: conditionSchema, next: stepId() })).check(z.minLength(1)),
  default: stepId(),
});

const reaskStep = z.strictObject({
  id: stepId(),
  kind: z.literal('reask'),
  /** The slot to clear before asking again. */
  slot: identifier(),
  /** Said instead of the ask step's prompt. */
  message: textSchema,
  maxRetries: z.int().check(z.minimum(1), z.maximum(5)),
  next: stepId(),
  onExhausted: z.optional(stepId()),
});

const endAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('answer'), message: textSchema }),
  z.strictObject({
    type: z.literal('create_ticket'),
    ticket: z.strictObject({
      type: z.enum(['pre-sales', 'after-sales', 'inquiry', 'complaint']),
      subject: textSchema,
      description: textSchema,
      priority: z.enum(['low', 'normal', 'high', 'urgent']),
    }),
    message: textSchema,
  }),
  z.strictObject({ type: z.literal('handoff'), reason: identifier(), message: z.optional(textSchema) }),
]);

const endStep = z.strictObject({ id: stepId(), kind: z.literal('end'), action: endAction });

const stepSchema = z.discriminatedUnion('kind', [askStep, callStep, confirmStep, sayStep, branchStep, reaskStep, endStep]);

export const flowDefinitionSchema = z.strictObject({
  $schema: z.optional(z.string()),
  id: identifier(),
  version: z.int().check(z.minimum(1)),
  name: textSchema,
  description: z.optional(z.string()),
  triggers: z.strictObject({ zh: z.array(nonEmpty()), en: z.array(nonEmpty()) }),
  connectors: z.optional(z.array(z.strictObject({ name: identifier(), description: z.optional(z.string()) }))),
  slots: z.array(slotSchema),
  /** The first step (default: the first in `steps`). */
  start: z.optional(stepId()),
  steps: z.array(stepSchema).check(z.minLength(1)),
});

// ---------------------------------------------------------------- types

export type FlowText = z.infer<typeof textSchema>;
export type FlowChoice = z.infer<typeof choiceSchema>;
export type SlotDefinition = z.infer<typeof slotSchema>;
export type SlotType = SlotDefinition['type'];
export type FlowStep = z.infer<typeof stepSchema>;
export type AskStep = z.infer<typeof askStep>;
export type CallStep = z.infer<typeof callStep>;
export type ConfirmStep = z.infer<typeof confirmStep>;
export type BranchCondition = z.infer<typeof conditionSchema>;
export type EndAction = z.infer<typeof endAction>;
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;

// ---------------------------------------------------------------- placeholders

/** `{name}` or `{var.a.b}`: a slot or a variable; `{choices}` lists the choices inside an ask step's prompt. */
const placeholder = /\{([a-zA-Z][a-zA-Z0-9_.-]*)\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1]!);
}

// ---------------------------------------------------------------- parse + semantic checks

function fail(problems: readonly Problem[]): never {
  throw new DomainError('REQUEST.VALIDATION_FAILED', `invalid flow definition: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { issues: problems });
}

function textsOf(step: FlowStep): { path: string; text: FlowText }[] {
  switch (step.kind) {
    case 'ask':
      return [{ path: 'prompt', text: step.prompt }, { path: 'reprompt', text: step.reprompt }];
    case 'confirm':
      return [{ path: 'prompt', text: step.prompt }, ...(step.reprompt ? [{ path: 'reprompt', text: step.reprompt }] : [])];
    case 'say':
    case 'reask':
      return [{ path: 'message', text: step.message }];
    case 'end':
      if (step.action.type === 'answer') return [{ path: 'action.message', text: step.action.message }];
      if (step.action.type === 'handoff') return step.action.message ? [{ path: 'action.message', text: step.action.message }] : [];
      return [
        { path: 'action.message', text: step.action.message },
        { path: 'action.ticket.subject', text: step.action.ticket.subject },
        { path: 'action.ticket.description', text: step.action.ticket.description },
      ];
    default:
      return [];
  }
}

function templateStrings(value: unknown, path: string): { path: string; template: string }[] {
  if (typeof value === 'string') return [{ path, template: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => templateStrings(v, `${path}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => templateStrings(v, `${path}.${k}`));
  return [];
}

function semanticProblems(def: FlowDefinition): Problem[] {
  const problems: Problem[] = [];
  const stepIds = new Set<string>();
  def.steps.forEach((step, i) => {
    if (stepIds.has(step.id)) problems.push({ path: `steps.${i}.id`, message: `duplicate step id "${step.id}"` });
    stepIds.add(step.id);
  });
  const slots = new Map<string, SlotDefinition>();
  def.slots.forEach((slot, i) => {
    if (slots.has(slot.name)) problems.push({ path: `slots.${i}.name`, message: `duplicate slot "${slot.name}"` });
    slots.set(slot.name, slot);
    const v = slot.validation;
    if (v?.regex !== undefined) {
      try {
        new RegExp(v.regex, 'iu');
      } catch (error) {
        problems.push({ path: `slots.${i}.validation.regex`, message: `not a valid regular expression (${(error as Error).message})` });
      }
    }
    if (slot.type === 'choice' && !v?.choices && !v?.choicesFrom) problems.push({ path: `slots.${i}.validation`, message: 'a choice slot needs choices or choicesFrom' });
    if (slot.type !== 'choice' && (v?.choices || v?.choicesFrom)) problems.push({ path: `slots.${i}.validation`, message: `choices only apply to choice slots, not ${slot.type}` });
    if (v?.min !== undefined && v.max !== undefined && v.min > v.max) problems.push({ path: `slots.${i}.validation.min`, message: 'min is greater than max' });
  });
  const connectors = new Set((def.connectors ?? []).map((c) => c.name));
  const variables = new Set(def.steps.flatMap((s) => (s.kind === 'call' ? Object.keys(s.assign ?? {}) : [])));
  for (const slot of def.slots) {
    const from = slot.validation?.choicesFrom?.var;
    if (from !== undefined && !variables.has(from.replace(/^var\./, '').split('.')[0]!)) {
      problems.push({ path: `slots.${def.slots.indexOf(slot)}.validation.choicesFrom.var`, message: `unknown variable "${from}" (no call step assigns it)` });
    }
  }

  const checkRef = (ref: string, path: string, allowChoices: boolean) => {
    if (ref === 'choices') {
      if (!allowChoices) problems.push({ path, message: '{choices} is only allowed in the prompts of an ask step with a choice slot' });
      return;
    }
    if (ref.startsWith('var.')) {
      const root = ref.slice(4).split('.')[0]!;
      if (!variables.has(root)) problems.push({ path, message: `unknown variable "{${ref}}" (no call step assigns "${root}")` });
      return;
    }
    if (!slots.has(ref)) problems.push({ path, message: `unknown slot "{${ref}}"` });
  };
  const checkTarget = (target: string | undefined, path: string) => {
    if (target !== undefined && !stepIds.has(target)) problems.push({ path, message: `unknown step "${target}"` });
  };

  if (def.start !== undefined) checkTarget(def.start, 'start');
  def.steps.forEach((step, i) => {
    const at = `steps.${i}`;
    const isChoiceAsk = step.kind === 'ask' && slots.get(step.slot)?.type === 'choice';
    for (const { path, text } of textsOf(step)) {
      for (const [lang, template] of Object.entries(text)) {
        for (const ref of placeholders(template)) checkRef(ref, `${at}.${path}.${lang}`, isChoiceAsk && !path.startsWith('action'));
      }
    }
    switch (step.kind) {
      case 'ask':
        if (!slots.has(step.slot)) problems.push({ path: `${at}.slot`, message: `unknown slot "${step.slot}"` });
        checkTarget(step.next, `${at}.next`);
        checkTarget(step.onExhausted, `${at}.onExhausted`);
        break;
      case 'reask':
        if (!slots.has(step.slot)) problems.push({ path: `${at}.slot`, message: `unknown slot "${step.slot}"` });
        checkTarget(step.next, `${at}.next`);
        checkTarget(step.onExhausted, `${at}.onExhausted`);
        break;
      case 'call':
        if (!connectors.has(step.connector)) problems.push({ path: `${at}.connector`, message: `unknown connector "${step.connector}" (declare it under "connectors")` });
        for (const ref of placeholders(step.path)) checkRef(ref, `${at}.path`, false);
        for (const { path, template } of templateStrings(step.body, `${at}.body`)) for (const ref of placeholders(template)) checkRef(ref, path, false);
        checkTarget(step.onFound, `${at}.onFound`);
        checkTarget(step.onNotFound, `${at}.onNotFound`);
        checkTarget(step.onError, `${at}.onError`);
        break;
      case 'confirm':
        checkTarget(step.onYes, `${at}.onYes`);
        checkTarget(step.onNo, `${at}.onNo`);
        checkTarget(step.onExhausted, `${at}.onExhausted`);
        break;
      case 'say':
        checkTarget(step.next, `${at}.next`);
        break;
      case 'branch':
        step.cases.forEach((c, j) => {
          checkRef(c.when.value, `${at}.cases.${j}.when.value`, false);
          const tests = [c.when.equals, c.when.in, c.when.exists].filter((t) => t !== undefined).length;
          if (tests !== 1) problems.push({ path: `${at}.cases.${j}.when`, message: 'give exactly one of equals, in, exists' });
          checkTarget(c.next, `${at}.cases.${j}.next`);
        });
        checkTarget(step.default, `${at}.default`);
        break;
      case 'end':
        break;
    }
  });
  if (!def.steps.some((s) => s.kind === 'end')) problems.push({ path: 'steps', message: 'a flow needs at least one end step' });
  return problems;
}

/**
 * Parses and checks a flow definition (the parsed JSON). Throws a DomainError REQUEST.VALIDATION_FAILED whose message
 * names the path of every bad field ("steps.2.next: unknown step \"x\"").
 */
export function parseFlowDefinition(json: unknown): FlowDefinition {
  const result = flowDefinitionSchema.safeParse(json);
  if (!result.success) fail(describeIssues(result.error.issues, '(flow)'));
  const problems = semanticProblems(result.data);
  if (problems.length > 0) fail(problems);
  return result.data;
}
