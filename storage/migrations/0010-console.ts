import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officer console's live work: who took which handoff (handoff_claim, one row per handoff, so a second claim
 * fails on the primary key), what officers wrote into a chat (console_message; the citizen's side is already in
 * inbox_event), and each district's canned replies.
 */
export class Console1765000000000 implements MigrationInterface {
  name = 'Console1765000000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE handoff_claim (
      handoff_id BIGINT PRIMARY KEY REFERENCES handoff_request (id),
      officer_id BIGINT NOT NULL REFERENCES officer (id),
      claimed_at BIGINT NOT NULL,
      first_reply_at BIGINT,
      ended_at BIGINT,
      ended_reason VARCHAR(64)
    )`);
    await q.query(`CREATE TABLE console_message (
      id ${id},
      chat_id VARCHAR(64) NOT NULL,
      handoff_id BIGINT NOT NULL REFERENCES handoff_request (id),
      direction VARCHAR(8) NOT NULL,
      officer_id BIGINT NOT NULL REFERENCES officer (id),
      text TEXT NOT NULL,
      at BIGINT NOT NULL
    )`);
    await q.query(`CREATE INDEX console_message_handoff ON console_message (handoff_id, id)`);
    await q.query(`CREATE TABLE canned_reply (
      id ${id},
      district_code VARCHAR(4) NOT NULL,
      title VARCHAR(200) NOT NULL,
      text_th TEXT NOT NULL,
      text_en TEXT NOT NULL,
      created_by BIGINT NOT NULL REFERENCES officer (id),
      created_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE INDEX canned_reply_district ON canned_reply (district_code, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['canned_reply', 'console_message', 'handoff_claim']) await q.query(`DROP TABLE ${t}`);
  }
}
