/**
 * A realistic database for the reports at a province's real volume (`npm run seed:reports`): one province, its
 * districts and subdistricts from the place list, five years of cases (500,000 by default) with their timelines
 * (filing, review, progress notices, the ending with one of the Ministry's reasons), chats with officers (requests,
 * claims, first answers, in and out of office hours) and ratings with a few comments, encrypted as the product
 * stores them. Deterministic for a given --seed. Bulk inserts with explicit ids: better-sqlite3 statements in
 * one transaction on SQLite, unnest() batches on PostgreSQL; then ANALYZE so the planner knows the tables.
 *
 *   npm run seed:reports -- --db sqlite:data/reports-seed.sqlite [--cases 500000] [--years 5] [--province 49]
 *                           [--until 2026-12-01] [--seed 1]
 *
 * It refuses a database that already holds cases: it is for a new, empty one.
 */
import { parseArgs } from 'node:util';
import type BetterSqlite3 from 'better-sqlite3';
import { Database } from '../storage/database';
import { DataCipher } from '../storage/crypto';
import { BUILT_IN_CATEGORIES as CATEGORIES, CHANNELS, type BuiltInCategory as Category, type Channel } from '../domain/cases';
import { SHIPPED_CATEGORIES } from '../categories';
import { END_REASONS, NOT_ACCEPTED_REASONS } from '../cases/reasons';
import { SUBJECTS } from '../language/intents';
import { checkDigit, yearBEOf } from '../domain/tracking-number';
import { districtsOf, subdistrictsOf } from '../flows/places';
import { reportSummarySql } from '../storage/migrations/0025-report-summaries';
import { mulberry32 as random } from '../language/train/prng';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BANGKOK = 7 * HOUR;

/** The key the seeded names and comments are encrypted with, unless DATA_KEY is set: the test servers' own. */
const SEED_DATA_KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';

export interface SeedOptions {
  cases: number;
  years: number;
  province: string;
  /** The end of the seeded time (exclusive), epoch ms. */
  until: number;
  seed: number;
  prefix: string;
  log?: (line: string) => void;
}

export interface SeedCounts {
  cases: number;
  events: number;
  handoffs: number;
  claims: number;
  surveys: number;
  ms: number;
}


function weighted<T>(rnd: () => number, items: readonly (readonly [T, number])[]): () => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  return () => {
    let x = rnd() * total;
    for (const [v, w] of items) {
      x -= w;
      if (x < 0) return v;
    }
    return items[items.length - 1]![0];
  };
}

/** Log-normal with the given median, so most waits are short and a few very long, as in any queue. */
const lognormal = (rnd: () => number, median: number, sigma: number) => {
  const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return median * Math.exp(sigma * z);
};

const CATEGORY_WEIGHTS: Record<Category, number> = {
  complaint: 45,
  assistance: 20,
  justice: 8,
  official_conduct: 3,
  tip_off: 6,
  information: 10,
  consultation: 5,
  suggestion: 3,
};
const CHANNEL_WEIGHTS: Record<Channel, number> = { line: 55, walk_in: 20, hotline: 12, letter: 6, field: 3, email: 2, website: 1, agency: 1 };
const STORIES = [
  'ถนนในหมู่บ้านเป็นหลุมเป็นบ่อ รถจักรยานยนต์ล้มบ่อย',
  'ไฟฟ้าดับบ่อยช่วงกลางคืน',
  'น้ำประปาไม่ไหลมาสามวันแล้ว',
  'เพื่อนบ้านเปิดเพลงเสียงดังทุกคืน',
  'ขยะไม่มีคนมาเก็บ ส่งกลิ่นเหม็น',
  'ขอความช่วยเหลือเรื่องเบี้ยยังชีพผู้สูงอายุ',
  'ถูกหลอกโอนเงินซื้อของออนไลน์',
  'ที่ดินทำกินมีข้อพิพาทเรื่องแนวเขต',
];
const NAMES = ['สมชาย ใจดี', 'บัวผัน ศรีสุข', 'ประยูร แก้วมณี', 'สุดารัตน์ พรหมมา', 'วิชัย ทองดี', 'อรุณี บุญมา'];
const COMMENTS = ['ขอบคุณเจ้าหน้าที่มากครับ', 'ช้าไปหน่อย แต่ก็แก้ไขได้', 'ไม่มีใครติดต่อกลับเลย', 'บริการดีมากค่ะ', 'อยากให้ตอบเร็วกว่านี้'];

interface Tables {
  cases: unknown[][];
  events: unknown[][];
  handoffs: unknown[][];
  claims: unknown[][];
  surveys: unknown[][];
}

