import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../infra/constructs/paths.ts';
import { renderSynthParameters } from '../../infra/stacks/stateless-stack.ts';
import { FUNCTION_TAG, synthesize, taggedResources, WORKFLOW_TAG, type CfnTemplate, type TemplateResource } from '../../infra/synth.ts';
import {
  channelSecretArnEnv,
  COMMON_ENV,
  functionArnVariable,
  manifest,
  tableSpec,
  workflowArnVariable,
  workflowSpec,
  type FunctionId,
  type TableId,
} from '../../shared/manifest/manifest.ts';

type Json = Record<string, unknown>;

const outdirs: string[] = [];
function synthStage(stage: 'dev' | 'prod', context: Json = {}): CfnTemplate {
  const outdir = mkdtempSync(join(tmpdir(), `kefu-stateless-${stage}-`));
  outdirs.push(outdir);
  return synthesize({ stage, bundling: false, outdir, context }).statelessTemplate;
}

let json: CfnTemplate;
let template: Template;
let functions: Record<string, TemplateResource>;
let workflows: Record<string, TemplateResource>;
let prodJson: CfnTemplate;

beforeAll(() => {
  json = synthStage('dev');
  template = Template.fromJSON(json);
  functions = taggedResources(json, 'AWS::Lambda::Function', FUNCTION_TAG);
  workflows = taggedResources(json, 'AWS::StepFunctions::StateMachine', WORKFLOW_TAG);
  prodJson = synthStage('prod', { alarmEmail: 'ops@example.com', emailAddress: 'support@help.example.com' });
});

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

/** Logical id of the Lambda function an API Gateway v2 integration calls. */
function integrationFunctionLogicalId(integrationLogicalId: string): string {
  const uri = JSON.stringify(json.Resources[integrationLogicalId]?.Properties?.['IntegrationUri']);
  const match = /"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/.exec(uri);
  if (!match?.[1]) throw new Error(`integration ${integrationLogicalId} calls no function`);
  return match[1];
}

function routeTargetFunctionId(route: Json): FunctionId {
  const target = JSON.stringify(route['Target']);
  const integration = /"Ref":"([A-Za-z0-9]+)"/.exec(target)?.[1];
  if (!integration) throw new Error(`route ${String(route['RouteKey'])} has no integration`);
  const fnLogicalId = integrationFunctionLogicalId(integration);
  const entry = Object.entries(functions).find(([, fn]) => fn.logicalId === fnLogicalId);
  if (!entry) throw new Error(`route ${String(route['RouteKey'])} calls an untagged function`);
  return entry[0] as FunctionId;
}

function routesByKey(apiLogicalIdPrefix: string): Map<string, Json> {
  const routes = new Map<string, Json>();
  for (const resource of Object.values(template.findResources('AWS::ApiGatewayV2::Route'))) {
    const properties = resource['Properties'] as Json;
    if (JSON.stringify(properties['ApiId']).includes(apiLogicalIdPrefix)) routes.set(properties['RouteKey'] as string, properties);
  }
  return routes;
}

