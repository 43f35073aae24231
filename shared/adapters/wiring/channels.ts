/**
 * The channels' adapters and senders, made from each channel's secrets: in AWS one Secrets Manager secret per channel
 * (JSON of its keys, read through the Parameters and Secrets extension, re-read every 5 minutes so that a rotated or
 * newly filled secret takes effect without a deploy); locally `KEFU_<CHANNEL>_<KEY>` environment variables (e.g.
 * KEFU_WECHAT_TOKEN, KEFU_WECHAT_APP_SECRET) or a JSON file named by KEFU_CHANNEL_SECRETS_FILE
 * (`{ "wechat": { "token": "…" } }`; the environment wins). `KEFU_<CHANNEL>_API_BASE_URL` points a sender at another
 * base URL (the tests' loopback fakes).
 *
 * Adding a channel: its adapter folder exports `<CHANNEL>_SECRET_KEYS` and `<channel>Channel(config)`; list it below.
 */
import { readFileSync } from 'node:fs';
import type { Channel } from '../../domain/conversation/conversation.ts';
import { channelSecretArnEnv } from '../../manifest/manifest.ts';
import { fitText } from '../../domain/conversation/channel-text.ts';
import type { ChannelAdapter, ChannelCapabilities, ChannelPull, ChannelSender, OutsideWindowSender } from '../../ports/channel.ts';
import { tableName } from '../../config/runtime-config.ts';
import { apiCallbackChannel } from '../channels/api/api-callback.sender.ts';
import { DynamoDbApiKeyStore } from '../dynamodb/api-keys.dynamodb.ts';
import { dynamoDocumentClient } from '../dynamodb/document-client.ts';
import { emailChannel } from '../channels/email/email.sender.ts';
import { lineChannel, LINE_SECRET_KEYS } from '../channels/line/line.adapter.ts';
import { smsChannel, SMS_OPTIONAL_SECRET_KEYS, SMS_SECRET_KEYS } from '../channels/sms/sms.adapter.ts';
import { telegramChannel, TELEGRAM_SECRET_KEYS } from '../channels/telegram/telegram.adapter.ts';
import { wechatChannel, WECHAT_SECRET_KEYS } from '../channels/wechat/wechat.channel.ts';
import { wecomChannel, WECOM_SECRET_KEYS } from '../channels/wecom/wecom.adapter.ts';
import { whatsappChannel, WHATSAPP_SECRET_KEYS } from '../channels/whatsapp/whatsapp.adapter.ts';
import { lambdaSecretString } from '../secrets/secrets-extension.ts';
import { onResetWiring } from './once.ts';

type Secrets = Readonly<Record<string, string | undefined>>;

interface ChannelModule {
  readonly keys: readonly string[];
  create(config: { secrets: Secrets; apiBaseUrl?: string }): { adapter?: ChannelAdapter; sender?: ChannelSender; capabilities?: ChannelCapabilities; pull?: ChannelPull; outsideWindow?: OutsideWindowSender };
}

const MODULES: Partial<Record<Channel, ChannelModule>> = {
  wechat: { keys: WECHAT_SECRET_KEYS, create: wechatChannel },
  telegram: { keys: TELEGRAM_SECRET_KEYS, create: telegramChannel },
  line: { keys: LINE_SECRET_KEYS, create: lineChannel },
  whatsapp: {
    // Optional: an approved template (with one body parameter, the reply) sent when the 24-hour window has closed.
    keys: [...WHATSAPP_SECRET_KEYS, 'templateName', 'templateLanguage'],
    create: (config) => {
      const { adapter, sender } = whatsappChannel(config);
      const name = config.secrets.templateName;
      const language = config.secrets.templateLanguage ?? 'zh_CN';
      const outsideWindow: OutsideWindowSender | undefined = name
        ? { via: `template:${name}`, send: (to, text, context) => sender.sendTemplate(to, { name, language, bodyParameters: [fitText(text, { length: 1024, unit: 'characters' })] }, context) }
        : undefined;
      return { adapter, sender, ...(outsideWindow ? { outsideWindow } : {}) };
    },
  },
  wecom: {
    keys: WECOM_SECRET_KEYS,
    create: (config) => {
      const { adapter, sender, client } = wecomChannel(config);
      // 微信客服 callbacks only say "messages are waiting" (kf_msg_or_event): pull them with sync_msg from the
      // account's cursor; the cursor moves once they are stored.
      const pull: ChannelPull = async (notice, cursors) => {
        const openKfId = notice.thread?.openKfId;
        if (notice.eventName !== 'kf_msg_or_event' || !openKfId || !notice.eventKey) return undefined;
        const key = `wecom#${openKfId}`;
        const cursor = await cursors.get(key);
        const synced = await client.syncAll({ token: notice.eventKey, openKfId, ...(cursor ? { cursor } : {}) });
        return { messages: synced.messages, commit: async () => (synced.cursor && synced.cursor !== cursor ? cursors.put(key, synced.cursor) : undefined) };
      };
      return { adapter, sender, pull };
    },
  },
  // Not secrets: Kefu's support address and the domain of its Message-IDs (KEFU_EMAIL_FROM_ADDRESS,
  // KEFU_EMAIL_REPLY_DOMAIN; in AWS set from the stack's emailAddress).
  email: {
    keys: ['fromAddress', 'replyDomain'],
    create: ({ secrets, apiBaseUrl }) => {
      if (!secrets.fromAddress) throw new Error('the email channel is missing its address: fromAddress (KEFU_EMAIL_FROM_ADDRESS)');
      return emailChannel({ fromAddress: secrets.fromAddress, ...(secrets.replyDomain ? { replyDomain: secrets.replyDomain } : {}), ...(apiBaseUrl ? { endpoint: apiBaseUrl } : {}) });
    },
  },
  sms: {
    keys: [...SMS_SECRET_KEYS, ...SMS_OPTIONAL_SECRET_KEYS],
    create: ({ secrets, apiBaseUrl }) => smsChannel({ secrets, ...(apiBaseUrl ? { endpoint: apiBaseUrl } : {}) }),
  },
  // No secrets: each API key carries its own callback URL and signing secret (customers table, read per send).
  api: {
    keys: [],
    create: () => apiCallbackChannel({ keys: new DynamoDbApiKeyStore(dynamoDocumentClient(), tableName('customers')) }),
  },
};

