/**
 * Deployment configuration of the Kefu CDK app: the stage and the few knobs a platform team sets through CDK context
 * (`npx cdk deploy -c stage=prod -c alarmEmail=ops@example.com`). Parsed and validated once; defaults come from one
 * helper so that tests, the CLI and the local runtime see the same values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parsePriceOverrides } from '../../shared/domain/costs/prices.ts';
import { SentimentModel } from '../../shared/domain/sentiment/sentiment-model.ts';
import { SECRET_CHANNELS, type SecretChannel } from '../../shared/manifest/manifest.ts';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Engines that can score sentiment: the local one (default, no AWS calls) or Amazon Comprehend. */
export const SENTIMENT_PROVIDERS = ['local', 'comprehend'] as const;
export type SentimentProviderChoice = (typeof SENTIMENT_PROVIDERS)[number];

/** What the Bedrock-calling functions do once a budget is exceeded: nothing (default) or answer with the local engine. */
export const BUDGET_DEGRADE_CHOICES = ['none', 'local'] as const;
export type BudgetDegradeChoice = (typeof BUDGET_DEGRADE_CHOICES)[number];

/** The currency cost reports are shown in, with the units of it one US dollar buys (the ledger itself counts USD). */
export interface ReportCurrency {
  /** ISO 4217 code, e.g. CNY. */
  readonly code: string;
  readonly perUsd: number;
}

/** The validated configuration every stack and construct reads. */
export interface KefuConfig {
  readonly stage: Stage;
  /** Seconds an agent has to accept an offered conversation before it is re-offered. */
  readonly acceptTimeoutSeconds: number;
  /** Offers made to agents before the conversation becomes an offline message and a ticket. */
  readonly maxOffers: number;
  /** Where alarm notifications are e-mailed; no subscription when absent. */
  readonly alarmEmail?: string;
  /**
   * Kefu's support address for the e-mail channel (`support@help.example.com`), on a domain verified in SES and used
   * for nothing else (its MX record points at SES): mail to that domain becomes conversations (a receipt rule set,
   * activated by hand), replies go out from the address. Absent: no e-mail channel.
   */
  readonly emailAddress?: string;
  /**
   * The credentialed channels this deployment uses (default: all of them): each gets its secret
   * (`kefu/<stage>/channels/<channel>`, $0.40 a month); a channel left out has no secret and its webhook answers 503.
   */
  readonly channels: readonly SecretChannel[];
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
  /**
   * Daily infrastructure budget in US dollars: the cost ledger watches it (and publishes CostToday), the stack alarms
   * when today's cost reaches it, and with `budgetDegrade: 'local'` the Bedrock answers fall back to the local engine.
   */
  readonly budgetDailyUsd?: number;
  /** Monthly infrastructure budget in US dollars, watched by the cost ledger like the daily one. */
  readonly budgetMonthlyUsd?: number;
  /** 'local': over budget, answers come from the local engine instead of Bedrock. Only set when a budget is. */
  readonly budgetDegrade?: 'local';
  /**
   * A company's prices (negotiated, another region's) over the price table: a JSON object of price key → USD price,
   * e.g. `{"lambda.requests": 0.18}`; checked against the price table at synth.
   */
  readonly priceOverrides?: string;
  /** Currency of the cost reports (default USD). */
  readonly currency?: ReportCurrency;
  /** Cost of one agent hour, for finance's bot-versus-human comparison (passed to the functions as given). */
  readonly agentHourlyCost?: number;
  /** Days the cost ledger keeps its per-invocation lines before they expire (the daily aggregates stay). */
  readonly costRetentionDays?: number;
}

/** Context keys read by {@link readConfig}; their names are what a user passes with `-c`. */
export const CONTEXT_KEYS = {
  stage: 'stage',
  acceptTimeoutSeconds: 'acceptTimeoutSeconds',
  maxOffers: 'maxOffers',
  alarmEmail: 'alarmEmail',
  emailAddress: 'emailAddress',
  channels: 'channels',
  logRetentionDays: 'logRetentionDays',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
  bedrockModelId: 'bedrockModelId',
  bedrockGuardrailId: 'bedrockGuardrailId',
  bedrockGuardrailVersion: 'bedrockGuardrailVersion',
  sentimentProvider: 'sentimentProvider',
  sentimentModel: 'sentimentModel',
  budgetDailyUsd: 'budgetDailyUsd',
  budgetMonthlyUsd: 'budgetMonthlyUsd',
  budgetDegrade: 'budgetDegrade',
  priceOverrides: 'priceOverrides',
  currency: 'currency',
  currencyPerUsd: 'currencyPerUsd',
  agentHourlyCost: 'agentHourlyCost',
  costRetentionDays: 'costRetentionDays',
} as const;

