/**
 * The project's place list (flows/places/data/places.json, what citizens type and officers pick) against the
 * boundaries' codes: a district a pin can land in must be one an officer can be of, and every district of the list
 * must be reachable by a pin. npm address packages carry wrong geocodes (SOURCE.md of the data: น้ำปาด as 5303,
 * ท่าแฝก as 530306), so the two lists are compared, never trusted.
 */
import { places } from '../flows/places/data';
import type { BoundaryArea } from './boundaries';

export interface CodeCheck {
  /** District codes of the place list that no boundary has. */
  districtsWithoutBoundary: string[];
  /** District codes of the boundaries that the place list does not know. */
  districtsNotInPlaces: string[];
  /** Current (not stale) subdistrict codes of the boundaries that the place list does not know. */
  subdistrictsNotInPlaces: string[];
  /** Province codes of the boundaries that the place list does not know. */
  provincesNotInPlaces: string[];
}

export const codesAgree = (c: CodeCheck): boolean =>
  c.districtsWithoutBoundary.length === 0 && c.districtsNotInPlaces.length === 0 && c.provincesNotInPlaces.length === 0;

export function checkCodes(areas: readonly BoundaryArea[]): CodeCheck {
  const list = places();
  const boundaryDistricts = new Set(areas.map((a) => a.district));
  const boundaryProvinces = new Set(areas.map((a) => a.province));
  return {
    districtsWithoutBoundary: list.districts.map((d) => d.code).filter((c) => !boundaryDistricts.has(c)).sort(),
    districtsNotInPlaces: [...boundaryDistricts].filter((c) => !list.districtByCode.has(c)).sort(),
    subdistrictsNotInPlaces: areas.filter((a) => !a.stale && !list.subdistrictByCode.has(a.code)).map((a) => a.code).sort(),
    provincesNotInPlaces: [...boundaryProvinces].filter((c) => !list.provinceByCode.has(c)).sort(),
  };
}
