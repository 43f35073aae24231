/**
 * The cost ledger in AWS: a CloudWatch Logs subscription on every other function's log group delivers the cost
 * records to the cost-ledger function; cost allocation tags on every resource; the daily budget alarm on the ledger's
 * CostToday metric; the budget, price, currency, agent cost and retention settings from context into the functions
 * that use them. cdk-nag stays clean with every cost setting on (test/infra/cdk-nag.test.ts checks the default stages).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDefaults } from '../../infra/config/kefu-config.ts';
import { CAPABILITY_TAG, PROJECT_TAG, STAGE_TAG } from '../../infra/constructs/cost-tags.ts';
import { COST_ENV } from '../../infra/constructs/kefu-function.ts';
import { tableConstructId } from '../../infra/stacks/stateful-stack.ts';
import { FUNCTION_TAG, synthesize, taggedResources, WORKFLOW_TAG, type CfnTemplate, type SynthesizedKefu, type TemplateResource } from '../../infra/synth.ts';
import { manifest, type FunctionId } from '../../shared/manifest/manifest.ts';
import { capabilityOf } from '../../shared/observability/cost-meter.ts';

type Json = Record<string, unknown>;

const COST_CONTEXT = {
  budgetDailyUsd: '12.5',
  budgetMonthlyUsd: 300,
  budgetDegrade: 'local',
  priceOverrides: '{"lambda.requests": 0.18, "dynamodb.writeRequestUnits": 0.5}',
  currency: 'CNY',
  currencyPerUsd: '7.1',
  agentHourlyCost: '45',
  costRetentionDays: '400',
};

const outdirs: string[] = [];
function synthStage(stage: 'dev' | 'prod', context: Json = {}): SynthesizedKefu {
  const outdir = mkdtempSync(join(tmpdir(), `kefu-costs-${stage}-`));
  outdirs.push(outdir);
  return synthesize({ stage, bundling: false, outdir, context });
}

let plain: SynthesizedKefu;
let costly: SynthesizedKefu;
let functions: Record<string, TemplateResource>;

beforeAll(() => {
  plain = synthStage('dev');
  costly = synthStage('prod', { alarmEmail: 'ops@example.com', ...COST_CONTEXT });
  functions = taggedResources(plain.statelessTemplate, 'AWS::Lambda::Function', FUNCTION_TAG);
});

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

function resourcesOf(template: CfnTemplate, type: string): [string, Json][] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => [logicalId, resource.Properties ?? {}]);
}

/** Logical id of the log group a function writes to (its LoggingConfig). */
function logGroupOf(properties: Json): string {
  return ((properties['LoggingConfig'] as { LogGroup: { Ref: string } }).LogGroup).Ref;
}

/** Tags of a resource as a map, whatever form its type renders them in (list, map, or per replica for tables). */
function tagsOf(resource: { Type: string; Properties?: Json }): Record<string, string> | undefined {
  const properties = resource.Properties ?? {};
  const raw = resource.Type === 'AWS::DynamoDB::GlobalTable' ? (properties['Replicas'] as { Tags?: unknown }[] | undefined)?.[0]?.Tags : (properties['Tags'] ?? properties['UserPoolTags']);
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) return Object.fromEntries((raw as { Key: string; Value: string }[]).map((tag) => [tag.Key, tag.Value]));
  return raw as Record<string, string>;
}

