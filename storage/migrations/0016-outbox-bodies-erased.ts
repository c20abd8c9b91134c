import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox bodies are no longer kept once delivered (storage/outbox.ts erases a body with the update that marks its
 * row sent, and stores every new body encrypted). Rows sent before kept theirs in plain text, among them one-time
 * "my data" links and tip-off summaries beside the chat id: erased here, their metadata kept. Rows not yet sent,
 * or parked as failed, keep their plain bodies, which the sender still reads, until they are sent. Data only; what
 * is erased cannot come back, as intended.
 */
export class OutboxBodiesErased1765600000000 implements MigrationInterface {
  name = 'OutboxBodiesErased1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE outbox_message SET messages = '[]' WHERE status = 'sent' AND messages <> '[]'`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the bodies are gone on purpose.
  }
}
