/**
 * Retention that ends (privacy/retention.ts), on each engine, against the real server and its LINE emulator.
 *
 * Citizens file complaints with photos, rate them, chat with an officer, as they do in the chat; then each story is
 * aged (every time of its rows moved back together, so a chat still lies inside its handoff): a case closed 6 years
 * ago and one closed 4 years ago, a chat with an officer that ended 400 days ago and one that ended 10 days ago,
 * a conversation with the bot 100 days old, a chat with an officer still open after 40 days. Beside them, rows the
 * chat would take too long to make: officers' notices, messages LINE refused, a lock-out, an event still waiting to
 * be handled and a message still waiting to be sent.
 *
 * A dry run lists what a run would do and changes nothing; the run erases exactly that, kind by kind (the table of
 * rows before and after is printed); what reports count is the same before and after; a second run, the daily
 * one at the next 02:30, erases nothing; and the raw database holds none of what was erased.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { queueMessages } from '../storage/outbox';
import { keepSample } from '../understanding/samples';
import { loadSettings } from '../config/settings';
import { RETENTION_YEARS, retentionOf } from '../cases/my-data';
import { census, planRetention, runRetention } from '../privacy/retention';
import { chatEraseBefore, cutoffsOf, nextRunAt, REDELIVERY_GUARD_DAYS, RETENTION_KINDS, type KindCounts, type RetentionKind } from '../privacy/retention-policy';
import { listRuns, RUN_STALE_MS, startRun, type RetentionRun } from '../privacy/retention-runs';
import { DAILY_RETENTION_KEY, nextDailyRunAt, retentionJobHandlers } from '../privacy/jobs';
import { jobsByKeyPrefix, Scheduler } from '../scheduler';
import { createLogger } from '../runtime/logger';
import { engines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { login, OFFICER_PASSWORD, type ConsoleClient } from './support/console-client';
import { everythingAtRest } from './support/at-rest';
import { DAY, follow, lines, MovableClock, newCitizen, officerSets, quick, runDueJobs, say, send, sendPhoto, type Locale } from './support/citizen';
import type { OutMessage } from '../flows/engine';

const ADMIN_TOKEN = 'retention-admin-token-0123456789abcdef';
const YEAR = 365 * DAY;
const TRACKING_NUMBER = /[A-Z]{2,5}-\d{4}-\d{6,}-\d/;

/** What a story leaves in the database that must be gone once it is erased, and what must stay while it is kept. */
const OLD = {
  story: 'ไฟถนนหน้าบ้านดับมา 3 วันแล้วค่ะ มืดมาก ซอยกุหลาบแดงริมโขง',
  name: 'สมชาย กุหลาบแดง',
  address: '61 หมู่ 6 ซอยกุหลาบแดง ต.มุกดาหาร',
};
const KEPT = {
  story: 'ไฟถนนหน้าบ้านดับมา 3 วันแล้วค่ะ มืดมาก ซอยมะลิขาวริมห้วย',
  name: 'สมศรี มะลิขาว',
  address: '44 หมู่ 4 ซอยมะลิขาว ต.มุกดาหาร',
};
const OLD_CHAT = { citizen: 'ที่ดินแปลงริมหนองน้ำเก่าถูกรุกล้ำค่ะ', officer: 'เจ้าหน้าที่รับเรื่องที่ดินริมหนองน้ำเก่าแล้วค่ะ' };
const NEW_CHAT = { citizen: 'ท่อประปาแตกหน้าวัดศรีบุญเรือง', officer: 'เจ้าหน้าที่ส่งช่างประปาไปวัดศรีบุญเรืองแล้วค่ะ' };
const OLD_NOTICE = 'สรุปเรื่องเก่าร้อยวันถนนทรุด';
const NEW_NOTICE = 'สรุปเรื่องใหม่สิบวันน้ำประปาไม่ไหล';
const OLD_SAMPLE = 'ขอถามเรื่องโฉนดที่ตกทอดจากยายร้อยวันก่อน';
const NEW_SAMPLE = 'ไฟกิ่งหน้าวัดดับสิบวันแล้ว';

type Sent = Parameters<typeof send>[2];

/**
 * Files a complaint through the chat, answering whatever the bot asks next (the language layer may fill in the time
 * or the subject from the story), with a photo when asked for evidence. Returns the tracking number.
 */
async function fileComplaint(server: TestServer, user: string, c: { story: string; name: string; address: string; phone: string; photo: boolean }): Promise<string> {
  const chat: string[] = [];
  let answer = await say(server, user, c.story);
  chat.push(`user: ${c.story}`, ...lines(answer).map((l) => `bot: ${l}`));
  let photoSent = false;
  for (let turn = 0; turn < 20; turn++) {
    const said = lines(answer).join('\n');
    const number = /เลขที่เรื่อง/.test(said) ? TRACKING_NUMBER.exec(said)?.[0] : undefined;
    if (number) return number;
    const offered = quick(answer.at(-1) as OutMessage | undefined);
    let next: Sent;
    if (offered.includes('ร้องเรียน/ร้องทุกข์')) next = { type: 'text', text: 'ร้องเรียน/ร้องทุกข์' };
    else if (offered.includes('✓ ใช่')) next = { type: 'text', text: 'ใช่' }; // the pin's place, confirmed
    else if (offered.includes('ส่งตำแหน่ง')) next = { type: 'location', latitude: 16.5453, longitude: 104.7235, title: 'ตลาดอินโดจีน', address: 'มุกดาหาร' };
    else if (offered.includes('เสร็จแล้ว')) next = { type: 'text', text: 'เสร็จแล้ว' };
    else if (offered.includes('ถ่ายรูป')) next = c.photo && !photoSent ? { type: 'image' } : { type: 'text', text: 'ไม่มี' };
    else if (offered.includes('ส่งเรื่อง')) next = { type: 'text', text: 'ส่งเรื่อง' };
    else if (/ชื่อและนามสกุล/.test(said)) next = { type: 'text', text: c.name };
    else if (/เบอร์โทร/.test(said)) next = { type: 'text', text: c.phone };
    else if (/ที่อยู่/.test(said)) next = { type: 'text', text: c.address };
    else if (/ตำบล|อำเภอ/.test(said)) next = { type: 'text', text: 'ต.มุกดาหาร อ.เมืองมุกดาหาร จ.มุกดาหาร' };
    else if (/ช่วยอย่างไร|ต้องการให้/.test(said)) next = { type: 'text', text: 'ขอให้มาเปลี่ยนหลอดไฟค่ะ' };
    else if (/เมื่อไร|เมื่อไหร่|วันที่/.test(said)) next = { type: 'text', text: 'เมื่อวาน' };
    else if (/เกี่ยวกับ|ใคร/.test(said)) next = { type: 'text', text: 'การไฟฟ้าส่วนภูมิภาค' };
    else throw new Error(`no answer for the bot's question; the chat was:\n${chat.join('\n')}`);
    if (next.type === 'image') photoSent = true;
    answer = await send(server, user, next);
    chat.push(`user: ${next.type === 'text' ? next.text : next.type}`, ...lines(answer).map((l) => `bot: ${l}`));
  }
  throw new Error(`no receipt after 20 turns; the chat was:\n${chat.join('\n')}`);
}

