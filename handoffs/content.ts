/**
 * The photos and files a citizen sent (line_content, kept by cases/line-content.ts) as the officers' chat serves
 * them: which handoff a piece belongs to, so only an officer who may read that chat gets it, and its bytes.
 */
import type { Tx } from '../storage/database';
import { latestHandoffOfChat, type HandoffRow } from './queue';

type Queryable = Pick<Tx, 'query'>;

export interface StoredContent {
  contentType: string;
  bytes: Buffer;
}

/**
 * The handoff whose readers may fetch this content: the latest one of the chat that sent it. Null when there is
 * no such content, or its citizen never asked for an officer.
 */
export async function handoffOfContent(q: Queryable, messageId: string, centerDistrict: string | null): Promise<HandoffRow | null> {
  const [c] = await q.query<{ chat_id: string }>('SELECT chat_id FROM line_content WHERE message_id = $1', [messageId]);
  if (!c) return null;
  return latestHandoffOfChat(q, c.chat_id, centerDistrict);
}

export async function storedContent(q: Queryable, messageId: string): Promise<StoredContent | null> {
  const [c] = await q.query<{ content_type: string; bytes: Buffer | Uint8Array }>('SELECT content_type, bytes FROM line_content WHERE message_id = $1', [messageId]);
  return c ? { contentType: c.content_type, bytes: Buffer.from(c.bytes) } : null;
}
