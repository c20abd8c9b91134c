import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drafts of flows that admins edit in the console (flows/drafts.ts): the YAML as typed, comments and all, which
 * may not be valid yet (a draft with errors can be kept, never published), the version it was started from, and
 * a revision against two tabs saving over each other. And a note on each publication or rollback ("why"), shown
 * in a flow's history.
 */
export class FlowDrafts1766000000000 implements MigrationInterface {
  name = 'FlowDrafts1766000000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE flow_draft (
      id ${id},
      flow_id VARCHAR(64) NOT NULL,
      base_version BIGINT,
      source TEXT NOT NULL,
      revision INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      created_by VARCHAR(64) NOT NULL,
      updated_at BIGINT NOT NULL,
      updated_by VARCHAR(64) NOT NULL
    )`);
    await q.query('CREATE INDEX flow_draft_by_flow ON flow_draft (flow_id, id)');
    await q.query('ALTER TABLE flow_publication ADD COLUMN note TEXT');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_publication DROP COLUMN note');
    await q.query('DROP TABLE flow_draft');
  }
}
