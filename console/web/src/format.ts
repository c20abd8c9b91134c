import type { Lang, T } from './i18n';

/**
 * Dates as an officer in Thailand reads them: Thailand's clock whatever the computer's, Buddhist Era in Thai
 * ("25 พ.ย. 2569 14:05"), Common Era in English ("25 Nov 2026, 14:05").
 */
const ZONE = 'Asia/Bangkok';
const localeOf = (lang: Lang) => (lang === 'th' ? 'th-TH-u-ca-buddhist' : 'en-GB');

export function formatDate(at: number, lang: Lang): string {
  return new Intl.DateTimeFormat(localeOf(lang), { timeZone: ZONE, day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}

export function formatTime(at: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'th' ? 'th-TH' : 'en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}

export function formatDateTime(at: number, lang: Lang): string {
  return lang === 'th' ? `${formatDate(at, lang)} ${formatTime(at, lang)} น.` : `${formatDate(at, lang)}, ${formatTime(at, lang)}`;
}

/** A YYYY-MM-DD calendar day (no time zone), e.g. the day something happened. */
export function formatDay(day: string, lang: Lang): string {
  const at = Date.parse(`${day}T12:00:00+07:00`);
  return Number.isNaN(at) ? day : formatDate(at, lang);
}

export function formatWaiting(seconds: number, t: T): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return t('lessThanMinute');
  if (minutes < 60) return t('minutes', { n: minutes });
  return t('hoursMinutes', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** "+66812345678" as a Thai officer dials it: "081-234-5678"; anything else as it is. */
export function formatPhone(e164: string): string {
  const m = /^\+66(\d{2})(\d{3})(\d{4})$/.exec(e164);
  return m ? `0${m[1]}-${m[2]}-${m[3]}` : e164;
}

/**
 * A case's place in words: the chat stores a shared LINE location as JSON (title, address, coordinates); a place
 * typed by an officer is plain text.
 */
export function formatPlace(location: string, lang: Lang = 'th'): string {
  if (!location.startsWith('{')) return location;
  try {
    const p = JSON.parse(location) as { label?: unknown; title?: unknown; address?: unknown; latitude?: unknown; longitude?: unknown };
    // A place picked from the list (the chat's, or an officer's form) has its words in both languages.
    const label = p.label && typeof p.label === 'object' ? (p.label as Record<string, unknown>)[lang] : p.label;
    const words = [label ?? p.title, p.address].filter((w): w is string => typeof w === 'string' && w.length > 0);
    const unique = words.filter((w, i) => words.indexOf(w) === i);
    const at = typeof p.latitude === 'number' && typeof p.longitude === 'number' ? `(${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)})` : '';
    return [...unique, at].filter(Boolean).join(' · ') || location;
  } catch {
    return location;
  }
}

/**
 * A day typed as a Thai officer writes it, "1/12/2569" (Buddhist Era) or "1/12/2026", or as YYYY-MM-DD, to
 * YYYY-MM-DD; null for anything that is not a real day. A year above 2400 is B.E. (B.E. 2400 is 1857 C.E.,
 * long before any case).
 */
export function parseDay(text: string): string | null {
  const s = text.trim().replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m) {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return null;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  if (y > 2400) y -= 543;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** YYYY-MM-DD as it is typed back into a field: "1/12/2569" in Thai, "1/12/2026" in English. */
export function dayInput(day: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return `${Number(m[3])}/${Number(m[2])}/${Number(m[1]) + (lang === 'th' ? 543 : 0)}`;
}
