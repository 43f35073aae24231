/**
 * What one invocation's usage costs, line by line, with the arithmetic written out so that anyone can redo it from
 * the public price pages: each line carries its quantity, unit price, amount, integer nanos and the formula as text.
 *
 * Metering rules applied here (from the services' pricing pages; the price table is ./prices.ts):
 * - Lambda: run duration and INIT duration each rounded up to the next 1 ms and both billed;
 *   GB-s = billed ms / 1000 × memory MB / 1024.
 * - HTTP API: a request counts once per started 512 KB (minimum 1). WebSocket: a message counts once per started
 *   32 KB (minimum 1); connection minutes are rounded up to a whole minute (on the invocation's total).
 * - DynamoDB: read and write request units as consumed, fractions kept (0.5 RRU for an eventually consistent read).
 * - Step Functions Express: duration rounded up to 100 ms, memory up to 64 MB (minimum 64 MB).
 * - Comprehend: max(3, ceil(characters / 100)) units per request.
 * - SQS: each started 64 KB of a payload is a request (minimum 1).
 * - CloudWatch Logs: GB = bytes / 1024³.
 * Where a count and a list of sizes are both given (`requests` and `requestBytes`), the sizes are those of the first
 * requests and each request without a size counts once; more sizes than requests is refused.
 */
import { formatDecimal, formatMoney, toNanos } from './money.ts';
import { PRICE_TABLES, baseModelId, bedrockPriceOf, type PriceKey, type ResolvedPrice, type ResolvedPrices } from './prices.ts';

export { formatMoney } from './money.ts';

export type CostService = 'lambda' | 'apigateway' | 'dynamodb' | 'stepfunctions' | 'bedrock' | 'comprehend' | 'sqs' | 'eventbridge' | 'ses' | 'logs' | 'human';

export interface CostLine {
  /** The price key ('lambda.gbSecond.arm64'), 'bedrock.<modelId>.input|output', or 'agent.hours'. */
  readonly item: string;
  readonly service: CostService;
  /** How many `unit`s were billed (after the service's rounding). */
  readonly quantity: number;
  readonly unit: string;
  /** In the currency, for every `per` units. */
  readonly unitPrice: number;
  readonly per: number;
  /** quantity × unitPrice / per, unrounded. */
  readonly amount: number;
  /** `amount` × 1e9 rounded half up: what ledgers add, as integers, without float drift. */
  readonly nanos: number;
  /** '0.1135 GB-s × $0.0000133334 per GB-s = $0.0000015133'. */
  readonly formula: string;
  /** How the quantity was reached from the raw usage, when there was rounding or conversion. */
  readonly basis?: string;
  /** Where the unit price came from: the pricing page, or 'override'. */
  readonly source?: string;
}

export type LambdaArchitecture = 'arm64' | 'x86_64';

/** One invocation's (or any batch's) metered usage; every part optional. */
export interface Usage {
  readonly lambda?: { readonly requests: number; readonly durationMs: number; readonly initDurationMs?: number; readonly memoryMb: number; readonly architecture: LambdaArchitecture };
  readonly http?: { readonly requests: number; readonly requestBytes?: readonly number[] };
  readonly webSocket?: { readonly messages: number; readonly messageBytes?: readonly number[]; readonly connectionMinutes?: number };
  readonly dynamodb?: { readonly readUnits: number; readonly writeUnits: number };
  readonly stepFunctions?: { readonly standardTransitions?: number; readonly expressRequests?: number; readonly expressBilledMs?: number; readonly expressMemoryMb?: number };
  readonly bedrock?: readonly { readonly modelId: string; readonly inputTokens: number; readonly outputTokens: number }[];
  readonly comprehend?: readonly { readonly characters: number }[];
  readonly sqs?: { readonly requests: number; readonly fifo?: boolean; readonly payloadBytes?: readonly number[] };
  readonly eventBridge?: { readonly events: number };
  readonly ses?: { readonly messages: number };
  readonly logs?: { readonly bytes: number };
}

