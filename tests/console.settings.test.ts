/**
 * The console's settings APIs over real HTTP against the real server, on SQLite and PostgreSQL: the district
 * directory (which districts an account may configure, named from the bundled DOPA list) and a district's canned
 * replies (read by whoever may reply in its chats, written only by its province's supervisors and admins, each
 * change in the audit log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { createAndSignIn, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';

type Who = 'somsri' | 'niran' | 'boss' | 'udon' | 'admin';
const ACCOUNTS = [
  { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901' },
  { username: 'niran', displayName: 'นิรันดร์', role: 'officer', districtCode: '4902' },
  { username: 'boss', displayName: 'หัวหน้ามุกดาหาร', role: 'supervisor', provinceCode: '49' },
  { username: 'udon', displayName: 'หัวหน้าอุดร', role: 'supervisor', provinceCode: '41' },
  { username: 'admin', displayName: 'ผู้ดูแล', role: 'admin' },
] as const;

describe.each(engines())('the console settings APIs, over real HTTP against the real server, on %s', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  const as = {} as Record<Who, ConsoleClient>;
  const ids = {} as Record<Who, number>;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    api = await startConsoleApi(server);
    const signedIn = await createAndSignIn(api, ACCOUNTS);
    Object.assign(as, signedIn.as);
    Object.assign(ids, signedIn.ids);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  describe('the district directory', () => {
    it("gives a supervisor their province's districts with Thai and English names, all configurable", async () => {
      const r = await as.boss.call('GET', '/districts');
      expect(r.status).toBe(200);
      expect(r.body.districts.map((d: any) => d.code)).toEqual(['4901', '4902', '4903', '4904', '4905', '4906', '4907']);
      expect(r.body.districts[0]).toEqual({
        code: '4901',
        th: 'เมืองมุกดาหาร',
        en: 'Mueang Mukdahan',
        provinceCode: '49',
        provinceTh: 'มุกดาหาร',
        provinceEn: 'Mukdahan',
        canConfigure: true,
      });
      // Another province asked for by name is not widened into: nothing of it is configurable by him.
      expect((await as.boss.call('GET', '/districts?province=41')).body.districts).toEqual([]);
    });

    it('gives an admin every district, or one province with ?province=', async () => {
      const all = await as.admin.call('GET', '/districts');
      expect(all.status).toBe(200);
      expect(all.body.districts.length).toBe(928);
      expect(all.body.districts.every((d: any) => d.canConfigure === true)).toBe(true);
      const udon = await as.admin.call('GET', '/districts?province=41');
      expect(udon.body.districts[0]).toMatchObject({ code: '4101', th: 'เมืองอุดรธานี', en: 'Mueang Udon Thani', provinceTh: 'อุดรธานี' });
      expect(udon.body.districts.every((d: any) => d.provinceCode === '41')).toBe(true);
    });

    it('gives an officer only their own district, read-only', async () => {
      const r = await as.somsri.call('GET', '/districts');
      expect(r.body.districts).toEqual([expect.objectContaining({ code: '4901', th: 'เมืองมุกดาหาร', canConfigure: false })]);
      expect((await as.somsri.call('GET', '/districts/4901')).body).toMatchObject({ code: '4901', canConfigure: false });
      expect((await as.somsri.call('GET', '/districts/4902')).status).toBe(403);
    });

    it('answers one district for a settings page heading, and refuses what the account may not configure', async () => {
      expect((await as.boss.call('GET', '/districts/4903')).body).toMatchObject({ code: '4903', th: 'ดอนตาล', en: 'Don Tan', canConfigure: true });
      expect((await as.boss.call('GET', '/districts/4101')).status).toBe(403);
      expect((await as.udon.call('GET', '/districts/4101')).body).toMatchObject({ code: '4101', canConfigure: true });
      expect((await as.admin.call('GET', '/districts/4101')).status).toBe(200);
    });

    it('refuses malformed and unknown codes with a reason', async () => {
      const short = await as.admin.call('GET', '/districts?province=4');
      expect(short.status).toBe(400);
      expect(short.body.message).toMatch(/province/);
      expect((await as.admin.call('GET', '/districts?province=99')).status).toBe(404);
      expect((await as.admin.call('GET', '/districts?colour=red')).status).toBe(400);
      expect((await as.admin.call('GET', '/districts/49x1')).status).toBe(400);
      expect((await as.admin.call('GET', '/districts/4999')).status).toBe(404);
    });

    it('is for signed-in accounts only', async () => {
      expect((await fetch(`${api.base}/console/api/districts`)).status).toBe(401);
    });
  });

  describe('canned replies', () => {
    const reply = (n: string) => ({ title: `หัวข้อ ${n}`, textTh: `ข้อความ ${n}`, textEn: `Text ${n}` });

    it('are written by the supervisor, read by the district officers in the chat, changed and deleted, each change audited', async () => {
      const made = await as.boss.call('POST', '/canned-replies', { districtCode: '4901', title: 'รับเรื่อง', textTh: 'รับเรื่องแล้วค่ะ', textEn: 'We have your request.' });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ districtCode: '4901', title: 'รับเรื่อง', textTh: 'รับเรื่องแล้วค่ะ', textEn: 'We have your request.' });
      const id = made.body.id as number;

      // Somsri's chat page asks without a district: her own.
      const hers = await as.somsri.call('GET', '/canned-replies');
      expect(hers.body.cannedReplies).toEqual([expect.objectContaining({ id, title: 'รับเรื่อง', textEn: 'We have your request.' })]);
      expect((await as.niran.call('GET', '/canned-replies')).body.cannedReplies).toEqual([]);

      const changed = await as.admin.call('PUT', `/canned-replies/${id}`, { title: 'รับเรื่องแล้ว', textTh: 'เจ้าหน้าที่รับเรื่องแล้วค่ะ', textEn: 'An officer has your request.' });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ id, districtCode: '4901', title: 'รับเรื่องแล้ว', textTh: 'เจ้าหน้าที่รับเรื่องแล้วค่ะ' });
      expect((await as.somsri.call('GET', '/canned-replies')).body.cannedReplies.map((c: any) => c.textEn)).toEqual(['An officer has your request.']);

      expect((await as.boss.call('DELETE', `/canned-replies/${id}`)).status).toBe(204);
      expect((await as.somsri.call('GET', '/canned-replies')).body.cannedReplies).toEqual([]);
      expect((await as.boss.call('DELETE', `/canned-replies/${id}`)).status).toBe(404);

      const audit = await server.db.query<{ officer_id: number; action: string; target: string; detail: string }>(
        `SELECT officer_id, action, target, detail FROM audit_log WHERE action LIKE 'canned_reply.%' ORDER BY id`,
      );
      expect(audit.map((a) => ({ officer: Number(a.officer_id), action: a.action, target: a.target, id: JSON.parse(a.detail).id }))).toEqual([
        { officer: ids.boss, action: 'canned_reply.create', target: '4901', id },
        { officer: ids.admin, action: 'canned_reply.update', target: '4901', id },
        { officer: ids.boss, action: 'canned_reply.delete', target: '4901', id },
      ]);
    });

    it('keep the district of a stored reply: a change cannot move it to another district', async () => {
      const made = await as.boss.call('POST', '/canned-replies', { districtCode: '4902', ...reply('ย้าย') });
      const moved = await as.boss.call('PUT', `/canned-replies/${made.body.id}`, { districtCode: '4901', ...reply('ย้าย') });
      expect(moved.status).toBe(400);
      expect(moved.body.errors.map((e: any) => e.message).join(' ')).toMatch(/districtCode/);
      expect((await as.niran.call('GET', '/canned-replies')).body.cannedReplies.map((c: any) => c.districtCode)).toEqual(['4902']);
    });

    it('refuse bad input with the reason, never a 500', async () => {
      const empty = await as.boss.call('POST', '/canned-replies', { districtCode: '4901', title: ' ', textTh: 'x', textEn: 'y' });
      expect(empty.status).toBe(400);
      expect(empty.body.errors.map((e: any) => e.path)).toEqual(['title']);
      const noEnglish = await as.boss.call('POST', '/canned-replies', { districtCode: '4901', title: 'a', textTh: 'x' });
      expect(noEnglish.status).toBe(400);
      expect(noEnglish.body.errors.map((e: any) => e.path)).toEqual(['textEn']);
      expect((await as.boss.call('POST', '/canned-replies', { districtCode: '49', ...reply('1') })).status).toBe(400);
      expect((await as.boss.call('GET', '/canned-replies?district=abcd')).status).toBe(400);
      expect((await as.admin.call('PUT', '/canned-replies/not-a-number', reply('1'))).status).toBe(404);
      expect((await as.admin.call('PUT', '/canned-replies/999999', reply('1'))).status).toBe(404);
      const made = await as.boss.call('POST', '/canned-replies', { districtCode: '4903', ...reply('2') });
      expect((await as.boss.call('PUT', `/canned-replies/${made.body.id}`, { title: 'only a title' })).status).toBe(400);
      expect((await as.boss.call('PUT', `/canned-replies/${made.body.id}`, reply('2'), { csrf: false })).status).toBe(403);
      expect((await as.boss.call('DELETE', `/canned-replies/${made.body.id}`, undefined, { csrf: false })).status).toBe(403);
    });

    // Each role against each action, in the officer's own district, a neighbour in the province and another
    // province: what the server answers (the page's buttons do not matter).
    const table: Array<[Who, string, { read: number; write: number }]> = [
      ['somsri', '4901', { read: 200, write: 403 }],
      ['somsri', '4902', { read: 403, write: 403 }],
      ['somsri', '4101', { read: 403, write: 403 }],
      ['niran', '4902', { read: 200, write: 403 }],
      ['boss', '4901', { read: 200, write: 2 }],
      ['boss', '4905', { read: 200, write: 2 }],
      ['boss', '4101', { read: 403, write: 403 }],
      ['udon', '4901', { read: 403, write: 403 }],
      ['udon', '4101', { read: 200, write: 2 }],
      ['admin', '4901', { read: 200, write: 2 }],
      ['admin', '4101', { read: 200, write: 2 }],
    ];
    it.each(table)('%s in district %s: read %j', async (who, district, want) => {
      const client = as[who];
      // A reply of the district, made by an admin, for the change and delete attempts.
      const seeded = await as.admin.call('POST', '/canned-replies', { districtCode: district, ...reply(`${who}-${district}`) });
      expect(seeded.status).toBe(201);

      expect((await client.call('GET', `/canned-replies?district=${district}`)).status).toBe(want.read);
      const created = await client.call('POST', '/canned-replies', { districtCode: district, ...reply('ใหม่') });
      const changed = await client.call('PUT', `/canned-replies/${seeded.body.id}`, reply('แก้'));
      const deleted = await client.call('DELETE', `/canned-replies/${seeded.body.id}`);
      const statuses = [created.status, changed.status, deleted.status];
      if (want.write === 403) expect(statuses).toEqual([403, 403, 403]);
      else expect(statuses).toEqual([201, 200, 204]);
      // A refused write left the stored reply as it was.
      if (want.write === 403) {
        const stored = await server.db.query<{ title: string }>('SELECT title FROM canned_reply WHERE id = $1', [seeded.body.id]);
        expect(stored.map((s) => s.title)).toEqual([`หัวข้อ ${who}-${district}`]);
      }
    });
  });
});
