import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case categories as data (categories/), edited by admins in the console instead of a constant in code: the
 * code a case keeps, its Thai and English names, whether its cases are for supervisors only, whether consent is
 * asked before sensitive data and the national ID is required, whether it may be filed anonymously, its own answer
 * deadline (NULL: the center's PROGRESS_NOTICE_DAYS). A category is never deleted, only retired (`retired_at`): no
 * new case is filed into it, and its old cases keep their code and their names. Seeded with the categories and
 * rules the code had until now (the complaint flow's branches, cases/counter.ts).
 */
export class Categories1766600000000 implements MigrationInterface {
  name = 'Categories1766600000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const bool = pg ? 'BOOLEAN' : 'INTEGER';
    await q.query(`CREATE TABLE category (
      code VARCHAR(32) PRIMARY KEY,
      name_th VARCHAR(120) NOT NULL,
      name_en VARCHAR(120) NOT NULL,
      confidential ${bool} NOT NULL,
      consent_required ${bool} NOT NULL,
      national_id_required ${bool} NOT NULL,
      anonymous_allowed ${bool} NOT NULL,
      deadline_days INTEGER,
      retired_at BIGINT,
      sort_order INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      updated_by VARCHAR(64) NOT NULL
    )`);
    await q.query('CREATE INDEX category_order ON category (sort_order, code)');
    // Written out here, not imported: a shipped migration never changes, whatever the code beside it becomes.
    const seeds: Array<[code: string, th: string, en: string, confidential: boolean, consent: boolean, nationalId: boolean, anonymous: boolean]> = [
      ['complaint', 'ร้องเรียน/ร้องทุกข์', 'Complaint / grievance', false, false, false, false],
      ['assistance', 'ขอความช่วยเหลือ', 'Request for assistance', false, true, false, false],
      ['justice', 'ขอความเป็นธรรม', 'Request for fair treatment', false, true, true, false],
      ['official_conduct', 'ร้องเรียนพฤติกรรมเจ้าหน้าที่รัฐ', 'Conduct of a public official', true, false, true, false],
      ['tip_off', 'แจ้งเบาะแส', 'Tip-off', false, false, false, true],
      ['information', 'ขอข้อมูล/สอบถาม', 'Information request', false, false, false, false],
      ['consultation', 'ขอคำปรึกษา', 'Consultation', false, true, false, false],
      ['suggestion', 'ข้อเสนอแนะ', 'Suggestion', false, false, false, false],
    ];
    const b = (v: boolean) => (pg ? (v ? 'TRUE' : 'FALSE') : v ? '1' : '0');
    const s = (v: string) => `'${v.replace(/'/g, "''")}'`;
    const now = Date.now();
    for (const [i, [code, th, en, confidential, consent, nationalId, anonymous]] of seeds.entries()) {
      await q.query(
        `INSERT INTO category (code, name_th, name_en, confidential, consent_required, national_id_required, anonymous_allowed,
           deadline_days, retired_at, sort_order, created_at, updated_at, updated_by)
         VALUES (${s(code)}, ${s(th)}, ${s(en)}, ${b(confidential)}, ${b(consent)}, ${b(nationalId)}, ${b(anonymous)},
           NULL, NULL, ${(i + 1) * 10}, ${now}, ${now}, 'shipped')`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE category');
  }
}
