/**
 * What each chat (user, group or room) actually sees from the bot, in order, each message once. Subscribers (the
 * simulator's event streams) hear each message as it is delivered, and the loading animation when it starts.
 */
import type { DeliveredMessage } from './types';

export interface TranscriptEntry extends DeliveredMessage {
  /** Position in the chat, from 1: the simulator's stream resumes from it after a reconnect. */
  n: number;
}

export type ChatActivity = { kind: 'message'; entry: TranscriptEntry } | { kind: 'loading'; seconds: number };

const MAX_PER_CHAT = 5_000;
const MAX_CHATS = 100_000;

interface Chat {
  entries: TranscriptEntry[];
  count: number;
}

export class Transcripts {
  private readonly chats = new Map<string, Chat>();
  private readonly listeners = new Map<string, Set<(a: ChatActivity) => void>>();

  append(chatId: string, via: DeliveredMessage['via'], messages: readonly unknown[], at: number): void {
    let chat = this.chats.get(chatId);
    if (chat === undefined) {
      if (this.chats.size >= MAX_CHATS) {
        const oldest = this.chats.keys().next().value;
        if (oldest !== undefined) this.chats.delete(oldest);
      }
      chat = { entries: [], count: 0 };
      this.chats.set(chatId, chat);
    }
    const ls = this.listeners.get(chatId);
    for (const message of messages) {
      const entry: TranscriptEntry = { n: ++chat.count, via, message, at };
      chat.entries.push(entry);
      if (ls !== undefined) for (const l of ls) l({ kind: 'message', entry });
    }
    if (chat.entries.length > MAX_PER_CHAT) chat.entries.splice(0, chat.entries.length - MAX_PER_CHAT);
  }

  loading(chatId: string, seconds: number): void {
    const ls = this.listeners.get(chatId);
    if (ls !== undefined) for (const l of ls) l({ kind: 'loading', seconds });
  }

  entries(chatId: string, after = 0): TranscriptEntry[] {
    const all = this.chats.get(chatId)?.entries ?? [];
    return after > 0 ? all.filter((e) => e.n > after) : [...all];
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
