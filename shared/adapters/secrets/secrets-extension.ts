/**
 * Reads a Secrets Manager secret through the AWS Parameters and Secrets Lambda extension: an HTTP GET on localhost
 * (`/secretsmanager/get?secretId=...`) authenticated by the function's session token, answered with the
 * GetSecretValue response and cached by the extension. No SDK client is loaded for it.
 */
export interface SecretsExtensionOptions {
  readonly port: number;
  readonly sessionToken: string;
  readonly timeoutMs?: number;
}

export async function secretStringFromExtension(secretId: string, options: SecretsExtensionOptions): Promise<string> {
  const url = `http://localhost:${options.port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
  const res = await fetch(url, {
    headers: { 'X-Aws-Parameters-Secrets-Token': options.sessionToken },
    signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
  });
  if (!res.ok) throw new Error(`the secrets extension answered ${res.status} for ${secretId}`);
  const body = (await res.json()) as { SecretString?: string };
  if (typeof body.SecretString !== 'string' || body.SecretString === '') throw new Error(`secret ${secretId} has no string value`);
  return body.SecretString;
}

/** A secret of this function through the extension, with the port and session token Lambda gives the function. */
export function lambdaSecretString(secretId: string): Promise<string> {
  return secretStringFromExtension(secretId, {
    port: Number(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773),
    sessionToken: requireSessionToken(),
  });
}

function requireSessionToken(): string {
  const token = process.env.AWS_SESSION_TOKEN;
  if (!token) throw new Error('AWS_SESSION_TOKEN is not set: the Parameters and Secrets extension needs it');
  return token;
}
