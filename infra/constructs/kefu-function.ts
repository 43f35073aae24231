/**
 * One Lambda function of the manifest with Kefu's shared defaults: Node.js 24 on arm64, ESM bundle with source maps,
 * X-Ray tracing, its own log group with retention, its own least-privilege role, the common environment, and table
 * access granted by the mode the manifest declares.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, Fn, RemovalPolicy, Stack, Tags, Validations, type CfnElement } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  ANSWER_PROVIDER_ENV,
  channelSecretArnEnv,
  SENTIMENT_MODEL_ENV,
  COMMON_ENV,
  pascalCase,
  SENTIMENT_PROVIDER_ENV,
  tableSpec,
  workflowSpec,
  type FunctionId,
  type FunctionSpec,
  type SecretChannel,
  type TableAccess,
  type TableId,
  type WorkflowId,
} from '../../shared/manifest/manifest.ts';
import { PRICE_OVERRIDES_ENV } from '../../shared/domain/costs/prices.ts';
import { isProd, type KefuConfig } from '../config/kefu-config.ts';
import { BUNDLE_RUNTIME_ENV, copyRuntimePackages, kefuBundlingOptions } from './bundling-options.ts';
import { functionCapability, tagCapability } from './cost-tags.ts';
import { REPOSITORY_ROOT } from './paths.ts';

/** Tag carried by every function, with its manifest id as value; the local runtime finds functions by it. */
export const FUNCTION_TAG = 'kefu:function';

/** The function that receives every other function's cost records (CloudWatch Logs subscription) and prices them. */
export const COST_LEDGER_FUNCTION: FunctionId = 'cost-ledger';

/** Functions that price usage or report costs: they receive the price overrides, currency, agent cost and retention. */
export const COST_REPORTING_FUNCTIONS: readonly FunctionId[] = [COST_LEDGER_FUNCTION, 'finance'];

/** Environment of the cost settings (each set only when its context value is; the functions default otherwise). */
export const COST_ENV = {
  budgetDailyUsd: 'KEFU_BUDGET_DAILY_USD',
  budgetMonthlyUsd: 'KEFU_BUDGET_MONTHLY_USD',
  budgetDegrade: 'KEFU_BUDGET_DEGRADE',
  priceOverrides: PRICE_OVERRIDES_ENV,
  currency: 'KEFU_CURRENCY',
  currencyPerUsd: 'KEFU_CURRENCY_PER_USD',
  agentHourlyCost: 'KEFU_AGENT_HOURLY_COST',
  costRetentionDays: 'KEFU_COST_RETENTION_DAYS',
} as const;

/** CloudWatch namespace of every function's Powertools metrics (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Kefu';

/** Powertools service name of a function (POWERTOOLS_SERVICE_NAME), also the `service` dimension of its metrics. */
export function serviceName(id: FunctionId): string {
  return `kefu-${id}`;
}

/**
 * Whether a function watches the budgets: the cost ledger (it publishes CostToday and keeps the budget state) and the
 * functions that call Bedrock (they fall back to the local engine over budget when `budgetDegrade` is `local`).
 */
export function watchesBudget(spec: FunctionSpec): boolean {
  return spec.id === COST_LEDGER_FUNCTION || spec.usesAnswerProvider === true;
}

/** Issuer and audience of the console JWTs (Cognito user pool and its console client). */
export interface JwtSettings {
  readonly issuer: string;
  readonly audience: string;
}

export interface KefuFunctionProps {
  /** The manifest entry this function implements. */
  readonly spec: FunctionSpec;
  readonly config: KefuConfig;
  /** Every table of the manifest; the function receives access only to those its spec lists. */
  readonly tables: Readonly<Record<TableId, ITableV2>>;
  /** Signing key of customer tokens; read access only when the spec says `usesCustomerTokenSecret`. */
  readonly customerTokenSecret: ISecret;
  readonly connectorsSecret: ISecret;
  /** The channels' secrets; read access only to those the spec lists in `channelSecrets`. */
  readonly channelSecrets: Readonly<Partial<Record<SecretChannel, ISecret>>>;
  /** The mail bucket: read `email/inbound/`, write `email/attachments/` when the spec says `receivesEmail`. */
  readonly mailBucket: IBucket;
  /** WebSocket stage whose @connections endpoint the function may call when the spec says `pushesLiveUpdates`. */
  readonly webSocketStage: WebSocketStage;
  readonly jwt: JwtSettings;
  /**
   * Repository root that manifest entry paths are relative to.
   *
   * @default - the root of this repository
   */
  readonly repositoryRoot?: string;
}

/** A manifest function as a bundled, traced, least-privilege Lambda function. */
/** File name of a shipped sentiment model inside the function's asset. */
const SENTIMENT_MODEL_FILE = 'sentiment-model.json';

