/** X-Line-Retry-Key: a push accepted under a key is answered 409 (and not sent again) for 24 hours. */
export interface AcceptedPush {
  requestId: string;
  sentMessages: unknown[];
  acceptedAt: number;
}

const RETENTION_MS = 24 * 60 * 60 * 1000;

export class RetryKeyStore {
  private readonly accepted = new Map<string, AcceptedPush>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(Date.now()), 10 * 60 * 1000);
    this.sweeper.unref();
  }

  /** Keys compare case-insensitively: a UUID is the same UUID in either case. */
  get(key: string, now: number = Date.now()): AcceptedPush | undefined {
    const a = this.accepted.get(key.toLowerCase());
    return a !== undefined && now - a.acceptedAt <= RETENTION_MS ? a : undefined;
  }

  accept(key: string, push: AcceptedPush): void {
    this.accepted.set(key.toLowerCase(), push);
  }

  sweep(now: number): void {
    for (const [k, a] of this.accepted) if (now - a.acceptedAt > RETENTION_MS) this.accepted.delete(k);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