/**
 * Moves a citizen's whole story `ms` into the past: every time on the rows of their chat, their handoffs and their
 * cases, together, so what lay inside a handoff still does.
 */
async function age(server: TestServer, chatId: string, ms: number): Promise<void> {
  const run = (sql: string) => server.db.query(sql, [ms, chatId]);
  const cases = `SELECT k.id FROM cases k JOIN citizen z ON z.id = k.citizen_id WHERE z.line_user_id = $2`;
  const handoffs = `SELECT id FROM handoff_request WHERE chat_id = $2`;
  await run(`UPDATE inbox_event SET received_at = received_at - $1, event_timestamp = event_timestamp - $1, next_attempt_at = next_attempt_at - $1, finished_at = finished_at - $1 WHERE chat_id = $2`);
  await run(`UPDATE outbox_message SET created_at = created_at - $1, sent_at = sent_at - $1, next_attempt_at = next_attempt_at - $1, reply_deadline = reply_deadline - $1 WHERE chat_id = $2`);
  await run(`UPDATE line_content SET fetched_at = fetched_at - $1 WHERE chat_id = $2`);
  await run(`UPDATE conversation_session SET created_at = created_at - $1, updated_at = updated_at - $1 WHERE chat_id = $2`);
  await run(`UPDATE conversation_event SET at = at - $1 WHERE chat_id = $2`);
  await run(`UPDATE console_message SET at = at - $1 WHERE chat_id = $2`);
  await run(`UPDATE survey_response SET at = at - $1 WHERE chat_id = $2`);
  await run(`UPDATE handoff_claim SET claimed_at = claimed_at - $1, first_reply_at = first_reply_at - $1, ended_at = ended_at - $1 WHERE handoff_id IN (${handoffs})`);
  await run(`UPDATE handoff_request SET requested_at = requested_at - $1, closed_at = closed_at - $1, answer_by = answer_by - $1 WHERE chat_id = $2`);
  await run(`UPDATE case_event SET at = at - $1, notified_at = notified_at - $1 WHERE case_id IN (${cases})`);
  await run(`UPDATE attachment SET created_at = created_at - $1 WHERE case_id IN (${cases})`);
  await run(
    `UPDATE cases SET created_at = created_at - $1, updated_at = updated_at - $1, due_at = due_at - $1, last_public_update_at = last_public_update_at - $1,
       closed_at = closed_at - $1 WHERE id IN (${cases})`,
  );
  await run(`UPDATE citizen SET first_seen_at = first_seen_at - $1, last_seen_at = last_seen_at - $1, privacy_notice_at = privacy_notice_at - $1 WHERE line_user_id = $2`);
}

/** Every table of data as rows in key order: compared whole, before and after a dry run. */
const DATA_TABLES: Record<string, string> = {
  inbox_event: 'id',
  outbox_message: 'id',
  line_content: 'message_id',
  conversation_session: 'chat_id',
  conversation_event: 'id',
  handoff_request: 'id',
  handoff_claim: 'handoff_id',
  console_message: 'id',
  citizen: 'id',
  cases: 'id',
  case_event: 'id',
  attachment: 'id',
  survey_response: 'id',
  track_attempt: 'line_user_id',
  notification: 'id',
};

async function snapshot(server: TestServer): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of Object.entries(DATA_TABLES)) {
    out[table] = (await server.db.query(`SELECT * FROM ${table} ORDER BY ${key}`)).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v])),
    );
  }
  return out;
}

/** What a report reads: cases by category, status, district and month filed; ratings; handoffs' waiting times. */
async function aggregates(server: TestServer) {
  const month = (at: unknown) => new Date(Number(at) + 7 * 3_600_000).toISOString().slice(0, 7);
  const cases = await server.db.query<{ category: string; status: string; district_code: string | null; created_at: unknown; closed_at: unknown; close_reason: string | null }>(
    'SELECT category, status, district_code, created_at, closed_at, close_reason FROM cases',
  );
  const tally: Record<string, number> = {};
  for (const c of cases) {
    const key = `${c.category}|${c.status}|${c.district_code ?? '-'}|${month(c.created_at)}|${c.close_reason ?? '-'}|${c.closed_at === null ? 'open' : month(c.closed_at)}`;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  const ratings = await server.db.query<{ subject: string; n: unknown; total: unknown }>('SELECT subject, COUNT(*) AS n, SUM(rating) AS total FROM survey_response GROUP BY subject ORDER BY subject');
  const handoffs = await server.db.query<{ id: unknown; reason: string; district_code: string | null; requested_at: unknown; closed_at: unknown; claimed_at: unknown; first_reply_at: unknown }>(
    `SELECT h.id, h.reason, h.district_code, h.requested_at, h.closed_at, c.claimed_at, c.first_reply_at
     FROM handoff_request h LEFT JOIN handoff_claim c ON c.handoff_id = h.id ORDER BY h.id`,
  );
  const minus = (a: unknown, b: unknown) => (a === null || b === null ? null : Number(a) - Number(b));
  return {
    cases: tally,
    ratings: ratings.map((r) => ({ subject: r.subject, count: Number(r.n), average: Number(r.total) / Number(r.n) })),
    handoffs: handoffs.map((h) => ({
      reason: h.reason,
      district: h.district_code,
      month: month(h.requested_at),
      waitedMs: minus(h.claimed_at, h.requested_at),
      firstAnswerMs: minus(h.first_reply_at, h.requested_at),
      lastedMs: minus(h.closed_at, h.requested_at),
    })),
  };
}

const ROW_TABLES = ['inbox_event', 'outbox_message', 'line_content', 'conversation_session', 'track_attempt', 'handoff_request', 'console_message', 'citizen', 'cases', 'case_event', 'attachment', 'survey_response', 'notification'];

async function tableRows(server: TestServer): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ROW_TABLES) out[t] = Number((await server.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
  return out;
}

function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  console.log([title, ...cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))].join('\n'));
}

