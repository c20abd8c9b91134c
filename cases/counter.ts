/**
 * Cases an officer records in the console: a walk-in at the counter, a 1567 call, a letter, a field visit, an
 * e-mail, the website, another agency. One register with the bot's: the same fields read by the same Thai parsers
 * (flows/inputs: national ID checksum, phone to E.164, Buddhist-Era dates; flows/places), filed by the same
 * fileCase in the same transaction as its tracking number from the same sequence, its evidence, its 15-day clock
 * and the district's notice. What differs: the channel, the officer as the actor of its filing, no LINE user (the
 * citizen may link it later: cases/linking.ts), and the district it is recorded for (the officer's own; a
 * supervisor's choice in the province), not the one its place would give.
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { parseDate, parseNationalId, parsePhone, parseText } from '../flows/inputs';
import { bangkokDay } from '../flows/engine/format';
import { districtByCode, formatPlace, provinceByCode, subdistrictByCode, type Place } from '../flows/places';
import type { LocationValue } from '../flows/engine/answers';
import { scheduleJob } from '../scheduler/jobs';
import { COUNTER_CHANNELS, type Category, type CounterChannel } from '../domain/cases';
import { forFiling, type CaseCategory } from '../categories';
import { fileCase, type FiledCase } from './store';
import { sniffContentType } from './content-type';
import { notifyNewCase } from './new-case-notice';
import { PROGRESS_JOB, progressJobKey } from './notices';

/** A scan or photo brought with the case: at most this many, each at most this large (a letter's scan, not footage). */
export const COUNTER_FILES_MAX = 10;
export const COUNTER_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** The lengths the intake flow allows, in characters. */
const LIMITS = {
  story: { min: 10, max: 3000 },
  subject: { min: 2, max: 500 },
  request: { min: 2, max: 1000 },
  fullName: { min: 2, max: 120 },
  address: { min: 5, max: 500 },
  placeDetail: { min: 2, max: 300 },
} as const;

/** The form as the console sends it: text as typed, codes as chosen. */
export interface CounterCaseForm {
  channel: string;
  category: string;
  /** The district it is recorded for (4-digit DOPA code). */
  districtCode: string;
  story: string;
  /** When it happened, as typed: "25/11/2569", "25 พ.ย. 69", "เมื่อวาน", 2026-11-25. */
  occurredOn?: string;
  /** Where it happened: a province, optionally narrowed to a district and subdistrict, and words for the spot. */
  placeProvince?: string;
  placeDistrict?: string;
  placeSubdistrict?: string;
  placeDetail?: string;
  /** Who or what it is about. */
  subject?: string;
  /** What the complainant asks for. */
  request?: string;
  /** Without a name: only in a category that allows it (a tip-off). */
  anonymous?: boolean;
  /** The complainant agreed to sensitive data being kept (asked in the categories that say so: consentRequired). */
  consent?: boolean;
  fullName?: string;
  phone?: string;
  nationalId?: string;
  address?: string;
}

/** The form read: what fileCase takes as the intake flow's answers, and where it is recorded. */
export interface CounterCase {
  channel: CounterChannel;
  category: Category;
  districtCode: string;
  anonymous: boolean;
  slots: Record<string, unknown>;
}

/** A field the form must change, and why, as a code the console words (console/web/src/texts/counter.ts). */
export interface CounterFieldError {
  path: string;
  reason: string;
}

export type CounterRead = { ok: true; value: CounterCase } | { ok: false; errors: CounterFieldError[] };

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

/**
 * Pure: the form checked field by field, every problem at once, as the bot would have asked again for each. The
 * category must be one in use (`categories`, the table's list), and its rules decide: consent first, the national
 * ID required, a name given unless it allows anonymity.
 */
