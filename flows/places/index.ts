/**
 * Thailand's provinces, districts and subdistricts (bundled, see data/SOURCE.md), and reading the place a person
 * types. Pure: the list is read once from disk on first use, nothing else touches the outside.
 */
import { places, type District, type Province, type Subdistrict } from './data';

export { BANGKOK, placeOf, type District, type Place, type PlaceLevel, type Province, type Subdistrict } from './data';
export { searchPlaces, type PlaceMatch, type Within } from './search';
export { MAX_CANDIDATES, narrowPlace, pickPlace, type NarrowResult, type PlaceOption } from './narrow';
export { formatPlace, spokenPlace } from './format';

export const allProvinces = (): Province[] => places().provinces;
export const provinceByCode = (code: string): Province | null => places().provinceByCode.get(code) ?? null;
export const districtByCode = (code: string): District | null => places().districtByCode.get(code) ?? null;
export const subdistrictByCode = (code: string): Subdistrict | null => places().subdistrictByCode.get(code) ?? null;
export const districtsOf = (provinceCode: string): District[] => places().districtsOf.get(provinceCode) ?? [];
export const subdistrictsOf = (districtCode: string): Subdistrict[] => places().subdistrictsOf.get(districtCode) ?? [];
