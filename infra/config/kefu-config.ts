/**
 * Deployment configuration of the Kefu CDK app: the stage and the few knobs a platform team sets through CDK context
 * (`npx cdk deploy -c stage=prod -c alarmEmail=ops@example.com`). Parsed and validated once; defaults come from one
 * helper so that tests, the CLI and the local runtime see the same values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { SentimentModel } from '../../shared/domain/sentiment/sentiment-model.ts';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Engines that can score sentiment: the local one (default, no AWS calls) or Amazon Comprehend. */
export const SENTIMENT_PROVIDERS = ['local', 'comprehend'] as const;
export type SentimentProviderChoice = (typeof SENTIMENT_PROVIDERS)[number];

/** The validated configuration every stack and construct reads. */
export interface KefuConfig {
  readonly stage: Stage;
  /** Seconds an agent has to accept an offered conversation before it is re-offered. */
  readonly acceptTimeoutSeconds: number;
  /** Offers made to agents before the conversation becomes an offline message and a ticket. */
  readonly maxOffers: number;
  /** Where alarm notifications are e-mailed; no subscription when absent. */
  readonly alarmEmail?: string;
  /** Retention of every CloudWatch log group (functions, workflows, API access logs). */
  readonly logRetentionDays: RetentionDays;
  /** Steady requests per second the HTTP and WebSocket APIs accept before answering 429 (abuse and cost guard). */
  readonly apiRateLimit: number;
  /** Burst of requests the APIs accept above the steady rate. */
  readonly apiBurstLimit: number;
  /**
   * Bedrock model (foundation model id, or a cross-Region inference profile id such as us.amazon.nova-micro-v1:0) that
   * writes grounded answers; absent: the local answer engine alone (no Bedrock calls, no Bedrock permissions).
   */
  readonly bedrockModelId?: string;
  /** Bedrock guardrail applied to every answer, with its version (both or neither). */
  readonly bedrockGuardrail?: { readonly id: string; readonly version: string };
  /**
   * Who scores sentiment: 'comprehend' calls Amazon Comprehend (the local engine stays the fallback); 'local' makes no
   * Comprehend calls and grants no Comprehend permissions.
   *
   * @default 'local'
   */
  readonly sentimentProvider?: SentimentProviderChoice;
  /**
   * Absolute path of a sentiment model trained with `npm run kefu -- sentiment train` (checked at synth): shipped in
   * the sentiment function's asset and used by the local engine (and as Comprehend's emotion source).
   */
  readonly sentimentModel?: string;
}

/** Context keys read by {@link readConfig}; their names are what a user passes with `-c`. */
export const CONTEXT_KEYS = {
  stage: 'stage',
  acceptTimeoutSeconds: 'acceptTimeoutSeconds',
  maxOffers: 'maxOffers',
  alarmEmail: 'alarmEmail',
  logRetentionDays: 'logRetentionDays',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
  bedrockModelId: 'bedrockModelId',
  bedrockGuardrailId: 'bedrockGuardrailId',
  bedrockGuardrailVersion: 'bedrockGuardrailVersion',
  sentimentProvider: 'sentimentProvider',
  sentimentModel: 'sentimentModel',
} as const;

/** Raw values as they arrive from context: strings from `-c key=value`, any JSON type from cdk.json. */
export type RawConfig = Partial<Record<keyof typeof CONTEXT_KEYS, unknown>>;

const STAGE_DEFAULTS: Readonly<Record<Stage, Omit<KefuConfig, 'stage' | 'alarmEmail' | 'bedrockModelId' | 'bedrockGuardrail' | 'sentimentProvider' | 'sentimentModel'>>> = {
  dev: { acceptTimeoutSeconds: 120, maxOffers: 3, logRetentionDays: RetentionDays.TWO_WEEKS, apiRateLimit: 50, apiBurstLimit: 100 },
  prod: { acceptTimeoutSeconds: 120, maxOffers: 3, logRetentionDays: RetentionDays.ONE_YEAR, apiRateLimit: 500, apiBurstLimit: 1000 },
};

const RETENTION_VALUES: readonly number[] = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');

