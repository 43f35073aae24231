/**
 * The messaging channels' settings as intake reads them: kept in the process for 30 s (one GetItem per channel on a
 * miss, from the agents table: the function needs `agents: 'read'`). CHANNEL_SETTINGS_CACHE_MS overrides the 30 s
 * (0: read every time; the local tests use it to see a change at once).
 */
import { makeChannelSettingsReader, type MessagingChannel, type MessagingChannelSettings } from '../../application/routing-admin.use-cases.ts';
import { once } from './once.ts';
import { routingStore } from './storage.ts';

const DEFAULT_TTL_MS = 30_000;

const reader = once(() => {
  const configured = Number(process.env.CHANNEL_SETTINGS_CACHE_MS);
  const ttlMs = process.env.CHANNEL_SETTINGS_CACHE_MS !== undefined && Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_TTL_MS;
  return makeChannelSettingsReader({ channels: routingStore(), ttlMs });
});

export const channelSettings = (channel: MessagingChannel): Promise<MessagingChannelSettings> => reader()(channel);

/** The intake options of a channel's settings: its routing group for new conversations ("default": none). */
export const intakeGroup = (settings: MessagingChannelSettings): { groupId?: string } => (settings.routingGroupId !== 'default' ? { groupId: settings.routingGroupId } : {});
