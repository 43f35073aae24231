/**
 * The Comprehend sentiment provider at the SDK boundary: Comprehend cannot be reached from here, so these tests check
 * the DetectSentiment / BatchDetectSentiment requests it sends and how it reads their responses, with the client
 * mocked by aws-sdk-client-mock, and that it falls back to the local engine whenever Comprehend fails.
 */
import {
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectSentimentCommand,
  TooManyRequestsException,
  type BatchDetectSentimentCommandInput,
  type BatchDetectSentimentCommandOutput,
  type DetectSentimentCommandInput,
  type DetectSentimentCommandOutput,
  type SentimentScore,
} from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ComprehendSentimentProvider,
  MAX_BATCH_DOCUMENTS,
  MAX_DOCUMENT_BYTES,
  billableUnits,
  createComprehendSentimentProvider,
  splitIntoDocuments,
  type LocalSentimentEngine,
} from '../../shared/adapters/comprehend/comprehend-sentiment.ts';
import { detectLanguage } from '../../shared/domain/knowledge/text-features.ts';
import type { SentimentResult } from '../../shared/domain/sentiment/sentiment.ts';

const comprehend = mockClient(ComprehendClient);
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** 20 characters, 60 UTF-8 bytes. */
const ZH_SENTENCE = '请帮我查一下快递为什么三天没有更新物流。';
/** 200 sentences: 12,000 bytes, 4,000 characters. */
const LONG_ZH_TEXT = ZH_SENTENCE.repeat(200);

/** A stand-in for the local engine: a fixed, recognisable verdict, in the language it detects. */
function localEngine(overrides: Partial<SentimentResult> = {}): LocalSentimentEngine {
  return (text) => ({
    polarity: 'negative',
    scores: { positive: 0.05, negative: 0.7, neutral: 0.2, mixed: 0.05 },
    emotion: 'anxious',
    intensity: 0.3,
    language: detectLanguage(text),
    provider: 'local',
    cues: ['urgency'],
    ...overrides,
  });
}

function provider(overrides: { local?: LocalSentimentEngine; timeoutMs?: number } = {}): ComprehendSentimentProvider {
  return new ComprehendSentimentProvider({ client: new ComprehendClient({ region: 'us-east-1' }), local: overrides.local ?? localEngine(), timeoutMs: overrides.timeoutMs ?? 1000 });
}

/** A DetectSentiment response as the service returns it. */
function detectReply(sentiment: DetectSentimentCommandOutput['Sentiment'], score: SentimentScore): DetectSentimentCommandOutput {
  return { Sentiment: sentiment, SentimentScore: score, $metadata: { httpStatusCode: 200, requestId: 'req-1' } };
}

/** A BatchDetectSentiment response with one result per document, each scored by `scoreOf(index)`. */
function batchReply(input: BatchDetectSentimentCommandInput, scoreOf: (index: number) => SentimentScore): BatchDetectSentimentCommandOutput {
  return {
    ResultList: (input.TextList ?? []).map((_, Index) => ({ Index, Sentiment: 'NEUTRAL', SentimentScore: scoreOf(Index) })),
    ErrorList: [],
    $metadata: { httpStatusCode: 200 },
  };
}

const NEUTRAL_SCORE: SentimentScore = { Positive: 0.02, Negative: 0.03, Neutral: 0.94, Mixed: 0.01 };

function detectInputs(): DetectSentimentCommandInput[] {
  return comprehend.commandCalls(DetectSentimentCommand).map((call) => call.args[0].input);
}

function batchInputs(): BatchDetectSentimentCommandInput[] {
  return comprehend.commandCalls(BatchDetectSentimentCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  comprehend.reset();
});

