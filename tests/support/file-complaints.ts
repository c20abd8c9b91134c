/**
 * A server-like process that files real complaints as fast as it can: COUNT filings, IN_FLIGHT of them at a
 * time, each in its own transaction doing what bot/actions/cases.ts fileComplaint does (fileCase: the citizen,
 * the tracking number, the encrypted phone and national ID, the case, its 'created' event, the evidence; then
 * the progress job). Run by tests/cases.concurrency.test.ts:
 *
 *   node --import tsx tests/support/file-complaints.ts
 *
 * Env: DATABASE_URL, DB_SCHEMA (PostgreSQL), DATA_KEY (base64, 32 bytes), PREFIX, NOW (epoch ms), COUNT,
 * IN_FLIGHT, LABEL (names this process in the report), PROCESS (0-9: keeps this process's LINE users, phones,
 * national IDs and content ids apart from the other's), DUE_DAYS.
 * Stores the photos its complaints send (as the bot fetches them from LINE before filing), prints "ready", waits
 * for a line on stdin to start (so that two processes start together), then prints one JSON line: `Report`.
 *
 * Imported (not run) by the test, it gives the same complaints, so the test knows what each case must hold.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { fileCase } from '../../cases/store';
import { PROGRESS_JOB, progressJobKey } from '../../cases/notices';
import { BUILT_IN_CATEGORIES as CATEGORIES, type BuiltInCategory as Category } from '../../domain/cases';
import type { LocationValue } from '../../flows/engine/answers';
import { nationalIdCheckDigit } from '../../flows/inputs';
import { formatPlace } from '../../flows/places';
import { placeOf } from '../../flows/places/data';
import { DataCipher } from '../../storage/crypto';
import { Database } from '../../storage/database';
import { scheduleJob } from '../../scheduler/jobs';

export interface Report {
  label: string;
  /** Filings that committed. */
  filed: number;
  /** The tracking number of complaint i at index i; null where it failed. */
  numbers: Array<string | null>;
  errors: string[];
  ms: number;
}

export interface Complaint {
  lineUserId: string;
  displayName: string;
  locale: 'th' | 'en';
  slots: Record<string, unknown>;
  /** A photo sent with the complaint, already fetched from LINE: every 10th complaint has one. */
  photo: { contentId: string; bytes: Buffer } | null;
}

interface Story {
  story: string;
  subject: string;
  request: string;
}

