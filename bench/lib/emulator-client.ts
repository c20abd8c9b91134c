/** The emulator's control API (emulator/control-routes.ts), as the benchmark uses it. */
import type { RecordedCall } from '../../emulator/types';

export class EmulatorClient {
  constructor(readonly url: string) {}

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`emulator ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Forgets recorded calls and injected faults: each phase starts from a clean emulator. */
  async reset(): Promise<void> {
    await this.json('DELETE', '/emulator/calls');
    await this.json('DELETE', '/emulator/faults');
  }

  async mintReplyTokens(chatId: string, count: number): Promise<string[]> {
    const r = await this.json<{ tokens: string[] }>('POST', '/emulator/reply-tokens', { chatId, count });
    return r.tokens;
  }

  /**
   * Mints one valid reply token per event, each for its event's chat, `parallel` control calls at a time
   * (one call per chat with that chat's count).
   */
  async mintForEvents(userOfEvent: readonly string[], parallel = 16): Promise<string[]> {
    const byUser = new Map<string, number[]>();
    userOfEvent.forEach((u, i) => {
      let list = byUser.get(u);
      if (!list) byUser.set(u, (list = []));
      list.push(i);
    });
    const tokens = new Array<string>(userOfEvent.length);
    const work = [...byUser.entries()];
    let next = 0;
    const runner = async () => {
      while (next < work.length) {
        const [user, indexes] = work[next++]!;
        for (let off = 0; off < indexes.length; off += 100_000) {
          const chunk = indexes.slice(off, off + 100_000);
          const minted = await this.mintReplyTokens(user, chunk.length);
          chunk.forEach((idx, k) => (tokens[idx] = minted[k]!));
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, runner));
    return tokens;
  }

  /** LINE profiles for these users (name and language, as GET /v2/bot/profile answers them), `parallel` calls at a time. */
  async addUsers(userIds: readonly string[], parallel = 16): Promise<void> {
    let next = 0;
    const runner = async () => {
      while (next < userIds.length) {
        const userId = userIds[next++]!;
        await this.json('POST', '/emulator/users', { userId, displayName: `ผู้ใช้ ${userId.slice(1, 7)}`, language: 'th' });
      }
    };
    await Promise.all(Array.from({ length: parallel }, runner));
  }

  /** Calls recorded after `since` (a seq), optionally of one endpoint. */
  calls(since: number, endpoint?: RecordedCall['endpoint']): Promise<RecordedCall[]> {
    const q = new URLSearchParams({ since: String(since) });
    if (endpoint) q.set('endpoint', endpoint);
    return this.json<RecordedCall[]>('GET', `/emulator/calls?${q}`);
  }
}
