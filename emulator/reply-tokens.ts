/**
 * Reply tokens: single use, valid for about a minute, each bound to the chat (user, group or room) it was issued
 * in, so a reply reaches the chat the event came from.
 */
import { newReplyToken } from './ids';

interface Issued {
  chatId: string;
  issuedAt: number;
}

export class ReplyTokenStore {
  private readonly tokens = new Map<string, Issued>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ttlMs: number) {
    // Expired and unknown tokens get the same answer, so forgetting expired ones keeps memory flat under load.
    this.sweeper = setInterval(() => this.sweep(Date.now()), Math.max(1000, Math.min(ttlMs, 60_000)));
    this.sweeper.unref();
  }

  mint(chatId: string, issuedAt: number = Date.now()): string {
    const token = newReplyToken();
    this.tokens.set(token, { chatId, issuedAt });
    return token;
  }

  /** The chat a token replies to, if it is still valid; does not consume it. */
  chatFor(token: string, now: number = Date.now()): string | undefined {
    const t = this.tokens.get(token);
    if (t === undefined || now - t.issuedAt > this.ttlMs) return undefined;
    return t.chatId;
  }

  consume(token: string): void {
    this.tokens.delete(token);
  }

  sweep(now: number): void {
    for (const [token, t] of this.tokens) if (now - t.issuedAt > this.ttlMs) this.tokens.delete(token);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