describe('functions', () => {
  it.each(manifest.functions.map((spec) => [spec.id, spec] as const))('gives %s the Parameters and Secrets extension only when it reads a secret', (id, spec) => {
    // Act
    const properties = functions[id]!.properties;
    const variables = (properties['Environment'] as { Variables: Json }).Variables;
    const readsSecret = spec.usesCustomerTokenSecret === true || spec.usesConnectorsSecret === true || (spec.channelSecrets ?? []).length > 0;

    // Assess
    expect(Array.isArray(properties['Layers']) && (properties['Layers'] as unknown[]).length === 1).toBe(readsSecret);
    expect(variables['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'] !== undefined).toBe(readsSecret);
    expect(variables[COMMON_ENV.connectorsSecretArn] !== undefined).toBe(spec.usesConnectorsSecret === true);
    // Each channel secret it reads, and no other.
    const channelVariables = Object.keys(variables).filter((name) => name.startsWith('KEFU_CHANNEL_SECRET_ARN_'));
    expect(channelVariables.sort()).toEqual((spec.channelSecrets ?? []).map((channel) => channelSecretArnEnv(channel)).sort());
  });

  it('creates one tagged function per manifest function', () => {
    // Assess
    expect(Object.keys(functions).sort()).toEqual(manifest.functions.map((f) => f.id).sort());
  });

  it.each(manifest.functions.map((spec) => [spec.id, spec] as const))('runs %s on arm64 nodejs24.x with its memory, timeout and tracing', (id, spec) => {
    // Act
    const properties = functions[id]!.properties;

    // Assess
    expect(properties).toMatchObject({
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutSeconds,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
    });
  });

  it.each(manifest.functions.map((spec) => [spec.id, spec] as const))('passes %s its tables and the common environment', (id, spec) => {
    // Act
    const variables = (functions[id]!.properties['Environment'] as { Variables: Json }).Variables;

    // Assess
    for (const tableId of Object.keys(spec.tables) as TableId[]) {
      expect(variables[tableSpec(tableId).envVar], `${id} ${tableId}`).toBeDefined();
    }
    expect(variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      [COMMON_ENV.stage]: 'dev',
      [COMMON_ENV.serviceName]: `kefu-${id}`,
      [COMMON_ENV.metricsNamespace]: 'Kefu',
      [COMMON_ENV.maxOffers]: '3',
      [COMMON_ENV.jwtIssuer]: expect.anything(),
      [COMMON_ENV.jwtAudience]: expect.anything(),
    });
    expect(variables[COMMON_ENV.customerTokenSecretArn] !== undefined).toBe(spec.usesCustomerTokenSecret === true);
    expect(variables[COMMON_ENV.webSocketEndpoint] !== undefined).toBe(spec.pushesLiveUpdates === true);
    for (const workflowId of spec.startsWorkflows ?? []) expect(variables[workflowSpec(workflowId).envVar]).toEqual({ Ref: workflows[workflowId]!.logicalId });
  });

  it('gives the WebSocket endpoint as the https URL of the stage', () => {
    // Act
    const variables = (functions['routing']!.properties['Environment'] as { Variables: Json }).Variables;

    // Assess
    expect(JSON.stringify(variables[COMMON_ENV.webSocketEndpoint])).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",.*"\/dev"\]\]\}$/);
  });

  it('attaches no AWS managed policy to any role', () => {
    // Act
    const roles = Object.values(template.findResources('AWS::IAM::Role'));

    // Assess
    for (const role of roles) expect((role['Properties'] as Json)['ManagedPolicyArns']).toBeUndefined();
  });

  it('grants every index a reading function needs by name, never index/*', () => {
    // Act
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));

    // Assess
    expect(policies).not.toContain('/index/*');
    expect(policies).toContain('/index/byQueue');
  });

  it('lets only live-update functions manage WebSocket connections', () => {
    // Act
    const managers = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, policy]) => JSON.stringify(policy).includes('execute-api:ManageConnections'))
      .map(([logicalId]) => logicalId);

    // Assess
    const expected = manifest.functions.filter((f) => f.pushesLiveUpdates).map((f) => f.id);
    expect(managers).toHaveLength(expected.length);
  });
});

describe('HTTP API', () => {
  it('throttles both APIs at the stage so that a flood costs nothing and changes nothing', () => {
    // Assess: the dev defaults (50 requests/s, bursts of 100).
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'dev', DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } });
  });

  it('exposes every manifest route on the function the manifest names', () => {
    // Act
    const routes = routesByKey('HttpApi');

    // Assess
    expect(routes.size).toBe(manifest.routes.length);
    for (const route of manifest.routes) {
      const resource = routes.get(`${route.method} ${route.path}`);
      expect(resource, `${route.method} ${route.path}`).toBeDefined();
      expect(routeTargetFunctionId(resource!)).toBe(route.functionId);
    }
  });

  it('puts the JWT authorizer on jwt routes and none on public and customer routes', () => {
    // Act
    const routes = routesByKey('HttpApi');

    // Assess
    for (const route of manifest.routes) {
      const resource = routes.get(`${route.method} ${route.path}`)!;
      if (route.auth.kind === 'jwt') {
        expect(resource).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.stringMatching(/^HttpApiConsoleJwtAuthorizer/) } });
      } else {
        expect(resource['AuthorizationType'] ?? 'NONE').toBe('NONE');
        expect(resource['AuthorizerId']).toBeUndefined();
      }
    }
  });

  it('validates console JWTs against the Cognito issuer and the console client', () => {
    // Assess: the audience is the managed-login client of this stack (test/infra/console-sign-in.test.ts).
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', Match.arrayWith(['https://cognito-idp.', { 'Fn::ImportValue': Match.stringLikeRegexp('UserPool') }])] },
        Audience: [{ Ref: Match.stringLikeRegexp('^ConsoleSignInClient') }],
      },
    });
  });

  it('writes JSON access logs on the default stage', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('\\$context.requestId') },
    });
  });
});

