/**
 * One middy stack for every handler: Powertools logger (conversation id as correlation id), metrics and tracer;
 * input parsing and validation; error mapping in one place; and the invocation observers where cost metering attaches.
 *
 * Three front doors share it: HTTP routes (API Gateway v2 events, routed by the manifest's route names), workflow
 * tasks (Step Functions payloads, validated, errors thrown so that Retry / Catch see them), and stream batches.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { DomainError } from '../domain/errors.ts';
import { manifest, type FunctionId, type HttpRouteSpec, type Role, ROLES } from '../manifest/manifest.ts';
import type { CustomerTokens } from '../ports/gateways.ts';
import { meter, metered } from './cost-meter.ts';
import { toHttpError } from './error-mapping.ts';
import { logger, metrics, tracer } from './powertools.ts';

const captureLambdaHandler = tracer ? (await import('@aws-lambda-powertools/tracer/middleware')).captureLambdaHandler : undefined;

/** What an observer learns about each invocation (issue #7's cost meter attaches here). */
export interface InvocationRecord {
  readonly functionId: FunctionId;
  readonly kind: 'http' | 'task' | 'stream' | 'websocket' | 'event';
  readonly requestId: string;
  readonly conversationId?: string;
  readonly route?: string;
  readonly durationMs: number;
  readonly memoryMb: number;
  readonly outcome: 'ok' | 'error';
  readonly statusCode?: number;
}

export type InvocationObserver = (record: InvocationRecord) => void;
const observers: InvocationObserver[] = [];

/** Attach an observer to every handler of this process (cost metering, tests). Returns a detach function. */
export function observeInvocations(observer: InvocationObserver): () => void {
  observers.push(observer);
  return () => {
    const i = observers.indexOf(observer);
    if (i >= 0) observers.splice(i, 1);
  };
}

interface ObservedState {
  conversationId?: string;
  route?: string;
  statusCode?: number;
}

function observed(functionId: FunctionId, kind: InvocationRecord['kind']): middy.MiddlewareObj<unknown, unknown, Error, Context & { kefu?: ObservedState }> {
  const started = new WeakMap<object, number>();
  const notify = (request: middy.Request<unknown, unknown, Error, Context & { kefu?: ObservedState }>, outcome: 'ok' | 'error') => {
    if (observers.length === 0) return;
    const t0 = started.get(request) ?? performance.now();
    const state = request.context.kefu ?? {};
    const record: InvocationRecord = {
      functionId,
      kind,
      requestId: request.context.awsRequestId ?? 'unknown',
      durationMs: performance.now() - t0,
      memoryMb: Number(request.context.memoryLimitInMB ?? 0),
      outcome,
      ...(state.conversationId ? { conversationId: state.conversationId } : {}),
      ...(state.route ? { route: state.route } : {}),
      ...(state.statusCode ? { statusCode: state.statusCode } : {}),
    };
    for (const observer of observers) {
      try {
        observer(record);
      } catch (error) {
        logger.warn('invocation observer failed', { error });
      }
    }
  };
  return {
    before: (request) => {
      started.set(request, performance.now());
      request.context.kefu = {};
      // One metric per invocation, so that every function publishes something (Powertools warns on empty flushes).
      metrics.addMetric(kind === 'http' ? 'HttpInvocations' : kind === 'task' ? 'TaskInvocations' : kind === 'stream' ? 'StreamBatches' : kind === 'event' ? 'Events' : 'WebSocketEvents', MetricUnit.Count, 1);
    },
    after: (request) => notify(request, 'ok'),
    onError: (request) => notify(request, 'error'),
  };
}

function baseStack<E, R>(functionId: FunctionId, kind: InvocationRecord['kind'], handler: (event: E, context: Context & { kefu?: ObservedState }) => Promise<R>) {
  const stack = middy<E, R, Error, Context & { kefu?: ObservedState }>();
  if (tracer && captureLambdaHandler) stack.use(captureLambdaHandler(tracer, { captureResponse: false }));
  // Disabled metrics (the local runtime, where every function shares one process) are not flushed at all.
  if (process.env.POWERTOOLS_METRICS_DISABLED !== 'true') stack.use(logMetrics(metrics));
  const handled = stack
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(observed(functionId, kind) as middy.MiddlewareObj<E, R, Error, Context & { kefu?: ObservedState }>)
    .handler(handler);
  // Every invocation is metered (shared/observability/cost-meter.ts): outermost, so that it sees the whole invocation.
  return metered(functionId, kind, handled as unknown as (event: E, context: Context) => Promise<R>);
}

