/** The object store (raw inbound e-mails, their attachments): S3 in AWS (KEFU_MAIL_BUCKET), a directory locally (KEFU_OBJECT_STORE_DIR). */
import { S3Client } from '@aws-sdk/client-s3';
import { optionalEnv, requireEnv } from '../../config/runtime-config.ts';
import { FileObjectStore } from '../storage/object-store.file.ts';
import { S3ObjectStore } from '../storage/object-store.s3.ts';
import { once } from './once.ts';

export const MAIL_BUCKET_ENV = 'KEFU_MAIL_BUCKET';
export const OBJECT_STORE_DIR_ENV = 'KEFU_OBJECT_STORE_DIR';
/** Where the receipt rule's S3 action puts raw mail (the object key is this prefix + SES's message id). */
export const INBOUND_MAIL_PREFIX = 'email/inbound/';

export const objectStore = once(() => {
  const dir = optionalEnv(OBJECT_STORE_DIR_ENV);
  if (dir) return new FileObjectStore(dir);
  return new S3ObjectStore({ client: new S3Client({}), bucket: requireEnv(MAIL_BUCKET_ENV) });
});

/** The bucket name the SES event's Lambda action does not name (locally the directory stands in for it). */
export function mailBucket(): string {
  return optionalEnv(MAIL_BUCKET_ENV) ?? 'local';
}
