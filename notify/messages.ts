/**
 * What officers read: the Flex card posted in the district's LINE group, the e-mail, and the webhook body for
 * other systems. Pure: a notification's content in, a message out. None of them carries a national ID or phone
 * number: the summary is masked here again (whatever the caller stored), and the complainant's name, phone and
 * address are not in a notification at all: an officer opens the case in the console, where views are logged.
 */
import { i18n, type Locale } from '../locales/i18n';
import type { LineMessage } from '../line/message-limits';
import { clip, formatCaseDateTime } from '../locales/dates';
import { maskNumbersInText } from '../flows/engine/format';
import { districtByCode, provinceByCode, BANGKOK } from '../flows/places';
import { isSupervisorsCode, type NotificationContent } from './types';

export const CARD_LIMITS = { summaryChars: 120, detailChars: 240, altText: 400 } as const;

const BRAND = '#0B6E4F';
const ALERT = '#C62828';
const MUTED = '#6B7280';
const INK = '#1F2937';

function t(locale: Locale, key: string, vars: Record<string, unknown> = {}): string {
  return i18n.t(key, { lng: locale, ns: 'notify', ...vars }) as string;
}

const category = (locale: Locale, code: string) => i18n.t(`category.${code}`, { lng: locale, ns: 'cases' }) as string;

/**
 * "อำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร" / "Mueang Mukdahan, Mukdahan"; Bangkok has เขต and no จังหวัด. The
 * supervisors' code of a province (4900) is the province: "จังหวัดมุกดาหาร" / "Mukdahan".
 */
export function districtName(code: string, locale: Locale): string {
  if (isSupervisorsCode(code)) {
    const province = provinceByCode(code.slice(0, 2));
    if (province) return locale === 'en' ? province.en : province.code === BANGKOK ? province.th : `จังหวัด${province.th}`;
  }
  const d = districtByCode(code);
  const p = d ? provinceByCode(d.provinceCode) : null;
  if (!d || !p) return locale === 'th' ? `อำเภอรหัส ${code}` : `district ${code}`;
  if (locale === 'en') return `${d.en}, ${p.en}`;
  return p.code === BANGKOK ? `เขต${d.th} ${p.th}` : `อำเภอ${d.th} จังหวัด${p.th}`;
}

/** The console page of a case, or the console itself for events about no case. */
export function consoleUrl(publicUrl: string, trackingNumber?: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return trackingNumber ? `${base}/console/cases/${encodeURIComponent(trackingNumber)}` : `${base}/console`;
}

/** The district a notice is about: the case's, also when the notice went to the province's supervisors. */
const placeOf = (n: NotificationContent): string => n.payload.caseDistrict ?? n.districtCode;

/**
 * The lines every form shows, in order: label and value, personal numbers masked. The minimum an officer acts
 * on: number, category, district, dates, the story's first line where the case is not confidential (queue.ts
 * stores none for one that is); never a name, phone, address or a place finer than the district.
 */
function facts(n: NotificationContent, locale: Locale): Array<[label: string, value: string]> {
  const p = n.payload;
  const out: Array<[string, string]> = [];
  if (p.trackingNumber) out.push([t(locale, 'label.number'), p.trackingNumber]);
  if (p.category) out.push([t(locale, 'label.category'), p.categoryName?.[locale] ?? category(locale, p.category)]);
  if (p.channel) out.push([t(locale, 'label.channel'), i18n.t(`channel.${p.channel}`, { lng: locale, ns: 'cases' }) as string]);
  if (p.movedFrom) out.push([t(locale, 'label.movedFrom'), districtName(p.movedFrom, locale)]);
  out.push([t(locale, p.movedFrom ? 'label.movedTo' : 'label.district'), districtName(placeOf(n), locale)]);
  out.push([t(locale, 'label.at'), formatCaseDateTime(p.at, locale)]);
  if (p.dueAt !== undefined) out.push([t(locale, 'label.due'), formatCaseDateTime(p.dueAt, locale)]);
  if (p.answerBy !== undefined) out.push([t(locale, 'label.answerBy'), formatCaseDateTime(p.answerBy, locale)]);
  if (p.summary) out.push([t(locale, 'label.summary'), clip(maskNumbersInText(p.summary), CARD_LIMITS.summaryChars)]);
  if (p.detail) out.push([t(locale, 'label.detail'), clip(maskNumbersInText(p.detail), CARD_LIMITS.detailChars)]);
  if (p.reason) out.push([t(locale, 'label.reason'), clip(maskNumbersInText(p.reason), CARD_LIMITS.detailChars)]);
  return out;
}

const title = (n: NotificationContent, locale: Locale) => t(locale, `event.${n.event}`);
const isAlert = (n: NotificationContent) => n.event !== 'case.new';

type Component = Record<string, unknown>;
const text = (value: string, props: Component = {}): Component => ({ type: 'text', text: value.trim() === '' ? '-' : value, wrap: true, ...props });

