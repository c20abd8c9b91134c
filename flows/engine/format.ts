import type { FlowDefinition } from '../definition/types';
import type { Locale } from './state';

// How a slot's value reads inside a message. Dates are Buddhist Era in Thai and C.E. in English; personal
// numbers are masked, because every message is also a row in the outbox and the citizen already knows them.

const THAI_MONTHS = ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม',
  'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'];
const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];

/** "2026-11-25" → "25 พฤศจิกายน 2569" (th) or "25 November 2026" (en). */
export function formatDate(iso: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return locale === 'th' ? `${d} ${THAI_MONTHS[mo - 1]} ${y + 543}` : `${d} ${ENGLISH_MONTHS[mo - 1]} ${y}`;
}

/** The calendar day in Thailand (UTC+7, no daylight saving) at an instant, as YYYY-MM-DD. */
export function bangkokDay(now: number): string {
  return new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function maskNationalId(id: string): string {
  return id.length === 13 ? `x-xxxx-xxxxx-${id.slice(10, 12)}-${id.slice(12)}` : 'x'.repeat(id.length);
}

/** "+66812345678" → "08x-xxx-5678". */
export function maskPhone(e164: string): string {
  const local = e164.startsWith('+66') ? `0${e164.slice(3)}` : e164;
  return `${local.slice(0, 2)}x-xxx-${local.slice(-4)}`;
}

/** Words for values, looked up only when a value needs them. */
const THAI_DIGITS = /[๐-๙]/g;
const ID_IN_TEXT = /(?<!\d)\d(?:[-\s]?\d){12}(?!\d)/g;
const PHONE_IN_TEXT = /(?<![\d+])(?:\+?66[-\s]?|0)(?:\d[-\s]?){7,8}\d(?!\d)/g;

/**
 * Free text with a national ID or phone number typed into it ("ติดต่อกลับที่ 0891234567") shows them masked, as
 * the numbers' own answers are: a story is repeated in summaries, and every message is also an outbox row.
 */
export function maskNumbersInText(text: string): string {
  if (!/[\d๐-๙]/.test(text)) return text;
  const arabic = text.replace(THAI_DIGITS, (c) => String(c.charCodeAt(0) - 0x0e50));
  return arabic
    .replace(ID_IN_TEXT, (m) => maskNationalId(m.replace(/\D/g, '')))
    .replace(PHONE_IN_TEXT, (m) => maskPhone(m.replace(/[^\d+]/g, '').replace(/^66/, '+66')));
}

export function hasNumbersToMask(text: string): boolean {
  return maskNumbersInText(text) !== text.replace(THAI_DIGITS, (c) => String(c.charCodeAt(0) - 0x0e50));
}

export interface Labels {
  yes: () => string;
  no: () => string;
  attachments: (n: number) => string;
}

const slotTypeCache = new WeakMap<FlowDefinition, Map<string, string>>();

/** The input type that fills each slot of a flow, so a value can be shown the way its question asked it. */
export function slotTypes(flow: FlowDefinition): Map<string, string> {
  const cached = slotTypeCache.get(flow);
  if (cached) return cached;
  const types = new Map<string, string>();
  slotTypeCache.set(flow, types);
  for (const node of Object.values(flow.nodes)) {
    if (node.kind === 'ask') types.set(node.slot, node.input.type);
    if (node.kind === 'choose' && node.slot) types.set(node.slot, 'choice');
  }
  return types;
}

export function formatValue(value: unknown, type: string | undefined, locale: Locale, labels: Labels): string {
  if (value === undefined || value === null) return '';
  switch (type) {
    case 'date':
      return typeof value === 'string' ? formatDate(value, locale) : String(value);
    case 'national-id':
      return typeof value === 'string' ? maskNationalId(value) : '';
    case 'phone':
      return typeof value === 'string' ? maskPhone(value) : '';
    case 'yes-no':
    case 'consent':
      return value === true ? labels.yes() : labels.no();
    case 'time': {
      const t = value as { hour?: number; minute?: number };
      const hhmm = `${String(t.hour ?? 0).padStart(2, '0')}:${String(t.minute ?? 0).padStart(2, '0')}`;
      return locale === 'th' ? `${hhmm} น.` : hhmm;
    }
    case 'attachments':
      return labels.attachments(Array.isArray(value) ? value.length : 0);
    case 'location': {
      const l = value as { label?: Record<Locale, string> | string; place?: Record<Locale, string> };
      // A pin: what LINE called it, and the place the citizen confirmed.
      if (typeof l.label === 'string') return l.place?.[locale] ? `${l.label} (${l.place[locale]})` : l.label;
      return l.label?.[locale] ?? '';
    }
  }
  if (typeof value === 'string') return maskNumbersInText(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const THAI_DAYS = ['อาทิตย์', 'จันทร์', 'อังคาร', 'พุธ', 'พฤหัสบดี', 'ศุกร์', 'เสาร์'];
const ENGLISH_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "วันจันทร์ที่ 30 พฤศจิกายน 2569 เวลา 08:30 น." / "Monday 30 November 2026 at 08:30", Bangkok time. */
export function formatDayAndTime(at: number, locale: Locale): string {
  const d = new Date(at + 7 * 3_600_000);
  const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  const date = formatDate(d.toISOString().slice(0, 10), locale);
  return locale === 'th' ? `วัน${THAI_DAYS[d.getUTCDay()]}ที่ ${date} เวลา ${hhmm} น.` : `${ENGLISH_DAYS[d.getUTCDay()]} ${date} at ${hhmm}`;
}
