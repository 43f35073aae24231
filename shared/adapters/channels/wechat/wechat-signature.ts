/**
 * WeChat's webhook signature (plain mode): SHA1 over the lexicographically sorted token, timestamp and nonce,
 * concatenated, as lower-case hex. Note that it does not cover the body; the optional AES safe mode (msg_signature over
 * the encrypted body) does, and is not implemented yet.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function wechatSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join(''), 'utf8').digest('hex');
}

/** Constant-time comparison of the expected signature with the one received (any length; hex case ignored). */
export function signatureMatches(expected: string, received: string): boolean {
  // Fixed-length digests of both sides: equal-length inputs for timingSafeEqual, and no early exit on length.
  const digest = (value: string) => createHash('sha256').update(value.toLowerCase(), 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(received));
}
