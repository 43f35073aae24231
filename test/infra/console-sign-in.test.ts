/**
 * The console's sign-in in AWS: Cognito's managed login on a prefix domain of the user pool, an app client that allows
 * only the authorization code grant (with PKCE, no secret) back to the distribution's /console/, the HTTP API's JWT
 * authorizer and the functions checking tokens of that client, and the deployed config.json naming the domain.
 * cdk-nag stays clean with the extra context (test/infra/cdk-nag.test.ts checks the default stages).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleUrlsFromContext, validDomainPrefix } from '../../infra/stacks/stateless-stack.ts';
import { FUNCTION_TAG, synthesize, taggedResources, type CfnTemplate, type SynthesizedKefu } from '../../infra/synth.ts';
import { COMMON_ENV } from '../../shared/manifest/manifest.ts';

type Json = Record<string, unknown>;

const outdirs: string[] = [];
function synthStage(stage: 'dev' | 'prod', context: Json = {}): SynthesizedKefu {
  const outdir = mkdtempSync(join(tmpdir(), `kefu-sign-in-${stage}-`));
  outdirs.push(outdir);
  return synthesize({ stage, bundling: false, outdir, context });
}

function only(template: CfnTemplate, type: string): { logicalId: string; properties: Json } {
  const found = Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
  expect(found, type).toHaveLength(1);
  return { logicalId: found[0]![0], properties: found[0]![1].Properties ?? {} };
}

/**
 * The deployed config.json as synthesized: the jsonData asset of the console deployment, its deploy-time markers
 * replaced by the CloudFormation expressions they stand for (as JSON text).
 */
