/**
 * The price table of the cost meter: what each metered unit of the AWS services Kefu runs on costs, by region and by
 * the date the prices were read, each price with the public page it came from, so that a figure in a report can be
 * traced back to a published price. Nothing here does I/O: prices are data, checked in and versioned; a company's
 * discount or another region's prices come in as overrides (`KEFU_PRICE_OVERRIDES`), not by editing the table.
 *
 * Rules a caller must know:
 * - Prices are list prices of the first volume tier; free tiers, savings plans and volume discounts are not applied
 *   (an override carries a negotiated price).
 * - A table applies from its `asOf` date (00:00 UTC) until a newer table of the same region.
 * - A region without a table is priced with us-east-1's table, and the choice says so (`substitutedFor`).
 * - Bedrock cross-Region inference profile ids (`us.`, `eu.`, `apac.`, `global.`, ...) cost what the model costs.
 */

/** Every metered item of the table, named `<service>.<meter>`. */
export const PRICE_KEYS = [
  'lambda.requests',
  'lambda.gbSecond.arm64',
  'lambda.gbSecond.x86_64',
  'apigw.http.requests',
  'apigw.ws.messages',
  'apigw.ws.connectionMinutes',
  'dynamodb.readRequestUnits',
  'dynamodb.writeRequestUnits',
  'sfn.standard.transitions',
  'sfn.express.requests',
  'sfn.express.gbSecond',
  'comprehend.units',
  'sqs.requests',
  'sqs.fifoRequests',
  'eventbridge.events',
  'ses.messages',
  'logs.ingestGb',
  'cloudwatch.alarms',
  'secretsmanager.secrets',
  'kms.keys',
] as const;

export type PriceKey = (typeof PRICE_KEYS)[number];

/** A Bedrock override key: `bedrock.<modelId>.input` or `bedrock.<modelId>.output`, in USD per 1 M tokens. */
export type BedrockPriceKey = `bedrock.${string}.${'input' | 'output'}`;

/** `usd` for every `per` units of `unit` (e.g. $0.20 per 1,000,000 requests). */
export interface PriceItem {
  readonly usd: number;
  readonly per: number;
  /** The unit, singular ('request', 'GB-s'). */
  readonly unit: string;
  /** The public page the price was read from. */
  readonly source: string;
  /** The date the price was read, 'YYYY-MM-DD'. */
  readonly asOf: string;
  /** How the unit is metered, when a caller could get it wrong. */
  readonly note?: string;
}

export interface BedrockPrice {
  readonly inputUsdPer1M: number;
  readonly outputUsdPer1M: number;
  readonly source: string;
  readonly asOf: string;
}

export interface PriceTable {
  /** Stable id of this table, recorded with every resolved price ('aws-us-east-1-2026-11-01'). */
  readonly version: string;
  readonly region: string;
  /** The table applies from this date, 'YYYY-MM-DD'. */
  readonly asOf: string;
  readonly items: Readonly<Record<PriceKey, PriceItem>>;
  /** Keyed by the base model id (no inference-profile prefix). */
  readonly bedrock: Readonly<Record<string, BedrockPrice>>;
}

// ---------------------------------------------------------------- the tables

/** The region whose table stands in for a region without one. */
export const FALLBACK_REGION = 'us-east-1';

const PAGES = {
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  apigw: 'https://aws.amazon.com/api-gateway/pricing/',
  dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  sfn: 'https://aws.amazon.com/step-functions/pricing/',
  comprehend: 'https://aws.amazon.com/comprehend/pricing/',
  sqs: 'https://aws.amazon.com/sqs/pricing/',
  eventbridge: 'https://aws.amazon.com/eventbridge/pricing/',
  ses: 'https://aws.amazon.com/ses/pricing/',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  secretsmanager: 'https://aws.amazon.com/secrets-manager/pricing/',
  kms: 'https://aws.amazon.com/kms/pricing/',
  bedrock: 'https://aws.amazon.com/bedrock/pricing/',
} as const;

const US_EAST_1_AS_OF = '2026-11-01';

function item(usd: number, per: number, unit: string, source: string, note?: string): PriceItem {
  return Object.freeze({ usd, per, unit, source, asOf: US_EAST_1_AS_OF, ...(note === undefined ? {} : { note }) });
}

function model(inputUsdPer1M: number, outputUsdPer1M: number): BedrockPrice {
  return Object.freeze({ inputUsdPer1M, outputUsdPer1M, source: PAGES.bedrock, asOf: US_EAST_1_AS_OF });
}

