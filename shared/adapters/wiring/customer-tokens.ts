/** Customer tokens, with the secret from the Parameters and Secrets extension (AWS) or the environment (local). */
import { COMMON_ENV } from '../../manifest/manifest.ts';
import { optionalEnv, requireEnv } from '../../config/runtime-config.ts';
import type { CustomerTokens } from '../../ports/gateways.ts';
import { lambdaSecretString } from '../secrets/secrets-extension.ts';
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
    const secret = await lambdaSecretString(requireEnv(COMMON_ENV.customerTokenSecretArn));
    return new JoseCustomerTokens(secret);
  })();
  // A failed read (throttling, the extension still starting) is retried by the next request rather than cached.
  tokens.catch(() => {
    tokens = undefined;
  });
  return tokens;
}
