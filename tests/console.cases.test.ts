import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../console/auth/officers';
import { caseByNumber, caseView } from '../cases/store';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { login, OFFICER_PASSWORD, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';
import { fileComplaint, lines, newCitizen, received } from './support/citizen';

describe.each(engines())('the officer console: cases, over real HTTP against the real server, on %s', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let somsri: ConsoleClient; // officer of 4901
  let boss: ConsoleClient; // supervisor of province 49
  let citizenA: string;
  let mine: string; // 4901, open
  let elsewhere: string; // 4902
  let aboutOfficial: string; // 4901, confidential
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    api = await startConsoleApi(server, { onQueued: () => server.outbox.wake() });
    for (const o of [
      { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901' },
      { username: 'malee', displayName: 'มาลี', role: 'officer', districtCode: '4901' },
      { username: 'niran', displayName: 'นิรันดร์', role: 'officer', districtCode: '4902' },
      { username: 'boss', displayName: 'หัวหน้า', role: 'supervisor', provinceCode: '49' },
    ] as const) {
      ids[o.username] = (await api.auth.officers.create(CLI_ACTOR, { ...o, password: OFFICER_PASSWORD })).id;
    }
    somsri = await login(api.base, 'somsri');
    boss = await login(api.base, 'boss');

    citizenA = newCitizen(server, 'th');
    mine = await fileComplaint(server, citizenA, 'th', { phone: '081-234-5678' });
    elsewhere = await fileComplaint(server, newCitizen(server, 'th'), 'th', { phone: '089-111-2222' });
    aboutOfficial = await fileComplaint(server, newCitizen(server, 'th'), 'th', { phone: '086-555-4444' });
    // Placed where the test needs them: another district, and a complaint about an official (confidential).
    await server.db.query(`UPDATE cases SET district_code = '4901', province_code = '49' WHERE tracking_number IN ($1, $2)`, [mine, aboutOfficial]);
    await server.db.query(`UPDATE cases SET district_code = '4902', province_code = '49' WHERE tracking_number = $1`, [elsewhere]);
    await server.db.query(`UPDATE cases SET category = 'official_conduct', confidential = $2, complainant_name = 'ประยุทธ ทดสอบ' WHERE tracking_number = $1`, [
      aboutOfficial,
      server.db.dialect === 'postgres' ? true : 1,
    ]);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  const numbers = (r: { body: any }) => r.body.cases.map((c: any) => c.number).sort();

  it('lists only what the officer may see, with filters and search, and never a personal number', async () => {
    const own = await somsri.call('GET', '/cases');
    expect(own.status).toBe(200);
    expect(numbers(own)).toEqual([mine]);
    expect(own.body.total).toBe(1);
    expect(own.text).not.toMatch(/0812345678|081-234-5678|812345678|\+66/);
    expect(own.body.cases[0]).toMatchObject({ number: mine, status: 'received', districtCode: '4901', complainantName: 'สมศรี ใจดี', overdue: false });

    expect(numbers(await boss.call('GET', '/cases'))).toEqual([mine, elsewhere, aboutOfficial].sort());
    expect(numbers(await boss.call('GET', '/cases?district=4902'))).toEqual([elsewhere]);
    expect(numbers(await boss.call('GET', '/cases?category=official_conduct'))).toEqual([aboutOfficial]);
    expect(numbers(await boss.call('GET', `/cases?q=${encodeURIComponent(elsewhere.toLowerCase())}`))).toEqual([elsewhere]);
    expect(numbers(await boss.call('GET', `/cases?q=${encodeURIComponent('ประยุทธ')}`))).toEqual([aboutOfficial]);
    // Asking for another district's cases by filter does not widen an officer's reach.
    expect(numbers(await somsri.call('GET', '/cases?district=4902'))).toEqual([]);

    await server.db.query('UPDATE cases SET due_at = $2 WHERE tracking_number = $1', [elsewhere, Date.now() - 60_000]);
    expect(numbers(await boss.call('GET', '/cases?overdue=true'))).toEqual([elsewhere]);
    expect(numbers(await boss.call('GET', '/cases?overdue=false'))).toEqual([mine, aboutOfficial].sort());
    expect(numbers(await boss.call('GET', '/cases?from=2020-01-01&to=2020-12-31'))).toEqual([]);
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10); // Thailand's date
    expect(numbers(await boss.call('GET', `/cases?from=${today}&to=${today}`))).toHaveLength(3);
    const page = await boss.call('GET', '/cases?pageSize=2&page=2');
    expect({ total: page.body.total, n: page.body.cases.length }).toEqual({ total: 3, n: 1 });
    expect((await boss.call('GET', '/cases?status=nonsense')).status).toBe(400);
  }, 30_000);

  it('hides a confidential case from an officer and shows it to the supervisor, decrypting the phone only in the audited detail', async () => {
    expect((await somsri.call('GET', `/cases/${aboutOfficial}`)).status).toBe(404);
    const detail = await boss.call('GET', `/cases/${aboutOfficial}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ number: aboutOfficial, confidential: true, complainant: { name: 'ประยุทธ ทดสอบ' } });
    expect(String(detail.body.complainant.phone).replace(/\D/g, '')).toMatch(/0865554444$|865554444$/);
    const audit = await server.db.query<{ officer_id: number; target: string }>(`SELECT officer_id, target FROM audit_log WHERE action = 'case.view_personal'`);
    expect(audit.map((a) => ({ officer: Number(a.officer_id), target: a.target }))).toEqual([{ officer: ids.boss, target: aboutOfficial }]);
    // The database never holds the number in the clear.
    const [raw] = await server.db.query<{ phone_enc: string }>('SELECT phone_enc FROM cases WHERE tracking_number = $1', [aboutOfficial]);
    expect(raw!.phone_enc).not.toContain('4444');
  });

  it('keeps an internal note off the citizen timeline, pushes a public status change, and assigns within the district only', async () => {
    const before = server.emulator.delivered(citizenA).length;
    expect((await somsri.call('POST', `/cases/${mine}/notes`, { note: 'โทรประสาน อบต. แล้ว' }, { csrf: false })).status).toBe(403);
    expect((await somsri.call('POST', `/cases/${mine}/notes`, { note: 'โทรประสาน อบต. แล้ว' })).status).toBe(201);
    expect((await somsri.call('POST', `/cases/${elsewhere}/notes`, { note: 'x' })).status).toBe(404);

    const changed = await somsri.call('POST', `/cases/${mine}/status`, { status: 'in_progress', note: 'ส่งช่างไปตรวจแล้ว', public: true });
    expect(changed.status).toBe(200);
    const pushed = await received(server, citizenA, before, 2);
    expect(lines(pushed)[0]).toBe(`ความคืบหน้าเรื่อง ${mine}: อยู่ระหว่างดำเนินการ\nหมายเหตุจากเจ้าหน้าที่: ส่งช่างไปตรวจแล้ว`);
    expect(JSON.stringify(pushed)).not.toContain('โทรประสาน');

    const row = (await caseByNumber(server.db, mine))!;
    const citizenSees = await caseView(server.db, row);
    expect(JSON.stringify(citizenSees)).not.toContain('โทรประสาน');
    const detail = await somsri.call('GET', `/cases/${mine}`);
    expect(detail.body.timeline.filter((e: any) => e.kind === 'note')).toEqual([expect.objectContaining({ note: 'โทรประสาน อบต. แล้ว', public: false })]);
    expect(detail.body.timeline.at(-1)).toMatchObject({ kind: 'status', statusTo: 'in_progress', actorType: 'officer', actorId: String(ids.somsri), public: true });
    expect(detail.body.status).toBe('in_progress');

    expect((await somsri.call('POST', `/cases/${mine}/assign`, { officerId: ids.niran })).status).toBe(409);
    const assigned = await somsri.call('POST', `/cases/${mine}/assign`, { officerId: ids.malee });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignedTo).toEqual({ officerId: ids.malee, name: 'มาลี' });
  }, 30_000);
});