const CASE_COLUMNS = [
  'id', 'tracking_number', 'channel', 'category', 'status', 'confidential', 'royal_petition', 'anonymous', 'story', 'province_code',
  'district_code', 'subdistrict_code', 'topic', 'complainant_name', 'created_at', 'updated_at', 'due_at', 'last_public_update_at', 'closed_at',
  'close_reason', 'reopen_count', 'first_notice_at',
] as const;
const EVENT_COLUMNS = ['id', 'case_id', 'at', 'actor_type', 'actor_id', 'kind', 'status_from', 'status_to', 'reason', 'public', 'notified_at'] as const;
const HANDOFF_COLUMNS = ['id', 'chat_id', 'reason', 'status', 'requested_at', 'closed_at', 'answer_by', 'district_code'] as const;
const CLAIM_COLUMNS = ['handoff_id', 'officer_id', 'claimed_at', 'first_reply_at', 'ended_at', 'ended_reason'] as const;
const SURVEY_COLUMNS = ['id', 'case_id', 'chat_id', 'subject', 'rating', 'comment', 'at'] as const;

/** Whether Bangkok time `at` is inside 08:30-16:30 on a weekday (the default office hours; holidays ignored here). */
function inOfficeHours(at: number): boolean {
  const d = new Date(at + BANGKOK);
  const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
  const weekday = d.getUTCDay();
  return weekday >= 1 && weekday <= 5 && minutes >= 510 && minutes < 990;
}

/** The next opening (08:30 of the next weekday) after `at`, Bangkok time. */
function nextOpening(at: number): number {
  let midnight = at - ((at + BANGKOK) % DAY);
  for (let i = 0; i < 8; i++) {
    const opens = midnight + 510 * 60_000;
    const weekday = new Date(midnight + BANGKOK).getUTCDay();
    if (weekday >= 1 && weekday <= 5 && opens > at) return opens;
    midnight += DAY;
  }
  return at + DAY;
}

