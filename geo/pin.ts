/**
 * Where a LINE location pin lies, as the conversation needs it: the one place to confirm, the places on either side
 * of a nearby border, the nearest place for a pin just off the land, or why it cannot be placed (abroad, at sea,
 * outside the provinces this center serves). Pure: the index is built beforehand (geo/load.ts).
 */
import type { PinPlace, PinPlacement, PinPlacer } from '../flows/engine';
import { districtByCode, subdistrictByCode } from '../flows/places';
import type { BoundaryArea, BoundaryIndex, Hit } from './boundaries';

/**
 * A pin this close to another district may mean either side: the borders are displaced by up to about 120 m by
 * the simplification (35 m in Bangkok), on top of the survey's own error (SOURCE.md of the data).
 */
export const BORDER_METRES = 150;
/**
 * A pin outside every area but this close to one (a boat on the Mekong, a pier, a dropped islet) is offered the
 * nearest; farther (across the river in Laos, out at sea) it is not placed. The Mekong at Mukdahan is 1-2 km wide.
 */
export const OFF_METRES = 500;
/** At most this many places are offered for a pin near a border. */
const MAX_PLACES = 3;

export interface PinPolicy {
  /** Province codes whose places this center takes; null: every province. */
  served: readonly string[] | null;
}

/** The area as a place to show and store: the subdistrict only when it is current (not a re-drawn Bangkok khwaeng). */
function pinPlaceOf(a: BoundaryArea): PinPlace | null {
  if (!districtByCode(a.district)) return null;
  const subdistrict = !a.stale && subdistrictByCode(a.code) ? a.code : undefined;
  return { province: a.province, district: a.district, ...(subdistrict ? { subdistrict } : {}) };
}

/** One hit per district, nearest first: a border between two subdistricts of one district changes no office. */
function byDistrict(hits: readonly Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.area.district) && seen.add(h.area.district));
}

export function placePin(index: BoundaryIndex, policy: PinPolicy, latitude: number, longitude: number): PinPlacement {
  const hits = index.near(latitude, longitude, OFF_METRES);
  const inside = hits[0]?.distance === 0 ? hits[0] : undefined;
  const candidates = inside ? byDistrict([inside, ...hits.filter((h) => h.distance <= BORDER_METRES)]) : byDistrict(hits);
  const places = candidates
    .slice(0, MAX_PLACES)
    .map((h) => pinPlaceOf(h.area))
    .filter((p): p is PinPlace => p !== null);
  const first = places[0];
  if (!first) return { kind: 'nowhere' };
  const served = policy.served;
  if (served) {
    const ours = places.filter((p) => served.includes(p.province));
    if (ours.length === 0) return { kind: 'elsewhere', place: first, served: [...served] };
    return { kind: 'placed', places: ours, off: !inside };
  }
  return { kind: 'placed', places, off: !inside };
}

/** The placer the engine is handed (EngineContext.placePin). */
export const pinPlacer = (index: BoundaryIndex, policy: PinPolicy): PinPlacer => (lat, lon) => placePin(index, policy, lat, lon);