describe('one document: DetectSentiment', () => {
  it('sends the text and the language code, and reads polarity and scores rounded to 3 decimals', async () => {
    // Prepare
    comprehend.on(DetectSentimentCommand).resolves(detectReply('NEGATIVE', { Positive: 0.0012345, Negative: 0.9812345, Neutral: 0.0150655, Mixed: 0.0024655 }));
    // Act
    const result = await provider().score({ text: 'Where is my parcel? It is three days late.' });
    // Assess
    expect(detectInputs()).toEqual([{ Text: 'Where is my parcel? It is three days late.', LanguageCode: 'en' }]);
    expect(batchInputs()).toEqual([]);
    expect(result).toEqual({
      polarity: 'negative',
      scores: { positive: 0.001, negative: 0.981, neutral: 0.015, mixed: 0.002 },
      emotion: 'anxious',
      intensity: 0.3,
      cues: ['urgency'],
      language: 'en',
      provider: 'comprehend',
      units: 3,
    });
  });

  it.each([
    ['MIXED', 'mixed'],
    ['POSITIVE', 'positive'],
    ['NEUTRAL', 'neutral'],
  ] as const)('reads %s as %s', async (sentiment, polarity) => {
    // Prepare
    comprehend.on(DetectSentimentCommand).resolves(detectReply(sentiment, NEUTRAL_SCORE));
    // Act
    const result = await provider().score({ text: 'ok' });
    // Assess
    expect(result.polarity).toBe(polarity);
  });

  it('sends the trimmed text', async () => {
    // Prepare
    comprehend.on(DetectSentimentCommand).resolves(detectReply('NEUTRAL', NEUTRAL_SCORE));
    // Act
    await provider().score({ text: '  \n where is my parcel \n' });
    // Assess
    expect(detectInputs()[0]?.Text).toBe('where is my parcel');
  });
});

describe('language', () => {
  beforeEach(() => {
    comprehend.on(DetectSentimentCommand).resolves(detectReply('NEUTRAL', NEUTRAL_SCORE));
  });

  it.each([
    ['我的包裹怎么还没到，太慢了', 'zh', 'zh-Hans'],
    ['我的包裹怎麼還沒到，太慢了', 'zh-TW', 'zh-Hant'],
    ['Where is my parcel?', 'en', 'en'],
    ['12345 ???', 'en', 'unknown'],
  ] as const)('sends %s as %s', async (text, languageCode, language) => {
    // Act
    const result = await provider().score({ text });
    // Assess
    expect(detectInputs()[0]?.LanguageCode).toBe(languageCode);
    expect(result.language).toBe(language);
  });

  it("prefers the caller's language over detection", async () => {
    // Act
    const result = await provider().score({ text: '我的包裹怎么还没到', language: 'zh-Hant' });
    // Assess
    expect(detectInputs()[0]?.LanguageCode).toBe('zh-TW');
    expect(result.language).toBe('zh-Hant');
  });

  it("detects the language when the caller's is unknown", async () => {
    // Act
    await provider().score({ text: '我的包裹怎么还没到', language: 'unknown' });
    // Assess
    expect(detectInputs()[0]?.LanguageCode).toBe('zh');
  });
});

describe('long text: BatchDetectSentiment', () => {
  it('splits a 12,000-byte Chinese text after sentence ends into documents of at most 5,000 bytes, in one batch', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).callsFake((input: BatchDetectSentimentCommandInput) => batchReply(input, () => NEUTRAL_SCORE));
    // Act
    await provider().score({ text: LONG_ZH_TEXT });
    // Assess
    const [batch, ...more] = batchInputs();
    expect(more).toEqual([]);
    expect(detectInputs()).toEqual([]);
    expect(batch?.LanguageCode).toBe('zh');
    const documents = batch?.TextList ?? [];
    expect(documents.map((d) => [...d].length)).toEqual([1660, 1660, 680]);
    for (const document of documents) {
      expect(bytes(document)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
      expect(document.endsWith('。')).toBe(true);
    }
    expect(documents.join('')).toBe(LONG_ZH_TEXT);
  });

  it('combines the documents’ scores weighted by their length in characters', async () => {
    // Prepare: the two long documents are negative, the short last one positive.
    const scores: SentimentScore[] = [
      { Positive: 0.1, Negative: 0.8, Neutral: 0.05, Mixed: 0.05 },
      { Positive: 0.2, Negative: 0.6, Neutral: 0.1, Mixed: 0.1 },
      { Positive: 0.88, Negative: 0.02, Neutral: 0.07, Mixed: 0.03 },
    ];
    comprehend.on(BatchDetectSentimentCommand).callsFake((input: BatchDetectSentimentCommandInput) => batchReply(input, (i) => scores[i]!));
    // Act
    const result = await provider().score({ text: LONG_ZH_TEXT });
    // Assess: positive (0.1 × 1660 + 0.2 × 1660 + 0.88 × 680) / 4000 = 0.2741, and so on
    expect(result.scores).toEqual({ positive: 0.274, negative: 0.584, neutral: 0.074, mixed: 0.067 });
    expect(result.polarity).toBe('negative');
  });

  it('bills each document: 17 + 17 + 7 units for 1,660, 1,660 and 680 characters', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).callsFake((input: BatchDetectSentimentCommandInput) => batchReply(input, () => NEUTRAL_SCORE));
    // Act
    const result = await provider().score({ text: LONG_ZH_TEXT });
    // Assess
    expect(result.units).toBe(41);
  });

  it('sends more than 25 documents in several batches of at most 25, every document once and in order', async () => {
    // Prepare: 1,350 English sentences of 100 bytes, 135,000 bytes in all
    const sentence = `${'Still waiting for my refund'.padEnd(98, ' x')}. `;
    const text = sentence.repeat(1350);
    comprehend.on(BatchDetectSentimentCommand).callsFake((input: BatchDetectSentimentCommandInput) => batchReply(input, () => NEUTRAL_SCORE));
    // Act
    const result = await provider().score({ text });
    // Assess
    const batches = batchInputs().map((input) => input.TextList ?? []);
    const sent = batches.flat();
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH_DOCUMENTS, sent.length - MAX_BATCH_DOCUMENTS]);
    expect(sent.length).toBeGreaterThan(MAX_BATCH_DOCUMENTS);
    expect(sent).toEqual(splitIntoDocuments(text));
    expect(sent.every((d) => bytes(d) <= MAX_DOCUMENT_BYTES)).toBe(true);
    expect(result.provider).toBe('comprehend');
    expect(result.units).toBe(sent.reduce((sum, d) => sum + Math.max(3, Math.ceil(d.length / 100)), 0));
  });

  it('falls back when a document of the batch fails (ErrorList)', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).resolves({
      ResultList: [
        { Index: 0, Sentiment: 'NEUTRAL', SentimentScore: NEUTRAL_SCORE },
        { Index: 2, Sentiment: 'NEUTRAL', SentimentScore: NEUTRAL_SCORE },
      ],
      ErrorList: [{ Index: 1, ErrorCode: 'INTERNAL_SERVER_ERROR', ErrorMessage: 'Internal server error' }],
      $metadata: { httpStatusCode: 200 },
    });
    // Act
    const result = await provider().score({ text: LONG_ZH_TEXT });
    // Assess
    expect(batchInputs()).toHaveLength(1);
    expect(result).toMatchObject({ provider: 'local', fallbackReason: 'error', emotion: 'anxious' });
    expect(result.units).toBeUndefined();
  });
});

