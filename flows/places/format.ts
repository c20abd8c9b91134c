import { BANGKOK, type Place } from './data';

/**
 * "ต.บางทรายใหญ่ อ.เมืองมุกดาหาร จ.มุกดาหาร" / "Bang Sai Yai, Mueang Mukdahan, Mukdahan". Bangkok has แขวง and
 * เขต, and is not a จังหวัด: "แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร".
 */
export function formatPlace(place: Place, locale: 'th' | 'en'): string {
  const { province, district, subdistrict } = place;
  if (locale === 'en') return [subdistrict?.en, district?.en, province.en].filter(Boolean).join(', ');
  const bangkok = province.code === BANGKOK;
  return [
    subdistrict && `${bangkok ? 'แขวง' : 'ต.'}${subdistrict.th}`,
    district && `${bangkok ? 'เขต' : 'อ.'}${district.th}`,
    bangkok ? province.th : `จ.${province.th}`,
  ].filter(Boolean).join(' ');
}