/** Every row, generated in memory in order of filing (ids ascending with time, as the real register). */
export function generate(o: SeedOptions, cipher: DataCipher): Tables {
  const rnd = random(o.seed);
  const districts = districtsOf(o.province);
  if (!districts.length) throw new Error(`no districts for province ${o.province} in the place list`);
  // The provincial seat's district files the most; the others by a rough share of the population.
  const pickDistrict = weighted(rnd, districts.map((d, i) => [d, i === 0 ? 6 : 1 + ((i * 7) % 4)] as const));
  const subdistricts = new Map(districts.map((d) => [d.code, subdistrictsOf(d.code)]));
  const pickCategory = weighted(rnd, CATEGORIES.map((c) => [c, CATEGORY_WEIGHTS[c]] as const));
  const pickChannel = weighted(rnd, CHANNELS.map((c) => [c, CHANNEL_WEIGHTS[c]] as const));
  const pickTopic = weighted(rnd, SUBJECTS.map((s, i) => [s, s === 'other' ? 12 : 2 + ((i * 5) % 7)] as const));
  const pickEndReason = weighted(rnd, END_REASONS.map((r, i) => [r, i === 0 ? 50 : i === 2 ? 20 : 5] as const));
  const pickNotAccepted = weighted(rnd, NOT_ACCEPTED_REASONS.map((r) => [r, 1] as const));
  const pickRating = weighted(rnd, [[5, 40], [4, 30], [3, 15], [2, 8], [1, 7]] as const);
  const start = o.until - o.years * 365 * DAY;
  const span = o.until - start;
  const t: Tables = { cases: [], events: [], handoffs: [], claims: [], surveys: [] };
  const seqByYear = new Map<number, number>();
  let eventId = 0;
  let handoffId = 0;
  let surveyId = 0;
  const officerOf = new Map(districts.map((d, i) => [d.code, i + 1]));

  // Times of filing: more cases in later years (the channel grows), fewer on weekends and at night; sorted.
  const times = new Float64Array(o.cases);
  for (let i = 0; i < o.cases; i++) {
    let at: number;
    for (;;) {
      at = start + Math.sqrt(rnd()) ** 0.6 * span;
      const d = new Date(at + BANGKOK);
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      const night = d.getUTCHours() < 7 || d.getUTCHours() >= 21;
      if (rnd() < (weekend ? 0.45 : 1) * (night ? 0.2 : 1)) break;
    }
    times[i] = Math.floor(at);
  }
  times.sort();

  for (let i = 0; i < o.cases; i++) {
    const id = i + 1;
    const created = times[i]!;
    const district = pickDistrict();
    const subs = subdistricts.get(district.code)!;
    const sub = subs.length ? subs[Math.floor(rnd() * subs.length)]!.code : null;
    const category = pickCategory();
    const channel = pickChannel();
    const confidential = SHIPPED_CATEGORIES.some((c) => c.code === category && c.confidential);
    const anonymous = category === 'tip_off' && rnd() < 0.5;
    const year = yearBEOf(created);
    const seq = (seqByYear.get(year) ?? 0) + 1;
    seqByYear.set(year, seq);
    const digits = `${year}${String(seq).padStart(6, '0')}`;
    const number = `${o.prefix}-${year}-${String(seq).padStart(6, '0')}-${checkDigit(digits)}`;
    const events: Array<[number, string, string, string | null, string | null, string | null, boolean]> = [];
    events.push([created, channel === 'line' ? 'citizen' : 'officer', 'created', null, 'received', null, true]);
    // The life of the case: reviewed within days, in progress, maybe forwarded, ended after a log-normal time.
    const toEnd = lognormal(rnd, 12 * DAY, 1.1);
    const closes = created + toEnd;
    let status = 'received';
    let at = created;
    const step = (after: number, to: string) => {
      at += Math.floor(after);
      if (at >= closes || at >= o.until) return false;
      events.push([at, 'officer', 'status', status, to, null, rnd() < 0.9]);
      status = to;
      return true;
    };
    step(lognormal(rnd, 2 * DAY, 0.8), 'reviewing') && step(lognormal(rnd, 4 * DAY, 0.8), 'in_progress') && rnd() < 0.2 && step(lognormal(rnd, 5 * DAY, 0.8), 'forwarded');
    // Progress notices every 15 days of public silence while open, as the scheduler sends them.
    let lastPublic = created;
    const publicTimes = events.filter((e) => e[6]).map((e) => e[0]);
    const end = Math.min(closes, o.until);
    for (let k = 0, p = 0; ; k++) {
      while (p < publicTimes.length && publicTimes[p]! <= lastPublic + 15 * DAY) lastPublic = Math.max(lastPublic, publicTimes[p++]!);
      const due = lastPublic + 15 * DAY + Math.floor(rnd() * 2 * HOUR);
      if (due >= end || k > 200) break;
      events.push([due, 'system', 'progress_notice', null, null, null, true]);
      lastPublic = due;
    }
    let closedAt: number | null = null;
    let reason: string | null = null;
    if (closes < o.until) {
      const kind = rnd();
      const to = kind < 0.85 ? 'ended' : kind < 0.93 ? 'not_accepted' : 'withdrawn';
      reason = to === 'ended' ? pickEndReason() : to === 'not_accepted' ? pickNotAccepted() : null;
      closedAt = Math.floor(closes);
      events.push([closedAt, to === 'withdrawn' ? 'citizen' : 'officer', 'status', status, to, reason, true]);
      status = to;
    }
    events.sort((a, b) => a[0] - b[0]);
    const lastPublicAt = events.filter((e) => e[6]).reduce((m, e) => Math.max(m, e[0]), created);
    const updated = events[events.length - 1]![0];
    const dueAt = closedAt === null ? lastPublicAt + 15 * DAY : Math.max(created + 15 * DAY, events.filter((e) => e[6] && e[0] < closedAt!).reduce((m, e) => Math.max(m, e[0]), created) + 15 * DAY);
    t.cases.push([
      id, number, channel, category, status, confidential, false, anonymous, STORIES[id % STORIES.length], o.province, district.code, sub,
      pickTopic(), anonymous ? null : cipher.encrypt(NAMES[id % NAMES.length]!), created, updated, dueAt, lastPublicAt, closedAt, reason, 0,
      // The first notice as migration 0023's trigger keeps it, written with the case: the trigger then finds nothing
      // to change, and neither do the report summaries' triggers (0025), which made seeding five times slower.
      events.filter((e) => e[6] && e[2] !== 'created' && e[1] !== 'citizen').reduce<number | null>((m, e) => (m === null || e[0] < m ? e[0] : m), null),
    ]);
    for (const e of events) {
      eventId++;
      const actorId = e[1] === 'officer' ? String(officerOf.get(district.code)) : null;
      t.events.push([eventId, id, e[0], e[1], actorId, e[2], e[3], e[4], e[5], e[6], e[6] && e[2] !== 'created' ? e[0] : null]);
    }
    const chatId = `U${(id % 200_000).toString(16).padStart(32, '0')}`;
    // A chat with an officer for a fifth of the LINE cases, asked around the filing.
    if (channel === 'line' && rnd() < 0.2) {
      handoffId++;
      const requested = created + Math.floor(rnd() * 6 * HOUR);
      const open = inOfficeHours(requested);
      const answerBy = (open ? requested : nextOpening(requested)) + 30 * 60_000;
      const answered = rnd() < 0.95;
      const firstReply = answered ? Math.floor((open ? requested : nextOpening(requested)) + lognormal(rnd, 9 * 60_000, 0.9)) : null;
      const endedAt = firstReply === null ? null : firstReply + Math.floor(lognormal(rnd, 15 * 60_000, 0.7));
      t.handoffs.push([handoffId, chatId, 'requested', endedAt === null ? 'waiting' : 'closed', requested, endedAt, answerBy, district.code]);
      if (firstReply !== null) {
        t.claims.push([handoffId, officerOf.get(district.code), firstReply - 60_000, firstReply, endedAt, 'resolved']);
        if (rnd() < 0.5) {
          surveyId++;
          t.surveys.push([surveyId, null, chatId, 'chat', pickRating(), rnd() < 0.15 ? cipher.encrypt(COMMENTS[surveyId % COMMENTS.length]!) : null, endedAt! + 60_000]);
        }
      }
    }
    // The survey after an ending: about half of the LINE cases answer it.
    if (channel === 'line' && closedAt !== null && status !== 'withdrawn' && !anonymous && rnd() < 0.5) {
      surveyId++;
      const rating = rnd() < 0.04 ? 0 : pickRating();
      t.surveys.push([surveyId, id, chatId, 'case', rating, rnd() < 0.2 ? cipher.encrypt(COMMENTS[surveyId % COMMENTS.length]!) : null, closedAt + HOUR]);
    }
  }
  return t;
}

