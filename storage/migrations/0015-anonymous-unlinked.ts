import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anonymous cases filed before they were kept apart from their chat: the LINE user id stored as the actor of the
 * citizen's events is cleared, and the evidence keeps its copied bytes but loses the LINE message id, the chat's
 * own copy of each piece (line_content: the same bytes and hash, with the chat id) deleted first. Data only; what
 * is cleared cannot come back, as intended (cases/store.ts files them this way since).
 */
export class AnonymousUnlinked1765500000000 implements MigrationInterface {
  name = 'AnonymousUnlinked1765500000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const yes = pg ? 'TRUE' : '1';
    const anonymousCases = `SELECT id FROM cases WHERE anonymous = ${yes}`;
    await q.query(`DELETE FROM line_content WHERE message_id IN (
      SELECT line_message_id FROM attachment WHERE line_message_id IS NOT NULL AND case_id IN (${anonymousCases}))`);
    await q.query(`UPDATE attachment SET line_message_id = NULL WHERE line_message_id IS NOT NULL AND case_id IN (${anonymousCases})`);
    await q.query(`UPDATE case_event SET actor_id = NULL WHERE actor_type = 'citizen' AND actor_id IS NOT NULL AND case_id IN (${anonymousCases})`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the links are gone on purpose.
  }
}
