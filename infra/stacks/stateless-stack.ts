/**
 * `Kefu-<stage>-Stateless`: the application, generated from the manifest and safe to redeploy at any time: one Lambda
 * function per manifest function, the HTTP API with every manifest route, the WebSocket API for live updates, the two
 * workflows from their ASL files, the stream consumer with its dead-letter queue, the console hosting with its sign-in
 * (the user pool's managed-login domain and the console's OAuth app client), the subscriptions that deliver every
 * function's cost records to the cost ledger, and alarms (with the daily budget alarm when a budget is configured).
 * It receives the stateful resources as props; construct ids are a public contract.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Aws, CfnOutput, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, Tags, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  functionArnVariable,
  manifest,
  pascalCase,
  workflowArnVariable,
  type FunctionId,
  type FunctionSpec,
  type HttpRouteSpec,
  type SecretChannel,
  type TableId,
  type WorkflowId,
  type WorkflowSpec,
} from '../../shared/manifest/manifest.ts';
import { isProd, type KefuConfig } from '../config/kefu-config.ts';
import { EDGE_CAPABILITY, functionCapability, tagCapability, workflowCapability } from '../constructs/cost-tags.ts';
import { COST_LEDGER_FUNCTION, KefuFunction, METRICS_NAMESPACE, serviceName, type JwtSettings } from '../constructs/kefu-function.ts';
import { accessLogsBucketName, consoleBucketName, mailBucketName } from './stateful-stack.ts';
import { REPOSITORY_ROOT } from '../constructs/paths.ts';

/** Tag carried by every state machine, with its manifest id as value; the local runtime finds workflows by it. */
export const WORKFLOW_TAG = 'kefu:workflow';

/** Metric the cost ledger publishes (Powertools, unit None): today's infrastructure cost in US dollars so far. */
export const COST_TODAY_METRIC = 'CostToday';

/** The JSON field and value that mark a cost record line in a function's log (shared/observability/cost-meter.ts). */
export const COST_RECORD_FILTER = logs.FilterPattern.stringValue('$.kefu', '=', 'cost');

/**
 * Context keys of the console's sign-in (read here rather than in KefuConfig, they concern this stack only):
 * `cognitoDomainPrefix` names the managed-login domain (`<prefix>.auth.<region>.amazoncognito.com`; default
 * `kefu-<stage>-<8 hex characters of this stack's id>`), `consoleUrls` lists further addresses the console is served
 * from (a custom domain in front of the distribution: `https://support.example.com/console/`, comma-separated or a JSON
 * array), which become callback and sign-out URLs of the console's app client next to the CloudFront one.
 */
export const SIGN_IN_CONTEXT_KEYS = { domainPrefix: 'cognitoDomainPrefix', consoleUrls: 'consoleUrls' } as const;

/** Path the console is served under, and where managed login sends the browser back to (callback and sign-out). */
export const CONSOLE_PATH = '/console/';

/** A Cognito prefix domain: lowercase letters, digits and hyphens, 1-63 characters, no reserved word. */
export function validDomainPrefix(prefix: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new Error(`cognitoDomainPrefix must be 1-63 lowercase letters, digits and hyphens, got "${prefix}"`);
  }
  if (/aws|amazon|cognito/.test(prefix)) throw new Error(`cognitoDomainPrefix may not contain aws, amazon or cognito, got "${prefix}"`);
  return prefix;
}