// ---------------------------------------------------------------- HTTP

/** A channel function's channel (webchat, later wechat…); other functions learn it from the conversation. */
function channelOf(functionId: FunctionId): string | undefined {
  return manifest.functions.find((f) => f.id === functionId)?.group === 'channel' ? functionId : undefined;
}

export interface Principal {
  readonly kind: 'public' | 'customer' | 'user';
  readonly subject?: string;
  readonly roles: readonly Role[];
  /** For customer tokens: the conversation the token authorises. */
  readonly conversationId?: string;
}

export interface HttpRequest {
  readonly route: HttpRouteSpec;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly principal: Principal;
  readonly event: APIGatewayProxyEventV2;
}

export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A body that is not JSON (e.g. a CSV export): sent as is, with its own content type. */
  readonly raw?: { readonly contentType: string; readonly body: string; readonly base64?: boolean };
}

export type RouteHandler = (request: HttpRequest) => Promise<HttpResult>;

export interface HttpFunctionOptions {
  /** Needed by functions with `customer` routes. */
  readonly customerTokens?: () => Promise<CustomerTokens>;
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

function parseGroups(claims: Record<string, unknown>): Role[] {
  const raw = claims['cognito:groups'];
  let groups: string[] = [];
  if (Array.isArray(raw)) groups = raw.map(String);
  else if (typeof raw === 'string') {
    // API Gateway flattens array claims to "[a b]" (or a JSON array string).
    const trimmed = raw.trim();
    if (trimmed.startsWith('[') && trimmed.includes('"')) {
      try {
        groups = (JSON.parse(trimmed) as unknown[]).map(String);
      } catch {
        groups = [];
      }
    } else groups = trimmed.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
  }
  return groups.filter((g): g is Role => (ROLES as readonly string[]).includes(g));
}

function bearer(event: APIGatewayProxyEventV2): string | undefined {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

async function authenticate(route: HttpRouteSpec, event: APIGatewayProxyEventV2, options: HttpFunctionOptions): Promise<Principal> {
  switch (route.auth.kind) {
    case 'public':
      return { kind: 'public', roles: [] };
    case 'customer': {
      const token = bearer(event);
      if (!token) throw new DomainError('AUTH.UNAUTHENTICATED', 'a customer token is required (Authorization: Bearer <token>)');
      if (!options.customerTokens) throw new Error('customer route without customerTokens');
      const conversationId = await (await options.customerTokens()).verify(token);
      if (!conversationId) throw new DomainError('AUTH.UNAUTHENTICATED', 'the customer token is not valid');
      const target = event.pathParameters?.id;
      if (target !== undefined && target !== conversationId) throw new DomainError('AUTH.FORBIDDEN', 'this token does not authorise that conversation');
      return { kind: 'customer', subject: conversationId, conversationId, roles: [] };
    }
    case 'jwt': {
      const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
      if (!claims || typeof claims.sub !== 'string') throw new DomainError('AUTH.UNAUTHENTICATED', 'a valid console token is required');
      const roles = parseGroups(claims);
      if (!roles.some((r) => route.auth.kind === 'jwt' && route.auth.roles.includes(r))) {
        throw new DomainError('AUTH.FORBIDDEN', `this route needs one of the roles ${route.auth.roles.join(', ')}`);
      }
      return { kind: 'user', subject: claims.sub, roles };
    }
  }
}

function parseBody(route: HttpRouteSpec, event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  if (route.method === 'GET' || route.method === 'DELETE') return undefined;
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw new DomainError('REQUEST.TOO_LARGE', `the request body must be at most ${maxBytes} bytes`);
  if (raw.trim() === '') return {};
  const type = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? 'application/json';
  if (!/json/i.test(type)) throw new DomainError('REQUEST.MALFORMED_JSON', 'the request body must be JSON (Content-Type: application/json)');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new DomainError('REQUEST.MALFORMED_JSON', 'the request body is not valid JSON');
  }
}

/** Validates with a zod schema; failures become REQUEST.VALIDATION_FAILED with the field paths. */
export function validate<T extends z.ZodMiniType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  // Text over its length is 413 (a message too large); a number or a list over its bound is plain bad input (400).
  const tooLong = result.error.issues.find((i) => i.code === 'too_big' && (i as { origin?: string }).origin === 'string');
  if (tooLong) throw new DomainError('REQUEST.TOO_LARGE', `${tooLong.path.join('.') || 'body'}: ${tooLong.message}`, { issues });
  throw new DomainError('REQUEST.VALIDATION_FAILED', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

function json(statusCode: number, body: unknown, headers: Readonly<Record<string, string>> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/**
 * An HTTP function: its routes come from the manifest (by name), so the path is written once. Fails at load time
 * when a manifest route of this function has no handler or a handler has no route.
 */
export function httpFunction(functionId: FunctionId, handlers: Readonly<Record<string, RouteHandler>>, options: HttpFunctionOptions = {}) {
  const routes = manifest.routes.filter((r) => r.functionId === functionId);
  for (const route of routes) if (!handlers[route.name]) throw new Error(`function ${functionId} has no handler for route ${route.name}`);
  for (const name of Object.keys(handlers)) if (!routes.some((r) => r.name === name)) throw new Error(`function ${functionId} handles ${name}, which the manifest does not route to it`);
  const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return baseStack<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(functionId, 'http', async (event, context) => {
    const route = byKey.get(event.routeKey);
    const state = context.kefu ?? {};
    // One HTTP API request (metered in 512 KB steps of the request).
    meter.httpRequest(event.body ? Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : 0);
    try {
      if (!route) throw new DomainError('REQUEST.ROUTE_NOT_FOUND', `no route ${event.routeKey}`);
      state.route = route.name;
      meter.route(route.name);
      const params = (event.pathParameters ?? {}) as Record<string, string>;
      if (params.id) {
        // Conversation routes (/conversations/{id}); a channel function knows its channel.
        if (/\/conversations\/\{id\}/.test(route.path)) meter.attribute(params.id, channelOf(functionId));
        state.conversationId = params.id;
        logger.setCorrelationId(params.id);
        logger.appendKeys({ conversationId: params.id });
      }
      const principal = await authenticate(route, event, options);
      const body = parseBody(route, event, maxBody);
      const result = await handlers[route.name]!({ route, params, query: (event.queryStringParameters ?? {}) as Record<string, string>, body, principal, event });
      state.statusCode = result.status;
      metrics.addMetric('HttpRequests', MetricUnit.Count, 1);
      if (result.raw) {
        return { statusCode: result.status, headers: { 'content-type': result.raw.contentType, 'cache-control': 'no-store', ...result.headers }, body: result.raw.body, ...(result.raw.base64 ? { isBase64Encoded: true } : {}) };
      }
      return json(result.status, result.body, result.headers);
    } catch (error) {
      const mapped = toHttpError(error);
      state.statusCode = mapped.statusCode;
      if (mapped.expected) logger.info('request rejected', { code: mapped.body.error.code, status: mapped.statusCode });
      else logger.error('request failed', { error: error as Error });
      metrics.addMetric(mapped.expected ? 'HttpRejected' : 'HttpFailed', MetricUnit.Count, 1);
      return json(mapped.statusCode, mapped.body);
    }
  });
}

// ---------------------------------------------------------------- workflow tasks

/**
 * A workflow task function: the payload is validated against `schema`, the action picked by `action`, and errors are
 * thrown (with the error code as the name, so a state's Catch can match it).
 */
export function taskFunction<S extends z.ZodMiniType<{ action: string; conversationId?: string }>>(
  functionId: FunctionId,
  schema: S,
  run: (input: z.infer<S>) => Promise<unknown>,
) {
  return baseStack<unknown, unknown>(functionId, 'task', async (event, context) => {
    const input = validate(schema, event);
    if (input.conversationId) {
      meter.attribute(input.conversationId);
      logger.setCorrelationId(input.conversationId);
      logger.appendKeys({ conversationId: input.conversationId, action: input.action });
      if (context.kefu) context.kefu.conversationId = input.conversationId;
    }
    try {
      return await run(input);
    } catch (error) {
      logger.error('task failed', { error: error as Error });
      if (error instanceof DomainError) {
        const named = new Error(error.message);
        named.name = error.code;
        throw named;
      }
      throw error;
    }
  });
}

/** A function that serves both HTTP routes and workflow tasks (the capabilities): dispatch on the event's shape. */
export function httpOrTask(http: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>, task: (event: unknown, context: Context) => Promise<unknown>) {
  return (event: unknown, context: Context) => {
    const isHttp = typeof event === 'object' && event !== null && 'requestContext' in event && 'routeKey' in event;
    return isHttp ? http(event as APIGatewayProxyEventV2, context) : task(event, context);
  };
}

// ---------------------------------------------------------------- streams and websockets

export function rawFunction<E, R>(functionId: FunctionId, kind: 'stream' | 'websocket' | 'event', handler: (event: E, context: Context & { kefu?: ObservedState }) => Promise<R>) {
  return baseStack<E, R>(functionId, kind, handler);
}

export { logger, metrics, tracer };
