/**
 * The AWS object store: one S3 object per key in the bucket passed in, encrypted at rest (SSE-S3, or SSE-KMS with the
 * key given). A missing object (`NoSuchKey`, or 404 when the role may not list the bucket) reads as undefined.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../../ports/object-store.ts';

export interface S3ObjectStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** A KMS key (id or ARN) for SSE-KMS; without it objects are encrypted with S3-managed keys (AES256). */
  readonly kmsKeyId?: string;
  /** Prepended to every key (e.g. `email/`). */
  readonly prefix?: string;
}

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly options: S3ObjectStoreOptions) {
    if (!options.bucket) throw new Error('the S3 object store needs a bucket');
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<{ key: string }> {
    const { client, bucket, kmsKeyId } = this.options;
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: this.keyOf(key),
        Body: bytes,
        ContentType: contentType,
        ...(kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyId } : { ServerSideEncryption: 'AES256' }),
      }),
    );
    return { key };
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
      if (!out.Body) return new Uint8Array();
      return await out.Body.transformToByteArray();
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  private keyOf(key: string): string {
    if (typeof key !== 'string' || key.length === 0 || key.length > 900) throw new Error('an object key must have 1 to 900 characters');
    return `${this.options.prefix ?? ''}${key}`;
  }
}
