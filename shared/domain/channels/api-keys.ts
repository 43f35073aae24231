/**
 * API keys of the REST API channel (a company's own app or web shop backend talks to Kefu with them): the key format,
 * its hash, the constant-time check, the stored record's public view, and the arithmetic of the per-key rate limit.
 *
 * Key format `kefu_<keyId>_<secret>`: keyId is 16 lower-case hex characters (8 random bytes, looked up with one
 * GetItem), secret is 32 random bytes in base64url (43 characters, no padding). Only the SHA-256 of the whole key
 * (hex) is stored, with its first 12 characters for display; the plaintext key is shown once, when it is created.
 *
 * The rate limit is a fixed one-minute window per key: one counter per key and window, incremented only while it is
 * below the limit (the store makes that increment atomic), expiring two minutes after its window started.
 *
 * Nothing here does I/O; randomness comes in as a function so that tests can fix it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'kefu_';
export const KEY_ID_HEX_LENGTH = 16;
export const SECRET_BYTES = 32;
/** 32 bytes in base64url without padding. */
export const SECRET_LENGTH = 43;
/** Characters of the key kept for display ("kefu_" and the first 7 of the key id). */
export const DISPLAY_PREFIX_LENGTH = 12;

export const DEFAULT_RATE_PER_MINUTE = 60;
export const MAX_RATE_PER_MINUTE = 6000;
export const RATE_WINDOW_MS = 60_000;
/** How long a window's counter lives after its window started (the table's TTL removes it). */
export const RATE_COUNTER_TTL_SECONDS = 120;
/** `lastUsedAt` is written at most once per this many milliseconds per key. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Keys of the same owner share customers and conversations (a rotated key keeps its customers); "default" unless named. */
export const DEFAULT_KEY_OWNER = 'default';
export const KEY_OWNER_PATTERN = /^[a-z0-9][a-z0-9-]{0,47}$/;

const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}([0-9a-f]{${KEY_ID_HEX_LENGTH}})_([A-Za-z0-9_-]{${SECRET_LENGTH}})$`);

export type RandomBytes = (size: number) => Uint8Array;

/** A freshly generated key: the plaintext (shown once) and what is stored of it. */
export interface GeneratedApiKey {
  readonly keyId: string;
  readonly plaintext: string;
  readonly hash: string;
  readonly prefix: string;
}

export function generateApiKey(random: RandomBytes = randomBytes): GeneratedApiKey {
  const keyId = Buffer.from(random(KEY_ID_HEX_LENGTH / 2)).toString('hex');
  const secret = Buffer.from(random(SECRET_BYTES)).toString('base64url');
  const plaintext = `${API_KEY_PREFIX}${keyId}_${secret}`;
  return { keyId, plaintext, hash: hashApiKey(plaintext), prefix: displayPrefix(plaintext) };
}

/** SHA-256 of the whole key, lower-case hex (64 characters). */
export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

export function displayPrefix(plaintext: string): string {
  return plaintext.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** The key id of a well-formed key, or undefined (malformed keys are refused before any lookup). */
export function parseApiKey(candidate: string): { readonly keyId: string } | undefined {
  const match = KEY_PATTERN.exec(candidate);
  return match ? { keyId: match[1]! } : undefined;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;
/** A hash of the same length, compared when the key id is unknown (so that both paths do the same work). */
export const DECOY_HASH = '0'.repeat(64);

/**
 * Whether two SHA-256 hex digests are equal, in time that does not depend on where they differ. Anything that is not
 * a 64-character hex digest is unequal (still after one comparison of fixed length).
 */
export function hashesEqual(expected: string, actual: string): boolean {
  const wellFormed = HEX_SHA256.test(expected) && HEX_SHA256.test(actual);
  const a = Buffer.from(wellFormed ? expected : DECOY_HASH, 'hex');
  const b = Buffer.from(wellFormed ? actual : DECOY_HASH.replace(/^0/, '1'), 'hex');
  return timingSafeEqual(a, b) && wellFormed;
}

/**
 * The key a request carries: `Authorization: Bearer kefu_…` or `X-Api-Key: kefu_…` (header names in lower case).
 * Returns the raw value (checked later), or undefined when neither header is there.
 */
export function keyFromHeaders(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const explicit = headers['x-api-key']?.trim();
  if (explicit) return explicit;
  const authorization = headers.authorization?.trim();
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return match?.[1];
}

// ---------------------------------------------------------------- the stored key

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly name: string;
  readonly owner: string;
  /** SHA-256 of the whole key, hex. Never leaves the store through a view. */
  readonly hash: string;
  readonly prefix: string;
  readonly ratePerMinute: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
  readonly lastUsedAt?: string;
  /** Where replies are pushed (signed), when the key has a callback. */
  readonly callbackUrl?: string;
  /** The HMAC key of the callback's signature (32 random bytes, base64url): shown once, kept to sign. */
  readonly callbackSecret?: string;
}

/** What administrators see of a key: never the secret, never its hash. */
export interface ApiKeyView {
  readonly keyId: string;
  readonly name: string;
  readonly owner: string;
  readonly prefix: string;
  readonly ratePerMinute: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revoked: boolean;
  readonly revokedAt: string | null;
  /** Only on keys with a callback (never its secret). */
  readonly callbackUrl?: string;
}

export function apiKeyView(record: ApiKeyRecord): ApiKeyView {
  return {
    keyId: record.keyId,
    name: record.name,
    owner: record.owner,
    prefix: record.prefix,
    ratePerMinute: record.ratePerMinute,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    lastUsedAt: record.lastUsedAt ?? null,
    revoked: record.revokedAt !== undefined,
    revokedAt: record.revokedAt ?? null,
    ...(record.callbackUrl ? { callbackUrl: record.callbackUrl } : {}),
  };
}

/** Whether `lastUsedAt` is due to be written again (it is written at most once per minute). */
export function lastUsedIsStale(lastUsedAt: string | undefined, now: Date): boolean {
  if (lastUsedAt === undefined) return true;
  const at = Date.parse(lastUsedAt);
  return !Number.isFinite(at) || now.getTime() - at >= LAST_USED_RESOLUTION_MS;
}

// ---------------------------------------------------------------- customers of a key

/** The channel identity of an API customer: keys of one owner share the namespace of its external ids. */
export function apiIdentity(owner: string, externalId: string): string {
  return `${owner}:${externalId}`;
}

/** Whether a channel identity belongs to a key owner's namespace. */
export function identityOwnedBy(owner: string, identity: string): boolean {
  return identity.startsWith(`${owner}:`);
}

// ---------------------------------------------------------------- rate limit

export interface RateWindow {
  /** Epoch milliseconds at which the window started (a multiple of a minute). */
  readonly startMs: number;
  /** Epoch milliseconds at which the next window starts. */
  readonly endMs: number;
  /** Epoch seconds at which the window's counter may be removed (TTL). */
  readonly expiresAt: number;
  /** The counter's name: one per key and window. */
  readonly counterKey: string;
}

export function rateWindow(keyId: string, nowMs: number): RateWindow {
  const startMs = Math.floor(nowMs / RATE_WINDOW_MS) * RATE_WINDOW_MS;
  return { startMs, endMs: startMs + RATE_WINDOW_MS, expiresAt: Math.floor(startMs / 1000) + RATE_COUNTER_TTL_SECONDS, counterKey: `ratelimit#apikey#${keyId}#${startMs / RATE_WINDOW_MS}` };
}

