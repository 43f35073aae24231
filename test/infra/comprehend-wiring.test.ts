/**
 * Comprehend sentiment wiring: the sentimentProvider context value, and what it adds to the sentiment function (its
 * IAM statement, its environment) and nowhere else, with cdk-nag still clean.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDefaults } from '../../infra/config/kefu-config.ts';
import { FUNCTION_TAG, synthesize, taggedResources, type CfnTemplate, type SynthesizedKefu } from '../../infra/synth.ts';
import { SENTIMENT_PROVIDER_ENV } from '../../shared/manifest/manifest.ts';

type Json = Record<string, unknown>;

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs?: { constructPath: string }[] }[] }[];
}

const outdirs: string[] = [];
let local: SynthesizedKefu;
let comprehend: SynthesizedKefu;

function synthStage(context: Json): SynthesizedKefu {
  const outdir = mkdtempSync(join(tmpdir(), 'kefu-comprehend-'));
  outdirs.push(outdir);
  return synthesize({ stage: 'dev', bundling: false, outdir, context });
}

/** Statements of every IAM policy in the template, with the logical ids of the roles they attach to. */
function statements(template: CfnTemplate): { roles: string[]; statement: Json }[] {
  return Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .flatMap((resource) => {
      const properties = resource.Properties as { PolicyDocument: { Statement: Json[] }; Roles?: { Ref: string }[] };
      const roles = (properties.Roles ?? []).map((role) => role.Ref);
      return properties.PolicyDocument.Statement.map((statement) => ({ roles, statement }));
    });
}

const actionsOf = (statement: Json) => [statement['Action']].flat() as string[];
const comprehendStatements = (template: CfnTemplate) => statements(template).filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('comprehend:')));

/** Logical id of the role a tagged function runs as. */
function roleOf(template: CfnTemplate, functionId: string): string {
  const role = taggedResources(template, 'AWS::Lambda::Function', FUNCTION_TAG)[functionId]?.properties['Role'] as { 'Fn::GetAtt': [string, string] } | undefined;
  if (!role) throw new Error(`function ${functionId} has no role`);
  return role['Fn::GetAtt'][0];
}

/** Function ids whose environment names the sentiment provider. */
function functionsWithSentimentProvider(template: CfnTemplate): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [id, fn] of Object.entries(taggedResources(template, 'AWS::Lambda::Function', FUNCTION_TAG))) {
    const variables = (fn.properties['Environment'] as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};
    const provider = variables[SENTIMENT_PROVIDER_ENV.provider];
    if (provider !== undefined) found[id] = provider;
  }
  return found;
}

function unacknowledgedViolations(result: SynthesizedKefu): string[] {
  const file = join(result.assembly.directory, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) => (v.violatingConstructs ?? [{ constructPath: '?' }]).map((c) => `${plugin.pluginName} ${v.ruleName} at ${c.constructPath}`)),
  );
}

beforeAll(() => {
  local = synthStage({});
  comprehend = synthStage({ sentimentProvider: 'comprehend' });
});

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

describe('the sentimentProvider context value', () => {
  it('defaults to the local engine', () => {
    expect(applyDefaults({ stage: 'dev' }).sentimentProvider ?? 'local').toBe('local');
  });

  it.each(['local', 'comprehend', ' comprehend '])('accepts %j', (value) => {
    expect(applyDefaults({ stage: 'dev', sentimentProvider: value }).sentimentProvider).toBe(value.trim());
  });

  it.each([['bedrock'], ['Comprehend'], [true]])('rejects %j', (value) => {
    expect(() => applyDefaults({ stage: 'dev', sentimentProvider: value })).toThrow(/^sentimentProvider must be one of local, comprehend, got/);
  });
});

describe('with the local engine (default)', () => {
  it('grants no Comprehend permission', () => {
    expect(comprehendStatements(local.statelessTemplate)).toEqual([]);
  });

  it('sets no sentiment provider', () => {
    expect(functionsWithSentimentProvider(local.statelessTemplate)).toEqual({});
  });
});

describe('with Comprehend', () => {
  it("lets only the sentiment function's role call DetectSentiment and BatchDetectSentiment, on '*'", () => {
    // Act
    const found = comprehendStatements(comprehend.statelessTemplate);

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]!.roles).toEqual([roleOf(comprehend.statelessTemplate, 'sentiment')]);
    // minimizePolicies merges the statement with the role's other Resource '*' one (X-Ray).
    const comprehendActions = actionsOf(found[0]!.statement).filter((action) => action.startsWith('comprehend:'));
    expect(new Set(comprehendActions)).toEqual(new Set(['comprehend:DetectSentiment', 'comprehend:BatchDetectSentiment']));
    expect(found[0]!.statement).toMatchObject({ Effect: 'Allow', Resource: '*' });
  });

  it('tells only the sentiment function to use Comprehend', () => {
    expect(functionsWithSentimentProvider(comprehend.statelessTemplate)).toEqual({ sentiment: 'comprehend' });
  });

  it('leaves no unacknowledged cdk-nag or CloudFormation rule finding', () => {
    expect(unacknowledgedViolations(comprehend)).toEqual([]);
  });

  it("gives the sentiment role's wildcard acknowledgment a reason that names the Comprehend actions", () => {
    // Prepare
    const role = comprehend.stateless.node.findAll().find((c) => c.node.path.endsWith('/Role') && c.node.scope?.node.id.toLowerCase().includes('sentiment'));

    // Act
    const reasons = (role?.node.metadata ?? [])
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .filter(([id]) => id.includes('AwsSolutions-IAM5[Resource::*]'));

    // Assess
    expect(reasons).toHaveLength(1);
    expect(reasons[0]![1]).toMatch(/comprehend:DetectSentiment and comprehend:BatchDetectSentiment/);
  });
});

describe('a trained sentiment model (sentimentModel context)', () => {
  it('is checked at synth, and ships only with the sentiment function, named in its environment', async () => {
    const { SentimentModel } = await import('../../shared/domain/sentiment/sentiment-model.ts');
    const { writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'kefu-model-'));
    outdirs.push(dir);
    const path = join(dir, 'model.json');
    writeFileSync(path, JSON.stringify(SentimentModel.train([{ text: 'good', label: 'positive' }, { text: 'bad', label: 'negative' }], 'polarity').toJSON()));
    const withModel = synthStage({ sentimentModel: path });
    const found: Record<string, string> = {};
    for (const [id, fn] of Object.entries(taggedResources(withModel.statelessTemplate, 'AWS::Lambda::Function', FUNCTION_TAG))) {
      const model = (fn.properties['Environment'] as { Variables?: Record<string, string> } | undefined)?.Variables?.['KEFU_SENTIMENT_MODEL'];
      if (model) found[id] = model;
    }
    expect(found).toEqual({ sentiment: '/var/task/sentiment-model.json' });
    expect(() => applyDefaults({ stage: 'dev', sentimentModel: join(dir, 'missing.json') })).toThrow(/does not exist/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format":"other"}');
    expect(() => applyDefaults({ stage: 'dev', sentimentModel: broken })).toThrow(/not a usable model/);
  });
});
