/**
 * The knowledge base on DynamoDB. Current entries live in the knowledge table (pk = entry id), which the answer engines
 * read; everything else lives in the knowledge-log table (pk, sk):
 *
 *   pk = "entry#<id>",  sk = "v#<version, 8 digits>"   every version of an entry, with who changed what   Query(pk) newest first
 *   pk = "audit",       sk = "<ISO time>#<id>#<version>" the audit trail of the whole knowledge base     Query(pk) newest first
 *   pk = "meta",        sk = "revision"                  the index revision the answer engines watch     GetItem
 *   pk = "unanswered",  sk = <normalised question>       questions the bot could not answer, counted     Query(pk) / UpdateItem
 *
 * A change is one transaction: the entry (conditional on its version), its version snapshot, its audit event and the
 * revision, so that a failure leaves nothing half-written.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import type { KnowledgeEntry } from '../../domain/knowledge/knowledge-entry.ts';
import type { KnowledgeAuditEvent, KnowledgeRepository, UnansweredQuestion } from '../../ports/knowledge.ts';
import { DynamoDbKnowledgeSource } from './directory.dynamodb.ts';

const VERSION_DIGITS = 8;
const versionKey = (version: number) => `v#${String(version).padStart(VERSION_DIGITS, '0')}`;
const REVISION_KEY = { pk: 'meta', sk: 'revision' };

function strip<T>(item: Record<string, unknown>, ...keys: string[]): T {
  const copy: Record<string, unknown> = { ...item };
  for (const k of ['pk', 'sk', ...keys]) delete copy[k];
  return copy as T;
}

async function queryAll(client: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0], cap: number): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start && items.length < cap);
  return items;
}

export class DynamoDbKnowledgeRepository extends DynamoDbKnowledgeSource implements KnowledgeRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tables: { readonly knowledge: string; readonly log: string },
  ) {
    super(documents, tables.knowledge);
    this.unanswered = new DynamoDbUnansweredLog(documents, tables);
  }

  private readonly unanswered: DynamoDbUnansweredLog;

  async get(entryId: string): Promise<KnowledgeEntry | undefined> {
    const res = await this.documents.send(new GetCommand({ TableName: this.tables.knowledge, Key: { pk: entryId }, ConsistentRead: true }));
    return res.Item ? strip<KnowledgeEntry>(res.Item) : undefined;
  }

  async save(entry: KnowledgeEntry, options: { expectedVersion: number; audit: KnowledgeAuditEvent; bumpRevision: boolean }): Promise<void> {
    const condition =
      options.expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': options.expectedVersion } };
    const { audit } = options;
    const command = new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: this.tables.knowledge, Item: { pk: entry.id, ...entry }, ...condition } },
        { Put: { TableName: this.tables.log, Item: { pk: `entry#${entry.id}`, sk: versionKey(entry.version), ...entry, audit } } },
        { Put: { TableName: this.tables.log, Item: { pk: 'audit', sk: `${audit.at}#${audit.entryId}#${versionKey(audit.version)}`, ...audit } } },
        ...(options.bumpRevision
          ? [{ Update: { TableName: this.tables.log, Key: REVISION_KEY, UpdateExpression: 'ADD revision :one SET updatedAt = :at', ExpressionAttributeValues: { ':one': 1, ':at': audit.at } } }]
          : []),
      ],
    });
    for (let attempt = 1; ; attempt++) {
      const reasons = await this.documents.send(command).then(
        () => undefined,
        (error: unknown) => {
          const cancelled = error instanceof TransactionCanceledException || (error as { name?: string }).name === 'TransactionCanceledException';
          if (!cancelled) throw error;
          return (error as TransactionCanceledException).CancellationReasons ?? [];
        },
      );
      if (!reasons) return;
      // Two admins saving at once both move the revision counter: DynamoDB cancels one, and it is safe to try again.
      if (reasons.some((r) => r.Code === 'TransactionConflict') && attempt < 4) {
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
        continue;
      }
      if (reasons[0]?.Code === 'ConditionalCheckFailed') {
        throw options.expectedVersion === 0
          ? new DomainError('KNOWLEDGE.ALREADY_EXISTS', `knowledge entry ${entry.id} already exists`)
          : new DomainError('KNOWLEDGE.VERSION_CONFLICT', `knowledge entry ${entry.id} changed meanwhile (expected version ${options.expectedVersion}); reload it and edit again`);
      }
      throw new Error(`knowledge transaction cancelled: ${reasons.map((r) => r.Code).join(', ')}`);
    }
  }

  async versions(entryId: string): Promise<KnowledgeEntry[]> {
    const items = await queryAll(this.documents, { TableName: this.tables.log, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `entry#${entryId}` }, ScanIndexForward: false }, 1000);
    return items.map((i) => strip<KnowledgeEntry>(i, 'audit'));
  }

  async audit(options: { entryId?: string; limit: number }): Promise<KnowledgeAuditEvent[]> {
    if (options.entryId) {
      const res = await this.documents.send(
        new QueryCommand({ TableName: this.tables.log, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `entry#${options.entryId}` }, ScanIndexForward: false, Limit: options.limit, ProjectionExpression: 'audit' }),
      );
      return (res.Items ?? []).map((i) => i.audit as KnowledgeAuditEvent).filter(Boolean);
    }
    const res = await this.documents.send(
      new QueryCommand({ TableName: this.tables.log, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'audit' }, ScanIndexForward: false, Limit: options.limit }),
    );
    return (res.Items ?? []).map((i) => strip<KnowledgeAuditEvent>(i));
  }

  async revision(): Promise<number> {
    const res = await this.documents.send(new GetCommand({ TableName: this.tables.log, Key: REVISION_KEY }));
    return Number(res.Item?.revision ?? 0);
  }

  recordUnanswered(q: Omit<UnansweredQuestion, 'count' | 'firstSeen' | 'status' | 'lastSeen'> & { at: string }): Promise<void> {
    return this.unanswered.recordUnanswered(q);
  }

  listUnanswered(options: { status?: 'open' | 'resolved'; limit: number }): Promise<UnansweredQuestion[]> {
    return this.unanswered.listUnanswered(options);
  }

  getUnanswered(key: string): Promise<UnansweredQuestion | undefined> {
    return this.unanswered.getUnanswered(key);
  }

  resolveUnanswered(key: string, resolution: { actor: string; at: string } & ({ entryId: string } | { dismissed: string })): Promise<void> {
    return this.unanswered.resolveUnanswered(key, resolution);
  }
}

/** Questions the bot could not answer, counted by normalised text (pk = "unanswered", sk = the key). */
export class DynamoDbUnansweredLog implements Pick<KnowledgeRepository, 'recordUnanswered' | 'listUnanswered' | 'getUnanswered' | 'resolveUnanswered'> {
  constructor(private readonly documents: DynamoDBDocumentClient, private readonly tables: { readonly log: string }) {}

