import type { Logger } from './logger';
import { watchInHand } from './metrics';

export interface ClaimLoopOptions<Row extends { id: number }> {
  name: string;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  /**
   * The least time between the starts of two claims (default 0). A claim is one query that costs about 0.1-0.2 ms
   * of the event loop whatever it finds; woken for every stored item, a busy loop would claim one or two items at a
   * time. A wake-up sooner than this waits, and the claim takes what arrived meanwhile. An idle loop claims at once.
   */
  claimGapMs?: number;
  logger: Logger;
  claim(limit: number): Promise<Row[]>;
  handle(row: Row): Promise<void>;
  renew(ids: number[]): Promise<void>;
  release(): Promise<void>;
}

/**
 * The claim gap of the queues fed by every webhook event (the inbox worker, the outbox sender), by database. On
 * SQLite, measured under the benchmark's traffic, claiming on every wake-up took 0.14 ms of the event loop per event
 * in queries that found one or two rows; with 3 ms between claims a claim takes a few, for at most 3 ms more before
 * an answer. On PostgreSQL a claim costs the database about 1 ms (planned afresh each time), on the same cores as
 * everything else in a small deployment: 20 ms between claims.
 */
export const EVENT_QUEUE_CLAIM_GAP_MS = { sqlite: 3, postgres: 20 } as const;

/**
 * Claims work items and handles up to `concurrency` of them at once, each on its own: one item's failure is its
 * handler's business and never stops the loop. Sleeps until woken (new work was stored) or the poll interval
 * passes (work from another process, retries coming due, expired leases of a crashed worker).
 */
export class ClaimLoop<Row extends { id: number }> {
  private readonly inFlight = new Map<number, Promise<void>>();
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private renewTimer: NodeJS.Timeout | null = null;
  private lastClaimStart = -Infinity;
  private unwatch: (() => void) | null = null;
  lastClaimAt = 0;

  constructor(private readonly o: ClaimLoopOptions<Row>) {}

  get running(): boolean {
    return this.loop !== null && !this.stopping;
  }

  get busy(): number {
    return this.inFlight.size;
  }

  start(): void {
    if (this.loop) return;
    this.renewTimer = setInterval(() => {
      const ids = [...this.inFlight.keys()];
      if (ids.length) this.o.renew(ids).catch((err) => this.o.logger.warn({ err, loop: this.o.name }, 'lease renewal failed'));
    }, Math.max(500, Math.floor(this.o.leaseMs / 3)));
    this.renewTimer.unref();
    this.unwatch = watchInHand(this.o.name, () => this.inFlight.size);
    this.loop = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Handles an item this worker already holds (stored claimed, with its lease, by the code that queued it) as if the
   * loop had claimed it: counted in flight, its lease renewed, given back at stop. False when stopping: the caller
   * leaves it, and its lease expires (or the stop's release gives it back).
   */
  adopt(row: Row, handle: () => Promise<void> = () => this.o.handle(row)): boolean {
    if (!this.loop || this.stopping) return false;
    this.track(row, handle);
    return true;
  }

  /** Stops claiming, lets items in hand finish (up to timeoutMs), then gives back whatever is still held. */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.wake();
    await this.loop;
    await Promise.race([Promise.allSettled(this.inFlight.values()), sleep(timeoutMs)]);
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.unwatch?.();
    await this.o.release().catch((err) => this.o.logger.warn({ err, loop: this.o.name }, 'release failed'));
    this.loop = null;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const gap = this.lastClaimStart + (this.o.claimGapMs ?? 0) - performance.now();
      if (gap > 0 && this.inFlight.size < this.o.concurrency) await sleep(gap);
      if (this.stopping) break;
      const free = this.o.concurrency - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        this.lastClaimStart = performance.now();
        this.woken = false;
        try {
          const rows = await this.o.claim(free);
          this.lastClaimAt = Date.now();
          claimed = rows.length;
          for (const row of rows) this.track(row);
        } catch (err) {
          this.o.logger.error({ err, loop: this.o.name }, 'claim failed; retrying after a pause');
          await sleep(this.o.pollMs);
        }
      }
      // Full batch and room left: claim again at once. Otherwise wait for a wake-up or the poll.
      if (this.stopping || (claimed > 0 && claimed === free && this.inFlight.size < this.o.concurrency)) continue;
      if (this.woken && this.inFlight.size < this.o.concurrency) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.o.pollMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakeUp = done;
      });
      this.wakeUp = null;
    }
  }

  private track(row: Row, handle: () => Promise<void> = () => this.o.handle(row)): void {
    const p = handle()
      .catch((err) => this.o.logger.error({ err, loop: this.o.name, id: row.id }, 'handler threw'))
      .finally(() => {
        this.inFlight.delete(row.id);
        // Finishing an item may make the next item of the same chat due.
        this.wake();
      });
    this.inFlight.set(row.id, p);
  }
}

/** A service driven by one ClaimLoop: the inbox worker and the outbox sender start, wake and stop alike. */
export abstract class LoopService<Row extends { id: number }> {
  protected abstract readonly loop: ClaimLoop<Row>;

  get running(): boolean {
    return this.loop.running;
  }

  start(): void {
    this.loop.start();
  }

  /** New work was stored: look now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  stop(timeoutMs: number): Promise<void> {
    return this.loop.stop(timeoutMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
