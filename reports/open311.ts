/**
 * Open data: the register's public side as Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), read only.
 * Services are the case categories in use (categories/; a retired one's old requests still name it); a request is a case by its tracking number, with only what is public: its
 * category, status (open or closed), district and province, and its dates. Never a person's name, number, address or
 * place, never the story (no citizen has agreed to publish theirs: the register has no such consent, so no case
 * carries its text), never an officer's note. Confidential cases (a confidential category's, complaints about
 * officials) and royal petitions are not published at all. Off unless OPEN_DATA=on.
 */
import type { Database } from '../storage/database';
import type { Locale } from '../locales/i18n';
import { BUILT_IN_CATEGORIES, CLOSED_STATUSES } from '../domain/cases';
import { activeCategories, categoryList, confidentialCodes, findCategory, type CaseCategory } from '../categories';
import { districtByCode } from '../flows/places';
import { categoryLabel, districtLabel, provinceLabel } from './labels';
import { Params } from './reach';

/** The most requests one answer carries (the specification's suggested limit). */
export const OPEN311_LIMIT = 1000;
/** Without dates, the last 90 days (the specification's default). */
export const OPEN311_DEFAULT_DAYS = 90;

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: false;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: null;
  service_name: string;
  service_code: string;
  description: null;
  agency_responsible: string;
  service_notice: null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: string | null;
  media_url: null;
}

export class Open311QueryError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
    this.name = 'Open311QueryError';
  }
}

/** The categories in use that are not confidential, in their order, in the language asked. */
export function open311Services(categories: readonly CaseCategory[], locale: Locale): Open311Service[] {
  return activeCategories(categories).filter((c) => !c.confidential).map((c) => ({
    service_code: c.code,
    service_name: c.name[locale],
    description: c.name[locale],
    metadata: false,
    type: 'realtime',
    keywords: '',
    group: '',
  }));
}

/** ISO 8601 in Thailand's time, as the specification's examples write it: 2026-11-25T14:05:00+07:00. */
export function isoBangkok(at: number): string {
  return `${new Date(at + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

export interface Open311Query {
  ids?: string[];
  serviceCode?: string;
  status?: 'open' | 'closed';
  /** Epoch ms. */
  start?: number;
  end?: number;
  now: number;
  locale: Locale;
}

/**
 * Parses the query of GET requests.json (strings as they come), throwing Open311QueryError on what it cannot use.
 * `serviceCodes`: the codes a request may name, retired categories' too (their old requests are still published);
 * by default the built-in ones that are not confidential.
 */
export function parseOpen311Query(
  q: Record<string, unknown>,
  now: number,
  serviceCodes: readonly string[] = BUILT_IN_CATEGORIES.filter((c) => c !== 'official_conduct'),
): Omit<Open311Query, 'locale'> {
  const text = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).trim() : undefined);
  const date = (k: string) => {
    const v = text(k);
    if (v === undefined || v === '') return undefined;
    const at = Date.parse(v);
    if (Number.isNaN(at)) throw new Open311QueryError(k, 'must be a date and time in ISO 8601 (2026-11-01T00:00:00+07:00)');
    return at;
  };
  const out: Omit<Open311Query, 'locale'> = { now };
  const ids = text('service_request_id');
  if (ids) out.ids = ids.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean).slice(0, OPEN311_LIMIT);
  const code = text('service_code');
  if (code) {
    if (!serviceCodes.includes(code)) throw new Open311QueryError('service_code', 'is not a service of GET services.json');
    out.serviceCode = code;
  }
  const status = text('status');
  if (status) {
    if (status !== 'open' && status !== 'closed') throw new Open311QueryError('status', 'must be open or closed');
    out.status = status;
  }
  const start = date('start_date');
  const end = date('end_date');
  if (start !== undefined) out.start = start;
  if (end !== undefined) out.end = end;
  return out;
}

/** The codes GET requests.json may name: every category that is not confidential, retired ones too. */
export function open311ServiceCodes(categories: readonly CaseCategory[]): string[] {
  return categories.filter((c) => !c.confidential).map((c) => c.code);
}

/** `categories`: the table's list, read (cached) when not given. */
export async function open311Requests(db: Pick<Database, 'query' | 'dialect'>, q: Open311Query, categories?: readonly CaseCategory[]): Promise<Open311Request[]> {
  categories ??= await categoryList(db);
  const p = new Params(db.dialect);
  const secret = confidentialCodes(categories);
  const where = [`k.confidential = ${p.add(false)}`, `k.royal_petition = ${p.add(false)}`];
  // A category made confidential after its cases were filed: none of them is published either.
  if (secret.length) where.push(`k.category NOT IN (${secret.map((c) => p.add(c)).join(', ')})`);
  if (q.ids) {
    if (!q.ids.length) return [];
    where.push(`k.tracking_number IN (${q.ids.map((id) => p.add(id)).join(', ')})`);
  } else {
    const end = q.end ?? (q.start !== undefined ? q.start + OPEN311_DEFAULT_DAYS * 86_400_000 : q.now);
    const start = q.start ?? end - OPEN311_DEFAULT_DAYS * 86_400_000;
    where.push(`k.created_at >= ${p.add(start)}`, `k.created_at < ${p.add(end)}`);
  }
  if (q.serviceCode) where.push(`k.category = ${p.add(q.serviceCode)}`);
  // Parameters only when used: PostgreSQL refuses one whose type it cannot tell.
  if (q.status) where.push(`k.status ${q.status === 'open' ? 'NOT IN' : 'IN'} (${CLOSED_STATUSES.map((s) => p.add(s)).join(', ')})`);
  const rows = await db.query<{ tracking_number: string; category: string; status: string; province_code: string | null; district_code: string | null; created_at: unknown; last_public_update_at: unknown; due_at: unknown }>(
    `SELECT k.tracking_number, k.category, k.status, k.province_code, k.district_code, k.created_at, k.last_public_update_at, k.due_at
       FROM cases k WHERE ${where.join(' AND ')} ORDER BY k.created_at DESC, k.id DESC LIMIT ${p.add(OPEN311_LIMIT)}`,
    p.values,
  );
  const isClosed = new Set<string>(CLOSED_STATUSES);
  return rows.map((r) => {
    const open = !isClosed.has(r.status);
    const province = r.province_code ?? r.district_code?.slice(0, 2) ?? null;
    const district = r.district_code ? districtByCode(r.district_code) : null;
    return {
      service_request_id: r.tracking_number,
      status: open ? 'open' : 'closed',
      status_notes: null,
      service_name: findCategory(categories, r.category)?.name[q.locale] ?? categoryLabel(q.locale, r.category),
      service_code: r.category,
      description: null,
      agency_responsible: q.locale === 'th' ? `ศูนย์ดำรงธรรม${r.district_code ? `อำเภอ${districtLabel('th', r.district_code)}` : ''}` : `Damrongdhama Center${r.district_code ? `, ${districtLabel('en', r.district_code)}` : ''}`,
      service_notice: null,
      requested_datetime: isoBangkok(Number(r.created_at)),
      updated_datetime: isoBangkok(Number(r.last_public_update_at)),
      expected_datetime: open ? isoBangkok(Number(r.due_at)) : null,
      address: [r.district_code ? districtLabel(q.locale, r.district_code) : null, province ? provinceLabel(q.locale, province) : null].filter(Boolean).join(', '),
      address_id: r.district_code,
      zipcode: district?.postcode ?? null,
      media_url: null,
    };
  });
}
