/**
 * The Parameters and Secrets extension cannot run here: a loopback HTTP server stands in for it at its HTTP boundary,
 * with the request and response shapes of AWS's documentation (GET /secretsmanager/get?secretId=..., the session
 * token in X-Aws-Parameters-Secrets-Token, a GetSecretValue-shaped JSON answer).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretStringFromExtension } from '../../shared/adapters/secrets/secrets-extension.ts';

let server: Server;
let port: number;
const requests: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.headers['x-aws-parameters-secrets-token'] !== 'session-token') return void res.writeHead(401).end('{"message":"not authorized"}');
    if (url.pathname !== '/secretsmanager/get' || url.searchParams.get('secretId') !== 'arn:aws:secretsmanager:us-east-1:1:secret:kefu-x') return void res.writeHead(400).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ARN: url.searchParams.get('secretId'), Name: 'kefu-x', SecretString: 's3cret-value', VersionId: 'v1', VersionStages: ['AWSCURRENT'] }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('reading a secret through the Parameters and Secrets extension', () => {
  it('sends the documented request and returns the SecretString', async () => {
    const secret = await secretStringFromExtension('arn:aws:secretsmanager:us-east-1:1:secret:kefu-x', { port, sessionToken: 'session-token' });
    expect(secret).toBe('s3cret-value');
    expect(requests.at(-1)?.method).toBe('GET');
  });

  it('fails clearly when the extension refuses the session token', async () => {
    await expect(secretStringFromExtension('arn:aws:secretsmanager:us-east-1:1:secret:kefu-x', { port, sessionToken: 'wrong' })).rejects.toThrow(/answered 401/);
  });
});