describe('splitting', () => {
  it('cuts a text without sentence ends on code-point boundaries', () => {
    // Prepare: 2,000 four-byte emoji, 8,000 bytes
    const text = '😠'.repeat(2000);
    // Act
    const documents = splitIntoDocuments(text);
    // Assess
    expect(documents.map(bytes)).toEqual([5000, 3000]);
    expect(documents.every((d) => [...d].every((ch) => ch === '😠'))).toBe(true);
    expect(documents.join('')).toBe(text);
  });

  it('cuts a sentence longer than a document and packs what follows with its remainder', () => {
    // Prepare: a 6,000-character sentence (18,000 bytes), then a short one
    const text = `${'慢'.repeat(6000)}。谢谢。`;
    // Act
    const documents = splitIntoDocuments(text);
    // Assess
    expect(documents.map(bytes)).toEqual([4998, 4998, 4998, 3018]);
    expect(documents.at(-1)?.endsWith('慢。谢谢。')).toBe(true);
    expect(documents.join('')).toBe(text);
  });

  it('keeps a text of exactly 5,000 bytes whole and splits one of 5,001', () => {
    expect(splitIntoDocuments('a'.repeat(5000))).toHaveLength(1);
    expect(splitIntoDocuments('a'.repeat(5001)).map(bytes)).toEqual([5000, 1]);
  });
});

describe('billable units', () => {
  it.each([
    [50, 3],
    [250, 3],
    [300, 3],
    [301, 4],
    [1000, 10],
  ])('bills %i characters as %i units', async (length, units) => {
    // Prepare
    comprehend.on(DetectSentimentCommand).resolves(detectReply('NEUTRAL', NEUTRAL_SCORE));
    // Act
    const result = await provider().score({ text: 'a'.repeat(length) });
    // Assess
    expect(result.units).toBe(units);
    expect(billableUnits('a'.repeat(length))).toBe(units);
  });

  it('counts characters, not bytes: 301 Chinese characters are 4 units', () => {
    expect(billableUnits('慢'.repeat(301))).toBe(4);
  });
});

