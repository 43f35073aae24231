import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { parseFlowDefinition } from '../../shared/domain/flows/flow-definition.ts';

const DEMO_DIR = resolve(import.meta.dirname, '..', '..', 'shared', 'flows', 'demo');

/** A small valid flow to break one field at a time. */
function validFlow(): any {
  return {
    id: 'order-status',
    version: 1,
    name: { zh: '查订单', en: 'Order status' },
    triggers: { zh: ['查订单'], en: ['where is my order'] },
    connectors: [{ name: 'shop' }],
    slots: [
      { name: 'orderNumber', type: 'order_number' },
      { name: 'size', type: 'choice', validation: { choices: [{ value: 's', labels: { zh: '小', en: 'small' } }] } },
    ],
    steps: [
      { id: 'ask', kind: 'ask', slot: 'orderNumber', prompt: { zh: '订单号？', en: 'Order number?' }, reprompt: { zh: '再发一次', en: 'Again' }, next: 'lookup' },
      { id: 'lookup', kind: 'call', connector: 'shop', method: 'GET', path: '/orders/{orderNumber}', assign: { status: 'status' }, onFound: 'done', onNotFound: 'done' },
      { id: 'done', kind: 'end', action: { type: 'answer', message: { zh: '{orderNumber}：{var.status}', en: '{orderNumber}: {var.status}' } } },
    ],
  };
}

function rejection(json: unknown): DomainError {
  try {
    parseFlowDefinition(json);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the definition was accepted');
}

describe('flow definitions', () => {
  it.each(readdirSync(DEMO_DIR).filter((f) => f.endsWith('.flow.json')))('accepts the demo flow %s', (file) => {
    // Prepare
    const json = JSON.parse(readFileSync(join(DEMO_DIR, file), 'utf8'));
    // Act
    const def = parseFlowDefinition(json);
    // Assess
    expect(def.id).toBe(file.replace('.flow.json', ''));
    expect(def.triggers.zh.length).toBeGreaterThan(0);
    expect(def.triggers.en.length).toBeGreaterThan(0);
  });

  it('accepts a minimal flow', () => {
    expect(parseFlowDefinition(validFlow()).steps).toHaveLength(3);
  });

  it('rejects a missing field with its path and the validation code', () => {
    const json = validFlow();
    delete json.steps[0].prompt.en;
    const error = rejection(json);
    expect(error.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(error.message).toContain('steps.0.prompt.en: expected string');
  });

  it('rejects a misspelt key with its path', () => {
    const json = validFlow();
    json.steps[0].promt = json.steps[0].prompt;
    expect(rejection(json).message).toContain('steps.0.promt: unknown field');
  });

  it('rejects an unknown slot type with its path', () => {
    const json = validFlow();
    json.slots[0].type = 'order';
    expect(rejection(json).message).toContain('slots.0.type: expected "order_number" | "text" | "choice"');
  });

  it('rejects an unknown step kind with its path', () => {
    const json = validFlow();
    json.steps[1].kind = 'fetch';
    expect(rejection(json).message).toContain('steps.1.kind: expected "ask" | "call"');
  });

  it('rejects duplicate step ids', () => {
    const json = validFlow();
    json.steps[1].id = 'ask';
    expect(rejection(json).message).toContain('steps.1.id: duplicate step id "ask"');
  });

  it('rejects a next that names no step', () => {
    const json = validFlow();
    json.steps[0].next = 'lokup';
    expect(rejection(json).message).toContain('steps.0.next: unknown step "lokup"');
  });

  it('rejects a branch target that names no step', () => {
    const json = validFlow();
    json.steps.splice(2, 0, { id: 'route', kind: 'branch', cases: [{ when: { value: 'var.status', equals: 'x' }, next: 'nowhere' }], default: 'done' });
    json.steps[1].onFound = 'route';
    expect(rejection(json).message).toContain('steps.2.cases.0.next: unknown step "nowhere"');
  });

  it('rejects a template that names an unknown slot', () => {
    const json = validFlow();
    json.steps[2].action.message.zh = '{orderNo}';
    expect(rejection(json).message).toContain('steps.2.action.message.zh: unknown slot "{orderNo}"');
  });

  it('rejects a template that names a variable no call assigns', () => {
    const json = validFlow();
    json.steps[2].action.message.en = '{var.carrier}';
    expect(rejection(json).message).toContain('steps.2.action.message.en: unknown variable "{var.carrier}"');
  });

  it('rejects a path template that names an unknown slot', () => {
    const json = validFlow();
    json.steps[1].path = '/orders/{order}';
    expect(rejection(json).message).toContain('steps.1.path: unknown slot "{order}"');
  });

  it('rejects a body template that names an unknown slot', () => {
    const json = validFlow();
    json.steps[1].method = 'POST';
    json.steps[1].body = { order: { number: '{order}' } };
    expect(rejection(json).message).toContain('steps.1.body.order.number: unknown slot "{order}"');
  });

  it('rejects a connector the definition does not declare', () => {
    const json = validFlow();
    json.steps[1].connector = 'erp';
    expect(rejection(json).message).toContain('steps.1.connector: unknown connector "erp"');
  });

  it('rejects an ask step for an unknown slot', () => {
    const json = validFlow();
    json.steps[0].slot = 'phone';
    expect(rejection(json).message).toContain('steps.0.slot: unknown slot "phone"');
  });

  it('rejects an invalid regular expression', () => {
    const json = validFlow();
    json.slots[0].validation = { regex: 'KF(\\d{8}' };
    expect(rejection(json).message).toContain('slots.0.validation.regex: not a valid regular expression');
  });

  it('rejects a choice slot without choices', () => {
    const json = validFlow();
    delete json.slots[1].validation;
    expect(rejection(json).message).toContain('slots.1.validation: a choice slot needs choices or choicesFrom');
  });

  it('rejects {choices} outside the prompt of a choice question', () => {
    const json = validFlow();
    json.steps[0].prompt.zh = '请选择：{choices}';
    expect(rejection(json).message).toContain('steps.0.prompt.zh: {choices} is only allowed');
  });

  it('rejects a branch case with no test', () => {
    const json = validFlow();
    json.steps.splice(2, 0, { id: 'route', kind: 'branch', cases: [{ when: { value: 'var.status' }, next: 'done' }], default: 'done' });
    expect(rejection(json).message).toContain('steps.2.cases.0.when: give exactly one of equals, in, exists');
  });

  it('lists every problem at once, with its path, in the error details', () => {
    const json = validFlow();
    json.steps[0].next = 'x';
    json.steps[1].connector = 'erp';
    const error = rejection(json);
    expect((error.details?.issues as { path: string }[]).map((i) => i.path)).toEqual(['steps.0.next', 'steps.1.connector']);
  });
});
