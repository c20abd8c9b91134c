import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * FAQ entries, edited by admins (/api/admin/faq) and matched against citizens' free text. Keywords are JSON
 * arrays in TEXT: they are read whole, never queried. seed_key names a shipped default ("hours"): unique, so two
 * processes seeding an empty table at once store each default once; NULL for entries an admin created (NULLs
 * do not collide in a unique index on either engine). Removal is soft (active = false).
 */
export class Faq1764700000000 implements MigrationInterface {
  name = 'Faq1764700000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    const bool = pg ? 'BOOLEAN' : 'INTEGER';
    await q.query(`CREATE TABLE faq_entry (
      id ${id},
      seed_key VARCHAR(40),
      question_th TEXT NOT NULL,
      question_en TEXT NOT NULL,
      answer_th TEXT NOT NULL,
      answer_en TEXT NOT NULL,
      keywords_th TEXT NOT NULL,
      keywords_en TEXT NOT NULL,
      active ${bool} NOT NULL,
      sort_order INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      updated_by VARCHAR(64) NOT NULL
    )`);
    await q.query('CREATE UNIQUE INDEX faq_entry_seed_key ON faq_entry (seed_key)');
    await q.query('CREATE INDEX faq_entry_order ON faq_entry (sort_order, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE faq_entry');
  }
}