/** The card for the district's LINE group: what happened, the essentials, and a button to the case in the console. */
export function groupCard(n: NotificationContent, publicUrl: string, locale: Locale = 'th'): LineMessage {
  const number = n.payload.trackingNumber ?? '';
  const heading = title(n, locale);
  const rows = facts(n, locale).map(([label, value]) => ({
    type: 'box',
    layout: 'baseline',
    spacing: 'sm',
    contents: [text(label, { size: 'sm', color: MUTED, flex: 3 }), text(value, { size: 'sm', color: INK, flex: 7, maxLines: 4 })],
  }));
  const bubble = {
    type: 'bubble',
    size: 'mega',
    styles: { header: { backgroundColor: isAlert(n) ? ALERT : BRAND } },
    header: {
      type: 'box',
      layout: 'vertical',
      spacing: 'xs',
      contents: [
        text(heading, { size: 'lg', weight: 'bold', color: '#FFFFFF' }),
        text(t(locale, 'center', { district: districtName(n.districtCode, locale) }), { size: 'xs', color: '#FDECEC' }),
      ],
    },
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: rows },
    footer: {
      type: 'box',
      layout: 'vertical',
      contents: [
        {
          type: 'button',
          style: 'primary',
          height: 'sm',
          color: BRAND,
          action: { type: 'uri', label: t(locale, number ? 'open' : 'openConsole'), uri: consoleUrl(publicUrl, number || undefined) },
        },
      ],
    },
  };
  const altText = t(locale, 'altText', { title: heading, number, district: districtName(placeOf(n), locale) }).replace(/\s+/g, ' ');
  return { type: 'flex', altText: clip(altText, CARD_LIMITS.altText), contents: bubble };
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Everything a person typed is text in the e-mail, never markup. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** The e-mail: the same facts as the card, as plain text and as simple HTML (escaped), with the console link. */
export function emailMessage(n: NotificationContent, publicUrl: string, locale: Locale = 'th'): EmailMessage {
  const heading = title(n, locale);
  const district = districtName(placeOf(n), locale);
  const url = consoleUrl(publicUrl, n.payload.trackingNumber);
  // A subject is one line: a newline in it would start a header of the mail.
  const subject = t(locale, 'email.subject', { title: heading, number: n.payload.trackingNumber ?? '', district }).replace(/[\r\n]+/g, ' ').replace(/\s+/g, ' ');
  const lines = facts(n, locale);
  const text = [heading, '', ...lines.map(([l, v]) => `${l}: ${v}`), '', t(locale, 'email.open', { url }), '', t(locale, 'email.footer')].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family:sans-serif;color:${INK}">
<h2 style="color:${isAlert(n) ? ALERT : BRAND}">${e(heading)}</h2>
<table cellpadding="4">${lines.map(([l, v]) => `<tr><th align="left" style="color:${MUTED}">${e(l)}</th><td>${e(v)}</td></tr>`).join('')}</table>
<p><a href="${e(url)}">${e(t(locale, number(n) ? 'open' : 'openConsole'))}</a></p>
<p style="color:${MUTED};font-size:small">${e(t(locale, 'email.footer'))}</p>
</body></html>`;
  return { subject, text, html };
}

const number = (n: NotificationContent) => n.payload.trackingNumber ?? '';

/**
 * The webhook body, in English field names and ISO dates for machines. `id` is the same on every attempt of one
 * notification, so a receiver can drop repeats; `sentAt` changes per attempt and is covered by the signature, so
 * a receiver can refuse an old body replayed.
 */
export function webhookBody(n: NotificationContent, id: number, sentAt: number, publicUrl: string): string {
  const p = n.payload;
  const code = placeOf(n);
  const district = districtByCode(code);
  return JSON.stringify({
    id: String(id),
    event: n.event,
    subjectKey: n.subjectKey,
    occurredAt: new Date(p.at).toISOString(),
    sentAt: new Date(sentAt).toISOString(),
    // Who was told: the district's officers, or the province's supervisors (a confidential case).
    audience: isSupervisorsCode(n.districtCode) ? 'supervisors' : 'district',
    district: { code, th: district?.th ?? null, en: district?.en ?? null },
    case: p.trackingNumber
      ? {
          trackingNumber: p.trackingNumber,
          category: p.category ?? null,
          channel: p.channel ?? null,
          status: p.status ?? null,
          summary: p.summary ? clip(maskNumbersInText(p.summary), CARD_LIMITS.summaryChars) : null,
          dueAt: p.dueAt !== undefined ? new Date(p.dueAt).toISOString() : null,
          url: consoleUrl(publicUrl, p.trackingNumber),
        }
      : null,
    detail: p.detail ? clip(maskNumbersInText(p.detail), CARD_LIMITS.detailChars) : null,
    // A case moved between districts: where from, and why (the district above is where it went).
    ...(p.movedFrom ? { movedFrom: { code: p.movedFrom, th: districtByCode(p.movedFrom)?.th ?? null, en: districtByCode(p.movedFrom)?.en ?? null }, reason: p.reason ? clip(maskNumbersInText(p.reason), CARD_LIMITS.detailChars) : null } : {}),
    // A handoff is about a chat, not a case: which one, and by when an officer should have answered it.
    handoff:
      p.handoffId !== undefined
        ? {
            id: String(p.handoffId),
            reason: p.summary ? clip(maskNumbersInText(p.summary), CARD_LIMITS.summaryChars) : null,
            answerBy: p.answerBy !== undefined ? new Date(p.answerBy).toISOString() : null,
            url: consoleUrl(publicUrl),
          }
        : null,
  });
}
