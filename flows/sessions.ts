import type { Database, Tx } from '../storage/database';
import { deserializeState, serializeState, StateFormatError, type ConversationState } from './engine/state';
import { DecryptError, isSealed, type DataCipher } from '../storage/crypto';

export interface StoredSession {
  /** null when the chat has no session yet, or its stored state could not be read (see `dropped`). */
  state: ConversationState | null;
  /** 0 when there is no row. */
  revision: number;
  /** Set when a stored state was in an unknown format and is being replaced, never misread. */
  dropped?: StateFormatError;
}

/** Another writer saved this chat's session since it was read: the event is retried from the start. */
export class SessionConflictError extends Error {
  constructor(readonly chatId: string) {
    super(`the conversation of ${chatId} was saved by someone else meanwhile`);
    this.name = 'SessionConflictError';
  }
}

type Queryable = Pick<Database, 'query'> | Tx;

/**
 * The states this process read or wrote last, by chat, each with the stored value it came from. A chat's next event
 * finds its state here and skips decrypting it, parsing it and checking it (about 50 µs an event, the cost of the
 * session in the benchmark's profile besides its writing). An entry is used only when the row holds the very value
 * it was made from: same length and same first 64 characters, which for an encrypted value include its random IV
 * and its tag, so any other value (another process's save, a rotation, a rolled-back save of ours) misses.
 * The engine never changes a state it is given (it steps a copy), so a cached one is handed out as it is. One cache
 * per cipher: a state is never handed to a reader whose key could not have opened it. A chat whose row is gone
 * (erased) is dropped at its next read; memory only, the oldest first past MAX_CACHED_SESSIONS.
 */
const MAX_CACHED_SESSIONS = 2000;
type SessionCache = Map<string, { stored: string; state: ConversationState }>;
const caches = new WeakMap<object, SessionCache>();
const UNENCRYPTED = {};

function cacheOf(cipher: DataCipher | undefined): SessionCache {
  const owner = cipher ?? UNENCRYPTED;
  let cache = caches.get(owner);
  if (!cache) caches.set(owner, (cache = new Map()));
  return cache;
}

function fingerprint(stored: string): string {
  return isSealed(stored) ? `${stored.length}:${stored.slice(0, 64)}` : stored;
}

function remember(cache: SessionCache, chatId: string, stored: string, state: ConversationState): void {
  cache.delete(chatId);
  if (cache.size >= MAX_CACHED_SESSIONS) cache.delete(cache.keys().next().value!);
  cache.set(chatId, { stored: fingerprint(stored), state });
}

/**
 * The state holds answers (a phone number, a national ID) until the case is filed: it is stored encrypted when a
 * cipher is given, as every server does.
 */
export async function loadSession(db: Queryable, chatId: string, cipher?: DataCipher): Promise<StoredSession> {
  const rows = await db.query<{ state: string; revision: number | string }>(
    'SELECT state, revision FROM conversation_session WHERE chat_id = $1',
    [chatId],
  );
  const row = rows[0];
  const cache = cacheOf(cipher);
  if (!row) {
    cache.delete(chatId);
    return { state: null, revision: 0 };
  }
  const hit = cache.get(chatId);
  if (hit && hit.stored === fingerprint(row.state)) return { state: hit.state, revision: Number(row.revision) };
  try {
    const json = isSealed(row.state) && cipher ? cipher.decrypt(row.state) : row.state;
    const state = deserializeState(json);
    remember(cache, chatId, row.state, state);
    return { state, revision: Number(row.revision) };
  } catch (err) {
    if (err instanceof StateFormatError) return { state: null, revision: Number(row.revision), dropped: err };
    // Encrypted with another key (DATA_KEY changed): as unreadable as an unknown format.
    if (err instanceof DecryptError) return { state: null, revision: Number(row.revision), dropped: new StateFormatError('undecryptable') };
    throw err;
  }
}

/** Saves the state if nobody saved it since `revision` was read; returns the new revision. */
export async function saveSession(tx: Tx, chatId: string, state: ConversationState, revision: number, now: number, cipher?: DataCipher): Promise<number> {
  const plain = serializeState(state);
  const json = cipher ? cipher.encrypt(plain) : plain;
  remember(cacheOf(cipher), chatId, json, state);
  const flow = state.flow;
  if (revision === 0) {
    const inserted = await tx.query(
      `INSERT INTO conversation_session (chat_id, state, flow_id, flow_version, node, locale, revision, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) ON CONFLICT (chat_id) DO NOTHING RETURNING revision`,
      [chatId, json, flow?.id ?? null, flow?.version ?? null, state.node, state.locale, now],
    );
    if (inserted.length === 0) throw new SessionConflictError(chatId);
    return 1;
  }
  const updated = await tx.query(
    `UPDATE conversation_session SET state = $2, flow_id = $3, flow_version = $4, node = $5, locale = $6,
       revision = revision + 1, updated_at = $7
     WHERE chat_id = $1 AND revision = $8 RETURNING revision`,
    [chatId, json, flow?.id ?? null, flow?.version ?? null, state.node, state.locale, now, revision],
  );
  if (updated.length === 0) throw new SessionConflictError(chatId);
  return revision + 1;
}
