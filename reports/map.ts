/**
 * The province's map for the reports: its districts and subdistricts as GeoJSON for the page to shade, from the
 * boundaries the product places LINE pins with (geo/, BOUNDARIES_DIR: subdistricts, each with its district and
 * province). Districts are the union of their subdistricts: the file's subdistricts share their borders vertex for
 * vertex, so an edge used by two subdistricts of one district is inside it, and the edges used once, chained, are
 * its outline. Rings are simplified (Douglas-Peucker) only when the province is large. Each district also gets a
 * point inside it, where a label sits and a click lands. Read once per file and province.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BOUNDARIES_FILE, type BoundaryFeature } from '../geo';
import { districtByCode } from '../flows/places';

type Ring = number[][];
type Polygon = Ring[];

export interface MapFeature {
  type: 'Feature';
  properties: { code: string; name: string; th: string; en: string; district?: string; label: [number, number] };
  geometry: { type: 'MultiPolygon'; coordinates: Polygon[] };
}

export interface ProvinceMap {
  provinceCode: string;
  districts: { type: 'FeatureCollection'; features: MapFeature[] };
  subdistricts: { type: 'FeatureCollection'; features: MapFeature[] };
  attribution: string | null;
}

/** Above this many vertices in a province, rings are simplified before they are sent. */
export const SIMPLIFY_ABOVE = 60_000;
/** Tolerance of the simplification, in degrees (about 100 m): invisible at a province's scale. */
export const SIMPLIFY_DEGREES = 0.001;

const polygonsOf = (g: BoundaryFeature['geometry']): Polygon[] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const key = (p: number[]) => `${p[0]},${p[1]}`;

/** The outline(s) of a set of polygons that share their borders exactly: edges used once, chained into rings. */
export function dissolve(polygons: readonly Polygon[]): Ring[] {
  const count = new Map<string, number>();
  const edges: Array<[number[], number[]]> = [];
  for (const poly of polygons) {
    for (const ring of poly) {
      for (let i = 0; i < ring.length - 1; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        if (key(a) === key(b)) continue;
        const k = key(a) < key(b) ? `${key(a)}|${key(b)}` : `${key(b)}|${key(a)}`;
        count.set(k, (count.get(k) ?? 0) + 1);
        edges.push([a, b]);
      }
    }
  }
  const next = new Map<string, number[][]>();
  for (const [a, b] of edges) {
    const k = key(a) < key(b) ? `${key(a)}|${key(b)}` : `${key(b)}|${key(a)}`;
    if (count.get(k) !== 1) continue;
    const list = next.get(key(a));
    if (list) list.push(b);
    else next.set(key(a), [b]);
  }
  const rings: Ring[] = [];
  for (const [startKey, outs] of next) {
    while (outs.length) {
      const start = startKey.split(',').map(Number);
      const ring: Ring = [start];
      let at = outs.pop()!;
      for (let guard = 0; guard < 1_000_000 && key(at) !== startKey; guard++) {
        ring.push(at);
        const more = next.get(key(at));
        if (!more?.length) break;
        at = more.pop()!;
      }
      ring.push(start);
      if (ring.length >= 4) rings.push(ring);
    }
  }
  return rings;
}

/** Douglas-Peucker on one closed ring; a ring that would fall under 4 points is kept as it was. */
export function simplifyRing(ring: Ring, tolerance: number): Ring {
  if (ring.length <= 5) return ring;
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[ring.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, ring.length - 1]];
  while (stack.length) {
    const [s, e] = stack.pop()!;
    const [ax, ay] = ring[s]!;
    const [bx, by] = ring[e]!;
    let best = -1;
    let at = -1;
    for (let i = s + 1; i < e; i++) {
      const [px, py] = ring[i]!;
      const dx = bx! - ax!;
      const dy = by! - ay!;
      const len = dx * dx + dy * dy;
      const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px! - ax!) * dx + (py! - ay!) * dy) / len));
      const d = Math.hypot(px! - (ax! + t * dx), py! - (ay! + t * dy));
      if (d > best) [best, at] = [d, i];
    }
    if (best > tolerance) {
      keep[at] = 1;
      stack.push([s, at], [at, e]);
    }
  }
  const out = ring.filter((_, i) => keep[i]);
  return out.length >= 4 ? out : ring;
}

/** Even-odd point in polygon over all rings. */
function inside(rings: readonly Ring[], x: number, y: number): boolean {
  let odd = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i]!;
      const [xj, yj] = r[j]!;
      if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) odd = !odd;
    }
  }
  return odd;
}

/**
 * A point surely inside: on the horizontal line through the middle of the largest ring's box, the midpoint of the
 * widest stretch inside the shape (a centroid can fall outside a crescent-shaped district).
 */