export function readCounterCase(form: CounterCaseForm, now: number, categories: readonly CaseCategory[]): CounterRead {
  const errors: CounterFieldError[] = [];
  const fail = (path: string, reason: string) => void errors.push({ path, reason });
  const slots: Record<string, unknown> = {};

  const channel = (COUNTER_CHANNELS as readonly string[]).includes(form.channel) ? (form.channel as CounterChannel) : null;
  if (!channel) fail('channel', 'unknown_channel');
  const verdict = forFiling(categories, form.category);
  const rules = verdict.ok ? verdict.category : null;
  const category: Category | null = rules?.code ?? null;
  if (!verdict.ok) fail('category', verdict.reason === 'retired' ? 'retired_category' : 'unknown_category');
  if (!districtByCode(form.districtCode)) fail('districtCode', 'unknown_district');
  const anonymous = form.anonymous === true;
  if (anonymous && rules && !rules.anonymousAllowed) fail('anonymous', 'anonymous_not_allowed');

  const text = (name: keyof typeof LIMITS, value: string | undefined, required: boolean) => {
    if (blank(value)) {
      if (required) fail(name, 'empty');
      return;
    }
    const read = parseText(value!, LIMITS[name]);
    if (read.ok) slots[name] = read.value;
    else fail(name, read.reason);
  };
  text('story', form.story, true);
  text('subject', form.subject, false);
  text('request', form.request, false);

  if (!blank(form.occurredOn)) {
    const [y, m, d] = bangkokDay(now).split('-').map(Number);
    const day = parseDate(form.occurredOn!, { today: { y: y!, m: m!, d: d! } });
    if (day.ok) slots.when = day.value;
    else fail('occurredOn', day.reason);
  }

  const where = readPlace(form, fail);
  if (where) slots.where = where;

  if (rules?.consentRequired) {
    if (form.consent !== true) fail('consent', 'consent_required');
    else slots.consent = true;
  }
  if (!anonymous) {
    text('fullName', form.fullName, true);
    text('address', form.address, true);
    if (blank(form.phone)) fail('phone', 'empty');
    else {
      const phone = parsePhone(form.phone!);
      if (phone.ok) slots.phone = phone.value;
      else fail('phone', phone.reason);
    }
    const idRequired = !!rules?.nationalIdRequired;
    if (blank(form.nationalId)) {
      if (idRequired) fail('nationalId', 'empty');
    } else {
      const id = parseNationalId(form.nationalId!);
      if (id.ok) slots.nationalId = id.value;
      else fail('nationalId', id.reason);
    }
  }
  if (errors.length || !channel || !category) return { ok: false, errors };
  return { ok: true, value: { channel, category, districtCode: form.districtCode, anonymous, slots: { ...slots, category, anonymous } } };
}

/** The place as the bot keeps a typed one: codes, each within the one above it, and its words in both languages. */
function readPlace(form: CounterCaseForm, fail: (path: string, reason: string) => void): LocationValue | null {
  const detail = blank(form.placeDetail) ? null : parseText(form.placeDetail!, LIMITS.placeDetail);
  if (detail && !detail.ok) fail('placeDetail', detail.reason);
  if (blank(form.placeProvince)) {
    if (!blank(form.placeDistrict) || !blank(form.placeSubdistrict)) fail('placeProvince', 'empty');
    return null;
  }
  const unknown = (path: string) => {
    fail(path, 'unknown_place');
    return null;
  };
  const province = provinceByCode(form.placeProvince!.trim());
  if (!province) return unknown('placeProvince');
  const place: Place = { province };
  if (!blank(form.placeDistrict)) {
    const district = districtByCode(form.placeDistrict!.trim());
    if (!district || district.provinceCode !== province.code) return unknown('placeDistrict');
    place.district = district;
    if (!blank(form.placeSubdistrict)) {
      const subdistrict = subdistrictByCode(form.placeSubdistrict!.trim());
      if (!subdistrict || subdistrict.districtCode !== district.code) return unknown('placeSubdistrict');
      place.subdistrict = subdistrict;
    }
  } else if (!blank(form.placeSubdistrict)) {
    fail('placeDistrict', 'empty');
    return null;
  }
  const spot = detail?.ok ? `${detail.value} · ` : '';
  return {
    source: 'typed',
    province: province.code,
    ...(place.district ? { district: place.district.code } : {}),
    ...(place.subdistrict ? { subdistrict: place.subdistrict.code } : {}),
    label: { th: spot + formatPlace(place, 'th'), en: spot + formatPlace(place, 'en') },
  };
}

