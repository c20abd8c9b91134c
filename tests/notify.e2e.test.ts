import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { createBindingCode } from '../notify/binding';
import { DAY, fileComplaint, MovableClock, newCitizen, runDueJobs, say } from './support/citizen';
import { addTarget } from '../notify/targets';

/** The text messages a chat (a citizen or a group) has received, newest last. */
const texts = (server: TestServer, chatId: string) =>
  server.emulator.delivered(chatId).map((d) => d.message as { type: string; text?: string; altText?: string });

describe.each(engines())('officers hear of new work in their LINE group, through the real server, on %s', (engine) => {
  let server: TestServer;
  const officersGroup = `C${'a1'.repeat(16)}`;
  const strangersGroup = `C${'b2'.repeat(16)}`;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
  });
  afterAll(async () => server?.stop());

  const inGroup = async (groupId: string, partial: Record<string, unknown>) => {
    const before = server.emulator.delivered(groupId).length;
    const event = server.emulator.buildEvent({ groupId, source: { type: 'group', groupId, userId: `U${'c3'.repeat(16)}` }, ...partial } as never);
    expect((await server.emulator.deliver([event])).status).toBe(200);
    await waitFor(async () => {
      const [row] = await server.db.query<{ status: string }>('SELECT status FROM inbox_event WHERE webhook_event_id = $1', [event.webhookEventId]);
      return row?.status === 'done';
    }, 10_000, 'the group event handled');
    await new Promise((r) => setTimeout(r, 200));
    return texts(server, groupId).slice(before).map((m) => m.text ?? m.altText ?? '');
  };

  it('binds a group with a one-time code from the console, and politely refuses a group that is not bound', async () => {
    expect(await inGroup(officersGroup, { type: 'join' })).toEqual([expect.stringMatching(/^สวัสดีค่ะ หากกลุ่มนี้เป็นกลุ่มเจ้าหน้าที่/)]);
    const { code } = await server.db.transaction((tx) => createBindingCode(tx, '4901', 'admin', Date.now()));
    expect(await inGroup(officersGroup, { type: 'message', message: { type: 'text', text: `รหัส ${code.toLowerCase()} ครับ` } })).toEqual([
      expect.stringMatching(/^ผูกกลุ่มนี้กับศูนย์ดำรงธรรม.*เรียบร้อยแล้วค่ะ/),
    ]);
    // Used once: the same code in another group does not bind it.
    expect(await inGroup(strangersGroup, { type: 'message', message: { type: 'text', text: code } })).toEqual([expect.stringMatching(/^รหัส .* ใช้ไม่ได้ค่ะ/)]);
    expect(await inGroup(strangersGroup, { type: 'message', message: { type: 'text', text: 'สวัสดีครับ' } })).toEqual([
      expect.stringMatching(/^ขออภัยค่ะ กลุ่มนี้ยังไม่ได้ผูกกับศูนย์ดำรงธรรมอำเภอใด/),
    ]);
    // A bound group's own chatter gets no answer from the bot.
    expect(await inGroup(officersGroup, { type: 'message', message: { type: 'text', text: 'ใครว่างรับเรื่องบ้างครับ' } })).toEqual([]);
  });

  it('sends the bound group a card for a new case, with no national ID or phone number, and one for a handoff', async () => {
    const citizen = newCitizen(server, 'th');
    const number = await fileComplaint(server, citizen, 'th', { story: 'ไฟถนนดับหน้าบ้าน ติดต่อ 0891234567 ค่ะ', phone: '0891234567' });
    await waitFor(() => texts(server, officersGroup).some((m) => m.type === 'flex' && (m.altText ?? '').includes(number)), 10_000, 'the card');
    const card = server.emulator.delivered(officersGroup).map((d) => JSON.stringify(d.message)).find((m) => m.includes(number))!;
    expect(card).not.toMatch(/0891234567|\+66891234567|891234567/);
    expect(card).toContain(`/console/cases/${number}`);

    await say(server, citizen, 'ติดต่อเจ้าหน้าที่');
    await waitFor(async () => {
      const rows = await server.db.query<{ status: string }>(`SELECT status FROM notification WHERE event = 'handoff.requested'`);
      return rows.length === 1 && rows[0]!.status === 'sent';
    }, 10_000, 'the handoff card sent');
  });
});

describe.each(engines())('a case past its deadline, on %s', (engine) => {
  let server: TestServer;
  const clock = new MovableClock();
  const group = `C${'d4'.repeat(16)}`;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901', SCHEDULER_POLL_MS: '100' }, { conversationClock: clock.now });
    await server.db.transaction((tx) => addTarget(tx, { districtCode: '4901', kind: 'line_group', address: group, actor: 'test' }, server.cipher, Date.now()));
  });
  afterAll(async () => server?.stop());

  it('is notified to the district once, when 15 days pass with nothing said to the citizen', async () => {
    const citizen = newCitizen(server, 'th');
    const number = await fileComplaint(server, citizen, 'th');
    clock.advance(16 * DAY);
    await runDueJobs(server, 'progress:', clock.now, citizen);
    await waitFor(async () => {
      const rows = await server.db.query<{ status: string; subject_key: string }>(`SELECT status, subject_key FROM notification WHERE event = 'case.overdue'`);
      return rows.length === 1 && rows[0]!.status === 'sent' && rows[0]!.subject_key.startsWith(`${number}:`);
    }, 10_000, 'the overdue card sent');
    expect(server.emulator.delivered(group).some((d) => JSON.stringify(d.message).includes(number))).toBe(true);
    // Waking again the same day sends nothing more.
    await runDueJobs(server, 'progress:', clock.now, citizen);
    const rows = await server.db.query(`SELECT id FROM notification WHERE event = 'case.overdue'`);
    expect(rows).toHaveLength(1);
  });
});
