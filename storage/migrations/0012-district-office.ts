import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Office hours per district (district_office: one row per district that differs from the settings' defaults;
 * a district without a row keeps OFFICE_HOURS and OFFICE_ANSWER_MINUTES), the district's own closed days
 * (district_holiday, added to the Thai public holidays and OFFICE_HOLIDAYS), and the first-answer deadline of
 * each handoff (handoff_request.answer_by), fixed when the citizen asked: what they were told, even if the
 * district's hours change afterwards.
 */
export class DistrictOffice1765200000000 implements MigrationInterface {
  name = 'DistrictOffice1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE district_office (
      district_code VARCHAR(4) PRIMARY KEY,
      opens_minute INTEGER NOT NULL,
      closes_minute INTEGER NOT NULL,
      weekdays VARCHAR(16) NOT NULL,
      answer_minutes INTEGER NOT NULL,
      updated_at BIGINT NOT NULL,
      updated_by VARCHAR(64) NOT NULL
    )`);
    await q.query(`CREATE TABLE district_holiday (
      district_code VARCHAR(4) NOT NULL,
      day VARCHAR(10) NOT NULL,
      name VARCHAR(200) NOT NULL,
      PRIMARY KEY (district_code, day)
    )`);
    await q.query(`ALTER TABLE handoff_request ADD COLUMN answer_by BIGINT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handoff_request DROP COLUMN answer_by`);
    for (const t of ['district_holiday', 'district_office']) await q.query(`DROP TABLE ${t}`);
  }
}
