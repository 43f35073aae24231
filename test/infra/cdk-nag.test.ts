import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdkJsonContext, synthesize, type SynthesizedKefu } from '../../infra/synth.ts';

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs?: { constructPath: string }[] }[] }[];
}

interface Acknowledgment {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

const outdirs: string[] = [];
const synthesized: Partial<Record<'dev' | 'prod', SynthesizedKefu>> = {};

function synthStage(stage: 'dev' | 'prod'): SynthesizedKefu {
  const outdir = mkdtempSync(join(tmpdir(), `kefu-nag-${stage}-`));
  outdirs.push(outdir);
  // prod also turns on Bedrock answers through a cross-Region inference profile with a guardrail, so that the
  // permissions that path adds are checked too.
  const bedrock = stage === 'prod' ? { bedrockModelId: 'us.amazon.nova-micro-v1:0', bedrockGuardrailId: 'gr0abc123', bedrockGuardrailVersion: '1' } : {};
  return synthesize({ stage, bundling: false, outdir, context: { alarmEmail: 'ops@example.com', emailAddress: 'support@help.example.com', ...bedrock } });
}

/** Rule violations left after acknowledgments, as `rule at path` lines. */
function unacknowledgedViolations(result: SynthesizedKefu): string[] {
  const file = join(result.assembly.directory, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) => (v.violatingConstructs ?? [{ constructPath: '?' }]).map((c) => `${plugin.pluginName} ${v.severity} ${v.ruleName} at ${c.constructPath}`)),
  );
}

/** Warnings and errors attached to constructs (CDK and construct-library annotations) that nobody acknowledged. */
function annotations(result: SynthesizedKefu): string[] {
  return [result.stateful, result.stateless].flatMap((stack) =>
    result.assembly
      .getStackArtifact(stack.artifactId)
      .messages.filter((m) => m.level === 'warning' || m.level === 'error')
      .map((m) => `${m.level} ${m.id}: ${String(m.entry.data)}`),
  );
}

function acknowledgments(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
  );
}

beforeAll(() => {
  synthesized.dev = synthStage('dev');
  synthesized.prod = synthStage('prod');
});

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

describe.each(['dev', 'prod'] as const)('%s stage', (stage) => {
  it('leaves no unacknowledged cdk-nag AwsSolutions or CloudFormation rule finding', () => {
    // Act
    const violations = unacknowledgedViolations(synthesized[stage]!);

    // Assess
    expect(violations).toEqual([]);
  });

  it('leaves no unacknowledged construct warning or error', () => {
    // Act
    const messages = annotations(synthesized[stage]!);

    // Assess
    expect(messages).toEqual([]);
  });

  it('gives every acknowledgment a specific reason', () => {
    // Act
    const acks = acknowledgments(synthesized[stage]!.app);

    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.trim().length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(40);
      expect(ack.reason, `${ack.id} at ${ack.path}`).not.toMatch(/^(todo|n\/a|none|suppress)/i);
    }
  });

  it('acknowledges wildcard IAM findings one finding at a time', () => {
    // Act
    const iam5 = acknowledgments(synthesized[stage]!.app).filter((ack) => ack.id.includes('AwsSolutions-IAM5'));

    // Assess
    for (const ack of iam5) expect(ack.id, ack.path).toMatch(/AwsSolutions-IAM5\[(Action|Resource)::.+\]$/);
  });

  it('never acknowledges a finding for a whole stack', () => {
    // Act
    const paths = acknowledgments(synthesized[stage]!.app).map((ack) => ack.path);

    // Assess
    expect(paths.filter((path) => !path.includes('/'))).toEqual([]);
  });
});

describe('CloudFormation default rules', () => {
  it('treats CloudFormation rule findings as errors, as cdk.json asks', () => {
    // Act
    const flag = synthesized.dev!.app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules');

    // Assess
    expect(cdkJsonContext()['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
    expect(flag).toBe(true);
  });

  it('synthesizes with the default rules as errors without throwing', () => {
    // Act
    const act = (): unknown => synthStage('dev');

    // Assess
    expect(act).not.toThrow();
  });
});