async function insertSqlite(db: Database, t: Tables): Promise<void> {
  const conn = (db.dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  const table = (name: string, columns: readonly string[], rows: unknown[][]) => {
    const stmt = conn.prepare(`INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    conn.transaction(() => {
      for (const r of rows) stmt.run(r.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
    })();
  };
  table('cases', CASE_COLUMNS, t.cases);
  table('case_event', EVENT_COLUMNS, t.events);
  table('handoff_request', HANDOFF_COLUMNS, t.handoffs);
  table('handoff_claim', CLAIM_COLUMNS, t.claims);
  table('survey_response', SURVEY_COLUMNS, t.surveys);
  conn.exec('ANALYZE');
}

const PG_TYPES: Record<string, string> = {
  id: 'bigint', case_id: 'bigint', handoff_id: 'bigint', officer_id: 'bigint', at: 'bigint', created_at: 'bigint', updated_at: 'bigint',
  due_at: 'bigint', last_public_update_at: 'bigint', closed_at: 'bigint', requested_at: 'bigint', answer_by: 'bigint', claimed_at: 'bigint',
  first_reply_at: 'bigint', ended_at: 'bigint', notified_at: 'bigint', first_notice_at: 'bigint', reopen_count: 'int', rating: 'int',
  confidential: 'boolean', royal_petition: 'boolean', anonymous: 'boolean', public: 'boolean',
};

async function insertPostgres(db: Database, t: Tables, log: (l: string) => void): Promise<void> {
  const table = async (name: string, columns: readonly string[], rows: unknown[][]) => {
    const batch = 20_000;
    for (let i = 0; i < rows.length; i += batch) {
      const part = rows.slice(i, i + batch);
      const arrays = columns.map((_, c) => part.map((r) => r[c] ?? null));
      const list = columns.map((c, j) => `$${j + 1}::${PG_TYPES[c] ?? 'text'}[]`).join(', ');
      await db.query(`INSERT INTO ${name} (${columns.join(', ')}) SELECT * FROM unnest(${list})`, arrays);
    }
    log(`  ${name}: ${rows.length.toLocaleString('en')} rows`);
  };
  await table('cases', CASE_COLUMNS, t.cases);
  await table('case_event', EVENT_COLUMNS, t.events);
  await table('handoff_request', HANDOFF_COLUMNS, t.handoffs);
  await table('handoff_claim', CLAIM_COLUMNS, t.claims);
  await table('survey_response', SURVEY_COLUMNS, t.surveys);
  for (const name of ['cases', 'case_event', 'handoff_request', 'survey_response']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${name}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM ${name}))`);
  }
  await db.query('VACUUM ANALYZE');
}

const SEEDED = ['cases', 'case_event', 'handoff_request', 'handoff_claim', 'survey_response'];

/**
 * Runs `fn` with the seeded tables' triggers set aside (migration 0023's first notice, written with each case here
 * instead; 0025's report summaries, counted afterwards by countSummaries): row by row they made seeding PostgreSQL
 * five times slower. PostgreSQL disables them and enables them again; SQLite has no such switch, so they are
 * dropped and made again from their own text.
 */
async function withoutTriggers(db: Database, fn: () => Promise<void>): Promise<void> {
  if (db.dialect === 'postgres') {
    for (const table of SEEDED) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    try {
      await fn();
    } finally {
      for (const table of SEEDED) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    }
    return;
  }
  const conn = (db.dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  const triggers = conn
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${SEEDED.map(() => '?').join(', ')})`)
    .all(...SEEDED) as Array<{ name: string; sql: string }>;
  for (const tr of triggers) conn.exec(`DROP TRIGGER ${tr.name}`);
  try {
    await fn();
  } finally {
    for (const tr of triggers) conn.exec(tr.sql);
  }
}

/** The report summaries counted from the rows, as migration 0025 counts a register already there. */
async function countSummaries(db: Database): Promise<void> {
  for (const [table, select] of Object.entries(reportSummarySql(db.dialect === 'postgres').recount)) {
    await db.transaction(async (tx) => {
      await tx.query(`DELETE FROM ${table}`);
      await tx.query(`INSERT INTO ${table} ${select}`);
    });
  }
  if (db.dialect === 'postgres') await db.query(`VACUUM ANALYZE ${Object.keys(reportSummarySql(true).recount).join(', ')}`);
  else await db.query('ANALYZE');
}

/** Seeds `db` (empty of cases) and returns what it wrote. */
export async function seedReports(db: Database, o: SeedOptions, cipher: DataCipher): Promise<SeedCounts> {
  const log = o.log ?? (() => {});
  const started = performance.now();
  const [existing] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM cases');
  if (Number(existing?.n) > 0) throw new Error('the database already holds cases: seed a new, empty one');
  // The officers the chats are claimed by: one per district, password unusable (no one signs in as them).
  const districts = districtsOf(o.province);
  for (const [i, d] of districts.entries()) {
    await db.query(
      `INSERT INTO officer (id, username, display_name, role, district_code, province_code, password_hash, disabled, created_at, created_by)
       VALUES ($1, $2, $3, 'officer', $4, $5, '!', $6, $7, 'seed')`,
      [i + 1, `seed${d.code}`, `เจ้าหน้าที่${d.th}`, d.code, o.province, db.dialect === 'postgres' ? true : 1, o.until],
    );
  }
  if (db.dialect === 'postgres') await db.query(`SELECT setval(pg_get_serial_sequence('officer', 'id'), (SELECT MAX(id) FROM officer))`);
  log(`generating ${o.cases.toLocaleString('en')} cases over ${o.years} years…`);
  const t = generate(o, cipher);
  log(`writing: ${t.cases.length.toLocaleString('en')} cases, ${t.events.length.toLocaleString('en')} events, ${t.handoffs.length.toLocaleString('en')} chats, ${t.surveys.length.toLocaleString('en')} ratings`);
  await withoutTriggers(db, () => (db.dialect === 'sqlite' ? insertSqlite(db, t) : insertPostgres(db, t, log)));
  log('counting the report summaries…');
  await countSummaries(db);
  return { cases: t.cases.length, events: t.events.length, handoffs: t.handoffs.length, claims: t.claims.length, surveys: t.surveys.length, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: process.env['DATABASE_URL'] ?? 'sqlite:data/reports-seed.sqlite' },
      schema: { type: 'string' },
      cases: { type: 'string', default: '500000' },
      years: { type: 'string', default: '5' },
      province: { type: 'string', default: '49' },
      until: { type: 'string' },
      seed: { type: 'string', default: '1' },
      prefix: { type: 'string', default: 'MDH' },
    },
  });
  const until = values.until ? Date.parse(`${values.until}T00:00:00+07:00`) : Date.now();
  const key = Buffer.from((process.env['DATA_KEY'] ?? SEED_DATA_KEY).split(',')[0]!.trim(), 'base64');
  const db = await Database.open(values.db!, values.schema ? { schema: values.schema } : {});
  try {
    const counts = await seedReports(
      db,
      { cases: Number(values.cases), years: Number(values.years), province: values.province!, until, seed: Number(values.seed), prefix: values.prefix!, log: (l) => console.log(l) },
      new DataCipher(key),
    );
    console.log(`seeded in ${(counts.ms / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main().catch((err: unknown) => {
    // A failed bulk statement carries its parameters (megabytes of rows): say what failed, not what was sent.
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
    process.exit(1);
  });
}
