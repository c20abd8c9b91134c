/**
 * What each chat (user, group or room) actually sees from the bot, in order, each message once. Subscribers (the
 * simulator's event streams) hear each message as it is delivered, and the loading animation when it starts.
 */
import type { DeliveredMessage } from './types';

export interface TranscriptEntry extends DeliveredMessage {
  chatId: string;
  /** Increasing across all chats: one simulator stream carries many chats and resumes from it after a reconnect. */
  seq: number;
}

export type ChatActivity =
  | { kind: 'message'; entry: TranscriptEntry }
  | { kind: 'loading'; chatId: string; seconds: number };

const MAX_PER_CHAT = 5_000;
const MAX_CHATS = 100_000;


export class Transcripts {
  private readonly chats = new Map<string, TranscriptEntry[]>();
  private seq = 0;
  private readonly listeners = new Map<string, Set<(a: ChatActivity) => void>>();

  append(chatId: string, via: DeliveredMessage['via'], messages: readonly unknown[], at: number): void {
    let chat = this.chats.get(chatId);
    if (chat === undefined) {
      if (this.chats.size >= MAX_CHATS) {
        const oldest = this.chats.keys().next().value;
        if (oldest !== undefined) this.chats.delete(oldest);
      }
      chat = [];
      this.chats.set(chatId, chat);
    }
    const ls = this.listeners.get(chatId);
    for (const message of messages) {
      const entry: TranscriptEntry = { chatId, seq: ++this.seq, via, message, at };
      chat.push(entry);
      if (ls !== undefined) for (const l of ls) l({ kind: 'message', entry });
    }
    if (chat.length > MAX_PER_CHAT) chat.splice(0, chat.length - MAX_PER_CHAT);
  }

  loading(chatId: string, seconds: number): void {
    const ls = this.listeners.get(chatId);
    if (ls !== undefined) for (const l of ls) l({ kind: 'loading', chatId, seconds });
  }

  /** The chat's entries after a stream position (seq). */
  entries(chatId: string, afterSeq = 0): TranscriptEntry[] {
    const all = this.chats.get(chatId) ?? [];
    return afterSeq > 0 ? all.filter((e) => e.seq > afterSeq) : [...all];
  }

  delivered(chatId: string): DeliveredMessage[] {
    return this.entries(chatId).map(({ via, message, at }) => ({ via, message, at }));
  }

  subscribe(chatId: string, listener: (a: ChatActivity) => void): () => void {
    let set = this.listeners.get(chatId);
    if (set === undefined) this.listeners.set(chatId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(chatId);
    };
  }
}
