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