export interface Cost {
  readonly lines: readonly CostLine[];
  /** The sum of the lines' amounts (for display; add `nanos` when accumulating). */
  readonly amount: number;
  /** The sum of the lines' nanos, an exact integer. */
  readonly nanos: number;
  readonly currency: string;
}

const KB = 1024;
const GB = 1024 ** 3;
const HTTP_API_INCREMENT = 512 * KB;
const WEBSOCKET_INCREMENT = 32 * KB;
const SQS_INCREMENT = 64 * KB;
const EXPRESS_MS_INCREMENT = 100;
const EXPRESS_MB_INCREMENT = 64;
const COMPREHEND_CHARS_PER_UNIT = 100;
const COMPREHEND_MIN_UNITS = 3;
/** Sizes listed in a `basis` before it says "…": a batch of thousands would otherwise make a line of thousands. */
const BASIS_MAX_TERMS = 5;

// ---------------------------------------------------------------- formatting

/** A quantity for a formula: integers grouped ('1,200'), others with at least 4 decimals and 4 significant digits. */
export function formatQuantity(quantity: number): string {
  return Number.isInteger(quantity) ? formatDecimal(quantity, 21, 0, 0) : formatDecimal(quantity, 4, 4, 10);
}

/** Units that read the same in the plural (abbreviations). */
const INVARIANT_UNITS: ReadonlySet<string> = new Set(['GB-s', 'GB', 'h', 'B', 'ms', 'MB']);

function unitFor(unit: string, count: number): string {
  return count === 1 || INVARIANT_UNITS.has(unit) ? unit : `${unit}s`;
}

/** 'per request', 'per 1M requests', 'per 1,000 transitions'. */
function perText(per: number, unit: string): string {
  if (per === 1) return `per ${unit}`;
  const count = per === 1_000_000 ? '1M' : formatDecimal(per, 21, 0, 0);
  return `per ${count} ${unitFor(unit, per)}`;
}

function formulaOf(quantity: number, unit: string, unitPrice: number, per: number, amount: number, currency: string): string {
  return `${formatQuantity(quantity)} ${unitFor(unit, quantity)} × ${formatMoney(unitPrice, currency)} ${perText(per, unit)} = ${formatMoney(amount, currency)}`;
}

/** A raw input as given, for a `basis`: '45.2', '614,400' (no padding to 4 decimals). */
function plain(value: number): string {
  return formatDecimal(value, 10, 0, 10);
}

// ---------------------------------------------------------------- checks and metering helpers

function checked(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`usage ${field} must be a non-negative number, got ${String(value)}`);
  return value;
}

function sizeTerms(sizes: readonly number[], increment: number, incrementText: string): string {
  const terms = sizes.slice(0, BASIS_MAX_TERMS).map((b) => `max(1, ceil(${plain(b)} B / ${incrementText}))`);
  return terms.join(' + ') + (sizes.length > BASIS_MAX_TERMS ? ` + … (${sizes.length - BASIS_MAX_TERMS} more)` : '') + ` = ${formatQuantity(incrementsOf(sizes, increment))}`;
}

function incrementsOf(sizes: readonly number[], increment: number): number {
  return sizes.reduce((sum, bytes) => sum + Math.max(1, Math.ceil(bytes / increment)), 0);
}

/**
 * Metered units of `count` requests of which the first `sizes.length` have a size: each sized one counts once per
 * started `increment` bytes (minimum 1), each unsized one once.
 */
function meteredBySize(count: number, sizes: readonly number[] | undefined, increment: number, incrementText: string, field: string): { quantity: number; basis?: string } {
  checked(count, `${field} count`);
  if (sizes === undefined || sizes.length === 0) return { quantity: count };
  sizes.forEach((bytes, i) => checked(bytes, `${field} size [${i}]`));
  if (sizes.length > count) throw new Error(`usage ${field} lists ${sizes.length} sizes for ${count} requests`);
  const unsized = count - sizes.length;
  const quantity = incrementsOf(sizes, increment) + unsized;
  return { quantity, basis: sizeTerms(sizes, increment, incrementText) + (unsized > 0 ? `; + ${formatQuantity(unsized)} without a size × 1` : '') };
}