describe('WebSocket API', () => {
  it('routes $connect, $disconnect and $default to the manifest function', () => {
    // Act
    const routes = routesByKey('WebSocketApi');

    // Assess
    expect([...routes.keys()].sort()).toEqual(manifest.webSocketRoutes.map((r) => r.routeKey).sort());
    for (const { routeKey, functionId } of manifest.webSocketRoutes) expect(routeTargetFunctionId(routes.get(routeKey)!)).toBe(functionId);
  });
});

describe('workflows', () => {
  it.each(manifest.workflows.map((spec) => [spec.id, spec] as const))('creates the %s state machine with its manifest type', (id, spec) => {
    // Assess
    expect(workflows[id]?.properties).toMatchObject({ StateMachineType: spec.type, TracingConfiguration: { Enabled: true } });
  });

  it.each(manifest.workflows.map((spec) => [spec.id, spec] as const))('substitutes every ${...} of the %s definition', (id, spec) => {
    // Prepare
    const asl = renderSynthParameters(readFileSync(join(REPOSITORY_ROOT, spec.definition), 'utf8'), { acceptTimeoutSeconds: 120 });
    const placeholders = [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]!))];

    // Act
    const properties = workflows[id]!.properties;

    // Assess
    expect(properties['DefinitionString']).toBe(asl);
    expect(Object.keys(properties['DefinitionSubstitutions'] as Json).sort()).toEqual(placeholders.sort());
  });

  it('writes the accept timeout into the escalation definition as a number', () => {
    // Act
    const definition = JSON.parse(workflows['escalation']!.properties['DefinitionString'] as string) as { States: Record<string, Json> };

    // Assess
    expect(definition.States['WaitForAccept']?.['TimeoutSeconds']).toBe(120);
    expect(definition.States['WaitForSeat']?.['TimeoutSeconds']).toBe(60);
  });

  it.each(manifest.workflows.map((spec) => [spec.id, spec] as const))('points the %s substitutions at the manifest functions and workflows', (id, spec) => {
    // Act
    const substitutions = workflows[id]!.properties['DefinitionSubstitutions'] as Json;

    // Assess
    for (const fnId of spec.invokes) expect(substitutions[functionArnVariable(fnId)]).toEqual({ 'Fn::GetAtt': [functions[fnId]!.logicalId, 'Arn'] });
    for (const wfId of spec.starts ?? []) expect(substitutions[workflowArnVariable(wfId)]).toEqual({ Ref: workflows[wfId]!.logicalId });
  });

  it('logs every workflow event without execution data', () => {
    // Act
    const configurations = Object.values(workflows).map((w) => w.properties['LoggingConfiguration']);

    // Assess
    for (const configuration of configurations) expect(configuration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  it('lets the message workflow start the escalation workflow', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'states:StartExecution', Resource: { Ref: workflows['escalation']!.logicalId } })]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^MessageWorkflowRole') }],
    });
  });

  it('lets the agent console complete escalation task tokens', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'],
            Resource: { Ref: workflows['escalation']!.logicalId },
          }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^AgentConsoleFunctionRole') }],
    });
  });
});

describe('stream consumer', () => {
  const streamFunctions = manifest.functions.filter((f) => f.streamSource);

  it.each(streamFunctions.map((spec) => [spec.id, spec] as const))('feeds %s the filtered stream with retries and a dead-letter queue', (id, spec) => {
    // Prepare
    const source = spec.streamSource!;
    const newImage = Object.fromEntries(Object.entries(source.newImageEquals).map(([k, v]) => [k, { S: [v] }]));

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functions[id]!.logicalId },
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp(`${source.table.replace(/^./, (c) => c.toUpperCase())}Table.*StreamArn`) },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: source.batchSize,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: source.retryAttempts,
      ParallelizationFactor: source.parallelization,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // A source without attribute conditions (every change of the table) filters on the event name only.
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: source.eventNames, ...(Object.keys(newImage).length ? { dynamodb: { NewImage: newImage } } : {}) }) }] },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('StreamFailures'), 'Arn'] } } },
    });
  });

  it('encrypts the dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
  });
});