describe('emotion', () => {
  it('keeps a mild negative local emotion at its own intensity when Comprehend is confidently positive', async () => {
    // Prepare
    comprehend.on(DetectSentimentCommand).resolves(detectReply('POSITIVE', { Positive: 0.93, Negative: 0.02, Neutral: 0.04, Mixed: 0.01 }));
    // Act
    const result = await provider({ local: localEngine({ emotion: 'anxious', intensity: 0.3 }) }).score({ text: 'Please hurry, thank you so much!' });
    // Assess
    expect(result).toMatchObject({ polarity: 'positive', emotion: 'anxious', intensity: 0.3, provider: 'comprehend' });
  });

  it('takes emotion, intensity and cues from the local engine on the same text', async () => {
    // Prepare
    const seen: string[] = [];
    const local: LocalSentimentEngine = (text) => {
      seen.push(text);
      return localEngine({ emotion: 'angry', intensity: 0.9, cues: ['complaint', 'threat'] })(text);
    };
    comprehend.on(DetectSentimentCommand).resolves(detectReply('NEGATIVE', { Positive: 0.01, Negative: 0.97, Neutral: 0.01, Mixed: 0.01 }));
    // Act
    const result = await provider({ local }).score({ text: '我要投诉，再不退款就去12315' });
    // Assess
    expect(seen).toEqual(['我要投诉，再不退款就去12315']);
    expect(result).toMatchObject({ emotion: 'angry', intensity: 0.9, cues: ['complaint', 'threat'] });
  });
});

describe('fallback to the local engine', () => {
  it('answers locally with fallbackReason timeout and aborts the call at the deadline', async () => {
    // Prepare: Comprehend never answers
    comprehend.on(DetectSentimentCommand).callsFake(() => new Promise(() => undefined));
    const local = localEngine();
    // Act
    const started = performance.now();
    const result = await provider({ local, timeoutMs: 30 }).score({ text: 'Where is my parcel?' });
    // Assess
    expect(performance.now() - started).toBeLessThan(500);
    expect(result).toEqual({ ...local('Where is my parcel?'), fallbackReason: 'timeout' });
    // client.send(command, { abortSignal }): the mock records both arguments, its typing only the command.
    const [, options] = (comprehend.commandCalls(DetectSentimentCommand)[0]?.args ?? []) as unknown[] as [unknown, { abortSignal?: AbortSignal } | undefined];
    expect(options?.abortSignal?.aborted).toBe(true);
  });

  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })],
    ['ThrottlingException', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })],
    ['InternalServerException', Object.assign(new Error('Internal server error'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } })],
  ])('answers locally with fallbackReason error on %s', async (_, error) => {
    // Prepare
    comprehend.on(DetectSentimentCommand).rejects(error);
    // Act
    const result = await provider().score({ text: 'Where is my parcel?' });
    // Assess
    expect(detectInputs()).toHaveLength(1);
    expect(result).toEqual({ ...localEngine()('Where is my parcel?'), fallbackReason: 'error' });
  });

  it('answers locally with fallbackReason error when a batch call is denied', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).rejects(Object.assign(new Error('not authorized to perform: comprehend:BatchDetectSentiment'), { name: 'AccessDeniedException' }));
    // Act
    const result = await provider().score({ text: LONG_ZH_TEXT });
    // Assess
    expect(result).toMatchObject({ provider: 'local', fallbackReason: 'error' });
  });

  it('answers locally when the response carries no sentiment', async () => {
    // Prepare
    comprehend.on(DetectSentimentCommand).resolves({ $metadata: { httpStatusCode: 200 } });
    // Act
    const result = await provider().score({ text: 'hello' });
    // Assess
    expect(result.fallbackReason).toBe('error');
  });

  it.each(['', '   \n\t '])('scores %j locally without calling Comprehend', async (text) => {
    // Act
    const result = await provider().score({ text });
    // Assess
    expect(comprehend.calls()).toHaveLength(0);
    expect(result.provider).toBe('local');
    expect(result.fallbackReason).toBeUndefined();
  });
});

describe('construction', () => {
  it('rejects a timeout that is not a positive number', () => {
    expect(() => provider({ timeoutMs: 0 })).toThrow(RangeError);
  });

  it('builds a provider with its own client in the given region', async () => {
    // Prepare
    comprehend.on(DetectSentimentCommand).resolves(detectReply('NEUTRAL', NEUTRAL_SCORE));
    const sentiment = await createComprehendSentimentProvider({ region: 'eu-west-1', local: localEngine() });
    // Act
    const result = await sentiment.score({ text: 'hello' });
    // Assess
    expect(sentiment.name).toBe('comprehend');
    expect(result.provider).toBe('comprehend');
    const client = comprehend.commandCalls(DetectSentimentCommand)[0]?.thisValue as ComprehendClient;
    expect(await client.config.region()).toBe('eu-west-1');
  });
});
