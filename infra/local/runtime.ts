/**
 * The whole platform on one machine: DynamoDB Local, the manifest's functions loaded in-process behind an HTTP +
 * WebSocket server that speaks API Gateway v2 events (with the same JWT checks), the synthesized workflows on
 * aws-local-stepfunctions, the messages stream feeding message intake, and a seeded demo company.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { COMMON_ENV, functionSpec, manifest, tableSpec, type FunctionId, type HttpRouteSpec, type TableId } from '../../shared/manifest/manifest.ts';
import { createTables, startDynamoDbLocal, streamArn, type DynamoDbLocal } from './dynamodb-local.ts';
import { createLocalIssuer, flattenClaims, type LocalIssuer } from './local-issuer.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, localFunctionArn, LocalStepFunctions, localWorkflowArn, renderWorkflows, SfnApiError } from './stepfunctions-local.ts';
import { LocalCostBatcher } from './cost-batcher.ts';
import { StreamPoller } from './stream-poller.ts';
import { escalationExecution } from '../../shared/application/message-processing.use-cases.ts';
import { serveStatic } from './static-files.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface LocalRuntimeOptions {
  readonly port?: number;
  /** Keep DynamoDB data, issuer keys and secrets here; in memory when absent (tests). */
  readonly dataDir?: string;
  readonly seed?: boolean;
  readonly acceptTimeoutSeconds?: number;
  readonly maxOffers?: number;
  readonly logLevel?: string;
  readonly onLog?: (line: string) => void;
  /** The console sign-in password of every local user (demo only; KEFU_LOCAL_PASSWORD, default "kefu"). */
  readonly localPassword?: string;
}

export interface LocalRuntime {
  readonly url: string;
  readonly webSocketUrl: string;
  readonly issuer: LocalIssuer;
  readonly stepFunctions: LocalStepFunctions;
  readonly dynamoDbEndpoint: string;
  readonly tables: Record<string, string>;
  readonly readyInMs: number;
  tokenFor(agentId: string): Promise<string>;
  /** The demo shop's order system (loopback) that the demo flows call. */
  readonly demoOrderServiceUrl: string;
  /** Sends the cost records collected so far to the cost ledger now (tests; it happens every 250 ms anyway). */
  flushCosts(): Promise<void>;
  stop(): Promise<void>;
}

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

function lambdaContext(functionId: FunctionId): Context {
  const spec = manifest.functions.find((f) => f.id === functionId)!;
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `kefu-local-${functionId}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(functionId),
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/kefu-local-${functionId}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The manifest's routes as API Gateway matches them: `{name}` is one path segment, and a literal segment wins over a
 * parameter (GET /v1/admin/knowledge/export is not the entry "export"). Compiled once, fewest parameters first.
 */
const compiledRoutes = manifest.routes
  .map((route) => {
    const names: string[] = [];
    const pattern = new RegExp(`^${route.path.replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    return { route, names, pattern };
  })
  .sort((a, b) => a.names.length - b.names.length);