/** Extra console addresses from context: absolute https URLs (http only for localhost) ending in /console/. */
export function consoleUrlsFromContext(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? (value.trim().startsWith('[') ? (JSON.parse(value) as unknown[]) : value.split(',')) : [value];
  return list.map((item) => {
    const url = typeof item === 'string' ? item.trim() : '';
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    const local = parsed?.protocol === 'http:' && (parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1');
    if (!parsed || (parsed.protocol !== 'https:' && !local) || parsed.pathname !== CONSOLE_PATH || parsed.search || parsed.hash) {
      throw new Error(`consoleUrls must be https URLs of the console ending in ${CONSOLE_PATH} (e.g. https://support.example.com/console/), got "${String(item)}"`);
    }
    return parsed.href;
  });
}

export interface StatelessStackProps extends StackProps {
  readonly config: KefuConfig;
  readonly tables: Readonly<Record<TableId, TableV2>>;
  /** The console users' pool; this stack adds the console's managed-login domain and OAuth app client to it. */
  readonly userPool: cognito.IUserPool;
  /**
   * The stateful stack's SRP client, no longer used here: the console signs in through {@link StatelessStack.consoleClient}
   * (managed login, whose callback URL is this stack's distribution). Accepted so that existing callers compile.
   */
  readonly consoleClient?: { readonly userPoolClientId: string };
  readonly customerTokenSecret: Secret;
  readonly connectorsSecret: Secret;
  readonly channelSecrets: Readonly<Partial<Record<SecretChannel, Secret>>>;
  /**
   * Repository root that manifest paths are relative to.
   *
   * @default - the root of this repository
   */
  readonly repositoryRoot?: string;
}

/** Construct id of a manifest function: `bot-answer` → `BotAnswerFunction`. */
export function functionConstructId(id: FunctionId): string {
  return `${pascalCase(id)}Function`;
}

/** Construct id of a manifest workflow: `escalation` → `EscalationWorkflow`. */
export function workflowConstructId(id: WorkflowId): string {
  return `${pascalCase(id)}Workflow`;
}

/** APIs, functions, workflows, console hosting and alarms of one Kefu stage. */
export class StatelessStack extends Stack {
  readonly config: KefuConfig;
  readonly functions: Readonly<Record<FunctionId, KefuFunction>>;
  readonly workflows: Readonly<Record<WorkflowId, sfn.StateMachine>>;
  readonly httpApi: apigw.HttpApi;
  readonly httpStage: apigw.HttpStage;
  readonly webSocketApi: apigw.WebSocketApi;
  readonly webSocketStage: apigw.WebSocketStage;
  readonly streamFailureQueues: readonly sqs.Queue[];
  /** Dead-letter queues of the functions SNS invokes (inbound SMS): events that failed every retry. */
  readonly inboundFailureQueues: readonly sqs.Queue[];
  /** The topics inbound messages arrive on (the SMS topic's ARN is what End User Messaging's two-way setting names). */
  readonly inboundTopics: Readonly<Record<string, sns.Topic>> = {};
  readonly distribution: cloudfront.Distribution;
  /** The console's app client: managed login, OAuth authorization code grant with PKCE, no secret. */
  readonly consoleClient: cognito.UserPoolClient;
  /** The user pool's managed-login domain (Cognito prefix domain). */
  readonly consoleDomain: cognito.UserPoolDomain;
  readonly alarmTopic: sns.Topic;

  private readonly root: string;
  private readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.config = props.config;
    this.root = props.repositoryRoot ?? REPOSITORY_ROOT;
    this.removalPolicy = isProd(this.config) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // The console's sign-in first: its app client's callback URL is the distribution's, and every API checks that
    // the ID tokens it receives were issued to that client.
    const { distribution, bucket: consoleBucket } = this.consoleDistribution();
    this.distribution = distribution;
    const { client, domain } = this.consoleSignIn(props.userPool);
    this.consoleClient = client;
    this.consoleDomain = domain;

    const jwt: JwtSettings = {
      issuer: `https://cognito-idp.${this.region}.${this.urlSuffix}/${props.userPool.userPoolId}`,
      audience: this.consoleClient.userPoolClientId,
    };

    this.webSocketApi = new apigw.WebSocketApi(this, 'WebSocketApi', {
      apiName: `kefu-${this.config.stage}-live`,
      description: `Kefu ${this.config.stage}: live updates for the console and the web chat`,
    });
    this.webSocketStage = new apigw.WebSocketStage(this, 'WebSocketStage', {
      webSocketApi: this.webSocketApi,
      stageName: this.config.stage,
      autoDeploy: true,
      throttle: { rateLimit: this.config.apiRateLimit, burstLimit: this.config.apiBurstLimit },
    });
    tagCapability(this.webSocketApi, EDGE_CAPABILITY);
    tagCapability(this.webSocketStage, EDGE_CAPABILITY);
    Validations.of(this.webSocketStage).acknowledge({
      id: 'AwsSolutions-APIG1',
      reason:
        'WebSocket access logging needs the account-wide API Gateway CloudWatch role, a setting this app must not take ' +
        'over; the realtime function logs every connect and disconnect with its connection id instead',
    });

    // Imported by its fixed name: grants and the receipt rule's S3 action then leave the stateful stack's bucket policy alone
    // (it already lets SES write email/inbound/), so the two stacks do not depend on each other both ways.
    const mailBucket = s3.Bucket.fromBucketName(this, 'MailBucketRef', mailBucketName(this.config.stage));
    const functions = {} as Record<FunctionId, KefuFunction>;
    for (const spec of manifest.functions) {
      functions[spec.id] = new KefuFunction(this, functionConstructId(spec.id), {
        spec,
        config: this.config,
        tables: props.tables,
        customerTokenSecret: props.customerTokenSecret,
        connectorsSecret: props.connectorsSecret,
        channelSecrets: props.channelSecrets,
        mailBucket,
        webSocketStage: this.webSocketStage,
        jwt,
        repositoryRoot: this.root,
      });
    }
    this.functions = functions;
    this.costSubscriptions();

    const { api, stage } = this.httpApiWithRoutes(jwt);
    this.httpApi = api;
    this.httpStage = stage;
    this.webSocketRoutes();
    this.streamFailureQueues = manifest.functions.filter((f) => f.streamSource).map((f) => this.streamConsumer(f, props.tables));
    this.inboundFailureQueues = [
      ...manifest.functions.filter((f) => f.snsTopic).map((f) => this.snsSubscriber(f)),
      ...manifest.functions.filter((f) => f.receivesEmail).map((f) => this.mailReceiver(f, mailBucket)),
    ];
    this.workflows = this.workflowsFromAsl();
    this.consoleHosting(props.userPool.userPoolId, consoleBucket);
    this.alarmTopic = this.alarms();

    const output = (outputId: string, value: string, description: string): void => {
      new CfnOutput(this, outputId, { value, description });
    };
    output('HttpApiUrl', this.httpStage.url, 'base URL of the HTTP API (webhooks, web chat, console API)');
    output('WebSocketUrl', this.webSocketStage.url, 'wss URL of the live-update WebSocket API');
    output('ConsoleUrl', `https://${this.distribution.distributionDomainName}`, 'agent console');
    output('UserPoolId', props.userPool.userPoolId, 'Cognito user pool of console users');
    output('UserPoolClientId', this.consoleClient.userPoolClientId, 'Cognito app client of the console (managed login, authorization code with PKCE, no secret)');
    output('SignInDomain', this.consoleDomain.baseUrl(), 'managed-login base URL where console users sign in');
    output('Region', this.region, 'region of this deployment');
  }

  private httpApiWithRoutes(jwt: JwtSettings): { api: apigw.HttpApi; stage: apigw.HttpStage } {
    const api = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `kefu-${this.config.stage}`,
      description: `Kefu ${this.config.stage}: channel webhooks, web chat, capabilities and console API`,
      createDefaultStage: false,
      corsPreflight: {
        // The web chat widget is embedded on the company's own sites, whatever their origin; no cookies are used, the
        // customer token and the console JWT travel in the Authorization header.
        allowOrigins: ['*'],
        allowMethods: [apigw.CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new logs.LogGroup(this, 'HttpApiAccessLogs', {
      retention: this.config.logRetentionDays,
      removalPolicy: this.removalPolicy,
    });
    const stage = new apigw.HttpStage(this, 'HttpApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: this.config.apiRateLimit, burstLimit: this.config.apiBurstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer('ConsoleJwtAuthorizer', jwt.issuer, {
      authorizerName: 'console-jwt',
      jwtAudience: [jwt.audience],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<FunctionId, HttpLambdaIntegration>();
    const integrationOf = (functionId: FunctionId): HttpLambdaIntegration => {
      let integration = integrations.get(functionId);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascalCase(functionId)}Integration`, this.functions[functionId].function);
        integrations.set(functionId, integration);
      }
      return integration;
    };
    for (const route of manifest.routes) {
      const [httpRoute] = api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationOf(route.functionId),
        ...(route.auth.kind === 'jwt' ? { authorizer } : {}),
      });
      if (route.auth.kind !== 'jwt' && httpRoute) {
        Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: unauthorisedRouteReason(route) });
      }
    }
    for (const scope of [api, accessLogs, stage]) tagCapability(scope, EDGE_CAPABILITY);
    return { api, stage };
  }

  /**
   * Delivers every function's cost records (one JSON line per invocation, `{"kefu":"cost",…}`) to the cost ledger: a
   * subscription filter on each function's log group, whose Lambda destination may be invoked by CloudWatch Logs for
   * that log group only. The ledger's own log group has none: it records its own cost itself, and a subscription to
   * it would feed each batch's record back into the next batch.
   */
  private costSubscriptions(): void {
    const destination = new LambdaDestination(this.functions[COST_LEDGER_FUNCTION].function);
    for (const spec of manifest.functions) {
      if (spec.id === COST_LEDGER_FUNCTION) continue;
      this.functions[spec.id].logGroup.addSubscriptionFilter('CostRecords', {
        destination,
        filterPattern: COST_RECORD_FILTER,
        filterName: 'kefu-cost-records',
      });
    }
  }

  private webSocketRoutes(): void {
    const integrations = new Map<FunctionId, WebSocketLambdaIntegration>();
    for (const { routeKey, functionId } of manifest.webSocketRoutes) {
      let integration = integrations.get(functionId);
      if (!integration) {
        integration = new WebSocketLambdaIntegration(`${pascalCase(functionId)}WebSocketIntegration`, this.functions[functionId].function);
        integrations.set(functionId, integration);
      }
      const route = this.webSocketApi.addRoute(routeKey, { integration });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          routeKey === '$connect'
            ? 'the realtime function authenticates $connect itself: a console JWT or a customer token in the query string, ' +
              'checked against the same issuer and secret as the HTTP API, and rejects the connection otherwise'
            : `API Gateway accepts authorizers on $connect only; ${routeKey} runs on a connection already authenticated at $connect`,
      });
    }
  }

  /**
   * An inbound topic (End User Messaging's two-way SMS publishes to it) that invokes the function: encrypted with a key
   * the SMS service may use, publishable only by that service from this account, SSL only; SNS delivery failures and
   * invocations that failed Lambda's two async retries go to one dead-letter queue (alarmed).
   */
  /**
   * The e-mail channel's receipt rule set (when `emailAddress` is configured): for the address's domain, TLS required,
   * spam and virus scanning on, the raw message stored under `email/inbound/` (S3 action) and then the function invoked
   * (Lambda action, asynchronously: two retries, then the dead-letter queue with an alarm). SES allows one active rule
   * set per region: activate it by hand (`aws ses set-active-receipt-rule-set`, README).
   */
  private mailReceiver(spec: FunctionSpec, bucket: s3.IBucket): sqs.Queue {
    const fn = this.functions[spec.id].function;
    const queue = this.inboundFailureQueue(spec);
    fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(queue) });
    const address = this.config.emailAddress;
    if (address) {
      const ruleSet = new ses.ReceiptRuleSet(this, 'MailReceiptRuleSet', { receiptRuleSetName: `kefu-${this.config.stage}-inbound` });
      const rule = ruleSet.addRule('Inbound', {
        recipients: [address.slice(address.indexOf('@') + 1)],
        scanEnabled: true,
        tlsPolicy: ses.TlsPolicy.REQUIRE,
        actions: [new sesActions.S3({ bucket, objectKeyPrefix: 'email/inbound/' }), new sesActions.Lambda({ function: fn, invocationType: sesActions.LambdaInvocationType.EVENT })],
      });
      Annotations.of(rule).acknowledgeWarning(
        '@aws-cdk/s3:AddBucketPermissions',
        "the stateful stack's mail bucket policy already lets ses.amazonaws.com of this account put objects under email/inbound/ (AllowSesReceiptRules)",
      );
    }
    return queue;
  }

  private inboundFailureQueue(spec: FunctionSpec): sqs.Queue {
    const queue = new sqs.Queue(this, `${pascalCase(spec.id)}InboundFailures`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    tagCapability(queue, functionCapability(spec.id));
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'this queue is itself the dead-letter destination of an inbound channel (its topic and the function it invokes); nothing consumes it automatically and an alarm fires on its first message',
    });
    return queue;
  }

  private snsSubscriber(spec: FunctionSpec): sqs.Queue {
    const topicId = spec.snsTopic!;
    const name = pascalCase(topicId);
    const key = new kms.Key(this, `${name}TopicKey`, {
      description: `Kefu ${this.config.stage}: encrypts the ${topicId} topic`,
      enableKeyRotation: true,
      removalPolicy: this.removalPolicy,
      pendingWindow: Duration.days(7),
    });
    const publisher = new iam.ServicePrincipal('sms-voice.amazonaws.com');
    key.grant(publisher, 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new sns.Topic(this, `${name}Topic`, { displayName: `Kefu ${this.config.stage} ${topicId}`, masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Publish'],
        principals: [publisher],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    (this.inboundTopics as Record<string, sns.Topic>)[topicId] = topic;
    new CfnOutput(this, `${name}TopicArn`, { value: topic.topicArn, description: `the ${topicId} topic: name it as the two-way SMS destination of the phone number in AWS End User Messaging` });
    const queue = this.inboundFailureQueue(spec);
    const fn = this.functions[spec.id].function;
    topic.addSubscription(new subscriptions.LambdaSubscription(fn, { deadLetterQueue: queue }));
    fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(queue) });
    return queue;
  }

  private streamConsumer(spec: FunctionSpec, tables: Readonly<Record<TableId, TableV2>>): sqs.Queue {
    const source = spec.streamSource;
    if (!source) throw new Error(`function ${spec.id} has no stream source`);
    const fn = this.functions[spec.id];
    const queue = new sqs.Queue(this, `${pascalCase(spec.id)}StreamFailures`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    tagCapability(queue, functionCapability(spec.id));
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'this queue is itself the dead-letter destination of the stream consumer (on-failure destination of the event ' +
        'source mapping); nothing consumes it automatically and an alarm fires on its first message',
    });
    const newImage: Record<string, { S: string[] }> = {};
    for (const [attribute, value] of Object.entries(source.newImageEquals)) {
      newImage[attribute] = { S: lambda.FilterRule.isEqual(value) as string[] };
    }
    fn.function.addEventSource(
      new DynamoEventSource(tables[source.table], {
        // TRIM_HORIZON: a consumer created or re-created after messages were written still reads them (never lose one).
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: source.batchSize,
        bisectBatchOnError: true,
        retryAttempts: source.retryAttempts,
        parallelizationFactor: source.parallelization,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(queue),
        filters: [lambda.FilterCriteria.filter({ eventName: [...source.eventNames], ...(Object.keys(newImage).length ? { dynamodb: { NewImage: newImage } } : {}) })],
      }),
    );
    return queue;
  }

  private workflowsFromAsl(): Record<WorkflowId, sfn.StateMachine> {
    const created = {} as Record<WorkflowId, sfn.StateMachine>;
    const pending = [...manifest.workflows];
    // A workflow can be created once every workflow it starts exists (message starts escalation).
    while (pending.length > 0) {
      const index = pending.findIndex((w) => (w.starts ?? []).every((started) => created[started] !== undefined));
      if (index < 0) throw new Error(`workflows start each other in a cycle: ${pending.map((w) => w.id).join(', ')}`);
      const [spec] = pending.splice(index, 1) as [WorkflowSpec];
      created[spec.id] = this.workflow(spec, created);
    }
    for (const fnSpec of manifest.functions) {
      for (const workflowId of fnSpec.startsWorkflows ?? []) {
        this.functions[fnSpec.id].allowStarting(workflowId, created[workflowId], stateMachineType(workflowId));
      }
      for (const workflowId of fnSpec.completesTasksOf ?? []) this.functions[fnSpec.id].allowCompletingTasks(workflowId, created[workflowId]);
      this.functions[fnSpec.id].meterWorkflows((fnSpec.metersWorkflows ?? []).map((id) => ({ id, stateMachine: created[id] })));
    }
    return created;
  }

  private workflow(spec: WorkflowSpec, created: Readonly<Record<WorkflowId, sfn.StateMachine>>): sfn.StateMachine {
    const substitutions: Record<string, string> = {};
    for (const functionId of spec.invokes) substitutions[functionArnVariable(functionId)] = this.functions[functionId].function.functionArn;
    for (const workflowId of spec.starts ?? []) substitutions[workflowArnVariable(workflowId)] = created[workflowId].stateMachineArn;

    const logGroup = new logs.LogGroup(this, `${workflowConstructId(spec.id)}Logs`, {
      retention: this.config.logRetentionDays,
      removalPolicy: this.removalPolicy,
    });
    const stateMachine = new sfn.StateMachine(this, workflowConstructId(spec.id), {
      comment: spec.description,
      stateMachineType: spec.type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(renderSynthParameters(readFileSync(join(this.root, spec.definition), 'utf8'), this.config)),
      definitionSubstitutions: substitutions,
      // Execution data carries customers' messages (personal data); the transcript lives in DynamoDB, so the logs
      // keep every event but not its payload.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // On the state machine resource only (not its role and policy), so that a lookup by tag finds one resource.
    Tags.of(stateMachine).add(WORKFLOW_TAG, spec.id, { includeResourceTypes: ['AWS::StepFunctions::StateMachine'] });
    // The state machine, its role and its log group count under the workflow.
    tagCapability(stateMachine, workflowCapability(spec.id));
    tagCapability(logGroup, workflowCapability(spec.id));

    for (const functionId of spec.invokes) this.functions[functionId].function.grantInvoke(stateMachine);
    for (const workflowId of spec.starts ?? []) created[workflowId].grantStartExecution(stateMachine);

    const roleAcks: Record<string, string> = {
      'AwsSolutions-IAM5[Resource::*]':
        'CloudWatch Logs vended delivery (logs:CreateLogDelivery and related) and X-Ray (xray:PutTraceSegments and related) ' +
        'support no resource-level permissions; see the Step Functions logging and tracing IAM docs',
    };
    for (const functionId of spec.invokes) {
      const cfn = this.functions[functionId].function.node.defaultChild as CfnElement;
      roleAcks[`AwsSolutions-IAM5[Resource::<${this.getLogicalId(cfn)}.Arn>:*]`] =
        `lambda:InvokeFunction on the versions and aliases of ${functionId} (grantInvoke); the function itself is named, the wildcard is its qualifier only`;
    }
    for (const [ackId, reason] of Object.entries(roleAcks)) Validations.of(stateMachine.role).acknowledge({ id: ackId, reason });
    return stateMachine;
  }

  private consoleDistribution(): { distribution: cloudfront.Distribution; bucket: s3.IBucket } {
    // The buckets of the stateful stack, addressed by their names: CloudFront then does not write the console bucket's
    // policy (which would make the two stacks depend on each other); that policy already admits this account's
    // distributions.
    const bucket = s3.Bucket.fromBucketName(this, 'ConsoleBucketRef', consoleBucketName(this.config.stage));
    const accessLogsBucket = s3.Bucket.fromBucketName(this, 'AccessLogsBucketRef', accessLogsBucketName(this.config.stage));
    const distribution = new cloudfront.Distribution(this, 'ConsoleDistribution', {
      comment: `Kefu ${this.config.stage} console`,
      // The app is built for /console/ (as the local runtime serves it), so it lives under that prefix here too.
      defaultRootObject: 'console/index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        // The widget script and config.json are read from the company's own sites: CORS for every origin (GET only).
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT_AND_SECURITY_HEADERS,
        compress: true,
      },
      // The console is a single-page app: unknown paths render index.html, which routes on the client.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/console/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: accessLogsBucket,
      logFilePrefix: 'console-distribution/',
    });
    const acks: Record<string, string> = {
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac':
        'the console bucket policy in the stateful stack grants s3:GetObject to CloudFront for this account\'s distributions',
      'AwsSolutions-CFR1': 'agents work from wherever the company employs them; geo restriction is a per-company choice',
      'AwsSolutions-CFR2':
        'the distribution serves static console files only (the API is JWT-authorised); a WAF web ACL would add a fixed ' +
        'monthly cost to an app meant to idle near zero, and can be attached per deployment',
      'AwsSolutions-CFR4':
        'no custom domain is configured, so the default *.cloudfront.net certificate is used, for which CloudFront ' +
        'ignores the minimum protocol version; TLSv1.2_2021 applies as soon as a custom domain and certificate are added',
    };
    for (const [ackId, reason] of Object.entries(acks)) Validations.of(distribution).acknowledge({ id: ackId, reason });
    tagCapability(distribution, EDGE_CAPABILITY);
    return { distribution, bucket };
  }

  /**
   * Managed login (Cognito's hosted sign-in pages) for the console: they do the password, the required TOTP, the
   * first-sign-in new password and account recovery, and send the browser back to /console/ with an authorization
   * code that the console exchanges with its PKCE verifier (no client secret: a browser app cannot keep one). The
   * client lives here, not in the stateful stack, because its callback URL is this stack's distribution.
   */
  private consoleSignIn(userPool: cognito.IUserPool): { client: cognito.UserPoolClient; domain: cognito.UserPoolDomain } {
    const configuredPrefix = this.node.tryGetContext(SIGN_IN_CONTEXT_KEYS.domainPrefix) as unknown;
    if (configuredPrefix !== undefined && configuredPrefix !== null && typeof configuredPrefix !== 'string') throw new Error('cognitoDomainPrefix must be a string');
    // Default: unique and stable for the life of this stack without naming the account (the sign-in URL is public):
    // the first group of the stack id's UUID (arn:...:stack/<name>/<uuid>), eight hex characters.
    const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    const domainPrefix = configuredPrefix ? validDomainPrefix(configuredPrefix.trim()) : `kefu-${this.config.stage}-${Fn.select(0, Fn.split('-', stackUuid))}`;
    const domain = new cognito.UserPoolDomain(this, 'ConsoleSignInDomain', {
      userPool,
      cognitoDomain: { domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    const consoleUrls = [`https://${this.distribution.distributionDomainName}${CONSOLE_PATH}`, ...consoleUrlsFromContext(this.node.tryGetContext(SIGN_IN_CONTEXT_KEYS.consoleUrls))];
    const client = new cognito.UserPoolClient(this, 'ConsoleSignInClient', {
      userPool,
      userPoolClientName: `kefu-${this.config.stage}-console`,
      // A browser app cannot keep a secret: PKCE (S256) binds the code to the browser that asked for it.
      generateSecret: false,
      // Managed login signs users in with SRP; the refresh token renews the console's session.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: consoleUrls,
        logoutUrls: consoleUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
    });
    // Managed login (version 2) shows a client's pages only once it has a branding style: Cognito's default one.
    new cognito.CfnManagedLoginBranding(this, 'ConsoleSignInBranding', {
      userPoolId: userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    for (const scope of [domain, client]) tagCapability(scope, EDGE_CAPABILITY);
    return { client, domain };
  }

  private consoleHosting(userPoolId: string, bucket: s3.IBucket): void {
    const distribution = this.distribution;

    // The build (npm run build:console; npm test and npm start run it), or a page saying so when synthesized without one.
    const built = existsSync(join(this.root, 'console/dist/index.html'));
    const app = built
      ? s3deploy.Source.asset(join(this.root, 'console/dist'))
      : s3deploy.Source.data('index.html', '<!doctype html><meta charset="utf-8"><title>Kefu</title><p>The console was not built: run <code>npm run build:console</code> and deploy again.</p>');
    // Where the console finds the API and how users sign in, with the deployed values (resolved at deploy time).
    const config = s3deploy.Source.jsonData('config.json', {
      stage: this.config.stage,
      apiBase: this.httpStage.url,
      webSocketUrl: this.webSocketStage.url,
      // domain: the managed-login base URL (https://<prefix>.auth.<region>.amazoncognito.com) the console redirects to.
      auth: { kind: 'cognito', region: this.region, userPoolId, clientId: this.consoleClient.userPoolClientId, domain: this.consoleDomain.baseUrl() },
    });
    const deploymentLogs = new logs.LogGroup(this, 'ConsoleDeploymentLogs', {
      retention: this.config.logRetentionDays,
      removalPolicy: this.removalPolicy,
    });
    // An explicit role: the default one carries the AWS managed AWSLambdaBasicExecutionRole policy.
    const deploymentRole = new iam.Role(this, 'ConsoleDeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Kefu ${this.config.stage}: copies the console build into its bucket`,
    });
    deploymentLogs.grantWrite(deploymentRole);
    const deployment = new s3deploy.BucketDeployment(this, 'ConsoleDeployment', {
      sources: [app, config],
      destinationBucket: bucket,
      destinationKeyPrefix: 'console/',
      distribution,
      distributionPaths: ['/*'],
      prune: true,
      role: deploymentRole,
      logGroup: deploymentLogs,
    });
    const qualifier = (this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const deploymentAcks: Record<string, string> = {
      'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'BucketDeployment reads the console build from the CDK asset bucket and syncs it',
      'AwsSolutions-IAM5[Action::s3:GetObject*]': 'BucketDeployment reads the console build from the CDK asset bucket and syncs it',
      'AwsSolutions-IAM5[Action::s3:List*]': 'BucketDeployment lists the console bucket to prune files of older builds',
      'AwsSolutions-IAM5[Action::s3:Abort*]': 'BucketDeployment aborts its own failed multipart uploads to the console bucket',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'BucketDeployment prunes files of older console builds',
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`]:
        'the console build is uploaded by the CDK CLI as an asset object whose key is a content hash known only at deploy time',
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::kefu-${this.config.stage}-console-<AWS::AccountId>-<AWS::Region>/*]`]:
        'the deployment writes every file of the console build into the console bucket, whose keys change with each build',
      'AwsSolutions-IAM5[Resource::*]':
        'BucketDeployment grants cloudfront:CreateInvalidation / GetInvalidation without a resource; it invalidates only the ' +
        'console distribution it is given',
    };
    for (const [ackId, reason] of Object.entries(deploymentAcks)) Validations.of(deploymentRole).acknowledge({ id: ackId, reason });
    for (const scope of [deployment, deploymentRole, deploymentLogs]) tagCapability(scope, EDGE_CAPABILITY);
    // The copy handler is a CDK-provided singleton whose runtime aws-cdk-lib chooses and upgrades.
    const handler = this.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error(`bucket deployment handler of ${deployment.node.path} not found`);
    tagCapability(handler, EDGE_CAPABILITY);
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'the BucketDeployment handler is provided by aws-cdk-lib, which pins and upgrades its Python runtime; Kefu\'s own functions run nodejs24.x',
    });
  }

  private alarms(): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `Kefu ${this.config.stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: this.removalPolicy,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes alarm notifications to the encrypted topic.
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Kefu ${this.config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (this.config.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(this.config.alarmEmail));
    const action = new SnsAction(topic);
    const fiveMinutes = Duration.minutes(5);
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string): void => {
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(action);
    };

    for (const spec of manifest.functions) {
      alarm(
        `${functionConstructId(spec.id)}ErrorsAlarm`,
        this.functions[spec.id].function.metricErrors({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        `function ${spec.id} reported errors`,
      );
    }
    for (const queue of this.inboundFailureQueues) {
      alarm(
        `${queue.node.id}Alarm`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        'inbound channel events failed every retry and were dead-lettered: customer messages wait for a replay',
      );
    }
    for (const queue of this.streamFailureQueues) {
      alarm(
        `${queue.node.id}Alarm`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        'stream records failed every retry and were dead-lettered: messages wait for a replay',
      );
    }
    for (const spec of manifest.workflows) {
      alarm(
        `${workflowConstructId(spec.id)}FailedAlarm`,
        this.workflows[spec.id].metricFailed({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        `executions of the ${spec.id} workflow failed`,
      );
    }
    alarm('HttpApi5xxAlarm', this.httpApi.metricServerError({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }), 'the HTTP API answered 5xx');
    if (this.config.budgetDailyUsd !== undefined) this.dailyBudgetAlarm(this.config.budgetDailyUsd, action);
    return topic;
  }

  /**
   * Alarms when today's infrastructure cost, as the cost ledger publishes it (CostToday, Powertools: namespace Kefu,
   * dimension service = the ledger's service name), reaches the daily budget. No unit on the alarm, so that it reads
   * the metric whatever unit it was published with. Missing data keeps the state: the ledger publishes only when
   * records arrive, and a quiet hour after the budget was reached does not make today's cost smaller.
   */
  private dailyBudgetAlarm(thresholdUsd: number, action: SnsAction): cloudwatch.Alarm {
    const metric = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: COST_TODAY_METRIC,
      dimensionsMap: { service: serviceName(COST_LEDGER_FUNCTION) },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(5),
    });
    const alarm = new cloudwatch.Alarm(this, 'DailyBudgetAlarm', {
      metric,
      threshold: thresholdUsd,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      alarmDescription: `today's infrastructure cost reached the daily budget of ${thresholdUsd} USD (cost ledger estimate)`,
    });
    alarm.addAlarmAction(action);
    return alarm;
  }
}

function stateMachineType(id: WorkflowId): sfn.StateMachineType {
  const spec = manifest.workflows.find((w) => w.id === id);
  return spec?.type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD;
}

function unauthorisedRouteReason(route: HttpRouteSpec): string {
  return route.auth.kind === 'customer'
    ? `${route.method} ${route.path} is called by a web chat customer, who has no console account: the function verifies ` +
        'the customer token (HMAC, signed with the customer-token secret) for this conversation and rejects the call otherwise'
    : `${route.method} ${route.path} is public by design (health check, conversation start or channel webhook verified by ` +
        'its signature in the function)';
}

/**
 * Numeric deploy parameters written into a definition at synth time: the quoted placeholder `"${AcceptTimeoutSeconds}"`
 * becomes the number. (A `TimeoutSecondsPath` would read it from the execution input instead, but aws-local-stepfunctions
 * evaluates that path against the Task's processed Parameters rather than its input, so the local run would differ
 * from the deployed one; a literal behaves the same in both.)
 */
export function renderSynthParameters(definition: string, config: Pick<KefuConfig, 'acceptTimeoutSeconds'>): string {
  return definition.replaceAll('"${AcceptTimeoutSeconds}"', String(config.acceptTimeoutSeconds));
}
