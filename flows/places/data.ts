import { readFileSync } from 'node:fs';

/** Geocodes are DOPA's: province 2 digits, district 4, subdistrict 6, each starting with its parent's. */
export interface Province {
  code: string;
  th: string;
  en: string;
}

export interface District {
  code: string;
  th: string;
  en: string;
  provinceCode: string;
  /** The postcode most of its subdistricts use. */
  postcode: string;
}

export interface Subdistrict {
  code: string;
  th: string;
  en: string;
  provinceCode: string;
  districtCode: string;
  /** The first of `postcodes`. */
  postcode: string;
  /** Usually one; a few subdistricts are served by two post offices. */
  postcodes: string[];
}

/** As far as a place is known. Plain data: it is kept in the conversation state as JSON. */
export interface Place {
  province: Province;
  district?: District;
  subdistrict?: Subdistrict;
}

export type PlaceLevel = 'province' | 'district' | 'subdistrict';

export const BANGKOK = '10';

type SubRow = [suffix: string, th: string, en: string, postcodes?: string];
type DistrictRow = [suffix: string, th: string, en: string, postcode: string, subdistricts: SubRow[]];
type ProvinceRow = [code: string, th: string, en: string, districts: DistrictRow[]];

export interface Places {
  provinces: Province[];
  districts: District[];
  subdistricts: Subdistrict[];
  provinceByCode: Map<string, Province>;
  districtByCode: Map<string, District>;
  subdistrictByCode: Map<string, Subdistrict>;
  districtsOf: Map<string, District[]>;
  subdistrictsOf: Map<string, Subdistrict[]>;
}

let loaded: Places | undefined;

/** The bundled list (data/places.json, see data/SOURCE.md), read once on first use. */
export function places(): Places {
  if (loaded) return loaded;
  const rows = JSON.parse(readFileSync(new URL('./data/places.json', import.meta.url), 'utf8')) as ProvinceRow[];
  const p: Places = {
    provinces: [], districts: [], subdistricts: [],
    provinceByCode: new Map(), districtByCode: new Map(), subdistrictByCode: new Map(),
    districtsOf: new Map(), subdistrictsOf: new Map(),
  };
  for (const [code, th, en, districtRows] of rows) {
    const province: Province = { code, th, en: en || th };
    p.provinces.push(province);
    p.provinceByCode.set(code, province);
    const districts: District[] = [];
    for (const [dSuffix, dTh, dEn, postcode, subRows] of districtRows) {
      const district: District = { code: code + dSuffix, th: dTh, en: dEn || dTh, provinceCode: code, postcode };
      districts.push(district);
      p.districts.push(district);
      p.districtByCode.set(district.code, district);
      const subdistricts = subRows.map(([sSuffix, sTh, sEn, codes]): Subdistrict => {
        const postcodes = codes ? codes.split(',') : [postcode];
        return {
          code: district.code + sSuffix, th: sTh, en: sEn || sTh, provinceCode: code, districtCode: district.code,
          postcode: postcodes[0] ?? postcode, postcodes,
        };
      });
      for (const s of subdistricts) {
        p.subdistricts.push(s);
        p.subdistrictByCode.set(s.code, s);
      }
      p.subdistrictsOf.set(district.code, subdistricts);
    }
    p.districtsOf.set(code, districts);
  }
  loaded = p;
  return p;
}

/** The place a code names, at its level (2, 4 or 6 digits), with its parents; null for an unknown code. */
export function placeOf(code: string): Place | null {
  const p = places();
  const subdistrict = code.length === 6 ? p.subdistrictByCode.get(code) : undefined;
  if (code.length === 6 && !subdistrict) return null;
  const district = code.length >= 4 ? p.districtByCode.get(code.slice(0, 4)) : undefined;
  if (code.length >= 4 && !district) return null;
  const province = p.provinceByCode.get(code.slice(0, 2));
  if (!province || ![2, 4, 6].includes(code.length)) return null;
  return { province, ...(district ? { district } : {}), ...(subdistrict ? { subdistrict } : {}) };
}

export const levelOf = (place: Place): PlaceLevel =>
  place.subdistrict ? 'subdistrict' : place.district ? 'district' : 'province';

export const codeOf = (place: Place): string => (place.subdistrict ?? place.district ?? place.province).code;