function environmentOf(template: CfnTemplate, id: FunctionId): Record<string, unknown> {
  const fn = taggedResources(template, 'AWS::Lambda::Function', FUNCTION_TAG)[id];
  if (!fn) throw new Error(`function ${id} not found`);
  return (fn.properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
}

describe('cost record subscriptions', () => {
  it('subscribes every function but the cost ledger, once each, to the cost ledger with the cost record pattern', () => {
    // Prepare
    const ledger = functions['cost-ledger']!;

    // Act
    const filters = resourcesOf(plain.statelessTemplate, 'AWS::Logs::SubscriptionFilter').map(([, properties]) => properties);

    // Assess
    const subscribed = filters.map((filter) => (filter['LogGroupName'] as { Ref: string }).Ref).sort();
    const expected = manifest.functions.filter((f) => f.id !== 'cost-ledger').map((f) => logGroupOf(functions[f.id]!.properties)).sort();
    expect(subscribed).toEqual(expected);
    for (const filter of filters) {
      expect(filter).toMatchObject({ FilterPattern: '{ $.kefu = "cost" }', DestinationArn: { 'Fn::GetAtt': [ledger.logicalId, 'Arn'] } });
    }
  });

  it("puts no subscription on the cost ledger's own log group (no feedback loop)", () => {
    // Act
    const ledgerLogs = logGroupOf(functions['cost-ledger']!.properties);
    const filters = resourcesOf(plain.statelessTemplate, 'AWS::Logs::SubscriptionFilter').filter(([, p]) => (p['LogGroupName'] as { Ref: string }).Ref === ledgerLogs);

    // Assess
    expect(filters).toEqual([]);
  });

  it('lets CloudWatch Logs invoke the cost ledger for each subscribed log group only, before the subscription exists', () => {
    // Prepare
    const ledger = functions['cost-ledger']!;
    const permissions = resourcesOf(plain.statelessTemplate, 'AWS::Lambda::Permission').filter(([, p]) => p['Principal'] === 'logs.amazonaws.com');

    // Act
    const filters = Object.entries(plain.statelessTemplate.Resources).filter(([, r]) => r.Type === 'AWS::Logs::SubscriptionFilter');

    // Assess
    expect(permissions).toHaveLength(filters.length);
    for (const [, permission] of permissions) {
      expect(permission).toMatchObject({ Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [ledger.logicalId, 'Arn'] } });
    }
    for (const [, filter] of filters) {
      const logGroup = ((filter.Properties as Json)['LogGroupName'] as { Ref: string }).Ref;
      const permission = permissions.find(([, p]) => JSON.stringify(p['SourceArn']) === JSON.stringify({ 'Fn::GetAtt': [logGroup, 'Arn'] }));
      expect(permission, logGroup).toBeDefined();
      expect([filter['DependsOn']].flat()).toContain(permission![0]);
    }
  });
});

describe('Standard workflow metering', () => {
  it("sends each ended escalation and SLA timer execution to the workflow meter, which may read only their history", () => {
    const rules = resourcesOf(plain.statelessTemplate, 'AWS::Events::Rule').map(([, p]) => p);
    const rule = rules.find((p) => JSON.stringify(p['EventPattern']).includes('Step Functions Execution Status Change'));
    expect(rule).toBeDefined();
    const pattern = rule!['EventPattern'] as { source: string[]; detail: { stateMachineArn: unknown[]; status: string[] } };
    expect(pattern.source).toEqual(['aws.states']);
    expect(pattern.detail.status).toEqual(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);
    expect(JSON.stringify(pattern.detail.stateMachineArn)).toMatch(/EscalationWorkflow/);
    expect(JSON.stringify(pattern.detail.stateMachineArn)).toMatch(/SlaTimerWorkflow/);
    expect(JSON.stringify(pattern.detail.stateMachineArn)).not.toMatch(/MessageWorkflow/);
    const targets = rule!['Targets'] as { Arn: { 'Fn::GetAtt': string[] } }[];
    expect(targets[0]!.Arn['Fn::GetAtt'][0]).toMatch(/^WorkflowMeterFunction/);
    const policies = resourcesOf(plain.statelessTemplate, 'AWS::IAM::Policy').map(([, p]) => p).filter((p) => JSON.stringify(p).includes('states:GetExecutionHistory'));
    expect(policies).toHaveLength(1);
    expect(JSON.stringify(policies[0])).toMatch(/:execution:/);
    expect(JSON.stringify(policies[0])).not.toMatch(/"Action":"states:\*"/);
  });
});

