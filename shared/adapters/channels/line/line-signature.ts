/**
 * LINE's webhook signature: the `x-line-signature` header is base64(HMAC-SHA256(channel secret, raw request body)).
 * It covers the body, so a verified body cannot have been altered. The body must be the bytes LINE sent, unparsed.
 *
 * Source: developers.line.biz/en/reference/messaging-api/#signature-validation and
 * developers.line.biz/en/docs/messaging-api/verify-webhook-signature/.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function lineSignature(channelSecret: string, body: string): string {
  return createHmac('sha256', channelSecret).update(body, 'utf8').digest('base64');
}

/**
 * Constant-time comparison of the expected signature with the one received (any length). The base64 strings are
 * compared as strings, not decoded, so that a lenient base64 decoder cannot make two different headers equal.
 */
export function lineSignatureMatches(channelSecret: string, body: string, received: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(lineSignature(channelSecret, body)), digest(received.trim()));
}
