/**
 * What an officer does to a case in the console, over real HTTP against the real server (its own console API at
 * /console/api) on SQLite and PostgreSQL, with citizens in the LINE emulator: ending and not accepting need a
 * reason from the Ministry's list, forwarding needs the agency's name; the citizen is told the agency or the
 * reason in their own language; a closed case is reopened with a note and its progress clock starts over;
 * a case is assigned only to an active officer of its district; an officer of another district reaches none
 * of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { END_REASONS, NOT_ACCEPTED_REASONS } from '../cases/reasons';
import { jobsByKeyPrefix } from '../scheduler/jobs';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { login, OFFICER_PASSWORD, type ConsoleClient } from './support/console-client';
import { DAY, fileComplaint, lines, newCitizen, received } from './support/citizen';

const AGENCY = 'การไฟฟ้าส่วนภูมิภาคอำเภอเมืองมุกดาหาร';
const PROGRESS_DAYS = 10; // not the default 15: proves the server's setting reaches the console

describe.each(engines())('the officer console: a case ended, forwarded, reopened and assigned, on %s', (engine) => {
  let server: TestServer;
  let somsri: ConsoleClient; // officer of 4901
  let niran: ConsoleClient; // officer of 4902
  let boss: ConsoleClient; // supervisor of province 49
  let thai: string; // a citizen who reads Thai
  let english: string; // a citizen who reads English
  let elsewhereCitizen: string;
  let caseTh: string; // 4901
  let caseEn: string; // 4901
  let elsewhere: string; // 4902
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901', PROGRESS_NOTICE_DAYS: String(PROGRESS_DAYS) });
    const officers = new OfficerStore(server.db);
    for (const o of [
      { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901' },
      { username: 'malee', displayName: 'มาลี', role: 'officer', districtCode: '4901' },
      { username: 'dang', displayName: 'แดง', role: 'officer', districtCode: '4901' },
      { username: 'niran', displayName: 'นิรันดร์', role: 'officer', districtCode: '4902' },
      { username: 'boss', displayName: 'หัวหน้า', role: 'supervisor', provinceCode: '49' },
    ] as const) {
      ids[o.username] = (await officers.create(CLI_ACTOR, { ...o, password: OFFICER_PASSWORD })).id;
    }
    await officers.disable(CLI_ACTOR, ids.dang!); // left the district: never offered, never assigned
    somsri = await login(server.url, 'somsri');
    niran = await login(server.url, 'niran');
    boss = await login(server.url, 'boss');

    thai = newCitizen(server, 'th');
    english = newCitizen(server, 'en');
    elsewhereCitizen = newCitizen(server, 'th');
    caseTh = await fileComplaint(server, thai, 'th');
    caseEn = await fileComplaint(server, english, 'en', { phone: '089-111-2222' });
    elsewhere = await fileComplaint(server, elsewhereCitizen, 'th', { phone: '086-555-4444' });
    await server.db.query(`UPDATE cases SET district_code = '4901', province_code = '49' WHERE tracking_number IN ($1, $2)`, [caseTh, caseEn]);
    await server.db.query(`UPDATE cases SET district_code = '4902', province_code = '49' WHERE tracking_number = $1`, [elsewhere]);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const status = (n: string, body: Record<string, unknown>, who: ConsoleClient = somsri) => who.call('POST', `/cases/${n}/status`, body);
  const detail = async (n: string, who: ConsoleClient = somsri) => (await who.call('GET', `/cases/${n}`)).body;

  it("refuses to end or not accept a case without a reason from the Ministry's list, naming the codes it would take", async () => {
    const before = server.emulator.delivered(thai).length;
    const noReason = await status(caseTh, { status: 'ended', public: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.allowed).toEqual([...END_REASONS]);
    expect(noReason.body.message).toContain('resolved, satisfied_or_withdrawn');

    // A reason of the other list is as good as none.
    const wrongList = await status(caseTh, { status: 'ended', public: true, reason: 'monarchy' });
    expect({ status: wrongList.status, allowed: wrongList.body.allowed }).toEqual({ status: 400, allowed: [...END_REASONS] });
    const notAccepted = await status(caseTh, { status: 'not_accepted', public: true, reason: 'resolved' });
    expect({ status: notAccepted.status, allowed: notAccepted.body.allowed }).toEqual({ status: 400, allowed: [...NOT_ACCEPTED_REASONS] });
    expect((await status(caseTh, { status: 'ended', public: true, reason: 'made_up' })).status).toBe(400);
    // A reason belongs to a closing only.
    expect((await status(caseTh, { status: 'in_progress', public: true, reason: 'resolved' })).status).toBe(400);

    const d = await detail(caseTh);
    expect({ status: d.status, closedAt: d.closedAt, events: d.timeline.length }).toEqual({ status: 'received', closedAt: null, events: 1 });
    expect(server.emulator.delivered(thai).length).toBe(before);
  });

  it("forwards a case only with the agency's name, and tells the citizen in Thai where it went", async () => {
    for (const agency of [undefined, '   ', 'ก'.repeat(201), 'การไฟฟ้า\nส่วนภูมิภาค']) {
      const r = await status(caseTh, { status: 'forwarded', public: true, ...(agency === undefined ? {} : { agency }) });
      expect(r.status, JSON.stringify(agency)).toBe(400);
    }
    expect((await status(caseTh, { status: 'in_progress', public: true, agency: AGENCY })).status).toBe(400);

    const before = server.emulator.delivered(thai).length;
    const forwarded = await status(caseTh, { status: 'forwarded', public: true, agency: `  ${AGENCY}  `, note: 'ส่งหนังสือถึงหน่วยงานแล้ว' });
    expect(forwarded.status).toBe(200);
    const pushed = await received(server, thai, before, 2);
    expect(lines(pushed)[0]).toBe(`ความคืบหน้าเรื่อง ${caseTh}: ส่งต่อหน่วยงานที่เกี่ยวข้อง\nหน่วยงานที่รับเรื่องต่อ: ${AGENCY}\nหมายเหตุจากเจ้าหน้าที่: ส่งหนังสือถึงหน่วยงานแล้ว`);

    const d = await detail(caseTh);
    expect(d).toMatchObject({ status: 'forwarded', forwardedTo: AGENCY });
    expect(d.timeline.at(-1)).toMatchObject({ kind: 'status', statusTo: 'forwarded', forwardedTo: AGENCY, reason: null, public: true, actorName: 'สมศรี' });
    const [row] = await server.db.query<{ forwarded_to: string }>('SELECT forwarded_to FROM cases WHERE tracking_number = $1', [caseTh]);
    expect(row!.forwarded_to).toBe(AGENCY);

    // The same agency again changes nothing: a 409, and the citizen is not told twice; another agency is news.
    const again = await status(caseTh, { status: 'forwarded', public: true, agency: AGENCY });
    expect({ status: again.status, problem: again.body.problem }).toEqual({ status: 409, problem: 'same_status' });
    const other = 'สำนักงานเทศบาลเมืองมุกดาหาร';
    const afterFirst = server.emulator.delivered(thai).length;
    expect((await status(caseTh, { status: 'forwarded', public: true, agency: other })).status).toBe(200);
    expect(lines(await received(server, thai, afterFirst, 2))[0]).toBe(`ความคืบหน้าเรื่อง ${caseTh}: ส่งต่อหน่วยงานที่เกี่ยวข้อง\nหน่วยงานที่รับเรื่องต่อ: ${other}`);
    expect((await detail(caseTh)).forwardedTo).toBe(other);
  }, 30_000);

  it('ends a case with its reason, told to an English-speaking citizen in English, and keeps a closed case closed until it is reopened', async () => {
    const before = server.emulator.delivered(english).length;
    const ended = await status(caseEn, { status: 'ended', public: true, reason: 'resolved', note: 'The street light was repaired.' });
    expect(ended.status).toBe(200);
    const pushed = await received(server, english, before, 2);
    expect(lines(pushed)[0]).toBe(`Update on case ${caseEn}: Closed\nReason: The problem has been solved\nNote from the officer: The street light was repaired.`);

    const d = await detail(caseEn);
    expect(d).toMatchObject({ status: 'ended', closeReason: 'resolved' });
    expect(d.closedAt).toEqual(expect.any(Number));
    expect(d.timeline.at(-1)).toMatchObject({ kind: 'status', statusTo: 'ended', reason: 'resolved', forwardedTo: null });

    // Ending it again, or moving it on, is refused: a closed case is reopened, not edited.
    const again = await status(caseEn, { status: 'ended', public: true, reason: 'resolved' });
    expect({ status: again.status, problem: again.body.problem }).toEqual({ status: 409, problem: 'closed' });
    expect((await status(caseEn, { status: 'in_progress', public: false })).status).toBe(409);
  }, 30_000);

  it('reopens a closed case with a note: open again, closing cleared, the citizen told, the progress job rescheduled', async () => {
    expect((await somsri.call('POST', `/cases/${caseTh}/reopen`, { note: 'x', public: false })).status).toBe(409); // not closed
    expect((await somsri.call('POST', `/cases/${caseEn}/reopen`, { public: true })).status).toBe(400); // no note
    expect((await somsri.call('POST', `/cases/${caseEn}/reopen`, { note: '   ', public: true })).status).toBe(400);
    expect((await somsri.call('POST', `/cases/${caseEn}/reopen`, { note: 'x', public: true }, { csrf: false })).status).toBe(403);

    const before = server.emulator.delivered(english).length;
    const started = Date.now();
    const r = await somsri.call('POST', `/cases/${caseEn}/reopen`, { note: 'The light is out again; we are checking.', public: true });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('in_progress');
    const pushed = await received(server, english, before, 2);
    expect(lines(pushed)[0]).toBe(`Update on case ${caseEn}: Being handled\nAn officer has reopened this case\nNote from the officer: The light is out again; we are checking.`);

    const [row] = await server.db.query<{ status: string; closed_at: unknown; close_reason: unknown; reopen_count: number | string; due_at: number | string }>(
      'SELECT status, closed_at, close_reason, reopen_count, due_at FROM cases WHERE tracking_number = $1',
      [caseEn],
    );
    expect({ status: row!.status, closedAt: row!.closed_at, closeReason: row!.close_reason, reopenCount: Number(row!.reopen_count) }).toEqual({
      status: 'in_progress',
      closedAt: null,
      closeReason: null,
      reopenCount: 1,
    });
    const dueAt = Number(row!.due_at);
    expect(dueAt).toBeGreaterThanOrEqual(started + PROGRESS_DAYS * DAY);
    expect(dueAt).toBeLessThanOrEqual(Date.now() + PROGRESS_DAYS * DAY);
    expect(r.body.dueAt).toBe(dueAt);
    // The progress job had run its course (the case was closed when it ran) or was waiting: either way it is
    // pending again, due with the new deadline.
    const jobs = await jobsByKeyPrefix(server.db, `progress:${caseEn}`);
    expect(jobs.map((j) => ({ status: j.status, runAt: j.runAt }))).toEqual([{ status: 'pending', runAt: dueAt }]);

    const d = await detail(caseEn);
    expect(d).toMatchObject({ status: 'in_progress', closedAt: null, closeReason: null, reopenCount: 1 });
    expect(d.timeline.slice(-2).map((e: any) => ({ kind: e.kind, to: e.statusTo, note: e.note, public: e.public }))).toEqual([
      { kind: 'reopened', to: null, note: null, public: true },
      { kind: 'status', to: 'in_progress', note: 'The light is out again; we are checking.', public: true },
    ]);
    // Open again, it can be ended again.
    expect((await status(caseEn, { status: 'ended', public: false, reason: 'resolved' })).status).toBe(200);
  }, 30_000);

  it("does not accept a case with the Ministry's reason, told in Thai, by the province's supervisor", async () => {
    const before = server.emulator.delivered(elsewhereCitizen).length;
    const r = await status(elsewhere, { status: 'not_accepted', public: true, reason: 'decided_by_court_or_agency' }, boss);
    expect(r.status).toBe(200);
    expect(lines(await received(server, elsewhereCitizen, before, 2))[0]).toBe(
      `ความคืบหน้าเรื่อง ${elsewhere}: ไม่รับเรื่อง\nเหตุผล: เรื่องเดียวกันนี้ศาลหรือหน่วยงานที่เกี่ยวข้องได้วินิจฉัยแล้ว`,
    );
    expect(await detail(elsewhere, boss)).toMatchObject({ status: 'not_accepted', closeReason: 'decided_by_court_or_agency' });
  }, 30_000);

  it("lists the district's active officers to assign to, assigns within the district only, and shows the assignee", async () => {
    const offered = await somsri.call('GET', `/cases/${caseTh}/assignees`);
    expect(offered.status).toBe(200);
    expect(offered.body.officers.map((o: any) => o.id).sort()).toEqual([ids.somsri, ids.malee].sort());
    expect(offered.body.officers.find((o: any) => o.id === ids.malee)).toEqual({ id: ids.malee, name: 'มาลี', role: 'officer' });
    // The supervisor of the province may assign too, from the same list.
    expect((await boss.call('GET', `/cases/${caseTh}/assignees`)).body.officers).toEqual(offered.body.officers);

    expect((await somsri.call('POST', `/cases/${caseTh}/assign`, { officerId: ids.niran })).status).toBe(409);
    expect((await somsri.call('POST', `/cases/${caseTh}/assign`, { officerId: ids.dang })).status).toBe(404);
    expect((await somsri.call('POST', `/cases/${caseTh}/assign`, { officerId: 'malee' })).status).toBe(400);
    const assigned = await somsri.call('POST', `/cases/${caseTh}/assign`, { officerId: ids.malee });
    expect(assigned.status).toBe(200);

    const d = await detail(caseTh);
    expect(d.assignedTo).toEqual({ officerId: ids.malee, name: 'มาลี' });
    expect(d.timeline.at(-1)).toMatchObject({ kind: 'assigned', assignee: { officerId: ids.malee, name: 'มาลี' }, note: null, public: false, actorName: 'สมศรี' });
    const [row] = await server.db.query<{ assigned_officer_id: number | string }>('SELECT assigned_officer_id FROM cases WHERE tracking_number = $1', [caseTh]);
    expect(Number(row!.assigned_officer_id)).toBe(ids.malee);
    const list = await somsri.call('GET', `/cases?q=${caseTh}`);
    expect(list.body.cases).toEqual([expect.objectContaining({ number: caseTh, assignedTo: { officerId: ids.malee, name: 'มาลี' } })]);
    // The citizen never hears of it.
    expect(JSON.stringify(server.emulator.delivered(thai))).not.toContain('มาลี');
  });

  it('gives an officer of another district a 404 for every action on the case, as for reading it', async () => {
    const [row] = await server.db.query<{ status: string; assigned_officer_id: unknown }>('SELECT status, assigned_officer_id FROM cases WHERE tracking_number = $1', [caseEn]);
    const tries = [
      niran.call('GET', `/cases/${caseEn}`),
      niran.call('GET', `/cases/${caseEn}/assignees`),
      niran.call('POST', `/cases/${caseEn}/reopen`, { note: 'x', public: true }),
      niran.call('POST', `/cases/${caseEn}/status`, { status: 'forwarded', agency: AGENCY, public: true }),
      niran.call('POST', `/cases/${caseEn}/assign`, { officerId: ids.niran }),
    ];
    expect((await Promise.all(tries)).map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    const [after] = await server.db.query<{ status: string; assigned_officer_id: unknown }>('SELECT status, assigned_officer_id FROM cases WHERE tracking_number = $1', [caseEn]);
    expect(after).toEqual(row);
    expect((await niran.call('GET', '/cases/XX-0000-000000-0/assignees')).status).toBe(404);
  });
});
