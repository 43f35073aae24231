/**
 * The one manifest of Kefu: data only (no CDK, no SDK imports).
 *
 * The CDK app (infra/) and the local runtime (infra/local/) are both generated from these lists, so a route, a handler
 * path, a table name or a workflow is written here once and nowhere else.
 */

/** Who may call a route: nobody checks (public), the conversation's own customer token, or a console JWT with a role. */
export type RouteAuth =
  | { readonly kind: 'public' }
  | { readonly kind: 'customer' }
  | { readonly kind: 'jwt'; readonly roles: readonly Role[] };

export type Role = 'agent' | 'supervisor' | 'admin' | 'finance';
export const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin', 'finance'];

export interface HttpRouteSpec {
  /** Stable name the function's route table keys its handler by; the path itself lives only here. */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway v2 route path, with `{name}` parameters. */
  readonly path: string;
  readonly functionId: FunctionId;
  readonly auth: RouteAuth;
}

export type TableId = 'conversations' | 'messages' | 'idempotency' | 'customers' | 'agents' | 'knowledge' | 'knowledge-log' | 'tickets' | 'connections' | 'analytics' | 'costs';

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface TableSpec {
  readonly id: TableId;
  /** Environment variable through which functions learn the physical table name. */
  readonly envVar: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Attribute holding an epoch-seconds expiry, where items expire. */
  readonly ttlAttribute?: string;
  /** Stream view, where a function consumes the table's changes. */
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  readonly indexes?: readonly IndexSpec[];
  readonly description: string;
}

export type FunctionId =
  | 'webchat'
  | 'wechat'
  | 'wecom'
  | 'telegram'
  | 'line'
  | 'whatsapp'
  | 'sms'
  | 'email'
  | 'api-channel'
  | 'channel-outbox'
  | 'bot-answer'
  | 'sentiment'
  | 'routing'
  | 'ticket'
  | 'agent-console'
  | 'knowledge-admin'
  | 'health'
  | 'message-intake'
  | 'message-policy'
  | 'realtime'
  | 'tickets'
  | 'routing-admin'
  | 'sla-scheduler'
  | 'analytics'
  | 'reports'
  | 'cost-ledger'
  | 'workflow-meter'
  | 'finance';

export type TableAccess = 'read' | 'write' | 'readwrite';

export interface StreamSourceSpec {
  readonly table: TableId;
  /** Only these kinds of change reach the function (a message is written once, so only its INSERT counts). */
  readonly eventNames: readonly ('INSERT' | 'MODIFY' | 'REMOVE')[];
  /** Only records whose new image matches all these attribute = value pairs reach the function. */
  readonly newImageEquals: Readonly<Record<string, string>>;
  readonly batchSize: number;
  /** Concurrent batches per shard; records of one conversation (partition key) always stay in order. */
  readonly parallelization: number;
  /** Retries of a failing batch before its records go to the on-failure destination. */
  readonly retryAttempts: number;
}

export interface FunctionSpec {
  readonly id: FunctionId;
  /** Entry file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly group: 'channel' | 'capability' | 'console' | 'workflow' | 'realtime';
  /** What finance counts this function's cost under (default: the function for capabilities, else its group). */
  readonly capability?: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly tables: Readonly<Partial<Record<TableId, TableAccess>>>;
  /** Workflows this function starts (StartExecution / StartSyncExecution). */
  readonly startsWorkflows?: readonly WorkflowId[];
  /** Workflows whose task tokens this function completes (SendTaskSuccess / SendTaskFailure). */
  readonly completesTasksOf?: readonly WorkflowId[];
  /** Pushes live updates through the WebSocket API's @connections endpoint. */
  readonly pushesLiveUpdates?: boolean;
  /** Signs or verifies customer tokens with the webchat token secret. */
  readonly usesCustomerTokenSecret?: boolean;
  /**
   * Packages loaded at run time from node_modules rather than bundled (e.g. jieba's WebAssembly build, which reads its
   * .wasm file next to itself): the listed files of each are copied into the function's asset.
   */
  readonly runtimePackages?: readonly { readonly name: string; readonly files: readonly string[] }[];
  /** Reads the flow connectors secret (the company systems that multi-turn flows call). */
  readonly usesConnectorsSecret?: boolean;
  /** Calls the generative answer provider (Bedrock) when the deployment configures one. */
  readonly usesAnswerProvider?: boolean;
  /** Scores sentiment with the cloud provider (Comprehend) when the deployment configures one. */
  readonly usesSentimentProvider?: boolean;
  readonly streamSource?: StreamSourceSpec;
  /** Standard workflows whose ended executions this function meters (EventBridge rule + states:GetExecutionHistory). */
  readonly metersWorkflows?: readonly WorkflowId[];
  /** Channels whose secret (Secrets Manager, one JSON secret per channel) this function reads. */
  readonly channelSecrets?: readonly SecretChannel[];
  /**
   * An SNS topic of the stage that invokes this function (asynchronously: two retries, then the function's dead-letter
   * queue with an alarm). Locally, `POST /local/sns/<topic>` with the message as body delivers it the same way.
   */
  readonly snsTopic?: SnsTopicId;
  /**
   * Invoked by the stage's SES receipt rule (after its S3 action stored the raw mail in the mail bucket, which this
   * function may read and write attachments to). Locally, `POST /_local/ses/inbound` with a raw message delivers it.
   */
  readonly receivesEmail?: boolean;
  /** Sends e-mail through SES (ses:SendEmail from the stage's address). */
  readonly sendsEmail?: boolean;
  /** Reads the customers' e-mail attachments from the mail bucket (`email/attachments/`), for agents to download. */
  readonly readsMailAttachments?: boolean;
}

