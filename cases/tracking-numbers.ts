/**
 * Hands out tracking numbers: unique and gapless per prefix and Buddhist year, because the sequence row is changed
 * by the same transaction that files the case. Two cases filed at once wait for each other on that row
 * (PostgreSQL's row lock; SQLite has one writer anyway); a transaction that rolls back gives its number back.
 * That wait is the price of "no gaps": a PostgreSQL SEQUENCE would not wait, and would lose numbers on rollback.
 */
import { formatTrackingNumber, yearBEOf } from '../domain/tracking-number';
import type { Tx } from '../storage/database';

export class TrackingSequenceError extends Error {
  constructor(
    readonly prefix: string,
    readonly yearBE: number,
  ) {
    super(`the tracking sequence of ${prefix} ${yearBE} returned no value`);
    this.name = 'TrackingSequenceError';
  }
}

/**
 * The next number of this prefix in the Buddhist year of `now` (Bangkok time), e.g. MDH-2569-000124-7. Call it
 * inside the transaction that inserts the case, and keep that transaction short: other filings wait for its end.
 */
export async function nextTrackingNumber(tx: Pick<Tx, 'query'>, prefix: string, now: number): Promise<string> {
  const yearBE = yearBEOf(now);
  return formatTrackingNumber({ prefix, yearBE, seq: await nextInSequence(tx, prefix, yearBE) });
}

/**
 * The next value of a gapless sequence per key and Buddhist year, under the same rules as tracking numbers: the
 * royal petitions' register numbers its entries with it (key `petition`), so no key may collide with a center's
 * prefix (2-5 capital letters).
 */
export async function nextInSequence(tx: Pick<Tx, 'query'>, key: string, yearBE: number): Promise<number> {
  // One statement on both engines, and one round trip: the first number of a year creates the row, every later
  // one increments it. On PostgreSQL, two transactions creating the same year's row at once are ordered by the
  // primary key (the second waits, then increments); the increment holds the row lock until commit.
  const [row] = await tx.query<{ last_value: number | string }>(
    `INSERT INTO tracking_sequence (prefix, year_be, last_value) VALUES ($1, $2, 1)
     ON CONFLICT (prefix, year_be) DO UPDATE SET last_value = tracking_sequence.last_value + 1
     RETURNING last_value`,
    [key, yearBE],
  );
  if (!row) throw new TrackingSequenceError(key, yearBE);
  return Number(row.last_value);
}
