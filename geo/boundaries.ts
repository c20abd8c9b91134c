/**
 * Administrative boundaries as a point-in-polygon index: which subdistrict (and so district and province) a point
 * lies in, and which lie within some metres of it. Pure: built from parsed GeoJSON features, no I/O (geo/load.ts
 * reads the file). Even-odd ray casting over every ring of a feature (holes and islands need no special case),
 * behind each feature's bounding box and a fixed grid of cells, so a lookup tests only the few features whose box
 * covers the point's cell: a few microseconds, where testing all 7,425 subdistricts would take milliseconds.
 */

/** One subdistrict polygon, with the DOPA geocodes of its district and province. */
export interface BoundaryArea {
  /** 6-digit subdistrict geocode. */
  code: string;
  /** 4-digit district geocode. */
  district: string;
  /** 2-digit province geocode. */
  province: string;
  th: string;
  en: string;
  /**
   * The polygon stands for a whole district whose subdistricts were re-drawn after the survey (7 Bangkok khet, see
   * the data's SOURCE.md): its district is right, its subdistrict must not be shown or stored.
   */
  stale: boolean;
}

export interface Hit {
  area: BoundaryArea;
  /** Metres from the point to the area: 0 inside it. */
  distance: number;
}

/** A feature as the prepared files hold it (RFC 7946, longitude first). */
export interface BoundaryFeature {
  type: 'Feature';
  properties: { code: string; district: string; province: string; th?: string; en?: string; stale?: boolean };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

/** A file that cannot serve as boundaries: what is wrong, and where. */
export class BoundariesFormatError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'BoundariesFormatError';
  }
}

interface Shape {
  area: BoundaryArea;
  /** Each ring as [lon, lat, lon, lat, ...], closed or not. */
  rings: Float64Array[];
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Cell size of the grid, in degrees (about 5.5 km): a cell holds a handful of subdistricts' boxes. */
const CELL = 0.05;
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_AT_EQUATOR = 111_320;

export class BoundaryIndex {
  private readonly shapes: Shape[] = [];
  private readonly cells = new Map<number, number[]>();
  private readonly columns: number;

  constructor(features: readonly BoundaryFeature[]) {
    features.forEach((f, i) => this.shapes.push(shapeOf(f, `feature ${i}`)));
    // Columns cover every longitude on Earth, so a cell's key is one number and never collides.
    this.columns = Math.ceil(360 / CELL);
    this.shapes.forEach((s, i) => {
      for (let x = cellOf(s.minLon); x <= cellOf(s.maxLon); x++) {
        for (let y = cellOf(s.minLat); y <= cellOf(s.maxLat); y++) {
          const key = this.key(x, y);
          const list = this.cells.get(key);
          if (list) list.push(i);
          else this.cells.set(key, [i]);
        }
      }
    });
  }

  get size(): number {
    return this.shapes.length;
  }

  /** Every area, in the order of the file. */
  areas(): BoundaryArea[] {
    return this.shapes.map((s) => s.area);
  }

  /** The area the point lies in, or null (at sea, abroad, on a dropped islet). */
  locate(latitude: number, longitude: number): BoundaryArea | null {
    const list = this.cells.get(this.key(cellOf(longitude), cellOf(latitude)));
    if (!list) return null;
    for (const i of list) {
      const s = this.shapes[i]!;
      if (longitude < s.minLon || longitude > s.maxLon || latitude < s.minLat || latitude > s.maxLat) continue;
      if (inside(s.rings, longitude, latitude)) return s.area;
    }
    return null;
  }