// ---------------------------------------------------------------- lines

function lineOf(item: string, service: CostService, quantity: number, price: ResolvedPrice, basis?: string): CostLine {
  const amount = (quantity * price.amount) / price.per;
  return Object.freeze({
    item,
    service,
    quantity,
    unit: price.unit,
    unitPrice: price.amount,
    per: price.per,
    amount,
    nanos: toNanos(amount),
    formula: formulaOf(quantity, price.unit, price.amount, price.per, amount, price.currency),
    ...(basis === undefined ? {} : { basis }),
    source: price.source,
  });
}

/** Lambda: the requests, and the billed GB-s of run plus INIT. */
function lambdaLines(usage: NonNullable<Usage['lambda']>, prices: ResolvedPrices): CostLine[] {
  const duration = checked(usage.durationMs, 'lambda.durationMs');
  const init = checked(usage.initDurationMs ?? 0, 'lambda.initDurationMs');
  const memory = checked(usage.memoryMb, 'lambda.memoryMb');
  const billedMs = Math.ceil(duration) + Math.ceil(init);
  const gbSeconds = ((billedMs / 1000) * memory) / 1024;
  const key: PriceKey = usage.architecture === 'arm64' ? 'lambda.gbSecond.arm64' : 'lambda.gbSecond.x86_64';
  const initText = init > 0 ? ` + ceil(${plain(init)} ms INIT)` : '';
  const basis = `ceil(${plain(duration)} ms)${initText} = ${formatQuantity(billedMs)} ms; ${formatQuantity(billedMs)} / 1000 s × ${plain(memory)} / 1024 GB = ${formatQuantity(gbSeconds)} GB-s`;
  return [
    lineOf('lambda.requests', 'lambda', checked(usage.requests, 'lambda.requests'), prices.items['lambda.requests']),
    lineOf(key, 'lambda', gbSeconds, prices.items[key], basis),
  ];
}

function apiGatewayLines(usage: Usage, prices: ResolvedPrices): CostLine[] {
  const lines: CostLine[] = [];
  if (usage.http) {
    const { quantity, basis } = meteredBySize(usage.http.requests, usage.http.requestBytes, HTTP_API_INCREMENT, '512 KB', 'http.requests');
    lines.push(lineOf('apigw.http.requests', 'apigateway', quantity, prices.items['apigw.http.requests'], basis));
  }
  if (usage.webSocket) {
    const { quantity, basis } = meteredBySize(usage.webSocket.messages, usage.webSocket.messageBytes, WEBSOCKET_INCREMENT, '32 KB', 'webSocket.messages');
    lines.push(lineOf('apigw.ws.messages', 'apigateway', quantity, prices.items['apigw.ws.messages'], basis));
    const minutes = checked(usage.webSocket.connectionMinutes ?? 0, 'webSocket.connectionMinutes');
    const billed = Math.ceil(minutes);
    lines.push(lineOf('apigw.ws.connectionMinutes', 'apigateway', billed, prices.items['apigw.ws.connectionMinutes'], billed === minutes ? undefined : `ceil(${plain(minutes)} min) = ${billed}`));
  }
  return lines;
}

function dynamodbLines(usage: NonNullable<Usage['dynamodb']>, prices: ResolvedPrices): CostLine[] {
  return [
    lineOf('dynamodb.readRequestUnits', 'dynamodb', checked(usage.readUnits, 'dynamodb.readUnits'), prices.items['dynamodb.readRequestUnits']),
    lineOf('dynamodb.writeRequestUnits', 'dynamodb', checked(usage.writeUnits, 'dynamodb.writeUnits'), prices.items['dynamodb.writeRequestUnits']),
  ];
}

