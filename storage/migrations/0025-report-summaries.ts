import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly summaries of the register for the reports (reports/summaries.ts), so that a dashboard of a year or of five
 * reads a few thousand counted rows instead of every case: the whole five years of a province took 2.2 s on SQLite
 * and 1.2 s on PostgreSQL at 500,000 cases, and must answer in under a second, with the same numbers.
 *
 * Each table counts cases (or ratings) per Bangkok month (yyyymm) and per what a report's reach filters by: the
 * province as the reach reads it (COALESCE(province_code, the district's first two digits), '' for none), the
 * district ('' for none) and whether the case is confidential. Nullable values are stored as '=' || value, and NULL
 * as '', so that NULL and '' stay apart as they do in the rows.
 *
 * - report_received: cases filed in the month, once per dimension (category, topic, channel, subdistrict): the
 *   dashboard shows each dimension alone, never crossed, and crossing them would keep almost a row per case;
 * - report_first_notice: the same cases by how many days after filing the first notice went out (ceil, 0 for at once
 *   or before, 366 for later than 365 days, -1 for never): the share told within PROGRESS_NOTICE_DAYS (1-365) is
 *   then a sum, whatever that setting is;
 * - report_closed: cases closed in the month by status, reason and whether by their deadline (closed_at <= due_at);
 * - report_time_to_end: the same cases by whole days from filing to closing (0 for under a day, 400 for 400 days or
 *   more). A percentile is found in its day here, then read exactly among that day's cases through the index
 *   cases_time_to_end: the numbers are the times themselves, to the millisecond, as when every one was sorted;
 * - report_ratings: ratings of cases given in the month (by the rating's time, the case's place), by subject and
 *   rating. A chat's rating goes by its chat's latest handoff and stays counted from the rows (a few thousand).
 *
 * Kept exact by the database itself, triggers on cases and survey_response (as 0023 keeps first_notice_at), so no
 * code path that files, closes, reopens, moves, recategorises, erases or deletes a case can forget them: an insert
 * adds the row's counts, a delete takes them away, an update of a counted column takes the old row's away and adds
 * the new row's (a move of a case also moves its ratings). The summaries of rows already there are counted here.
 * The counts of a value that is gone stay as rows of 0 (readers skip them).
 */
export class ReportSummaries1766500000000 implements MigrationInterface {
  name = 'ReportSummaries1766500000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const s = reportSummarySql(pg);
    if (pg) {
      await q.query(`CREATE FUNCTION report_month(BIGINT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS
        $$ SELECT CAST(to_char(to_timestamp(($1 + 25200000) / 1000) AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER) $$`);
    }
    for (const ddl of s.tables) await q.query(ddl);
    for (const [table, select] of Object.entries(s.recount)) await q.query(`INSERT INTO ${table} ${select}`);
    await q.query(`CREATE INDEX cases_time_to_end ON cases
      ((closed_at - created_at), closed_at, created_at, province_code, district_code, confidential) WHERE closed_at IS NOT NULL`);
    for (const t of s.triggers) {
      if (pg) {
        await q.query(`CREATE FUNCTION ${t.name}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            ${t.body.map((x) => `${x};`).join('\n            ')}
            RETURN NULL;
          END $$`);
        await q.query(`CREATE TRIGGER ${t.name} AFTER ${t.on} ON ${t.table} FOR EACH ROW ${t.when ? `WHEN (${t.when})` : ''} EXECUTE FUNCTION ${t.name}()`);
      } else {
        await q.query(`CREATE TRIGGER ${t.name} AFTER ${t.on} ON ${t.table} ${t.when ? `WHEN ${t.when}` : ''}
          BEGIN
            ${t.body.map((x) => `${x};`).join('\n            ')}
          END`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const s = reportSummarySql(pg);
    for (const t of [...s.triggers].reverse()) {
      await q.query(pg ? `DROP TRIGGER ${t.name} ON ${t.table}` : `DROP TRIGGER ${t.name}`);
      if (pg) await q.query(`DROP FUNCTION ${t.name}()`);
    }
    await q.query('DROP INDEX cases_time_to_end');
    for (const table of Object.keys(s.recount).reverse()) await q.query(`DROP TABLE ${table}`);
    if (pg) await q.query('DROP FUNCTION report_month(BIGINT)');
  }
}

const DAY = 86_400_000;

/**
 * The summaries' SQL for one engine: the tables, each table's count from the rows (the backfill above; the tests
 * compare it with what the triggers kept), and the triggers. Written out here, as a migration must stay as shipped.
 */
export function reportSummarySql(pg: boolean) {
  const month = (x: string) => (pg ? `report_month(${x})` : `CAST(strftime('%Y%m', (${x} + 25200000) / 1000, 'unixepoch') AS INTEGER)`);
  /** The columns every summary is kept by, of a case row `r` (NEW, OLD, or a table alias). */
  const place = (r: string) => [
    `COALESCE(${r}.province_code, SUBSTR(${r}.district_code, 1, 2), '')`,
    `COALESCE(${r}.district_code, '')`,
    `CASE WHEN ${r}.confidential THEN 1 ELSE 0 END`,
  ];
  const enc = (x: string) => `CASE WHEN ${x} IS NULL THEN '' ELSE '=' || ${x} END`;
  const noticeDays = (r: string) =>
    `CASE WHEN ${r}.first_notice_at IS NULL THEN -1 WHEN ${r}.first_notice_at - ${r}.created_at <= 0 THEN 0
      WHEN ${r}.first_notice_at - ${r}.created_at > ${365 * DAY} THEN 366 ELSE (${r}.first_notice_at - ${r}.created_at + ${DAY - 1}) / ${DAY} END`;
  const endDays = (r: string) =>
    `CASE WHEN ${r}.closed_at - ${r}.created_at < ${DAY} THEN 0 WHEN ${r}.closed_at - ${r}.created_at >= ${400 * DAY} THEN 400
      ELSE (${r}.closed_at - ${r}.created_at) / ${DAY} END`;
  const onTime = (r: string) => `CASE WHEN ${r}.closed_at <= ${r}.due_at THEN 1 ELSE 0 END`;
  const key = 'month INTEGER NOT NULL, province TEXT NOT NULL, district TEXT NOT NULL, confidential SMALLINT NOT NULL';
  const rowid = pg ? '' : ' WITHOUT ROWID';
  const tables = [
    `CREATE TABLE report_received (${key}, dim TEXT NOT NULL, value TEXT NOT NULL, n BIGINT NOT NULL,
      PRIMARY KEY (month, province, district, confidential, dim, value))${rowid}`,
    `CREATE TABLE report_first_notice (${key}, days INTEGER NOT NULL, n BIGINT NOT NULL,
      PRIMARY KEY (month, province, district, confidential, days))${rowid}`,
    `CREATE TABLE report_closed (${key}, status TEXT NOT NULL, reason TEXT NOT NULL, on_time SMALLINT NOT NULL, n BIGINT NOT NULL,
      PRIMARY KEY (month, province, district, confidential, status, reason, on_time))${rowid}`,
    `CREATE TABLE report_time_to_end (${key}, days INTEGER NOT NULL, n BIGINT NOT NULL,
      PRIMARY KEY (month, province, district, confidential, days))${rowid}`,
    `CREATE TABLE report_ratings (${key}, subject TEXT NOT NULL, rating INTEGER NOT NULL, n BIGINT NOT NULL,
      PRIMARY KEY (month, province, district, confidential, subject, rating))${rowid}`,
  ];
  const cols = {
    report_received: ['dim', 'value'],
    report_first_notice: ['days'],
    report_closed: ['status', 'reason', 'on_time'],
    report_time_to_end: ['days'],
    report_ratings: ['subject', 'rating'],
  } as const;
  type Table = keyof typeof cols;
  const all = (t: Table) => ['month', 'province', 'district', 'confidential', ...cols[t]];
  const upsert = (t: Table) =>
    `ON CONFLICT (${all(t).join(', ')}) DO UPDATE SET n = ${t}.n + excluded.n`;
  /** Adds `sign` (1 or -1) for each of `rows` (the values of the table's key columns) when `where` holds. */
  const add = (t: Table, rows: string[][], sign: number, where?: string) =>
    where
      ? `INSERT INTO ${t} (${all(t).join(', ')}, n) SELECT ${rows[0]!.join(', ')}, ${sign} WHERE ${where} ${upsert(t)}`
      : `INSERT INTO ${t} (${all(t).join(', ')}, n) VALUES ${rows.map((r) => `(${[...r, String(sign)].join(', ')})`).join(', ')} ${upsert(t)}`;

  const received = (r: string, sign: number) => {
    const at = [month(`${r}.created_at`), ...place(r)];
    return add('report_received', [
      [...at, `'category'`, enc(`${r}.category`)],
      [...at, `'topic'`, enc(`${r}.topic`)],
      [...at, `'channel'`, enc(`${r}.channel`)],
      [...at, `'subdistrict'`, enc(`${r}.subdistrict_code`)],
    ], sign);
  };
  const notice = (r: string, sign: number) => add('report_first_notice', [[month(`${r}.created_at`), ...place(r), noticeDays(r)]], sign);
  const closed = (r: string, sign: number) =>
    add('report_closed', [[month(`${r}.closed_at`), ...place(r), `${r}.status`, enc(`${r}.close_reason`), onTime(r)]], sign, `${r}.closed_at IS NOT NULL`);
  const timeToEnd = (r: string, sign: number) =>
    add('report_time_to_end', [[month(`${r}.closed_at`), ...place(r), endDays(r)]], sign, `${r}.closed_at IS NOT NULL`);
  /** The ratings of case `r` (all of them: its place changed, or the case came or went), counted with `sign`. */
  const ratingsOfCase = (r: string, sign: number) =>
    `INSERT INTO report_ratings (${all('report_ratings').join(', ')}, n)
      SELECT ${month('s.at')}, ${place(r).join(', ')}, s.subject, s.rating, ${sign} * COUNT(*) FROM survey_response s WHERE s.case_id = ${r}.id
      GROUP BY ${month('s.at')}, s.subject, s.rating ${upsert('report_ratings')}`;
  /** One rating `r`, by its case's place (none without a case: a chat's rating). */
  const rating = (r: string, sign: number) =>
    `INSERT INTO report_ratings (${all('report_ratings').join(', ')}, n)
      SELECT ${month(`${r}.at`)}, ${place('k').join(', ')}, ${r}.subject, ${r}.rating, ${sign} FROM cases k WHERE k.id = ${r}.case_id ${upsert('report_ratings')}`;

  const changed = (cs: string[]) => cs.map((c) => (pg ? `OLD.${c} IS DISTINCT FROM NEW.${c}` : `OLD.${c} IS NOT NEW.${c}`)).join(' OR ');
  const placeCols = ['province_code', 'district_code', 'confidential'];
  const update = (table: string, cs: string[], extra?: string) => ({ on: `UPDATE OF ${cs.join(', ')}`, table, when: extra ? `(${changed(cs)}) AND (${extra})` : changed(cs) });
  const triggers: Array<{ name: string; on: string; table: string; when?: string; body: string[] }> = [
    { name: 'report_case_added', on: 'INSERT', table: 'cases', body: [received('NEW', 1), notice('NEW', 1), closed('NEW', 1), timeToEnd('NEW', 1), ratingsOfCase('NEW', 1)] },
    { name: 'report_case_removed', on: 'DELETE', table: 'cases', body: [received('OLD', -1), notice('OLD', -1), closed('OLD', -1), timeToEnd('OLD', -1), ratingsOfCase('OLD', -1)] },
    {
      name: 'report_case_received',
      ...update('cases', ['created_at', 'category', 'topic', 'channel', 'subdistrict_code', ...placeCols]),
      body: [received('OLD', -1), received('NEW', 1)],
    },
    { name: 'report_case_notice', ...update('cases', ['created_at', 'first_notice_at', ...placeCols]), body: [notice('OLD', -1), notice('NEW', 1)] },
    {
      name: 'report_case_closed',
      ...update('cases', ['created_at', 'closed_at', 'due_at', 'status', 'close_reason', ...placeCols], 'OLD.closed_at IS NOT NULL OR NEW.closed_at IS NOT NULL'),
      body: [closed('OLD', -1), closed('NEW', 1), timeToEnd('OLD', -1), timeToEnd('NEW', 1)],
    },
    { name: 'report_case_ratings', ...update('cases', placeCols), body: [ratingsOfCase('OLD', -1), ratingsOfCase('NEW', 1)] },
    { name: 'report_rating_added', on: 'INSERT', table: 'survey_response', body: [rating('NEW', 1)] },
    { name: 'report_rating_removed', on: 'DELETE', table: 'survey_response', body: [rating('OLD', -1)] },
    { name: 'report_rating_changed', ...update('survey_response', ['case_id', 'at', 'subject', 'rating']), body: [rating('OLD', -1), rating('NEW', 1)] },
  ];

  /** Each table's rows counted afresh from the register (SELECT of the table's columns and n). */
  const grouped = (inner: string, keys: string[]) => `SELECT ${keys.join(', ')}, COUNT(*) AS n FROM (${inner}) x GROUP BY ${keys.join(', ')}`;
  const at = (x: string, r = 'k') => [`${month(x)} AS month`, ...place(r).map((e, i) => `${e} AS ${['province', 'district', 'confidential'][i]}`)];
  const recount: Record<Table, string> = {
    report_received: grouped(
      [['category', 'category'], ['topic', 'topic'], ['channel', 'channel'], ['subdistrict', 'subdistrict_code']]
        .map(([dim, c]) => `SELECT ${at('k.created_at').join(', ')}, '${dim}' AS dim, ${enc(`k.${c}`)} AS value FROM cases k`)
        .join(' UNION ALL '),
      all('report_received'),
    ),
    report_first_notice: grouped(`SELECT ${at('k.created_at').join(', ')}, ${noticeDays('k')} AS days FROM cases k`, all('report_first_notice')),
    report_closed: grouped(
      `SELECT ${at('k.closed_at').join(', ')}, k.status AS status, ${enc('k.close_reason')} AS reason, ${onTime('k')} AS on_time FROM cases k WHERE k.closed_at IS NOT NULL`,
      all('report_closed'),
    ),
    report_time_to_end: grouped(`SELECT ${at('k.closed_at').join(', ')}, ${endDays('k')} AS days FROM cases k WHERE k.closed_at IS NOT NULL`, all('report_time_to_end')),
    report_ratings: grouped(
      `SELECT ${at('s.at').join(', ')}, s.subject AS subject, s.rating AS rating FROM survey_response s JOIN cases k ON k.id = s.case_id`,
      all('report_ratings'),
    ),
  };
  return { tables, recount, triggers };
}
