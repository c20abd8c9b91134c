import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flow versions as admins upload them (immutable once stored), which version of each flow is live, and the
 * record of who published or rolled back what and when. Going live is a row in flow_live, read by every server
 * process, so a publish needs no restart.
 */
export class FlowVersions1764200000000 implements MigrationInterface {
  name = 'FlowVersions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE flow_version (
      flow_id VARCHAR(64) NOT NULL,
      version BIGINT NOT NULL,
      definition TEXT NOT NULL,
      source TEXT,
      created_at BIGINT NOT NULL,
      created_by VARCHAR(64) NOT NULL,
      PRIMARY KEY (flow_id, version)
    )`);
    await q.query(`CREATE TABLE flow_live (
      flow_id VARCHAR(64) PRIMARY KEY,
      version BIGINT NOT NULL,
      published_at BIGINT NOT NULL,
      published_by VARCHAR(64) NOT NULL,
      FOREIGN KEY (flow_id, version) REFERENCES flow_version (flow_id, version)
    )`);
    await q.query(`CREATE TABLE flow_publication (
      id ${id},
      flow_id VARCHAR(64) NOT NULL,
      version BIGINT NOT NULL,
      previous_version BIGINT,
      action VARCHAR(16) NOT NULL CHECK (action IN ('publish', 'rollback')),
      actor VARCHAR(64) NOT NULL,
      at BIGINT NOT NULL,
      FOREIGN KEY (flow_id, version) REFERENCES flow_version (flow_id, version)
    )`);
    await q.query(`CREATE INDEX flow_publication_by_flow ON flow_publication (flow_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE flow_publication');
    await q.query('DROP TABLE flow_live');
    await q.query('DROP TABLE flow_version');
  }
}
