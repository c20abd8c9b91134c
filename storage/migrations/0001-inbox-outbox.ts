import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook inbox, the message outbox and fetched LINE content. Written per engine: the partial indexes are
 * what keep "the oldest unfinished event of each chat" cheap to find at thousands of events a second.
 */
export class InboxOutbox1764100000000 implements MigrationInterface {
  name = 'InboxOutbox1764100000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    const bool = pg ? 'BOOLEAN' : 'INTEGER';
    const bytes = pg ? 'BYTEA' : 'BLOB';
    await q.query(`CREATE TABLE inbox_event (
      id ${id},
      webhook_event_id VARCHAR(64) NOT NULL,
      destination VARCHAR(64),
      chat_id VARCHAR(64) NOT NULL,
      event_type VARCHAR(40) NOT NULL,
      message_type VARCHAR(40),
      mode VARCHAR(16) NOT NULL,
      is_redelivery ${bool} NOT NULL,
      payload TEXT NOT NULL,
      event_timestamp BIGINT NOT NULL,
      received_at BIGINT NOT NULL,
      status VARCHAR(16) NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT NOT NULL,
      locked_by VARCHAR(64),
      locked_until BIGINT,
      last_error TEXT,
      finished_at BIGINT
    )`);
    await q.query(`CREATE UNIQUE INDEX inbox_event_webhook_event_id ON inbox_event (webhook_event_id)`);
    await q.query(
      `CREATE INDEX inbox_event_open_by_chat ON inbox_event (chat_id, id) WHERE status IN ('pending', 'processing')`,
    );
    await q.query(`CREATE INDEX inbox_event_open ON inbox_event (id) WHERE status IN ('pending', 'processing')`);
    await q.query(`CREATE INDEX inbox_event_failed ON inbox_event (received_at) WHERE status = 'failed'`);

    await q.query(`CREATE TABLE outbox_message (
      id ${id},
      chat_id VARCHAR(64) NOT NULL,
      inbox_event_id BIGINT,
      reply_token VARCHAR(255),
      reply_deadline BIGINT,
      messages TEXT NOT NULL,
      retry_key VARCHAR(36) NOT NULL,
      status VARCHAR(16) NOT NULL,
      via VARCHAR(8),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT NOT NULL,
      locked_by VARCHAR(64),
      locked_until BIGINT,
      last_status INTEGER,
      last_error TEXT,
      line_request_id VARCHAR(64),
      created_at BIGINT NOT NULL,
      sent_at BIGINT
    )`);
    await q.query(
      `CREATE INDEX outbox_message_open_by_chat ON outbox_message (chat_id, id) WHERE status IN ('pending', 'sending')`,
    );
    await q.query(`CREATE INDEX outbox_message_open ON outbox_message (id) WHERE status IN ('pending', 'sending')`);
    await q.query(`CREATE INDEX outbox_message_event ON outbox_message (inbox_event_id)`);

    await q.query(`CREATE TABLE line_content (
      message_id VARCHAR(32) PRIMARY KEY,
      chat_id VARCHAR(64) NOT NULL,
      content_type VARCHAR(128) NOT NULL,
      size INTEGER NOT NULL,
      sha256 VARCHAR(64) NOT NULL,
      bytes ${bytes} NOT NULL,
      fetched_at BIGINT NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE line_content');
    await q.query('DROP TABLE outbox_message');
    await q.query('DROP TABLE inbox_event');
  }
}