/** Resolves raw context values into a validated {@link KefuConfig}, applying the stage's defaults. */
export function applyDefaults(raw: RawConfig): KefuConfig {
  const stage = parseStage(raw.stage);
  const defaults = STAGE_DEFAULTS[stage];
  const alarmEmail = optionalString(raw.alarmEmail);
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`alarmEmail must be an e-mail address, got "${alarmEmail}"`);
  }
  const logRetentionDays = integer('logRetentionDays', raw.logRetentionDays, defaults.logRetentionDays, 1, 9999);
  if (!RETENTION_VALUES.includes(logRetentionDays)) {
    throw new Error(`logRetentionDays must be one of ${RETENTION_VALUES.join(', ')}, got ${logRetentionDays}`);
  }
  const bedrockModelId = optionalString(raw.bedrockModelId);
  if (bedrockModelId !== undefined && !/^[A-Za-z0-9][A-Za-z0-9.:_/-]{2,255}$/.test(bedrockModelId)) {
    throw new Error(`bedrockModelId must be a Bedrock model or inference profile id, got "${bedrockModelId}"`);
  }
  const guardrailId = optionalString(raw.bedrockGuardrailId);
  const guardrailVersion = optionalString(raw.bedrockGuardrailVersion);
  if ((guardrailId === undefined) !== (guardrailVersion === undefined)) throw new Error('bedrockGuardrailId and bedrockGuardrailVersion go together');
  if (guardrailId !== undefined && bedrockModelId === undefined) throw new Error('a Bedrock guardrail needs bedrockModelId');
  if (guardrailId !== undefined && !/^[a-z0-9]{1,64}$/.test(guardrailId)) throw new Error(`bedrockGuardrailId must be a guardrail id, got "${guardrailId}"`);
  if (guardrailVersion !== undefined && !/^(DRAFT|[1-9][0-9]{0,7})$/.test(guardrailVersion)) throw new Error(`bedrockGuardrailVersion must be DRAFT or a number, got "${guardrailVersion}"`);
  const sentimentProvider = parseSentimentProvider(raw.sentimentProvider);
  const sentimentModel = parseSentimentModel(raw.sentimentModel);
  return {
    stage,
    ...(bedrockModelId === undefined ? {} : { bedrockModelId }),
    ...(guardrailId === undefined || guardrailVersion === undefined ? {} : { bedrockGuardrail: { id: guardrailId, version: guardrailVersion } }),
    ...(sentimentProvider === undefined ? {} : { sentimentProvider }),
    ...(sentimentModel === undefined ? {} : { sentimentModel }),
    acceptTimeoutSeconds: integer('acceptTimeoutSeconds', raw.acceptTimeoutSeconds, defaults.acceptTimeoutSeconds, 1, 86400),
    maxOffers: integer('maxOffers', raw.maxOffers, defaults.maxOffers, 1, 20),
    logRetentionDays: logRetentionDays as RetentionDays,
    apiRateLimit: integer('apiRateLimit', raw.apiRateLimit, defaults.apiRateLimit, 1, 10_000),
    apiBurstLimit: integer('apiBurstLimit', raw.apiBurstLimit, defaults.apiBurstLimit, 1, 5_000),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
  };
}

/** Reads the configuration from a construct tree's context (the CLI passes `-c` values and cdk.json's context). */
export function readConfig(tryGetContext: (key: string) => unknown): KefuConfig {
  const raw: RawConfig = {};
  for (const [field, key] of Object.entries(CONTEXT_KEYS) as [keyof typeof CONTEXT_KEYS, string][]) {
    raw[field] = tryGetContext(key);
  }
  return applyDefaults(raw);
}

/** True for the production stage, whose data is retained and protected from deletion. */
export function isProd(config: KefuConfig): boolean {
  return config.stage === 'prod';
}

function parseStage(value: unknown): Stage {
  if (value === undefined || value === null || value === '') throw new Error(`stage is required: pass -c stage=${STAGES.join('|')}`);
  if (typeof value !== 'string' || !(STAGES as readonly string[]).includes(value)) {
    throw new Error(`stage must be one of ${STAGES.join(', ')}, got "${String(value)}"`);
  }
  return value as Stage;
}

function parseSentimentProvider(value: unknown): SentimentProviderChoice | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const choice = typeof value === 'string' ? value.trim() : value;
  if (typeof choice !== 'string' || !(SENTIMENT_PROVIDERS as readonly string[]).includes(choice)) {
    throw new Error(`sentimentProvider must be one of ${SENTIMENT_PROVIDERS.join(', ')}, got "${String(value)}"`);
  }
  return choice as SentimentProviderChoice;
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`expected a string, got ${typeof value}`);
  return value.trim();
}

function integer(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${String(value)}"`);
  }
  return parsed;
}

/** A trained model's path: it must exist and be a Kefu sentiment model, so that a typo fails the synth, not the function. */
function parseSentimentModel(value: unknown): string | undefined {
  const path = optionalString(value);
  if (path === undefined) return undefined;
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new Error(`sentimentModel ${absolute} does not exist (train one with npm run kefu -- sentiment train FILE)`);
  try {
    SentimentModel.fromJSON(JSON.parse(readFileSync(absolute, 'utf8')));
  } catch (error) {
    throw new Error(`sentimentModel ${absolute} is not a usable model: ${(error as Error).message}`);
  }
  return absolute;
}
