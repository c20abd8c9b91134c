import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROGRESS_JOB, progressJobKey } from '../cases/notices';
import { parseTrackingNumber } from '../flows/inputs/tracking-number';
import { DataCipher } from '../storage/crypto';
import type { Database } from '../storage/database';
import { runTogether, spawnWorker, type Worker } from './support/together';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { complaintFor, nationalIdOf, phoneOf, type Report } from './support/file-complaints';

const root = join(import.meta.dirname, '..');
// 2026-11-26 10:00 in Bangkok: Buddhist year 2569.
const NOW = Date.parse('2026-11-26T03:00:00Z');
const DAY = 86_400_000;
const KEY = Buffer.alloc(32, 7);
const cipher = new DataCipher(KEY);
const PER_PROCESS = 500;

type Filer = Worker<Report>;

/** tests/support/file-complaints.ts in a process of its own, as a second server would be. */
function spawnFiler(t: TestDatabase, env: Record<string, string>): Filer {
  return spawnWorker<Report>('tests/support/file-complaints.ts', root, { DATABASE_URL: t.url, DB_SCHEMA: t.schema ?? '', DATA_KEY: KEY.toString('base64'), NOW: String(NOW), ...env }, `filer ${env.LABEL}`);
}

interface CaseRecord {
  id: number;
  tracking_number: string;
  citizen_id: number | null;
  category: string;
  status: string;
  story: string;
  complainant_name: string | null;
  province_code: string | null;
  district_code: string | null;
  subdistrict_code: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_last4: string | null;
  national_id_enc: string | null;
  national_id_hash: string | null;
  due_at: number;
}

/** Every run of 9 or more digits in the text: where a phone number (+66..., 0...) or a national ID would show. */
const digitRuns = (text: string) => text.match(/\d{9,}/g) ?? [];

