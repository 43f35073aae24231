/**
 * The sentiment provider port: the local engine (default and fallback) and Amazon Comprehend implement it.
 */
import type { Language } from '../domain/knowledge/text-features.ts';
import type { SentimentResult } from '../domain/sentiment/sentiment.ts';

export interface SentimentRequest {
  readonly text: string;
  /** The caller's language when it knows it better than detection does; otherwise detected from the text. */
  readonly language?: Language;
}

export interface SentimentProvider {
  readonly name: SentimentResult['provider'];
  score(request: SentimentRequest): Promise<SentimentResult>;
}
