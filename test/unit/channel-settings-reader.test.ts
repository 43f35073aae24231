/** The messaging channels' settings reader intake uses: one read per channel on a miss, kept for the TTL. */
import { describe, expect, it } from 'vitest';
import { makeChannelSettingsReader } from '../../shared/application/routing-admin.use-cases.ts';

function storeOf(items: Record<string, Record<string, unknown> & { version: number }>) {
  const reads: string[] = [];
  let failNext = false;
  return {
    reads,
    failOnce: () => (failNext = true),
    getChannelSettings: async (channelId: string) => {
      reads.push(channelId);
      if (failNext) {
        failNext = false;
        throw new Error('throttled');
      }
      return items[channelId];
    },
  };
}

describe('channel settings reader', () => {
  it('reads once per channel within the TTL, and again after it', async () => {
    // Prepare
    let now = 1_000;
    const items: Record<string, Record<string, unknown> & { version: number }> = { telegram: { enabled: false, routingGroupId: 'vip', version: 3 } };
    const store = storeOf(items);
    const read = makeChannelSettingsReader({ channels: store, ttlMs: 30_000, now: () => now });
    // Act
    const first = await read('telegram');
    await read('telegram');
    const line = await read('line');
    items.telegram = { enabled: true, routingGroupId: 'default', version: 4 };
    now += 29_999;
    const cached = await read('telegram');
    now += 1;
    const fresh = await read('telegram');
    // Assess
    expect(first).toEqual({ enabled: false, routingGroupId: 'vip', version: 3 });
    expect(line).toEqual({ enabled: true, routingGroupId: 'default', version: 0 });
    expect(cached.version).toBe(3);
    expect(fresh).toEqual({ enabled: true, routingGroupId: 'default', version: 4 });
    expect(store.reads).toEqual(['telegram', 'line', 'telegram']);
  });

  it('does not keep a failed read', async () => {
    // Prepare
    const store = storeOf({ sms: { enabled: false, routingGroupId: 'default', version: 1 } });
    const read = makeChannelSettingsReader({ channels: store, ttlMs: 30_000, now: () => 0 });
    store.failOnce();
    // Act
    await expect(read('sms')).rejects.toThrow('throttled');
    const after = await read('sms');
    // Assess
    expect(after.enabled).toBe(false);
    expect(store.reads).toEqual(['sms', 'sms']);
  });

  it('reads every time with a TTL of 0', async () => {
    // Prepare
    const store = storeOf({});
    const read = makeChannelSettingsReader({ channels: store, ttlMs: 0, now: () => 0 });
    // Act
    await read('email');
    await read('email');
    // Assess
    expect(store.reads).toEqual(['email', 'email']);
  });
});