describe('console hosting', () => {
  it('serves the console (built for /console/) through CloudFront with origin access control and logging', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        DefaultRootObject: 'console/index.html',
        CustomErrorResponses: Match.arrayWith([Match.objectLike({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/console/index.html' })]),
        DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' },
        Origins: [Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [Match.anyValue(), 'Id'] } })],
        Logging: { Prefix: 'console-distribution/' },
      },
    });
  });

  it('deploys the console build and its deployed configuration under console/ in the console bucket', () => {
    // Assess
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment')).map((r) => r['Properties'] as Json);
    expect(deployment!['DestinationBucketKeyPrefix']).toBe('console/');
    // Two sources: the build and config.json (API URL, WebSocket URL, Cognito pool and client, filled in at deploy).
    expect((deployment!['SourceObjectKeys'] as unknown[]).length).toBe(2);
    expect(JSON.stringify(deployment!['SourceMarkers'])).toMatch(/UserPool|WebSocket|HttpApi/);
  });
});

describe('alarms', () => {
  it('alarms on every function error, the dead-letter queue, every failed workflow and HTTP 5xx', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm['Properties'] as Json);
    const count = (metric: string): number => alarms.filter((a) => a['MetricName'] === metric).length;

    // Assess
    expect(count('Errors')).toBe(manifest.functions.length);
    expect(count('ApproximateNumberOfMessagesVisible')).toBe(manifest.functions.filter((f) => f.streamSource || f.snsTopic || f.receivesEmail).length);
    expect(count('ExecutionsFailed')).toBe(manifest.workflows.length);
    expect(count('5xx')).toBe(1);
  });

  it('notifies an encrypted topic from every alarm', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm['Properties'] as Json);

    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] } });
    for (const alarm of alarms) expect(alarm['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
  });

  it('subscribes no e-mail unless alarmEmail is given', () => {
    // Act
    const protocols = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => (s['Properties'] as Json)['Protocol']);
    // Assess: only the inbound topics' functions are subscribed.
    expect(protocols).toEqual(manifest.functions.filter((f) => f.snsTopic).map(() => 'lambda'));
  });

  it('creates and grants only the channel secrets of the channels deployed (-c channels)', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'kefu-channels-'));
    try {
      const result = synthesize({ stage: 'dev', bundling: false, outdir, context: { channels: 'telegram' } });
      // Assess: one channel secret, and the outbox reads only it.
      const secrets = Object.values(result.statefulTemplate.Resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret' && JSON.stringify(r.Properties).includes('/channels/'));
      expect(secrets.map((r) => (r.Properties as Json)['Name'])).toEqual(['kefu/dev/channels/telegram']);
      const outbox = Object.values(result.statelessTemplate.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties).includes('channel-outbox'));
      const variables = Object.keys(((outbox!.Properties as Json)['Environment'] as { Variables: Json }).Variables).filter((v) => v.startsWith('KEFU_CHANNEL_SECRET_ARN_'));
      expect(variables).toEqual(['KEFU_CHANNEL_SECRET_ARN_TELEGRAM']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('lets only AWS End User Messaging of this account publish inbound SMS, to a topic with its own key, and dead-letters failures', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'sms-voice.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })]),
      }),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SmsInboundTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', RedrivePolicy: { deadLetterTargetArn: Match.anyValue() } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: Match.anyValue() } } });
  });

  it('receives mail for the configured address: TLS, scanning, raw mail to S3 then the e-mail function; sends only from that domain', () => {
    // Prepare
    const prod = Template.fromJSON(prodJson);
    // Assess
    prod.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Recipients: ['help.example.com'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [Match.objectLike({ S3Action: Match.objectLike({ ObjectKeyPrefix: 'email/inbound/' }) }), Match.objectLike({ LambdaAction: Match.objectLike({ InvocationType: 'Event' }) })],
      }),
    });
    const sendsFrom = JSON.stringify(prod.findResources('AWS::IAM::Policy'));
    expect(sendsFrom).toContain(':identity/help.example.com');
    template.resourceCountIs('AWS::SES::ReceiptRule', 0);
  });

  it('subscribes alarmEmail to the alarm topic', () => {
    // Assess
    Template.fromJSON(prodJson).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});

