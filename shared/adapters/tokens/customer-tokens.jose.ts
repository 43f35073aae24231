/**
 * Customer tokens for web chat: an HS256 JWT whose subject is the conversation id. The secret comes from Secrets
 * Manager in AWS (read once per process) or from the environment locally.
 */
import { SignJWT, jwtVerify } from 'jose';
import type { CustomerTokens } from '../../ports/gateways.ts';

const ISSUER = 'kefu:webchat';
const TTL = '30d';

export class JoseCustomerTokens implements CustomerTokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('customer token secret must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  async issue(conversationId: string): Promise<string> {
    return new SignJWT({ scope: 'webchat' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(conversationId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(TTL)
      .sign(this.key);
  }

  async verify(token: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      return payload.scope === 'webchat' && typeof payload.sub === 'string' ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }
}