describe.each(engines())('retention that ends, on %s', (engine) => {
  const clock = new MovableClock();
  let server: TestServer;
  let admin: ConsoleClient;
  let supervisor: ConsoleClient;
  let officer: ConsoleClient;
  const users = {} as Record<'old' | 'kept' | 'oldChat' | 'newChat' | 'bot' | 'waiting', string>;
  const numbers = {} as Record<'old' | 'kept' | 'open', string>;
  const pending = { webhookEventId: '01PENDINGRETENTIONTEST0000A', chat: `U${'7'.repeat(32)}`, outboxChat: `U${'8'.repeat(32)}`, outboxIds: [] as number[] };
  let caseRowsBefore: Record<string, Record<string, unknown>>;
  let dueBefore: KindCounts;
  let heldBefore: KindCounts;
  let rowsBefore: Record<string, number>;
  let reportsBefore: Awaited<ReturnType<typeof aggregates>>;
  let run: RetentionRun;

  /** A handoff from asking to a rating: the citizen writes and sends a photo, the officer answers and ends it. */
  async function chatWithOfficer(user: string, words: { citizen: string; officer: string }, end: boolean): Promise<void> {
    await say(server, user, 'ติดต่อเจ้าหน้าที่');
    const [h] = (await officer.call('GET', '/handoffs')).body.handoffs as Array<{ id: number }>;
    expect((await officer.call('POST', `/handoffs/${h!.id}/claim`)).status).toBe(200);
    await say(server, user, words.citizen);
    await sendPhoto(server, user);
    expect((await officer.call('POST', `/handoffs/${h!.id}/reply`, { text: words.officer })).status).toBe(201);
    await waitFor(async () => (await server.db.query(`SELECT 1 FROM outbox_message WHERE chat_id = $1 AND status <> 'sent'`, [user])).length === 0, 10_000, 'the reply sent');
    if (!end) return;
    expect((await officer.call('POST', `/handoffs/${h!.id}/end`, { reason: 'resolved' })).status).toBe(200);
    await waitFor(async () => (await server.db.query(`SELECT 1 FROM outbox_message WHERE chat_id = $1 AND status <> 'sent'`, [user])).length === 0, 10_000, 'the rating asked');
    await say(server, user, '4 มาก');
    await say(server, user, 'ข้าม');
  }

  async function citizen(locale: Locale, name: string): Promise<string> {
    const user = newCitizen(server, locale, name);
    await follow(server, user);
    return user;
  }

  /** Files, ends with a reason and rates a case, with a comment. */
  async function closedCase(user: string, c: typeof OLD, phone: string): Promise<string> {
    const number = await fileComplaint(server, user, { ...c, phone, photo: true });
    await officerSets(server, number, { status: 'ended', note: `ซ่อมแล้ว ${c.name} ยืนยัน`, public: true, reason: 'resolved' }, ADMIN_TOKEN);
    await runDueJobs(server, `survey:${number}`, clock.now, user);
    await say(server, user, '4 มาก');
    await say(server, user, `ขอบคุณค่ะ ${c.name}`);
    return number;
  }

  let startedAt: number;

  beforeAll(async () => {
    startedAt = Date.now();
    server = await startTestServer(
      engine,
      { CENTER_DISTRICT: '4901', ADMIN_TOKEN, ADMIN_TOKEN_HOLDER: 'retention-test', RETENTION_RUN_AT: '02:30', SCHEDULER_POLL_MS: '200' },
      { conversationClock: clock.now },
    );
    const officers = new OfficerStore(server.db);
    await officers.create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแล', role: 'admin', password: OFFICER_PASSWORD });
    await officers.create(CLI_ACTOR, { username: 'boss', displayName: 'หัวหน้า', role: 'supervisor', provinceCode: '49', password: OFFICER_PASSWORD });
    await officers.create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901', password: OFFICER_PASSWORD });
    admin = await login(server.url, 'admin');
    supervisor = await login(server.url, 'boss');
    officer = await login(server.url, 'somsri');

    // Cases: one to be closed 6 years ago, one 4 years ago, one open (filed by the citizen whose chat is recent).
    users.old = await citizen('th', 'สมชาย');
    numbers.old = await closedCase(users.old, OLD, '081-111-6666');
    users.kept = await citizen('th', 'สมศรี');
    numbers.kept = await closedCase(users.kept, KEPT, '081-222-4444');
    await server.db.query(`UPDATE cases SET district_code = '4901', province_code = '49' WHERE tracking_number IN ($1, $2)`, [numbers.old, numbers.kept]);
    // Chats with an officer: one that ended 400 days ago, one 10 days ago (its citizen also has an open case).
    users.oldChat = await citizen('th', 'มานี');
    await chatWithOfficer(users.oldChat, OLD_CHAT, true);
    users.newChat = await citizen('th', 'บุญมี');
    numbers.open = await fileComplaint(server, users.newChat, { story: 'ท่อประปาแตกน้ำไหลนองถนนมา 2 วันแล้วค่ะ', name: 'บุญมี ศรีสุข', address: '9 หมู่ 1', phone: '081-333-1010', photo: false });
    await say(server, users.newChat, 'เมนู');
    await chatWithOfficer(users.newChat, NEW_CHAT, true);
    // A conversation with the bot only, with a photo at the menu; and a chat with an officer still open.
    users.bot = await citizen('en', 'Prasit');
    await say(server, users.bot, 'hello');
    await sendPhoto(server, users.bot);
    users.waiting = await citizen('th', 'วรรณา');
    await chatWithOfficer(users.waiting, { citizen: 'ยังรอคำตอบเรื่องน้ำท่วมค่ะ', officer: 'กำลังประสานงานให้ค่ะ' }, false);

    await age(server, users.old, 6 * YEAR + 30 * DAY);
    await age(server, users.kept, 4 * YEAR);
    await age(server, users.oldChat, 400 * DAY);
    await age(server, users.newChat, 10 * DAY);
    await age(server, users.bot, 100 * DAY);
    await age(server, users.waiting, 40 * DAY);

    // What the chat would take too long to make.
    const now = Date.now();
    const [target] = await server.db.query<{ id: unknown }>(
      `INSERT INTO district_target (district_code, kind, address, active, created_at, created_by, updated_at, updated_by)
       VALUES ('4901', 'email', 'mueang@example.go.th', $1, $2, 'test', $2, 'test') RETURNING id`,
      [true, now],
    );
    const notice = (key: string, status: string, at: number, summary: string) =>
      server.db.query(
        `INSERT INTO notification (district_code, event, subject_key, payload, target_id, target_kind, target, retry_key, status, attempts, next_attempt_at, created_at, sent_at)
         VALUES ('4901', 'case.new', $1, $2, $3, 'email', 'mueang@example.go.th', $4, $5, 1, $6, $6, $7)`,
        [key, JSON.stringify({ trackingNumber: key, category: 'complaint', summary, at }), Number(target!.id), `retry-${key}`, status, status === 'pending' ? now + 10 * YEAR : at, status === 'sent' ? at : null],
      );
    await notice('MDH-2568-000001-1', 'sent', now - 100 * DAY, OLD_NOTICE);
    await notice('MDH-2568-000002-1', 'failed', now - 95 * DAY, OLD_NOTICE);
    await notice('MDH-2569-000003-1', 'sent', now - 10 * DAY, NEW_NOTICE);
    await notice('MDH-2569-000004-1', 'pending', now - 200 * DAY, NEW_NOTICE);
    // Messages LINE refused (parked as failed) 60 and 400 days ago, and one not yet sent (retrying far ahead).
    // Queued due far ahead, so the sender leaves them to the test.
    const queue = (chat: string, text: string) => server.db.transaction((tx) => queueMessages(tx, { chatId: chat, messages: [{ type: 'text', text }] }, now + 10 * YEAR));
    const [failed60] = await queue(users.bot, 'failed sixty days ago');
    const [failed400] = await queue(users.bot, 'failed four hundred days ago');
    pending.outboxIds = await queue(pending.outboxChat, 'still waiting to be sent');
    await server.db.query(`UPDATE outbox_message SET status = 'failed', attempts = 10, last_status = 400, created_at = $2 WHERE id = $1`, [failed60, now - 60 * DAY]);
    await server.db.query(`UPDATE outbox_message SET status = 'failed', attempts = 10, last_status = 400, created_at = $2 WHERE id = $1`, [failed400, now - 400 * DAY]);
    await server.db.query(`UPDATE outbox_message SET created_at = $2 WHERE id = $1`, [pending.outboxIds[0], now - 500 * DAY]);
    // Messages the language layer kept for the language page, 100 and 10 days ago (the chats above kept today's).
    await server.db.transaction(async (tx) => {
      await keepSample(tx, { reason: 'not_understood', text: OLD_SAMPLE, intent: 'none', confidence: 0.2, at: now - 100 * DAY });
      await keepSample(tx, { reason: 'low_confidence', text: NEW_SAMPLE, intent: 'complain', confidence: 0.5, at: now - 10 * DAY });
    });
    // Royal petitions in the register: one concluded 6 years ago, one forwarded 4 years ago, one still being handled
    // that arrived 7 years ago (its words stay until it is sent on).
    const petition = (seq: number, status: string, changedAt: number) =>
      server.db.query(
        `INSERT INTO royal_petition (register_number, be_year, seq, channel, district_code, province_code, received_at, kind, words_enc, summary_enc,
           petitioner_name_enc, petitioner_phone_enc, status, forwarded_to, forwarded_at, result_enc, updated_at, updated_by)
         VALUES ($1, 2562, $2, 'line', '4901', '49', $3, 'justice', 'v2:words', 'v2:summary', 'v2:name', 'v2:phone', $4, $5, $3, $6, $3, 'somsri')`,
        [`${seq}/2562`, seq, changedAt, status, status === 'received' ? null : 'สำนักงานราชเลขาธิการ', status === 'concluded' ? 'v2:result' : null],
      );
    await petition(1, 'concluded', now - 6 * YEAR);
    await petition(2, 'forwarded', now - 4 * YEAR);
    await petition(3, 'received', now - 7 * YEAR);
    // A tracking lock-out 40 days idle; an event still waiting to be handled (its retry far ahead), 500 days old.
    await server.db.query('INSERT INTO track_attempt (line_user_id, failures, locked_until, updated_at) VALUES ($1, 2, NULL, $2)', [users.bot, now - 40 * DAY]);
    await server.db.query(
      `INSERT INTO inbox_event (webhook_event_id, destination, chat_id, event_type, message_type, mode, is_redelivery, payload, event_timestamp,
         received_at, status, attempts, next_attempt_at)
       VALUES ($1, 'Ubot', $2, 'message', 'text', 'active', $3, $4, $5, $5, 'pending', 2, $6)`,
      [pending.webhookEventId, pending.chat, false, JSON.stringify({ type: 'message', message: { type: 'text', text: 'still waiting to be handled' } }), now - 500 * DAY, now + 10 * YEAR],
    );
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('keeps the years of the privacy notice: RETENTION_YEARS defaults to them and may not go below', () => {
    expect(loadSettings({}).retention.years).toBe(RETENTION_YEARS);
    expect(() => loadSettings({ RETENTION_YEARS: String(RETENTION_YEARS - 1) })).toThrow(/RETENTION_YEARS: must be between 5/);
    expect(server.settings.retention).toMatchObject({ inboxDays: 30, chatDays: 365, mediaDays: 90, sessionDays: 30, notificationDays: 90, outboxDays: 30, runAt: '02:30' });
  });

  it('lists in a dry run what a run would erase, and changes nothing', async () => {
    const before = await snapshot(server);
    const asOf = Date.now();
    heldBefore = await census(server.db);
    const plan = await planRetention(server.db, server.settings.retention, asOf);
    dueBefore = Object.fromEntries(plan.kinds.map((k) => [k.kind, k.due])) as KindCounts;
    expect(plan.kinds.map((k) => k.kind)).toEqual([...RETENTION_KINDS]);
    // The case closed 6 years ago, not the one closed 4 years ago.
    expect(plan.cases.first.map((c) => c.trackingNumber)).toEqual([numbers.old]);
    expect(plan.cases.total).toBe(1);
    expect(dueBefore).toMatchObject({ cases: 1, chats: 1, outboxBodies: 2, notifications: 2, citizens: 2, languageSamples: 1, petitions: 1 });
    for (const kind of ['inboxPayloads', 'media', 'sessions', 'inboxRows', 'outboxRows'] as const) expect(dueBefore[kind], kind).toBeGreaterThan(0);
    // The console's dry run is the same, recorded as one and audited.
    const dry = await admin.call('POST', '/retention/dry-run');
    expect(dry.status).toBe(200);
    expect(dry.body.plan.cases.first.map((c: { trackingNumber: string }) => c.trackingNumber)).toEqual([numbers.old]);
    expect(Object.fromEntries(dry.body.plan.kinds.map((k: { kind: string; due: number }) => [k.kind, k.due]))).toEqual(dueBefore);
    expect(dry.body.run).toMatchObject({ dryRun: true, trigger: 'console', requestedBy: 'admin', state: 'done', counts: { purged: dueBefore } });
    expect(await server.db.query(`SELECT target FROM audit_log WHERE action = 'retention.dry_run'`)).toEqual([{ target: `retention ${dry.body.run.id}` }]);
    expect(await snapshot(server)).toEqual(before);
  });

  it('erases kind by kind exactly what the dry run listed, leaving the rows reports count', async () => {
    caseRowsBefore = Object.fromEntries(
      (await server.db.query<Record<string, unknown>>('SELECT * FROM cases ORDER BY id')).map((r) => [String(r.tracking_number), r]),
    );
    rowsBefore = await tableRows(server);
    reportsBefore = await aggregates(server);
    const started = Date.now();
    run = await runRetention(server.db, server.settings.retention, { asOf: Date.now(), trigger: 'command' });
    const ms = Date.now() - started;
    const heldAfter = await census(server.db);
    const rowsAfter = await tableRows(server);

    printTable(
      `retention run ${run.id} on ${engine} (${ms} ms): rows holding each kind of data`,
      ['kind', 'before', 'due', 'erased', 'after'],
      RETENTION_KINDS.map((k) => [k, heldBefore[k], dueBefore[k], run.counts.purged[k], heldAfter[k]]),
    );
    printTable(`rows per table on ${engine}`, ['table', 'before', 'after'], ROW_TABLES.map((t) => [t, rowsBefore[t]!, rowsAfter[t]!]));
    printTable(`rows erase.ts touched on ${engine}`, ['kind', 'rows'], Object.entries(run.counts.rows).map(([k, n]) => [k, n]));

    expect(run).toMatchObject({ trigger: 'command', dryRun: false, error: null, nextStep: null });
    expect(run.finishedAt).not.toBeNull();
    expect(run.counts.purged).toEqual(dueBefore);
    // What each kind holds after: what it held, less what the run erased of it (and what erasing chats and cases took).
    const r = run.counts.rows;
    const expected: Record<RetentionKind, number> = {
      inboxPayloads: heldBefore.inboxPayloads - run.counts.purged.inboxPayloads - (r.chatMessages ?? 0),
      outboxBodies: heldBefore.outboxBodies - run.counts.purged.outboxBodies,
      notifications: heldBefore.notifications - run.counts.purged.notifications,
      languageSamples: heldBefore.languageSamples - run.counts.purged.languageSamples,
      media: heldBefore.media - run.counts.purged.media - (r.media ?? 0),
      sessions: heldBefore.sessions - run.counts.purged.sessions - (r.sessions ?? 0),
      cases: heldBefore.cases - run.counts.purged.cases,
      petitions: heldBefore.petitions - run.counts.purged.petitions,
      chats: heldBefore.chats - run.counts.purged.chats,
      citizens: heldBefore.citizens - run.counts.purged.citizens,
      inboxRows: heldBefore.inboxRows - run.counts.purged.inboxRows,
      outboxRows: heldBefore.outboxRows - run.counts.purged.outboxRows,
    };
    expect(heldAfter).toEqual(expected);
    // Reports: the same numbers.
    expect(await aggregates(server)).toEqual(reportsBefore);
    expect(rowsAfter.cases).toBe(rowsBefore.cases);
    expect(rowsAfter.handoff_request).toBe(rowsBefore.handoff_request);
    expect(rowsAfter.survey_response).toBe(rowsBefore.survey_response);
    expect(rowsAfter.citizen).toBe(rowsBefore.citizen);
  }, 60_000);

  it('keeps every entry of the royal petitions register, and erases who asked what from one concluded 6 years ago', async () => {
    const rows = await server.db.query<Record<string, unknown>>(
      'SELECT register_number, status, kind, forwarded_to, words_enc, summary_enc, petitioner_name_enc, petitioner_phone_enc, result_enc FROM royal_petition ORDER BY seq',
    );
    expect(rows.map((r) => r.register_number)).toEqual(['1/2562', '2/2562', '3/2562']);
    expect(rows[0]).toEqual({
      register_number: '1/2562', status: 'concluded', kind: 'justice', forwarded_to: 'สำนักงานราชเลขาธิการ',
      words_enc: null, summary_enc: null, petitioner_name_enc: null, petitioner_phone_enc: null, result_enc: null,
    });
    for (const kept of rows.slice(1)) expect(kept).toMatchObject({ words_enc: 'v2:words', petitioner_name_enc: 'v2:name', petitioner_phone_enc: 'v2:phone' });
  });

  it('deletes the messages kept for the language page after their period, and keeps the recent ones', async () => {
    const texts = (await server.db.query<{ text: string }>('SELECT text FROM language_sample')).map((r) => r.text);
    expect(texts).not.toContain(OLD_SAMPLE);
    expect(texts).toContain(NEW_SAMPLE);
    expect(server.settings.retention.languageSampleDays).toBe(90);
  });

  it('keeps everything of a case closed 4 years ago, and only what is not personal of one closed 6 years ago', async () => {
    const after = Object.fromEntries((await server.db.query<Record<string, unknown>>('SELECT * FROM cases ORDER BY id')).map((r) => [String(r.tracking_number), r]));
    expect(after[numbers.kept]).toEqual(caseRowsBefore[numbers.kept]);
    expect(after[numbers.open]).toEqual(caseRowsBefore[numbers.open]);
    const old = after[numbers.old]!;
    const was = caseRowsBefore[numbers.old]!;
    expect(was.story).toBe(OLD.story);
    expect(was.phone_enc).not.toBeNull();
    expect(old).toMatchObject({
      story: '',
      free_text_enc: null,
      location: null,
      subject: null,
      request: null,
      complainant_name: null,
      address: null,
      phone_enc: null,
      phone_hash: null,
      phone_last4: null,
      national_id_enc: null,
      national_id_hash: null,
      citizen_id: null,
    });
    expect(Number(old.personal_erased_at)).toBeGreaterThan(0);
    for (const column of ['tracking_number', 'channel', 'category', 'topic', 'status', 'district_code', 'province_code', 'created_at', 'closed_at', 'close_reason', 'due_at', 'reopen_count']) {
      expect(old[column], column).toEqual(was[column]);
    }
    const evidence = (n: string) => server.db.query(`SELECT x.id FROM attachment x JOIN cases k ON k.id = x.case_id WHERE k.tracking_number = $1`, [n]);
    expect(await evidence(numbers.old)).toEqual([]);
    expect(await evidence(numbers.kept)).toHaveLength(1);
    const notes = (n: string) =>
      server.db.query<{ note: string | null; note_enc: string | null }>(`SELECT e.note, e.note_enc FROM case_event e JOIN cases k ON k.id = e.case_id WHERE k.tracking_number = $1 AND (e.note IS NOT NULL OR e.note_enc IS NOT NULL)`, [n]);
    expect(await notes(numbers.old)).toEqual([]);
    expect((await notes(numbers.kept)).length).toBeGreaterThan(0);
    const ratings = (n: string) =>
      server.db.query<{ rating: unknown; comment: string | null }>(`SELECT s.rating, s.comment FROM survey_response s JOIN cases k ON k.id = s.case_id WHERE k.tracking_number = $1`, [n]);
    expect((await ratings(numbers.old)).map((r) => [Number(r.rating), r.comment])).toEqual([[4, null]]);
    expect((await ratings(numbers.kept)).map((r) => [Number(r.rating), r.comment === null])).toEqual([[4, false]]);
    // The kept case's photo: its evidence, and the chat's copy beside it.
    expect(await server.db.query(`SELECT message_id FROM line_content WHERE chat_id = $1`, [users.kept])).toHaveLength(1);
  });

  it('erases the chat that ended 400 days ago and keeps the one that ended 10 days ago and the open one, with their times', async () => {
    const handoffs = await server.db.query<{ chat_id: string; status: string; chat_erased_at: unknown }>('SELECT chat_id, status, chat_erased_at FROM handoff_request ORDER BY id');
    expect(handoffs.map((h) => [h.chat_id, h.status, h.chat_erased_at !== null])).toEqual([
      [expect.stringMatching(/^erased:\d+$/), 'closed', true],
      [users.newChat, 'closed', false],
      [users.waiting, 'waiting', false],
    ]);
    const texts = (await server.db.query<{ text: string }>('SELECT text FROM console_message ORDER BY id')).map((m) => m.text);
    expect(texts).toEqual(['', NEW_CHAT.officer, 'กำลังประสานงานให้ค่ะ']);
    // The officer still reads the kept chats whole: the citizen's words and photo (encrypted at rest) are there.
    for (const user of [users.newChat, users.waiting]) {
      expect(await server.db.query(`SELECT message_id FROM line_content WHERE chat_id = $1`, [user])).toHaveLength(1);
      const [kept] = await server.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM inbox_event WHERE chat_id = $1 AND message_type = 'image' AND payload <> '{"erased":true}'`, [user]);
      expect(Number(kept!.n)).toBe(1);
    }
    // The open chat's session says it is with an officer: kept, though idle 40 days.
    expect(await server.db.query('SELECT chat_id FROM conversation_session WHERE chat_id = $1', [users.waiting])).toHaveLength(1);
    expect(await server.db.query('SELECT chat_id FROM conversation_session WHERE chat_id IN ($1, $2)', [users.bot, users.old])).toEqual([]);
  });

  it('unlinks the citizens nothing kept needs, keeps the others, and erases old photos, notices and bodies', async () => {
    const linked = (await server.db.query<{ line_user_id: string }>('SELECT line_user_id FROM citizen ORDER BY id')).map((c) => c.line_user_id);
    expect(linked).toEqual([expect.stringMatching(/^erased:/), users.kept, expect.stringMatching(/^erased:/), users.newChat, users.bot, users.waiting]);
    // The bot conversation 100 days old: its photo (no case, no chat) and its messages' payloads erased, its rows kept.
    expect(await server.db.query('SELECT message_id FROM line_content WHERE chat_id = $1', [users.bot])).toEqual([]);
    const bot = await server.db.query<{ payload: string }>(`SELECT payload FROM inbox_event WHERE chat_id = $1`, [users.bot]);
    expect(bot.length).toBeGreaterThan(0);
    expect(new Set(bot.map((e) => e.payload))).toEqual(new Set(['{"erased":true}']));
    expect(await server.db.query('SELECT line_user_id FROM track_attempt')).toEqual([]);
    const notices = await server.db.query<{ subject_key: string; payload: string }>('SELECT subject_key, payload FROM notification ORDER BY id');
    expect(notices.map((n) => [n.subject_key, n.payload.includes('erased')])).toEqual([
      ['MDH-2568-000001-1', true],
      ['MDH-2568-000002-1', true],
      ['MDH-2569-000003-1', false],
      ['MDH-2569-000004-1', false],
    ]);
    const refused = await server.db.query<{ created_at: unknown; messages: string }>(`SELECT created_at, messages FROM outbox_message WHERE status = 'failed' ORDER BY id`);
    expect(refused.map((m) => m.messages)).toEqual(['[]']); // 60 days: the body erased, the row kept; 400 days: the row deleted
  });

  it('never touches an event still to be handled or a message still to be sent', async () => {
    const [event] = await server.db.query<{ status: string; payload: string }>('SELECT status, payload FROM inbox_event WHERE webhook_event_id = $1', [pending.webhookEventId]);
    expect(event).toEqual({ status: 'pending', payload: JSON.stringify({ type: 'message', message: { type: 'text', text: 'still waiting to be handled' } }) });
    const [message] = await server.db.query<{ status: string; messages: string; chat_id: string }>('SELECT status, messages, chat_id FROM outbox_message WHERE id = $1', [pending.outboxIds[0]]);
    expect(message!.status).toBe('pending');
    expect(message!.chat_id).toBe(pending.outboxChat);
    expect(message!.messages).toMatch(/^v\d+:/); // still its encrypted body
  });

  it('leaves none of what it erased in the raw database', async () => {
    const raw = await everythingAtRest(server);
    // The scan reads real data: what is kept is there.
    expect(raw).toContain(KEPT.story);
    expect(raw).toContain(NEW_CHAT.officer);
    expect(raw).toContain(NEW_NOTICE);
    for (const gone of [OLD.story, `ซ่อมแล้ว ${OLD.name}`, OLD_CHAT.officer, OLD_NOTICE, users.old, users.oldChat]) {
      expect(raw.includes(gone), `${gone} found in the database`).toBe(false);
    }
  });

  it('runs daily at RETENTION_RUN_AT under the scheduler: the second run erases nothing, and the next is set', async () => {
    const due = await nextDailyRunAt(server.db);
    expect(due).toBe(nextRunAt(startedAt, '02:30'));
    expect(new Date(due! + 7 * 3_600_000).toISOString().slice(11, 16)).toBe('02:30');
    const flushed = vi.spyOn(server.db, 'flushErased');
    clock.time = due! + 1000;
    await runDueJobs(server, 'retention:', clock.now);
    // Once its run is finished, the erased bytes leave the database file too (the job's transaction cannot).
    await waitFor(() => flushed.mock.calls.length > 0, 5_000, 'the database flushed after the run');
    flushed.mockRestore();
    const [daily] = await listRuns(server.db, 1);
    expect(daily).toMatchObject({ trigger: 'schedule', dryRun: false, error: null, nextStep: null });
    expect(Object.values(daily!.counts.purged).every((n) => n === 0)).toBe(true);
    const [job] = await jobsByKeyPrefix(server.db, DAILY_RETENTION_KEY);
    expect(job).toMatchObject({ status: 'pending', runAt: due! + DAY, payload: {} });
    // A dry run now finds nothing due either.
    const plan = await planRetention(server.db, server.settings.retention, clock.now());
    expect(plan.kinds.filter((k) => k.due > 0)).toEqual([]);
    expect(plan.cases).toEqual({ total: 0, first: [] });
  }, 30_000);

  it('shows supervisors the record and a dry run of their province, and lets only admins run it now', async () => {
    expect((await officer.call('GET', '/retention')).status).toBe(403);
    const seen = await supervisor.call('GET', '/retention');
    expect(seen.status).toBe(200);
    expect(seen.body.canRun).toBe(false);
    expect(seen.body.runs.map((r: RetentionRun) => [r.trigger, r.dryRun])).toEqual([
      ['schedule', false],
      ['command', false],
      ['console', true],
    ]);
    expect(seen.body.runs[1].counts.purged).toEqual(run.counts.purged);
    expect(seen.body.periods).toContainEqual({ kind: 'cases', years: 5 });
    expect((await supervisor.call('POST', '/retention/dry-run')).status).toBe(200);
    expect((await supervisor.call('POST', '/retention/runs')).status).toBe(403);

    // A run going on elsewhere (the command's) holds a run from the console back; one that stopped long ago does not.
    const other = await startRun(server.db, { trigger: 'command', dryRun: false, asOf: clock.now(), policy: server.settings.retention, now: clock.now() });
    expect((await admin.call('POST', '/retention/runs')).status).toBe(409);
    await server.db.query('UPDATE retention_run SET progress_at = $2 WHERE id = $1', [other.id, clock.now() - RUN_STALE_MS - 1]);
    const started = await admin.call('POST', '/retention/runs');
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({ trigger: 'console', requestedBy: 'admin', state: 'running' });
    await runDueJobs(server, 'retention:', clock.now);
    const finished = (await admin.call('GET', '/retention')).body.runs[0];
    expect(finished).toMatchObject({ id: started.body.run.id, state: 'done', error: null });
    expect(Object.values(finished.counts.purged).every((n) => n === 0)).toBe(true);
    expect((await admin.call('GET', '/retention')).body.runs.find((r: { id: number }) => r.id === other.id).state).toBe('stopped');
    expect(await server.db.query(`SELECT target FROM audit_log WHERE action = 'retention.run'`)).toEqual([{ target: `retention ${started.body.run.id}` }]);
    // Reports, once more.
    expect(await aggregates(server)).toEqual(reportsBefore);
  }, 30_000);

  it('ends a daily run whose step keeps failing with its error, and goes on the next day', async () => {
    const due = (await nextDailyRunAt(server.db))!;
    await server.db.query('ALTER TABLE notification RENAME TO notification_away');
    try {
      clock.time = due + 1000;
      server.scheduler.wake();
      // Each failed attempt is retried after the scheduler's backoff (minutes): the clock goes on until the run ends.
      const failed = await waitFor(async () => {
        const [latest] = await listRuns(server.db, 1);
        if (latest?.trigger === 'schedule' && latest.error !== null) return latest;
        const [job] = await jobsByKeyPrefix(server.db, DAILY_RETENTION_KEY);
        if (job && job.status === 'pending' && job.runAt > clock.now() && job.lastError !== null) {
          clock.time = job.runAt + 1000;
          server.scheduler.wake();
        }
        return undefined;
      }, 20_000, 'the failing run ended');
      expect(failed.error).toMatch(/notification/);
      expect(failed.finishedAt).not.toBeNull();
      expect(failed.nextStep).toBeNull();
      const [job] = await jobsByKeyPrefix(server.db, DAILY_RETENTION_KEY);
      expect(job).toMatchObject({ status: 'pending', runAt: due + DAY, payload: {}, lastError: null });
      expect((await admin.call('GET', '/retention')).body.runs[0]).toMatchObject({ id: failed.id, state: 'failed' });
    } finally {
      await server.db.query('ALTER TABLE notification_away RENAME TO notification');
    }
  }, 30_000);

  it('runs the daily purge once when three processes share the database, each erasing once', async () => {
    const now = clock.now();
    const no = server.db.dialect === 'sqlite' ? 0 : false;
    await server.db.query(
      `INSERT INTO cases (tracking_number, channel, category, status, confidential, royal_petition, anonymous, story, complainant_name,
         created_at, updated_at, due_at, last_public_update_at, closed_at, close_reason)
       VALUES ('MDH-2563-000099-7', 'walk_in', 'complaint', 'ended', $1, $1, $1, 'เรื่องเก่าที่สามกระบวนการ', 'ทองดี มีสุข', $2, $2, $2, $2, $2, 'resolved')`,
      [no, now - 6 * YEAR],
    );
    // Two more processes of the server, as far as the purge is concerned: their own connections and schedulers.
    const others = await Promise.all([1, 2].map(() => server.testDb.open()));
    const schedulers = others.map((db, i) => {
      const s = new Scheduler({ db, logger: createLogger('silent'), workerId: `other-${i}`, pollMs: 50, now: clock.now });
      for (const [kind, handler] of Object.entries(retentionJobHandlers({ policy: server.settings.retention }))) s.register(kind, handler);
      s.start();
      return s;
    });
    try {
      const before = (await listRuns(server.db, 200)).length;
      const due = (await nextDailyRunAt(server.db))!;
      clock.time = due + 1000;
      server.scheduler.wake();
      for (const s of schedulers) s.wake();
      await waitFor(async () => (await nextDailyRunAt(server.db)) === due + DAY, 20_000, 'the daily run done by one of them');
      const runs = await listRuns(server.db, 200);
      expect(runs.length - before).toBe(1);
      expect(runs[0]).toMatchObject({ trigger: 'schedule', error: null, nextStep: null });
      expect(runs[0]!.counts.purged).toMatchObject({ cases: 1 });
      const [erased] = await server.db.query<{ story: string; complainant_name: string | null }>(`SELECT story, complainant_name FROM cases WHERE tracking_number = 'MDH-2563-000099-7'`);
      expect(erased).toEqual({ story: '', complainant_name: null });
    } finally {
      await Promise.all(schedulers.map((s) => s.stop(5000)));
      await Promise.all(others.map((db) => db.close()));
    }
  }, 30_000);

});

describe('the retention policy', () => {
  it('erases a case exactly when cases/my-data.ts stops telling the citizen it is kept', () => {
    const asOf = Date.UTC(2031, 1, 10, 3);
    const line = cutoffsOf({ ...loadSettings({}).retention }, asOf).cases;
    for (const closedAt of [Date.UTC(2026, 1, 10, 3), Date.UTC(2026, 1, 10, 3) + 1, Date.UTC(2026, 1, 9), Date.UTC(2026, 1, 11), Date.UTC(2024, 1, 29, 12)]) {
      expect(closedAt <= line, new Date(closedAt).toISOString()).toBe(retentionOf({ status: 'ended', closedAt, updatedAt: closedAt }, asOf) === null);
    }
  });

  it("runs daily at RETENTION_RUN_AT in Thailand, whatever the server's time zone", () => {
    // 02:29 in Bangkok is 19:29 UTC the day before: the run is a minute away; at 02:30 it is tomorrow's.
    expect(nextRunAt(Date.UTC(2026, 11, 6, 19, 29), '02:30')).toBe(Date.UTC(2026, 11, 6, 19, 30));
    expect(nextRunAt(Date.UTC(2026, 11, 6, 19, 30), '02:30')).toBe(Date.UTC(2026, 11, 7, 19, 30));
    expect(nextRunAt(Date.UTC(2026, 11, 6, 23, 0), '00:00')).toBe(Date.UTC(2026, 11, 7, 17, 0));
  });

  it('erases a chat up to the chat period, never into a handoff of the same chat still kept', () => {
    expect(chatEraseBefore(1000, [])).toBe(1000);
    expect(chatEraseBefore(1000, [1500, 800])).toBe(800);
  });

  it('never deletes an inbox row younger than the redelivery guard, whatever RETENTION_CHAT_DAYS says', () => {
    const asOf = Date.UTC(2027, 0, 1);
    const c = cutoffsOf({ ...loadSettings({ RETENTION_CHAT_DAYS: '7' }).retention }, asOf);
    expect(c.rows).toBe(asOf - REDELIVERY_GUARD_DAYS * DAY);
    expect(() => loadSettings({ RETENTION_CHAT_DAYS: '3' })).toThrow(/RETENTION_CHAT_DAYS/);
    expect(loadSettings({ RETENTION_RUN_AT: 'off' }).retention.runAt).toBeNull();
    expect(() => loadSettings({ RETENTION_RUN_AT: '25:00' })).toThrow(/RETENTION_RUN_AT/);
  });
});
