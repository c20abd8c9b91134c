import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time-driven work (scheduler/): a progress notice every 15 days, a survey when a case ends, the end of a reopen
 * window. One row per job, unique by its key (`progress:MDH-2569-000123-4`), so scheduling is idempotent. run_at
 * is when the next attempt is due: the scheduled time, or after a failure the end of its backoff.
 */
export class Scheduler1764600000000 implements MigrationInterface {
  name = 'Scheduler1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE scheduled_job (
      id ${id},
      kind VARCHAR(40) NOT NULL,
      job_key VARCHAR(200) NOT NULL,
      run_at BIGINT NOT NULL,
      payload TEXT NOT NULL,
      status VARCHAR(16) NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      locked_by VARCHAR(128),
      locked_until BIGINT,
      last_error TEXT,
      created_at BIGINT NOT NULL,
      finished_at BIGINT
    )`);
    await q.query(`CREATE UNIQUE INDEX scheduled_job_key ON scheduled_job (job_key)`);
    // The claim looks only at open jobs in time order; done jobs pile up and must not slow it down.
    await q.query(`CREATE INDEX scheduled_job_due ON scheduled_job (run_at, id) WHERE status IN ('pending', 'running')`);
    await q.query(`CREATE INDEX scheduled_job_failed ON scheduled_job (finished_at) WHERE status = 'failed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE scheduled_job');
  }
}
