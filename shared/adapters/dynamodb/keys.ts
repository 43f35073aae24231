/**
 * Key builders and the access patterns they serve. Only the DynamoDB adapters use these.
 *
 * conversations  pk = <conversationId>
 *   - get a conversation by id                         GetItem(pk)
 *   - the queue, highest priority then longest waiting Query(byQueue: queueKey = "queue#<group>", queueOrder asc)
 *   - an agent's chats being served                     Query(byAgent: assignedAgentId = <agent>, status = "agent")
 *     queueOrder = "<9 - priority>#<queuedAt ISO>" so that an ascending read is the order agents are served in
 * messages       pk = <conversationId>, sk = "msg#<seq, 10 digits>" | "evt#<ISO time>#<id>"
 *   - the transcript in order, from a cursor             Query(pk, sk > "msg#<cursor>" and < "msg#~")
 *   - one message by sequence                          GetItem(pk, sk)
 *   - the audit trail of a conversation                Query(pk, begins_with(sk, "evt#"))
 *   - stream: new customer messages in order per conversation (the stream keeps per-key order)
 * idempotency    pk = "<scope>#<...>" e.g. "webchat#<conversationId>#<clientMessageId>", "reply#<messageId>"
 *   - has this request already been accepted, and what did it produce   GetItem / conditional Put
 * customers      pk = <customerId>
 * agents         pk = <agentId>; the whole (small) directory is read with Scan and cached
 * knowledge      pk = <entryId>; the current version of each entry, Scanned when an answer index is (re)built
 * knowledge-log  see knowledge.repository.dynamodb.ts (versions, audit, revision, unanswered) and flows.dynamodb.ts
 * conversations  also pk = "flow#<conversationId>": the conversation's flow session (flows.dynamodb.ts)
 * tickets        pk = <ticketId>; byConversation: conversationId, createdAt
 * connections    pk = <connectionId>; byAudience: audience ("conversation:<id>" | "agents"), pk
 */
export const SEQ_DIGITS = 10;

export const keys = {
  conversation: (conversationId: string) => ({ pk: conversationId }),
  message: (conversationId: string, seq: number) => ({ pk: conversationId, sk: messageSortKey(seq) }),
  event: (conversationId: string, at: string, id: string) => ({ pk: conversationId, sk: `evt#${at}#${id}` }),
  idempotency: (key: string) => ({ pk: key }),
  queueKey: (group = 'default') => `queue#${group}`,
  queueOrder: (priority: number, queuedAt: string) => `${9 - Math.max(0, Math.min(9, Math.round(priority)))}#${queuedAt}`,
};

export function messageSortKey(seq: number): string {
  return `msg#${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** After the last message: "~" sorts after every digit. */
export const MESSAGE_SORT_KEY_END = 'msg#~';
