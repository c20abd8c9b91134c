/**
 * The monthly summaries (migration 0025) against the rows, on both engines: a random register of a province and a
 * bit beyond, then changed the ways cases change (closed, reopened, moved between districts by the console's code,
 * recategorised, made confidential with their category, told something, rated, erased by retention, given a new
 * deadline, deleted). After each round every summary table equals its count afresh from the rows, and the dashboard
 * read from the summaries equals the dashboard counted from the rows alone, figure for figure, for every reach and
 * for periods that are whole months, parts of months and both. Last, the migration counts a register already there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '../storage/database';
import { DataCipher } from '../storage/crypto';
import { DEFAULT_OFFICE_HOURS } from '../office/hours';
import { caseById, changeStatus, markCategoryConfidential, markReopened, addEvent } from '../cases/store';
import { moveCase, type MovableCase } from '../cases/move';
import { saveSurveyResponse } from '../cases/surveys';
import { eraseCasePersonalData } from '../privacy/erase';
import { districtsOf, subdistrictsOf } from '../flows/places';
import { dashboard, timesToEnd, timeToEndFromSummaries } from '../reports/dashboard';
import { spread } from '../reports/stats';
import { splitByMonths } from '../reports/summaries';
import { boundsOf, type Period } from '../reports/period';
import type { ReportScope } from '../reports/reach';
import { reportSummarySql, ReportSummaries1766500000000 } from '../storage/migrations/0025-report-summaries';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { mulberry32 as random } from '../language/train/prng';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const at = (s: string) => Date.parse(`${s}+07:00`);
const NOW = at('2026-12-20T12:00:00');
const cipher = new DataCipher(Buffer.alloc(32, 7));

const rnd = random(25);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chance = (p: number) => rnd() < p;

const CATEGORIES = ['complaint', 'assistance', 'justice', 'official_conduct', 'tip_off', 'information', 'suggestion'];
const CHANNELS = ['line', 'walk_in', 'hotline', 'letter'];
const TOPICS = [null, 'road', 'welfare', 'land', 'water'];
const OPEN = ['received', 'reviewing', 'in_progress', 'forwarded'] as const;
const DISTRICTS = districtsOf('49').map((d) => d.code);
/** Where a case may be: Mukdahan's districts, another province's district, a province without a district, nowhere. */
const PLACES: Array<{ province: string | null; district: string | null }> = [
  ...DISTRICTS.map((d) => ({ province: '49', district: d })),
  { province: '34', district: '3401' },
  { province: null, district: '4902' },
  { province: '49', district: null },
  { province: null, district: null },
];
const START = at('2025-08-20T00:00:00');
const SPAN = at('2026-12-20T00:00:00') - START;

/** Times to end: mostly days, some the same to the millisecond, some under a day, a few beyond 400 days. */
function timeToEnd(): number {
  const x = rnd();
  if (x < 0.05) return Math.floor(rnd() * 20 * HOUR);
  if (x < 0.1) return 7 * DAY;
  if (x < 0.12) return 401 * DAY + Math.floor(rnd() * DAY);
  return Math.floor(Math.exp(Math.log(10 * DAY) + 1.1 * (rnd() + rnd() + rnd() - 1.5)));
}

