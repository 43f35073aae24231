import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, type CfnTemplate } from '../../infra/synth.ts';
import { tableConstructId } from '../../infra/stacks/stateful-stack.ts';
import { manifest, ROLES, type TableSpec } from '../../shared/manifest/manifest.ts';

const outdirs: string[] = [];
function synthStage(stage: 'dev' | 'prod'): { template: Template; json: CfnTemplate } {
  const outdir = mkdtempSync(join(tmpdir(), `kefu-stateful-${stage}-`));
  outdirs.push(outdir);
  const { statefulTemplate } = synthesize({ stage, bundling: false, outdir });
  return { template: Template.fromJSON(statefulTemplate), json: statefulTemplate };
}

/** The table resource built for a manifest table, found by its construct id's logical-id prefix. */
function tableResource(json: CfnTemplate, spec: TableSpec): Record<string, unknown> {
  const prefix = tableConstructId(spec.id);
  const matches = Object.entries(json.Resources).filter(
    ([logicalId, resource]) => resource.Type === 'AWS::DynamoDB::GlobalTable' && logicalId.startsWith(prefix) && logicalId.length === prefix.length + 8,
  );
  expect(matches, `table ${spec.id}`).toHaveLength(1);
  return matches[0]![1];
}

let dev: { template: Template; json: CfnTemplate };
let prod: { template: Template; json: CfnTemplate };

beforeAll(() => {
  dev = synthStage('dev');
  prod = synthStage('prod');
});

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

describe('tables', () => {
  it('creates one table per manifest table', () => {
    // Assess
    dev.template.resourceCountIs('AWS::DynamoDB::GlobalTable', manifest.tables.length);
  });

  it.each(manifest.tables.map((spec) => [spec.id, spec] as const))('gives %s its keys and indexes', (_id, spec) => {
    // Act
    const table = tableResource(dev.json, spec);

    // Assess
    const keySchema = [{ AttributeName: spec.partitionKey, KeyType: 'HASH' }, ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' }] : [])];
    expect(table['Properties']).toMatchObject({ KeySchema: keySchema });
    const indexes = ((table['Properties'] as Record<string, unknown>)['GlobalSecondaryIndexes'] ?? []) as { IndexName: string; KeySchema: unknown[] }[];
    expect(indexes.map((index) => index.IndexName)).toEqual((spec.indexes ?? []).map((index) => index.name));
    for (const index of spec.indexes ?? []) {
      expect(indexes.find((i) => i.IndexName === index.name)?.KeySchema).toEqual([
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
      ]);
    }
  });

  it.each(manifest.tables.map((spec) => [spec.id, spec] as const))('bills %s on demand with PITR and KMS encryption', (_id, spec) => {
    // Act
    const properties = tableResource(dev.json, spec)['Properties'];

    // Assess
    expect(properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
    });
  });

  it.each(manifest.tables.map((spec) => [spec.id, spec] as const))('sets the TTL and stream of %s as the manifest says', (_id, spec) => {
    // Act
    const properties = tableResource(dev.json, spec)['Properties'] as Record<string, unknown>;

    // Assess
    expect(properties['TimeToLiveSpecification']).toEqual(spec.ttlAttribute ? { AttributeName: spec.ttlAttribute, Enabled: true } : undefined);
    expect(properties['StreamSpecification']).toEqual(spec.stream ? { StreamViewType: spec.stream } : undefined);
  });

  it('protects every table from deletion in prod', () => {
    // Act
    const tables = manifest.tables.map((spec) => tableResource(prod.json, spec));

    // Assess
    for (const table of tables) {
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { Replicas: [{ DeletionProtectionEnabled: true }] } });
    }
  });

  it('lets dev tables be deleted with the stack', () => {
    // Act
    const tables = manifest.tables.map((spec) => tableResource(dev.json, spec));

    // Assess
    for (const table of tables) {
      expect(table).toMatchObject({ DeletionPolicy: 'Delete', Properties: { Replicas: [{ DeletionProtectionEnabled: false }] } });
    }
  });
});

describe('user pool', () => {
  it('requires MFA, a strong password and the plus tier with enforced threat protection', () => {
    // Assess
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
  });

  it('creates a group per console role', () => {
    // Act
    const groups = Object.values(dev.template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => (group['Properties'] as { GroupName: string }).GroupName,
    );

    // Assess
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('gives the console a public SRP client without OAuth', () => {
    // Assess
    dev.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('protects the user pool from deletion in prod', () => {
    // Assess
    prod.template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
  });
});

describe('secrets and buckets', () => {
  it('generates the customer-token secret', () => {
    // Assess
    dev.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  it('blocks public access, encrypts and logs the console bucket', () => {
    // Assess
    dev.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', Match.arrayWith(['kefu-dev-console-'])] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { LogFilePrefix: 'console-bucket/' },
    });
  });

  it('denies plain-HTTP requests to every bucket', () => {
    // Act
    const policies = Object.values(dev.template.findResources('AWS::S3::BucketPolicy'));

    // Assess: the console, access-log and mail buckets.
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it("lets SES's receipt rules of this account write raw mail under email/inbound/ only, and expires it after 30 days", () => {
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowSesReceiptRules',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } } },
            Resource: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/email/inbound/*'])]) }),
          }),
        ]),
      },
    });
    dev.template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'email/inbound/', ExpirationInDays: 30, Status: 'Enabled' })] } });
  });

  it('admits CloudFront origin access control from this account only', () => {
    // Assess
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudFrontOriginAccessControl',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: Match.anyValue() },
          }),
        ]),
      },
    });
  });
});