/** Whole seconds until the window ends (at least 1): the `Retry-After` of a refused request. */
export function retryAfterSeconds(window: RateWindow, nowMs: number): number {
  return Math.max(1, Math.ceil((window.endMs - nowMs) / 1000));
}

/** A window's counter admits one more request while it is below the limit. */
export function admits(count: number, limit: number): boolean {
  return count < limit;
}

/** Requests left in the window after `count` were admitted (never negative). */
export function remaining(count: number, limit: number): number {
  return Math.max(0, limit - count);
}

export function validRatePerMinute(rate: number): boolean {
  return Number.isInteger(rate) && rate >= 1 && rate <= MAX_RATE_PER_MINUTE;
}

// ---------------------------------------------------------------- callback (push of replies)

export const CALLBACK_SECRET_BYTES = 32;
export const MAX_CALLBACK_URL_LENGTH = 2048;

/** A new callback secret: 32 random bytes, base64url (43 characters). */
export function generateCallbackSecret(random: RandomBytes = randomBytes): string {
  return Buffer.from(random(CALLBACK_SECRET_BYTES)).toString('base64url');
}

/**
 * Why a callback URL is not acceptable, or undefined when it is: https only (no credentials in it), except plain http
 * to 127.0.0.1 / localhost when `allowLoopbackHttp` (the local stage).
 */
export function callbackUrlProblem(candidate: string, allowLoopbackHttp: boolean): string | undefined {
  if (candidate.length > MAX_CALLBACK_URL_LENGTH) return `at most ${MAX_CALLBACK_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol === 'https:') return undefined;
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol === 'http:' && loopback && allowLoopbackHttp) return undefined;
  return 'must be an https URL';
}

/** The callback's signature: hex HMAC-SHA256 keyed with the callback secret (as its text) over "<t>.<raw body>". */
export function callbackSignature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/** The `Kefu-Signature` header: `t=<unix seconds>,v1=<hex signature>`. */
export function callbackSignatureHeader(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${callbackSignature(secret, timestampSeconds, body)}`;
}
