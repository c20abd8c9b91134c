/**
 * The words a report file prints for the codes it counts (Thai first): categories, statuses, channels and reasons
 * as the citizen reads them (locales/<lng>/cases.json), subjects as the bot names them (engine.json), places from
 * the DOPA list (flows/places), and the reports' own headers (reports.json). A category's names are the `category`
 * table's (categories/labels.ts puts them where these look, whenever the list is read: read it before a report);
 * a code with no name anywhere is printed as it is.
 */
import { i18n, type Locale } from '../locales/i18n';
import { districtByCode, provinceByCode, subdistrictByCode } from '../flows/places';

export const rt = (locale: Locale, key: string, vars: Record<string, unknown> = {}): string => String(i18n.t(key, { lng: locale, ns: 'reports', ...vars }));

const known = (locale: Locale, ns: string, key: string): string | null => (i18n.exists(key, { lng: locale, ns }) ? String(i18n.t(key, { lng: locale, ns })) : null);

export const categoryLabel = (l: Locale, code: string) => known(l, 'cases', `category.${code}`) ?? code;
export const statusLabel = (l: Locale, code: string) => known(l, 'cases', `status.${code}`) ?? code;
export const channelLabel = (l: Locale, code: string) => known(l, 'cases', `channel.${code}`) ?? code;
export const reasonLabel = (l: Locale, code: string | null) => (code ? (known(l, 'cases', `closeReason.${code}`) ?? code) : rt(l, 'none'));
export const topicLabel = (l: Locale, code: string) => (code === 'none' ? rt(l, 'topicNone') : (known(l, 'engine', `topic.${code}`) ?? code));
export const districtLabel = (l: Locale, code: string | null) => (code ? (districtByCode(code)?.[l] ?? code) : rt(l, 'none'));
export const subdistrictLabel = (l: Locale, code: string | null) => (code ? (subdistrictByCode(code)?.[l] ?? code) : rt(l, 'none'));
export const provinceLabel = (l: Locale, code: string | null) => (code ? (provinceByCode(code)?.[l] ?? code) : rt(l, 'none'));
