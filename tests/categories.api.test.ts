/**
 * The case categories as data, against the real server and its LINE emulator on both engines: the shipped ones
 * seeded with their rules; admins add, edit and retire them on their own accounts (audited), supervisors and officers
 * read; a flow files into a new category only once it exists, and a citizen's case then carries it, its names and
 * its deadline; the counter applies a category's rules; notices route by its confidentiality; reports and open data
 * list it; retiring refuses new cases but keeps the old ones readable; another process sees a change within the
 * cache's time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { FLOW_JSON } from '../console/api/flows-editor/index';
import { CATEGORY_CACHE_MS, CategoryStore, categoryList } from '../categories';
import { monthlyHeaders, monthlyReport } from '../reports/monthly';
import { FlowStore, type FlowLogger } from '../flows/store';
import type { FlowDefinition } from '../flows/definition';
import { login, OFFICER_PASSWORD, type ConsoleClient } from './support/console-client';
import { DAY, lines, newCitizen, send } from './support/citizen';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const LAND = {
  code: 'land_dispute',
  name: { th: 'ข้อพิพาทที่ดิน', en: 'Land dispute' },
  confidential: false,
  consentRequired: false,
  nationalIdRequired: true,
  anonymousAllowed: false,
  deadlineDays: 7,
};

const WALK_IN = {
  channel: 'walk_in',
  story: 'เพื่อนบ้านล้อมรั้วรุกเข้ามาในที่ดินของผู้ร้องประมาณสองเมตร ตกลงกันเองไม่ได้',
  placeProvince: '49',
  placeDistrict: '4901',
  fullName: 'บุญมี ขยันดี',
  phone: '081 234 1234',
  address: '99 หมู่ 2 ต.ศรีบุญเรือง อ.เมืองมุกดาหาร จ.มุกดาหาร',
};

const TRACKING_NUMBER = /[A-Z]{2,5}-\d{4}-\d{6,}-\d/;

/**
 * A complaint through the chat, choosing the category by the words of its choice, giving the national ID after the
 * phone when the category asks it; returns the number and the receipt's words.
 */
async function complainAs(server: TestServer, user: string, choice: string, o: { nationalId?: string } = {}): Promise<{ number: string; receipt: string }> {
  const steps = [
    { type: 'text', text: 'ร้องเรียน/แจ้งเรื่อง' },
    { type: 'text', text: choice },
    { type: 'text', text: 'เพื่อนบ้านล้อมรั้วรุกที่ดินเข้ามาสองเมตร ตกลงกันไม่ได้ค่ะ' },
    { type: 'location', latitude: 16.5453, longitude: 104.7235, title: 'ตลาดอินโดจีน', address: 'Mukdahan' },
    { type: 'text', text: 'ใช่' },
    { type: 'text', text: 'เมื่อวาน' },
    { type: 'text', text: 'เพื่อนบ้าน' },
    { type: 'text', text: 'ขอให้ช่วยไกล่เกลี่ย' },
    { type: 'text', text: 'ไม่มี' },
    { type: 'text', text: 'สมศรี ใจดี' },
    { type: 'text', text: '081-234-5678' },
    ...(o.nationalId ? [{ type: 'text', text: o.nationalId } as const] : []),
    { type: 'text', text: '99 หมู่ 2 ต.ศรีบุญเรือง อ.เมือง จ.มุกดาหาร' },
    { type: 'text', text: 'ส่งเรื่อง' },
  ] as const;
  const chat: string[] = [];
  for (const step of steps) {
    const answer = await send(server, user, step);
    chat.push(`user: ${step.type === 'text' ? step.text : step.type}`, ...lines(answer).map((l) => `bot: ${l}`));
  }
  const receipt = chat.find((l) => l.startsWith('bot: [flex]') && TRACKING_NUMBER.test(l));
  if (!receipt) throw new Error(`no receipt; the chat was:\n${chat.join('\n')}`);
  return { number: TRACKING_NUMBER.exec(receipt)![0], receipt };
}

