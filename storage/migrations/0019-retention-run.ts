import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention purge (privacy/retention.ts) keeps a record of every run, dry or not: when, why (the daily schedule,
 * the command, an admin in the console), the clock its ages were measured from (`as_of`), the settings it used, and
 * what it erased of each kind (`counts`, JSON). An unfinished run keeps where it goes on (`next_step`, JSON), so a run
 * carried out in many small transactions survives a restart, and when it last went on (`progress_at`): one that has
 * not for a while was stopped (a command killed), and no longer holds back a run from the console. Counts only: a run's record names no one.
 *
 * Four indexes for the purge and for erasure by chat (privacy/erase.ts): finding a chat's inbox events by time
 * (also whether a citizen wrote lately), its outbox messages (unlinking a chat), its photos and files, and whether
 * a photo is a case's evidence. Without them each of those is a scan of a whole table per chat or per photo.
 */
export class RetentionRun1765900000000 implements MigrationInterface {
  name = 'RetentionRun1765900000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    const bool = pg ? 'BOOLEAN' : 'INTEGER';
    await q.query(`CREATE TABLE retention_run (
      id ${id},
      run_trigger VARCHAR(16) NOT NULL CHECK (run_trigger IN ('schedule', 'command', 'console')),
      dry_run ${bool} NOT NULL,
      as_of BIGINT NOT NULL,
      started_at BIGINT NOT NULL,
      finished_at BIGINT,
      requested_by VARCHAR(64),
      policy TEXT NOT NULL,
      counts TEXT NOT NULL,
      next_step TEXT,
      progress_at BIGINT NOT NULL,
      error TEXT
    )`);
    await q.query('CREATE INDEX retention_run_started ON retention_run (started_at, id)');
    await q.query('CREATE INDEX inbox_event_chat_received ON inbox_event (chat_id, received_at)');
    await q.query('CREATE INDEX outbox_message_chat ON outbox_message (chat_id, id)');
    await q.query('CREATE INDEX line_content_chat ON line_content (chat_id, fetched_at)');
    await q.query('CREATE INDEX attachment_line_message ON attachment (line_message_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX attachment_line_message');
    await q.query('DROP INDEX line_content_chat');
    await q.query('DROP INDEX outbox_message_chat');
    await q.query('DROP INDEX inbox_event_chat_received');
    await q.query('DROP TABLE retention_run');
  }
}
