import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A handoff's district (handoff_request.district_code), fixed when the citizen asks for an officer: who may read a
 * chat follows the chat, not the citizen's newest case, so moving a case later does not hand an old transcript to
 * another district. Existing handoffs take the district the queue showed them in until now: their citizen's latest
 * case that has a district (the rule of office/chat-district.ts, copied here so that this migration never changes
 * with it). Left NULL where there is none: read as CENTER_DISTRICT, as before.
 */
export class HandoffDistrict1765400000000 implements MigrationInterface {
  name = 'HandoffDistrict1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE handoff_request ADD COLUMN district_code VARCHAR(4)');
    await q.query(`UPDATE handoff_request SET district_code = (
      SELECT k.district_code FROM citizen z JOIN cases k ON k.citizen_id = z.id
       WHERE z.line_user_id = handoff_request.chat_id AND k.district_code IS NOT NULL
       ORDER BY k.created_at DESC, k.id DESC LIMIT 1)`);
    await q.query('CREATE INDEX handoff_request_chat ON handoff_request (chat_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX handoff_request_chat');
    await q.query('ALTER TABLE handoff_request DROP COLUMN district_code');
  }
}
