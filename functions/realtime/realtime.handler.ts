/**
 * WebSocket API: $connect authenticates (a customer token for one conversation, or a console JWT for the agent floor)
 * and records who listens to what; $disconnect forgets it; $default answers pings.
 * Browsers cannot set headers on a WebSocket, so the token comes in the `token` query parameter.
 */
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { customerTokens } from '../../shared/adapters/wiring/customer-tokens.ts';
import { clock, connectionRegistry } from '../../shared/adapters/wiring/storage.ts';
import { optionalEnv } from '../../shared/config/runtime-config.ts';
import { once } from '../../shared/adapters/wiring/once.ts';
import { COMMON_ENV } from '../../shared/manifest/manifest.ts';
import { meter } from '../../shared/observability/cost-meter.ts';
import { logger, rawFunction } from '../../shared/observability/handler-kit.ts';

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & { queryStringParameters?: Record<string, string> };

const jwks = once(() => createRemoteJWKSet(new URL(`${optionalEnv(COMMON_ENV.jwtIssuer)!.replace(/\/$/, '')}/.well-known/jwks.json`)));

async function consoleSubject(token: string): Promise<string | undefined> {
  const issuer = optionalEnv(COMMON_ENV.jwtIssuer);
  if (!issuer) return undefined;
  try {
    const audience = optionalEnv(COMMON_ENV.jwtAudience);
    const { payload } = await jwtVerify(token, jwks(), { issuer, ...(audience ? { audience } : {}) });
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

export const handler = rawFunction<ConnectEvent, APIGatewayProxyResultV2>('realtime', 'websocket', async (event) => {
  const { routeKey, connectionId } = event.requestContext;
  if (routeKey === '$disconnect') {
    // The connection's minutes are billed when it ends (connectedAt: epoch milliseconds of the $connect).
    const connectedAt = (event.requestContext as { connectedAt?: number }).connectedAt;
    if (connectedAt) meter.webSocketConnectionMinutes(Math.max(0, Date.now() - connectedAt) / 60_000);
    await connectionRegistry().remove(connectionId);
    return { statusCode: 200 };
  }
  if (routeKey === '$default') {
    // A ping in, a pong out: two messages.
    meter.webSocketMessage(Buffer.byteLength(typeof event.body === 'string' ? event.body : ''));
    meter.webSocketMessage(15);
    return { statusCode: 200, body: JSON.stringify({ type: 'pong' }) };
  }
  const token = event.queryStringParameters?.token;
  if (!token) return { statusCode: 401, body: 'token required' };
  const conversationId = await (await customerTokens()).verify(token);
  if (conversationId) {
    await connectionRegistry().add(connectionId, `conversation:${conversationId}`, `customer:${conversationId}`, clock.now());
    logger.info('customer connected', { conversationId });
    return { statusCode: 200 };
  }
  const subject = await consoleSubject(token);
  if (subject) {
    const watch = event.queryStringParameters?.conversationId;
    await connectionRegistry().add(connectionId, watch ? `conversation:${watch}` : 'agents', `agent:${subject}`, clock.now());
    return { statusCode: 200 };
  }
  return { statusCode: 401, body: 'invalid token' };
});
