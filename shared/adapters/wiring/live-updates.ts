/** Live updates through the WebSocket API's @connections endpoint (the local runtime serves the same endpoint). */
import { COMMON_ENV } from '../../manifest/manifest.ts';
import { requireEnv } from '../../config/runtime-config.ts';
import type { LiveUpdates } from '../../ports/gateways.ts';
import { logger } from '../../observability/powertools.ts';
import { WebSocketLiveUpdates } from '../websocket/live-updates.websocket.ts';
import { connectionRegistry } from './storage.ts';
import { once } from './once.ts';

export const liveUpdates = once(
  (): LiveUpdates =>
    new WebSocketLiveUpdates(connectionRegistry(), requireEnv(COMMON_ENV.webSocketEndpoint), (error, detail) =>
      logger.warn('live update failed', { ...detail, error: error as Error }),
    ),
);