/** What a channel has now: its adapter and / or sender, or why it has neither (never a secret's value). */
export interface ChannelKit {
  readonly pull?: ChannelPull;
  readonly outsideWindow?: OutsideWindowSender;
  readonly adapter?: ChannelAdapter;
  readonly sender?: ChannelSender;
  readonly capabilities?: ChannelCapabilities;
  readonly problem?: string;
}

/** How long a secret read in AWS is kept before it is read again. */
const SECRETS_TTL_MS = 5 * 60_000;

const kits = new Map<Channel, { readAt: number; fingerprint: string; kit: ChannelKit }>();
let secretsFile: Record<string, Record<string, unknown>> | undefined;
onResetWiring(() => {
  kits.clear();
  secretsFile = undefined;
});

/** `appSecret` → `KEFU_WECHAT_APP_SECRET`. */
export function channelSecretEnv(channel: Channel, key: string): string {
  return `KEFU_${channel.toUpperCase()}_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function fromFile(channel: Channel): Record<string, unknown> {
  const path = process.env.KEFU_CHANNEL_SECRETS_FILE;
  if (!path) return {};
  secretsFile ??= JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>>;
  return secretsFile[channel] ?? {};
}

async function readSecrets(channel: Channel, keys: readonly string[]): Promise<Secrets> {
  const arn = process.env[channelSecretArnEnv(channel)];
  const source: Record<string, unknown> = arn ? (JSON.parse(await lambdaSecretString(arn)) as Record<string, unknown>) : fromFile(channel);
  const secrets: Record<string, string | undefined> = {};
  for (const key of keys) {
    const value = (arn ? undefined : process.env[channelSecretEnv(channel, key)]) ?? source[key];
    if (typeof value === 'string' && value !== '') secrets[key] = value;
  }
  return secrets;
}

/** The channel's adapter and sender as its secrets configure them now (cached; rebuilt when the secrets change). */
export async function channelKit(channel: Channel): Promise<ChannelKit> {
  const module = MODULES[channel];
  if (!module) return { problem: `the ${channel} channel has no adapter in this release` };
  const cached = kits.get(channel);
  const inAws = process.env[channelSecretArnEnv(channel)] !== undefined;
  if (cached && (!inAws || Date.now() - cached.readAt < SECRETS_TTL_MS)) return cached.kit;
  const secrets = await readSecrets(channel, module.keys);
  // The fingerprint keeps the made adapter (and a sender's cached access token) while the secrets stay the same.
  const fingerprint = JSON.stringify(module.keys.map((k) => secrets[k] ?? null));
  if (cached && cached.fingerprint === fingerprint) {
    kits.set(channel, { ...cached, readAt: Date.now() });
    return cached.kit;
  }
  const apiBaseUrl = process.env[channelSecretEnv(channel, 'apiBaseUrl')];
  let kit: ChannelKit;
  try {
    const made = module.create({ secrets, ...(apiBaseUrl ? { apiBaseUrl } : {}) });
    const capabilities = made.capabilities ?? made.adapter?.capabilities;
    kit = { ...made, ...(capabilities ? { capabilities } : {}) };
  } catch (error) {
    kit = { problem: (error as Error).message };
  }
  kits.set(channel, { readAt: Date.now(), fingerprint, kit });
  return kit;
}