const STORIES: Record<Category, Story> = {
  complaint: {
    story: 'ถนนในหมู่บ้านเป็นหลุมเป็นบ่อมาหลายเดือน ฝนตกน้ำขังทุกครั้ง รถจักรยานยนต์ล้มไปแล้วสามคัน แจ้งเทศบาลแล้วยังไม่มีใครมาซ่อม',
    subject: 'ถนนชำรุด',
    request: 'ขอให้ซ่อมถนนก่อนฤดูฝนหน้า',
  },
  assistance: {
    story: 'แม่อายุ 78 ปี ป่วยติดเตียง ลูกต้องลาออกจากงานมาดูแล รายได้ไม่พอค่ายาและค่ารถไปโรงพยาบาล',
    subject: 'ผู้สูงอายุติดเตียงขาดรายได้',
    request: 'ขอเบี้ยความพิการและรถรับส่งไปโรงพยาบาลเดือนละครั้ง',
  },
  justice: {
    story: 'กู้เงินนอกระบบ 30,000 บาท ถูกเรียกดอกเบี้ยร้อยละ 20 ต่อเดือน จ่ายไปแล้วเกินเงินต้น ยังถูกขู่ว่าจะยึดที่ดิน',
    subject: 'หนี้นอกระบบ ดอกเบี้ยเกินกฎหมาย',
    request: 'ขอให้ไกล่เกลี่ยและตรวจสอบสัญญาเงินกู้',
  },
  official_conduct: {
    story: 'เจ้าหน้าที่ที่สำนักงานเรียกเงินเพิ่ม 2,000 บาท เพื่อให้ออกเอกสารเร็วขึ้น โดยไม่มีใบเสร็จ',
    subject: 'เจ้าหน้าที่เรียกรับเงิน',
    request: 'ขอให้ตรวจสอบและดำเนินการตามระเบียบ',
  },
  tip_off: {
    story: 'มีรถกระบะมาลักลอบทิ้งถังสารเคมีในที่สาธารณะริมห้วยทุกคืนวันศุกร์ ประมาณสี่ทุ่ม กลิ่นเหม็นมาก',
    subject: 'ลักลอบทิ้งสารเคมี',
    request: 'ขอให้ตรวจสอบและจับกุมผู้กระทำผิด',
  },
  information: {
    story: 'อยากทราบขั้นตอนการขอรับเงินช่วยเหลือผู้ประสบอุทกภัย ต้องใช้เอกสารอะไรบ้าง และยื่นที่ไหน',
    subject: 'สอบถามเงินช่วยเหลือน้ำท่วม',
    request: 'ขอทราบขั้นตอนและเอกสารที่ต้องใช้',
  },
  consultation: {
    story: 'เพื่อนบ้านสร้างรั้วรุกล้ำเข้ามาในที่ดินของเราประมาณหนึ่งเมตร คุยกันแล้วไม่ยอมรื้อ',
    subject: 'รั้วรุกล้ำที่ดิน',
    request: 'ขอคำปรึกษาเรื่องการรังวัดและการไกล่เกลี่ย',
  },
  suggestion: {
    story: 'ซอยหน้าโรงเรียนไม่มีไฟส่องสว่าง เด็กกลับบ้านตอนเย็นมืดและอันตราย',
    subject: 'ไฟส่องสว่างหน้าโรงเรียน',
    request: 'ขอให้ติดตั้งไฟส่องสว่างในซอย',
  },
};

const FIRST_NAMES = ['สมชาย', 'สมศรี', 'ประยูร', 'บุญมี', 'อำนวย', 'สุภาพร', 'ทองใบ', 'วิไลวรรณ', 'คำปุ่น', 'จันทร์เพ็ญ'];
const LAST_NAMES = ['ใจดี', 'ศรีสุข', 'พรหมมา', 'แก้วมณี', 'บุญเรือง', 'ทองคำ', 'วงศ์ษา', 'จันทร์แก้ว'];
// Subdistricts of Mueang Mukdahan (district 4901), the MDH center's own district.
const SUBDISTRICTS = ['490101', '490102', '490103', '490104'];
// The flow asks for consent with these categories, and for a national ID with these (flows/definitions/complaint.yaml).
const ASKS_CONSENT: readonly Category[] = ['assistance', 'justice', 'consultation'];
const ASKS_NATIONAL_ID: readonly Category[] = ['justice', 'official_conduct'];
// A JPEG's magic bytes and a little more: what cases/content-type.ts needs to keep it as an image.
const JPEG_HEAD = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

function typedPlace(code: string): Extract<LocationValue, { source: 'typed' }> {
  const place = placeOf(code);
  if (!place) throw new Error(`file-complaints: no place ${code}`);
  return { source: 'typed', province: code.slice(0, 2), district: code.slice(0, 4), subdistrict: code, label: { th: formatPlace(place, 'th'), en: formatPlace(place, 'en') } };
}

/** Distinct for every (process, i) below 100,000 filings a process. */
export const phoneOf = (proc: number, i: number): string => `+6681${String(proc * 100_000 + i).padStart(7, '0')}`;

export function nationalIdOf(proc: number, i: number): string {
  const first12 = `3${String(proc * 100_000 + i).padStart(11, '0')}`;
  return `${first12}${nationalIdCheckDigit(first12)}`;
}

