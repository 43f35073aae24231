import { describe, expect, it } from 'vitest';
import { costOf, formatMoney, humanCost, knownBedrockModel, type CostLine, type Usage } from '../../shared/domain/costs/formulas.ts';
import { parsePriceOverrides, priceTableFor, resolvePrices, type ResolvedPrices } from '../../shared/domain/costs/prices.ts';

// Every expected number below is worked out by hand from the published us-east-1 prices (asOf 2026-11-01), with the
// arithmetic in a comment; none is computed by the code under test.
const AT = '2026-11-15';
const USD_PRICES: ResolvedPrices = resolvePrices({ region: 'us-east-1', at: AT });

function only(usage: Usage, prices: ResolvedPrices = USD_PRICES): readonly CostLine[] {
  return costOf(usage, prices).lines;
}

function line(usage: Usage, item: string, prices: ResolvedPrices = USD_PRICES): CostLine {
  const found = only(usage, prices).find((l) => l.item === item);
  if (!found) throw new Error(`no ${item} line`);
  return found;
}

const ARM_LAMBDA: Usage = { lambda: { requests: 1, durationMs: 45.2, initDurationMs: 180.4, memoryMb: 512, architecture: 'arm64' } };

describe('Lambda', () => {
  it('bills one request at $0.20 per million', () => {
    // Act
    const requests = line(ARM_LAMBDA, 'lambda.requests');
    // Assess: 1 request × $0.20 / 1e6 = $0.0000002 = 200 nanos
    expect(requests.quantity).toBe(1);
    expect(requests.amount).toBeCloseTo(0.0000002, 15);
    expect(requests.nanos).toBe(200);
    expect(requests.formula).toBe('1 request × $0.20 per 1M requests = $0.0000002');
  });

  it('rounds run and INIT up to the next ms and bills both on arm64', () => {
    // Act
    const compute = line(ARM_LAMBDA, 'lambda.gbSecond.arm64');
    // Assess: ceil(45.2) + ceil(180.4) = 46 + 181 = 227 ms; 0.227 s × 512/1024 GB = 0.1135 GB-s;
    // 0.1135 × $0.0000133334 = $0.0000015133409 = 1,513.3409 nanos → 1,513
    expect(compute.quantity).toBeCloseTo(0.1135, 12);
    expect(compute.amount).toBeCloseTo(0.0000015133409, 16);
    expect(compute.nanos).toBe(1513);
    expect(compute.formula).toBe('0.1135 GB-s × $0.0000133334 per GB-s = $0.0000015133');
    expect(compute.basis).toBe('ceil(45.2 ms) + ceil(180.4 ms INIT) = 227 ms; 227 / 1000 s × 512 / 1024 GB = 0.1135 GB-s');
  });

  it('uses the x86_64 price for an x86_64 function', () => {
    // Prepare
    const x86: Usage = { lambda: { ...ARM_LAMBDA.lambda!, architecture: 'x86_64' } };
    // Act
    const compute = line(x86, 'lambda.gbSecond.x86_64');
    // Assess: 0.1135 GB-s × $0.0000166667 = $0.00000189167045 = 1,891.67045 nanos → 1,892
    expect(compute.amount).toBeCloseTo(0.00000189167045, 16);
    expect(compute.nanos).toBe(1892);
  });
});

