/**
 * Each district's office hours and its own closed days, stored (migration 0012). A district without a row keeps
 * the settings' defaults (OFFICE_HOURS, OFFICE_ANSWER_MINUTES); OFFICE_HOLIDAYS and the Thai public holidays
 * close every district.
 *
 * Read on the webhook's hot path (what a citizen asking for an officer is told), so reads are cached: another
 * process's save reaches this one within CACHE_MS, a save in this process at once. Every read takes the
 * caller's query runner: on SQLite the event's transaction holds the only connection, so a read must use it.
 */
import type { Tx } from '../storage/database';
import type { OfficeHours } from './hours';

type Queryable = Pick<Tx, 'query'>;

/** How stale a process's view of a district's hours may be (as flow-store.ts LIVE_CACHE_MS). */
export const CACHE_MS = 1000;

/** At most this many closed days of a district's own: a few years of them, not a calendar generator. */
export const MAX_DISTRICT_HOLIDAYS = 300;

export interface DistrictHoliday {
  /** YYYY-MM-DD, Bangkok calendar. */
  day: string;
  name: string;
}

/** A district's stored settings, as the console edits them. */
export interface DistrictOfficeConfig {
  /** Minutes after midnight, Bangkok time. */
  opens: number;
  closes: number;
  /** ISO weekdays the office works (1 = Monday), ascending. */
  weekdays: number[];
  answerMinutes: number;
  holidays: DistrictHoliday[];
}

export interface StoredDistrictOffice extends DistrictOfficeConfig {
  updatedAt: number;
  updatedBy: string;
}

export class InvalidDistrictOfficeError extends Error {
  constructor(readonly field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidDistrictOfficeError';
  }
}

/** What makes a config usable; the API's schema says the same in its words, this guards every other caller. */
export function checkConfig(c: DistrictOfficeConfig): void {
  if (!Number.isInteger(c.opens) || !Number.isInteger(c.closes) || c.opens < 0 || c.closes > 24 * 60 || c.opens >= c.closes) {
    throw new InvalidDistrictOfficeError('hours', 'the office must open before it closes, within one day');
  }
  if (c.weekdays.length === 0 || c.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7) || new Set(c.weekdays).size !== c.weekdays.length) {
    throw new InvalidDistrictOfficeError('weekdays', 'one or more different days from 1 (Monday) to 7 (Sunday)');
  }
  if (!Number.isInteger(c.answerMinutes) || c.answerMinutes < 5 || c.answerMinutes > 24 * 60) {
    throw new InvalidDistrictOfficeError('answerMinutes', 'a whole number of minutes from 5 to 1440');
  }
  if (c.holidays.length > MAX_DISTRICT_HOLIDAYS) throw new InvalidDistrictOfficeError('holidays', `at most ${MAX_DISTRICT_HOLIDAYS}`);
  if (new Set(c.holidays.map((h) => h.day)).size !== c.holidays.length) throw new InvalidDistrictOfficeError('holidays', 'each day once');
}

export class DistrictOfficeStore {
  private readonly cache = new Map<string, { hours: OfficeHours; at: number }>();
  private anyCache: { any: boolean; at: number } | null = null;

  /**
   * @param defaults the settings' office hours (officeHoursFrom(settings.office)), OFFICE_HOLIDAYS included:
   *   a district's own hours replace its times, days and answer minutes; its holidays are added to the defaults'.
   */
  constructor(readonly defaults: OfficeHours) {}

  /**
   * Whether any district has hours of its own. When none does (one district on SQLite, or nobody has set any),
   * the conversation needs no query to know a chat's district before the engine runs.
   */
  async anyCustomCached(q: Queryable): Promise<boolean> {
    const c = this.anyCache;
    if (c && performance.now() - c.at < CACHE_MS) return c.any;
    const [row] = await q.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM district_office');
    const any = Number(row?.n ?? 0) > 0;
    this.anyCache = { any, at: performance.now() };
    return any;
  }

  /** The hours a district works by, as the engine and the deadlines read them; null district: the defaults. */
  async hoursCached(q: Queryable, districtCode: string | null): Promise<OfficeHours> {
    if (!districtCode) return this.defaults;
    const c = this.cache.get(districtCode);
    if (c && performance.now() - c.at < CACHE_MS) return c.hours;
    const stored = await this.read(q, districtCode);
    const hours = stored ? this.merge(stored) : this.defaults;
    // Bounded: a nation has under a thousand districts; anything beyond is not a district.
    if (this.cache.size > 2000) this.cache.clear();
    this.cache.set(districtCode, { hours, at: performance.now() });
    return hours;
  }

  /** The district's stored settings, uncached (the console shows what is saved); null: it keeps the defaults. */
  async read(q: Queryable, districtCode: string): Promise<StoredDistrictOffice | null> {
    const [row] = await q.query<{ opens_minute: number; closes_minute: number; weekdays: string; answer_minutes: number; updated_at: number; updated_by: string }>(
      'SELECT opens_minute, closes_minute, weekdays, answer_minutes, updated_at, updated_by FROM district_office WHERE district_code = $1',
      [districtCode],
    );
    if (!row) return null;
    const holidays = await q.query<{ day: string; name: string }>('SELECT day, name FROM district_holiday WHERE district_code = $1 ORDER BY day', [districtCode]);
    return {
      opens: Number(row.opens_minute),
      closes: Number(row.closes_minute),
      weekdays: row.weekdays.split(',').map(Number),
      answerMinutes: Number(row.answer_minutes),
      holidays: holidays.map((h) => ({ day: h.day, name: h.name })),
      updatedAt: Number(row.updated_at),
      updatedBy: row.updated_by,
    };
  }

  /** Replaces the district's hours and its own holidays, in the caller's transaction; this process sees it at once. */
  async save(tx: Tx, districtCode: string, config: DistrictOfficeConfig, actor: string, now: number): Promise<void> {
    checkConfig(config);
    const weekdays = [...config.weekdays].sort((a, b) => a - b).join(',');
    await tx.query(
      `INSERT INTO district_office (district_code, opens_minute, closes_minute, weekdays, answer_minutes, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (district_code) DO UPDATE SET opens_minute = EXCLUDED.opens_minute, closes_minute = EXCLUDED.closes_minute,
         weekdays = EXCLUDED.weekdays, answer_minutes = EXCLUDED.answer_minutes, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [districtCode, config.opens, config.closes, weekdays, config.answerMinutes, now, actor.slice(0, 64)],
    );
    await tx.query('DELETE FROM district_holiday WHERE district_code = $1', [districtCode]);
    for (const h of config.holidays) {
      await tx.query('INSERT INTO district_holiday (district_code, day, name) VALUES ($1, $2, $3)', [districtCode, h.day, h.name.slice(0, 200)]);
    }
    this.forget(districtCode);
  }

  /** Drops what this process remembers of a district (after a save; also after a rollback, to be safe). */
  forget(districtCode: string): void {
    this.cache.delete(districtCode);
    this.anyCache = null;
  }

  /** The defaults with the district's own times and days; its holidays added to the defaults' extra ones. */
  merge(stored: DistrictOfficeConfig): OfficeHours {
    return {
      opens: stored.opens,
      closes: stored.closes,
      weekdays: stored.weekdays,
      answerMinutes: stored.answerMinutes,
      holidays: { ...this.defaults.holidays, ...Object.fromEntries(stored.holidays.map((h) => [h.day, h.name])) },
    };
  }
}
