/**
 * A customer's attachment (an e-mail's file), for the agents of its conversation: only a file the conversation's own
 * `email-attachments` event lists can be read (so a key cannot be used to read any other object), at most 5 MB (what
 * one response carries).
 */
import { DomainError } from '../domain/errors.ts';
import type { ConversationStore } from '../ports/conversation.store.ts';
import type { ObjectStore } from '../ports/object-store.ts';

export const MAX_ATTACHMENT_DOWNLOAD_BYTES = 5 * 1024 * 1024;

interface ListedFile {
  readonly key: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

export function makeGetAttachment(deps: { store: Pick<ConversationStore, 'get' | 'listEvents'>; objects: ObjectStore }) {
  return async (conversationId: string, key: string): Promise<ListedFile & { bytes: Uint8Array }> => {
    if (!(await deps.store.get(conversationId))) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${conversationId} does not exist`);
    const listed = (await deps.store.listEvents(conversationId))
      .filter((e) => e.type === 'email-attachments')
      .flatMap((e) => ((e.detail as { files?: ListedFile[] } | undefined)?.files ?? []))
      .find((f) => f.key === key);
    if (!listed) throw new DomainError('ATTACHMENT.NOT_FOUND', 'this conversation has no such attachment');
    if (listed.size > MAX_ATTACHMENT_DOWNLOAD_BYTES) throw new DomainError('ATTACHMENT.TOO_LARGE', `the attachment is ${listed.size} bytes; at most ${MAX_ATTACHMENT_DOWNLOAD_BYTES} can be downloaded here`);
    const bytes = await deps.objects.get(key);
    if (!bytes) throw new DomainError('ATTACHMENT.NOT_FOUND', 'the attachment is no longer stored');
    return { ...listed, bytes };
  };
}
