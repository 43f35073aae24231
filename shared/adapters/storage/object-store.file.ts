/**
 * The local runtime's object store: one file per key under a directory. Keys are checked before any file system call
 * (no `..` or `.` segment, no empty segment, no absolute path, no backslash, no control character) and the resolved
 * path must stay inside the directory, so that a key taken from an e-mail can never read or write elsewhere.
 * The content type is not kept (the port's `get` returns bytes only). Writes go to a temporary file renamed into
 * place, so a reader never sees half an object.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { ObjectStore } from '../../ports/object-store.ts';

export class ObjectKeyError extends Error {
  readonly code = 'STORAGE.KEY_INVALID';
}

const MAX_KEY_LENGTH = 1024;

/** Throws ObjectKeyError unless `key` is a safe relative `/`-separated path. */
export function assertSafeObjectKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) throw new ObjectKeyError('an object key must have 1 to 1024 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(key)) throw new ObjectKeyError('an object key must not contain control characters or backslashes');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw new ObjectKeyError('an object key must be relative');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw new ObjectKeyError(`an object key must not contain ${JSON.stringify(segment)} segments`);
  }
}

export class FileObjectStore implements ObjectStore {
  private readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  async put(key: string, bytes: Uint8Array, _contentType?: string): Promise<{ key: string }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { key };
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(key);
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  }

  private pathOf(key: string): string {
    assertSafeObjectKey(key);
    const path = resolve(this.root, ...key.split('/'));
    // Belt and braces: the checks above already rule this out.
    if (!path.startsWith(this.root + sep)) throw new ObjectKeyError('the object key escapes the store directory');
    return path;
  }
}
