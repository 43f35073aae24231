/** The shared middy stack, driven with API Gateway v2 events built by a small factory (no AWS involved). */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { httpFunction, observeInvocations, type InvocationRecord } from '../../shared/observability/handler-kit.ts';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const context = { awsRequestId: 'req-1', functionName: 'kefu-test', memoryLimitInMB: '256', getRemainingTimeInMillis: () => 5000 } as unknown as Context;

function agentEvent(routeKey: string, claims: Record<string, string> | undefined, overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1]!,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: { http: { method: routeKey.split(' ')[0]! }, ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) },
    ...overrides,
  } as unknown as APIGatewayProxyEventV2;
}

const answerRoute = 'POST /v1/capabilities/answer';

describe('the HTTP handler stack', () => {
  it('refuses to build a function whose handlers do not match the manifest routes', () => {
    expect(() => httpFunction('bot-answer', {})).toThrow(/no handler for route answer/);
    expect(() => httpFunction('bot-answer', { answer: async () => ({ status: 200 }), extra: async () => ({ status: 200 }) })).toThrow(/does not route/);
  });

  it.each([
    ['[agent]', 200],
    ['[supervisor admin]', 200],
    ['["admin"]', 200],
    ['[viewer]', 403],
  ])('reads the Cognito groups claim %s as API Gateway flattens it (→ %i)', async (groups, status) => {
    const handler = httpFunction('bot-answer', { answer: async () => ({ status: 200, body: { ok: true } }) });
    const res = await handler(agentEvent(answerRoute, { sub: 'agent-li', 'cognito:groups': groups }, { body: '{"text":"hi"}' }), context);
    expect((res as { statusCode: number }).statusCode).toBe(status);
  });

  it('maps a domain error to its status and code, in the one error shape', async () => {
    const handler = httpFunction('bot-answer', {
      answer: async () => {
        throw new DomainError('CONVERSATION.NOT_FOUND', 'conversation x does not exist');
      },
    });
    const res = (await handler(agentEvent(answerRoute, { sub: 'a', 'cognito:groups': '[agent]' }, { body: '{}' }), context)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'CONVERSATION.NOT_FOUND', message: 'conversation x does not exist' } });
  });

  it('answers an unexpected failure with 500 and a generic message that leaks nothing', async () => {
    const handler = httpFunction('bot-answer', {
      answer: async () => {
        throw new Error('connection string postgres://user:secret@db');
      },
    });
    const res = (await handler(agentEvent(answerRoute, { sub: 'a', 'cognito:groups': '[agent]' }, { body: '{}' }), context)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(JSON.parse(res.body).error.code).toBe('INTERNAL');
  });

  it('rejects a non-JSON content type and malformed JSON before the handler runs', async () => {
    let ran = false;
    const handler = httpFunction('bot-answer', {
      answer: async () => {
        ran = true;
        return { status: 200 };
      },
    });
    const claims = { sub: 'a', 'cognito:groups': '[agent]' };
    const form = (await handler(agentEvent(answerRoute, claims, { headers: { 'content-type': 'text/plain' }, body: 'text=hi' }), context)) as { statusCode: number };
    const broken = (await handler(agentEvent(answerRoute, claims, { body: '{"text":' }), context)) as { statusCode: number };
    expect([form.statusCode, broken.statusCode]).toEqual([400, 400]);
    expect(ran).toBe(false);
  });

  it('tells invocation observers (the cost meter slot) what ran and how it ended', async () => {
    const records: InvocationRecord[] = [];
    const detach = observeInvocations((r) => records.push(r));
    const handler = httpFunction('bot-answer', { answer: async () => ({ status: 200 }) });
    await handler(agentEvent(answerRoute, { sub: 'a', 'cognito:groups': '[agent]' }, { body: '{}' }), context);
    detach();
    expect(records).toEqual([expect.objectContaining({ functionId: 'bot-answer', kind: 'http', route: 'answer', statusCode: 200, outcome: 'ok', requestId: 'req-1', memoryMb: 256 })]);
  });
});