/** SNS topics that deliver inbound messages: two-way SMS from AWS End User Messaging. */
export type SnsTopicId = 'sms-inbound';

/** Channels with credentials: each has one Secrets Manager secret (JSON of the channel's secret keys). */
export type SecretChannel = 'wechat' | 'wecom' | 'whatsapp' | 'telegram' | 'line' | 'sms';
export const SECRET_CHANNELS: readonly SecretChannel[] = ['wechat', 'wecom', 'whatsapp', 'telegram', 'line', 'sms'];

/** The environment variable holding the ARN of a channel's secret (locally absent: KEFU_<CHANNEL>_<KEY> variables). */
export function channelSecretArnEnv(channel: string): string {
  return `KEFU_CHANNEL_SECRET_ARN_${channel.toUpperCase()}`;
}

export type WorkflowId = 'message' | 'escalation' | 'sla-timer';

export interface WorkflowSpec {
  readonly id: WorkflowId;
  readonly type: 'EXPRESS' | 'STANDARD';
  /** Amazon States Language file (JSONPath), relative to the repository root, with `${Name}` substitutions. */
  readonly definition: string;
  /** Functions the definition invokes; each becomes the substitution `${<PascalCaseId>FunctionArn}`. */
  readonly invokes: readonly FunctionId[];
  /** Workflows the definition starts; each becomes the substitution `${<PascalCaseId>WorkflowArn}`. */
  readonly starts?: readonly WorkflowId[];
  readonly envVar: string;
  readonly description: string;
}

export type WebSocketRouteKey = '$connect' | '$disconnect' | '$default';

export interface Manifest {
  readonly tables: readonly TableSpec[];
  readonly functions: readonly FunctionSpec[];
  readonly routes: readonly HttpRouteSpec[];
  readonly webSocketRoutes: readonly { readonly routeKey: WebSocketRouteKey; readonly functionId: FunctionId }[];
  readonly workflows: readonly WorkflowSpec[];
}

const agentRoles: readonly Role[] = ['agent', 'supervisor', 'admin'];
const supervisors: readonly Role[] = ['supervisor', 'admin'];
const admins: readonly Role[] = ['admin'];
const finance: readonly Role[] = ['finance', 'admin'];

