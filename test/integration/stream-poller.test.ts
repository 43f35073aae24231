/**
 * The local event source mapping on DynamoDB Local's real stream: filtered, ordered per conversation, retried from
 * the failed record, and dead-lettered (never silently dropped) after the last retry.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, startDynamoDbLocal, streamArn, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { StreamPoller } from '../../infra/local/stream-poller.ts';
import { functionSpec } from '../../shared/manifest/manifest.ts';

let ddb: DynamoDbLocal;
let table: string;
let arn: string;
const source = functionSpec('message-intake').streamSource!;

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  table = (await createTables(ddb.client, 'sp')).messages;
  arn = (await streamArn(ddb.client, table))!;
});
afterAll(async () => ddb?.stop());

async function put(conversationId: string, seq: number, role = 'customer', kind = 'message') {
  await ddb.client.send(
    new PutItemCommand({ TableName: table, Item: { pk: { S: conversationId }, sk: { S: `msg#${String(seq).padStart(10, '0')}` }, kind: { S: kind }, role: { S: role }, seq: { N: String(seq) } } }),
  );
}

type Seen = Array<{ pk: string; seq: number }>;
const seenOf = (event: { Records: unknown[] }): Seen =>
  (event.Records as Array<{ dynamodb: { NewImage: { pk: { S: string }; seq: { N: string } } } }>).map((r) => ({ pk: r.dynamodb.NewImage.pk.S, seq: Number(r.dynamodb.NewImage.seq.N) }));

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the local stream poller (DynamoDB Local streams)', () => {
  it('delivers only customer messages, each conversation in order, and retries from the failed record', async () => {
    // Prepare: the consumer fails once on c1's second message.
    const delivered: Seen = [];
    let failedOnce = false;
    const poller = new StreamPoller({
      endpoint: ddb.endpoint,
      streamArn: arn,
      source,
      idlePollMs: 20,
      consume: async (event) => {
        const batch = (event.Records as Array<{ dynamodb: { SequenceNumber: string } }>).map((r, i) => ({ ...seenOf(event)[i]!, sequence: r.dynamodb.SequenceNumber }));
        for (const record of batch) {
          if (record.pk === 'c1' && record.seq === 2 && !failedOnce) {
            failedOnce = true;
            return { batchItemFailures: [{ itemIdentifier: record.sequence }] };
          }
          delivered.push({ pk: record.pk, seq: record.seq });
        }
        return { batchItemFailures: [] };
      },
    });
    poller.start();
    // Act
    for (let seq = 1; seq <= 4; seq++) {
      await put('c1', seq);
      await put('c2', seq);
    }
    await put('c1', 5, 'bot');
    await put('c1', 6, 'customer', 'event');
    poller.poke();
    await until(() => delivered.length >= 8, 'eight customer messages');
    await poller.stop();
    // Assess
    expect(failedOnce).toBe(true);
    expect(delivered.filter((d) => d.pk === 'c1').map((d) => d.seq)).toEqual([1, 2, 3, 4]);
    expect(delivered.filter((d) => d.pk === 'c2').map((d) => d.seq)).toEqual([1, 2, 3, 4]);
  });

  it('sends a record that keeps failing to the on-failure file instead of dropping it, and moves on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-stream-'));
    const failureFile = join(dir, 'on-failure.jsonl');
    const delivered: Seen = [];
    const poller = new StreamPoller({
      endpoint: ddb.endpoint,
      streamArn: arn,
      source: { ...source, retryAttempts: 1 },
      idlePollMs: 20,
      checkpointFile: join(dir, 'checkpoint.json'),
      failureFile,
      consume: async (event) => {
        const seen = seenOf(event);
        if (seen.some((s) => s.pk === 'poison')) throw new Error('cannot process');
        delivered.push(...seen);
        return { batchItemFailures: [] };
      },
    });
    // Only records written from now on matter to this test: start after the first test's records.
    poller.start();
    await put('poison', 1);
    await put('after', 1);
    poller.poke();
    await until(() => delivered.some((d) => d.pk === 'after'), 'the record after the poison one');
    await poller.stop();
    expect(existsSync(failureFile)).toBe(true);
    const failures = readFileSync(failureFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { record: { dynamodb: { NewImage: { pk: { S: string } } } } });
    expect(failures.map((f) => f.record.dynamodb.NewImage.pk.S)).toEqual(['poison']);
  });
});
