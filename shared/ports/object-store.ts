/**
 * Port: a store of opaque objects by key (raw inbound e-mails, their attachments). S3 in AWS, a directory on disk in
 * the local runtime. Keys are `/`-separated relative paths (`email/raw/<id>`); adapters refuse keys that could escape
 * their root (`..`, absolute paths, empty segments).
 */
export interface ObjectStore {
  /** Stores `bytes` under `key` (overwriting any object there) and returns the key it was stored under. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<{ readonly key: string }>;
  /** The object's bytes, or undefined when there is no object under `key`. */
  get(key: string): Promise<Uint8Array | undefined>;
}
