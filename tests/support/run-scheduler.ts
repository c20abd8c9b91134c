/**
 * One Scheduler in a process of its own, for tests/scheduler.test.ts: two of these on one database must run each
 * due job exactly once between them. Its handler queues one outbox message per job, addressed to the job's key, so
 * the test counts what was done. Prints "ready" once claiming; on SIGTERM stops, closes the database and prints
 * `{"handled": n}`.
 *
 * env: DATABASE_URL, DB_SCHEMA (PostgreSQL), WORKER_ID, POLL_MS.
 */
import { Database } from '../../storage/database';
import { queueMessages, useOutboxCipher } from '../../storage/outbox';
import { DataCipher } from '../../storage/crypto';
import { createLogger } from '../../runtime/logger';
import { Scheduler } from '../../scheduler';

const workerId = process.env.WORKER_ID ?? `run-scheduler:${process.pid}`;
const db = await Database.open(process.env.DATABASE_URL!, { schema: process.env.DB_SCHEMA || undefined });
// Outbox bodies are stored encrypted: any key will do here, nothing reads them back.
useOutboxCipher(db, new DataCipher(Buffer.alloc(32, 5)));
let handled = 0;
const scheduler = new Scheduler({
  db,
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  workerId,
  pollMs: Number(process.env.POLL_MS ?? 25),
  concurrency: 4,
  // Counted after commit: an attempt that rolled back is not a job done.
  onJobDone: () => void handled++,
});
scheduler.register<{ n: number }>('mass', async (job, tx, ctx) => {
  await queueMessages(tx, { chatId: job.key, messages: [{ type: 'text', text: `งาน ${job.payload.n} โดย ${workerId}` }] }, ctx.now);
});
scheduler.start();
process.stdout.write('ready\n');

process.once('SIGTERM', () => {
  void (async () => {
    await scheduler.stop(5000);
    await db.close();
    process.stdout.write(`${JSON.stringify({ handled })}\n`);
    process.exit(0);
  })();
});