/** A file brought with the case, as uploaded. */
export interface CounterFile {
  fileName: string | null;
  bytes: Buffer;
}

/** Pure: each file too large, or of a type an officer cannot open safely (sniffed from its bytes), named by its place. */
export function checkCounterFiles(files: readonly CounterFile[]): CounterFieldError[] {
  const errors: CounterFieldError[] = [];
  if (files.length > COUNTER_FILES_MAX) errors.push({ path: 'files', reason: 'too_many_files' });
  files.forEach((f, i) => {
    if (f.bytes.length === 0) errors.push({ path: `files.${i}`, reason: 'empty_file' });
    else if (f.bytes.length > COUNTER_FILE_MAX_BYTES) errors.push({ path: `files.${i}`, reason: 'file_too_large' });
    else if (!sniffContentType(f.bytes)) errors.push({ path: `files.${i}`, reason: 'file_type' });
  });
  return errors;
}

export interface RecordCounterCase {
  form: CounterCase;
  files: readonly CounterFile[];
  officerId: number;
  now: number;
  /** CENTER_PREFIX: the same sequence as the bot's. */
  prefix: string;
  /** Days until the complainant must have heard how it goes (PROGRESS_NOTICE_DAYS). */
  dueDays: number;
  centerDistrict: string | null;
}

/**
 * Files the case in the caller's transaction: the row and its 'created' event by the officer, the district it is
 * recorded for, the files (checked with checkCounterFiles first; encrypted like a citizen's photos), its progress
 * clock (a case nobody on LINE follows yet still gets its 'progress_notice' events and the officers' overdue
 * notice; once linked, the citizen gets the notice too), and the district's new-case notice, naming the channel.
 */
export async function recordCounterCase(tx: Tx, cipher: DataCipher, r: RecordCounterCase): Promise<FiledCase> {
  const filed = await fileCase(tx, cipher, {
    lineUserId: null,
    locale: 'th',
    flow: null,
    slots: r.form.slots,
    channel: r.form.channel,
    recordedBy: String(r.officerId),
    now: r.now,
    prefix: r.prefix,
    dueDays: r.dueDays,
  });
  const district = r.form.districtCode;
  const where = r.form.slots.where as LocationValue | undefined;
  const subdistrict = where?.source === 'typed' && where.subdistrict?.startsWith(district) ? where.subdistrict : null;
  await tx.query('UPDATE cases SET district_code = $2, province_code = $3, subdistrict_code = $4 WHERE id = $1', [filed.id, district, district.slice(0, 2), subdistrict]);
  const [created] = await tx.query<{ id: number | string }>(`SELECT id FROM case_event WHERE case_id = $1 AND kind = 'created'`, [filed.id]);
  for (const f of r.files) {
    const type = sniffContentType(f.bytes);
    if (!type) continue; // refused before: checkCounterFiles
    await tx.query(
      `INSERT INTO attachment (case_id, case_event_id, line_message_id, media_type, content_type, file_name, size, sha256, bytes, created_at)
       VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9)`,
      [filed.id, Number(created!.id), type.mediaType, type.contentType, f.fileName?.slice(0, 255) ?? null, f.bytes.length,
        createHash('sha256').update(f.bytes).digest('hex'), cipher.encryptBytes(f.bytes), r.now],
    );
  }
  await scheduleJob(tx, { kind: PROGRESS_JOB, key: progressJobKey(filed.trackingNumber), runAt: filed.dueAt, payload: { caseId: filed.id } }, { now: r.now });
  await notifyNewCase(tx, { caseId: filed.id, trackingNumber: filed.trackingNumber, centerDistrict: r.centerDistrict, at: r.now });
  return filed;
}
