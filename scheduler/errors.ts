/** A job that cannot be stored as asked: the caller's mistake, found before anything is written. */
export class InvalidJobError extends Error {
  constructor(
    readonly field: 'kind' | 'key' | 'runAt',
    readonly value: unknown,
    reason: string,
  ) {
    super(`invalid job ${field} ${JSON.stringify(value)}: ${reason}`);
    this.name = 'InvalidJobError';
  }
}

/** A kind registered twice: two handlers for one kind would make which one runs depend on start-up order. */
export class DuplicateHandlerError extends Error {
  constructor(readonly kind: string) {
    super(`a handler for job kind "${kind}" is already registered`);
    this.name = 'DuplicateHandlerError';
  }
}

/**
 * A due job whose kind this process has no handler for. Recorded as the job's error and retried like any failure,
 * so that during a rolling deploy a newer process can still take a kind an older one does not know; parked as
 * failed after the last attempt.
 */
export class UnknownJobKindError extends Error {
  constructor(
    readonly kind: string,
    readonly registered: readonly string[],
  ) {
    super(
      `no handler for job kind "${kind}" (registered: ${registered.length ? registered.join(', ') : 'none'}); ` +
        'register one with scheduler.register() before start()',
    );
    this.name = 'UnknownJobKindError';
  }
}

/**
 * The worker no longer holds the job: its lease expired and another worker took it, or the job was rescheduled
 * or cancelled meanwhile. The attempt's transaction is rolled back and nothing is recorded against the job.
 */
export class JobLeaseLostError extends Error {
  constructor(
    readonly jobId: number,
    readonly workerId: string,
  ) {
    super(`scheduled job ${jobId} is no longer held by ${workerId} (lease taken over, rescheduled or cancelled)`);
    this.name = 'JobLeaseLostError';
  }
}

/**
 * A job claimed more times than it may be tried without any attempt recording an outcome: each worker that took it
 * stopped or crashed while it ran (a handler that kills its process, say). Parked rather than run again.
 */
export class JobAbandonedError extends Error {
  constructor(readonly attempts: number) {
    super(`the job's lease expired ${attempts - 1} times without an outcome (its workers stopped or crashed while running it)`);
    this.name = 'JobAbandonedError';
  }
}
