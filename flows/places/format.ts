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

/**
 * A place as it is said in a question ("ตำบลบางทรายใหญ่ อำเภอเมืองมุกดาหาร ใช่ไหมคะ"): the words in full, the
 * province only when there is no subdistrict to go with the district. Bangkok: แขวง and เขต.
 */
export function spokenPlace(place: Place, locale: 'th' | 'en'): string {
  const { province, district, subdistrict } = place;
  if (locale === 'en') return [subdistrict?.en, district?.en, subdistrict ? null : province.en].filter(Boolean).join(', ');
  const bangkok = province.code === BANGKOK;
  return [
    subdistrict && `${bangkok ? 'แขวง' : 'ตำบล'}${subdistrict.th}`,
    district && `${bangkok ? 'เขต' : 'อำเภอ'}${district.th}`,
    subdistrict ? null : bangkok ? province.th : `จังหวัด${province.th}`,
  ].filter(Boolean).join(' ');
}