function stepFunctionsLines(usage: NonNullable<Usage['stepFunctions']>, prices: ResolvedPrices): CostLine[] {
  const ms = checked(usage.expressBilledMs ?? 0, 'stepFunctions.expressBilledMs');
  const mb = checked(usage.expressMemoryMb ?? 0, 'stepFunctions.expressMemoryMb');
  const billedMs = Math.ceil(ms / EXPRESS_MS_INCREMENT) * EXPRESS_MS_INCREMENT;
  const billedMb = Math.max(1, Math.ceil(mb / EXPRESS_MB_INCREMENT)) * EXPRESS_MB_INCREMENT;
  const gbSeconds = ((billedMs / 1000) * billedMb) / 1024;
  const basis = `ceil(${plain(ms)} ms / 100) × 100 = ${formatQuantity(billedMs)} ms; max(1, ceil(${plain(mb)} MB / 64)) × 64 = ${formatQuantity(billedMb)} MB; ${formatQuantity(billedMs)} / 1000 s × ${formatQuantity(billedMb)} / 1024 GB = ${formatQuantity(gbSeconds)} GB-s`;
  return [
    lineOf('sfn.standard.transitions', 'stepfunctions', checked(usage.standardTransitions ?? 0, 'stepFunctions.standardTransitions'), prices.items['sfn.standard.transitions']),
    lineOf('sfn.express.requests', 'stepfunctions', checked(usage.expressRequests ?? 0, 'stepFunctions.expressRequests'), prices.items['sfn.express.requests']),
    lineOf('sfn.express.gbSecond', 'stepfunctions', gbSeconds, prices.items['sfn.express.gbSecond'], basis),
  ];
}

/** One input and one output line per model (calls to the same model through different profiles add up). */
function bedrockLines(calls: NonNullable<Usage['bedrock']>, prices: ResolvedPrices): CostLine[] {
  const byModel = new Map<string, { input: number; output: number; ids: Set<string> }>();
  calls.forEach((call, i) => {
    if (!bedrockPriceOf(prices, call.modelId)) throw new Error(`unknown Bedrock model ${call.modelId}: not in price table ${prices.version}`);
    const base = baseModelId(call.modelId);
    const sums = byModel.get(base) ?? { input: 0, output: 0, ids: new Set<string>() };
    sums.input += checked(call.inputTokens, `bedrock[${i}].inputTokens`);
    sums.output += checked(call.outputTokens, `bedrock[${i}].outputTokens`);
    sums.ids.add(call.modelId);
    byModel.set(base, sums);
  });
  return [...byModel.entries()].flatMap(([base, sums]) => {
    const price = bedrockPriceOf(prices, base)!;
    const profiles = [...sums.ids].filter((id) => id !== base);
    const basis = profiles.length > 0 ? `${profiles.join(', ')} priced as ${base}` : undefined;
    return [lineOf(`bedrock.${base}.input`, 'bedrock', sums.input, price.input, basis), lineOf(`bedrock.${base}.output`, 'bedrock', sums.output, price.output, basis)];
  });
}

function comprehendLines(requests: NonNullable<Usage['comprehend']>, prices: ResolvedPrices): CostLine[] {
  const units = requests.map((r, i) => Math.max(COMPREHEND_MIN_UNITS, Math.ceil(checked(r.characters, `comprehend[${i}].characters`) / COMPREHEND_CHARS_PER_UNIT)));
  const quantity = units.reduce((a, b) => a + b, 0);
  const shown = requests.slice(0, BASIS_MAX_TERMS).map((r) => `max(3, ceil(${plain(r.characters)} / 100))`);
  const more = requests.length > BASIS_MAX_TERMS ? ` + … (${requests.length - BASIS_MAX_TERMS} more)` : '';
  return [lineOf('comprehend.units', 'comprehend', quantity, prices.items['comprehend.units'], `${shown.join(' + ')}${more} = ${formatQuantity(quantity)} units`)];
}

