import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case moved to another district (console: officers of its district, supervisors of its province) keeps the
 * move on its timeline: case_event kind 'moved', the officer's reason as its note, and the two districts here.
 * Rows of other kinds leave them NULL.
 */
export class CaseMoves1766200000000 implements MigrationInterface {
  name = 'CaseMoves1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE case_event ADD COLUMN district_from VARCHAR(4)');
    await q.query('ALTER TABLE case_event ADD COLUMN district_to VARCHAR(4)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE case_event DROP COLUMN district_to');
    await q.query('ALTER TABLE case_event DROP COLUMN district_from');
  }
}
