import type { Database } from '../storage/database';
import type { LineApi } from '../line/api';
import type { Logger } from '../runtime/logger';
import { collectProcessMetrics, metrics } from '../runtime/metrics';
import { queueDepths } from './queues';

export interface MetricsCollectorOptions {
  db: Database;
  line: LineApi;
  logger: Logger;
  /** How often the queues are counted; a scrape reads the last count and never queries. */
  queuesEveryMs?: number;
  /** How often LINE is asked for the month's quota and use: it changes slowly and each ask is a call to LINE. */
  quotaEveryMs?: number;
  now?: () => number;
}

/**
 * Reads what the code cannot count as it goes: the depths and ages of the work queues (a query over the open
 * rows) and the month's LINE message quota (two calls to LINE), on timers. A failed read is logged and tried at
 * the next tick; the gauges keep their last values.
 */
export class MetricsCollector {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;

  constructor(private readonly o: MetricsCollectorOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    collectProcessMetrics();
    const every = (ms: number, fn: () => Promise<void>) => {
      void fn();
      const t = setInterval(() => void fn(), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.o.queuesEveryMs ?? 15_000, () => this.countQueues());
    every(this.o.quotaEveryMs ?? 10 * 60_000, () => this.readQuota());
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  /** Counts the queues now (also what a test calls instead of waiting for the timer). */
  async countQueues(): Promise<void> {
    try {
      for (const d of await queueDepths(this.o.db, this.now())) {
        metrics.queueItems.set({ queue: d.queue, state: 'waiting' }, d.waiting);
        metrics.queueItems.set({ queue: d.queue, state: 'in_hand' }, d.inHand);
        metrics.queueItems.set({ queue: d.queue, state: 'failed' }, d.failed);
        metrics.queueOldest.set({ queue: d.queue }, d.oldestMs / 1000);
      }
    } catch (err) {
      this.o.logger.warn({ err }, 'metrics: the queues could not be counted');
    }
  }

  /** Asks LINE for the month's quota and use. */
  async readQuota(): Promise<void> {
    try {
      const [quota, used] = await Promise.all([this.o.line.messageQuota(), this.o.line.messageQuotaUsed()]);
      metrics.lineQuota.set(quota ?? -1);
      metrics.lineQuotaUsed.set(used);
    } catch (err) {
      this.o.logger.warn({ err }, 'metrics: the LINE message quota could not be read');
    }
  }
}
