import { normalize } from '../inputs/normalize';
import { codeOf, levelOf, placeOf, places, type Place, type PlaceLevel } from './data';
import { formatPlace } from './format';
import { searchPlaces, type PlaceMatch, type Within } from './search';

/** What a tap sends back: the code (any level) and the names to show. */
export interface PlaceOption {
  code: string;
  th: string;
  en: string;
}

export type NarrowResult =
  /** A subdistrict, with its district and province. */
  | { kind: 'done'; place: Place }
  /**
   * More detail needed, or the text fits several places. `options` are of `level`, except when one name fits places
   * at several levels: then `level` is the first option's and each option's label names its level.
   */
  | { kind: 'choose'; level: PlaceLevel; place: Place | null; options: PlaceOption[] }
  | { kind: 'none' };

/** Candidates shown as themselves; more than this and the person picks a province or district first. */
export const MAX_CANDIDATES = 12;
const SAME_SCORE = 0.02;

const option = (a: { code: string; th: string; en: string }): PlaceOption => ({ code: a.code, th: a.th, en: a.en });

/** The next question about a place: its districts, its subdistricts, or nothing when it is a subdistrict. */
function next(place: Place): NarrowResult {
  const p = places();
  if (place.subdistrict) return { kind: 'done', place };
  if (place.district) {
    const subdistricts = p.subdistrictsOf.get(place.district.code) ?? [];
    const only = subdistricts.length === 1 ? subdistricts[0] : undefined;
    if (only) return { kind: 'done', place: { ...place, subdistrict: only } };
    return { kind: 'choose', level: 'subdistrict', place, options: subdistricts.map(option) };
  }
  const districts = p.districtsOf.get(place.province.code) ?? [];
  return { kind: 'choose', level: 'district', place, options: districts.map(option) };
}

const entityOf = (place: Place) => place.subdistrict ?? place.district ?? place.province;

/** A candidate's name with what tells it apart from the others: its district, or its province. */
function labelled(match: PlaceMatch, sameProvince: boolean): PlaceOption {
  const { place } = match;
  const self = entityOf(place);
  const parent = place.subdistrict && sameProvince ? place.district : place.province;
  if (!parent || parent === self) return option(self);
  return { code: self.code, th: `${self.th} (${parent.th})`, en: `${self.en} (${parent.en})` };
}

function choose(group: PlaceMatch[]): NarrowResult {
  const first = group[0];
  if (!first) return { kind: 'none' };
  const provinceCodes = new Set(group.map((m) => m.place.province.code));
  const districtCodes = new Set(group.map((m) => m.place.district?.code));
  const levels = new Set(group.map((m) => m.level));
  const sameProvince = provinceCodes.size === 1;

  if (levels.size === 1 && first.level === 'subdistrict' && districtCodes.size === 1 && first.place.district) {
    const place = { province: first.place.province, district: first.place.district };
    return { kind: 'choose', level: 'subdistrict', place, options: group.map((m) => option(entityOf(m.place))) };
  }
  if (group.length <= MAX_CANDIDATES) {
    const place = sameProvince ? { province: first.place.province } : null;
    // Names at several levels ("ดอนตาล": a district in one province, a subdistrict in another) say which is which.
    const full = (m: PlaceMatch) =>
      ({ code: entityOf(m.place).code, th: formatPlace(m.place, 'th'), en: formatPlace(m.place, 'en') });
    const options = levels.size === 1 ? group.map((m) => labelled(m, sameProvince)) : group.map(full);
    return { kind: 'choose', level: first.level, place, options };
  }
  const p = places();
  if (sameProvince) {
    const codes = [...new Set(group.map((m) => m.place.district?.code).filter((c): c is string => !!c))].sort();
    const options = codes.map((c) => p.districtByCode.get(c)).filter((d) => !!d).map(option);
    return { kind: 'choose', level: 'district', place: { province: first.place.province }, options };
  }
  const options = [...provinceCodes].sort().map((c) => p.provinceByCode.get(c)).filter((a) => !!a).map(option);
  return { kind: 'choose', level: 'province', place: null, options };
}

function withinOf(place: Place): Within {
  return place.district ? { districtCode: place.district.code } : { provinceCode: place.province.code };
}

/**
 * One step of asking where: `current` is what the previous answers established (null at first). Text that names a
 * place inside `current` narrows it; text that names a place elsewhere starts over there. Empty text asks for the
 * next level of `current`. After the person taps a province offered for an ambiguous name, the caller may call
 * again with the same text and the province as `current`.
 */
export function narrowPlace(text: string, current: Place | null): NarrowResult {
  // Re-read by code: `current` comes back from the conversation state as JSON.
  const known = current ? placeOf(codeOf(current)) : null;
  if (normalize(text) === '') return known ? next(known) : { kind: 'none' };
  let matches = known ? searchPlaces(text, withinOf(known)) : [];
  if (matches.length === 0) matches = searchPlaces(text);
  const best = matches[0];
  if (!best) return { kind: 'none' };
  const top = matches.filter((m) => m.score >= best.score - SAME_SCORE);
  // ดอนตาล is a district and a subdistrict inside it: the person means the larger one. A province's name means the
  // province, not a subdistrict of that name elsewhere (เชียงใหม่ is also a subdistrict in Roi Et).
  const outer = top.filter((m) => !top.some((o) => o !== m && codeOf(m.place).startsWith(codeOf(o.place))));
  const provinces = outer.filter((m) => m.level === 'province');
  const group = provinces.length > 0 ? provinces : outer;
  const only = group.length === 1 ? group[0] : undefined;
  return only ? next(only.place) : choose(group);
}

/** The place a tapped option stands for, at its level; null for an unknown code. */
export function pickPlace(code: string): Place | null {
  return placeOf(code.trim());
}