describe('API Gateway', () => {
  it('counts a 600 KB HTTP API request as two 512 KB units', () => {
    // Act
    const http = line({ http: { requests: 1, requestBytes: [600 * 1024] } }, 'apigw.http.requests');
    // Assess: ceil(614,400 / 524,288) = ceil(1.17) = 2; 2 × $1.00 / 1e6 = $0.000002 = 2,000 nanos
    expect(http.quantity).toBe(2);
    expect(http.nanos).toBe(2000);
  });

  it('counts a 40 KB WebSocket message as two 32 KB messages', () => {
    // Act
    const messages = line({ webSocket: { messages: 1, messageBytes: [40 * 1024] } }, 'apigw.ws.messages');
    // Assess: ceil(40,960 / 32,768) = ceil(1.25) = 2; 2 × $1.00 / 1e6 = $0.000002 = 2,000 nanos
    expect(messages.quantity).toBe(2);
    expect(messages.nanos).toBe(2000);
  });

  it('rounds 3.2 connection-minutes up to 4', () => {
    // Act
    const minutes = line({ webSocket: { messages: 0, connectionMinutes: 3.2 } }, 'apigw.ws.connectionMinutes');
    // Assess: ceil(3.2) = 4; 4 × $0.25 / 1e6 = $0.000001 = 1,000 nanos
    expect(minutes.quantity).toBe(4);
    expect(minutes.amount).toBeCloseTo(0.000001, 15);
    expect(minutes.nanos).toBe(1000);
  });
});

describe('DynamoDB', () => {
  it('keeps fractional read units and rounds half a nano up', () => {
    // Act
    const read = line({ dynamodb: { readUnits: 2.5, writeUnits: 3 } }, 'dynamodb.readRequestUnits');
    // Assess: 2.5 × $0.125 / 1e6 = $0.0000003125 = 312.5 nanos → 313
    expect(read.quantity).toBe(2.5);
    expect(read.amount).toBeCloseTo(0.0000003125, 16);
    expect(read.nanos).toBe(313);
  });

  it('bills write units at $0.625 per million', () => {
    // Act
    const write = line({ dynamodb: { readUnits: 2.5, writeUnits: 3 } }, 'dynamodb.writeRequestUnits');
    // Assess: 3 × $0.625 / 1e6 = $0.000001875 = 1,875 nanos
    expect(write.nanos).toBe(1875);
    expect(write.formula).toBe('3 WRUs × $0.625 per 1M WRUs = $0.000001875');
  });

  it('leaves out a zero-quantity line', () => {
    // Act
    const items = only({ dynamodb: { readUnits: 0, writeUnits: 1 } }).map((l) => l.item);
    // Assess
    expect(items).toEqual(['dynamodb.writeRequestUnits']);
  });
});

describe('Step Functions', () => {
  it('bills 12 Standard transitions at $0.025 per thousand', () => {
    // Act
    const transitions = line({ stepFunctions: { standardTransitions: 12 } }, 'sfn.standard.transitions');
    // Assess: 12 × $0.025 / 1,000 = $0.0003 = 300,000 nanos
    expect(transitions.amount).toBeCloseTo(0.0003, 12);
    expect(transitions.nanos).toBe(300_000);
  });

  it('rounds an Express run of 230 ms at 100 MB up to 300 ms at 128 MB', () => {
    // Act
    const duration = line({ stepFunctions: { expressRequests: 1, expressBilledMs: 230, expressMemoryMb: 100 } }, 'sfn.express.gbSecond');
    // Assess: 0.3 s × 128/1024 GB = 0.0375 GB-s; 0.0375 × $0.00001667 = $0.000000625125 = 625.125 nanos → 625
    expect(duration.quantity).toBeCloseTo(0.0375, 12);
    expect(duration.amount).toBeCloseTo(0.000000625125, 16);
    expect(duration.nanos).toBe(625);
  });
});

describe('Comprehend', () => {
  it('bills 50 characters as the 3-unit minimum', () => {
    // Act
    const units = line({ comprehend: [{ characters: 50 }] }, 'comprehend.units');
    // Assess: max(3, ceil(50 / 100)) = 3; 3 × $0.0001 = $0.0003 = 300,000 nanos
    expect(units.quantity).toBe(3);
    expect(units.nanos).toBe(300_000);
  });

  it('bills 1,234 characters as 13 units', () => {
    // Act
    const units = line({ comprehend: [{ characters: 1234 }] }, 'comprehend.units');
    // Assess: max(3, ceil(1,234 / 100)) = 13; 13 × $0.0001 = $0.0013 = 1,300,000 nanos
    expect(units.quantity).toBe(13);
    expect(units.nanos).toBe(1_300_000);
  });
});

