import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Officer accounts of the console, their sessions and the audit log (issue 5).
 *
 * - officer: a local account. An officer has a district (4-digit DOPA code), a supervisor a province (2 digits),
 *   an admin neither. password_hash is an argon2id PHC string; failed_logins counts wrong passwords since the last
 *   success or lock-out, locked_until (epoch ms) refuses logins until then. created_by is the creating admin's
 *   username, or 'cli' for the first admin.
 * - console_session: the id is the SHA-256 (hex) of the random token in the cookie, so a copy of the table opens
 *   no session. expires_at is the absolute end; idle expiry is computed from last_seen_at.
 * - audit_log: who looked at or changed what, and when. detail is JSON and never carries a national ID or phone
 *   number; target is a tracking number or an officer's username. officer_id is NULL only for the CLI.
 */
export class Officers1764800000000 implements MigrationInterface {
  name = 'Officers1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    const bool = pg ? 'BOOLEAN' : 'INTEGER';
    await q.query(`CREATE TABLE officer (
      id ${id},
      username VARCHAR(32) NOT NULL,
      display_name VARCHAR(100) NOT NULL,
      role VARCHAR(16) NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
      district_code VARCHAR(4),
      province_code VARCHAR(2),
      password_hash VARCHAR(255) NOT NULL,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until BIGINT,
      disabled ${bool} NOT NULL,
      created_at BIGINT NOT NULL,
      created_by VARCHAR(64) NOT NULL,
      last_login_at BIGINT
    )`);
    await q.query('CREATE UNIQUE INDEX officer_username ON officer (username)');

    await q.query(`CREATE TABLE console_session (
      id VARCHAR(64) PRIMARY KEY,
      officer_id BIGINT NOT NULL REFERENCES officer (id),
      csrf_token VARCHAR(64) NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      last_seen_at BIGINT NOT NULL,
      ip VARCHAR(64),
      user_agent VARCHAR(255)
    )`);
    await q.query('CREATE INDEX console_session_officer ON console_session (officer_id)');
    await q.query('CREATE INDEX console_session_expires ON console_session (expires_at)');

    await q.query(`CREATE TABLE audit_log (
      id ${id},
      at BIGINT NOT NULL,
      officer_id BIGINT REFERENCES officer (id),
      action VARCHAR(64) NOT NULL,
      target VARCHAR(64),
      detail TEXT,
      ip VARCHAR(64)
    )`);
    await q.query('CREATE INDEX audit_log_at ON audit_log (at, id)');
    await q.query('CREATE INDEX audit_log_officer ON audit_log (officer_id, at)');
    await q.query('CREATE INDEX audit_log_target ON audit_log (target, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
    await q.query('DROP TABLE console_session');
    await q.query('DROP TABLE officer');
  }
}