function deployedConfig(result: SynthesizedKefu): { auth: Record<string, string> } {
  const deployment = only(result.statelessTemplate, 'Custom::CDKBucketDeployment').properties;
  const keys = deployment['SourceObjectKeys'] as string[];
  const markers = deployment['SourceMarkers'] as Record<string, unknown>[];
  const index = keys.findIndex((key) => existsSync(join(result.assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'config.json')));
  expect(index, 'the config.json source of the console deployment').toBeGreaterThanOrEqual(0);
  let text = readFileSync(join(result.assembly.directory, `asset.${keys[index]!.replace(/\.zip$/, '')}`, 'config.json'), 'utf8');
  for (const [marker, value] of Object.entries(markers[index] ?? {})) text = text.replaceAll(marker, JSON.stringify(value).replace(/"/g, "'"));
  return JSON.parse(text) as { auth: Record<string, string> };
}

let dev: SynthesizedKefu;
let devTemplate: Template;
let custom: SynthesizedKefu;
let prod: SynthesizedKefu;

beforeAll(() => {
  dev = synthStage('dev');
  devTemplate = Template.fromJSON(dev.statelessTemplate);
  custom = synthStage('dev', { cognitoDomainPrefix: 'acme-support', consoleUrls: 'https://support.example.com/console/, http://localhost:5173/console/' });
  prod = synthStage('prod');
});

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

describe('managed-login domain', () => {
  it('gives the user pool a Cognito prefix domain with managed login version 2', () => {
    // Act
    const domain = only(dev.statelessTemplate, 'AWS::Cognito::UserPoolDomain').properties;

    // Assess
    expect(domain).toMatchObject({ ManagedLoginVersion: 2, UserPoolId: { 'Fn::ImportValue': expect.stringMatching(/UserPool/) } });
    expect(domain['CustomDomainConfig']).toBeUndefined();
  });

  it('derives the default prefix from the stage and the stack id, never the account id', () => {
    // Act
    const prefix = JSON.stringify(only(dev.statelessTemplate, 'AWS::Cognito::UserPoolDomain').properties['Domain']);
    const prodPrefix = JSON.stringify(only(prod.statelessTemplate, 'AWS::Cognito::UserPoolDomain').properties['Domain']);

    // Assess
    expect(prefix).toContain('"kefu-dev-"');
    expect(prefix).toContain('AWS::StackId');
    expect(prefix).not.toContain('AWS::AccountId');
    expect(prodPrefix).toContain('"kefu-prod-"');
  });

  it('takes the prefix from cognitoDomainPrefix', () => {
    // Assess
    expect(only(custom.statelessTemplate, 'AWS::Cognito::UserPoolDomain').properties['Domain']).toBe('acme-support');
  });

  it.each(['Acme', 'my-aws-console', 'cognito-kefu', '-kefu', 'kefu_support', 'a'.repeat(64)])('refuses the prefix %s', (prefix) => {
    // Assess
    expect(() => validDomainPrefix(prefix)).toThrow(/cognitoDomainPrefix/);
  });

  it('brands the console client with Cognito-provided values', () => {
    // Act
    const client = only(dev.statelessTemplate, 'AWS::Cognito::UserPoolClient');

    // Assess
    devTemplate.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { ClientId: { Ref: client.logicalId }, UseCognitoProvidedValues: true });
  });
});

describe('console app client', () => {
  it('allows only the authorization code grant, with the OpenID scopes and no secret', () => {
    // Act
    const client = only(dev.statelessTemplate, 'AWS::Cognito::UserPoolClient').properties;

    // Assess
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 7 * 24 * 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect([...(client['AllowedOAuthScopes'] as string[])].sort()).toEqual(['email', 'openid', 'profile']);
    expect(client['ExplicitAuthFlows']).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('sends the browser back to the distribution /console/ after sign-in and sign-out', () => {
    // Act
    const client = only(dev.statelessTemplate, 'AWS::Cognito::UserPoolClient').properties;
    const distribution = only(dev.statelessTemplate, 'AWS::CloudFront::Distribution').logicalId;

    // Assess
    const consoleUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/console/']] };
    expect(client['CallbackURLs']).toEqual([consoleUrl]);
    expect(client['LogoutURLs']).toEqual([consoleUrl]);
  });

  it('adds the consoleUrls of a custom domain as callback and sign-out URLs', () => {
    // Act
    const client = only(custom.statelessTemplate, 'AWS::Cognito::UserPoolClient').properties;

    // Assess
    for (const key of ['CallbackURLs', 'LogoutURLs']) {
      expect((client[key] as unknown[]).slice(1), key).toEqual(['https://support.example.com/console/', 'http://localhost:5173/console/']);
    }
  });

  it.each(['http://support.example.com/console/', 'https://support.example.com/', 'https://support.example.com/console/?x=1', 'not a url'])('refuses the console URL %s', (url) => {
    // Assess
    expect(() => consoleUrlsFromContext(url)).toThrow(/consoleUrls/);
  });

  it('reads consoleUrls as a JSON array too', () => {
    // Assess
    expect(consoleUrlsFromContext('["https://a.example.com/console/","https://b.example.com/console/"]')).toEqual(['https://a.example.com/console/', 'https://b.example.com/console/']);
    expect(consoleUrlsFromContext(undefined)).toEqual([]);
  });

  it('lives in the stateless stack, next to the distribution, without a dependency back on it', () => {
    // Assess: the stateful stack imports nothing, and keeps its SRP client's export for stacks deployed before.
    expect(JSON.stringify(dev.statefulTemplate)).not.toContain('Fn::ImportValue');
    expect(Object.keys(dev.statefulTemplate.Outputs ?? {}).some((key) => key.startsWith('ExportsOutputRefUserPoolConsoleClient'))).toBe(true);
  });
});

describe('token checks', () => {
  it('makes the HTTP API JWT authorizer accept only tokens of the console client', () => {
    // Act
    const client = only(dev.statelessTemplate, 'AWS::Cognito::UserPoolClient').logicalId;

    // Assess
    devTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: client }], Issuer: Match.anyValue() },
    });
  });

  it('gives every function the console client as JWT audience', () => {
    // Act
    const client = only(dev.statelessTemplate, 'AWS::Cognito::UserPoolClient').logicalId;
    const functions = Object.values(taggedResources(dev.statelessTemplate, 'AWS::Lambda::Function', FUNCTION_TAG));

    // Assess
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect((fn.properties['Environment'] as { Variables: Json }).Variables[COMMON_ENV.jwtAudience], fn.logicalId).toEqual({ Ref: client });
  });
});

describe('deployed config.json', () => {
  it('names the managed-login domain, the client and the pool', () => {
    // Act
    const config = deployedConfig(dev);
    const domain = only(dev.statelessTemplate, 'AWS::Cognito::UserPoolDomain').logicalId;
    const client = only(dev.statelessTemplate, 'AWS::Cognito::UserPoolClient').logicalId;

    // Assess
    expect(config.auth).toEqual({
      kind: 'cognito',
      region: "{'Ref':'AWS::Region'}",
      userPoolId: expect.stringMatching(/^\{'Fn::ImportValue':'Kefu-dev-Stateful:ExportsOutputRefUserPool/),
      clientId: `{'Ref':'${client}'}`,
      domain: `https://{'Ref':'${domain}'}.auth.{'Ref':'AWS::Region'}.amazoncognito.com`,
    });
  });

  it('outputs the managed-login base URL', () => {
    // Assess
    expect(JSON.stringify(dev.statelessTemplate.Outputs?.['SignInDomain'])).toContain('.amazoncognito.com');
  });
});