describe.each(engines())('filing complaints on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  afterEach(async () => {
    await db?.close();
    await t?.drop();
  });

  it('two processes filing 500 complaints each at once make 1,000 cases numbered exactly 1..1000, each with its event and progress job, personal numbers encrypted', { timeout: 180_000 }, async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    const { reports, ms } = await runTogether([
      spawnFiler(t, { LABEL: 'A', PROCESS: '0', COUNT: String(PER_PROCESS), IN_FLIGHT: '50' }),
      spawnFiler(t, { LABEL: 'B', PROCESS: '1', COUNT: String(PER_PROCESS), IN_FLIGHT: '50' }),
    ]);
    expect(reports.map((r) => [r.label, r.filed, r.errors])).toEqual([
      ['A', PER_PROCESS, []],
      ['B', PER_PROCESS, []],
    ]);

    const rows = (await db.query<CaseRecord>('SELECT * FROM cases')).map((r) => ({ ...r, id: Number(r.id), due_at: Number(r.due_at) }));
    expect(rows).toHaveLength(1000);
    const byNumber = new Map(rows.map((r) => [r.tracking_number, r]));
    expect(byNumber.size).toBe(1000);
    const seqs = rows.map((r) => {
      const parsed = parseTrackingNumber(r.tracking_number);
      if (!parsed.ok) throw new Error(`${r.tracking_number} does not read back: ${parsed.reason}`);
      expect(parsed.value.text).toBe(r.tracking_number);
      expect(parsed.value).toMatchObject({ prefix: 'MDH', yearBE: 2569 });
      return parsed.value.seq;
    });
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));

    // Each process's report names the case of each of its complaints, and that case holds that complaint.
    const reported = reports.flatMap((r, proc) => r.numbers.map((n, i) => ({ n: n!, proc, i })));
    expect(new Set(reported.map((x) => x.n)).size).toBe(1000);
    for (const { n, proc, i } of reported) {
      const row = byNumber.get(n)!;
      const c = complaintFor(proc, i);
      expect(row, n).toBeDefined();
      expect([row.category, row.status, cipher.reveal(row.complainant_name), row.subdistrict_code]).toEqual([c.slots.category, 'received', c.slots.fullName, (c.slots.where as { subdistrict: string }).subdistrict]);
      expect(row.story).toBe(c.slots.story);
      expect(row.due_at).toBe(NOW + 15 * DAY);
    }

    const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params))[0]!.n);
    expect(await count('SELECT COUNT(DISTINCT citizen_id) AS n FROM cases')).toBe(1000);
    expect(await count('SELECT COUNT(*) AS n FROM citizen')).toBe(1000);
    expect(await count(`SELECT COUNT(*) AS n FROM case_event WHERE kind = 'created' AND status_to = 'received'`)).toBe(1000);
    expect(await count(`SELECT COUNT(DISTINCT case_id) AS n FROM case_event WHERE kind = 'created'`)).toBe(1000);
    // Every 10th complaint sent a photo.
    expect(await count(`SELECT COUNT(*) AS n FROM attachment WHERE media_type = 'image' AND content_type = 'image/jpeg'`)).toBe(100);

    const jobs = await db.query<{ job_key: string; run_at: number; payload: string }>(
      `SELECT job_key, run_at, payload FROM scheduled_job WHERE kind = $1 AND status = 'pending'`,
      [PROGRESS_JOB],
    );
    expect(jobs).toHaveLength(1000);
    const jobByKey = new Map(jobs.map((j) => [j.job_key, j]));
    for (const row of rows) {
      const job = jobByKey.get(progressJobKey(row.tracking_number));
      expect(job, row.tracking_number).toBeDefined();
      expect([Number(job!.run_at), JSON.parse(job!.payload)]).toEqual([row.due_at, { caseId: row.id }]);
    }

    // Personal numbers: only ciphertexts in the cases table, and nowhere as plain digits in any table a filing writes.
    const withId = reported.filter(({ proc, i }) => 'nationalId' in complaintFor(proc, i).slots);
    // The flow asks for a national ID only in these categories.
    const idCategories = ['justice', 'official_conduct'];
    expect(withId.length).toBeGreaterThan(200);
    expect(rows.every((r) => r.phone_enc?.startsWith('v2:'))).toBe(true);
    expect(rows.every((r) => (idCategories.includes(r.category) ? r.national_id_enc?.startsWith('v2:') : r.national_id_enc === null))).toBe(true);
    expect(rows.filter((r) => r.national_id_enc !== null)).toHaveLength(withId.length);
    const plain = new Set(reported.flatMap(({ proc, i }) => [phoneOf(proc, i).slice(1), `0${phoneOf(proc, i).slice(3)}`, nationalIdOf(proc, i)]));
    for (const table of ['cases', 'case_event', 'citizen', 'scheduled_job']) {
      const dump = JSON.stringify(await db.query(`SELECT * FROM ${table}`));
      expect(digitRuns(dump).filter((run) => plain.has(run)), table).toEqual([]);
    }

    // The test's key reads them back; the keyed hashes find them; the last four digits are the phone's.
    const sample = reported.filter((_, k) => k % 25 === 0);
    for (const { n, proc, i } of sample) {
      const row = byNumber.get(n)!;
      const phone = phoneOf(proc, i);
      expect(cipher.decrypt(row.phone_enc!)).toBe(phone);
      expect([row.phone_hash, row.phone_last4]).toEqual([cipher.hash('phone', phone), phone.slice(-4)]);
    }
    for (const { n, proc, i } of withId.filter((_, k) => k % 10 === 0)) {
      const row = byNumber.get(n)!;
      expect(cipher.decrypt(row.national_id_enc!)).toBe(nationalIdOf(proc, i));
      expect(row.national_id_hash).toBe(cipher.hash('national-id', nationalIdOf(proc, i)));
    }

    if (engine === 'postgres') {
      // The two processes really filed side by side: each one's numbers lie inside the other's range.
      const seqOf = (n: string) => Number(n.split('-')[2]);
      const range = (proc: number) => reported.filter((x) => x.proc === proc).map((x) => seqOf(x.n));
      expect(Math.min(...range(0))).toBeLessThan(Math.max(...range(1)));
      expect(Math.min(...range(1))).toBeLessThan(Math.max(...range(0)));
    }
    console.info(
      `filing complaints on ${engine}: 2 processes x ${PER_PROCESS} (50 in flight each) at once in ${ms} ms ` +
        `(${reports.map((r) => `${r.label} ${r.ms} ms`).join(', ')}), ${Math.round(1000 / (ms / 1000))} cases/s`,
    );
  });
});
