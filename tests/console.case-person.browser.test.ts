/**
 * The case page beside the case, in Debian's headless Chromium against the real server and its LINE emulator: the
 * evidence as thumbnails that open in a viewer (each look audited as a view, a save as a download), the person
 * behind the case (their other cases and chats the officer may see, never another district's or a complaint about
 * officials, their earlier ratings) and this case's own rating and comment; and the case list filtered by rating.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAndSignIn, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';
import { ensureConsolePages, openConsoleAs, type SignedInConsole } from './support/console-pages';
import { fileComplaint, follow, newCitizen, say, sendPhoto } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('postgres'))('the person and the evidence beside a case (%s)', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let as: Record<'anan' | 'boss', ConsoleClient>;
  let ui: SignedInConsole;
  let page: Page;
  let rated: string;
  let other: string;
  let elsewhere: string;
  let confidential: string;

  const caseIdOf = async (n: string) => Number((await server.db.query<{ id: unknown }>('SELECT id FROM cases WHERE tracking_number = $1', [n]))[0]!.id);
  const place = (n: string, district: string, o: { confidential?: boolean } = {}) =>
    server.db.query(`UPDATE cases SET district_code = $2, province_code = $3${o.confidential ? `, confidential = ${server.db.dialect === 'sqlite' ? 1 : 'TRUE'}, category = 'official_conduct'` : ''} WHERE tracking_number = $1`, [
      n,
      district,
      district.slice(0, 2),
    ]);

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    api = await startConsoleApi(server);
    ({ as } = await createAndSignIn(api, [
      { username: 'anan', displayName: 'อนันต์', role: 'officer', districtCode: '4901' },
      { username: 'boss', displayName: 'หัวหน้าจังหวัด', role: 'supervisor', provinceCode: '49' },
    ] as const));
    const user = newCitizen(server, 'th', 'ประยูร');
    await follow(server, user);
    rated = await fileComplaint(server, user, 'th', { story: 'ไฟถนนซอยสามดับมาสองสัปดาห์' });
    other = await fileComplaint(server, user, 'th', { story: 'ขยะไม่มีคนมาเก็บหน้าตลาด' });
    elsewhere = await fileComplaint(server, user, 'th', { story: 'ถนนขาดที่ดอนตาล' });
    confidential = await fileComplaint(server, user, 'th', { story: 'เจ้าหน้าที่เรียกเงินใต้โต๊ะ' });
    await place(rated, '4901');
    await place(other, '4901');
    await place(elsewhere, '4903');
    await place(confidential, '4901', { confidential: true });
    // A photo the citizen sent, kept as evidence of the rated case (as the complaint flow keeps it).
    await sendPhoto(server, user);
    const [photo] = await server.db.query<{ message_id: string }>('SELECT message_id FROM line_content WHERE chat_id = $1', [user]);
    await server.db.query(
      `INSERT INTO attachment (case_id, case_event_id, line_message_id, media_type, content_type, file_name, size, sha256, bytes, created_at)
       SELECT $1, NULL, message_id, 'image', content_type, NULL, size, sha256, bytes, $2 FROM line_content WHERE message_id = $3`,
      [await caseIdOf(rated), Date.now(), photo!.message_id],
    );
    const rate = (caseId: number | null, subject: string, rating: number, comment: string) =>
      server.db.query('INSERT INTO survey_response (case_id, chat_id, subject, rating, comment, at) VALUES ($1, $2, $3, $4, $5, $6)', [
        caseId,
        user,
        subject,
        rating,
        server.cipher.encrypt(comment),
        Date.now(),
      ]);
    await rate(await caseIdOf(rated), 'case', 2, 'รอนานเกินไปค่ะ');
    await rate(await caseIdOf(elsewhere), 'case', 5, 'ดอนตาลเร็วมาก');
    await say(server, user, 'ขอคุยกับเจ้าหน้าที่');

    ui = await openConsoleAs(server.url, 'anan', `/console/cases/${rated}`, { height: 1000 });
    page = ui.page;
    await page.getByTestId('person').waitFor();
  }, 180_000);

  afterAll(async () => {
    expect(ui?.errors ?? []).toEqual([]);
    await ui?.close();
    await api?.close();
    await server?.stop();
  });

  it("lists the person's other cases and chats the officer may see, and nothing of what they may not", async () => {
    const res = await as.anan.call('GET', `/cases/${rated}/person`);
    expect(res.status).toBe(200);
    expect(res.body.cases.map((k: { number: string }) => k.number)).toEqual([other]);
    expect(res.body.chats).toHaveLength(1);
    expect(res.text).not.toContain(elsewhere);
    expect(res.text).not.toContain(confidential);
    expect(res.text).not.toContain('ดอนตาลเร็วมาก');
    expect(res.body.own).toMatchObject({ rating: 2, comment: 'รอนานเกินไปค่ะ' });
    // The province's supervisor sees every one of them.
    const boss = await as.boss.call('GET', `/cases/${rated}/person`);
    expect(boss.body.cases.map((k: { number: string }) => k.number).sort()).toEqual([other, elsewhere, confidential].sort());
    const [audit] = await server.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.view_person' AND target = $1`, [rated]);
    expect(Number(audit!.n)).toBeGreaterThanOrEqual(2);
  });

  it("shows this case's rating and comment, and the person's other cases, on the case page", async () => {
    expect(await page.getByTestId('own-rating').textContent()).toContain('รอนานเกินไปค่ะ');
    expect(await page.getByTestId('own-rating').textContent()).toContain('★★☆☆☆');
    expect(await page.getByTestId('person-cases').textContent()).toContain(other);
    expect(await page.getByTestId('person').textContent()).not.toContain(elsewhere);
  });

  it('shows the evidence as a thumbnail that opens in a viewer; a look is audited as a view, a save as a download', async () => {
    const thumb = page.getByTestId('evidence-thumb');
    await thumb.locator('img').waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="evidence-thumb"] img') as HTMLImageElement | null)?.complete === true);
    await thumb.click();
    await page.getByTestId('evidence-viewer').waitFor();
    expect(await page.getByTestId('evidence-download').getAttribute('href')).toMatch(/\?download=1$/);
    await page.getByTestId('evidence-close').click();
    await page.getByTestId('evidence-viewer').waitFor({ state: 'detached' });
    const views = await server.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target = $1 AND action LIKE 'case.%_file'`, [rated]);
    expect(views.map((v) => v.action)).toContain('case.view_file');
    const [a] = await server.db.query<{ id: unknown }>('SELECT id FROM attachment');
    const saved = await as.anan.call('GET', `/cases/${rated}/attachments/${a!.id}?download=1`);
    expect(saved.headers.get('content-disposition')).toMatch(/^attachment; filename="evidence-\d+\.jpeg"$/);
    const [download] = await server.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM audit_log WHERE target = $1 AND action = 'case.download_file'`, [rated]);
    expect(Number(download!.n)).toBe(1);
  });

  it('filters the case list by the citizen’s rating and shows it', async () => {
    const two = await as.anan.call('GET', '/cases?rating=2');
    expect(two.body.cases.map((k: { number: string }) => k.number)).toEqual([rated]);
    expect(two.body.cases[0].rating).toBe(2);
    const none = await as.anan.call('GET', '/cases?rating=none');
    expect(none.body.cases.map((k: { number: string }) => k.number)).toEqual([other]);
    expect((await as.anan.call('GET', '/cases?rating=9')).status).toBe(400);
    await page.goto(`${server.url}/console/cases?rating=2`);
    await page.getByTestId('case-row').first().waitFor();
    expect(await page.getByTestId('case-row').count()).toBe(1);
    expect(await page.getByTestId('case-rating').first().textContent()).toBe('★★');
  });
});