export class KefuFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, props: KefuFunctionProps) {
    super(scope, id);
    const { spec, config } = props;
    this.spec = spec;
    const root = props.repositoryRoot ?? REPOSITORY_ROOT;
    const entry = join(root, spec.entry);
    if (!existsSync(entry)) throw new Error(`entry file of function ${spec.id} not found: ${spec.entry}`);
    const sentimentModel = spec.usesSentimentProvider ? config.sentimentModel : undefined;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays,
      removalPolicy: isProd(config) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // An explicit role instead of the default one: the default attaches the AWS managed AWSLambdaBasicExecutionRole,
    // which may write to any log group; this one may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Kefu ${config.stage} function ${spec.id}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: this.logGroup,
      role: this.role,
      bundling:
        spec.runtimePackages?.length || sentimentModel
          ? {
              ...kefuBundlingOptions,
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  ...copyRuntimePackages(spec.runtimePackages ?? [], inputDir, outputDir),
                  // A company's trained sentiment model ships in the asset (its hash follows the model's content).
                  ...(sentimentModel ? [`cp "${sentimentModel}" "${outputDir}/${SENTIMENT_MODEL_FILE}"`] : []),
                ],
              },
            }
          : kefuBundlingOptions,
      environment: {
        ...BUNDLE_RUNTIME_ENV,
        ...commonEnvironment(spec, config, props),
        ...costEnvironment(spec, config),
        ...(sentimentModel ? { [SENTIMENT_MODEL_ENV]: `/var/task/${SENTIMENT_MODEL_FILE}` } : {}),
      },
      // The customer-token secret comes from AWS's Parameters and Secrets extension over localhost (cached for five
      // minutes) rather than the Secrets Manager SDK client: fewer calls, and no SDK client to import at cold start.
      ...(spec.usesCustomerTokenSecret || spec.usesConnectorsSecret || deployedChannels(spec, props).length
        ? { paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103, { logLevel: lambda.ParamsAndSecretsLogLevel.WARN }) }
        : {}),
    });
    Tags.of(this.function).add(FUNCTION_TAG, spec.id, { includeResourceTypes: ['AWS::Lambda::Function'] });
    // The function, its log group, its role and its event source mapping count under the function's capability.
    tagCapability(this, functionCapability(spec.id));

    for (const [tableId, access] of Object.entries(spec.tables) as [TableId, TableAccess][]) {
      this.grantTable(tableId, props.tables[tableId], access);
    }
    if (spec.usesCustomerTokenSecret) props.customerTokenSecret.grantRead(this.function);
    if (spec.usesConnectorsSecret) props.connectorsSecret.grantRead(this.function);
    for (const channel of deployedChannels(spec, props)) props.channelSecrets[channel]!.grantRead(this.function);
    if (spec.receivesEmail) {
      // Exactly the two object actions on the two prefixes: read the raw mail, write its attachments.
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [props.mailBucket.arnForObjects('email/inbound/*')] }));
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.mailBucket.arnForObjects('email/attachments/*')] }));
      for (const prefix of ['email/inbound', 'email/attachments']) {
        Validations.of(this.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::kefu-${config.stage}-mail-<AWS::AccountId>-<AWS::Region>/${prefix}/*]`,
          reason: `object keys under ${prefix}/ are SES message ids known only at run time; the action is the single one needed (read the raw mail, write its attachments)`,
        });
      }
    }
    if (spec.readsMailAttachments) {
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [props.mailBucket.arnForObjects('email/attachments/*')] }));
      if (!spec.receivesEmail) {
        Validations.of(this.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::kefu-${config.stage}-mail-<AWS::AccountId>-<AWS::Region>/email/attachments/*]`,
          reason: 'attachment keys are per message, known only at run time; read only, and the function serves only files its conversation lists',
        });
      }
    }
    if (spec.sendsEmail && config.emailAddress) {
      const domain = config.emailAddress.slice(config.emailAddress.indexOf('@') + 1);
      // SES v2 SendEmail is authorised on the sending identity (the verified domain) only.
      this.function.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: domain })] }),
      );
    }
    if (spec.pushesLiveUpdates) {
      props.webSocketStage.grantManagementApiAccess(this.function);
      const stack = Stack.of(this);
      const apiLogicalId = stack.getLogicalId(props.webSocketStage.api.node.defaultChild as CfnElement);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiLogicalId}>/${props.webSocketStage.stageName}/*/@connections/*]`,
        reason:
          'execute-api:ManageConnections on the @connections endpoint of this one WebSocket stage; connection ids are ' +
          'created at run time, so the last segment cannot be named',
      });
    }

    if (spec.usesAnswerProvider && config.bedrockModelId) this.allowBedrockAnswers(config.bedrockModelId, config.bedrockGuardrail);
    const comprehend = spec.usesSentimentProvider === true && config.sentimentProvider === 'comprehend';
    if (comprehend) this.allowComprehendSentiment();

    // One acknowledgment for every Resource::* statement of the role: cdk-nag's audit trail keeps one reason per finding.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing)' +
        (comprehend ? ', and comprehend:DetectSentiment and comprehend:BatchDetectSentiment (sentiment scoring),' : '') +
        ' support no resource-level permissions (the Service Authorization Reference lists no resource type for them); ' +
        'every other statement of this role names its resources',
    });
  }

  /**
   * Grants table access by mode and passes the table name through the table's env var. Reads also cover the table's
   * indexes, each named: the grant methods of a table with indexes would allow `index/*` instead.
   */
  private grantTable(tableId: TableId, table: ITableV2, access: TableAccess): void {
    const spec = tableSpec(tableId);
    this.function.addEnvironment(spec.envVar, table.tableName);
    const tableOnly = TableV2.fromTableAttributes(this, `${pascalCase(tableId)}TableGrant`, { tableArn: table.tableArn });
    if (access === 'read') tableOnly.grantReadData(this.function);
    else if (access === 'write') tableOnly.grantWriteData(this.function);
    else tableOnly.grantReadWriteData(this.function);
    const indexes = spec.indexes ?? [];
    if (access !== 'write' && indexes.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query', 'dynamodb:Scan'],
          resources: indexes.map((index) => `${table.tableArn}/index/${index.name}`),
        }),
      );
    }
  }

  /**
   * Grounded answers with Bedrock: Converse is authorised by bedrock:InvokeModel on the model. A cross-Region inference
   * profile (us., eu., apac., global.) also needs the profile itself and the model in every Region it routes to.
   */
  private allowBedrockAnswers(modelId: string, guardrail: { id: string; version: string } | undefined): void {
    const stack = Stack.of(this);
    const profile = /^(us|eu|apac|global|us-gov|ca|jp|au)\./.exec(modelId);
    const baseModel = profile ? modelId.slice(profile[0].length) : modelId;
    const resources = profile
      ? [`arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${modelId}`, `arn:${stack.partition}:bedrock:*::foundation-model/${baseModel}`]
      : [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${baseModel}`];
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources }));
    if (profile) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:GetInferenceProfile'], resources: [resources[0]!] }));
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${baseModel}]`,
        reason: 'a cross-Region inference profile routes each request to this one model in any of its Regions, so the Region cannot be named',
      });
    }
    if (guardrail) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: [`arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:guardrail/${guardrail.id}`] }),
      );
    }
    this.function.addEnvironment(ANSWER_PROVIDER_ENV.provider, 'bedrock');
    this.function.addEnvironment(ANSWER_PROVIDER_ENV.modelId, modelId);
    if (guardrail) {
      this.function.addEnvironment(ANSWER_PROVIDER_ENV.guardrailId, guardrail.id);
      this.function.addEnvironment(ANSWER_PROVIDER_ENV.guardrailVersion, guardrail.version);
    }
  }

  /**
   * Sentiment scored by Comprehend. Its real-time detection actions support no resource-level permissions, so they are
   * granted on '*' (acknowledged with the role's other Resource::* statements in the constructor).
   */
  private allowComprehendSentiment(): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['comprehend:BatchDetectSentiment', 'comprehend:DetectSentiment'], resources: ['*'] }));
    this.function.addEnvironment(SENTIMENT_PROVIDER_ENV.provider, 'comprehend');
  }

  /** Lets the function start a workflow and tells it the workflow's ARN through the workflow's manifest env var. */
  allowStarting(workflowId: WorkflowId, stateMachine: IStateMachine, type: StateMachineType): void {
    this.function.addEnvironment(workflowSpec(workflowId).envVar, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this.function);
    if (type === StateMachineType.EXPRESS) stateMachine.grantStartSyncExecution(this.function);
  }

  /**
   * Lets the function complete the task tokens a workflow hands out (SendTaskSuccess / SendTaskFailure / heartbeat).
   * The statement lives in a policy of its own: a function that the same workflow invokes (routing completes a token
   * when the conversation is already taken) would otherwise wait for its default policy, which would wait for the
   * state machine, which waits for the function.
   */
  /**
   * Meters a Standard workflow: an EventBridge rule delivers each ended execution's status change to this function,
   * which reads the execution's history (states:GetExecutionHistory on that workflow's executions) to count its billed
   * transitions; the environment maps the workflow's ARN to its id.
   */
  meterWorkflows(workflows: readonly { id: WorkflowId; stateMachine: IStateMachine }[]): void {
    if (workflows.length === 0) return;
    const policy = new iam.Policy(this, 'WorkflowHistoryPolicy', { roles: [this.role] });
    for (const { stateMachine } of workflows) {
      policy.addStatements(
        new iam.PolicyStatement({
          actions: ['states:GetExecutionHistory'],
          resources: [Stack.of(this).formatArn({ service: 'states', resource: 'execution', resourceName: `${Stack.of(this).splitArn(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
        }),
      );
    }
    for (const { stateMachine } of workflows) {
      const logicalId = Stack.of(this).getLogicalId(stateMachine.node.defaultChild as CfnElement);
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId}"}]}]}:*]`,
        reason: "an execution's ARN is its state machine's ARN plus the execution's name, unknown in advance: the wildcard is the executions of this one metered workflow, and the action only reads their history",
      });
    }
    new events.Rule(this, 'WorkflowExecutionsEnded', {
      description: 'ended executions of the Standard workflows, to meter their state transitions',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: workflows.map((w) => w.stateMachine.stateMachineArn), status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      targets: [new eventTargets.LambdaFunction(this.function, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
    this.function.addEnvironment('KEFU_METERED_WORKFLOWS', Fn.join(',', workflows.map((w) => Fn.join('=', [w.id, w.stateMachine.stateMachineArn]))));
  }

  allowCompletingTasks(workflowId: WorkflowId, stateMachine: IStateMachine): void {
    new iam.Policy(this, `${pascalCase(workflowId)}TaskResponsePolicy`, {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'],
          resources: [stateMachine.stateMachineArn],
        }),
      ],
    });
  }
}

/** The channels whose secrets the function reads that this deployment has (`-c channels`). */
function deployedChannels(spec: FunctionSpec, props: KefuFunctionProps): SecretChannel[] {
  return (spec.channelSecrets ?? []).filter((channel) => props.channelSecrets[channel] !== undefined);
}

function commonEnvironment(spec: FunctionSpec, config: KefuConfig, props: KefuFunctionProps): Record<string, string> {
  return {
    [COMMON_ENV.stage]: config.stage,
    [COMMON_ENV.serviceName]: serviceName(spec.id),
    [COMMON_ENV.metricsNamespace]: METRICS_NAMESPACE,
    [COMMON_ENV.logLevel]: 'INFO',
    [COMMON_ENV.maxOffers]: String(config.maxOffers),
    [COMMON_ENV.jwtIssuer]: props.jwt.issuer,
    [COMMON_ENV.jwtAudience]: props.jwt.audience,
    ...(spec.usesCustomerTokenSecret ? { [COMMON_ENV.customerTokenSecretArn]: props.customerTokenSecret.secretArn } : {}),
    ...(spec.usesConnectorsSecret ? { [COMMON_ENV.connectorsSecretArn]: props.connectorsSecret.secretArn } : {}),
    ...Object.fromEntries(deployedChannels(spec, props).map((channel) => [channelSecretArnEnv(channel), props.channelSecrets[channel]!.secretArn])),
    ...(spec.receivesEmail || spec.readsMailAttachments ? { KEFU_MAIL_BUCKET: props.mailBucket.bucketName } : {}),
    ...((spec.receivesEmail || spec.sendsEmail) && config.emailAddress
      ? { KEFU_EMAIL_FROM_ADDRESS: config.emailAddress, KEFU_EMAIL_REPLY_DOMAIN: config.emailAddress.slice(config.emailAddress.indexOf('@') + 1) }
      : {}),
    ...(spec.pushesLiveUpdates ? { [COMMON_ENV.webSocketEndpoint]: props.webSocketStage.callbackUrl } : {}),
  };
}

/** Budgets to the functions that watch them; prices, currency, agent cost and retention to those that price or report. */
function costEnvironment(spec: FunctionSpec, config: KefuConfig): Record<string, string> {
  const env: Record<string, string> = {};
  if (watchesBudget(spec)) {
    if (config.budgetDailyUsd !== undefined) env[COST_ENV.budgetDailyUsd] = String(config.budgetDailyUsd);
    if (config.budgetMonthlyUsd !== undefined) env[COST_ENV.budgetMonthlyUsd] = String(config.budgetMonthlyUsd);
    if (config.budgetDegrade !== undefined) env[COST_ENV.budgetDegrade] = config.budgetDegrade;
  }
  if (COST_REPORTING_FUNCTIONS.includes(spec.id)) {
    if (config.priceOverrides !== undefined) env[COST_ENV.priceOverrides] = config.priceOverrides;
    if (config.currency !== undefined) {
      env[COST_ENV.currency] = config.currency.code;
      env[COST_ENV.currencyPerUsd] = String(config.currency.perUsd);
    }
    if (config.agentHourlyCost !== undefined) env[COST_ENV.agentHourlyCost] = String(config.agentHourlyCost);
    if (config.costRetentionDays !== undefined) env[COST_ENV.costRetentionDays] = String(config.costRetentionDays);
  }
  return env;
}
