/** Injected faults, consumed in order: a call takes the first queued fault for its endpoint (or '*'). */
import type { Endpoint, Fault } from './types';

export class InvalidFaultError extends Error {
  override readonly name = 'InvalidFaultError';
  constructor(
    message: string,
    readonly fault: unknown,
  ) {
    super(message);
  }
}

const ENDPOINTS = new Set<string>(['reply', 'push', 'loading', 'profile', 'content', 'richmenu', 'other', '*']);

interface Queued {
  fault: Fault;
  remaining: number;
}

export class FaultQueue {
  private queue: Queued[] = [];

  inject(fault: Fault): void {
    if (!ENDPOINTS.has(fault.endpoint)) throw new InvalidFaultError(`unknown endpoint '${fault.endpoint}'`, fault);
    if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
      throw new InvalidFaultError(`status must be an HTTP status, got ${fault.status}`, fault);
    }
    const count = fault.count ?? 1;
    if (!(count === Infinity || (Number.isInteger(count) && count > 0))) {
      throw new InvalidFaultError(`count must be a positive integer or Infinity, got ${count}`, fault);
    }
    if (fault.latencyMs !== undefined && !(fault.latencyMs >= 0 && Number.isFinite(fault.latencyMs))) {
      throw new InvalidFaultError(`latencyMs must be a non-negative number, got ${fault.latencyMs}`, fault);
    }
    this.queue.push({ fault: { ...fault }, remaining: count });
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault that applies to this call, if any, counting it as used. */
  take(endpoint: Endpoint): Fault | undefined {
    if (this.queue.length === 0) return undefined; // the hot path: nothing injected
    const i = this.queue.findIndex((q) => q.fault.endpoint === endpoint || q.fault.endpoint === '*');
    if (i < 0) return undefined;
    const q = this.queue[i]!;
    q.remaining -= 1;
    if (q.remaining <= 0) this.queue.splice(i, 1);
    return q.fault;
  }
}
