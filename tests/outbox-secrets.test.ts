/**
 * Secrets never at rest in plain text: every outbox body is stored encrypted with the data key, decrypted only by
 * the sender, and erased in the update that marks its row sent (its metadata kept). A row parked as failed keeps
 * its encrypted body for an operator to retry; a row written before bodies were encrypted is still sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ERASED_BODY, openBody } from '../storage/outbox';
import { engines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { lines, newCitizen, say } from './support/citizen';
import { everythingAtRest } from './support/at-rest';

interface Row {
  id: number;
  chat_id: string;
  messages: string;
  status: string;
  via: string | null;
  retry_key: string;
  attempts: number;
  last_status: number | null;
  created_at: number;
  sent_at: number | null;
}

const rowsOf = (server: TestServer, chatId: string) =>
  server.db.query<Row>('SELECT * FROM outbox_message WHERE chat_id = $1 ORDER BY id', [chatId]);

describe.each(engines())('outbox bodies at rest, on %s', (engine) => {
  let server: TestServer;
  afterEach(async () => server?.stop());

  it('keeps no "my data" link or its token anywhere once it is sent, and erases each sent body keeping its metadata', async () => {
    server = await startTestServer(engine);
    const user = newCitizen(server, 'th');
    await say(server, user, 'ข้อมูลของฉัน');
    const [text] = lines(await say(server, user, 'ขอไฟล์ข้อมูล'));
    const url = /http:\/\/\S+/.exec(text ?? '')?.[0];
    expect(url).toMatch(/\/my-data\/[A-Za-z0-9_-]{43}\?openExternalBrowser=1$/);
    const token = /\/my-data\/([A-Za-z0-9_-]{43})/.exec(url!)![1]!;
    // Sent once: the link reached the citizen a single time.
    expect(server.emulator.delivered(user).filter((d) => JSON.stringify(d.message).includes(token))).toHaveLength(1);

    const rows = await rowsOf(server, user);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      expect(r.status).toBe('sent');
      expect(r.messages).toBe(ERASED_BODY);
      expect(r.chat_id).toBe(user);
      expect(r.retry_key).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(r.attempts)).toBeGreaterThanOrEqual(1);
      expect(Number(r.last_status)).toBe(200);
      expect(r.via).toBe('reply');
      expect(Number(r.sent_at)).toBeGreaterThanOrEqual(Number(r.created_at));
    }

    await server.worker.stop(5000);
    await server.outbox.stop(5000);
    const raw = await everythingAtRest(server);
    expect(raw.length).toBeGreaterThan(1000);
    expect(raw).toContain(user); // the scan reads real data
    expect(raw.includes(token), 'the link\'s token found in the database').toBe(false);
    expect(raw.includes(url!), 'the link found in the database').toBe(false);
  });

  it('stores a queued body encrypted, and keeps it (encrypted) when the message is parked as failed', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ซ' });
    e.inject({ endpoint: 'push', status: 403, count: 1 });
    // An event older than the reply token's life: answered by push, which LINE refuses for good.
    await e.deliver([e.buildEvent({ type: 'message', userId: user, timestamp: Date.now() - 55_000, message: { type: 'text', text: 'เมนู' } })]);
    const row = await waitFor(async () => (await rowsOf(server, user)).find((r) => r.status === 'failed'), 10_000, 'parked');
    expect(Number(row.last_status)).toBe(403);
    expect(row.sent_at).toBeNull();
    expect(row.messages).toMatch(/^v2:/);
    const messages = JSON.parse(openBody(server.cipher, row.messages)) as Array<{ type: string }>;
    expect(messages.length).toBeGreaterThan(0);
    expect(e.delivered(user)).toHaveLength(0);
    // What LINE refused is what was stored: the same messages, in plain text only inside the sender.
    const pushed = e.calls({ endpoint: 'push' });
    expect(pushed).toHaveLength(1);
  });

  it('sends a body written in plain text before bodies were encrypted, then erases it', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ฌ' });
    const now = Date.now();
    await server.db.query(
      `INSERT INTO outbox_message (chat_id, messages, retry_key, status, attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, 'pending', 0, $4, $4)`,
      [user, JSON.stringify([{ type: 'text', text: 'ข้อความเก่า' }]), randomUUID(), now],
    );
    server.outbox.wake();
    await waitFor(() => e.delivered(user).length > 0, 10_000, 'the old message');
    expect(e.delivered(user).map((d) => d.message)).toEqual([{ type: 'text', text: 'ข้อความเก่า' }]);
    const [row] = await waitFor(async () => {
      const rows = await rowsOf(server, user);
      return rows[0]?.status === 'sent' ? rows : undefined;
    }, 10_000, 'sent');
    expect(row!.messages).toBe(ERASED_BODY);
    expect(row!.via).toBe('push');
  });

  it('parks a body it cannot open (another key) for good, without sending anything', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ญ' });
    const { DataCipher } = await import('../storage/crypto');
    const other = new DataCipher(Buffer.alloc(32, 1));
    const now = Date.now();
    await server.db.query(
      `INSERT INTO outbox_message (chat_id, messages, retry_key, status, attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, 'pending', 0, $4, $4)`,
      [user, other.encrypt(JSON.stringify([{ type: 'text', text: 'กุญแจอื่น' }])), randomUUID(), now],
    );
    server.outbox.wake();
    const row = await waitFor(async () => (await rowsOf(server, user)).find((r) => r.status === 'failed'), 10_000, 'parked');
    expect(row.messages).toMatch(/^v2:/);
    expect(e.calls({ endpoint: 'push' })).toHaveLength(0);
    expect(e.delivered(user)).toHaveLength(0);
  });
});