  async recordUnanswered(q: Omit<UnansweredQuestion, 'count' | 'firstSeen' | 'status' | 'lastSeen'> & { at: string }): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tables.log,
        Key: { pk: 'unanswered', sk: q.key },
        UpdateExpression:
          'ADD #count :one SET #key = :key, #text = :text, #language = :language, lastSeen = :at, firstSeen = if_not_exists(firstSeen, :at), #status = :open, outcome = :outcome' +
          (q.nearest ? ', nearest = :nearest' : '') +
          (q.lastConversationId ? ', lastConversationId = :conversation' : ''),
        ExpressionAttributeNames: { '#count': 'count', '#key': 'key', '#text': 'text', '#language': 'language', '#status': 'status' },
        ExpressionAttributeValues: {
          ':one': 1, ':key': q.key, ':text': q.text, ':language': q.language, ':at': q.at, ':open': 'open', ':outcome': q.outcome,
          ...(q.nearest ? { ':nearest': q.nearest } : {}),
          ...(q.lastConversationId ? { ':conversation': q.lastConversationId } : {}),
        },
      }),
    );
  }

  async listUnanswered(options: { status?: 'open' | 'resolved'; limit: number }): Promise<UnansweredQuestion[]> {
    const items = await queryAll(this.documents, { TableName: this.tables.log, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'unanswered' } }, 10_000);
    return items
      .map((i) => strip<UnansweredQuestion>(i))
      .filter((q) => !options.status || q.status === options.status)
      .sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen))
      .slice(0, options.limit);
  }

  async getUnanswered(key: string): Promise<UnansweredQuestion | undefined> {
    const res = await this.documents.send(new GetCommand({ TableName: this.tables.log, Key: { pk: 'unanswered', sk: key }, ConsistentRead: true }));
    return res.Item ? strip<UnansweredQuestion>(res.Item) : undefined;
  }

  async resolveUnanswered(key: string, resolution: { actor: string; at: string } & ({ entryId: string } | { dismissed: string })): Promise<void> {
    const byEntry = 'entryId' in resolution;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tables.log,
        Key: { pk: 'unanswered', sk: key },
        UpdateExpression: `SET #status = :resolved, resolvedBy = :actor, resolvedAt = :at, ${byEntry ? 'resolvedEntryId' : 'dismissedReason'} = :how`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':resolved': 'resolved', ':actor': resolution.actor, ':how': byEntry ? resolution.entryId : resolution.dismissed, ':at': resolution.at },
      }),
    );
  }
}
