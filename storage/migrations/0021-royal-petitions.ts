import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The royal petitions' register (petitions/): every chat the bot handed to an officer for petition or monarchy
 * wording becomes an entry, numbered per Buddhist year, that officers complete and supervisors report through the
 * E-Report. The petitioner's words, name and phone are personal: stored encrypted (`*_enc`). One entry per handoff.
 */
export class RoyalPetitions1766100000000 implements MigrationInterface {
  name = 'RoyalPetitions1766100000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE royal_petition (
      id ${id},
      register_number VARCHAR(32) NOT NULL,
      be_year INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      handoff_id BIGINT REFERENCES handoff_request (id),
      channel VARCHAR(16) NOT NULL,
      district_code VARCHAR(4),
      province_code VARCHAR(2),
      received_at BIGINT NOT NULL,
      kind VARCHAR(16),
      words_enc TEXT,
      summary_enc TEXT,
      petitioner_name_enc TEXT,
      petitioner_phone_enc TEXT,
      status VARCHAR(16) NOT NULL,
      forwarded_to VARCHAR(200),
      forwarded_at BIGINT,
      result_enc TEXT,
      updated_at BIGINT NOT NULL,
      updated_by VARCHAR(64)
    )`);
    await q.query('CREATE UNIQUE INDEX royal_petition_number ON royal_petition (register_number)');
    await q.query('CREATE UNIQUE INDEX royal_petition_year_seq ON royal_petition (be_year, seq)');
    await q.query('CREATE UNIQUE INDEX royal_petition_handoff ON royal_petition (handoff_id)');
    await q.query('CREATE INDEX royal_petition_place ON royal_petition (province_code, received_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE royal_petition');
  }
}
