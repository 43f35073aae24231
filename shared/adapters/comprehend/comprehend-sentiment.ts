/**
 * Amazon Comprehend as the sentiment provider: DetectSentiment for a text of one document, BatchDetectSentiment for a
 * longer one, with the local engine as the fallback on timeout or error (the result then says why).
 *
 * - Documents: Comprehend takes at most 5,000 UTF-8 bytes a document and 25 documents a batch. A longer text is cut
 *   after sentence ends (。！？!?. and line breaks), a sentence longer than a document on code-point boundaries, and its
 *   documents' scores are averaged weighted by their length in characters.
 * - Languages: zh-Hans → zh, zh-Hant → zh-TW, en → en; the caller's language wins over detection, and a text whose
 *   language is unknown is sent as en.
 * - Emotion, intensity and cues are the local engine's, unchanged: Comprehend has no emotion. When Comprehend is
 *   confidently positive or neutral (score ≥ 0.8) and the local emotion is a mild negative one (intensity < 0.5), the
 *   emotion is still kept (polite wording such as "please hurry, thank you" hides anxiety from a polarity model) but
 *   at the local intensity, never raised to match Comprehend.
 * - Units: what Comprehend bills, 100 characters a unit with a 3-unit minimum, per document sent.
 */
// The SDK is loaded on first use (see createComprehendSentimentProvider): esbuild hoists a bundled module's static
// imports of external packages, so a static import here would load the Comprehend client at every cold start.
import type { BatchDetectSentimentCommandOutput, ComprehendClient, LanguageCode, SentimentScore, SentimentType } from '@aws-sdk/client-comprehend';
import { meter } from '../../observability/cost-meter.ts';
import { detectLanguage, type Language } from '../../domain/knowledge/text-features.ts';
import { POLARITIES, type Polarity, type PolarityScores, type SentimentResult } from '../../domain/sentiment/sentiment.ts';
import type { SentimentProvider, SentimentRequest } from '../../ports/sentiment.ts';
import { ProviderTimeoutError, withDeadline } from '../bedrock/deadline.ts';

/** Deadline of one scoring, all batches included. */
export const DEFAULT_SENTIMENT_TIMEOUT_MS = 800;
/** Largest document DetectSentiment and BatchDetectSentiment accept, in UTF-8 bytes. */
export const MAX_DOCUMENT_BYTES = 5_000;
/** Most documents one BatchDetectSentiment call accepts. */
export const MAX_BATCH_DOCUMENTS = 25;

/** The local engine: scores a text synchronously, without network. */
export type LocalSentimentEngine = (text: string) => SentimentResult;

export interface ComprehendSentimentProviderProps {
  readonly client: ComprehendClient;
  /** Default and fallback engine; also gives emotion, intensity and cues. */
  readonly local: LocalSentimentEngine;
  /** Deadline of one scoring, after which the local result is returned. */
  readonly timeoutMs: number;
}

const LANGUAGE_CODES: Readonly<Record<Exclude<Language, 'unknown'>, LanguageCode>> = { 'zh-Hans': 'zh', 'zh-Hant': 'zh-TW', en: 'en' };
const SENTENCE_END = /(?<=[。！？!?.\n])(?![。！？!?.\n])/u;
const encoder = new TextEncoder();

/** One document's verdict as Comprehend returned it. */
interface DocumentSentiment {
  readonly sentiment: SentimentType;
  readonly score: SentimentScore;
}

/** A response Comprehend should not give (a document error, a missing score): the call counts as failed. */
export class ComprehendSentimentError extends Error {
  readonly code = 'COMPREHEND.SENTIMENT_FAILED';

  constructor(message: string) {
    super(message);
    this.name = 'ComprehendSentimentError';
  }
}

export class ComprehendSentimentProvider implements SentimentProvider {
  readonly name = 'comprehend';
  private readonly client: ComprehendClient;
  private readonly local: LocalSentimentEngine;
  private readonly timeoutMs: number;

