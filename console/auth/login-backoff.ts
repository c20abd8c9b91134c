/**
 * Back-off after failed logins, per source, never per account. An account lock-out lets anyone who knows a
 * username keep its officer out, and answering "locked" tells that the username exists. Here failures are
 * counted per (username, client address) and per address, known usernames and unknown ones alike: past a few,
 * that source waits longer after each further failure (429 with Retry-After), while the officer signing in from
 * anywhere else is not held up at all. In memory, one process's view, like the sign-in rate limits beside it.
 */
export interface LoginBackoffOptions {
  now?: () => number;
  /** Failures of one username from one address before it must wait (default 5). */
  freePerUsername?: number;
  /** Failures from one address, whatever the usernames, before it must wait (default 20). */
  freePerAddress?: number;
  /** The first wait; each further failure doubles it (default 1 s). */
  baseDelayMs?: number;
  /** The longest wait (default 15 minutes). */
  maxDelayMs?: number;
  /** Failures are forgotten this long after the last one (default 1 hour). */
  forgetAfterMs?: number;
  /** Sources remembered at most; past it the oldest are forgotten first (bounded memory under a flood). */
  maxKeys?: number;
}

interface Failures {
  count: number;
  last: number;
}

export class LoginBackoff {
  private readonly failures = new Map<string, Failures>();
  private readonly now: () => number;
  private readonly o: Required<Omit<LoginBackoffOptions, 'now'>>;

  constructor(o: LoginBackoffOptions = {}) {
    this.now = o.now ?? Date.now;
    this.o = {
      freePerUsername: o.freePerUsername ?? 5,
      freePerAddress: o.freePerAddress ?? 20,
      baseDelayMs: o.baseDelayMs ?? 1000,
      maxDelayMs: o.maxDelayMs ?? 15 * 60_000,
      forgetAfterMs: o.forgetAfterMs ?? 60 * 60_000,
      maxKeys: o.maxKeys ?? 100_000,
    };
  }

  /** How long this source must still wait before its next try is looked at (0: go ahead). */
  waitMs(username: string, address: string): number {
    return Math.max(this.wait(pairKey(username, address), this.o.freePerUsername), this.wait(addressKey(address), this.o.freePerAddress));
  }

  failed(username: string, address: string): void {
    this.count(pairKey(username, address));
    this.count(addressKey(address));
  }

  /** A correct password clears that username's failures from that address (not the address's own count). */
  succeeded(username: string, address: string): void {
    this.failures.delete(pairKey(username, address));
  }

  private wait(key: string, free: number): number {
    const f = this.live(key);
    if (!f || f.count < free) return 0;
    const delay = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.min(30, f.count - free));
    return Math.max(0, f.last + delay - this.now());
  }

  private live(key: string): Failures | null {
    const f = this.failures.get(key);
    if (f && this.now() - f.last >= this.o.forgetAfterMs) {
      this.failures.delete(key);
      return null;
    }
    return f ?? null;
  }

  private count(key: string): void {
    const at = this.now();
    const f = this.live(key) ?? { count: 0, last: at };
    this.failures.delete(key); // re-inserted last: Map order is then least recently failed first
    this.failures.set(key, { count: f.count + 1, last: at });
    for (const k of this.failures.keys()) {
      if (this.failures.size <= this.o.maxKeys) break;
      this.failures.delete(k);
    }
  }
}

const pairKey = (username: string, address: string) => `u:${username.trim().toLowerCase()}\u0000${address}`;
const addressKey = (address: string) => `a:${address}`;
