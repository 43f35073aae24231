/**
 * The object stores: the file store (round trip, refusal of keys that would leave its directory) and the S3 store
 * against a loopback fake that speaks S3's REST paths (path-style `PUT /{bucket}/{key}`, `GET /{bucket}/{key}`).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeObjectKey, FileObjectStore, ObjectKeyError } from '../../shared/adapters/storage/object-store.file.ts';
import { S3ObjectStore } from '../../shared/adapters/storage/object-store.s3.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the file object store', () => {
  let root: string;
  let store: FileObjectStore;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kefu-objects-'));
    store = new FileObjectStore(join(root, 'store'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores and reads back bytes under nested keys, overwriting, with no temporary file left', async () => {
    const raw = new Uint8Array([0, 1, 2, 255, 254]);
    expect(await store.put('email/raw/abc', raw, 'message/rfc822')).toEqual({ key: 'email/raw/abc' });
    expect(await store.get('email/raw/abc')).toEqual(raw);
    await store.put('email/raw/abc', bytes('second'), 'message/rfc822');
    expect(new TextDecoder().decode(await store.get('email/raw/abc'))).toBe('second');
    expect(readdirSync(join(root, 'store', 'email', 'raw'))).toEqual(['abc']);
  });

  it('reads a missing key (or a directory) as undefined', async () => {
    expect(await store.get('email/raw/missing')).toBeUndefined();
    expect(await store.get('email/raw')).toBeUndefined();
  });

  it.each(['../escape', 'a/../../escape', '/etc/passwd', 'a//b', './a', 'a/.', '', 'a\\..\\b', 'C:/x', 'a\u0000b', 'x'.repeat(1025)])('refuses the key %j', async (key) => {
    expect(() => assertSafeObjectKey(key)).toThrow(ObjectKeyError);
    await expect(store.put(key, bytes('x'), 'text/plain')).rejects.toBeInstanceOf(ObjectKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(ObjectKeyError);
    expect(existsSync(join(root, 'escape'))).toBe(false);
  });

  it('accepts ordinary keys with dots inside names', () => {
    expect(() => assertSafeObjectKey('email/attachments/0100019a.1/receipt..pdf')).not.toThrow();
  });
});

describe('the S3 object store against a loopback fake', () => {
  let server: Server;
  let endpoint: string;
  const objects = new Map<string, { body: Buffer; headers: Record<string, string | string[] | undefined> }>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        if (req.method === 'PUT') {
          objects.set(path, { body: Buffer.concat(chunks), headers: req.headers });
          res.writeHead(200, { etag: '"fake"' });
          res.end();
          return;
        }
        const found = objects.get(path);
        if (req.method === 'GET' && found) {
          res.writeHead(200, { 'content-type': String(found.headers['content-type'] ?? 'application/octet-stream'), 'content-length': found.body.length });
          res.end(found.body);
          return;
        }
        res.writeHead(404, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
  });

  const client = () => new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' }, maxAttempts: 1 });

  it('puts with the content type and server-side encryption, and gets the same bytes back', async () => {
    const store = new S3ObjectStore({ client: client(), bucket: 'kefu-inbound', prefix: 'email/' });
    const raw = bytes('From: a@example.com\r\n\r\n你好');
    expect(await store.put('raw/abc', raw, 'message/rfc822')).toEqual({ key: 'raw/abc' });
    const stored = objects.get('/kefu-inbound/email/raw/abc');
    expect(stored?.body.equals(Buffer.from(raw))).toBe(true);
    expect(stored?.headers['content-type']).toBe('message/rfc822');
    expect(stored?.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(await store.get('raw/abc')).toEqual(raw);
  });

  it('asks for SSE-KMS with the key given', async () => {
    const store = new S3ObjectStore({ client: client(), bucket: 'kefu-inbound', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/example' });
    await store.put('k', bytes('x'), 'text/plain');
    const headers = objects.get('/kefu-inbound/k')?.headers;
    expect(headers?.['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(headers?.['x-amz-server-side-encryption-aws-kms-key-id']).toBe('arn:aws:kms:us-east-1:123456789012:key/example');
  });

  it('reads a missing object as undefined', async () => {
    const store = new S3ObjectStore({ client: client(), bucket: 'kefu-inbound' });
    expect(await store.get('nothing/here')).toBeUndefined();
  });
});
