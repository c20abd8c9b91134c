import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure leaves a mark where the data was: when a case's personal data was erased (a deletion request, or the end
 * of retention), when a citizen's profile was, and when a handoff's chat was. The rows stay, so the counts of the
 * reports do not change; what they held is gone. A data request keeps what was done about it (`outcome`, JSON: what
 * was erased, what was kept and until when), so the supervisor and the citizen read the same account.
 *
 * intake_submission goes: nothing has written or read it since the intake.submit action was removed, and what it
 * holds from before is a flow's answers in plain text.
 */
export class PersonalDataErased1765700000000 implements MigrationInterface {
  name = 'PersonalDataErased1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE cases ADD COLUMN personal_erased_at BIGINT');
    await q.query('ALTER TABLE citizen ADD COLUMN erased_at BIGINT');
    await q.query('ALTER TABLE handoff_request ADD COLUMN chat_erased_at BIGINT');
    await q.query('ALTER TABLE data_request ADD COLUMN outcome TEXT');
    await q.query('CREATE INDEX data_request_open ON data_request (kind, status, requested_at)');
    await q.query('DROP TABLE intake_submission');
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    await q.query(`CREATE TABLE intake_submission (
      id ${pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
      chat_id VARCHAR(64) NOT NULL,
      inbox_event_id BIGINT NOT NULL,
      flow_id VARCHAR(64) NOT NULL,
      flow_version INTEGER NOT NULL,
      answers TEXT NOT NULL,
      created_at BIGINT NOT NULL
    )`);
    await q.query('CREATE UNIQUE INDEX intake_submission_event ON intake_submission (inbox_event_id)');
    await q.query('DROP INDEX data_request_open');
    await q.query('ALTER TABLE data_request DROP COLUMN outcome');
    await q.query('ALTER TABLE handoff_request DROP COLUMN chat_erased_at');
    await q.query('ALTER TABLE citizen DROP COLUMN erased_at');
    await q.query('ALTER TABLE cases DROP COLUMN personal_erased_at');
  }
}
