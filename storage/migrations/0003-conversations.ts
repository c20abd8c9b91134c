import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversations: each chat's session (the flow engine's state as JSON, with a revision so that two writers can
 * never both win), a log of what happened in conversations (flows started and ended, give-ups, handoffs),
 * the handoff requests officers will pick up, and the intake submissions the first complaint flow files.
 */
export class Conversations1764300000000 implements MigrationInterface {
  name = 'Conversations1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE conversation_session (
      chat_id VARCHAR(64) PRIMARY KEY,
      state TEXT NOT NULL,
      flow_id VARCHAR(64),
      flow_version INTEGER,
      node VARCHAR(128),
      locale VARCHAR(8) NOT NULL,
      revision INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE INDEX conversation_session_flow ON conversation_session (flow_id, flow_version)`);

    await q.query(`CREATE TABLE conversation_event (
      id ${id},
      chat_id VARCHAR(64) NOT NULL,
      inbox_event_id BIGINT,
      kind VARCHAR(32) NOT NULL,
      flow_id VARCHAR(64),
      flow_version INTEGER,
      node VARCHAR(128),
      detail TEXT,
      at BIGINT NOT NULL
    )`);
    await q.query(`CREATE INDEX conversation_event_chat ON conversation_event (chat_id, id)`);
    await q.query(`CREATE INDEX conversation_event_kind ON conversation_event (kind, at)`);

    await q.query(`CREATE TABLE handoff_request (
      id ${id},
      chat_id VARCHAR(64) NOT NULL,
      reason VARCHAR(64) NOT NULL,
      flow_id VARCHAR(64),
      flow_version INTEGER,
      status VARCHAR(16) NOT NULL,
      requested_at BIGINT NOT NULL,
      closed_at BIGINT
    )`);
    await q.query(`CREATE INDEX handoff_request_open ON handoff_request (requested_at) WHERE status = 'waiting'`);

    await q.query(`CREATE TABLE intake_submission (
      id ${id},
      chat_id VARCHAR(64) NOT NULL,
      inbox_event_id BIGINT NOT NULL,
      flow_id VARCHAR(64) NOT NULL,
      flow_version INTEGER NOT NULL,
      answers TEXT NOT NULL,
      created_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX intake_submission_event ON intake_submission (inbox_event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['intake_submission', 'handoff_request', 'conversation_event', 'conversation_session']) await q.query(`DROP TABLE ${t}`);
  }
}
