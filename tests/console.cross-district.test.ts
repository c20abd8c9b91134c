/**
 * An officer of one district tries the whole console API with another district's case numbers, chat (handoff)
 * ids, message ids and file ids, as an attacker would: every answer is the 404 of a thing that does not exist (or
 * the 403 every officer gets for district settings, which are no officer's), and no answer carries the other
 * district's data. Access follows the record: a file goes with the chat it was sent in or the case it is evidence
 * of, and a chat keeps the district it was made in when the citizen's case moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../console/auth/officers';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { login, OFFICER_PASSWORD, startConsoleApi, type ConsoleApiServer, type ConsoleClient, type ConsoleReply } from './support/console-client';
import { fileComplaint, newCitizen, say, sendPhoto } from './support/citizen';

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

describe.each(engines())('the officer console across districts, over real HTTP against the real server, on %s', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let anan: ConsoleClient; // officer of 4901 (district A)
  let bee: ConsoleClient; // officer of 4902 (district B)
  let boss: ConsoleClient; // supervisor of province 49
  const ids: Record<string, number> = {};

  const caseIdOf = async (n: string) => Number((await server.db.query<{ id: number }>('SELECT id FROM cases WHERE tracking_number = $1', [n]))[0]!.id);
  const place = (n: string, district: string) =>
    server.db.query(`UPDATE cases SET district_code = $2, province_code = $3 WHERE tracking_number = $1`, [n, district, district.slice(0, 2)]);
  /** Sends a photo and returns its LINE message id (the id the console's file URLs carry). */
  const photo = async (chat: string): Promise<string> => {
    const before = new Set((await server.db.query<{ message_id: string }>('SELECT message_id FROM line_content WHERE chat_id = $1', [chat])).map((r) => r.message_id));
    await sendPhoto(server, chat);
    const after = await server.db.query<{ message_id: string }>('SELECT message_id FROM line_content WHERE chat_id = $1', [chat]);
    return after.map((r) => r.message_id).find((id) => !before.has(id))!;
  };
  /** Keeps a photo the citizen sent as evidence of a case, as the complaint flow does; returns the attachment's id. */
  const attach = async (n: string, messageId: string): Promise<number> => {
    await server.db.query(
      `INSERT INTO attachment (case_id, case_event_id, line_message_id, media_type, content_type, file_name, size, sha256, bytes, created_at)
       SELECT $1, NULL, message_id, 'image', content_type, NULL, size, sha256, bytes, $2 FROM line_content WHERE message_id = $3`,
      [await caseIdOf(n), Date.now(), messageId],
    );
    const [a] = await server.db.query<{ id: number }>('SELECT id FROM attachment WHERE line_message_id = $1 ORDER BY id DESC LIMIT 1', [messageId]);
    return Number(a!.id);
  };
  const queueIds = async (who: ConsoleClient): Promise<number[]> => (await who.call('GET', '/handoffs')).body.handoffs.map((h: any) => h.id);
  const newestHandoff = async (chat: string) =>
    Number((await server.db.query<{ id: number }>('SELECT id FROM handoff_request WHERE chat_id = $1 ORDER BY id DESC LIMIT 1', [chat]))[0]!.id);
  const auditCount = async (officerId: number, actions: string[]) =>
    Number(
      (
        await server.db.query<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM audit_log WHERE officer_id = $1 AND action IN (${actions.map((_, i) => `$${i + 2}`).join(', ')})`,
          [officerId, ...actions],
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    api = await startConsoleApi(server, { onQueued: () => server.outbox.wake(), stream: { pollMs: 100 } });
    for (const o of [
      { username: 'anan', displayName: 'อนันต์', role: 'officer', districtCode: '4901' },
      { username: 'bee', displayName: 'บี', role: 'officer', districtCode: '4902' },
      { username: 'boss', displayName: 'หัวหน้า', role: 'supervisor', provinceCode: '49' },
    ] as const) {
      ids[o.username] = (await api.auth.officers.create(CLI_ACTOR, { ...o, password: OFFICER_PASSWORD })).id;
    }
    anan = await login(api.base, 'anan');
    bee = await login(api.base, 'bee');
    boss = await login(api.base, 'boss');
  }, 30_000);
  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  it("answers an officer of A with a 404 on every route given B's case numbers, chat ids, message ids and file ids", async () => {
    // District B: a citizen's case, a photo kept as its evidence, a handoff with a photo sent in it, B's settings.
    const secretStory = 'บ่อขยะเถื่อนหลังวัดส่งกลิ่นเหม็นทั้งหมู่บ้าน';
    const citizenB = newCitizen(server, 'th', 'บุญมี ลับเฉพาะ');
    const caseB = await fileComplaint(server, citizenB, 'th', { story: secretStory });
    await place(caseB, '4902');
    const evidenceB = await photo(citizenB);
    const attachmentB = await attach(caseB, evidenceB);
    await say(server, citizenB, 'ติดต่อเจ้าหน้าที่');
    const handoffB = await newestHandoff(citizenB);
    expect(await queueIds(bee)).toContain(handoffB);
    await say(server, citizenB, 'ขอคุยเรื่องบ่อขยะค่ะ');
    const chatPhotoB = await photo(citizenB);
    expect((await bee.call('POST', `/handoffs/${handoffB}/claim`)).status).toBe(200);
    const cannedB = await boss.call('POST', '/canned-replies', { districtCode: '4902', title: 'รับเรื่อง บี', textTh: 'ข้อความลับของอำเภอบี', textEn: 'B only' });
    expect(cannedB.status).toBe(201);
    const targetB = await boss.call('POST', '/districts/4902/targets', { kind: 'email', address: 'district-b@example.org' });
    expect(targetB.status).toBe(201);

    // District A: a case of its own, to try B's file ids under A's own number.
    const citizenA = newCitizen(server, 'th', 'อารี');
    const caseA = await fileComplaint(server, citizenA, 'th');
    await place(caseA, '4901');

    // The ids are real: B's officer reaches every one of them.
    expect((await bee.call('GET', `/cases/${caseB}`)).status).toBe(200);
    const chatB = await bee.call('GET', `/handoffs/${handoffB}/messages`);
    expect(chatB.status).toBe(200);
    expect(chatB.body.messages.filter((m: any) => m.type === 'image').map((m: any) => m.contentUrl)).toEqual([`/console/api/content/${chatPhotoB}`]);
    for (const path of [`/content/${chatPhotoB}`, `/content/${evidenceB}`, `/cases/${caseB}/attachments/${attachmentB}?download=1`]) {
      const r = await bee.call('GET', path);
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
      expect(r.bytes.equals(JPEG)).toBe(true);
    }
    // Downloads are audited against their record: the chat, or the case the file is evidence of.
    const downloads = await server.db.query<{ action: string; target: string; detail: string }>(
      'SELECT action, target, detail FROM audit_log WHERE officer_id = $1 AND action LIKE $2 ORDER BY id',
      [ids.bee, '%.download_file'],
    );
    expect(downloads.map((d) => [d.action, d.target, JSON.parse(d.detail).messageId ?? null])).toEqual([
      ['handoff.download_file', `handoff:${handoffB}`, chatPhotoB],
      ['case.download_file', caseB, evidenceB],
      ['case.download_file', caseB, evidenceB],
    ]);

    const secrets = [secretStory, 'บุญมี', 'ขอคุยเรื่องบ่อขยะ', 'ข้อความลับของอำเภอบี', 'district-b@example.org', citizenB];
    const nothingOfB = (what: string, r: ConsoleReply) => {
      for (const s of secrets) expect(r.text.includes(s), `${what} reveals ${s}`).toBe(false);
      expect(r.bytes.includes(JPEG), `${what} serves B's photo`).toBe(false);
    };
    const notFound = await anan.call('GET', '/content/000000000000000');
    expect(notFound.status).toBe(404);
    const tries: Array<[string, string, unknown?]> = [
      ['GET', `/cases/${caseB}`],
      ['POST', `/cases/${caseB}/notes`, { note: 'แอบดู' }],
      ['POST', `/cases/${caseB}/status`, { status: 'in_progress', public: false }],
      ['POST', `/cases/${caseB}/reopen`, { note: 'แอบเปิด', public: false }],
      ['GET', `/cases/${caseB}/assignees`],
      ['POST', `/cases/${caseB}/assign`, { officerId: ids.anan! }],
      ['POST', `/cases/${caseB}/assign`, { officerId: ids.bee! }],
      ['GET', `/cases/${caseB}/attachments/${attachmentB}`],
      ['GET', `/cases/${caseA}/attachments/${attachmentB}`], // B's file under A's own case
      ['POST', `/handoffs/${handoffB}/claim`],
      ['GET', `/handoffs/${handoffB}/messages`],
      ['GET', `/handoffs/${handoffB}/stream`],
      ['POST', `/handoffs/${handoffB}/reply`, { text: 'สวัสดี' }],
      ['POST', `/handoffs/${handoffB}/reply`, { cannedId: cannedB.body.id }],
      ['POST', `/handoffs/${handoffB}/end`, {}],
      ['GET', `/content/${chatPhotoB}`],
      ['GET', `/content/${evidenceB}`],
    ];
    for (const [method, path, body] of tries) {
      const r = await anan.call(method, path, body);
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 404 });
      // The same answer as for a thing that does not exist.
      expect(r.body).toEqual(notFound.body);
      nothingOfB(`${method} ${path}`, r);
    }
    // B's settings are no officer's, their own district's neither: the existing 403, with nothing of B in it.
    const settings: Array<[string, string, unknown?]> = [
      ['GET', '/canned-replies?district=4902'],
      ['PUT', `/canned-replies/${cannedB.body.id}`, { title: 'x', textTh: 'x', textEn: 'x' }],
      ['DELETE', `/canned-replies/${cannedB.body.id}`],
      ['GET', '/districts/4902'],
      ['GET', '/districts/4902/office-hours'],
      ['PUT', '/districts/4902/office-hours', { opens: '08:30', closes: '16:30', weekdays: [1, 2, 3, 4, 5], answerMinutes: 30, holidays: [] }],
      ['GET', '/districts/4902/targets'],
      ['POST', '/districts/4902/targets', { kind: 'email', address: 'attacker@example.org' }],
      ['DELETE', `/districts/4902/targets/${targetB.body.id}`],
      ['POST', '/districts/4902/binding-codes'],
    ];
    for (const [method, path, body] of settings) {
      const r = await anan.call(method, path, body);
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 403 });
      nothingOfB(`${method} ${path}`, r);
    }
    // Lists and searches keep to A.
    expect(await queueIds(anan)).not.toContain(handoffB);
    for (const path of ['/cases', '/cases?district=4902', `/cases?q=${encodeURIComponent(caseB)}`, `/cases?q=${encodeURIComponent('บุญมี')}`, '/canned-replies']) {
      const r = await anan.call('GET', path);
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
      expect(r.text.includes(caseB), `${path} lists B's case`).toBe(false);
      nothingOfB(`GET ${path}`, r);
    }
    // Nothing was changed, claimed or read by the attempts, and none of them was audited as a view or download.
    expect((await bee.call('GET', `/cases/${caseB}`)).body).toMatchObject({ status: 'received', assignedTo: null });
    expect((await bee.call('GET', `/cases/${caseB}`)).body.timeline.filter((e: any) => e.kind === 'note')).toEqual([]);
    expect((await boss.call('GET', '/handoffs')).body.handoffs.find((h: any) => h.id === handoffB).claimedBy).toMatchObject({ officerId: ids.bee });
    expect(await auditCount(ids.anan!, ['handoff.view_chat', 'handoff.download_file', 'case.download_file', 'case.view_personal'])).toBe(0);
  }, 120_000);

  it("keeps a chat with the district it was made in when the citizen's case moves, and serves a confidential case's evidence only to its supervisor", async () => {
    const citizen = newCitizen(server, 'th', 'ชูใจ');
    const caseC = await fileComplaint(server, citizen, 'th');
    await place(caseC, '4901');
    const sentBefore = await photo(citizen); // before asking for an officer: no chat's
    await say(server, citizen, 'ติดต่อเจ้าหน้าที่');
    const oldChat = await newestHandoff(citizen);
    expect(await queueIds(anan)).toContain(oldChat);
    expect(await queueIds(bee)).not.toContain(oldChat);
    await say(server, citizen, 'ที่อยู่ของฉันคือบ้านเลขที่ 77 ซอยลับ');
    const oldPhoto = await photo(citizen);
    expect((await anan.call('POST', `/handoffs/${oldChat}/claim`)).status).toBe(200);
    // A canned reply of another district is none in this chat.
    const cannedB = (await boss.call('POST', '/canned-replies', { districtCode: '4902', title: 'บี', textTh: 'ของบี', textEn: 'B' })).body.id;
    expect((await anan.call('POST', `/handoffs/${oldChat}/reply`, { cannedId: cannedB })).status).toBe(404);
    expect((await anan.call('POST', `/handoffs/${oldChat}/reply`, { text: 'รับทราบค่ะ' })).status).toBe(201);
    expect((await anan.call('POST', `/handoffs/${oldChat}/end`, {})).status).toBe(200);

    // The case moves to B.
    await place(caseC, '4902');
    expect((await bee.call('GET', `/cases/${caseC}`)).status).toBe(200);
    expect((await anan.call('GET', `/cases/${caseC}`)).status).toBe(404);

    // A still reads the chat it handled, its photo too; B does not get it through the case it now has.
    const oldTranscript = await anan.call('GET', `/handoffs/${oldChat}/messages`);
    expect(oldTranscript.status).toBe(200);
    expect(oldTranscript.body.messages.map((m: any) => [m.direction, m.type, m.text ?? null])).toEqual([
      ['in', 'text', 'ที่อยู่ของฉันคือบ้านเลขที่ 77 ซอยลับ'],
      ['in', 'image', null],
      ['out', 'text', 'รับทราบค่ะ'],
    ]);
    expect((await anan.call('GET', `/content/${oldPhoto}`)).status).toBe(200);
    // A file the citizen sent outside the chat is not the chat's, though the same citizen sent it.
    expect((await anan.call('GET', `/content/${sentBefore}`)).status).toBe(404);
    for (const [method, path] of [
      ['GET', `/handoffs/${oldChat}/messages`],
      ['GET', `/handoffs/${oldChat}/stream`],
      ['POST', `/handoffs/${oldChat}/claim`],
      ['GET', `/content/${oldPhoto}`],
    ] as const) {
      const r = await bee.call(method, path);
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 404 });
    }
    expect((await bee.call('GET', `/cases/${caseC}`)).text).not.toContain('ซอยลับ');

    // The citizen asks again: the new chat is B's (the case's district now), and holds none of the old one.
    await say(server, citizen, 'ติดต่อเจ้าหน้าที่');
    const newChat = await newestHandoff(citizen);
    expect(newChat).not.toBe(oldChat);
    expect(await queueIds(bee)).toContain(newChat);
    expect(await queueIds(anan)).not.toContain(newChat);
    await say(server, citizen, 'ขอสอบถามความคืบหน้าค่ะ');
    const newTranscript = await bee.call('GET', `/handoffs/${newChat}/messages`);
    expect(newTranscript.status).toBe(200);
    expect(newTranscript.body.messages.map((m: any) => m.text ?? m.type)).toEqual(['ขอสอบถามความคืบหน้าค่ะ']);
    expect((await anan.call('GET', `/handoffs/${newChat}/messages`)).status).toBe(404);
    expect((await bee.call('GET', `/content/${oldPhoto}`)).status).toBe(404);

    // A complaint about an official in A, with a photo kept as evidence: not A's officer's, but the supervisor's.
    const whistle = newCitizen(server, 'th', 'นิรนาม');
    const confidential = await fileComplaint(server, whistle, 'th');
    await place(confidential, '4901');
    await server.db.query(`UPDATE cases SET category = 'official_conduct', confidential = $2 WHERE tracking_number = $1`, [
      confidential,
      server.db.dialect === 'postgres' ? true : 1,
    ]);
    const proof = await photo(whistle);
    const proofId = await attach(confidential, proof);
    for (const path of [`/cases/${confidential}`, `/cases/${confidential}/attachments/${proofId}`, `/content/${proof}`, `/cases/${caseC}/attachments/${proofId}`]) {
      expect({ path, status: (await anan.call('GET', path)).status }).toEqual({ path, status: 404 });
    }
    const detail = await boss.call('GET', `/cases/${confidential}`);
    expect(detail.body.attachments.map((a: any) => a.contentUrl)).toEqual([`/console/api/cases/${confidential}/attachments/${proofId}`]);
    for (const path of [`/cases/${confidential}/attachments/${proofId}?download=1`, `/content/${proof}`]) {
      const r = await boss.call('GET', path);
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
      expect(r.bytes.equals(JPEG)).toBe(true);
    }
    const audited = await server.db.query<{ target: string }>('SELECT target FROM audit_log WHERE officer_id = $1 AND action = $2', [ids.boss, 'case.download_file']);
    expect(audited.map((a) => a.target)).toEqual([confidential, confidential]);
  }, 120_000);
});