describe('cost allocation tags', () => {
  it.each(manifest.functions.map((spec) => [spec.id] as const))('tags the %s function, its log group and its role with project, stage and capability', (id) => {
    // Prepare
    const template = plain.statelessTemplate;
    const fn = functions[id]!;
    const roleId = ((fn.properties['Role'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'])[0]!;
    const expected = { [PROJECT_TAG]: 'kefu', [STAGE_TAG]: 'dev', [CAPABILITY_TAG]: capabilityOf(id) };

    // Act
    const tagged = [fn.logicalId, logGroupOf(fn.properties), roleId].map((logicalId) => tagsOf(template.Resources[logicalId]!));

    // Assess
    for (const tags of tagged) expect(tags).toMatchObject(expected);
    expect(tagsOf(template.Resources[fn.logicalId]!)).toMatchObject({ [FUNCTION_TAG]: id });
  });

  it('tags every table as storage, with the stage', () => {
    // Act
    const tables = manifest.tables.map((spec) => {
      const entry = Object.entries(costly.statefulTemplate.Resources).find(([logicalId, r]) => r.Type === 'AWS::DynamoDB::GlobalTable' && logicalId.startsWith(tableConstructId(spec.id)));
      return tagsOf(entry![1]);
    });

    // Assess
    for (const tags of tables) expect(tags).toMatchObject({ [PROJECT_TAG]: 'kefu', [STAGE_TAG]: 'prod', [CAPABILITY_TAG]: 'storage' });
  });

  it.each(manifest.workflows.map((spec) => [spec.id] as const))('tags the %s state machine with its workflow and keeps its lookup tag', (id) => {
    // Act
    const stateMachine = taggedResources(plain.statelessTemplate, 'AWS::StepFunctions::StateMachine', WORKFLOW_TAG)[id]!;

    // Assess
    expect(tagsOf({ Type: stateMachine.type, Properties: stateMachine.properties })).toMatchObject({
      [PROJECT_TAG]: 'kefu',
      [STAGE_TAG]: 'dev',
      [CAPABILITY_TAG]: `workflow:${id}`,
      [WORKFLOW_TAG]: id,
    });
  });

  it('tags the APIs, the distribution and the user pool as edge', () => {
    // Act
    const edge = [
      ...['AWS::ApiGatewayV2::Api', 'AWS::CloudFront::Distribution'].flatMap((type) => resourcesOf(plain.statelessTemplate, type).map(([logicalId]) => plain.statelessTemplate.Resources[logicalId]!)),
      ...resourcesOf(plain.statefulTemplate, 'AWS::Cognito::UserPool').map(([logicalId]) => plain.statefulTemplate.Resources[logicalId]!),
    ];

    // Assess
    expect(edge).toHaveLength(4);
    for (const resource of edge) expect(tagsOf(resource), resource.Type).toMatchObject({ [CAPABILITY_TAG]: 'edge' });
  });

  it('puts project, stage and a capability on every resource that carries tags, and on both stacks', () => {
    // Act
    const untagged = [plain.statefulTemplate, plain.statelessTemplate].flatMap((template) =>
      Object.entries(template.Resources)
        .filter(([, resource]) => tagsOf(resource) !== undefined)
        .filter(([, resource]) => {
          const tags = tagsOf(resource)!;
          return tags[PROJECT_TAG] !== 'kefu' || tags[STAGE_TAG] !== 'dev' || !tags[CAPABILITY_TAG];
        })
        .map(([logicalId]) => logicalId),
    );

    // Assess
    expect(untagged).toEqual([]);
    expect(plain.stateful.tags.tagValues()).toMatchObject({ [PROJECT_TAG]: 'kefu', [STAGE_TAG]: 'dev' });
    expect(plain.stateless.tags.tagValues()).toMatchObject({ [PROJECT_TAG]: 'kefu', [STAGE_TAG]: 'dev' });
  });
});

describe('daily budget alarm', () => {
  const budgetAlarms = (template: CfnTemplate): Json[] => resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, p]) => p).filter((p) => p['MetricName'] === 'CostToday');

  it('creates no budget alarm without budgetDailyUsd', () => {
    // Assess
    expect(budgetAlarms(plain.statelessTemplate)).toEqual([]);
  });

  it("alarms on the ledger's CostToday maximum over five minutes at the daily budget, to the alarm topic", () => {
    // Act
    const alarms = budgetAlarms(costly.statelessTemplate);

    // Assess
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      Namespace: 'Kefu',
      MetricName: 'CostToday',
      Dimensions: [{ Name: 'service', Value: 'kefu-cost-ledger' }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 12.5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopic/) }],
    });
  });

  it('publishes CostToday where the alarm reads it: the namespace and service name the ledger runs with', () => {
    // Act
    const env = environmentOf(costly.statelessTemplate, 'cost-ledger');

    // Assess
    expect(env).toMatchObject({ POWERTOOLS_METRICS_NAMESPACE: 'Kefu', POWERTOOLS_SERVICE_NAME: 'kefu-cost-ledger' });
  });
});

