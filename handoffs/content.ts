/**
 * The photos and files a citizen sent (line_content, kept by cases/line-content.ts) as the officers' chat serves
 * them: the handoff a piece was sent in (within that handoff's span of the chat, handoffs/chat.ts), so only an
 * officer who may read that chat gets it, and its bytes. A piece sent outside every handoff is no chat's: the
 * console serves it only as a case's evidence (cases/files.ts), to those who may see the case.
 */
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { handoffSpan, handoffStartEvent, inboxEventOf } from './chat';
import { handoffsOfChat, type HandoffRow } from './queue';

type Queryable = Pick<Tx, 'query'>;

export interface StoredContent {
  contentType: string;
  bytes: Buffer;
}

const PAGE = 500;

/**
 * The handoff this content was sent in, among those the reader may read (`mayRead`, the permission table asked
 * by the caller); null when there is no such content, or it was sent in none of them. Only the chats the reader
 * may read are searched: a refused reader learns nothing, not even how long the search took.
 */
export async function handoffOfContent(
  q: Queryable,
  cipher: DataCipher,
  messageId: string,
  centerDistrict: string | null,
  mayRead: (h: HandoffRow) => boolean,
): Promise<HandoffRow | null> {
  const [c] = await q.query<{ chat_id: string }>('SELECT chat_id FROM line_content WHERE message_id = $1', [messageId]);
  if (!c) return null;
  for (const h of await handoffsOfChat(q, c.chat_id, centerDistrict)) {
    if (mayRead(h) && (await sentWithin(q, cipher, h, messageId))) return h;
  }
  return null;
}

/** Whether the citizen's message `messageId` is one of the handoff's (its span of the chat's inbox). */
async function sentWithin(q: Queryable, cipher: DataCipher, h: HandoffRow, messageId: string): Promise<boolean> {
  const start = await handoffStartEvent(q, h);
  // The payloads are encrypted: the message id is found by reading them, a page at a time.
  for (let after = 0; ; ) {
    const { where, params } = handoffSpan(h, start, after);
    const rows = await q.query<{ id: number; payload: string }>(`SELECT id, payload FROM inbox_event WHERE ${where} ORDER BY id LIMIT ${PAGE}`, params);
    for (const r of rows) {
      const e = inboxEventOf(cipher, r.payload) as { message?: { id?: unknown } };
      if (String(e?.message?.id ?? '') === messageId) return true;
      after = Number(r.id);
    }
    if (rows.length < PAGE) return false;
  }
}

/** A piece's bytes, decrypted (stored encrypted by cases/line-content.ts; a piece from before that, as it is). */
export async function storedContent(q: Queryable, cipher: DataCipher, messageId: string): Promise<StoredContent | null> {
  const [c] = await q.query<{ content_type: string; bytes: Buffer | Uint8Array }>('SELECT content_type, bytes FROM line_content WHERE message_id = $1', [messageId]);
  return c ? { contentType: c.content_type, bytes: cipher.decryptBytes(c.bytes) } : null;
}
