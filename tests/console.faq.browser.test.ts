/**
 * The FAQ page, in Debian's headless Chromium against the real server and its LINE emulator: an admin tries a
 * question and sees which entry answers and how sure the bot is, adds an entry in Thai and English, and a citizen
 * asking in LINE gets the new answer at once. Supervisors read, officers do not see the page; every change is in
 * the audit log under the admin's own account. Both engines.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAndSignIn, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';
import { ensureConsolePages, openConsoleAs, type SignedInConsole } from './support/console-pages';
import { follow, lines, newCitizen, say } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const NEW_ENTRY = {
  question: { th: 'ย้ายทะเบียนบ้านต้องทำอย่างไรคะ', en: 'How do I move my house registration?' },
  answer: {
    th: 'เจ้าบ้านแจ้งย้ายได้ที่สำนักทะเบียนอำเภอ นำบัตรประชาชนและทะเบียนบ้านไปด้วย ย้ายปลายทางได้โดยไม่ต้องกลับไปแจ้งย้ายออก',
    en: 'The head of the house reports the move at the district registration office, with ID cards and the house registration book.',
  },
  keywords: { th: ['ย้ายทะเบียนบ้าน', 'ย้ายชื่อเข้า', 'ย้ายชื่อออก', 'ย้ายบ้าน'], en: ['move house registration', 'house registration'] },
};
const ASKED = 'จะย้ายชื่อเข้าบ้านใหม่ทำไงคะ';

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('sqlite'))('the FAQ page, in Chromium with the real server (%s)', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let as: Record<'root' | 'boss' | 'anan', ConsoleClient>;
  let ids: Record<'root' | 'boss' | 'anan', number>;
  let ui: SignedInConsole;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    api = await startConsoleApi(server);
    ({ as, ids } = await createAndSignIn(api, [
      { username: 'root', displayName: 'ผู้ดูแลระบบ', role: 'admin' },
      { username: 'boss', displayName: 'หัวหน้าจังหวัด', role: 'supervisor', provinceCode: '49' },
      { username: 'anan', displayName: 'อนันต์', role: 'officer', districtCode: '4901' },
    ] as const));
    ui = await openConsoleAs(server.url, 'root', '/console/faq');
    page = ui.page;
    await page.getByTestId('faq-entry').first().waitFor();
  }, 180_000);

  afterAll(async () => {
    expect(ui?.errors ?? []).toEqual([]);
    await ui?.close();
    await api?.close();
    await server?.stop();
  });

  const tryQuestion = async (text: string) => {
    await page.getByTestId('faq-try-text').fill(text);
    await page.getByTestId('faq-try').getByRole('button').click();
    const verdict = page.getByTestId('faq-verdict');
    await verdict.waitFor();
    return verdict;
  };

  it('tries a question: the entry the bot would answer with, and how sure it is', async () => {
    const verdict = await tryQuestion('ศูนย์ดำรงธรรมเปิดกี่โมงคะ');
    await page.waitForFunction(() => document.querySelector('[data-testid="faq-verdict"]')?.getAttribute('data-verdict') === 'answers');
    const text = await verdict.textContent();
    expect(text).toContain('บอทจะตอบด้วย: ศูนย์ดำรงธรรมอำเภอเปิดทำการวันไหน กี่โมงคะ');
    expect(text).toMatch(/คะแนน \d/);
  });

  it('says plainly when nothing answers a question', async () => {
    await tryQuestion(ASKED);
    await page.waitForFunction(() => document.querySelector('[data-testid="faq-verdict"]')?.getAttribute('data-verdict') !== 'answers');
    expect(await page.getByTestId('faq-verdict').textContent()).toMatch(/ไม่ตรงกับคำถามใดเลย|ตรงน้อยเกินไป/);
  });

  it('adds an entry in Thai and English; the try box and a citizen in LINE get its answer at once', async () => {
    await page.getByTestId('faq-new').click();
    await page.getByTestId('faq-question-th').fill(NEW_ENTRY.question.th);
    await page.getByTestId('faq-answer-th').fill(NEW_ENTRY.answer.th);
    await page.getByTestId('faq-keywords-th').fill(NEW_ENTRY.keywords.th.join('\n'));
    // Without English, the server names what is missing and nothing is saved.
    await page.getByTestId('faq-save').click();
    await page.getByTestId('faq-error').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('faq-error').textContent()).toContain('question.en');
    await page.getByTestId('faq-question-en').fill(NEW_ENTRY.question.en);
    await page.getByTestId('faq-answer-en').fill(NEW_ENTRY.answer.en);
    await page.getByTestId('faq-keywords-en').fill(NEW_ENTRY.keywords.en.join('\n'));
    await page.getByTestId('faq-save').click();
    await page.getByTestId('faq-status').waitFor({ timeout: 5000 });
    await page.getByTestId('faq-entry').filter({ hasText: NEW_ENTRY.question.th }).waitFor({ timeout: 5000 });

    const verdict = await tryQuestion(ASKED);
    await page.waitForFunction(() => document.querySelector('[data-testid="faq-verdict"]')?.getAttribute('data-verdict') === 'answers');
    expect(await verdict.textContent()).toContain(NEW_ENTRY.question.th);

    const citizen = newCitizen(server, 'th', 'สมพร');
    await follow(server, citizen);
    expect(lines(await say(server, citizen, ASKED)).join('\n')).toContain('ย้ายปลายทางได้โดยไม่ต้องกลับไปแจ้งย้ายออก');

    const [audit] = await server.db.query<{ officer_id: unknown }>(`SELECT officer_id FROM audit_log WHERE action = 'faq.create'`);
    expect(Number(audit!.officer_id)).toBe(ids.root);
  });

  it('supervisors read but may not change; officers may not even read', async () => {
    const read = await as.boss.call('GET', '/faq');
    expect(read.status).toBe(200);
    expect(read.body.canEdit).toBe(false);
    expect((await as.boss.call('POST', '/faq', NEW_ENTRY)).status).toBe(403);
    expect((await as.anan.call('GET', '/faq')).status).toBe(403);
    expect((await as.anan.call('POST', '/faq/try', { text: 'เปิดกี่โมง' })).status).toBe(403);
    expect((await as.root.call('PUT', '/faq/999999', NEW_ENTRY)).status).toBe(404);
    expect((await as.root.call('POST', '/faq/try', { text: '' })).status).toBe(400);
  });
});