describe('cost settings in the functions', () => {
  const costVariables = Object.values(COST_ENV) as string[];
  const setVariables = (env: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(env).filter(([name]) => costVariables.includes(name)));

  it('passes the budgets and the degrade choice to the cost ledger and the bot answer', () => {
    // Act
    const ledger = environmentOf(costly.statelessTemplate, 'cost-ledger');
    const bot = environmentOf(costly.statelessTemplate, 'bot-answer');

    // Assess
    for (const env of [ledger, bot]) expect(env).toMatchObject({ KEFU_BUDGET_DAILY_USD: '12.5', KEFU_BUDGET_MONTHLY_USD: '300', KEFU_BUDGET_DEGRADE: 'local' });
  });

  it('passes prices, currency, agent cost and retention to the cost ledger and finance', () => {
    // Act
    const ledger = environmentOf(costly.statelessTemplate, 'cost-ledger');
    const finance = environmentOf(costly.statelessTemplate, 'finance');

    // Assess
    for (const env of [ledger, finance]) {
      expect(env).toMatchObject({
        KEFU_CURRENCY: 'CNY',
        KEFU_CURRENCY_PER_USD: '7.1',
        KEFU_AGENT_HOURLY_COST: '45',
        KEFU_COST_RETENTION_DAYS: '400',
      });
      expect(JSON.parse(env['KEFU_PRICE_OVERRIDES'] as string)).toEqual({ 'lambda.requests': 0.18, 'dynamodb.writeRequestUnits': 0.5 });
    }
    expect(setVariables(finance)['KEFU_BUDGET_DAILY_USD']).toBeUndefined();
  });

  it('passes no cost setting to any other function', () => {
    // Act
    const others = manifest.functions.filter((f) => !['cost-ledger', 'finance', 'bot-answer'].includes(f.id)).map((f) => [f.id, setVariables(environmentOf(costly.statelessTemplate, f.id))] as const);

    // Assess
    for (const [id, variables] of others) expect(variables, id).toEqual({});
  });

  it('sets no cost variable when no cost setting is configured (the functions use their defaults)', () => {
    // Act
    const all = manifest.functions.map((f) => [f.id, setVariables(environmentOf(plain.statelessTemplate, f.id))] as const);

    // Assess
    for (const [id, variables] of all) expect(variables, id).toEqual({});
  });
});

describe('invalid cost context', () => {
  it.each([
    [{ budgetDailyUsd: '-1' }, /budgetDailyUsd must be a number greater than 0/],
    [{ budgetDailyUsd: 0 }, /budgetDailyUsd must be a number greater than 0/],
    [{ budgetDailyUsd: 'ten' }, /budgetDailyUsd must be a number/],
    [{ budgetMonthlyUsd: '1e3' }, /budgetMonthlyUsd must be a number/],
    [{ budgetDailyUsd: 50, budgetMonthlyUsd: 10 }, /budgetDailyUsd \(50\) must not exceed budgetMonthlyUsd \(10\)/],
    [{ budgetDegrade: 'bedrock', budgetDailyUsd: 5 }, /budgetDegrade must be one of none, local/],
    [{ budgetDegrade: 'local' }, /budgetDegrade=local needs a budget/],
    [{ priceOverrides: '{lambda.requests: 0.1}' }, /priceOverrides: KEFU_PRICE_OVERRIDES is not valid JSON/],
    [{ priceOverrides: '{"lambda.request": 0.1}' }, /priceOverrides: .*unknown price key lambda\.request/],
    [{ priceOverrides: '{"lambda.requests": -1}' }, /priceOverrides: .*lambda\.requests must be a non-negative USD price/],
    [{ currency: 'yuan', currencyPerUsd: 7 }, /currency must be an ISO 4217 code/],
    [{ currency: 'CNY' }, /currency CNY needs currencyPerUsd/],
    [{ currencyPerUsd: '7.1' }, /currencyPerUsd needs currency/],
    [{ currency: 'USD', currencyPerUsd: 2 }, /currencyPerUsd of USD must be 1/],
    [{ agentHourlyCost: '-5' }, /agentHourlyCost must be a number at least 0/],
    [{ costRetentionDays: '0' }, /costRetentionDays must be an integer between 1 and 3653/],
    [{ costRetentionDays: '30.5' }, /costRetentionDays must be an integer/],
  ] as const)('refuses %o', (context, message) => {
    // Act
    const act = (): unknown => applyDefaults({ stage: 'dev', ...context });

    // Assess
    expect(act).toThrow(message);
  });

  it('refuses to synthesize with an invalid budget', () => {
    // Act
    const act = (): unknown => synthStage('dev', { budgetDailyUsd: 'a lot' });

    // Assess
    expect(act).toThrow(/budgetDailyUsd must be a number/);
  });

  it('accepts a price override object from cdk.json and a USD currency without a rate', () => {
    // Act
    const config = applyDefaults({ stage: 'dev', priceOverrides: { 'lambda.requests': 0.2 }, currency: 'usd' });

    // Assess
    expect(config).toMatchObject({ priceOverrides: '{"lambda.requests":0.2}', currency: { code: 'USD', perUsd: 1 } });
  });
});

describe('cdk-nag with every cost setting', () => {
  it('leaves no unacknowledged AwsSolutions or CloudFormation rule finding', () => {
    // Prepare
    const file = join(costly.assembly.directory, 'validation-report.json');

    // Act
    const report = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { pluginReports: { pluginName: string; violations: { ruleName: string }[] }[] })
      : { pluginReports: [] };

    // Assess
    expect(report.pluginReports.flatMap((plugin) => plugin.violations.map((v) => `${plugin.pluginName} ${v.ruleName}`))).toEqual([]);
  });
});
