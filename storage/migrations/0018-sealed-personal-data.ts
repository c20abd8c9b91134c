import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names and the LINE profile are stored encrypted (storage/crypto.ts): a ciphertext is about a third longer than the
 * text and carries a prefix, so the columns sized for the text become TEXT on PostgreSQL (SQLite does not enforce
 * lengths). Schema only: the values already stored are sealed by the next key rotation (npm run keys:rotate), as
 * a migration has no key.
 */
export class SealedPersonalData1765800000000 implements MigrationInterface {
  name = 'SealedPersonalData1765800000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query('ALTER TABLE cases ALTER COLUMN complainant_name TYPE TEXT');
    await q.query('ALTER TABLE citizen ALTER COLUMN display_name TYPE TEXT');
    await q.query('ALTER TABLE citizen ALTER COLUMN picture_url TYPE TEXT');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    // Back to the old sizes only holds for plain values: run it after decrypting them, or not at all.
    await q.query('ALTER TABLE citizen ALTER COLUMN picture_url TYPE VARCHAR(500)');
    await q.query('ALTER TABLE citizen ALTER COLUMN display_name TYPE VARCHAR(200)');
    await q.query('ALTER TABLE cases ALTER COLUMN complainant_name TYPE VARCHAR(200)');
  }
}