/** Complaint i of process `proc`: the same every time, so the test can check each case against it. */
export function complaintFor(proc: number, i: number): Complaint {
  const category = pick(CATEGORIES, i);
  const s = STORIES[category];
  const where = typedPlace(pick(SUBDISTRICTS, i));
  const house = `${(i % 200) + 1}/${(i % 7) + 1} หมู่ ${(i % 12) + 1}`;
  const fullName = `${pick(FIRST_NAMES, i)} ${pick(LAST_NAMES, Math.floor(i / FIRST_NAMES.length))}`;
  const photo = i % 10 === 0 ? { contentId: String(500_000_000_000_000 + proc * 1_000_000 + i), bytes: Buffer.concat([JPEG_HEAD, Buffer.from(`photo ${proc}/${i}`)]) } : null;
  return {
    lineUserId: `U${createHash('md5').update(`file-complaints:${proc}:${i}`).digest('hex')}`,
    displayName: fullName.split(' ')[0]!,
    locale: i % 5 === 4 ? 'en' : 'th',
    photo,
    slots: {
      category,
      ...(ASKS_CONSENT.includes(category) ? { consent: true } : {}),
      story: `${s.story} (บ้านเลขที่ ${house})`,
      where,
      when: `2026-11-${String((i % 25) + 1).padStart(2, '0')}`,
      subject: s.subject,
      request: s.request,
      evidence: photo ? [{ contentId: photo.contentId, mediaType: 'image' }] : [],
      fullName,
      phone: phoneOf(proc, i),
      ...(ASKS_NATIONAL_ID.includes(category) ? { nationalId: nationalIdOf(proc, i) } : {}),
      address: `${house} ${where.label.th} 49000`,
    },
  };
}

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`file-complaints: ${name} is not set`);
  return v;
};

async function main(): Promise<void> {
  const url = env('DATABASE_URL');
  const schema = process.env.DB_SCHEMA || undefined;
  const cipher = new DataCipher(Buffer.from(env('DATA_KEY'), 'base64'));
  const prefix = env('PREFIX', 'MDH');
  const now = Number(env('NOW'));
  const count = Number(env('COUNT', '500'));
  const inFlight = Number(env('IN_FLIGHT', '50'));
  const label = env('LABEL');
  const proc = Number(env('PROCESS'));
  const dueDays = Number(env('DUE_DAYS', '15'));

  const db = await Database.open(url, { schema });
  const complaints = Array.from({ length: count }, (_, i) => complaintFor(proc, i));
  await db.transaction(async (tx) => {
    for (const c of complaints) {
      if (!c.photo) continue;
      await tx.query(
        'INSERT INTO line_content (message_id, chat_id, content_type, size, sha256, bytes, fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [c.photo.contentId, c.lineUserId, 'image/jpeg', c.photo.bytes.length, createHash('sha256').update(c.photo.bytes).digest('hex'), c.photo.bytes, now],
      );
    }
  });
  let started = false;
  process.stdin.once('end', () => started || process.exit(2)); // the test went away before saying go
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  started = true;

  const numbers: Array<string | null> = Array.from({ length: count }, () => null);
  const errors: string[] = [];
  // As in fileComplaint: the case and its first progress notice commit together or not at all.
  const fileOne = (c: Complaint) =>
    db.transaction(async (tx) => {
      const filed = await fileCase(tx, cipher, {
        lineUserId: c.lineUserId,
        locale: c.locale,
        displayName: c.displayName,
        flow: { id: 'complaint', version: 2 },
        slots: c.slots,
        now,
        prefix,
        dueDays,
      });
      await scheduleJob(tx, { kind: PROGRESS_JOB, key: progressJobKey(filed.trackingNumber), runAt: filed.dueAt, payload: { caseId: filed.id } }, { now });
      return filed.trackingNumber;
    });

  let next = 0;
  const t0 = performance.now();
  // IN_FLIGHT workers, each taking the next complaint when its last one is done: a busy server's steady state.
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count) {
        const i = next++;
        try {
          numbers[i] = await fileOne(complaints[i]!);
        } catch (e) {
          errors.push(`complaint ${i}: ${String(e)}`);
        }
      }
    }),
  );
  const ms = Math.round(performance.now() - t0);
  const report: Report = { label, filed: numbers.filter((n) => n !== null).length, numbers, errors, ms };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await db.close();
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
