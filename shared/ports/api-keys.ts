/** Ports of the REST API channel: where API keys are kept, and the per-key request counters of the rate limit. */
import type { ApiKeyRecord } from '../domain/channels/api-keys.ts';

export interface ApiKeyStore {
  /** Stores a new key; refuses (returns false) when the key id is taken. */
  create(record: ApiKeyRecord): Promise<boolean>;
  /** One key by id (a strongly consistent read: a revocation applies to the very next request). */
  get(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked ones included, newest first. */
  list(): Promise<ApiKeyRecord[]>;
  /**
   * Revokes a key once: a key already revoked keeps its first `revokedAt`. Returns the key as stored afterwards, or
   * undefined when there is no such key.
   */
  revoke(keyId: string, at: string, by: string): Promise<ApiKeyRecord | undefined>;
  /** Sets `lastUsedAt` to `at` unless it is already at or after `notBefore` (at most one write per minute). */
  touch(keyId: string, at: string, notBefore: string): Promise<void>;
}

export interface RateCounters {
  /**
   * Adds one to the counter `counterKey` only while it is below `limit`, atomically (exact under concurrency).
   * Returns whether the request was admitted and the count after it (or the count that refused it).
   */
  take(counterKey: string, limit: number, expiresAt: number): Promise<{ readonly admitted: boolean; readonly count: number }>;
}