function matchRoute(method: string, path: string): { route: HttpRouteSpec; params: Record<string, string> } | undefined {
  for (const { route, names, pattern } of compiledRoutes) {
    if (route.method !== method) continue;
    const m = pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // API Gateway's payload limit is 10 MB; beyond it the request never reaches the function.
    if (size > limit) throw Object.assign(new Error('payload too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function loadSecret(dataDir: string | undefined): string {
  if (process.env[COMMON_ENV.customerTokenSecret]) return process.env[COMMON_ENV.customerTokenSecret]!;
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'customer-token-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const started = performance.now();
  const log = options.onLog ?? (() => undefined);
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  // The slow parts in parallel: Java's DynamoDB Local and the in-process CDK synthesis.
  const [ddb, template] = await Promise.all([
    startDynamoDbLocal(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}),
    (async () => {
      const { synthesize } = await import('../synth.ts');
      // The deploy parameters that are written into the definitions at synth time.
      const context = { acceptTimeoutSeconds: options.acceptTimeoutSeconds ?? 120, maxOffers: options.maxOffers ?? 3 };
      const synthesized = await synthesize({ bundling: false, context });
      rmSync(synthesized.assembly.directory, { recursive: true, force: true });
      return synthesized.statelessTemplate;
    })(),
  ]);
  const tables = await createTables(ddb.client);

  const server: Server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 3000, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 3000;
  const url = `http://localhost:${port}`;
  const issuer = await createLocalIssuer({ issuer: `${url}/local-issuer`, ...(dataDir ? { keyFile: join(dataDir, 'issuer-keys.json') } : {}) });

  // The demo shop's order system on loopback, which the demo flows reach through the HTTP connector (a company points
  // KEFU_FLOW_CONNECTORS at its own systems instead).
  const { startDemoOrderService } = await import('./demo-order-service.ts');
  const orders = await startDemoOrderService({ port: 0 });

  // The functions' environment: the same names the CDK app sets, pointing at the local stand-ins.
  Object.assign(process.env, {
    KEFU_FLOW_CONNECTORS: process.env.KEFU_FLOW_CONNECTORS ?? JSON.stringify({ shop: { baseUrl: orders.url, timeoutMs: 3000 } }),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    [COMMON_ENV.stage]: 'local',
    [COMMON_ENV.dynamoDbEndpoint]: ddb.endpoint,
    [COMMON_ENV.stepFunctionsEndpoint]: `${url}/_local/stepfunctions`,
    [COMMON_ENV.webSocketEndpoint]: `${url}/_local/websocket`,
    [COMMON_ENV.customerTokenSecret]: loadSecret(dataDir),
    [COMMON_ENV.jwtIssuer]: issuer.issuer,
    [COMMON_ENV.jwtAudience]: issuer.audience,
    [COMMON_ENV.maxOffers]: String(options.maxOffers ?? 3),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.KEFU_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_DEV: 'false',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    // One process serves every function locally: a publish shows in answers within a second.
    KNOWLEDGE_REVISION_CHECK_MS: process.env.KNOWLEDGE_REVISION_CHECK_MS ?? '1000',
    // Raw inbound e-mail and attachments (S3 in AWS).
    KEFU_OBJECT_STORE_DIR: process.env.KEFU_OBJECT_STORE_DIR ?? (dataDir ? join(dataDir, 'objects') : mkdtempSync(join(tmpdir(), 'kefu-objects-'))),
  });
  for (const spec of manifest.tables) process.env[spec.envVar] = tables[spec.id];
  for (const workflow of manifest.workflows) process.env[workflow.envVar] = localWorkflowArn(workflow.id);
  // A second start in one process (tests) must not keep clients pointed at the first one's endpoints.
  (await import('../../shared/adapters/dynamodb/document-client.ts')).resetDynamoDocumentClient();
  (await import('../../shared/adapters/stepfunctions/client.ts')).resetStepFunctionsClient();
  (await import('../../shared/adapters/wiring/once.ts')).resetWiring();

  const handlers = new Map<FunctionId, LambdaHandler>();
  for (const spec of manifest.functions) {
    const mod = (await import(pathToFileURL(join(ROOT, spec.entry)).href)) as { handler: LambdaHandler };
    handlers.set(spec.id, mod.handler);
  }
  const invoke = async (functionId: FunctionId, event: unknown) => handlers.get(functionId)!(event, lambdaContext(functionId));

  // Every function's cost records → the cost ledger, as the CloudWatch Logs subscription does in AWS.
  const { setCostSink } = await import('../../shared/observability/cost-meter.ts');
  const costs = new LocalCostBatcher((event) => invoke('cost-ledger', event), (error) => log(`cost ledger: ${(error as Error).message}`)).start();
  setCostSink(costs);

  // An ended Standard execution → the workflow meter, as EventBridge's Step Functions status change does in AWS.
  const stepFunctions = new LocalStepFunctions(renderWorkflows(template as never), invoke, (change) => {
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: new Date(change.stopDate).toISOString(),
      region: 'us-east-1',
      resources: [change.executionArn],
      detail: { executionArn: change.executionArn, stateMachineArn: change.stateMachineArn, name: change.name, status: change.status, startDate: change.startDate, stopDate: change.stopDate, input: change.input },
    };
    void invoke('workflow-meter', event).catch((error: Error) => log(`workflow meter: ${error.message}`));
  });

  // The messages stream → message intake, as the CDK event source mapping does.
  const consumers: StreamPoller[] = [];
  const consumerTables: TableId[] = [];
  for (const spec of manifest.functions) {
    if (!spec.streamSource) continue;
    const arn = await streamArn(ddb.client, tables[spec.streamSource.table]!);
    if (!arn) throw new Error(`table ${spec.streamSource.table} has no stream`);
    const functionId = spec.id;
    const poller = new StreamPoller({
      endpoint: ddb.endpoint,
      streamArn: arn,
      source: spec.streamSource,
      consume: (event) => invoke(functionId, event) as never,
      ...(dataDir ? { checkpointFile: join(dataDir, `stream-${tableSpec(spec.streamSource.table).id}.checkpoint.json`), failureFile: join(dataDir, 'on-failure.jsonl') } : {}),
      onError: (error) => log(`stream ${spec.streamSource!.table}: ${(error as Error).message}`),
    });
    poller.start();
    consumers.push(poller);
    consumerTables.push(spec.streamSource.table);
  }

  // WebSocket API: connections by id, fed to the realtime function; @connections served for the functions.
  const sockets = new Map<string, WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  const wsEvent = (routeKey: string, connectionId: string, extra: Record<string, unknown> = {}) => ({
    requestContext: { routeKey, connectionId, eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE', apiId: 'local', stage: 'local', domainName: `localhost:${port}`, requestId: randomUUID(), connectedAt: Date.now(), requestTimeEpoch: Date.now(), messageDirection: 'IN', extendedRequestId: randomUUID() },
    isBase64Encoded: false,
    ...extra,
  });
  const wsFunction = (routeKey: string) => manifest.webSocketRoutes.find((r) => r.routeKey === routeKey)!.functionId;
  server.on('upgrade', (req, socket, head) => {
    const requestUrl = new URL(req.url ?? '/', url);
    if (requestUrl.pathname !== '/ws') {
      socket.destroy();
      return;
    }
    const connectionId = randomUUID().replace(/-/g, '').slice(0, 16);
    const query = Object.fromEntries(requestUrl.searchParams);
    void (async () => {
      const result = (await invoke(wsFunction('$connect'), wsEvent('$connect', connectionId, { queryStringParameters: query, headers: req.headers }))) as { statusCode?: number };
      if ((result?.statusCode ?? 500) !== 200) {
        socket.write(`HTTP/1.1 ${result?.statusCode ?? 500} Unauthorized\r\nConnection: close\r\n\r\n`);
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.set(connectionId, ws);
        ws.on('message', (data) => {
          void invoke(wsFunction('$default'), wsEvent('$default', connectionId, { body: data.toString() })).then((r) => {
            const body = (r as { body?: string })?.body;
            if (body && ws.readyState === ws.OPEN) ws.send(body);
          });
        });
        ws.on('close', () => {
          sockets.delete(connectionId);
          void invoke(wsFunction('$disconnect'), wsEvent('$disconnect', connectionId));
        });
      });
    })().catch((error: Error) => {
      log(`websocket connect failed: ${error.message}`);
      socket.destroy();
    });
  });

  server.on('request', (req, res) => {
    void handle(req, res).catch((error: Error & { status?: number }) => {
      if (!res.headersSent) send(res, error.status ?? 500, { message: error.status === 413 ? 'Request Entity Too Large' : 'Internal Server Error' });
      if (!error.status) log(`request failed: ${error.stack ?? error.message}`);
    });
  });

  /** A console token for a directory user, with the roles the seed gives (Cognito groups in AWS); agents otherwise. */
  async function tokenFor(agentId: string): Promise<string> {
    const { agentDirectory } = await import('../../shared/adapters/wiring/storage.ts');
    const agent = await agentDirectory().get(agentId);
    if (!agent) throw new Error(`no agent ${agentId}`);
    const { SEED_ROLES } = await import('./seed.ts');
    return issuer.issue({ sub: agent.id, groups: SEED_ROLES[agent.id] ?? ['agent'], email: agent.email, name: agent.name });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', url);
    const path = requestUrl.pathname;
    const method = req.method ?? 'GET';

    if (path === '/local-issuer/.well-known/jwks.json') return send(res, 200, issuer.jwks);
    if (path === '/local-issuer/.well-known/openid-configuration') return send(res, 200, { issuer: issuer.issuer, jwks_uri: `${issuer.issuer}/.well-known/jwks.json` });

    // Console sign-in, locally: the issuer stands in for Cognito; every directory user signs in with the local password.
    if (path === '/local-issuer/sign-in' && method === 'POST') {
      let body: { username?: unknown; password?: unknown } = {};
      try {
        body = JSON.parse((await readBody(req, 4096)).toString('utf8') || '{}') as typeof body;
      } catch {
        return send(res, 400, { error: { code: 'REQUEST.MALFORMED_JSON', message: 'the body is not JSON' } });
      }
      const username = typeof body.username === 'string' ? body.username.trim() : '';
      const password = options.localPassword ?? process.env.KEFU_LOCAL_PASSWORD ?? 'kefu';
      if (!username || body.password !== password) return send(res, 401, { error: { code: 'AUTH.UNAUTHENTICATED', message: 'wrong user name or password' } });
      try {
        const token = await tokenFor(username);
        const claims = (await issuer.verify(token))!;
        return send(res, 200, { token, user: { id: claims.sub, name: claims.name, email: claims.email, roles: claims['cognito:groups'] } });
      } catch {
        return send(res, 401, { error: { code: 'AUTH.UNAUTHENTICATED', message: 'wrong user name or password' } });
      }
    }
    // What the console needs to know about where it runs (in AWS the same file is deployed next to the app).
    if (path === '/console/config.json') {
      // Public, and read by the widget from the company's own sites: any origin may read it.
      return send(res, 200, { stage: 'local', apiBase: '', webSocketUrl: `ws://${req.headers.host ?? `localhost:${port}`}/ws`, auth: { kind: 'local', signInUrl: '/local-issuer/sign-in' } }, { 'access-control-allow-origin': '*' });
    }

    if ((path === '/_local/stepfunctions' || path === '/_local/stepfunctions/') && method === 'POST') {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^AWSStepFunctions\./, '');
      const body = JSON.parse((await readBody(req, 1 << 20)).toString('utf8') || '{}') as Record<string, unknown>;
      try {
        return send(res, 200, await stepFunctions.call(operation, body), { 'content-type': 'application/x-amz-json-1.0' });
      } catch (error) {
        const e = error as SfnApiError;
        return send(res, 400, { __type: e instanceof SfnApiError ? e.type : 'InternalFailure', message: e.message }, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': e instanceof SfnApiError ? e.type : 'InternalFailure' });
      }
    }

    const connection = /^\/_local\/websocket\/@connections\/([^/]+)$/.exec(path);
    if (connection) {
      const ws = sockets.get(decodeURIComponent(connection[1]!));
      if (!ws || ws.readyState !== ws.OPEN) return send(res, 410, { message: 'Gone' }, { 'x-amzn-errortype': 'GoneException' });
      if (method === 'POST') {
        ws.send((await readBody(req, 128 * 1024)).toString('utf8'));
        res.writeHead(200).end();
        return;
      }
      if (method === 'DELETE') {
        ws.close();
        res.writeHead(204).end();
        return;
      }
      return send(res, 200, { connectedAt: new Date().toISOString() });
    }

    // SNS's stand-in: a POST to /_local/sns/<topic> publishes its body to the topic, which invokes its subscribed
    // functions as SNS invokes Lambda (asynchronously in AWS; here the answer waits, so that a caller can see it).
    const topic = /^\/_local\/sns\/([a-z-]+)$/.exec(path);
    if (topic && method === 'POST') {
      const subscribers = manifest.functions.filter((f) => f.snsTopic === topic[1]);
      if (subscribers.length === 0) return send(res, 404, { message: `no topic ${topic[1]}` });
      const message = (await readBody(req, 256 * 1024)).toString('utf8');
      const messageId = randomUUID();
      const results = [];
      for (const spec of subscribers) {
        const event = {
          Records: [
            {
              EventSource: 'aws:sns',
              EventVersion: '1.0',
              EventSubscriptionArn: `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${topic[1]}:${messageId}`,
              Sns: { Type: 'Notification', MessageId: messageId, TopicArn: `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${topic[1]}`, Subject: null, Message: message, Timestamp: new Date().toISOString(), MessageAttributes: {} },
            },
          ],
        };
        try {
          results.push({ functionId: spec.id, result: await invoke(spec.id, event) });
        } catch (error) {
          results.push({ functionId: spec.id, error: (error as Error).message });
        }
        const writes = spec.tables;
        consumers.forEach((poller, i) => {
          const access = writes[consumerTables[i]!];
          if (access === 'write' || access === 'readwrite') poller.poke();
        });
      }
      return send(res, results.some((r) => 'error' in r) ? 500 : 200, { messageId, results });
    }

    // SES's stand-in: a POST to /_local/ses/inbound with a raw message (RFC 5322) does what the receipt rule does: the
    // S3 action stores it in the object store, the Lambda action invokes the e-mail function with SES's event.
    // Query: to (the recipient, default the stage's address), and spam / virus / spf / dkim / dmarc verdicts (PASS).
    if (path === '/_local/ses/inbound' && method === 'POST') {
      const raw = await readBody(req, 40 * 1024 * 1024);
      const sesMessageId = randomUUID().replace(/-/g, '');
      const { objectStore, INBOUND_MAIL_PREFIX } = await import('../../shared/adapters/wiring/objects.ts');
      await objectStore().put(`${INBOUND_MAIL_PREFIX}${sesMessageId}`, raw, 'message/rfc822');
      const q = requestUrl.searchParams;
      const to = q.get('to') ?? process.env.KEFU_EMAIL_FROM_ADDRESS ?? 'support@kefu.local';
      const verdict = (name: string) => ({ status: q.get(name) ?? 'PASS' });
      const at = new Date().toISOString();
      const event = {
        Records: [
          {
            eventSource: 'aws:ses',
            eventVersion: '1.0',
            ses: {
              mail: { timestamp: at, source: q.get('from') ?? 'sender@example.com', messageId: sesMessageId, destination: [to], headersTruncated: false, headers: [], commonHeaders: {} },
              receipt: {
                timestamp: at,
                processingTimeMillis: 1,
                recipients: [to],
                spamVerdict: verdict('spam'),
                virusVerdict: verdict('virus'),
                spfVerdict: verdict('spf'),
                dkimVerdict: verdict('dkim'),
                dmarcVerdict: verdict('dmarc'),
                action: { type: 'Lambda', functionArn: localFunctionArn('email'), invocationType: 'Event' },
              },
            },
          },
        ],
      };
      try {
        const result = await invoke('email', event);
        consumers.forEach((poller, i) => {
          const access = functionSpec('email').tables[consumerTables[i]!];
          if (access === 'write' || access === 'readwrite') poller.poke();
        });
        return send(res, 200, { sesMessageId, result });
      } catch (error) {
        return send(res, 500, { sesMessageId, error: (error as Error).message });
      }
    }

    // CORS preflight, as the HTTP API's corsPreflight answers it: the widget runs on the company's own sites.
    if (method === 'OPTIONS' && path.startsWith('/v1/')) {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
        'access-control-allow-headers': 'authorization,content-type,idempotency-key',
        'access-control-max-age': '3600',
      });
      res.end();
      return;
    }

    if (!path.startsWith('/v1/')) {
      if (serveStatic(req, res, path)) return;
      return send(res, 404, { message: 'Not Found' });
    }

    const matched = matchRoute(method, path);
    if (!matched) return send(res, 404, { message: 'Not Found' });
    const body = await readBody(req, 10 * 1024 * 1024);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]));
    let authorizer: Record<string, unknown> = {};
    if (matched.route.auth.kind === 'jwt') {
      // API Gateway's JWT authorizer: no valid token, no function call.
      const raw = headers.authorization?.replace(/^Bearer\s+/i, '');
      const claims = raw ? await issuer.verify(raw) : undefined;
      if (!claims) return send(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      authorizer = { authorizer: { jwt: { claims: flattenClaims(claims), scopes: null } } };
    }
    const now = new Date();
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: `${matched.route.method} ${matched.route.path}`,
      rawPath: path,
      rawQueryString: requestUrl.search.replace(/^\?/, ''),
      headers,
      ...(requestUrl.searchParams.size ? { queryStringParameters: Object.fromEntries(requestUrl.searchParams) } : {}),
      ...(Object.keys(matched.params).length ? { pathParameters: matched.params } : {}),
      ...(body.length ? { body: body.toString('utf8') } : {}),
      isBase64Encoded: false,
      requestContext: {
        accountId: LOCAL_ACCOUNT,
        apiId: 'local',
        domainName: `localhost:${port}`,
        domainPrefix: 'localhost',
        http: { method, path, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey: `${matched.route.method} ${matched.route.path}`,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...authorizer,
      },
    };
    const result = (await invoke(matched.route.functionId, event)) as { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean };
    res.writeHead(result.statusCode, { 'access-control-allow-origin': '*', ...(result.headers ?? {}) });
    // As API Gateway does: a base64-encoded body (a file) goes out as its bytes.
    res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
    // Only the streams of tables this function may write can have new records: poking the others costs every request
    // a few GetRecords calls on the one DynamoDB Local (they read at their idle poll anyway).
    if (method !== 'GET') {
      const writes = functionSpec(matched.route.functionId).tables;
      consumers.forEach((poller, i) => {
        const access = writes[consumerTables[i]!];
        if (access === 'write' || access === 'readwrite') poller.poke();
      });
    }
  }

  if (options.seed !== false) {
    const { seedDemoCompany } = await import('./seed.ts');
    await seedDemoCompany();
  }

  // Conversations that were waiting for an agent when the runtime last stopped resume their escalation.
  const { conversationStore, routingStore } = await import('../../shared/adapters/wiring/storage.ts');
  const groups = new Set(['default', ...(await routingStore().listGroups()).map((g) => g.id)]);
  const waiting = (await Promise.all([...groups].map((g) => conversationStore().listQueue(500, g)))).flat();
  for (const conversation of waiting) {
    try {
      // The executions that held an offer or a wait token stopped with the runtime: free the seat, drop the token.
      if (conversation.offeredAgentId) await routingStore().releaseOffer(conversation.id, conversation.offeredAgentId, 'expired', new Date().toISOString());
      if (conversation.waitToken) await routingStore().takeWaitToken(conversation.id, conversation.waitToken);
      const { name, input } = escalationExecution(conversation, { maxOffers: options.maxOffers ?? 3 });
      stepFunctions.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name, input: JSON.stringify(input) });
    } catch (error) {
      log(`could not resume escalation of ${conversation.id}: ${(error as Error).message}`);
    }
  }

  // SLA timers (Standard executions in AWS, durable there) stopped with the runtime: start them again for every ticket
  // whose clocks run (statuses new and open; paused and finished clocks have no timer). An index query, not a scan.
  const { ticketStore } = await import('../../shared/adapters/wiring/storage.ts');
  const { slaTimerFor } = await import('../../shared/application/sla.use-cases.ts');
  for (const status of ['new', 'open'] as const) {
    let cursor: string | undefined;
    do {
      const page = await ticketStore().search({ by: 'status', status }, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const ticket of page.items) {
        const timer = slaTimerFor(ticket, new Date());
        if (!timer) continue;
        try {
          stepFunctions.startExecution({ stateMachineArn: localWorkflowArn('sla-timer'), name: timer.name, input: JSON.stringify(timer.input) });
        } catch (error) {
          log(`could not resume the SLA timer of ${ticket.id}: ${(error as Error).message}`);
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  const readyInMs = Math.round(performance.now() - started);
  if (dataDir) writeFileSync(join(dataDir, 'runtime.json'), JSON.stringify({ url, issuer: issuer.issuer, pid: process.pid, startedAt: new Date().toISOString() }));

  return {
    url,
    webSocketUrl: `ws://localhost:${port}/ws`,
    issuer,
    stepFunctions,
    dynamoDbEndpoint: ddb.endpoint,
    demoOrderServiceUrl: orders.url,
    tables,
    readyInMs,
    tokenFor,
    flushCosts: () => costs.flush(),
    stop: async () => {
      await costs.stop();
      setCostSink(undefined);
      for (const poller of consumers) await poller.stop();
      await stepFunctions.stop();
      for (const ws of sockets.values()) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await orders.close();
      await (ddb as DynamoDbLocal).stop();
    },
  };
}
