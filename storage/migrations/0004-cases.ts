import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizens, their cases and everything that happens to a case. National ID and phone numbers are stored only
 * encrypted (AES-256-GCM, `*_enc`), with a keyed hash (`*_hash`) where a lookup needs one; free text that has
 * such a number typed into it is kept masked, its original encrypted beside it (`free_text_enc`, `note_enc`). A case's timeline
 * (case_event) is append-only; `public` says whether the citizen sees an event. Attachments keep their bytes in
 * the database so every server process of a deployment shares them.
 */
export class Cases1764400000000 implements MigrationInterface {
  name = 'Cases1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    const bool = pg ? 'BOOLEAN' : 'INTEGER';
    const bytes = pg ? 'BYTEA' : 'BLOB';
    await q.query(`CREATE TABLE citizen (
      id ${id},
      line_user_id VARCHAR(64) NOT NULL,
      locale VARCHAR(8) NOT NULL,
      display_name VARCHAR(200),
      picture_url VARCHAR(500),
      first_seen_at BIGINT NOT NULL,
      last_seen_at BIGINT NOT NULL,
      privacy_notice_at BIGINT
    )`);
    await q.query(`CREATE UNIQUE INDEX citizen_line_user ON citizen (line_user_id)`);

    await q.query(`CREATE TABLE cases (
      id ${id},
      tracking_number VARCHAR(32) NOT NULL,
      citizen_id BIGINT REFERENCES citizen (id),
      channel VARCHAR(16) NOT NULL,
      category VARCHAR(32) NOT NULL,
      status VARCHAR(16) NOT NULL,
      confidential ${bool} NOT NULL,
      royal_petition ${bool} NOT NULL,
      anonymous ${bool} NOT NULL,
      sensitive_consent ${bool},
      story TEXT NOT NULL,
      free_text_enc TEXT,
      occurred_on VARCHAR(10),
      location TEXT,
      province_code VARCHAR(2),
      district_code VARCHAR(4),
      subdistrict_code VARCHAR(6),
      subject TEXT,
      request TEXT,
      complainant_name VARCHAR(200),
      address TEXT,
      phone_enc TEXT,
      phone_hash VARCHAR(64),
      phone_last4 VARCHAR(4),
      national_id_enc TEXT,
      national_id_hash VARCHAR(64),
      flow_id VARCHAR(64),
      flow_version INTEGER,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      due_at BIGINT NOT NULL,
      last_public_update_at BIGINT NOT NULL,
      closed_at BIGINT,
      close_reason VARCHAR(64),
      reopen_count INTEGER NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE UNIQUE INDEX cases_tracking_number ON cases (tracking_number)`);
    await q.query(`CREATE INDEX cases_citizen ON cases (citizen_id, created_at)`);
    await q.query(`CREATE INDEX cases_district_status ON cases (district_code, status)`);
    await q.query(`CREATE INDEX cases_phone_hash ON cases (phone_hash)`);
    await q.query(`CREATE INDEX cases_national_id_hash ON cases (national_id_hash)`);

    await q.query(`CREATE TABLE case_event (
      id ${id},
      case_id BIGINT NOT NULL REFERENCES cases (id),
      at BIGINT NOT NULL,
      actor_type VARCHAR(16) NOT NULL,
      actor_id VARCHAR(64),
      kind VARCHAR(32) NOT NULL,
      status_from VARCHAR(16),
      status_to VARCHAR(16),
      note TEXT,
      note_enc TEXT,
      public ${bool} NOT NULL,
      notified_at BIGINT
    )`);
    await q.query(`CREATE INDEX case_event_case ON case_event (case_id, id)`);

    await q.query(`CREATE TABLE attachment (
      id ${id},
      case_id BIGINT NOT NULL REFERENCES cases (id),
      case_event_id BIGINT REFERENCES case_event (id),
      line_message_id VARCHAR(32),
      media_type VARCHAR(16) NOT NULL,
      content_type VARCHAR(128) NOT NULL,
      file_name VARCHAR(255),
      size INTEGER NOT NULL,
      sha256 VARCHAR(64) NOT NULL,
      bytes ${bytes} NOT NULL,
      created_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE INDEX attachment_case ON attachment (case_id)`);

    await q.query(`CREATE TABLE survey_response (
      id ${id},
      case_id BIGINT REFERENCES cases (id),
      chat_id VARCHAR(64) NOT NULL,
      subject VARCHAR(16) NOT NULL,
      rating INTEGER NOT NULL,
      comment TEXT,
      at BIGINT NOT NULL
    )`);

    await q.query(`CREATE TABLE track_attempt (
      line_user_id VARCHAR(64) PRIMARY KEY,
      failures INTEGER NOT NULL,
      locked_until BIGINT,
      updated_at BIGINT NOT NULL
    )`);

    await q.query(`CREATE TABLE data_request (
      id ${id},
      citizen_id BIGINT NOT NULL REFERENCES citizen (id),
      kind VARCHAR(16) NOT NULL,
      status VARCHAR(16) NOT NULL,
      token_hash VARCHAR(64),
      expires_at BIGINT,
      requested_at BIGINT NOT NULL,
      decided_at BIGINT,
      decided_by VARCHAR(64),
      decision_note TEXT
    )`);
    await q.query(`CREATE INDEX data_request_token ON data_request (token_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['data_request', 'track_attempt', 'survey_response', 'attachment', 'case_event', 'cases', 'citizen']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