  constructor(props: ComprehendSentimentProviderProps) {
    if (!Number.isFinite(props.timeoutMs) || props.timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number, got ${props.timeoutMs}`);
    this.client = props.client;
    this.local = props.local;
    this.timeoutMs = props.timeoutMs;
  }

  async score(request: SentimentRequest): Promise<SentimentResult> {
    const local = this.local(request.text);
    if (!request.text.trim()) return local;
    const language = request.language && request.language !== 'unknown' ? request.language : detectLanguage(request.text);
    const languageCode = language === 'unknown' ? 'en' : LANGUAGE_CODES[language];
    const documents = splitIntoDocuments(request.text);
    // Billed per document sent (100 characters a unit, 3 at least), whether or not the answer comes in time.
    for (const document of documents) meter.comprehend(document.length);
    try {
      const sdk = await import('@aws-sdk/client-comprehend');
      const verdicts = await withDeadline('comprehend sentiment', this.timeoutMs, async (abortSignal) => {
        if (documents.length === 1) {
          const output = await this.client.send(new sdk.DetectSentimentCommand({ Text: documents[0], LanguageCode: languageCode }), { abortSignal });
          return [verdictOf(output)];
        }
        const batches = chunk(documents, MAX_BATCH_DOCUMENTS);
        const outputs = await Promise.all(
          batches.map((TextList) => this.client.send(new sdk.BatchDetectSentimentCommand({ TextList, LanguageCode: languageCode }), { abortSignal })),
        );
        return outputs.flatMap((output, i) => batchVerdicts(output, batches[i]!.length));
      });
      return {
        ...combine(documents, verdicts),
        emotion: local.emotion,
        intensity: local.intensity,
        ...(local.cues ? { cues: local.cues } : {}),
        language,
        provider: 'comprehend',
        units: documents.reduce((sum, document) => sum + billableUnits(document), 0),
      };
    } catch (error) {
      return { ...local, fallbackReason: error instanceof ProviderTimeoutError ? 'timeout' : 'error' };
    }
  }
}

/** A Comprehend provider with its own client; the SDK is imported here, on first use, not at cold start. */
export async function createComprehendSentimentProvider(options: {
  /** @default the SDK's region resolution (AWS_REGION in Lambda) */
  readonly region?: string;
  /** @default DEFAULT_SENTIMENT_TIMEOUT_MS */
  readonly timeoutMs?: number;
  readonly local: LocalSentimentEngine;
}): Promise<ComprehendSentimentProvider> {
  const { ComprehendClient } = await import('@aws-sdk/client-comprehend');
  const client = new ComprehendClient(options.region ? { region: options.region } : {});
  return new ComprehendSentimentProvider({ client, local: options.local, timeoutMs: options.timeoutMs ?? DEFAULT_SENTIMENT_TIMEOUT_MS });
}

/**
 * The documents sent for a text: the trimmed text itself when it fits in one, otherwise whole sentences packed into
 * documents of at most MAX_DOCUMENT_BYTES, a longer sentence cut on code-point boundaries. Blank documents are dropped.
 */
export function splitIntoDocuments(text: string): string[] {
  const trimmed = text.trim();
  if (utf8Bytes(trimmed) <= MAX_DOCUMENT_BYTES) return trimmed ? [trimmed] : [];
  const documents: string[] = [];
  let current = '';
  let currentBytes = 0;
  const flush = () => {
    if (current.trim()) documents.push(current.trim());
    current = '';
    currentBytes = 0;
  };
  for (const sentence of trimmed.split(SENTENCE_END)) {
    const bytes = utf8Bytes(sentence);
    if (currentBytes + bytes <= MAX_DOCUMENT_BYTES) {
      current += sentence;
      currentBytes += bytes;
      continue;
    }
    flush();
    if (bytes <= MAX_DOCUMENT_BYTES) {
      current = sentence;
      currentBytes = bytes;
      continue;
    }
    for (const ch of sentence) {
      const size = codePointBytes(ch);
      if (currentBytes + size > MAX_DOCUMENT_BYTES) flush();
      current += ch;
      currentBytes += size;
    }
  }
  flush();
  return documents;
}

/** Units Comprehend bills for one document: 100 characters a unit, 3 units at least. */
export function billableUnits(document: string): number {
  return Math.max(3, Math.ceil(characters(document) / 100));
}

function verdictOf(output: { readonly Sentiment?: SentimentType | undefined; readonly SentimentScore?: SentimentScore | undefined }): DocumentSentiment {
  if (!output.Sentiment || !output.SentimentScore) throw new ComprehendSentimentError('Comprehend returned no sentiment or no score');
  return { sentiment: output.Sentiment, score: output.SentimentScore };
}

/** The verdicts of one batch in input order; any document error fails the whole scoring. */
function batchVerdicts(output: BatchDetectSentimentCommandOutput, count: number): DocumentSentiment[] {
  const failed = output.ErrorList?.[0];
  if (failed) throw new ComprehendSentimentError(`document ${failed.Index} failed: ${failed.ErrorCode ?? 'unknown'} ${failed.ErrorMessage ?? ''}`.trim());
  const results = [...(output.ResultList ?? [])].sort((a, b) => (a.Index ?? 0) - (b.Index ?? 0));
  if (results.length !== count || results.some((result, i) => result.Index !== i)) {
    throw new ComprehendSentimentError(`Comprehend returned ${results.length} results for ${count} documents`);
  }
  return results.map(verdictOf);
}

/** One document's verdict as is; several documents' scores averaged by character length, the polarity their maximum. */
function combine(documents: readonly string[], verdicts: readonly DocumentSentiment[]): { polarity: Polarity; scores: PolarityScores } {
  if (verdicts.length === 1) return { polarity: polarityOf(verdicts[0]!.sentiment), scores: rounded(scoresOf(verdicts[0]!.score)) };
  const weights = documents.map(characters);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const sum = { positive: 0, negative: 0, neutral: 0, mixed: 0 };
  verdicts.forEach((verdict, i) => {
    const scores = scoresOf(verdict.score);
    for (const polarity of POLARITIES) sum[polarity] += (scores[polarity] * weights[i]!) / total;
  });
  const polarity = POLARITIES.reduce((best, candidate) => (sum[candidate] > sum[best] ? candidate : best));
  return { polarity, scores: rounded(sum) };
}

function polarityOf(sentiment: SentimentType): Polarity {
  const polarity = sentiment.toLowerCase() as Polarity;
  if (!POLARITIES.includes(polarity)) throw new ComprehendSentimentError(`unexpected sentiment ${sentiment}`);
  return polarity;
}

function scoresOf(score: SentimentScore): PolarityScores {
  return { positive: score.Positive ?? 0, negative: score.Negative ?? 0, neutral: score.Neutral ?? 0, mixed: score.Mixed ?? 0 };
}

function rounded(scores: PolarityScores): PolarityScores {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return { positive: round(scores.positive), negative: round(scores.negative), neutral: round(scores.neutral), mixed: round(scores.mixed) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

function codePointBytes(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Characters as Comprehend counts them: code points, so an emoji or a rare CJK character counts once. */
function characters(text: string): number {
  return [...text].length;
}
