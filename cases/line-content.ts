/**
 * The photos and files a citizen sent (line_content): fetched from LINE before the event's transaction, kept in it,
 * so that evidence attached to a case is never lost when LINE drops its copy. The bytes are stored encrypted (a
 * photo shows a face, a home, a document); the size and SHA-256 are the original's.
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';

export interface LineContent {
  messageId: string;
  bytes: Buffer;
  contentType: string;
}

export async function keepLineContent(tx: Pick<Tx, 'query'>, cipher: DataCipher, chatId: string, c: LineContent, now: number): Promise<void> {
  await tx.query(
    `INSERT INTO line_content (message_id, chat_id, content_type, size, sha256, bytes, fetched_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO NOTHING`,
    [c.messageId, chatId, c.contentType.slice(0, 128), c.bytes.length, createHash('sha256').update(c.bytes).digest('hex'), cipher.encryptBytes(c.bytes), now],
  );
}