  /**
   * The areas within `radius` metres of the point, nearest first, the one it lies in (distance 0) included. Used to
   * tell a pin near a border (either side may be meant) and a pin just off the coast or in the river.
   */
  near(latitude: number, longitude: number, radius: number): Hit[] {
    const kx = M_PER_DEG_LON_AT_EQUATOR * Math.cos((latitude * Math.PI) / 180);
    const ky = M_PER_DEG_LAT;
    const dLon = radius / kx;
    const dLat = radius / ky;
    const seen = new Set<number>();
    const hits: Hit[] = [];
    for (let x = cellOf(longitude - dLon); x <= cellOf(longitude + dLon); x++) {
      for (let y = cellOf(latitude - dLat); y <= cellOf(latitude + dLat); y++) {
        for (const i of this.cells.get(this.key(x, y)) ?? []) {
          if (seen.has(i)) continue;
          seen.add(i);
          const s = this.shapes[i]!;
          if (longitude < s.minLon - dLon || longitude > s.maxLon + dLon || latitude < s.minLat - dLat || latitude > s.maxLat + dLat) continue;
          const distance = inside(s.rings, longitude, latitude) ? 0 : edgeDistance(s.rings, longitude, latitude, kx, ky);
          if (distance <= radius) hits.push({ area: s.area, distance });
        }
      }
    }
    return hits.sort((a, b) => a.distance - b.distance);
  }

  private key(x: number, y: number): number {
    return y * this.columns + x;
  }
}

const cellOf = (deg: number): number => Math.floor((deg + 180) / CELL);

const isCode = (v: unknown, digits: number): v is string => typeof v === 'string' && v.length === digits && /^\d+$/.test(v);

function shapeOf(f: BoundaryFeature, where: string): Shape {
  const p = f?.properties;
  if (!p || !isCode(p.code, 6) || !isCode(p.district, 4) || !isCode(p.province, 2)) {
    throw new BoundariesFormatError(where, 'properties must have code (6 digits), district (4) and province (2), as strings');
  }
  if (!p.code.startsWith(p.district) || !p.district.startsWith(p.province)) {
    throw new BoundariesFormatError(`${where} (${p.code})`, `code ${p.code} is not inside district ${p.district} of province ${p.province}`);
  }
  const g = f.geometry;
  const polygons = g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : null;
  if (!polygons) throw new BoundariesFormatError(`${where} (${p.code})`, 'geometry must be a Polygon or a MultiPolygon');
  const rings: Float64Array[] = [];
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      if (!Array.isArray(ring) || ring.length < 3) throw new BoundariesFormatError(`${where} (${p.code})`, 'a ring has fewer than 3 points');
      const flat = new Float64Array(ring.length * 2);
      ring.forEach((pt, j) => {
        const [lon, lat] = pt as [number, number];
        if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) {
          throw new BoundariesFormatError(`${where} (${p.code})`, `a point is not a longitude, latitude pair: ${JSON.stringify(pt)}`);
        }
        flat[j * 2] = lon;
        flat[j * 2 + 1] = lat;
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
      });
      rings.push(flat);
    }
  }
  return {
    area: { code: p.code, district: p.district, province: p.province, th: p.th ?? '', en: p.en ?? '', stale: p.stale === true },
    rings,
    minLon,
    minLat,
    maxLon,
    maxLat,
  };
}

/** Even-odd rule over all rings: a point in a hole, or outside every outer ring, is crossed an even number of times. */
function inside(rings: readonly Float64Array[], x: number, y: number): boolean {
  let odd = false;
  for (const r of rings) {
    const n = r.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = r[i * 2]!;
      const yi = r[i * 2 + 1]!;
      const xj = r[j * 2]!;
      const yj = r[j * 2 + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

/** Metres from the point to the nearest edge, on a local flat projection (fine over a few kilometres). */
function edgeDistance(rings: readonly Float64Array[], lon: number, lat: number, kx: number, ky: number): number {
  let best = Infinity;
  for (const r of rings) {
    const n = r.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const ax = (r[j * 2]! - lon) * kx;
      const ay = (r[j * 2 + 1]! - lat) * ky;
      const bx = (r[i * 2]! - lon) * kx;
      const by = (r[i * 2 + 1]! - lat) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const len = dx * dx + dy * dy;
      const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
      const px = ax + t * dx;
      const py = ay + t * dy;
      const d = px * px + py * py;
      if (d < best) best = d;
    }
  }
  return Math.sqrt(best);
}
