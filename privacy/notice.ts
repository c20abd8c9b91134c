/** What the citizen is told in the chat once their deletion request is decided: Thai first, dates in B.E. */
import { i18n, localeFrom, type Locale } from '../locales/i18n';
import { bangkokDay, formatDate } from '../flows/engine/format';
import type { DeletionOutcome } from './requests';
import { keptPetitionLines } from '../cases/my-data';

const t = (locale: Locale, key: string, vars: Record<string, unknown> = {}): string =>
  String(i18n.t(key, { lng: locale, ns: 'mydata', ...vars }));

export function deletionDoneText(o: { requestId: number; outcome: DeletionOutcome; note: string; at: number; locale: string }): string {
  const locale = localeFrom(o.locale);
  const lines = [t(locale, 'decision.done', { id: o.requestId, date: formatDate(bangkokDay(o.at), locale) })];
  if (o.outcome.erasedCases.length) lines.push(t(locale, 'decision.erasedCases', { numbers: o.outcome.erasedCases.join(', ') }));
  lines.push(t(locale, 'decision.erasedChats'));
  const petitions = o.outcome.keptPetitions ?? [];
  if (o.outcome.kept.length || petitions.length) {
    lines.push('', t(locale, 'decision.keptIntro'));
    for (const k of o.outcome.kept) {
      lines.push(k.reason === 'open' || k.until === undefined
        ? t(locale, 'deletion.retainedOpen', { number: k.trackingNumber })
        : t(locale, 'deletion.retainedUntil', { number: k.trackingNumber, date: formatDate(bangkokDay(k.until), locale) }));
    }
    lines.push(...keptPetitionLines(petitions, locale));
  }
  if (o.outcome.unlinked) lines.push('', t(locale, 'decision.unlinked'));
  if (o.note.trim()) lines.push('', t(locale, 'decision.note', { note: o.note.trim() }));
  return lines.join('\n');
}

export function deletionRefusedText(o: { requestId: number; note: string; locale: string }): string {
  const locale = localeFrom(o.locale);
  return [t(locale, 'decision.refused', { id: o.requestId, note: o.note.trim() }), '', t(locale, 'decision.appeal')].join('\n');
}