async function seed(db: Database, cases: number): Promise<void> {
  const b = (v: boolean) => (db.dialect === 'postgres' ? v : v ? 1 : 0);
  await db.transaction(async (tx) => {
    let event = 0;
    let survey = 0;
    let handoff = 0;
    for (let id = 1; id <= cases; id++) {
      const created = START + Math.floor(rnd() * SPAN);
      const place = pick(PLACES);
      const category = pick(CATEGORIES);
      const closes = chance(0.7) ? created + timeToEnd() : null;
      const closed = closes !== null && closes < NOW ? closes : null;
      const status = closed === null ? pick(OPEN) : pick(['ended', 'ended', 'not_accepted', 'withdrawn']);
      const reason = status === 'ended' ? pick(['resolved', 'before_court', null]) : status === 'not_accepted' ? 'anonymous_without_facts' : null;
      const sub = place.district && chance(0.8) ? (pick(subdistrictsOf(place.district))?.code ?? null) : null;
      await tx.query(
        `INSERT INTO cases (id, tracking_number, channel, category, status, confidential, royal_petition, anonymous, story, province_code, district_code,
           subdistrict_code, topic, created_at, updated_at, due_at, last_public_update_at, closed_at, close_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 'เรื่อง', $8, $9, $10, $11, $12, $12, $13, $12, $14, $15)`,
        [id, `T-${id}`, pick(CHANNELS), category, status, b(category === 'official_conduct'), b(false), place.province, place.district, sub, pick(TOPICS),
          created, created + (chance(0.5) ? 15 * DAY : Math.floor(rnd() * 40 * DAY)), closed, reason],
      );
      await tx.query('INSERT INTO case_event (id, case_id, at, actor_type, kind, public) VALUES ($1, $2, $3, $4, $5, $6)', [++event, id, created, 'citizen', 'created', b(true)]);
      // Told something (or not): within a day, within the 15 days, later, much later; or only internal notes.
      for (let k = Math.floor(rnd() * 3); k > 0; k--) {
        const delay = pick([Math.floor(rnd() * DAY), 15 * DAY, Math.floor(rnd() * 30 * DAY), 370 * DAY, 14 * DAY + 1]);
        if (created + delay > NOW) continue;
        await tx.query('INSERT INTO case_event (id, case_id, at, actor_type, kind, public) VALUES ($1, $2, $3, $4, $5, $6)', [
          ++event, id, created + delay, pick(['officer', 'system', 'citizen']), pick(['status', 'progress_notice', 'note']), b(chance(0.8)),
        ]);
      }
      if (closed !== null && chance(0.5)) {
        await tx.query('INSERT INTO survey_response (id, case_id, chat_id, subject, rating, comment, at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          ++survey, id, `U${id}`, 'case', Math.floor(rnd() * 6), chance(0.3) ? cipher.encrypt('ขอบคุณค่ะ') : null, Math.min(NOW - 1, closed + Math.floor(rnd() * 40 * DAY)),
        ]);
      }
      if (chance(0.15)) {
        const requested = created + Math.floor(rnd() * 10 * HOUR);
        const district = chance(0.2) ? null : place.district;
        await tx.query(`INSERT INTO handoff_request (id, chat_id, reason, status, requested_at, district_code) VALUES ($1, $2, 'requested', 'closed', $3, $4)`, [
          ++handoff, `Uchat${handoff}`, requested, district,
        ]);
        if (chance(0.8)) {
          const reply = requested + Math.floor(rnd() * 20 * HOUR);
          await tx.query('INSERT INTO handoff_claim (handoff_id, officer_id, claimed_at, first_reply_at) VALUES ($1, 900, $2, $2)', [handoff, reply]);
          if (chance(0.5)) {
            await tx.query('INSERT INTO survey_response (id, case_id, chat_id, subject, rating, comment, at) VALUES ($1, NULL, $2, $3, $4, NULL, $5)', [
              ++survey, `Uchat${handoff}`, 'chat', 1 + Math.floor(rnd() * 5), reply + HOUR,
            ]);
          }
        }
      }
    }
    if (db.dialect === 'postgres') {
      for (const t of ['cases', 'case_event', 'survey_response', 'handoff_request']) {
        await tx.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT MAX(id) FROM ${t}))`);
      }
    }
  });
}

const TABLES = ['report_received', 'report_first_notice', 'report_closed', 'report_time_to_end', 'report_ratings'] as const;
const normal = (rows: Array<Record<string, unknown>>) =>
  rows.map((r) => Object.values(r).map((v) => (typeof v === 'number' || typeof v === 'bigint' || /^-?\d+$/.test(String(v)) ? Number(v) : v)).join('|')).sort();

/** Every summary table as kept, against its count afresh from the rows (rows of 0 are kept but count nothing). */
async function expectSummariesExact(db: Database): Promise<void> {
  const { recount } = reportSummarySql(db.dialect === 'postgres');
  for (const t of TABLES) {
    const kept = await db.query(`SELECT * FROM ${t} WHERE n <> 0`);
    const fresh = await db.query(`SELECT * FROM (${recount[t]}) r`);
    expect(normal(kept), t).toEqual(normal(fresh));
  }
}

const PERIODS: Period[] = [
  { from: '2025-08-01', to: '2026-12-31' }, // everything, whole months
  { from: '2025-10-01', to: '2026-09-30' }, // fiscal year 2569
  { from: '2026-01-17', to: '2026-08-09' }, // parts of months around whole ones
  { from: '2026-11-01', to: '2026-11-30' }, // one month
  { from: '2026-12-01', to: '2026-12-31' }, // this month: not all of it due its first notice
  { from: '2026-06-10', to: '2026-06-20' }, // days within a month
  { from: '2026-02-01', to: '2026-05-15' }, // whole months, then days
  { from: '2025-09-15', to: '2026-12-20' }, // days, whole months, days up to now
];
const SCOPES: Record<string, ReportScope> = {
  province: { reach: { scope: 'province', provinceCode: '49' } },
  officer: { reach: { scope: 'district', districtCode: '4901' } },
  'officer of 4902': { reach: { scope: 'district', districtCode: '4902' } },
  'district chosen': { reach: { scope: 'province', provinceCode: '49' }, district: '4903' },
  'another province': { reach: { scope: 'province', provinceCode: '34' } },
  all: { reach: { scope: 'all' } },
};

/** The dashboard from the summaries equals the dashboard from the rows, for every reach and period. */
async function expectDashboardsExact(db: Database, noticeDays = 15): Promise<number> {
  let compared = 0;
  const opts = { now: NOW, noticeDays, centerDistrict: '4901', hoursOf: async () => DEFAULT_OFFICE_HOURS, listLimit: 5 };
  for (const period of PERIODS) {
    for (const [name, scope] of Object.entries(SCOPES)) {
      const b = boundsOf(period);
      const summed = await dashboard(db, cipher, scope, b, opts);
      const counted = await dashboard(db, cipher, scope, b, { ...opts, summaries: false });
      expect(summed, `${name}, ${period.from} to ${period.to}`).toEqual(counted);
      compared += summed.received + summed.ended;
    }
  }
  return compared;
}

type CaseSnapshot = MovableCase & { closed_at: number | null; created_at: number };
async function caseRow(tx: Pick<Tx, 'query'>, id: number): Promise<CaseSnapshot> {
  const [r] = await tx.query<CaseSnapshot>(
    'SELECT id, tracking_number, district_code, subdistrict_code, category, status, confidential, story, closed_at, created_at FROM cases WHERE id = $1',
    [id],
  );
  return { ...r!, id: Number(r!.id), closed_at: r!.closed_at === null ? null : Number(r!.closed_at), created_at: Number(r!.created_at) };
}

describe.each(engines())('the monthly summaries stay the counts of the rows (%s)', (engine) => {
  let t: TestDatabase;
  let db: Database;
  const CASES = 700;

  beforeAll(async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    const b = (v: boolean) => (db.dialect === 'postgres' ? v : v ? 1 : 0);
    await db.query(
      `INSERT INTO officer (id, username, display_name, role, district_code, province_code, password_hash, disabled, created_at, created_by)
       VALUES (900, 'summaries', 'เจ้าหน้าที่', 'officer', '4901', '49', '!', $1, 0, 't')`,
      [b(false)],
    );
    await seed(db, CASES);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await t?.drop();
  });

  it('counts a random register the same from the summaries as from the rows', async () => {
    await expectSummariesExact(db);
    expect(await expectDashboardsExact(db)).toBeGreaterThan(500);
    // Another PROGRESS_NOTICE_DAYS: the first notices are kept by the day, so any setting reads the same.
    await expectDashboardsExact(db, 7);
  }, 120_000);

  it('keeps them exact as cases are closed, reopened, moved, recategorised, told, rated, erased and deleted', async () => {
    const ids = Array.from({ length: CASES }, (_, i) => i + 1);
    const some = (n: number) => Array.from({ length: n }, () => pick(ids));
    await db.transaction(async (tx) => {
      // Closed by an officer, at a time of their own (some before the case's filing month ends).
      for (const id of some(60)) {
        const row = await caseById(tx, id);
        if (!row || row.closed_at !== null) continue;
        const to = pick(['ended', 'not_accepted', 'withdrawn'] as const);
        await changeStatus(tx, row, { to, reason: to === 'ended' ? 'resolved' : to === 'not_accepted' ? 'anonymous_without_facts' : null, public: true, actorType: 'officer', actorId: '900', now: Math.min(NOW, row.created_at + timeToEnd()) });
      }
      // Reopened: closed_at cleared, a new deadline, the status back in progress.
      for (const id of some(40)) {
        const row = await caseById(tx, id);
        if (!row || row.closed_at === null) continue;
        await markReopened(tx, id, NOW + 15 * DAY);
        await changeStatus(tx, { ...row, closed_at: null }, { to: 'in_progress', public: true, actorType: 'officer', actorId: '900', now: NOW - DAY });
      }
      // Moved to another district of the province (the console's move), confidential ones and rated ones among them.
      for (const id of some(60)) {
        const row = await caseRow(tx, id);
        const to = pick(DISTRICTS.filter((d) => d !== row.district_code));
        await moveCase(tx, row, { to, reason: 'ปักหมุดผิดอำเภอ', actorId: '900', now: NOW - HOUR, sendAt: NOW });
      }
      // Recategorised (and so confidential or not), a new topic, channel or subdistrict; a new deadline.
      for (const id of some(40)) {
        const category = pick(CATEGORIES);
        await tx.query('UPDATE cases SET category = $2, confidential = $3, topic = $4 WHERE id = $1', [id, category, db.dialect === 'postgres' ? category === 'official_conduct' : category === 'official_conduct' ? 1 : 0, pick(TOPICS)]);
      }
      for (const id of some(20)) await tx.query('UPDATE cases SET channel = $2, subdistrict_code = NULL WHERE id = $1', [id, pick(CHANNELS)]);
      for (const id of some(40)) await tx.query('UPDATE cases SET due_at = due_at + $2 WHERE id = $1', [id, pick([-3 * DAY, 5 * DAY, 30 * DAY])]);
      // A category made confidential: every case of it at once.
      await markCategoryConfidential(tx, 'justice');
      // Told something: public events by officers and the system (the first notice, by 0023's trigger), and notes.
      for (const id of some(80)) {
        const row = await caseRow(tx, id);
        await addEvent(tx, id, { at: Math.min(NOW, row.created_at + Math.floor(rnd() * 20 * DAY)), actorType: pick(['officer', 'system'] as const), kind: 'progress_notice', public: chance(0.8) });
      }
      // Rated, cases and chats.
      for (const id of some(60)) {
        const row = await caseRow(tx, id);
        await saveSurveyResponse(tx, cipher, { caseId: id, chatId: `U${id}`, subject: 'case', rating: Math.floor(rnd() * 6), comment: 'ดีค่ะ', at: Math.min(NOW - 1, row.created_at + Math.floor(rnd() * 60 * DAY)) });
      }
      await saveSurveyResponse(tx, cipher, { caseId: null, chatId: 'Uchat1', subject: 'chat', rating: 4, comment: '', at: NOW - DAY });
      // A rating corrected, and one moved in time.
      await tx.query('UPDATE survey_response SET rating = 5 WHERE id IN (SELECT id FROM survey_response WHERE case_id IS NOT NULL ORDER BY id LIMIT 3)');
      await tx.query('UPDATE survey_response SET at = at - $1 WHERE id IN (SELECT id FROM survey_response WHERE case_id IS NOT NULL ORDER BY id DESC LIMIT 3)', [40 * DAY]);
    });
    // Retention erases the personal data of old cases: the counts stay as they were.
    for (const id of some(30)) await db.transaction((tx) => eraseCasePersonalData(tx, id, NOW));
    // Deleted outright (never by the product, but the summaries must not care): its ratings and timeline first.
    await db.transaction(async (tx) => {
      for (const id of [...new Set(some(15))]) {
        await tx.query('DELETE FROM survey_response WHERE case_id = $1', [id]);
        await tx.query('DELETE FROM notification WHERE subject_key LIKE $1', [`T-${id}:%`]);
        await tx.query('DELETE FROM case_event WHERE case_id = $1', [id]);
        await tx.query('DELETE FROM cases WHERE id = $1', [id]);
      }
      // And a case filed anew, closed at once.
      await tx.query(
        `INSERT INTO cases (tracking_number, channel, category, status, confidential, royal_petition, anonymous, story, province_code, district_code, subdistrict_code,
           topic, created_at, updated_at, due_at, last_public_update_at, closed_at, close_reason)
         VALUES ('T-new', 'line', 'complaint', 'ended', $1, $1, $1, 'เรื่อง', '49', '4905', NULL, NULL, $2, $2, $3, $2, $4, 'resolved')`,
        [db.dialect === 'postgres' ? false : 0, NOW - 3 * DAY, NOW + 12 * DAY, NOW - DAY],
      );
    });
    const [moved] = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM case_event WHERE kind = 'moved'`);
    const [reopened] = await db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases WHERE reopen_count > 0');
    expect([Number(moved!.n), Number(reopened!.n)]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.min(Number(moved!.n), Number(reopened!.n))).toBeGreaterThan(5);
    await expectSummariesExact(db);
    expect(await expectDashboardsExact(db)).toBeGreaterThan(500);
  }, 180_000);

  it('counts the rows already there when the migration runs', async () => {
    const before = await dashboard(db, cipher, SCOPES.province!, boundsOf(PERIODS[0]!), { now: NOW, noticeDays: 15, centerDistrict: '4901', hoursOf: async () => DEFAULT_OFFICE_HOURS });
    const runner = db.dataSource.createQueryRunner();
    try {
      const migration = new ReportSummaries1766500000000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    await expectSummariesExact(db);
    const [kept] = await db.query<{ n: unknown }>('SELECT SUM(n) AS n FROM report_first_notice');
    const [cases] = await db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases');
    expect(Number(kept!.n)).toBe(Number(cases!.n));
    expect(await dashboard(db, cipher, SCOPES.province!, boundsOf(PERIODS[0]!), { now: NOW, noticeDays: 15, centerDistrict: '4901', hoursOf: async () => DEFAULT_OFFICE_HOURS })).toEqual(before);
    // The triggers are back: a moved case is counted where it went.
    await db.query(`UPDATE cases SET district_code = '4907', province_code = '49' WHERE id = (SELECT MIN(id) FROM cases)`);
    await expectSummariesExact(db);
  }, 120_000);

  it('finds each percentile in its day and reads the time itself there, under a day and beyond 400 days too', async () => {
    // Province 35 alone: times of 2, 3 and 5 hours, 401 and 500 days; nearest ranks 3 (median) and 5 (90th).
    const closings: Array<[number, number]> = [[2 * HOUR, at('2026-03-05T10:00:00')], [5 * HOUR, at('2026-03-20T10:00:00')], [3 * HOUR, at('2026-04-02T10:00:00')], [401 * DAY, at('2026-04-10T10:00:00')], [500 * DAY, at('2026-05-31T23:00:00')]];
    const f = db.dialect === 'postgres' ? false : 0;
    for (const [i, [took, closed]] of closings.entries()) {
      await db.query(
        `INSERT INTO cases (tracking_number, channel, category, status, confidential, royal_petition, anonymous, story, province_code, district_code,
           created_at, updated_at, due_at, last_public_update_at, closed_at, close_reason)
         VALUES ($1, 'line', 'complaint', 'ended', $2, $2, $2, 'เรื่อง', '35', '3501', $3, $3, $4, $3, $4, 'resolved')`,
        [`T-35-${i}`, f, closed - took, closed],
      );
    }
    const scope: ReportScope = { reach: { scope: 'province', provinceCode: '35' } };
    for (const period of [{ from: '2026-03-01', to: '2026-05-31' }, { from: '2026-03-03', to: '2026-06-30' }, { from: '2026-01-01', to: '2026-04-30' }]) {
      const b = boundsOf(period);
      const { months, edges } = splitByMonths(b);
      const found = await timeToEndFromSummaries(db, scope, b, months!, edges);
      expect(found, period.from).toEqual(spread(await timesToEnd(db, scope, b)));
    }
    expect(await timeToEndFromSummaries(db, scope, boundsOf({ from: '2026-03-01', to: '2026-05-31' }), splitByMonths(boundsOf({ from: '2026-03-01', to: '2026-05-31' })).months!, [])).toEqual({
      count: 5,
      median: 5 * HOUR,
      p90: 500 * DAY,
    });
    // The big register too: the summaries answer by themselves, never falling back to the rows.
    for (const period of PERIODS) {
      for (const [name, s] of Object.entries(SCOPES)) {
        const b = boundsOf(period);
        const { months, edges } = splitByMonths(b);
        if (!months) continue;
        expect(await timeToEndFromSummaries(db, s, b, months, edges), `${name}, ${period.from}`).toEqual(spread(await timesToEnd(db, s, b)));
      }
    }
  });

  it('would notice a summary one case off (the comparisons above are not empty)', async () => {
    const whole = boundsOf(PERIODS[0]!);
    const opts = { now: NOW, noticeDays: 15, centerDistrict: '4901', hoursOf: async () => DEFAULT_OFFICE_HOURS };
    const [row] = await db.query<{ district: string; confidential: unknown; status: string; reason: string; on_time: unknown }>(
      `SELECT district, confidential, status, reason, on_time FROM report_closed WHERE month = 202606 AND province = '49' AND n > 0
        ORDER BY district, confidential, status, reason, on_time LIMIT 1`,
    );
    await db.query('UPDATE report_closed SET n = n + 1 WHERE month = 202606 AND province = $1 AND district = $2 AND confidential = $3 AND status = $4 AND reason = $5 AND on_time = $6', [
      '49', row!.district, row!.confidential, row!.status, row!.reason, row!.on_time,
    ]);
    await expect(expectSummariesExact(db)).rejects.toThrow(/report_closed/);
    const summed = await dashboard(db, cipher, SCOPES.province!, whole, opts);
    const counted = await dashboard(db, cipher, SCOPES.province!, whole, { ...opts, summaries: false });
    expect(summed.ended).toBe(counted.ended + 1);
  });
});