export function labelPoint(rings: readonly Ring[]): [number, number] {
  const largest = rings.reduce((a, r) => (r.length > a.length ? r : a), rings[0]!);
  const ys = largest.map((p) => p[1]!);
  const [minY, maxY] = [Math.min(...ys), Math.max(...ys)];
  let best: [number, number] = [largest[0]![0]!, largest[0]![1]!];
  let bestWidth = -1;
  for (const f of [0.5, 0.4, 0.6, 0.3, 0.7]) {
    const y = minY + (maxY - minY) * f;
    const xs: number[] = [];
    for (const r of rings) {
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const [xi, yi] = r[i]!;
        const [xj, yj] = r[j]!;
        if (yi! > y !== yj! > y) xs.push(((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!);
      }
    }
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const w = xs[i + 1]! - xs[i]!;
      const mid = (xs[i]! + xs[i + 1]!) / 2;
      if (w > bestWidth && inside(rings, mid, y)) [bestWidth, best] = [w, [mid, y]];
    }
    if (bestWidth > 0 && f === 0.5) break;
  }
  return [Math.round(best[0] * 1e5) / 1e5, Math.round(best[1] * 1e5) / 1e5];
}

/** Outer rings and holes back into polygons: a hole goes with the outer ring that contains its first point. */
function polygonsFromRings(rings: Ring[]): Polygon[] {
  const area = (r: Ring) => r.reduce((a, p, i) => (i ? a + (r[i - 1]![0]! * p[1]! - p[0]! * r[i - 1]![1]!) : a), 0) / 2;
  const outers = rings.filter((r) => area(r) > 0);
  const holes = rings.filter((r) => area(r) <= 0);
  const polys: Polygon[] = (outers.length ? outers : rings).map((r) => [r]);
  for (const h of holes) {
    const owner = polys.find((p) => inside([p[0]!], h[0]![0]!, h[0]![1]!));
    if (owner) owner.push(h);
  }
  return polys;
}

/** The province's map from parsed subdistrict features (pure). */
export function provinceMap(features: readonly BoundaryFeature[], provinceCode: string, attribution: string | null = null): ProvinceMap {
  const ours = features.filter((f) => f.properties.province === provinceCode);
  const vertices = ours.reduce((a, f) => a + polygonsOf(f.geometry).reduce((b, p) => b + p.reduce((c, r) => c + r.length, 0), 0), 0);
  const simplify = vertices > SIMPLIFY_ABOVE ? (r: Ring) => simplifyRing(r, SIMPLIFY_DEGREES) : (r: Ring) => r;
  const byDistrict = new Map<string, BoundaryFeature[]>();
  for (const f of ours) {
    const list = byDistrict.get(f.properties.district);
    if (list) list.push(f);
    else byDistrict.set(f.properties.district, [f]);
  }
  const subdistricts: MapFeature[] = ours.map((f) => {
    const polys = polygonsOf(f.geometry).map((p) => p.map(simplify));
    return {
      type: 'Feature',
      properties: { code: f.properties.code, name: f.properties.code, th: f.properties.th ?? '', en: f.properties.en ?? '', district: f.properties.district, label: labelPoint(polys.flat()) },
      geometry: { type: 'MultiPolygon', coordinates: polys },
    };
  });
  const districts: MapFeature[] = [...byDistrict].sort(([a], [b]) => a.localeCompare(b)).map(([code, list]) => {
    const rings = dissolve(list.flatMap((f) => polygonsOf(f.geometry))).map(simplify);
    return {
      type: 'Feature',
      properties: { code, name: code, th: districtByCode(code)?.th ?? code, en: districtByCode(code)?.en ?? code, label: labelPoint(rings) },
      geometry: { type: 'MultiPolygon', coordinates: polygonsFromRings(rings) },
    };
  });
  return { provinceCode, districts: { type: 'FeatureCollection', features: districts }, subdistricts: { type: 'FeatureCollection', features: subdistricts }, attribution };
}

const cache = new Map<string, Promise<ProvinceMap | null>>();

/** The province's map from BOUNDARIES_DIR, or null when no boundaries are installed there. */
export function loadProvinceMap(boundariesDir: string, provinceCode: string): Promise<ProvinceMap | null> {
  const file = resolve(join(boundariesDir, BOUNDARIES_FILE));
  const k = `${file}\u0000${provinceCode}`;
  let loading = cache.get(k);
  if (!loading) {
    loading = (async () => {
      if (!(await stat(file).catch(() => null))?.isFile()) return null;
      const parsed = JSON.parse(await readFile(file, 'utf8')) as { features: BoundaryFeature[] };
      const attribution = await readFile(join(file, '..', 'ATTRIBUTION.txt'), 'utf8').then((t) => t.trim(), () => null);
      return provinceMap(parsed.features, provinceCode, attribution);
    })();
    cache.set(k, loading);
    // Neither a failure nor "not installed" is remembered: boundaries installed later are picked up.
    loading.then((m) => m ?? cache.delete(k), () => cache.delete(k));
  }
  return loading;
}
