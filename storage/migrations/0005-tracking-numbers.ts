import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last tracking-number sequence handed out per center prefix and Buddhist year. One row per (prefix, year):
 * allocating a number updates that row inside the transaction that files the case, so its row lock (PostgreSQL) or
 * the single writer (SQLite) makes numbers unique, and a rollback gives the number back (no gaps).
 */
export class TrackingNumbers1764500000000 implements MigrationInterface {
  name = 'TrackingNumbers1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tracking_sequence (
      prefix VARCHAR(16) NOT NULL,
      year_be INTEGER NOT NULL,
      last_value INTEGER NOT NULL,
      PRIMARY KEY (prefix, year_be)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tracking_sequence');
  }
}
