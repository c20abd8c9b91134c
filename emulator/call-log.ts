/** Every API call, in arrival order of completion, bounded to the most recent ones. */
import type { RecordedCall } from './types';

export const MAX_RECORDED_CALLS = 200_000;

export class WaitForCallsTimeoutError extends Error {
  override readonly name = 'WaitForCallsTimeoutError';
  constructor(
    readonly timeoutMs: number,
    readonly calls: RecordedCall[],
  ) {
    super(`waitForCalls: predicate still false after ${timeoutMs} ms (${calls.length} calls recorded)`);
  }
}

interface Waiter {
  predicate: (c: RecordedCall[]) => boolean;
  resolve: (c: RecordedCall[]) => void;
}

export class CallLog {
  private entries: RecordedCall[] = [];
  private seq = 0;
  private readonly waiters = new Set<Waiter>();
  private checkScheduled = false;

  constructor(private readonly max: number = MAX_RECORDED_CALLS) {}

  record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    const entry = { seq: ++this.seq, ...call } as RecordedCall;
    this.entries.push(entry);
    // Trim in chunks so the bound costs O(1) amortised instead of a shift per call.
    if (this.entries.length > this.max + Math.ceil(this.max / 20)) this.entries = this.entries.slice(-this.max);
    if (this.waiters.size > 0) this.scheduleCheck();
    return entry;
  }

  list(filter?: { endpoint?: RecordedCall['endpoint']; since?: number }): RecordedCall[] {
    let from = 0;
    const since = filter?.since;
    if (since !== undefined && since > 0) {
      // seq grows with position, so binary-search the first entry after `since`.
      let lo = 0;
      let hi = this.entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.entries[mid]!.seq <= since) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    const start = Math.max(from, this.entries.length - this.max);
    const out = this.entries.slice(start);
    return filter?.endpoint === undefined ? out : out.filter((c) => c.endpoint === filter.endpoint);
  }

  clear(): void {
    this.entries = [];
  }

  waitFor(predicate: (c: RecordedCall[]) => boolean, timeoutMs: number): Promise<RecordedCall[]> {
    const now = this.list();
    if (predicate(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (c) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new WaitForCallsTimeoutError(timeoutMs, this.list()));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Predicates run once per burst of calls, not once per call. */
  private scheduleCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      const snapshot = this.list();
      for (const w of [...this.waiters]) if (w.predicate(snapshot)) w.resolve(snapshot);
    });
  }
}