function sqsLines(usage: NonNullable<Usage['sqs']>, prices: ResolvedPrices): CostLine[] {
  const key: PriceKey = usage.fifo ? 'sqs.fifoRequests' : 'sqs.requests';
  const { quantity, basis } = meteredBySize(usage.requests, usage.payloadBytes, SQS_INCREMENT, '64 KB', 'sqs.requests');
  return [lineOf(key, 'sqs', quantity, prices.items[key], basis)];
}

function logsLines(usage: NonNullable<Usage['logs']>, prices: ResolvedPrices): CostLine[] {
  const bytes = checked(usage.bytes, 'logs.bytes');
  const gb = bytes / GB;
  return [lineOf('logs.ingestGb', 'logs', gb, prices.items['logs.ingestGb'], `${plain(bytes)} B / 1024³ = ${formatQuantity(gb)} GB`)];
}

/**
 * The cost of `usage` at `prices`, one line per metered item, zero-quantity lines left out. The total's `nanos` is
 * the integer sum of the lines' nanos. Throws on a negative or non-finite quantity, or a Bedrock model the prices do
 * not know (check first with `knownBedrockModel`).
 */
export function costOf(usage: Usage, prices: ResolvedPrices): Cost {
  const all: CostLine[] = [
    ...(usage.lambda ? lambdaLines(usage.lambda, prices) : []),
    ...apiGatewayLines(usage, prices),
    ...(usage.dynamodb ? dynamodbLines(usage.dynamodb, prices) : []),
    ...(usage.stepFunctions ? stepFunctionsLines(usage.stepFunctions, prices) : []),
    ...(usage.bedrock ? bedrockLines(usage.bedrock, prices) : []),
    ...(usage.comprehend && usage.comprehend.length > 0 ? comprehendLines(usage.comprehend, prices) : []),
    ...(usage.sqs ? sqsLines(usage.sqs, prices) : []),
    ...(usage.eventBridge ? [lineOf('eventbridge.events', 'eventbridge', checked(usage.eventBridge.events, 'eventBridge.events'), prices.items['eventbridge.events'])] : []),
    ...(usage.ses ? [lineOf('ses.messages', 'ses', checked(usage.ses.messages, 'ses.messages'), prices.items['ses.messages'])] : []),
    ...(usage.logs ? logsLines(usage.logs, prices) : []),
  ];
  const lines = all.filter((l) => l.quantity > 0);
  return Object.freeze({
    lines: Object.freeze(lines),
    amount: lines.reduce((sum, l) => sum + l.amount, 0),
    nanos: lines.reduce((sum, l) => sum + l.nanos, 0),
    currency: prices.currency.code,
  });
}

/**
 * Whether a model or inference profile id has a price: in `prices` when given, else in any known table. `costOf`
 * throws on a model without one, so a caller that may meet new models checks first.
 */
export function knownBedrockModel(modelId: string, prices?: ResolvedPrices): boolean {
  if (prices) return bedrockPriceOf(prices, modelId) !== undefined;
  const base = baseModelId(modelId);
  return PRICE_TABLES.some((table) => Object.hasOwn(table.bedrock, base));
}

/** An agent's handling time at an hourly rate already in `currency`: '0.2500 h × ¥60.00 per hour = ¥15.00'. */
export function humanCost(input: { readonly handledSeconds: number; readonly hourlyRate: number; readonly currency: string }): CostLine {
  const seconds = checked(input.handledSeconds, 'human.handledSeconds');
  const rate = checked(input.hourlyRate, 'human.hourlyRate');
  const hours = seconds / 3600;
  const amount = hours * rate;
  return Object.freeze({
    item: 'agent.hours',
    service: 'human',
    quantity: hours,
    unit: 'h',
    unitPrice: rate,
    per: 1,
    amount,
    nanos: toNanos(amount),
    formula: `${formatQuantity(hours)} h × ${formatMoney(rate, input.currency)} per hour = ${formatMoney(amount, input.currency)}`,
    basis: `${plain(seconds)} s / 3600 = ${formatQuantity(hours)} h`,
  });
}
