/** Port of the daily conversation analytics: record facts once each, read the counters of a period. */
import type { AnalyticsFact, DailyCounter } from '../domain/analytics/conversation-analytics.ts';

export interface AnalyticsStore {
  /** Adds a fact's counters to its day, unless the same fact of the same conversation was recorded already. */
  record(fact: AnalyticsFact): Promise<'recorded' | 'duplicate'>;
  /** Every counter of the days from `from` to `to` (inclusive, YYYY-MM-DD). */
  counters(from: string, to: string): Promise<DailyCounter[]>;
}