describe('removal', () => {
  it('retains log groups in prod and deletes them in dev', () => {
    // Act
    const policies = (t: CfnTemplate): string[] =>
      Object.values(t.Resources)
        .filter((r) => r.Type === 'AWS::Logs::LogGroup')
        .map((r) => r['DeletionPolicy'] as string);

    // Assess
    expect(new Set(policies(prodJson))).toEqual(new Set(['Retain']));
    expect(new Set(policies(json))).toEqual(new Set(['Delete']));
  });
});

/** Resources each resource waits for: Ref, Fn::GetAtt, Fn::Sub references and DependsOn. */
function dependencyGraph(t: CfnTemplate): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const collect = (node: unknown, into: Set<string>): void => {
    if (Array.isArray(node)) for (const item of node) collect(item, into);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && typeof value === 'string') into.add(value);
        else if (key === 'Fn::GetAtt') into.add(Array.isArray(value) ? String(value[0]) : String(value).split('.')[0]!);
        else if (key === 'Fn::Sub') {
          const text = typeof value === 'string' ? value : String((value as unknown[])[0]);
          for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)/g)) into.add(match[1]!);
          collect(value, into);
        } else collect(value, into);
      }
    }
  };
  for (const [logicalId, resource] of Object.entries(t.Resources)) {
    const edges = new Set<string>();
    collect(resource.Properties ?? {}, edges);
    const dependsOn = resource['DependsOn'];
    for (const d of typeof dependsOn === 'string' ? [dependsOn] : ((dependsOn ?? []) as string[])) edges.add(d);
    graph.set(logicalId, new Set([...edges].filter((e) => e in t.Resources)));
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('deployability', () => {
  it('has no circular dependency between resources, which CloudFormation would reject', () => {
    // Act
    const cycle = findCycle(dependencyGraph(json));

    // Assess
    expect(cycle).toBeUndefined();
  });
});

describe('outputs', () => {
  it('outputs what a client needs to connect', () => {
    // Assess
    expect(Object.keys(json.Outputs ?? {}).sort()).toEqual(['ConsoleUrl', 'HttpApiUrl', 'Region', 'SignInDomain', 'SmsInboundTopicArn', 'UserPoolClientId', 'UserPoolId', 'WebSocketUrl']);
  });
});

describe('Bedrock answers', () => {
  const policyStatements = (t: CfnTemplate) =>
    Object.values(t.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => ((r.Properties as Json).PolicyDocument as { Statement: Json[] }).Statement);
  const actionsOf = (statement: Json) => [statement.Action].flat() as string[];

  it('grants no Bedrock permission and sets no provider when no model is configured', () => {
    expect(policyStatements(json).some((st) => actionsOf(st).some((a) => a.startsWith('bedrock:')))).toBe(false);
    expect(JSON.stringify(json)).not.toContain('KEFU_ANSWER_PROVIDER');
  });

  it('lets only the bot-answer function invoke the configured model, profile and guardrail', () => {
    const t = synthStage('prod', { bedrockModelId: 'us.amazon.nova-micro-v1:0', bedrockGuardrailId: 'gr0abc123', bedrockGuardrailVersion: '2' });
    const bedrockStatements = policyStatements(t).filter((st) => actionsOf(st).some((a) => a.startsWith('bedrock:')));
    const text = JSON.stringify(bedrockStatements);
    expect(text).toContain('inference-profile/us.amazon.nova-micro-v1:0');
    expect(text).toContain(':bedrock:*::foundation-model/amazon.nova-micro-v1:0');
    expect(text).toContain('guardrail/gr0abc123');
    expect(new Set(bedrockStatements.flatMap(actionsOf))).toEqual(new Set(['bedrock:InvokeModel', 'bedrock:GetInferenceProfile', 'bedrock:ApplyGuardrail']));
    const functions = Object.values(t.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const withProvider = functions.filter((f) => JSON.stringify(f.Properties).includes('KEFU_ANSWER_PROVIDER'));
    expect(withProvider).toHaveLength(1);
    const env = ((withProvider[0]!.Properties as Json).Environment as { Variables: Record<string, string> }).Variables;
    expect(env).toMatchObject({ KEFU_ANSWER_PROVIDER: 'bedrock', KEFU_BEDROCK_MODEL_ID: 'us.amazon.nova-micro-v1:0', KEFU_BEDROCK_GUARDRAIL_ID: 'gr0abc123', KEFU_BEDROCK_GUARDRAIL_VERSION: '2' });
  });
});