describe.each(engines())('the case categories (%s)', (engine) => {
  let server: TestServer;
  const as: Record<string, ConsoleClient> = {};
  const ids: Record<string, number> = {};
  let chatCase = '';
  let counterCase = '';

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901', OPEN_DATA: 'on' });
    const officers = new OfficerStore(server.db);
    for (const o of [
      { username: 'admin1', displayName: 'ผู้ดูแล หนึ่ง', role: 'admin' },
      { username: 'boss49', displayName: 'หัวหน้า จังหวัด', role: 'supervisor', provinceCode: '49' },
      { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901' },
    ] as const) {
      ids[o.username] = (await officers.create(CLI_ACTOR, { ...o, password: OFFICER_PASSWORD })).id;
      as[o.username] = await login(server.url, o.username);
    }
    // Where the district and the province's supervisors are told: e-mail addresses, enough to see what is queued.
    for (const district of ['4901', '4900']) {
      await server.db.query(
        `INSERT INTO district_target (district_code, kind, address, active, created_at, created_by, updated_at, updated_by)
         VALUES ($1, 'email', $2, $3, $4, 'test', $4, 'test')`,
        [district, `d${district}@example.go.th`, engine === 'sqlite' ? 1 : true, Date.now()],
      );
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  async function sendFlow(method: string, path: string, body: string, type: string) {
    const c = as.admin1!;
    const res = await fetch(`${server.url}/console/api${path}`, { method, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type }, body });
    const text = await res.text();
    return { status: res.status, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : null };
  }
  const audit = (action: string) =>
    server.db.query<{ officer_id: number | string | null; target: string; detail: string | null }>('SELECT officer_id, target, detail FROM audit_log WHERE action = $1 ORDER BY id', [action]);
  const caseRow = async (number: string) =>
    (await server.db.query<{ category: string; confidential: unknown; created_at: unknown; due_at: unknown }>('SELECT category, confidential, created_at, due_at FROM cases WHERE tracking_number = $1', [number]))[0]!;
  const newCasePayloads = async (number: string) =>
    (await server.db.query<{ district_code: string; payload: string }>(`SELECT district_code, payload FROM notification WHERE event = 'case.new' AND subject_key = $1`, [number])).map((r) => ({
      district: r.district_code,
      ...(JSON.parse(r.payload) as Record<string, unknown>),
    }));

  it('ships the categories the code had, with their rules, for every signed-in officer to read; only admins may change them', async () => {
    const read = await as.somsri!.call('GET', '/categories');
    expect(read.status).toBe(200);
    expect(read.body.canEdit).toBe(false);
    expect(read.body.categories.map((c: { code: string }) => c.code)).toEqual(['complaint', 'assistance', 'justice', 'official_conduct', 'tip_off', 'information', 'consultation', 'suggestion']);
    const byCode = Object.fromEntries(read.body.categories.map((c: { code: string }) => [c.code, c]));
    expect(byCode.official_conduct).toMatchObject({ name: { th: 'ร้องเรียนพฤติกรรมเจ้าหน้าที่รัฐ' }, confidential: true, nationalIdRequired: true, retiredAt: null, deadlineDays: null });
    expect(byCode.justice).toMatchObject({ consentRequired: true, nationalIdRequired: true, confidential: false });
    expect(byCode.tip_off).toMatchObject({ anonymousAllowed: true });
    expect((await as.boss49!.call('GET', '/categories')).body.canEdit).toBe(false);
    expect((await as.admin1!.call('GET', '/categories')).body.canEdit).toBe(true);

    expect((await as.boss49!.call('POST', '/categories', LAND)).status).toBe(403);
    expect((await as.somsri!.call('POST', '/categories', LAND)).status).toBe(403);
    expect((await as.boss49!.call('POST', '/categories/suggestion/retire')).status).toBe(403);
    expect((await as.admin1!.call('POST', '/categories', { ...LAND, code: 'Land Dispute' })).body.errors).toEqual([expect.objectContaining({ path: 'code' })]);
    expect((await as.admin1!.call('POST', '/categories', { ...LAND, deadlineDays: 0 })).body.errors).toEqual([expect.objectContaining({ path: 'deadlineDays' })]);
    expect((await as.admin1!.call('POST', '/categories/complaint/retire')).status).toBe(409); // the default one stays
  });

  it('lets a flow file into a new category only once the category exists', async () => {
    const created = await as.admin1!.call('POST', '/flows/complaint/drafts', {});
    const doc = parseDocument(created.body.draft.source as string);
    doc.setIn(['texts', 'th', 'cat_land'], 'ข้อพิพาทที่ดิน');
    doc.setIn(['texts', 'en', 'cat_land'], 'Land dispute');
    (doc.getIn(['nodes', 'category', 'options']) as { add(v: unknown): void }).add(doc.createNode({ label: 'cat_land', value: 'land_disput', next: 'routeCategory' }));
    const draftId = created.body.draft.id as number;
    expect((await sendFlow('PUT', `/flows/drafts/${draftId}`, JSON.stringify({ source: doc.toString({ lineWidth: 0 }), revision: 1 }), FLOW_JSON)).status).toBe(200);
    const refused = await as.admin1!.call('POST', `/flows/drafts/${draftId}/publish`, { note: 'เพิ่มหมวดที่ดิน', revision: 2, expectLive: 4 });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'nodes.category.options.8.value', message: 'unknown category "land_disput"' })]);
    expect(refused.body.errors[0].line).toBeGreaterThan(1);

    const added = await as.admin1!.call('POST', '/categories', LAND);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ ...LAND, retiredAt: null, updatedBy: 'admin1', sortOrder: 90 });
    expect((await as.admin1!.call('POST', '/categories', LAND)).status).toBe(409);
    const [entry] = await audit('category.create');
    expect(entry).toMatchObject({ target: 'category land_dispute' });
    expect(Number(entry!.officer_id)).toBe(ids.admin1);

    // Still a typo: the validator says which one was meant.
    const typo = await as.admin1!.call('POST', `/flows/drafts/${draftId}/publish`, { note: 'เพิ่มหมวดที่ดิน', revision: 2, expectLive: 4 });
    expect(typo.body.errors).toEqual([expect.objectContaining({ message: 'unknown category "land_disput"', suggestion: 'did you mean "land_dispute"?' })]);
    doc.setIn(['nodes', 'category', 'options', 8, 'value'], 'land_dispute');
    expect((await sendFlow('PUT', `/flows/drafts/${draftId}`, JSON.stringify({ source: doc.toString({ lineWidth: 0 }), revision: 2 }), FLOW_JSON)).status).toBe(200);
    const published = await as.admin1!.call('POST', `/flows/drafts/${draftId}/publish`, { note: 'เพิ่มหมวดที่ดิน', revision: 3, expectLive: 4 });
    expect(published.body).toMatchObject({ ok: true, version: 5 });
  });

  it("files a citizen's complaint under the new category: its names on the receipt and the notice, its own deadline", async () => {
    const citizen = newCitizen(server, 'th', 'สมศรี');
    // Its rules ask the national ID (tests/categories.chat.test.ts shows each rule's question).
    const filed = await complainAs(server, citizen, 'ข้อพิพาทที่ดิน', { nationalId: '1-1017-00230-70-8' });
    chatCase = filed.number;
    expect(filed.receipt).toContain('(ข้อพิพาทที่ดิน)');
    const row = await caseRow(chatCase);
    expect(row.category).toBe('land_dispute');
    expect(Boolean(row.confidential)).toBe(false);
    expect(Number(row.due_at) - Number(row.created_at)).toBe(7 * DAY);
    expect(await newCasePayloads(chatCase)).toEqual([expect.objectContaining({ district: '4901', category: 'land_dispute', categoryName: LAND.name, summary: expect.stringContaining('ล้อมรั้ว') })]);

    const detail = await as.somsri!.call('GET', `/cases/${chatCase}`);
    expect(detail.body).toMatchObject({ category: 'land_dispute' });
    const listed = await as.somsri!.call('GET', '/cases?category=land_dispute');
    expect(listed.body.cases.map((r: { number: string }) => r.number)).toEqual([chatCase]);
  }, 60_000);

  it("applies a category's rules at the counter: its national ID, no anonymity unless allowed, supervisors only when confidential", async () => {
    const missingId = await as.somsri!.call('POST', '/cases', { ...WALK_IN, category: 'land_dispute' });
    expect(missingId.status).toBe(400);
    expect(missingId.body.errors).toContainEqual({ path: 'nationalId', message: 'empty' });
    const anonymous = await as.somsri!.call('POST', '/cases', { ...WALK_IN, category: 'complaint', anonymous: true });
    expect(anonymous.body.errors).toContainEqual({ path: 'anonymous', message: 'anonymous_not_allowed' });
    expect((await as.somsri!.call('POST', '/cases', { ...WALK_IN, category: 'nope' })).body.errors).toContainEqual({ path: 'category', message: 'unknown_category' });

    const recorded = await as.somsri!.call('POST', '/cases', { ...WALK_IN, category: 'land_dispute', nationalId: '1-1017-00230-70-8' });
    expect(recorded.status).toBe(201);
    counterCase = recorded.body.number;
    const row = await caseRow(counterCase);
    expect(Number(row.due_at) - Number(row.created_at)).toBe(7 * DAY);

    // A confidential category of the admins' making: recorded by the province, told to its supervisors, without the story.
    const graft = { ...LAND, code: 'graft', name: { th: 'ทุจริตในหน้าที่', en: 'Graft' }, confidential: true, deadlineDays: null };
    expect((await as.admin1!.call('POST', '/categories', graft)).status).toBe(201);
    const refused = await as.somsri!.call('POST', '/cases', { ...WALK_IN, category: 'graft', nationalId: '1-1017-00230-70-8' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([{ path: 'category', message: 'confidential_for_supervisors' }]);
    const secret = await as.boss49!.call('POST', '/cases', { ...WALK_IN, category: 'graft', districtCode: '4901', nationalId: '1-1017-00230-70-8' });
    expect(secret.status).toBe(201);
    expect(Boolean((await caseRow(secret.body.number)).confidential)).toBe(true);
    expect(await newCasePayloads(secret.body.number)).toEqual([expect.objectContaining({ district: '4900', category: 'graft', categoryName: graft.name })]);
    expect((await newCasePayloads(secret.body.number))[0]).not.toHaveProperty('summary');
    expect((await as.somsri!.call('GET', `/cases/${secret.body.number}`)).status).toBe(404);
  }, 30_000);

  it('hides the earlier cases of a category made confidential from its district, as an audited change', async () => {
    const suggestion = await as.somsri!.call('POST', '/cases', { ...WALK_IN, category: 'suggestion' });
    expect(suggestion.status).toBe(201);
    const all = (await as.admin1!.call('GET', '/categories')).body.categories as Array<{ code: string }>;
    const { code: _code, retiredAt: _r, sortOrder: _s, createdAt: _c, updatedAt: _u, updatedBy: _b, ...edit } = all.find((c) => c.code === 'suggestion') as Record<string, unknown>;
    const changed = await as.admin1!.call('PUT', '/categories/suggestion', { ...edit, confidential: true, name: { th: 'ข้อเสนอแนะ', en: 'Suggestions' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ confidential: true, name: { en: 'Suggestions' } });
    expect((await as.somsri!.call('GET', `/cases/${suggestion.body.number}`)).status).toBe(404);
    expect((await as.boss49!.call('GET', `/cases/${suggestion.body.number}`)).status).toBe(200);
    const [entry] = await audit('category.update');
    expect(JSON.parse(entry!.detail!)).toEqual({ changed: ['name.en', 'confidential'], casesMadeConfidential: 1 });
    expect(Number(entry!.officer_id)).toBe(ids.admin1);
  });

  it('counts the new category in the monthly report and offers it as an open-data service, never a confidential one', async () => {
    const bangkok = new Date(Date.now() + 7 * 3_600_000);
    const report = await monthlyReport(server.db, { reach: { scope: 'all' } }, '49', bangkok.getUTCFullYear(), bangkok.getUTCMonth() + 1, Date.now());
    expect(report.categories).toContain('land_dispute');
    expect(report.total.byCategory.land_dispute).toBe(2);
    expect(monthlyHeaders(report, 'th')).toContain('ข้อพิพาทที่ดิน');

    const services = await (await fetch(`${server.url}/open311/v2/services.json`)).json();
    const codes = services.map((s: { service_code: string }) => s.service_code);
    expect(codes).toContain('land_dispute');
    expect(codes).not.toContain('graft');
    expect(codes).not.toContain('official_conduct');
    expect(services.find((s: { service_code: string }) => s.service_code === 'land_dispute').service_name).toBe('ข้อพิพาทที่ดิน');
  });

  it('refuses to retire a category a live flow files into; once the flow no longer does, retires it and keeps its old cases readable', async () => {
    const blocked = await as.admin1!.call('POST', '/categories/land_dispute/retire');
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'used_by_flows', flows: [{ flow: 'complaint', version: 5, node: 'category', path: 'nodes.category.options.8.value' }] });

    expect((await as.admin1!.call('POST', '/flows/complaint/rollback', { note: 'เลิกใช้หมวดที่ดิน' })).body).toMatchObject({ ok: true, version: 4 });
    const retired = await as.admin1!.call('POST', '/categories/land_dispute/retire');
    expect(retired.status).toBe(200);
    expect(retired.body.retiredAt).toEqual(expect.any(Number));
    expect((await audit('category.retire')).map((e) => Number(e.officer_id))).toEqual([ids.admin1]);

    // No new case under it, from the counter; a flow naming it is refused again.
    const counter = await as.somsri!.call('POST', '/cases', { ...WALK_IN, category: 'land_dispute', nationalId: '1-1017-00230-70-8' });
    expect(counter.body.errors).toContainEqual({ path: 'category', message: 'retired_category' });
    const v5 = await as.admin1!.call('POST', '/flows/complaint/drafts', { from: 5 });
    const again = await as.admin1!.call('POST', `/flows/drafts/${v5.body.draft.id}/publish`, { note: 'ลองอีกครั้ง', revision: 1, expectLive: 4 });
    expect(again.status).toBe(422);
    expect(again.body.errors).toEqual([expect.objectContaining({ path: 'nodes.category.options.8.value', message: 'category "land_dispute" is retired: no new case is filed under it' })]);
    expect((await as.admin1!.call('DELETE', `/flows/drafts/${v5.body.draft.id}`)).status).toBe(204);

    // The old cases: readable, listed, labelled, counted, and still public data.
    expect((await as.somsri!.call('GET', `/cases/${chatCase}`)).body).toMatchObject({ category: 'land_dispute' });
    expect((await as.somsri!.call('GET', `/cases/${counterCase}`)).status).toBe(200);
    expect((await as.somsri!.call('GET', '/cases?category=land_dispute')).body.total).toBe(2);
    const list = (await as.somsri!.call('GET', '/categories')).body.categories as Array<{ code: string; retiredAt: number | null; name: { th: string } }>;
    expect(list.find((c) => c.code === 'land_dispute')).toMatchObject({ name: { th: 'ข้อพิพาทที่ดิน' }, retiredAt: expect.any(Number) });
    const bangkok = new Date(Date.now() + 7 * 3_600_000);
    const report = await monthlyReport(server.db, { reach: { scope: 'all' } }, '49', bangkok.getUTCFullYear(), bangkok.getUTCMonth() + 1, Date.now());
    expect(report.categories).toContain('land_dispute');
    const services = (await (await fetch(`${server.url}/open311/v2/services.json`)).json()).map((s: { service_code: string }) => s.service_code);
    expect(services).not.toContain('land_dispute');
    const requests = await (await fetch(`${server.url}/open311/v2/requests.json?service_code=land_dispute`)).json();
    expect(requests.map((r: { service_request_id: string; service_name: string }) => [r.service_request_id, r.service_name]).sort()).toEqual([[chatCase, 'ข้อพิพาทที่ดิน'], [counterCase, 'ข้อพิพาทที่ดิน']].sort());

    // A retired category that received nothing this month is not a column.
    expect((await as.admin1!.call('POST', '/categories', { ...LAND, code: 'unused', name: { th: 'ไม่ได้ใช้', en: 'Unused' } })).status).toBe(201);
    expect((await as.admin1!.call('POST', '/categories/unused/retire')).status).toBe(200);
    const later = await monthlyReport(server.db, { reach: { scope: 'all' } }, '49', bangkok.getUTCFullYear(), bangkok.getUTCMonth() + 1, Date.now());
    expect(later.categories).not.toContain('unused');

    expect((await as.admin1!.call('POST', '/categories/land_dispute/restore')).body.retiredAt).toBeNull();
  }, 60_000);

  it("never stops the server for categories: a live flow from before is kept with a warning, a shipped one offering a retired category is not published", async () => {
    const warned: string[] = [];
    const logger = { info: () => undefined, debug: () => undefined, warn: (...args: unknown[]) => void warned.push(String(args[1])) } as unknown as FlowLogger;
    const legacy = {
      id: 'legacy',
      version: 1,
      start: 'pick',
      texts: { th: { ask: 'เรื่องอะไรคะ', a: 'ที่ดิน', done: 'รับแล้ว' }, en: { ask: 'What about?', a: 'Land', done: 'Received.' } },
      nodes: {
        pick: { kind: 'choose', prompt: 'ask', slot: 'category', options: [{ label: 'a', next: 'done' }] },
        done: { kind: 'end', message: 'done' },
      },
    } as unknown as FlowDefinition;
    await server.db.query('INSERT INTO flow_version (flow_id, version, definition, source, created_at, created_by) VALUES ($1, 1, $2, NULL, $3, $4)', ['legacy', JSON.stringify(legacy), Date.now(), 'admin1']);
    await server.db.query('INSERT INTO flow_live (flow_id, version, published_at, published_by) VALUES ($1, 1, $2, $3)', ['legacy', Date.now(), 'admin1']);
    const store = new FlowStore(server.db);
    await store.assertLiveValid(logger);
    expect(warned).toEqual([expect.stringContaining('live flow files into categories not in use')]);

    // A new shipped version of it offering a retired category: stored, not published; what is live stays.
    expect((await as.admin1!.call('POST', '/categories/unused/restore')).status).toBe(200);
    expect((await as.admin1!.call('POST', '/categories/unused/retire')).status).toBe(200);
    const shipped = { ...legacy, version: 2, nodes: { ...legacy.nodes, pick: { ...legacy.nodes.pick, options: [{ label: 'a', value: 'unused', next: 'done' }] } } } as FlowDefinition;
    warned.length = 0;
    await store.seed([{ file: 'legacy.yaml', flow: shipped, source: null }], logger);
    expect(warned).toEqual([expect.stringContaining('stored, not published'), expect.stringContaining('live flow files into categories not in use')]);
    expect((await store.liveVersions()).get('legacy')).toBe(1);
    await server.db.query("DELETE FROM flow_live WHERE flow_id = 'legacy'");
  });

  it('reaches another process of the deployment within the cache time', async () => {
    const other = await server.testDb.open();
    try {
      expect((await categoryList(other)).map((c) => c.code)).not.toContain('late_one');
      await new CategoryStore(server.db).create({ ...LAND, code: 'late_one', name: { th: 'มาทีหลัง', en: 'Late one' } }, 'admin1');
      expect((await categoryList(server.db)).map((c) => c.code)).toContain('late_one'); // this process: at once
      expect((await categoryList(other)).map((c) => c.code)).not.toContain('late_one'); // the other: its cache still
      await new Promise((r) => setTimeout(r, CATEGORY_CACHE_MS + 100));
      expect((await categoryList(other)).map((c) => c.code)).toContain('late_one');
    } finally {
      await other.close();
    }
  }, 20_000);
});