describe('Bedrock', () => {
  const usage: Usage = { bedrock: [{ modelId: 'us.amazon.nova-micro-v1:0', inputTokens: 1200, outputTokens: 300 }] };

  it('prices a us. inference profile as its model, input tokens', () => {
    // Act
    const input = line(usage, 'bedrock.amazon.nova-micro-v1:0.input');
    // Assess: 1,200 × $0.035 / 1e6 = $0.000042 = 42,000 nanos
    expect(input.amount).toBeCloseTo(0.000042, 14);
    expect(input.nanos).toBe(42_000);
    expect(input.formula).toBe('1,200 tokens × $0.035 per 1M tokens = $0.000042');
  });

  it('prices the output tokens of the same call', () => {
    // Act
    const output = line(usage, 'bedrock.amazon.nova-micro-v1:0.output');
    // Assess: 300 × $0.14 / 1e6 = $0.000042 = 42,000 nanos
    expect(output.nanos).toBe(42_000);
  });

  it('rejects a model the price table does not know, naming it', () => {
    // Act
    const act = () => costOf({ bedrock: [{ modelId: 'acme.mystery-v9', inputTokens: 1, outputTokens: 1 }] }, USD_PRICES);
    // Assess
    expect(act).toThrow(/acme\.mystery-v9/);
  });

  it('tells known models and profiles from unknown ones', () => {
    expect(knownBedrockModel('global.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(true);
    expect(knownBedrockModel('eu.amazon.nova-lite-v1:0', USD_PRICES)).toBe(true);
    expect(knownBedrockModel('acme.mystery-v9', USD_PRICES)).toBe(false);
  });
});

describe('SQS and CloudWatch Logs', () => {
  it('counts a 100 KB SQS payload as two 64 KB requests', () => {
    // Act
    const sqs = line({ sqs: { requests: 1, payloadBytes: [100 * 1024] } }, 'sqs.requests');
    // Assess: ceil(102,400 / 65,536) = ceil(1.5625) = 2; 2 × $0.40 / 1e6 = $0.0000008 = 800 nanos
    expect(sqs.quantity).toBe(2);
    expect(sqs.nanos).toBe(800);
  });

  it('converts 2,048 log bytes to GB of 1024³ bytes', () => {
    // Act
    const logs = line({ logs: { bytes: 2048 } }, 'logs.ingestGb');
    // Assess: 2,048 / 1,073,741,824 = 0.0000019073486328125 GB; × $0.50 = $0.00000095367431640625 = 953.67 nanos → 954
    expect(logs.quantity).toBeCloseTo(0.0000019073486328125, 18);
    expect(logs.amount).toBeCloseTo(0.00000095367431640625, 18);
    expect(logs.nanos).toBe(954);
  });
});

describe('the total', () => {
  it('adds up the lines as integer nanos', () => {
    // Prepare
    const usage: Usage = {
      ...ARM_LAMBDA,
      http: { requests: 1, requestBytes: [600 * 1024] },
      dynamodb: { readUnits: 2.5, writeUnits: 3 },
      bedrock: [{ modelId: 'us.amazon.nova-micro-v1:0', inputTokens: 1200, outputTokens: 300 }],
    };
    // Act
    const cost = costOf(usage, USD_PRICES);
    // Assess: 200 + 1,513 (Lambda) + 2,000 (HTTP) + 313 + 1,875 (DynamoDB) + 42,000 + 42,000 (Bedrock) = 89,901 nanos
    expect(cost.nanos).toBe(89_901);
    expect(cost.nanos).toBe(cost.lines.reduce((sum, l) => sum + l.nanos, 0));
    expect(cost.currency).toBe('USD');
  });
});

describe('currency and overrides', () => {
  it('converts to CNY at 7.1 and applies an override of lambda.requests', () => {
    // Prepare
    const prices = resolvePrices({ region: 'us-east-1', at: AT, overrides: { 'lambda.requests': 0.1 }, currency: { code: 'CNY', perUsd: 7.1 } });
    // Act
    const requests = line(ARM_LAMBDA, 'lambda.requests', prices);
    // Assess: $0.10 × 7.1 = ¥0.71 per 1M; 1 × ¥0.71 / 1e6 = ¥0.00000071 = 710 nanos
    expect(requests.unitPrice).toBeCloseTo(0.71, 12);
    expect(requests.nanos).toBe(710);
    expect(requests.source).toBe('override');
    expect(requests.formula).toBe('1 request × ¥0.71 per 1M requests = ¥0.00000071');
  });

  it('converts a price that is not overridden and keeps its source page', () => {
    // Prepare
    const prices = resolvePrices({ region: 'us-east-1', at: AT, currency: { code: 'CNY', perUsd: 7.1 } });
    // Act
    const write = line({ dynamodb: { readUnits: 0, writeUnits: 3 } }, 'dynamodb.writeRequestUnits', prices);
    // Assess: $0.625 × 7.1 = ¥4.4375 per 1M; 3 × ¥4.4375 / 1e6 = ¥0.0000133125 = 13,312.5 nanos → 13,313
    expect(write.nanos).toBe(13_313);
    expect(write.source).toBe('https://aws.amazon.com/dynamodb/pricing/on-demand/');
    expect(prices.items['dynamodb.writeRequestUnits'].version).toBe('aws-us-east-1-2026-11-01');
  });

  it('overrides a Bedrock model price through a profile id', () => {
    // Prepare
    const prices = resolvePrices({ region: 'us-east-1', at: AT, overrides: { 'bedrock.us.amazon.nova-micro-v1:0.input': 0.02 } });
    // Act
    const input = line({ bedrock: [{ modelId: 'amazon.nova-micro-v1:0', inputTokens: 1200, outputTokens: 0 }] }, 'bedrock.amazon.nova-micro-v1:0.input', prices);
    // Assess: 1,200 × $0.02 / 1e6 = $0.000024 = 24,000 nanos
    expect(input.nanos).toBe(24_000);
  });

  it('rejects an unknown key, naming it', () => {
    expect(() => resolvePrices({ region: 'us-east-1', at: AT, overrides: { 'lambda.request': 0.1 } })).toThrow(/lambda\.request\b/);
  });

  it('rejects a negative or non-finite price, naming the key', () => {
    expect(() => resolvePrices({ region: 'us-east-1', at: AT, overrides: { 'sqs.requests': -1 } })).toThrow(/sqs\.requests/);
    expect(() => resolvePrices({ region: 'us-east-1', at: AT, overrides: { 'ses.messages': Number.POSITIVE_INFINITY } })).toThrow(/ses\.messages/);
    expect(() => resolvePrices({ region: 'us-east-1', at: AT, overrides: { 'kms.keys': Number.NaN } })).toThrow(/kms\.keys/);
  });

  it('rejects an override of a Bedrock model the table does not know', () => {
    expect(() => resolvePrices({ region: 'us-east-1', at: AT, overrides: { 'bedrock.acme.mystery-v9.output': 1 } })).toThrow(/acme\.mystery-v9/);
  });

  it('rejects a malformed currency', () => {
    expect(() => resolvePrices({ region: 'us-east-1', at: AT, currency: { code: 'CNY', perUsd: 0 } })).toThrow(/perUsd/);
  });
});

describe('parsePriceOverrides', () => {
  it('reads a JSON object of key to USD price', () => {
    expect(parsePriceOverrides('{"lambda.requests": 0.18, "bedrock.amazon.nova-lite-v1:0.output": 0.2}')).toEqual({ 'lambda.requests': 0.18, 'bedrock.amazon.nova-lite-v1:0.output': 0.2 });
  });

  it('reads an unset or blank variable as no overrides', () => {
    expect(parsePriceOverrides(undefined)).toEqual({});
    expect(parsePriceOverrides('  ')).toEqual({});
  });

  it('rejects text that is not JSON, naming the variable', () => {
    expect(() => parsePriceOverrides('{lambda.requests: 0.1}')).toThrow(/KEFU_PRICE_OVERRIDES is not valid JSON/);
  });

  it('rejects JSON that is not an object', () => {
    expect(() => parsePriceOverrides('[0.1]')).toThrow(/must be a JSON object/);
  });

  it('rejects a price that is not a number, naming the key', () => {
    expect(() => parsePriceOverrides('{"logs.ingestGb": "0.4"}')).toThrow(/KEFU_PRICE_OVERRIDES: logs\.ingestGb must be a non-negative USD price/);
  });

  it('rejects an unknown key, naming it', () => {
    expect(() => parsePriceOverrides('{"lambda.gbSecond": 0.00001}')).toThrow(/unknown price key lambda\.gbSecond\b/);
  });
});

describe('humanCost', () => {
  it('prices 15 minutes at ¥60 an hour as ¥15.00', () => {
    // Act
    const agent = humanCost({ handledSeconds: 900, hourlyRate: 60, currency: 'CNY' });
    // Assess: 900 s / 3,600 = 0.25 h; 0.25 × ¥60 = ¥15.00 = 15,000,000,000 nanos
    expect(agent.service).toBe('human');
    expect(agent.item).toBe('agent.hours');
    expect(agent.amount).toBe(15);
    expect(agent.nanos).toBe(15_000_000_000);
    expect(agent.formula).toBe('0.2500 h × ¥60.00 per hour = ¥15.00');
  });
});

describe('priceTableFor', () => {
  it('substitutes the us-east-1 table for a region without one, and says so', () => {
    // Act
    const choice = priceTableFor('mars-west-1', '2026-12-01');
    // Assess
    expect(choice.table.region).toBe('us-east-1');
    expect(choice.substitutedFor).toBe('mars-west-1');
    expect(choice.note).toMatch(/mars-west-1/);
  });

  it('takes the region own table without a note', () => {
    // Act
    const choice = priceTableFor('us-east-1', '2026-12-01T08:00:00Z');
    // Assess
    expect(choice.table.version).toBe('aws-us-east-1-2026-11-01');
    expect(choice.substitutedFor).toBeUndefined();
    expect(choice.note).toBeUndefined();
  });

  it('falls back to the oldest table for a date before it, with a note', () => {
    expect(priceTableFor('us-east-1', '2025-01-01').note).toMatch(/oldest \(2026-11-01\)/);
  });

  it('rejects a date it cannot read', () => {
    expect(() => priceTableFor('us-east-1', 'yesterday')).toThrow(/YYYY-MM-DD/);
  });

  it('marks resolved prices that were substituted', () => {
    expect(resolvePrices({ region: 'mars-west-1', at: AT }).substitutedFor).toBe('mars-west-1');
  });
});

describe('formatMoney', () => {
  it('shows sub-cent amounts to six significant digits, at most ten decimals', () => {
    expect(formatMoney(0.0000133334, 'USD')).toBe('$0.0000133334');
    expect(formatMoney(0.0000015133409, 'USD')).toBe('$0.0000015133');
    expect(formatMoney(0.0000002, 'USD')).toBe('$0.0000002');
  });

  it('shows at least two decimals and groups thousands', () => {
    expect(formatMoney(15, 'CNY')).toBe('¥15.00');
    expect(formatMoney(1234.56789, 'USD')).toBe('$1,234.57');
    expect(formatMoney(0.2, 'EUR')).toBe('EUR 0.20');
  });
});

describe('usage checks', () => {
  it('rejects a negative quantity, naming the field', () => {
    expect(() => costOf({ dynamodb: { readUnits: -1, writeUnits: 0 } }, USD_PRICES)).toThrow(/dynamodb\.readUnits/);
  });

  it('rejects more sizes than requests', () => {
    expect(() => costOf({ http: { requests: 1, requestBytes: [1, 2] } }, USD_PRICES)).toThrow(/2 sizes for 1 requests/);
  });
});