export const manifest: Manifest = {
  tables: [
    {
      id: 'conversations',
      envVar: 'CONVERSATIONS_TABLE',
      partitionKey: 'pk',
      ttlAttribute: 'expiresAt',
      stream: 'NEW_AND_OLD_IMAGES',
      indexes: [
        { name: 'byQueue', partitionKey: 'queueKey', sortKey: 'queueOrder' },
        { name: 'byCustomer', partitionKey: 'customerId', sortKey: 'createdAt' },
        { name: 'byAgent', partitionKey: 'assignedAgentId', sortKey: 'status' },
      ],
      description: 'one item per conversation: owner (bot / queued / agent / resolved), sequence counter, queue position; its stream (old and new image) feeds the analytics',
    },
    {
      id: 'messages',
      envVar: 'MESSAGES_TABLE',
      partitionKey: 'pk',
      sortKey: 'sk',
      stream: 'NEW_IMAGE',
      description: 'the transcript, ordered by a per-conversation sequence; its stream feeds message intake',
    },
    {
      id: 'idempotency',
      envVar: 'IDEMPOTENCY_TABLE',
      partitionKey: 'pk',
      ttlAttribute: 'expiresAt',
      description: 'client message ids and channel message ids already accepted, with the message id they produced',
    },
    {
      id: 'customers',
      envVar: 'CUSTOMERS_TABLE',
      partitionKey: 'pk',
      description: 'customer profiles and their channel identities',
    },
    {
      id: 'agents',
      envVar: 'AGENTS_TABLE',
      partitionKey: 'pk',
      ttlAttribute: 'expiresAt',
      description: 'agents with skills, capacity, presence and live load; routing groups ("group#…"), calendars ("calendar#…"), SLA policies ("sla#…"), handling statistics ("stats#…")',
    },
    {
      id: 'knowledge',
      envVar: 'KNOWLEDGE_TABLE',
      partitionKey: 'pk',
      description: 'knowledge base entries the bot answers from (the current version of each)',
    },
    {
      id: 'knowledge-log',
      envVar: 'KNOWLEDGE_LOG_TABLE',
      partitionKey: 'pk',
      sortKey: 'sk',
      description: 'knowledge entry versions, the knowledge audit trail, the answer index revision, unanswered questions',
    },
    {
      id: 'tickets',
      envVar: 'TICKETS_TABLE',
      partitionKey: 'pk',
      sortKey: 'sk',
      stream: 'NEW_IMAGE',
      indexes: [
        { name: 'byConversation', partitionKey: 'conversationId', sortKey: 'createdAt' },
        { name: 'byStatus', partitionKey: 'status', sortKey: 'dueKey' },
        { name: 'byAssignee', partitionKey: 'assigneeId', sortKey: 'dueKey' },
        { name: 'byCustomer', partitionKey: 'customerId', sortKey: 'createdAt' },
      ],
      description: 'tickets (sk "ticket") with their replies, notes and history (sk "c#…", "h#…"); SLA clocks on the ticket item; its stream feeds the SLA scheduler',
    },
    {
      id: 'connections',
      envVar: 'CONNECTIONS_TABLE',
      partitionKey: 'pk',
      ttlAttribute: 'expiresAt',
      indexes: [{ name: 'byAudience', partitionKey: 'audience', sortKey: 'pk' }],
      description: 'open WebSocket connections and the audience (conversation or agent floor) each listens to',
    },
    {
      id: 'analytics',
      envVar: 'ANALYTICS_TABLE',
      partitionKey: 'pk',
      sortKey: 'sk',
      ttlAttribute: 'expiresAt',
      description: 'daily conversation counters by metric and dimension ("m#<month>", "<day>#<metric>#<dimension>") and the facts already counted ("f#<conversationId>", expiring)',
    },
    {
      id: 'costs',
      envVar: 'COSTS_TABLE',
      partitionKey: 'pk',
      sortKey: 'sk',
      ttlAttribute: 'expiresAt',
      description: 'the cost ledger: one item per invocation ("c#<conversationId>" or "u#<day>", "<time>#<requestId>", expiring after the retention) and atomic daily aggregates per dimension ("d#<month>", "<day>#<dimension>#<value>")',
    },
  ],
  functions: [
    {
      id: 'webchat',
      entry: 'functions/channels/webchat/webchat.handler.ts',
      group: 'channel',
      description: 'web chat channel: open a conversation, accept customer messages, read the conversation',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
      usesCustomerTokenSecret: true,
    },
    {
      id: 'wechat',
      entry: 'functions/channels/wechat/wechat.handler.ts',
      group: 'channel',
      description: 'WeChat Official Account webhook: echostr verification, signed XML messages persisted once per MsgId, passive reply within 5 s or `success`',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
      channelSecrets: ['wechat'],
    },
    {
      id: 'wecom',
      entry: 'functions/channels/wecom/wecom.handler.ts',
      group: 'channel',
      description: 'WeCom customer service (微信客服) callback: URL verification, decrypted kf_msg_or_event notices, messages pulled with sync_msg from the kept cursor and stored once per msgid',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
      channelSecrets: ['wecom'],
    },
    {
      id: 'telegram',
      entry: 'functions/channels/telegram/telegram.handler.ts',
      group: 'channel',
      description: 'Telegram Bot API webhook: the secret-token header, updates stored once per update_id',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
      channelSecrets: ['telegram'],
    },
    {
      id: 'line',
      entry: 'functions/channels/line/line.handler.ts',
      group: 'channel',
      description: 'LINE Messaging API webhook: x-line-signature (HMAC-SHA256 of the body), events stored once per webhookEventId, reply tokens kept for the reply',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
      channelSecrets: ['line'],
    },
    {
      id: 'whatsapp',
      entry: 'functions/channels/whatsapp/whatsapp.handler.ts',
      group: 'channel',
      description: 'WhatsApp Cloud API webhook: the hub.challenge handshake, X-Hub-Signature-256, messages stored once per wamid, delivery statuses as events',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
      channelSecrets: ['whatsapp'],
    },
    {
      id: 'sms',
      entry: 'functions/channels/sms/sms.handler.ts',
      group: 'channel',
      description: 'two-way SMS (AWS End User Messaging): inbound texts from the SNS topic stored once per inboundMessageId; replies leave through the channel outbox',
      memoryMb: 256,
      timeoutSeconds: 30,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
      snsTopic: 'sms-inbound',
    },
    {
      id: 'api-channel',
      entry: 'functions/channels/api/api-channel.handler.ts',
      group: 'channel',
      description:
        // Keys live in the customers table ("apikey#<keyId>", the id list under "apikeys"); per-key one-minute rate
        // counters in the idempotency table ("ratelimit#apikey#<keyId>#<minute>", expiresAt TTL).
        'REST API channel: a company app posts customer messages with an API key and polls the transcript for replies; admins create, list and revoke keys (stored hashed, rate-limited per key)',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
    },
    {
      id: 'email',
      entry: 'functions/channels/email/email.handler.ts',
      group: 'channel',
      description: 'inbound e-mail from the SES receipt rule: raw mail read from S3, sanitised, threaded by plus address / In-Reply-To / References, attachments kept, stored once per Message-ID',
      memoryMb: 512,
      timeoutSeconds: 60,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', customers: 'readwrite', agents: 'read' },
      receivesEmail: true,
    },
    {
      id: 'channel-outbox',
      capability: 'channels',
      entry: 'functions/channels/outbox/channel-outbox.handler.ts',
      group: 'channel',
      description: "channel outbox: sends replies through each channel's API, in order per conversation, once (claimed), within the service window, retried with backoff, marked sent or failed",
      memoryMb: 256,
      timeoutSeconds: 60,
      tables: { conversations: 'read', messages: 'readwrite', customers: 'read', connections: 'read' },
      pushesLiveUpdates: true,
      channelSecrets: ['wechat', 'wecom', 'whatsapp', 'telegram', 'line', 'sms'],
      sendsEmail: true,
      streamSource: { table: 'messages', eventNames: ['INSERT'], newImageEquals: { kind: 'message', outbox: 'pending' }, batchSize: 10, parallelization: 10, retryAttempts: 8 },
    },
    {
      id: 'bot-answer',
      entry: 'functions/capabilities/bot-answer/bot-answer.handler.ts',
      group: 'capability',
      description: 'bot answer capability: answer a question from the published knowledge base',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { knowledge: 'read', 'knowledge-log': 'read', conversations: 'read', messages: 'read', costs: 'read' },
      usesAnswerProvider: true,
      runtimePackages: [{ name: 'jieba-wasm', files: ['package.json', 'LICENSE', 'pkg/nodejs'] }],
    },
    {
      id: 'sentiment',
      entry: 'functions/capabilities/sentiment/sentiment.handler.ts',
      group: 'capability',
      description: 'sentiment capability: polarity and emotion of a text',
      memoryMb: 256,
      timeoutSeconds: 5,
      tables: {},
      usesSentimentProvider: true,
    },
    {
      id: 'routing',
      entry: 'functions/capabilities/routing/routing.handler.ts',
      group: 'capability',
      description: 'routing capability: queue a conversation by group and priority, offer it to the best agent (seat claimed atomically), wait, overflow',
      memoryMb: 256,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', agents: 'readwrite', customers: 'read', connections: 'read' },
      completesTasksOf: ['escalation'],
      pushesLiveUpdates: true,
    },
    {
      id: 'ticket',
      entry: 'functions/capabilities/ticket/ticket.handler.ts',
      group: 'capability',
      description: 'ticket capability: turn an unanswered escalation into a ticket and tell the customer when to expect an answer; fire SLA warnings and breaches',
      memoryMb: 256,
      timeoutSeconds: 10,
      tables: { tickets: 'readwrite', conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', connections: 'read', agents: 'read' },
      pushesLiveUpdates: true,
    },
    {
      id: 'agent-console',
      entry: 'functions/console/agent/agent-console.handler.ts',
      group: 'console',
      description: 'agent console API: presence, queue, conversation context, accept / decline, reply, transfer, resolve; the supervisor floor',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', agents: 'readwrite', customers: 'readwrite', tickets: 'read', connections: 'read' },
      completesTasksOf: ['escalation'],
      startsWorkflows: ['escalation'],
      readsMailAttachments: true,
      pushesLiveUpdates: true,
    },
    {
      id: 'knowledge-admin',
      entry: 'functions/console/knowledge/knowledge-admin.handler.ts',
      group: 'console',
      description: 'knowledge base administration: entries, versions, publish, import / export, audit, unanswered questions',
      memoryMb: 512,
      timeoutSeconds: 29,
      tables: { knowledge: 'readwrite', 'knowledge-log': 'readwrite' },
    },
    {
      id: 'health',
      entry: 'functions/console/health/health.handler.ts',
      group: 'console',
      description: 'liveness and version',
      memoryMb: 128,
      timeoutSeconds: 3,
      tables: {},
    },
    {
      id: 'message-intake',
      capability: 'intake',
      entry: 'functions/workflows/message-intake/message-intake.handler.ts',
      group: 'workflow',
      description: 'reads newly persisted customer messages in order per conversation and runs the message workflow',
      memoryMb: 256,
      timeoutSeconds: 60,
      tables: { conversations: 'read', messages: 'read', connections: 'read', tickets: 'readwrite', agents: 'read' },
      startsWorkflows: ['message'],
      pushesLiveUpdates: true,
      streamSource: { table: 'messages', eventNames: ['INSERT'], newImageEquals: { kind: 'message', role: 'customer' }, batchSize: 10, parallelization: 10, retryAttempts: 5 },
    },
    {
      id: 'message-policy',
      capability: 'bot-answer',
      entry: 'functions/workflows/message-policy/message-policy.handler.ts',
      group: 'workflow',
      description: 'runs multi-turn flows, decides between a bot reply and a handoff, and writes the reply',
      memoryMb: 256,
      timeoutSeconds: 20,
      tables: { conversations: 'readwrite', messages: 'readwrite', idempotency: 'readwrite', connections: 'read', 'knowledge-log': 'readwrite', tickets: 'readwrite', agents: 'read' },
      usesConnectorsSecret: true,
      pushesLiveUpdates: true,
    },
    {
      id: 'realtime',
      capability: 'realtime',
      entry: 'functions/realtime/realtime.handler.ts',
      group: 'realtime',
      description: 'WebSocket connect / disconnect: authenticates and records who listens to what',
      memoryMb: 256,
      timeoutSeconds: 5,
      tables: { connections: 'readwrite', conversations: 'read' },
      usesCustomerTokenSecret: true,
    },
    {
      id: 'tickets',
      entry: 'functions/console/tickets/tickets.handler.ts',
      group: 'console',
      description: 'tickets API: create (by API or from a conversation), read with SLA clocks, update, reply / note (public replies reach the customer), link, merge, search',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { tickets: 'readwrite', conversations: 'read', messages: 'readwrite', idempotency: 'readwrite', agents: 'read', connections: 'read' },
      pushesLiveUpdates: true,
    },
    {
      id: 'routing-admin',
      entry: 'functions/console/routing-admin/routing-admin.handler.ts',
      group: 'console',
      description: 'routing administration: agents (skills, levels, groups, capacity), groups, business calendars, SLA policies',
      memoryMb: 256,
      timeoutSeconds: 10,
      tables: { agents: 'readwrite' },
    },
    {
      id: 'sla-scheduler',
      capability: 'ticket',
      entry: 'functions/workflows/sla-scheduler/sla-scheduler.handler.ts',
      group: 'workflow',
      description: "reads changed tickets from the tickets table's stream and starts the timer of each new SLA state (no scans)",
      memoryMb: 256,
      timeoutSeconds: 30,
      tables: {},
      startsWorkflows: ['sla-timer'],
      streamSource: { table: 'tickets', eventNames: ['INSERT', 'MODIFY'], newImageEquals: { sk: 'ticket' }, batchSize: 25, parallelization: 2, retryAttempts: 10 },
    },
    {
      id: 'analytics',
      capability: 'reports',
      entry: 'functions/workflows/analytics/analytics.handler.ts',
      group: 'workflow',
      description: "reads changed conversations from the conversations table's stream (old and new image) and adds each fact (engaged, handed off, accepted, first response, resolved, rated, turn scored, bot reply) to the daily counters, once",
      memoryMb: 256,
      timeoutSeconds: 30,
      tables: { analytics: 'readwrite' },
      streamSource: { table: 'conversations', eventNames: ['INSERT', 'MODIFY'], newImageEquals: {}, batchSize: 50, parallelization: 1, retryAttempts: 10 },
    },
    {
      id: 'cost-ledger',
      capability: 'metering',
      entry: 'functions/workflows/cost-ledger/cost-ledger.handler.ts',
      group: 'workflow',
      description: "receives every function's cost records in batches (a CloudWatch Logs subscription; locally the runtime's batcher), prices them with the price table, writes one ledger item per invocation and the daily aggregates (once per batch), and watches the budgets",
      memoryMb: 512,
      timeoutSeconds: 60,
      tables: { costs: 'readwrite', conversations: 'read', connections: 'read' },
      pushesLiveUpdates: true,
    },
    {
      id: 'workflow-meter',
      capability: 'metering',
      entry: 'functions/workflows/workflow-meter/workflow-meter.handler.ts',
      group: 'workflow',
      description: "meters the Standard workflows: when an execution ends (EventBridge's Step Functions status change), counts its billed state transitions from its own history and records them for its conversation under the workflow's capability",
      memoryMb: 256,
      timeoutSeconds: 30,
      tables: {},
      metersWorkflows: ['escalation', 'sla-timer'],
    },
    {
      id: 'finance',
      entry: 'functions/console/finance/finance.handler.ts',
      group: 'console',
      capability: 'reports',
      description: 'finance reports: cost by day, channel, capability, function and service; per conversation with every line item and its formula; bot versus human, with the human cost of handling time; CSV',
      memoryMb: 512,
      timeoutSeconds: 15,
      tables: { costs: 'read', analytics: 'read', agents: 'read', conversations: 'read' },
    },
    {
      id: 'reports',
      entry: 'functions/console/reports/reports.handler.ts',
      group: 'console',
      description: 'supervisor reports: the dashboard of a period (conversations by channel, containment, handoffs, first response and handling time, CSAT, sentiment, top intents and unanswered questions)',
      memoryMb: 512,
      timeoutSeconds: 10,
      tables: { analytics: 'read', knowledge: 'read', 'knowledge-log': 'read' },
    },
  ],
  routes: [
    { name: 'health', method: 'GET', path: '/v1/health', functionId: 'health', auth: { kind: 'public' } },
    { name: 'openConversation', method: 'POST', path: '/v1/webchat/conversations', functionId: 'webchat', auth: { kind: 'public' } },
    { name: 'getConversation', method: 'GET', path: '/v1/webchat/conversations/{id}', functionId: 'webchat', auth: { kind: 'customer' } },
    { name: 'postMessage', method: 'POST', path: '/v1/webchat/conversations/{id}/messages', functionId: 'webchat', auth: { kind: 'customer' } },
    { name: 'listMessages', method: 'GET', path: '/v1/webchat/conversations/{id}/messages', functionId: 'webchat', auth: { kind: 'customer' } },
    { name: 'rateConversation', method: 'POST', path: '/v1/webchat/conversations/{id}/rating', functionId: 'webchat', auth: { kind: 'customer' } },
    { name: 'webchatSettings', method: 'GET', path: '/v1/webchat/settings', functionId: 'webchat', auth: { kind: 'public' } },
    // The signature over token, timestamp and nonce is the authentication (checked by the function).
    { name: 'wechatVerify', method: 'GET', path: '/v1/channels/wechat/webhook', functionId: 'wechat', auth: { kind: 'public' } },
    { name: 'wechatReceive', method: 'POST', path: '/v1/channels/wechat/webhook', functionId: 'wechat', auth: { kind: 'public' } },
    { name: 'wecomVerify', method: 'GET', path: '/v1/channels/wecom/webhook', functionId: 'wecom', auth: { kind: 'public' } },
    { name: 'wecomReceive', method: 'POST', path: '/v1/channels/wecom/webhook', functionId: 'wecom', auth: { kind: 'public' } },
    { name: 'telegramReceive', method: 'POST', path: '/v1/channels/telegram/webhook', functionId: 'telegram', auth: { kind: 'public' } },
    { name: 'lineReceive', method: 'POST', path: '/v1/channels/line/webhook', functionId: 'line', auth: { kind: 'public' } },
    { name: 'whatsappVerify', method: 'GET', path: '/v1/channels/whatsapp/webhook', functionId: 'whatsapp', auth: { kind: 'public' } },
    { name: 'whatsappReceive', method: 'POST', path: '/v1/channels/whatsapp/webhook', functionId: 'whatsapp', auth: { kind: 'public' } },
    // The API key (Authorization: Bearer kefu_… or X-Api-Key) is the authentication (checked by the function, rate-limited per key).
    { name: 'apiPostMessage', method: 'POST', path: '/v1/channels/api/messages', functionId: 'api-channel', auth: { kind: 'public' } },
    { name: 'apiListMessages', method: 'GET', path: '/v1/channels/api/conversations/{conversationId}/messages', functionId: 'api-channel', auth: { kind: 'public' } },
    { name: 'listApiKeys', method: 'GET', path: '/v1/admin/api-keys', functionId: 'api-channel', auth: { kind: 'jwt', roles: admins } },
    { name: 'createApiKey', method: 'POST', path: '/v1/admin/api-keys', functionId: 'api-channel', auth: { kind: 'jwt', roles: admins } },
    { name: 'revokeApiKey', method: 'DELETE', path: '/v1/admin/api-keys/{keyId}', functionId: 'api-channel', auth: { kind: 'jwt', roles: admins } },
    { name: 'queue', method: 'GET', path: '/v1/agent/queue', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'me', method: 'GET', path: '/v1/agent/me', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'myConversations', method: 'GET', path: '/v1/agent/conversations', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'conversation', method: 'GET', path: '/v1/agent/conversations/{id}', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'attachment', method: 'GET', path: '/v1/agent/conversations/{id}/attachment', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'accept', method: 'POST', path: '/v1/agent/conversations/{id}/accept', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'reply', method: 'POST', path: '/v1/agent/conversations/{id}/messages', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'resolve', method: 'POST', path: '/v1/agent/conversations/{id}/resolve', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'presence', method: 'PUT', path: '/v1/agent/presence', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'decline', method: 'POST', path: '/v1/agent/conversations/{id}/decline', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'transfer', method: 'POST', path: '/v1/agent/conversations/{id}/transfer', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'addNote', method: 'POST', path: '/v1/agent/conversations/{id}/notes', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'updateCustomer', method: 'PATCH', path: '/v1/agent/customers/{customerId}', functionId: 'agent-console', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'searchCustomers', method: 'GET', path: '/v1/admin/customers', functionId: 'agent-console', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'getCustomerIdentity', method: 'GET', path: '/v1/admin/customers/{customerId}', functionId: 'agent-console', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'mergeCustomers', method: 'POST', path: '/v1/admin/customers/{customerId}/merge', functionId: 'agent-console', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'splitCustomerIdentity', method: 'POST', path: '/v1/admin/customers/{customerId}/split', functionId: 'agent-console', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'floor', method: 'GET', path: '/v1/supervisor/floor', functionId: 'agent-console', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'dashboard', method: 'GET', path: '/v1/supervisor/dashboard', functionId: 'reports', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'costReport', method: 'GET', path: '/v1/finance/costs', functionId: 'finance', auth: { kind: 'jwt', roles: finance } },
    { name: 'conversationCosts', method: 'GET', path: '/v1/finance/conversations/{conversationId}/costs', functionId: 'finance', auth: { kind: 'jwt', roles: finance } },
    { name: 'searchTickets', method: 'GET', path: '/v1/tickets', functionId: 'tickets', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'createTicket', method: 'POST', path: '/v1/tickets', functionId: 'tickets', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'getTicket', method: 'GET', path: '/v1/tickets/{id}', functionId: 'tickets', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'updateTicket', method: 'PATCH', path: '/v1/tickets/{id}', functionId: 'tickets', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'commentTicket', method: 'POST', path: '/v1/tickets/{id}/comments', functionId: 'tickets', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'linkTicket', method: 'POST', path: '/v1/tickets/{id}/links', functionId: 'tickets', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'mergeTicket', method: 'POST', path: '/v1/tickets/{id}/merge', functionId: 'tickets', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'ticketFromConversation', method: 'POST', path: '/v1/agent/conversations/{id}/ticket', functionId: 'tickets', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'listAgents', method: 'GET', path: '/v1/admin/agents', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'getAgent', method: 'GET', path: '/v1/admin/agents/{agentId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'putAgent', method: 'PUT', path: '/v1/admin/agents/{agentId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'listGroups', method: 'GET', path: '/v1/admin/groups', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'getGroup', method: 'GET', path: '/v1/admin/groups/{groupId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'putGroup', method: 'PUT', path: '/v1/admin/groups/{groupId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'listCalendars', method: 'GET', path: '/v1/admin/calendars', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'getCalendar', method: 'GET', path: '/v1/admin/calendars/{calendarId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'putCalendar', method: 'PUT', path: '/v1/admin/calendars/{calendarId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'listSlaPolicies', method: 'GET', path: '/v1/admin/sla-policies', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'getSlaPolicy', method: 'GET', path: '/v1/admin/sla-policies/{policyId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'putSlaPolicy', method: 'PUT', path: '/v1/admin/sla-policies/{policyId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'listChannels', method: 'GET', path: '/v1/admin/channels', functionId: 'routing-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'putChannel', method: 'PUT', path: '/v1/admin/channels/{channelId}', functionId: 'routing-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'listKnowledge', method: 'GET', path: '/v1/admin/knowledge', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'createKnowledge', method: 'POST', path: '/v1/admin/knowledge', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'importKnowledge', method: 'POST', path: '/v1/admin/knowledge/import', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'exportKnowledge', method: 'GET', path: '/v1/admin/knowledge/export', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'knowledgeAudit', method: 'GET', path: '/v1/admin/knowledge/audit', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'getKnowledge', method: 'GET', path: '/v1/admin/knowledge/{entryId}', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'updateKnowledge', method: 'PUT', path: '/v1/admin/knowledge/{entryId}', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'publishKnowledge', method: 'POST', path: '/v1/admin/knowledge/{entryId}/publish', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'archiveKnowledge', method: 'POST', path: '/v1/admin/knowledge/{entryId}/archive', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'unpublishKnowledge', method: 'POST', path: '/v1/admin/knowledge/{entryId}/unpublish', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'listFlows', method: 'GET', path: '/v1/admin/flows', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'getFlow', method: 'GET', path: '/v1/admin/flows/{flowId}', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'putFlow', method: 'PUT', path: '/v1/admin/flows/{flowId}', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'deleteFlow', method: 'DELETE', path: '/v1/admin/flows/{flowId}', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'listUnanswered', method: 'GET', path: '/v1/admin/unanswered', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: supervisors } },
    { name: 'resolveUnanswered', method: 'POST', path: '/v1/admin/unanswered/{key}/resolve', functionId: 'knowledge-admin', auth: { kind: 'jwt', roles: admins } },
    { name: 'answer', method: 'POST', path: '/v1/capabilities/answer', functionId: 'bot-answer', auth: { kind: 'jwt', roles: agentRoles } },
    { name: 'score', method: 'POST', path: '/v1/capabilities/sentiment', functionId: 'sentiment', auth: { kind: 'jwt', roles: agentRoles } },
  ],
  webSocketRoutes: [
    { routeKey: '$connect', functionId: 'realtime' },
    { routeKey: '$disconnect', functionId: 'realtime' },
    { routeKey: '$default', functionId: 'realtime' },
  ],
  workflows: [
    {
      id: 'message',
      type: 'EXPRESS',
      definition: 'infra/workflows/message.asl.json',
      invokes: ['sentiment', 'bot-answer', 'message-policy'],
      starts: ['escalation'],
      envVar: 'MESSAGE_WORKFLOW_ARN',
      description: 'sentiment ∥ bot answer → policy → reply or hand off',
    },
    {
      id: 'escalation',
      type: 'STANDARD',
      definition: 'infra/workflows/escalation.asl.json',
      invokes: ['routing', 'ticket'],
      envVar: 'ESCALATION_WORKFLOW_ARN',
      description: 'queue → wait for an agent to accept (task token, timeout) → re-offer → offline message and ticket',
    },
    {
      id: 'sla-timer',
      type: 'STANDARD',
      definition: 'infra/workflows/sla-timer.asl.json',
      invokes: ['ticket'],
      envVar: 'SLA_TIMER_WORKFLOW_ARN',
      description: "one execution per ticket SLA version: wait until the next warning or breach, then report it and escalate (a stale version ends)",
    },
  ],
};

/** `bot-answer` → `BotAnswer`: the stem of CDK construct ids and ASL substitution names. */
export function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** The ASL substitution variable under which a function's ARN is injected into a definition. */
export function functionArnVariable(id: FunctionId): string {
  return `${pascalCase(id)}FunctionArn`;
}

/** The ASL substitution variable under which a workflow's ARN is injected into a definition. */
export function workflowArnVariable(id: WorkflowId): string {
  return `${pascalCase(id)}WorkflowArn`;
}

export function tableSpec(id: TableId): TableSpec {
  const spec = manifest.tables.find((t) => t.id === id);
  if (!spec) throw new Error(`unknown table ${id}`);
  return spec;
}

export function functionSpec(id: FunctionId): FunctionSpec {
  const spec = manifest.functions.find((f) => f.id === id);
  if (!spec) throw new Error(`unknown function ${id}`);
  return spec;
}

export function workflowSpec(id: WorkflowId): WorkflowSpec {
  const spec = manifest.workflows.find((w) => w.id === id);
  if (!spec) throw new Error(`unknown workflow ${id}`);
  return spec;
}

/** Environment variables every function receives besides its tables and workflows. */
/** Environment of the answer provider (set only when a Bedrock model is configured). */
export const ANSWER_PROVIDER_ENV = {
  provider: 'KEFU_ANSWER_PROVIDER',
  modelId: 'KEFU_BEDROCK_MODEL_ID',
  guardrailId: 'KEFU_BEDROCK_GUARDRAIL_ID',
  guardrailVersion: 'KEFU_BEDROCK_GUARDRAIL_VERSION',
  timeoutMs: 'KEFU_BEDROCK_TIMEOUT_MS',
} as const;

/** Environment of the sentiment provider (set only when Comprehend is configured). */
export const SENTIMENT_PROVIDER_ENV = { provider: 'KEFU_SENTIMENT_PROVIDER', timeoutMs: 'KEFU_SENTIMENT_TIMEOUT_MS' } as const;

/** Path of a company's trained sentiment model (JSON, `npm run kefu -- sentiment train`), when one is shipped. */
export const SENTIMENT_MODEL_ENV = 'KEFU_SENTIMENT_MODEL';

export const COMMON_ENV = {
  stage: 'KEFU_STAGE',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  customerTokenSecretArn: 'CUSTOMER_TOKEN_SECRET_ARN',
  /** The flow connectors secret (JSON); locally KEFU_FLOW_CONNECTORS holds the JSON itself. */
  connectorsSecretArn: 'KEFU_FLOW_CONNECTORS_SECRET_ARN',
  customerTokenSecret: 'CUSTOMER_TOKEN_SECRET',
  webSocketEndpoint: 'WEBSOCKET_ENDPOINT',
  maxOffers: 'MAX_OFFERS',
  jwtIssuer: 'JWT_ISSUER',
  jwtAudience: 'JWT_AUDIENCE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  awsEndpoint: 'KEFU_AWS_ENDPOINT',
  dynamoDbEndpoint: 'KEFU_DYNAMODB_ENDPOINT',
  stepFunctionsEndpoint: 'KEFU_STEPFUNCTIONS_ENDPOINT',
} as const;
