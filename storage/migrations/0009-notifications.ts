import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Officer notifications (notify/): where each district is told (district_target), the one-time codes that bind a
 * LINE group to a district (group_binding_code, only a hash of the code), the groups the bot is in (line_group:
 * when a refusal was last said, wrong codes tried), and an outbox of notifications, one row per event and target,
 * unique by (event, subject, target) so an event queued twice is sent once.
 */
export class Notifications1764900000000 implements MigrationInterface {
  name = 'Notifications1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    const bool = pg ? 'BOOLEAN' : 'INTEGER';
    await q.query(`CREATE TABLE district_target (
      id ${id},
      district_code VARCHAR(4) NOT NULL,
      kind VARCHAR(16) NOT NULL,
      address VARCHAR(500) NOT NULL,
      secret_enc TEXT,
      active ${bool} NOT NULL,
      created_at BIGINT NOT NULL,
      created_by VARCHAR(128) NOT NULL,
      updated_at BIGINT NOT NULL,
      updated_by VARCHAR(128) NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX district_target_address ON district_target (district_code, kind, address)`);
    await q.query(`CREATE INDEX district_target_by_address ON district_target (kind, address)`);

    await q.query(`CREATE TABLE group_binding_code (
      id ${id},
      code_hash VARCHAR(64) NOT NULL,
      district_code VARCHAR(4) NOT NULL,
      expires_at BIGINT NOT NULL,
      used_at BIGINT,
      used_by_group VARCHAR(64),
      created_at BIGINT NOT NULL,
      created_by VARCHAR(128) NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX group_binding_code_hash ON group_binding_code (code_hash)`);

    await q.query(`CREATE TABLE line_group (
      group_id VARCHAR(64) PRIMARY KEY,
      joined_at BIGINT,
      left_at BIGINT,
      last_refusal_at BIGINT,
      wrong_codes INTEGER NOT NULL DEFAULT 0,
      wrong_codes_since BIGINT
    )`);

    await q.query(`CREATE TABLE notification (
      id ${id},
      district_code VARCHAR(4) NOT NULL,
      event VARCHAR(32) NOT NULL,
      subject_key VARCHAR(128) NOT NULL,
      payload TEXT NOT NULL,
      target_id BIGINT NOT NULL REFERENCES district_target (id),
      target_kind VARCHAR(16) NOT NULL,
      target VARCHAR(500) NOT NULL,
      retry_key VARCHAR(36) NOT NULL,
      status VARCHAR(16) NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT NOT NULL,
      locked_by VARCHAR(128),
      locked_until BIGINT,
      last_error TEXT,
      created_at BIGINT NOT NULL,
      sent_at BIGINT
    )`);
    await q.query(`CREATE UNIQUE INDEX notification_once ON notification (event, subject_key, target_id)`);
    await q.query(`CREATE INDEX notification_open ON notification (next_attempt_at, id) WHERE status IN ('pending', 'sending')`);
    await q.query(`CREATE INDEX notification_failed ON notification (created_at) WHERE status = 'failed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notification');
    await q.query('DROP TABLE line_group');
    await q.query('DROP TABLE group_binding_code');
    await q.query('DROP TABLE district_target');
  }
}
