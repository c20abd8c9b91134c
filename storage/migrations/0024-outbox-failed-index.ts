import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox's parked messages, indexed as the other queues' are (inbox_event_failed, notification_failed,
 * scheduled_job_failed): /metrics counts them every 15 seconds (metrics/queues.ts), and without the index that count
 * read the whole table, which keeps every message ever sent (their metadata, for the record). On SQLite it runs on
 * the event loop: at the benchmark's 150,000 rows it held the loop for tens of milliseconds, and a district's table
 * only grows.
 */
export class OutboxFailedIndex1766400000000 implements MigrationInterface {
  name = 'OutboxFailedIndex1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_message_failed ON outbox_message (created_at) WHERE status = 'failed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_message_failed');
  }
}
