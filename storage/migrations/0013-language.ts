import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Learning from the field. language_sample: messages the language layer read with low confidence or did not
 * understand, and proposals a citizen corrected, with personal numbers masked and no chat id (a sample is about
 * the words, never the person), for admins to review. language_example: training examples admins add, from a
 * sample or typed. language_model: trained models, each stored as a version and live once published, as flows
 * are. cases.topic: what a case is about (road, electricity, ...), proposed from the citizen's story.
 */
export class Language1765300000000 implements MigrationInterface {
  name = 'Language1765300000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE language_sample (
      id ${id},
      reason VARCHAR(16) NOT NULL,
      text TEXT NOT NULL,
      intent VARCHAR(32) NOT NULL,
      confidence DOUBLE PRECISION NOT NULL,
      slot VARCHAR(64),
      proposed VARCHAR(64),
      chosen VARCHAR(64),
      at BIGINT NOT NULL,
      status VARCHAR(16) NOT NULL DEFAULT 'new',
      reviewed_by VARCHAR(64),
      reviewed_at BIGINT
    )`);
    await q.query(`CREATE INDEX language_sample_status ON language_sample (status, at)`);
    await q.query(`CREATE TABLE language_example (
      id ${id},
      intent VARCHAR(32) NOT NULL,
      category VARCHAR(32),
      topic VARCHAR(32),
      text TEXT NOT NULL,
      sample_id BIGINT REFERENCES language_sample (id),
      added_by VARCHAR(64) NOT NULL,
      added_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE TABLE language_model (
      version INTEGER PRIMARY KEY,
      model TEXT NOT NULL,
      examples INTEGER NOT NULL,
      accuracy DOUBLE PRECISION,
      trained_at BIGINT NOT NULL,
      trained_by VARCHAR(64) NOT NULL,
      published_at BIGINT,
      published_by VARCHAR(64)
    )`);
    await q.query(`ALTER TABLE cases ADD COLUMN topic VARCHAR(32)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN topic`);
    for (const t of ['language_model', 'language_example', 'language_sample']) await q.query(`DROP TABLE ${t}`);
  }
}
