/** Customer tokens, with the secret from Secrets Manager (AWS) or the environment (local), read once per process. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { COMMON_ENV } from '../../manifest/manifest.ts';
import { optionalEnv, requireEnv } from '../../config/runtime-config.ts';
import type { CustomerTokens } from '../../ports/gateways.ts';
import { JoseCustomerTokens } from '../tokens/customer-tokens.jose.ts';
import { onResetWiring } from './once.ts';

let tokens: Promise<CustomerTokens> | undefined;
onResetWiring(() => {
  tokens = undefined;
});

export function customerTokens(): Promise<CustomerTokens> {
  tokens ??= (async () => {
    const local = optionalEnv(COMMON_ENV.customerTokenSecret);
    if (local) return new JoseCustomerTokens(local);
    const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: requireEnv(COMMON_ENV.customerTokenSecretArn) }));
    if (!secret.SecretString) throw new Error('customer token secret has no string value');
    return new JoseCustomerTokens(secret.SecretString);
  })();
  // A failed read (throttling, a cold network) is retried by the next request rather than cached.
  tokens.catch(() => {
    tokens = undefined;
  });
  return tokens;
}
