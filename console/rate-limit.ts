/**
 * A fixed-window rate limiter in memory: at most `limit` hits per key per window. One process's view only,
 * which is enough to blunt runaway clients; password guessing is met by the sign-in back-off
 * (console/auth/login-backoff.ts), counted per source so that it can never lock the real officer out.
 */
export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
  /** Keys remembered at most; past it the oldest windows are forgotten first (bounded memory under a flood). */
  maxKeys?: number;
}

export type RateLimitResult = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly o: RateLimitOptions) {
    this.now = o.now ?? Date.now;
    this.maxKeys = o.maxKeys ?? 100_000;
  }

  hit(key: string): RateLimitResult {
    const at = this.now();
    let w = this.windows.get(key);
    if (!w || at - w.start >= this.o.windowMs) {
      if (w) this.windows.delete(key);
      this.evict(at);
      w = { start: at, count: 0 };
      this.windows.set(key, w); // Map order is insertion order: oldest windows first
    }
    w.count++;
    if (w.count > this.o.limit) return { ok: false, retryAfterMs: w.start + this.o.windowMs - at };
    return { ok: true, remaining: this.o.limit - w.count };
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private evict(at: number): void {
    for (const [k, w] of this.windows) {
      if (this.windows.size < this.maxKeys && at - w.start < this.o.windowMs) break;
      this.windows.delete(k);
    }
  }
}
