import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an officer does to a case in the console, kept on the case and on its timeline: the officer it is assigned
 * to (cases.assigned_officer_id), the agency it was last forwarded to (cases.forwarded_to, named to the citizen),
 * and on each timeline event the reason a case was ended or not accepted (case_event.reason, a code of
 * cases/reasons.ts) and the agency of a forwarding (case_event.forwarded_to), so the history keeps them even when
 * the case later changes. Columns are added, never a table rebuilt: works the same on SQLite and PostgreSQL.
 */
export class CaseActions1765100000000 implements MigrationInterface {
  name = 'CaseActions1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE cases ADD COLUMN assigned_officer_id BIGINT REFERENCES officer (id)');
    await q.query('ALTER TABLE cases ADD COLUMN forwarded_to VARCHAR(200)');
    await q.query('ALTER TABLE case_event ADD COLUMN reason VARCHAR(64)');
    await q.query('ALTER TABLE case_event ADD COLUMN forwarded_to VARCHAR(200)');
    // "My cases" and the list's assignee column look cases up by officer.
    await q.query('CREATE INDEX cases_assigned_officer ON cases (assigned_officer_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX cases_assigned_officer');
    await q.query('ALTER TABLE case_event DROP COLUMN forwarded_to');
    await q.query('ALTER TABLE case_event DROP COLUMN reason');
    await q.query('ALTER TABLE cases DROP COLUMN forwarded_to');
    await q.query('ALTER TABLE cases DROP COLUMN assigned_officer_id');
  }
}
