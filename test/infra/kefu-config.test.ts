import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { applyDefaults, readConfig } from '../../infra/config/kefu-config.ts';

describe('applyDefaults', () => {
  it('applies the stage defaults when only the stage is given', () => {
    // Prepare
    const raw = { stage: 'dev' };

    // Act
    const config = applyDefaults(raw);

    // Assess
    expect(config).toEqual({ stage: 'dev', acceptTimeoutSeconds: 120, maxOffers: 3, logRetentionDays: RetentionDays.TWO_WEEKS, apiRateLimit: 50, apiBurstLimit: 100, channels: ['wechat', 'wecom', 'whatsapp', 'telegram', 'line', 'sms'] });
  });

  it('keeps logs for a year in prod', () => {
    // Act
    const config = applyDefaults({ stage: 'prod' });

    // Assess
    expect(config.logRetentionDays).toBe(RetentionDays.ONE_YEAR);
  });

  it('parses numbers passed as strings with -c', () => {
    // Act
    const config = applyDefaults({ stage: 'prod', acceptTimeoutSeconds: '90', maxOffers: '5', logRetentionDays: '30' });

    // Assess
    expect(config).toMatchObject({ acceptTimeoutSeconds: 90, maxOffers: 5, logRetentionDays: 30 });
  });

  it('keeps a valid alarm e-mail', () => {
    // Act
    const config = applyDefaults({ stage: 'dev', alarmEmail: 'ops@example.com' });

    // Assess
    expect(config.alarmEmail).toBe('ops@example.com');
  });

  it('rejects an unknown stage with a lower-case message', () => {
    // Act
    const act = (): unknown => applyDefaults({ stage: 'staging' });

    // Assess
    expect(act).toThrow('stage must be one of dev, prod, got "staging"');
  });

  it('rejects a missing stage', () => {
    // Act
    const act = (): unknown => applyDefaults({});

    // Assess
    expect(act).toThrow(/^stage is required/);
  });

  it('rejects a retention CloudWatch Logs does not offer', () => {
    // Act
    const act = (): unknown => applyDefaults({ stage: 'dev', logRetentionDays: 10 });

    // Assess
    expect(act).toThrow(/^logRetentionDays must be one of/);
  });

  it('rejects a non-integer accept timeout', () => {
    // Act
    const act = (): unknown => applyDefaults({ stage: 'dev', acceptTimeoutSeconds: '2 minutes' });

    // Assess
    expect(act).toThrow('acceptTimeoutSeconds must be an integer between 1 and 86400, got "2 minutes"');
  });

  it('rejects zero offers', () => {
    // Act
    const act = (): unknown => applyDefaults({ stage: 'dev', maxOffers: 0 });

    // Assess
    expect(act).toThrow(/^maxOffers must be an integer between 1 and 20/);
  });

  it('rejects an alarm e-mail that is not an address', () => {
    // Act
    const act = (): unknown => applyDefaults({ stage: 'dev', alarmEmail: 'ops' });

    // Assess
    expect(act).toThrow('alarmEmail must be an e-mail address, got "ops"');
  });
});

describe('readConfig', () => {
  it('reads every setting from context', () => {
    // Prepare
    const context: Record<string, unknown> = { stage: 'prod', maxOffers: 4, alarmEmail: 'ops@example.com', apiRateLimit: '200', channels: 'wechat,sms', emailAddress: 'support@help.example.com' };

    // Act
    const config = readConfig((key) => context[key]);

    // Assess
    expect(config).toEqual({
      stage: 'prod',
      acceptTimeoutSeconds: 120,
      maxOffers: 4,
      alarmEmail: 'ops@example.com',
      logRetentionDays: RetentionDays.ONE_YEAR,
      apiRateLimit: 200,
      apiBurstLimit: 1000,
      channels: ['wechat', 'sms'],
      emailAddress: 'support@help.example.com',
    });
  });
});

describe('Bedrock configuration', () => {
  it('keeps a model id and a guardrail given together', () => {
    expect(applyDefaults({ stage: 'dev', bedrockModelId: 'amazon.nova-micro-v1:0', bedrockGuardrailId: 'abc123', bedrockGuardrailVersion: 'DRAFT' })).toMatchObject({
      bedrockModelId: 'amazon.nova-micro-v1:0',
      bedrockGuardrail: { id: 'abc123', version: 'DRAFT' },
    });
  });

  it.each([
    [{ bedrockGuardrailId: 'abc123' }, /go together/],
    [{ bedrockGuardrailId: 'abc123', bedrockGuardrailVersion: '1' }, /needs bedrockModelId/],
    [{ bedrockModelId: 'bad model id!' }, /bedrockModelId must be/],
    [{ bedrockModelId: 'amazon.nova-micro-v1:0', bedrockGuardrailId: 'abc123', bedrockGuardrailVersion: 'latest' }, /DRAFT or a number/],
  ])('rejects %j', (raw, message) => {
    expect(() => applyDefaults({ stage: 'dev', ...raw })).toThrow(message);
  });
});


describe('channels and the e-mail address', () => {
  it('deploys every credentialed channel by default, the listed ones when given, none on "none"', () => {
    expect(applyDefaults({ stage: 'dev' }).channels).toEqual(['wechat', 'wecom', 'whatsapp', 'telegram', 'line', 'sms']);
    expect(applyDefaults({ stage: 'dev', channels: 'telegram, wechat,telegram' }).channels).toEqual(['telegram', 'wechat']);
    expect(applyDefaults({ stage: 'dev', channels: ['line'] }).channels).toEqual(['line']);
    expect(applyDefaults({ stage: 'dev', channels: 'none' }).channels).toEqual([]);
  });

  it('refuses an unknown channel and a malformed address, naming them', () => {
    expect(() => applyDefaults({ stage: 'dev', channels: 'wechat,fax' })).toThrow(/unknown fax/);
    expect(() => applyDefaults({ stage: 'dev', emailAddress: 'support+x@example.com' })).toThrow(/emailAddress/);
    expect(applyDefaults({ stage: 'dev', emailAddress: 'Support@Help.Example.com' }).emailAddress).toBe('support@help.example.com');
  });
});
