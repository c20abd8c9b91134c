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
export function formatPlace(location: string): string {
  if (!location.startsWith('{')) return location;
  try {
    const p = JSON.parse(location) as { label?: unknown; title?: unknown; address?: unknown; latitude?: unknown; longitude?: unknown };
    const words = [p.label ?? p.title, p.address].filter((w): w is string => typeof w === 'string' && w.length > 0);
    const unique = words.filter((w, i) => words.indexOf(w) === i);
    const at = typeof p.latitude === 'number' && typeof p.longitude === 'number' ? `(${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)})` : '';
    return [...unique, at].filter(Boolean).join(' · ') || location;
  } catch {
    return location;
  }
}
