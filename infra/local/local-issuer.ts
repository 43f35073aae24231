/**
 * The local token issuer that stands in for Cognito: RS256 keys (kept in the data folder across restarts), tokens
 * with Cognito's claim shape (sub, cognito:groups, token_use, aud), and a JWKS document at the issuer URL, so the
 * local server checks console routes exactly as API Gateway's JWT authorizer does.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, createLocalJWKSet, type JWK, type JWTPayload } from 'jose';
import type { Role } from '../../shared/manifest/manifest.ts';

export const LOCAL_AUDIENCE = 'kefu-console';

export interface LocalIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: { keys: JWK[] };
  issue(claims: { sub: string; groups: readonly Role[]; email?: string; name?: string }, ttlSeconds?: number): Promise<string>;
  /** Verifies as API Gateway's JWT authorizer does (signature, issuer, audience, expiry); undefined when invalid. */
  verify(token: string): Promise<JWTPayload | undefined>;
}

interface StoredKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

async function loadOrCreateKeys(keyFile?: string): Promise<StoredKeys> {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKeys;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `kefu-local-${Date.now().toString(36)}`;
  const keys = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(keys), { mode: 0o600 });
  }
  return keys;
}

export async function createLocalIssuer(options: { issuer: string; keyFile?: string }): Promise<LocalIssuer> {
  const keys = await loadOrCreateKeys(options.keyFile);
  const privateKey = await importJWK(keys.privateJwk, 'RS256');
  const jwks = { keys: [keys.publicJwk] };
  const keySet = createLocalJWKSet(jwks);
  return {
    issuer: options.issuer,
    audience: LOCAL_AUDIENCE,
    jwks,
    issue: (claims, ttlSeconds = 12 * 3600) =>
      new SignJWT({
        'cognito:groups': [...claims.groups],
        token_use: 'id',
        ...(claims.email ? { email: claims.email } : {}),
        ...(claims.name ? { name: claims.name } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: keys.publicJwk.kid! })
        .setSubject(claims.sub)
        .setIssuer(options.issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey),
    verify: async (token) => {
      try {
        return (await jwtVerify(token, keySet, { issuer: options.issuer, audience: LOCAL_AUDIENCE })).payload;
      } catch {
        return undefined;
      }
    },
  };
}

/** API Gateway hands claims to the function as strings; arrays become "[a b]". */
export function flattenClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return out;
}