const US_EAST_1_2026_11: PriceTable = Object.freeze({
  version: `aws-us-east-1-${US_EAST_1_AS_OF}`,
  region: 'us-east-1',
  asOf: US_EAST_1_AS_OF,
  items: Object.freeze({
    'lambda.requests': item(0.2, 1_000_000, 'request', PAGES.lambda),
    'lambda.gbSecond.arm64': item(0.0000133334, 1, 'GB-s', PAGES.lambda, 'duration rounded up to 1 ms; INIT duration billed too; first tier (6 B GB-s a month)'),
    'lambda.gbSecond.x86_64': item(0.0000166667, 1, 'GB-s', PAGES.lambda, 'duration rounded up to 1 ms; INIT duration billed too; first tier (6 B GB-s a month)'),
    'apigw.http.requests': item(1.0, 1_000_000, 'request', PAGES.apigw, 'HTTP API: metered in 512 KB increments; first tier (300 M a month)'),
    'apigw.ws.messages': item(1.0, 1_000_000, 'message', PAGES.apigw, 'WebSocket: metered in 32 KB increments; first tier (1 B a month)'),
    'apigw.ws.connectionMinutes': item(0.25, 1_000_000, 'connection-minute', PAGES.apigw),
    'dynamodb.readRequestUnits': item(0.125, 1_000_000, 'RRU', PAGES.dynamodb, 'on-demand, Standard table class'),
    'dynamodb.writeRequestUnits': item(0.625, 1_000_000, 'WRU', PAGES.dynamodb, 'on-demand, Standard table class'),
    'sfn.standard.transitions': item(0.025, 1_000, 'transition', PAGES.sfn),
    'sfn.express.requests': item(1.0, 1_000_000, 'request', PAGES.sfn),
    'sfn.express.gbSecond': item(0.00001667, 1, 'GB-s', PAGES.sfn, 'duration in 100 ms increments, memory in 64 MB increments; first tier (1,000 h a month)'),
    'comprehend.units': item(0.0001, 1, 'unit', PAGES.comprehend, 'a unit is 100 characters, 3 units minimum per request; first tier (10 M units)'),
    'sqs.requests': item(0.4, 1_000_000, 'request', PAGES.sqs, 'each 64 KB chunk of a payload is a request; free tier not applied'),
    'sqs.fifoRequests': item(0.5, 1_000_000, 'request', PAGES.sqs, 'each 64 KB chunk of a payload is a request; free tier not applied'),
    'eventbridge.events': item(1.0, 1_000_000, 'event', PAGES.eventbridge, 'custom events; each 64 KB chunk of a payload is an event'),
    'ses.messages': item(0.1, 1_000, 'message', PAGES.ses),
    'logs.ingestGb': item(0.5, 1, 'GB', PAGES.cloudwatch, 'standard log class ingestion; GB = 1024³ bytes'),
    'cloudwatch.alarms': item(0.1, 1, 'alarm-month', PAGES.cloudwatch, 'standard-resolution metric alarm, monthly'),
    'secretsmanager.secrets': item(0.4, 1, 'secret-month', PAGES.secretsmanager, 'monthly, prorated by the hour'),
    'kms.keys': item(1.0, 1, 'key-month', PAGES.kms, 'customer managed key, monthly, prorated by the hour'),
  }),
  bedrock: Object.freeze({
    'amazon.nova-micro-v1:0': model(0.035, 0.14),
    'amazon.nova-lite-v1:0': model(0.06, 0.24),
    'anthropic.claude-haiku-4-5-20251001-v1:0': model(1, 5),
    'amazon.titan-embed-text-v2:0': model(0.02, 0),
  }),
});

/** Every table, any order; add a region or a newer date as another entry, never by editing a published one. */
export const PRICE_TABLES: readonly PriceTable[] = Object.freeze([US_EAST_1_2026_11]);

// ---------------------------------------------------------------- choosing a table