/** Raw values as they arrive from context: strings from `-c key=value`, any JSON type from cdk.json. */
export type RawConfig = Partial<Record<keyof typeof CONTEXT_KEYS, unknown>>;

/** The settings every stage defaults; the others are optional and absent unless configured. */
type StageDefaults = Pick<KefuConfig, 'acceptTimeoutSeconds' | 'maxOffers' | 'logRetentionDays' | 'apiRateLimit' | 'apiBurstLimit'>;

const STAGE_DEFAULTS: Readonly<Record<Stage, StageDefaults>> = {
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
  const emailAddress = optionalString(raw.emailAddress)?.toLowerCase();
  if (emailAddress !== undefined && !/^[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(emailAddress)) {
    throw new Error(`emailAddress must be a plain e-mail address (no "+"), got "${emailAddress}"`);
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
  const costs = parseCostSettings(raw);
  return {
    stage,
    ...(bedrockModelId === undefined ? {} : { bedrockModelId }),
    ...(guardrailId === undefined || guardrailVersion === undefined ? {} : { bedrockGuardrail: { id: guardrailId, version: guardrailVersion } }),
    ...(sentimentProvider === undefined ? {} : { sentimentProvider }),
    ...(sentimentModel === undefined ? {} : { sentimentModel }),
    ...costs,
    acceptTimeoutSeconds: integer('acceptTimeoutSeconds', raw.acceptTimeoutSeconds, defaults.acceptTimeoutSeconds, 1, 86400),
    maxOffers: integer('maxOffers', raw.maxOffers, defaults.maxOffers, 1, 20),
    logRetentionDays: logRetentionDays as RetentionDays,
    apiRateLimit: integer('apiRateLimit', raw.apiRateLimit, defaults.apiRateLimit, 1, 10_000),
    apiBurstLimit: integer('apiBurstLimit', raw.apiBurstLimit, defaults.apiBurstLimit, 1, 5_000),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    ...(emailAddress === undefined ? {} : { emailAddress }),
    channels: parseChannels(raw.channels),
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

/** `-c channels=wechat,telegram` or an array in cdk.json; default every credentialed channel; "none" for none. */
function parseChannels(value: unknown): readonly SecretChannel[] {
  if (value === undefined || value === null || value === '') return SECRET_CHANNELS;
  const list = Array.isArray(value) ? value : typeof value === 'string' ? (value.trim() === 'none' ? [] : value.split(',')) : undefined;
  if (!list || !list.every((c) => typeof c === 'string')) throw new Error('channels must be a comma-separated list of channels');
  const channels = [...new Set(list.map((c) => (c as string).trim()).filter(Boolean))];
  const unknown = channels.filter((c) => !(SECRET_CHANNELS as readonly string[]).includes(c));
  if (unknown.length) throw new Error(`channels: unknown ${unknown.join(', ')} (choose from ${SECRET_CHANNELS.join(', ')}, or "none")`);
  return channels as SecretChannel[];
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

type CostSettings = Pick<KefuConfig, 'budgetDailyUsd' | 'budgetMonthlyUsd' | 'budgetDegrade' | 'priceOverrides' | 'currency' | 'agentHourlyCost' | 'costRetentionDays'>;

/** Budgets, prices, currency, agent cost and ledger retention: each checked here, so that a typo fails the synth. */
function parseCostSettings(raw: RawConfig): CostSettings {
  const budgetDailyUsd = optionalNumber('budgetDailyUsd', raw.budgetDailyUsd, { min: 0, minExclusive: true, max: 1_000_000 });
  const budgetMonthlyUsd = optionalNumber('budgetMonthlyUsd', raw.budgetMonthlyUsd, { min: 0, minExclusive: true, max: 10_000_000 });
  if (budgetDailyUsd !== undefined && budgetMonthlyUsd !== undefined && budgetDailyUsd > budgetMonthlyUsd) {
    throw new Error(`budgetDailyUsd (${budgetDailyUsd}) must not exceed budgetMonthlyUsd (${budgetMonthlyUsd})`);
  }
  const degrade = optionalString(raw.budgetDegrade);
  if (degrade !== undefined && !(BUDGET_DEGRADE_CHOICES as readonly string[]).includes(degrade)) {
    throw new Error(`budgetDegrade must be one of ${BUDGET_DEGRADE_CHOICES.join(', ')}, got "${degrade}"`);
  }
  if (degrade === 'local' && budgetDailyUsd === undefined && budgetMonthlyUsd === undefined) {
    throw new Error('budgetDegrade=local needs a budget: set budgetDailyUsd or budgetMonthlyUsd');
  }
  const priceOverrides = parsePriceOverridesContext(raw.priceOverrides);
  const currency = parseCurrency(raw.currency, raw.currencyPerUsd);
  const agentHourlyCost = optionalNumber('agentHourlyCost', raw.agentHourlyCost, { min: 0, max: 100_000 });
  const costRetentionDays = isBlank(raw.costRetentionDays) ? undefined : integer('costRetentionDays', raw.costRetentionDays, 0, 1, 3653);
  return {
    ...(budgetDailyUsd === undefined ? {} : { budgetDailyUsd }),
    ...(budgetMonthlyUsd === undefined ? {} : { budgetMonthlyUsd }),
    ...(degrade === 'local' ? { budgetDegrade: 'local' as const } : {}),
    ...(priceOverrides === undefined ? {} : { priceOverrides }),
    ...(currency === undefined ? {} : { currency }),
    ...(agentHourlyCost === undefined ? {} : { agentHourlyCost }),
    ...(costRetentionDays === undefined ? {} : { costRetentionDays }),
  };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** A decimal number from context (a number in cdk.json, a string with -c), within bounds. */
function optionalNumber(name: string, value: unknown, bounds: { min: number; minExclusive?: boolean; max: number }): number | undefined {
  if (isBlank(value)) return undefined;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  const tooLow = bounds.minExclusive ? parsed <= bounds.min : parsed < bounds.min;
  if (!Number.isFinite(parsed) || tooLow || parsed > bounds.max) {
    const range = `${bounds.minExclusive ? 'greater than' : 'at least'} ${bounds.min} and at most ${bounds.max}`;
    throw new Error(`${name} must be a number ${range}, got "${String(value)}"`);
  }
  return parsed;
}

/** The price overrides as the JSON text the functions read: a string from -c, or an object in cdk.json's context. */
function parsePriceOverridesContext(value: unknown): string | undefined {
  if (isBlank(value)) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  let overrides: Readonly<Record<string, number>>;
  try {
    overrides = parsePriceOverrides(text);
  } catch (error) {
    throw new Error(`priceOverrides: ${(error as Error).message}`);
  }
  return Object.keys(overrides).length === 0 ? undefined : JSON.stringify(overrides);
}

/** The report currency: an ISO 4217 code and, unless it is USD, how many of it one US dollar buys. */
function parseCurrency(codeValue: unknown, perUsdValue: unknown): ReportCurrency | undefined {
  const code = optionalString(codeValue)?.toUpperCase();
  const perUsd = optionalNumber('currencyPerUsd', perUsdValue, { min: 0, minExclusive: true, max: 1_000_000 });
  if (code === undefined) {
    if (perUsd !== undefined) throw new Error('currencyPerUsd needs currency (an ISO 4217 code such as CNY)');
    return undefined;
  }
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`currency must be an ISO 4217 code of three letters such as CNY, got "${code}"`);
  if (code === 'USD') {
    if (perUsd !== undefined && perUsd !== 1) throw new Error(`currencyPerUsd of USD must be 1, got ${perUsd}`);
    return { code, perUsd: 1 };
  }
  if (perUsd === undefined) throw new Error(`currency ${code} needs currencyPerUsd (how many ${code} one US dollar buys)`);
  return { code, perUsd };
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
