/**
 * The officers' case list as a file (any filter of the list, every page): one row per case, in Thai with B.E.
 * dates. The complainant's name, phone and address are columns only when the reader may see each case's personal
 * data (case.view_personal: the caller decides per row); anonymous cases never carry them.
 */
import type { Database } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import type { Locale } from '../locales/i18n';
import { formatCaseDate } from '../locales/dates';
import type { CaseListRow } from '../cases/case-list';
import type { Table } from './tables';
import { categoryLabel, channelLabel, districtLabel, rt, statusLabel } from './labels';

export interface PersonalColumns {
  phone: string | null;
  address: string | null;
}

/** "+66812345678" as a Thai officer dials it, "081-234-5678"; anything else as it is. */
export function dialled(e164: string): string {
  const m = /^\+66(\d{2})(\d{3})(\d{4})$/.exec(e164);
  return m ? `0${m[1]}-${m[2]}-${m[3]}` : e164;
}

/** The phone (decrypted, as dialled) and address (revealed) of the given cases, by id. */
export async function personalOf(db: Pick<Database, 'query'>, cipher: DataCipher, ids: readonly number[]): Promise<Map<number, PersonalColumns>> {
  const out = new Map<number, PersonalColumns>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await db.query<{ id: unknown; phone_enc: string | null; address: string | null }>(
      `SELECT id, phone_enc, address FROM cases WHERE id IN (${part.map((_, j) => `$${j + 1}`).join(', ')})`,
      part,
    );
    for (const r of rows) out.set(Number(r.id), { phone: r.phone_enc ? dialled(cipher.decrypt(r.phone_enc)) : null, address: cipher.reveal(r.address) });
  }
  return out;
}

export function caseListTable(
  rows: readonly CaseListRow[],
  locale: Locale,
  caption: string[],
  personal: { allowed: (row: CaseListRow) => boolean; of: Map<number, PersonalColumns> } | null,
): Table {
  const c = (key: string) => rt(locale, `columns.${key}`);
  const headers = [c('number'), c('filedAt'), c('category'), c('channel'), c('status'), c('district'), c('summary'), c('dueAt'), c('closedAt'), c('confidential')];
  if (personal) headers.push(c('complainant'), c('phone'), c('address'));
  return {
    title: rt(locale, 'tables.cases'),
    caption,
    headers,
    rows: rows.map((r) => {
      const cells: Array<string | number> = [
        r.tracking_number,
        formatCaseDate(Number(r.created_at), locale),
        categoryLabel(locale, r.category),
        channelLabel(locale, r.channel),
        statusLabel(locale, r.status),
        districtLabel(locale, r.district_code),
        r.subject ?? String(r.story ?? '').split('\n')[0]?.slice(0, 120) ?? '',
        formatCaseDate(Number(r.due_at), locale),
        r.closed_at === null || r.closed_at === undefined ? '' : formatCaseDate(Number(r.closed_at), locale),
        r.confidential ? rt(locale, 'yes') : '',
      ];
      if (personal) {
        const show = !r.anonymous && personal.allowed(r);
        const p = personal.of.get(Number(r.id));
        cells.push(show ? (r.complainant_name ?? '') : '', show ? (p?.phone ?? '') : '', show ? (p?.address ?? '') : '');
      }
      return cells;
    }),
    widths: [20, 14, 24, 18, 22, 18, 40, 14, 14, 8, 24, 16, 40],
  };
}