export interface PriceTableChoice {
  readonly table: PriceTable;
  /** The region asked for, when it has no table and the us-east-1 table was used instead. */
  readonly substitutedFor?: string;
  /** Why the table is not exactly the one asked for, for a report's footnote. */
  readonly note?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC calendar day of a 'YYYY-MM-DD' date or an ISO 8601 instant. */
function dayOf(at: string): string {
  if (DAY.test(at) && !Number.isNaN(Date.parse(`${at}T00:00:00Z`))) return at;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(at) ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`price date must be YYYY-MM-DD or an ISO 8601 instant, got ${JSON.stringify(at)}`);
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The table that priced usage in `region` on `at` (a date or an ISO instant): the newest table of that region with
 * `asOf` ≤ the day of `at`. A region without a table gets us-east-1's, with `substitutedFor` set; a day before the
 * region's oldest table gets that oldest table, with a `note` (usage is never left unpriced).
 */
export function priceTableFor(region: string, at: string, tables: readonly PriceTable[] = PRICE_TABLES): PriceTableChoice {
  const day = dayOf(at);
  const wanted = region.trim().toLowerCase();
  const own = tables.filter((t) => t.region === wanted);
  const candidates = own.length > 0 ? own : tables.filter((t) => t.region === FALLBACK_REGION);
  if (candidates.length === 0) throw new Error(`no price table for ${region} nor for ${FALLBACK_REGION}`);
  const substituted = own.length === 0 ? { substitutedFor: region } : {};
  const newestFirst = [...candidates].sort((a, b) => b.asOf.localeCompare(a.asOf));
  const current = newestFirst.find((t) => t.asOf <= day);
  const table = current ?? newestFirst[newestFirst.length - 1]!;
  const notes = [
    own.length === 0 ? `no price table for region ${region}: ${table.region} prices used` : undefined,
    current === undefined ? `no ${table.region} price table as of ${day}: the oldest (${table.asOf}) used` : undefined,
  ].filter((n): n is string => n !== undefined);
  return { table, ...substituted, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
}

// ---------------------------------------------------------------- Bedrock model ids

/** Prefixes of cross-Region inference profile ids; the profile costs what its model costs. */
const INFERENCE_PROFILE_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\./;

/** The base model id of a model id or an inference profile id ('us.amazon.nova-micro-v1:0' → 'amazon.nova-micro-v1:0'). */
export function baseModelId(modelId: string): string {
  return modelId.replace(INFERENCE_PROFILE_PREFIX, '');
}

// ---------------------------------------------------------------- overrides and currency

export interface Currency {
  /** ISO 4217 code, e.g. 'CNY'. */
  readonly code: string;
  /** Units of this currency one US dollar buys. */
  readonly perUsd: number;
}

export const USD: Currency = Object.freeze({ code: 'USD', perUsd: 1 });

/** One effective price: `amount` of `currency` for every `per` units of `unit`. */
export interface ResolvedPrice {
  readonly amount: number;
  /** The USD price before conversion (the table's, or the override). */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  /** The table's source page, or 'override' when a company's price replaced it. */
  readonly source: string;
  /** The price table version this price belongs to. */
  readonly version: string;
  readonly currency: string;
  readonly note?: string;
}

export interface ResolvedBedrockPrice {
  /** Per 1 M input tokens. */
  readonly input: ResolvedPrice;
  /** Per 1 M output tokens. */
  readonly output: ResolvedPrice;
}

export interface ResolvedPrices {
  readonly version: string;
  readonly region: string;
  readonly asOf: string;
  readonly currency: Currency;
  /** Set when the table of another region was used (see `priceTableFor`). */
  readonly substitutedFor?: string;
  readonly note?: string;
  readonly items: Readonly<Record<PriceKey, ResolvedPrice>>;
  /** Keyed by the base model id; look up with `bedrockPriceOf`. */
  readonly bedrock: Readonly<Record<string, ResolvedBedrockPrice>>;
}

export interface ResolvePricesInput {
  readonly region: string;
  /** 'YYYY-MM-DD' or an ISO instant: when the usage happened. */
  readonly at: string;
  /** Price key (or `bedrock.<modelId>.input|output`) → USD price in the item's own `per` (Bedrock: per 1 M tokens). */
  readonly overrides?: Readonly<Record<string, number>>;
  /** Default USD. */
  readonly currency?: Currency;
}

const OVERRIDE_SOURCE = 'override';
const TOKENS_PER_PRICE = 1_000_000;

type OverrideTarget = { readonly kind: 'item'; readonly key: PriceKey } | { readonly kind: 'bedrock'; readonly modelId: string; readonly side: 'input' | 'output' };

function isPriceKey(key: string): key is PriceKey {
  return (PRICE_KEYS as readonly string[]).includes(key);
}

/** What an override key names in `table`, or a reason it names nothing. */
function overrideTarget(key: string, table: PriceTable): OverrideTarget | string {
  if (isPriceKey(key)) return { kind: 'item', key };
  const bedrock = /^bedrock\.(.+)\.(input|output)$/.exec(key);
  if (bedrock) {
    const modelId = baseModelId(bedrock[1]!);
    if (Object.hasOwn(table.bedrock, modelId)) return { kind: 'bedrock', modelId, side: bedrock[2] as 'input' | 'output' };
    return `unknown price key ${key}: Bedrock model ${modelId} is not in price table ${table.version}`;
  }
  return `unknown price key ${key}: expected one of ${PRICE_KEYS.join(', ')} or bedrock.<modelId>.input|output`;
}

function checkOverridePrice(key: string, value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${where}${key} must be a non-negative USD price, got ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}`);
  }
  return value;
}

function checkCurrency(currency: Currency): Currency {
  if (!/^[A-Z]{3}$/.test(currency.code)) throw new Error(`currency code must be three capital letters (ISO 4217), got ${JSON.stringify(currency.code)}`);
  if (!Number.isFinite(currency.perUsd) || currency.perUsd <= 0) throw new Error(`currency ${currency.code} perUsd must be a positive number, got ${currency.perUsd}`);
  return Object.freeze({ code: currency.code, perUsd: currency.perUsd });
}

/**
 * The prices in force for `region` on `at`, with a company's overrides applied and converted to `currency`.
 * Throws when an override names an unknown key or model, or carries a negative or non-finite price (the message
 * names the key), or when the currency is malformed.
 */
export function resolvePrices(input: ResolvePricesInput): ResolvedPrices {
  const choice = priceTableFor(input.region, input.at);
  const { table } = choice;
  const currency = checkCurrency(input.currency ?? USD);
  const itemOverrides = new Map<PriceKey, number>();
  const bedrockOverrides = new Map<string, number>();
  for (const [key, value] of Object.entries(input.overrides ?? {})) {
    const price = checkOverridePrice(key, value, 'price override ');
    const target = overrideTarget(key, table);
    if (typeof target === 'string') throw new Error(`price override ${target}`);
    if (target.kind === 'item') itemOverrides.set(target.key, price);
    else bedrockOverrides.set(`${target.modelId}.${target.side}`, price);
  }

  const resolve = (usd: number, per: number, unit: string, source: string, note?: string): ResolvedPrice =>
    Object.freeze({ amount: usd * currency.perUsd, usd, per, unit, source, version: table.version, currency: currency.code, ...(note === undefined ? {} : { note }) });

  const items = Object.fromEntries(
    PRICE_KEYS.map((key) => {
      const base = table.items[key];
      const override = itemOverrides.get(key);
      return [key, override === undefined ? resolve(base.usd, base.per, base.unit, base.source, base.note) : resolve(override, base.per, base.unit, OVERRIDE_SOURCE, base.note)];
    }),
  ) as Record<PriceKey, ResolvedPrice>;

  const bedrock = Object.fromEntries(
    Object.entries(table.bedrock).map(([modelId, price]) => {
      const side = (which: 'input' | 'output', usd: number) => {
        const override = bedrockOverrides.get(`${modelId}.${which}`);
        return resolve(override ?? usd, TOKENS_PER_PRICE, 'token', override === undefined ? price.source : OVERRIDE_SOURCE);
      };
      return [modelId, Object.freeze({ input: side('input', price.inputUsdPer1M), output: side('output', price.outputUsdPer1M) })];
    }),
  );

  return Object.freeze({
    version: table.version,
    region: table.region,
    asOf: table.asOf,
    currency,
    ...(choice.substitutedFor === undefined ? {} : { substitutedFor: choice.substitutedFor }),
    ...(choice.note === undefined ? {} : { note: choice.note }),
    items: Object.freeze(items),
    bedrock: Object.freeze(bedrock),
  });
}

/** The resolved price of a model or inference profile id, or undefined when the table does not know the model. */
export function bedrockPriceOf(prices: ResolvedPrices, modelId: string): ResolvedBedrockPrice | undefined {
  const base = baseModelId(modelId);
  return Object.hasOwn(prices.bedrock, base) ? prices.bedrock[base] : undefined;
}

/** The environment variable `parsePriceOverrides` reads the text of. */
export const PRICE_OVERRIDES_ENV = 'KEFU_PRICE_OVERRIDES';

/**
 * The overrides of `KEFU_PRICE_OVERRIDES`: a JSON object of price key → USD price in the item's own unit, e.g.
 * `{"lambda.requests": 0.18, "bedrock.amazon.nova-micro-v1:0.input": 0.03}`. Unset or blank means none. Keys are
 * checked against every known table (the table in force is checked again by `resolvePrices`); each error names the
 * variable and the key.
 */
export function parsePriceOverrides(json: string | undefined, tables: readonly PriceTable[] = PRICE_TABLES): Readonly<Record<string, number>> {
  if (json === undefined || json.trim() === '') return Object.freeze({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`${PRICE_OVERRIDES_ENV} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${PRICE_OVERRIDES_ENV} must be a JSON object of price key to USD price, e.g. {"lambda.requests": 0.18}`);
  }
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const price = checkOverridePrice(key, value, `${PRICE_OVERRIDES_ENV}: `);
    const reasons = tables.map((table) => overrideTarget(key, table));
    const firstReason = reasons.find((r): r is string => typeof r === 'string');
    if (!reasons.some((r) => typeof r !== 'string')) throw new Error(`${PRICE_OVERRIDES_ENV}: ${firstReason ?? `unknown price key ${key}`}`);
    out[key] = price;
  }
  return Object.freeze(out);
}
