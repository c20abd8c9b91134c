/**
 * A handoff's conversation as the officer reads it: the citizen's messages since the handoff (from the inbox,
 * decrypted) and the officers' replies (console_message), oldest first, read after a cursor so a live stream
 * sends each message once.
 */
import type { Tx } from '../storage/database';
import { isSealed, type DataCipher } from '../storage/crypto';
import type { HandoffRow } from './queue';

type Queryable = Pick<Tx, 'query'>;

/** One message of a chat as the console shows it; the console's pages take this type (console/web/src/api.ts). */
export interface ChatMessage {
  /** 'in-<inbox id>' or 'out-<console_message id>': unique, and the order within each side. */
  id: string;
  direction: 'in' | 'out';
  at: number;
  type: 'text' | 'image' | 'video' | 'audio' | 'file' | 'location' | 'sticker' | 'other';
  /** Plain text, never HTML: the page escapes it. */
  text?: string;
  /** Where the console fetches a photo's (or file's) bytes. */
  contentUrl?: string;
  fileName?: string;
  location?: { title: string | null; address: string | null; latitude: number; longitude: number };
  sticker?: { packageId: string; stickerId: string };
  officerId?: number;
}

/** The citizen's messages of a webhook event, as the console shows them; null for what is not a message. */
export function chatMessageOf(inboxId: number, at: number, event: unknown): ChatMessage | null {
  const e = event as { type?: string; message?: Record<string, unknown> };
  if (e?.type !== 'message' || !e.message) return null;
  const m = e.message;
  const base = { id: `in-${inboxId}`, direction: 'in' as const, at };
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  switch (m.type) {
    case 'text':
      return { ...base, type: 'text', text: str(m.text) ?? '' };
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
      return {
        ...base,
        type: m.type,
        contentUrl: `/console/api/content/${encodeURIComponent(String(m.id))}`,
        ...(str(m.fileName) ? { fileName: str(m.fileName)! } : {}),
      };
    case 'location':
      return { ...base, type: 'location', location: { title: str(m.title), address: str(m.address), latitude: Number(m.latitude), longitude: Number(m.longitude) } };
    case 'sticker':
      return { ...base, type: 'sticker', sticker: { packageId: String(m.packageId), stickerId: String(m.stickerId) } };
    default:
      return { ...base, type: 'other' };
  }
}

/**
 * The inbox id after which the chat belongs to the handoff: the event that asked for an officer (its
 * conversation log row was written with the handoff, at the same instant).
 */
export async function handoffStartEvent(q: Queryable, h: HandoffRow): Promise<number | null> {
  const [r] = await q.query<{ inbox_event_id: number | null }>(
    `SELECT inbox_event_id FROM conversation_event WHERE chat_id = $1 AND kind = 'handoff' AND at = $2 ORDER BY id DESC LIMIT 1`,
    [h.chatId, h.requestedAt],
  );
  return r?.inbox_event_id === null || r?.inbox_event_id === undefined ? null : Number(r.inbox_event_id);
}

/** Where a reader of the chat has got to: the last inbox event and the last officer's message it has. */
export interface Cursor {
  afterInbox: number;
  afterOut: number;
}

/**
 * The citizen's messages (inbox_event rows) that belong to a handoff, after inbox id `afterInbox`: those after the
 * event that asked for an officer (or, when it is not known, received since the handoff was made) and, once it
 * ended, received until it closed. The one span both the transcript and the files of a handoff keep to.
 */
export function handoffSpan(h: HandoffRow, startEvent: number | null, afterInbox = 0): { where: string; params: unknown[] } {
  const params: unknown[] = [h.chatId, Math.max(afterInbox, startEvent ?? 0)];
  let where = `chat_id = $1 AND id > $2 AND event_type = 'message'`;
  if (startEvent === null) {
    params.push(h.requestedAt);
    where += ` AND received_at >= $${params.length}`;
  }
  if (h.closedAt !== null) {
    params.push(h.closedAt);
    where += ` AND received_at <= $${params.length}`;
  }
  return { where, params };
}

/** An inbox row's webhook event, decrypted when it was stored encrypted. */
export const inboxEventOf = (cipher: DataCipher, payload: string): unknown => JSON.parse(isSealed(payload) ? cipher.decrypt(payload) : payload);

/** The conversation of a handoff after the cursor, oldest first, and the cursor after it. */
export async function chatSince(q: Queryable, cipher: DataCipher, h: HandoffRow, cursor: Cursor, startEvent: number | null): Promise<{ messages: ChatMessage[]; cursor: Cursor }> {
  const { where, params } = handoffSpan(h, startEvent, cursor.afterInbox);
  const inbox = await q.query<{ id: number; payload: string; event_timestamp: number }>(
    `SELECT id, payload, event_timestamp FROM inbox_event WHERE ${where} ORDER BY id LIMIT 500`,
    params,
  );
  const out = await q.query<{ id: number; text: string; at: number; officer_id: number }>(
    `SELECT id, text, at, officer_id FROM console_message WHERE handoff_id = $1 AND id > $2 ORDER BY id LIMIT 500`,
    [h.id, cursor.afterOut],
  );
  const messages: ChatMessage[] = [];
  let afterInbox = cursor.afterInbox;
  for (const r of inbox) {
    afterInbox = Math.max(afterInbox, Number(r.id));
    const m = chatMessageOf(Number(r.id), Number(r.event_timestamp), inboxEventOf(cipher, r.payload));
    if (m) messages.push(m);
  }
  let afterOut = cursor.afterOut;
  for (const r of out) {
    afterOut = Math.max(afterOut, Number(r.id));
    messages.push({ id: `out-${r.id}`, direction: 'out', at: Number(r.at), type: 'text', text: r.text, officerId: Number(r.officer_id) });
  }
  messages.sort((a, b) => a.at - b.at);
  return { messages, cursor: { afterInbox, afterOut } };
}
