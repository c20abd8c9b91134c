/**
 * The center's paper intake form (แบบรับเรื่องร้องเรียน/ร้องทุกข์) as one HTML page, A4, for Chromium to print as
 * a PDF (cases/intake-pdf.ts): the center, the number, the date in Buddhist Era, the complainant, what happened,
 * where and when, about whom, what is asked, the evidence, the channel, the QR code to follow it on LINE, and places
 * for the complainant and the receiving officer to sign. Pure: the case's facts in, a page out. Everything a person
 * typed is escaped: it is text on the form, never markup. Personal numbers are in the input only when the printing
 * officer may see them (the caller decides, and audits the print); otherwise the form says they are withheld.
 */
import { i18n, type Locale } from '../locales/i18n';
import { formatCaseDateLong, formatCaseDateTime } from '../locales/dates';
import { districtName } from '../notify/messages';
import { trackingMessage } from './track-link';

/** The font of Thai government forms is TH Sarabun; TLWG's Laksaman (Debian's fonts-thai-tlwg) has its metrics. */
export const FORM_FONT = { family: 'Laksaman', bold: 'Laksaman Bold', regular: 'Laksaman' } as const;

export interface IntakeForm {
  locale: Locale;
  trackingNumber: string;
  /** The district the case is recorded for (4-digit code): the center that received it. */
  districtCode: string | null;
  createdAt: number;
  channel: string;
  category: string;
  complainant: {
    anonymous: boolean;
    name: string | null;
    address: string | null;
    /** E.164, or null when none was given; undefined when the printer may not see it. */
    phone: string | null | undefined;
    nationalId: string | null | undefined;
  };
  story: string;
  /** YYYY-MM-DD. */
  occurredOn: string | null;
  /** The place as stored: a typed place or a LINE location (JSON), or words. */
  location: string | null;
  subject: string | null;
  request: string | null;
  evidence: ReadonlyArray<{ fileName: string | null; contentType: string; size: number }>;
  /** The officer who recorded the case; null for one filed on LINE. */
  receivedBy: string | null;
  printedAt: number;
  printedBy: string;
  /** The QR code (SVG) to follow the case on LINE; null when the Official Account's ID is not known. */
  track: { qrSvg: string } | null;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** "081-234-5678" from "+66812345678"; a landline "042-611-222"; anything else as it is. */
export function phoneAsDialled(e164: string): string {
  const mobile = /^\+66([689]\d)(\d{3})(\d{4})$/.exec(e164);
  if (mobile) return `0${mobile[1]}-${mobile[2]}-${mobile[3]}`;
  const land = /^\+66(\d{2})(\d{3})(\d{3})$/.exec(e164);
  return land ? `0${land[1]}-${land[2]}-${land[3]}` : e164;
}

/** "1-2345-67890-12-1", as printed on the card. */
export const nationalIdAsPrinted = (id: string) => (/^\d{13}$/.test(id) ? `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}` : id);

/** A stored place in words: a typed place's label, a LINE location's name, address and coordinates, or the words. */
export function placeWords(location: string | null, locale: Locale): string | null {
  if (!location) return null;
  if (!location.startsWith('{')) return location;
  try {
    const p = JSON.parse(location) as { source?: string; label?: unknown; title?: unknown; address?: unknown; latitude?: unknown; longitude?: unknown };
    if (p.source === 'typed' && p.label && typeof p.label === 'object') return String((p.label as Record<string, unknown>)[locale] ?? '');
    const words = [p.label ?? p.title, p.address].filter((w): w is string => typeof w === 'string' && w.length > 0);
    const unique = words.filter((w, i) => words.indexOf(w) === i);
    const at = typeof p.latitude === 'number' && typeof p.longitude === 'number' ? `(${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)})` : '';
    return [...unique, at].filter(Boolean).join(' ') || null;
  } catch {
    return location;
  }
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`);

export function intakeFormHtml(f: IntakeForm): string {
  const t = (key: string, vars: Record<string, unknown> = {}) => i18n.t(key, { lng: f.locale, ns: 'intake', ...vars }) as string;
  const cases = (key: string) => i18n.t(key, { lng: f.locale, ns: 'cases' }) as string;
  const center = f.districtCode ? t('center', { district: districtName(f.districtCode, f.locale) }) : t('centerUnknown');
  const none = `<span class="none">${esc(t('none'))}</span>`;
  const value = (v: string | null | undefined) => (v === undefined ? `<span class="withheld">${esc(t('withheld'))}</span>` : v === null || v.trim() === '' ? none : esc(v));
  const row = (label: string, v: string, cls = '') => `<tr class="${cls}"><th>${esc(label)}</th><td>${v}</td></tr>`;
  const c = f.complainant;
  const occurred = f.occurredOn ? formatCaseDateLong(Date.parse(`${f.occurredOn}T12:00:00+07:00`), f.locale) : null;
  const evidence = f.evidence.length
    ? `<ol class="evidence">${f.evidence
        .map((e, i) => `<li>${esc(t('evidenceItem', { name: e.fileName ?? t('evidenceUnnamed', { n: i + 1 }), type: e.contentType, size: size(e.size) }))}</li>`)
        .join('')}</ol>`
    : `<p class="none">${esc(t('noEvidence'))}</p>`;
  const qr = f.track
    ? `<div class="track"><img alt="QR" src="data:image/svg+xml;base64,${Buffer.from(f.track.qrSvg).toString('base64')}"><div><strong>${esc(t('track'))}</strong><p>${esc(t('trackHow', { message: trackingMessage(f.trackingNumber) }))}</p></div></div>`
    : '';
  const sign = (role: string, name: string | null) =>
    `<div class="sign"><p>${esc(t('signLine'))}</p><p>(${name ? esc(name) : '....................................................'})</p><p>${esc(role)}</p><p>${esc(t('signDate'))}</p></div>`;

  return `<!doctype html>
<html lang="${f.locale}"><head><meta charset="utf-8"><title>${esc(t('title'))} ${esc(f.trackingNumber)}</title>
<style>
  @font-face { font-family: FormThai; font-weight: 400; src: local("${FORM_FONT.regular}"); }
  @font-face { font-family: FormThai; font-weight: 700; src: local("${FORM_FONT.bold}"); }
  @page { size: A4; margin: 12mm 15mm 12mm 15mm; }
  * { box-sizing: border-box; }
  body { font-family: FormThai, sans-serif; font-size: 14pt; line-height: 1.2; color: #000; margin: 0; }
  header { text-align: center; border-bottom: 2px solid #000; padding-bottom: 4px; }
  .top { display: flex; justify-content: flex-end; }
  .number { border: 1.5px solid #000; padding: 1px 8px; white-space: nowrap; font-size: 14pt; }
  .number b { margin-right: 6px; }
  h1 { font-size: 20pt; margin: 4px 0 0; }
  .center { font-size: 15pt; margin: 0; }
  .meta { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 0 8px; margin-top: 6px; text-align: left; }
  .meta b { white-space: nowrap; }
  h2 { font-size: 15pt; margin: 8px 0 2px; background: #e8e8e8; padding: 0 6px; }
  table { width: 100%; border-collapse: collapse; }
  th { text-align: left; font-weight: 700; width: 1%; white-space: nowrap; vertical-align: top; padding: 1px 10px 1px 0; }
  td { vertical-align: top; padding: 1px 0; border-bottom: 1px dotted #777; white-space: pre-wrap; overflow-wrap: anywhere; }
  .story td { height: 24mm; }
  .none, .withheld { color: #555; }
  .evidence { margin: 2px 0 0 0; padding-left: 22px; }
  .track { display: flex; gap: 10px; align-items: center; border: 1px solid #000; padding: 3px 8px; margin-top: 8px; break-inside: avoid; }
  .track img { width: 26mm; height: 26mm; }
  .track p { margin: 2px 0 0; font-size: 12.5pt; }
  .certify { margin: 8px 0 0; }
  .signs { display: flex; justify-content: space-around; margin-top: 4px; break-inside: avoid; }
  .sign { text-align: center; }
  .sign p { margin: 2px 0; }
  footer { margin-top: 8px; border-top: 1px solid #000; padding-top: 2px; font-size: 10.5pt; color: #333; }
</style></head>
<body>
<header>
  <div class="top"><div class="number"><b>${esc(t('number'))}</b><span data-field="number">${esc(f.trackingNumber)}</span></div></div>
  <h1>${esc(t('title'))}</h1>
  <p class="center">${esc(center)}</p>
  <div class="meta">
    <b>${esc(t('receivedAt'))}</b><span>${esc(formatCaseDateTime(f.createdAt, f.locale))}</span>
    <b>${esc(t('channel'))}</b><span>${esc(cases(`channel.${f.channel}`))}</span>
    <b>${esc(t('category'))}</b><span>${esc(cases(`category.${f.category}`))}</span>
  </div>
</header>
<h2>${esc(t('complainant'))}</h2>
<table>
${c.anonymous ? row(t('name'), esc(t('anonymous'))) : [row(t('name'), value(c.name)), row(t('nationalId'), value(c.nationalId === undefined ? undefined : c.nationalId && nationalIdAsPrinted(c.nationalId))), row(t('phone'), value(c.phone === undefined ? undefined : c.phone && phoneAsDialled(c.phone))), row(t('address'), value(c.address))].join('\n')}
</table>
<h2>${esc(t('matter'))}</h2>
<table>
${row(t('subject'), value(f.subject))}
${row(t('occurredOn'), value(occurred))}
${row(t('place'), value(placeWords(f.location, f.locale)))}
${row(t('story'), value(f.story), 'story')}
${row(t('request'), value(f.request))}
</table>
<h2>${esc(t('evidence'))}</h2>
${evidence}
${qr}
<p class="certify">${esc(t('certify'))}</p>
<div class="signs">${sign(t('signComplainant'), c.anonymous ? null : c.name)}${sign(t('signOfficer'), f.receivedBy)}</div>
<footer>${esc(t('printed', { at: formatCaseDateTime(f.printedAt, f.locale), officer: f.printedBy }))} · ${esc(t('privacy'))}</footer>
</body></html>`;
}
