/**
 * The province's map for the reports: its districts and subdistricts as GeoJSON for the page to shade, from the
 * boundaries the product places LINE pins with (geo/, BOUNDARIES_DIR: subdistricts, each with its district and
 * province). Districts are the union of their subdistricts: the file's subdistricts share their borders vertex for
 * vertex, so an edge used by two subdistricts of one district is inside it, and the edges used once, chained, are
 * its outline (when the publisher's districts.geojson lies beside them, its districts are used as they are; where a
 * union leaks, the district is drawn as its subdistricts together). Rings are simplified (Douglas-Peucker) only when the province is large. Each district also gets a
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

/**
 * The outline(s) of a set of polygons that share their borders exactly: the edges used once, chained into rings.
 * The chaining ignores the edges' direction (a subdistrict drawn clockwise must not break its district's outline),
 * and a vertex where the outline touches itself is simply passed through twice.
 */
export function dissolve(polygons: readonly Polygon[]): Ring[] {
  const count = new Map<string, number>();
  const edgeKey = (a: number[], b: number[]) => (key(a) < key(b) ? `${key(a)}|${key(b)}` : `${key(b)}|${key(a)}`);
  const edges: Array<[number[], number[]]> = [];
  for (const poly of polygons) {
    for (const ring of poly) {
      for (let i = 0; i < ring.length - 1; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        if (key(a) === key(b)) continue;
        const k = edgeKey(a, b);
        count.set(k, (count.get(k) ?? 0) + 1);
        edges.push([a, b]);
      }
    }
  }
  // Undirected adjacency of the outline's edges, each edge once, with a flag when used.
  const outline = edges.filter(([a, b]) => count.get(edgeKey(a, b)) === 1);
  const used = new Uint8Array(outline.length);
  const at = new Map<string, number[]>();
  outline.forEach(([a, b], i) => {
    for (const v of [a, b]) {
      const list = at.get(key(v));
      if (list) list.push(i);
      else at.set(key(v), [i]);
    }
  });
  const rings: Ring[] = [];
  for (let first = 0; first < outline.length; first++) {
    if (used[first]) continue;
    used[first] = 1;
    const [start, second] = outline[first]!;
    const ring: Ring = [start!, second!];
    let current = second!;
    for (let guard = 0; guard < outline.length && key(current) !== key(start!); guard++) {
      const next = at.get(key(current))?.find((i) => !used[i]);
      if (next === undefined) break;
      used[next] = 1;
      const [a, b] = outline[next]!;
      current = key(a!) === key(current) ? b! : a!;
      ring.push(current);
    }
    if (key(current) !== key(start!)) ring.push(start!);
    if (ring.length >= 4) rings.push(ring);
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

const ringArea = (r: Ring) => Math.abs(r.reduce((a, p, i) => (i ? a + (r[i - 1]![0]! * p[1]! - p[0]! * r[i - 1]![1]!) : a), 0) / 2);

/** Rings back into polygons: a ring inside an odd number of others is a hole of the smallest one around it. */
function polygonsFromRings(rings: Ring[]): Polygon[] {
  const area = (r: Ring) => Math.abs(r.reduce((a, p, i) => (i ? a + (r[i - 1]![0]! * p[1]! - p[0]! * r[i - 1]![1]!) : a), 0) / 2);
  const sorted = [...rings].sort((a, b) => area(b) - area(a));
  const around = (r: Ring) => sorted.filter((o) => o !== r && area(o) > area(r) && inside([o], r[0]![0]!, r[0]![1]!));
  const polys = new Map<Ring, Polygon>();
  for (const r of sorted) {
    const outside = around(r);
    if (outside.length % 2 === 0) polys.set(r, [r]);
    else polys.get(outside[outside.length - 1]!)?.push(r) ?? polys.set(r, [r]);
  }
  return [...polys.values()];
}

/** The province's map from parsed subdistrict features (pure). */
export function provinceMap(
  features: readonly BoundaryFeature[],
  provinceCode: string,
  attribution: string | null = null,
  /** The districts as drawn by the data's publisher (districts.geojson beside the subdistricts), when there. */
  districtFeatures?: ReadonlyArray<{ properties: { code: string; province: string }; geometry: BoundaryFeature['geometry'] }>,
): ProvinceMap {
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
  const given = new Map((districtFeatures ?? []).filter((f) => f.properties.province === provinceCode).map((f) => [f.properties.code, f]));
  const districts: MapFeature[] = [...byDistrict].sort(([a], [b]) => a.localeCompare(b)).map(([code, list]) => {
    const parts = list.flatMap((f) => polygonsOf(f.geometry));
    const own = given.get(code);
    let polygons: Polygon[];
    if (own) polygons = polygonsOf(own.geometry).map((p) => p.map(simplify));
    else {
      const rings = dissolve(parts);
      // Where two subdistricts' shared border does not match vertex for vertex, the union leaks: then the district
      // is drawn as its subdistricts together (their inner borders show, its shading and its clicks stay right).
      const whole = parts.reduce((a, p) => a + ringArea(p[0]!) - p.slice(1).reduce((h, r) => h + ringArea(r), 0), 0);
      const union = polygonsFromRings(rings).reduce((a, p) => a + ringArea(p[0]!) - p.slice(1).reduce((h, r) => h + ringArea(r), 0), 0);
      polygons = Math.abs(union - whole) <= whole * 0.001 ? polygonsFromRings(rings.map(simplify)) : parts.map((p) => p.map(simplify));
    }
    return {
      type: 'Feature',
      properties: { code, name: code, th: districtByCode(code)?.th ?? code, en: districtByCode(code)?.en ?? code, label: labelPoint(polygons.map((p) => p[0]!)) },
      geometry: { type: 'MultiPolygon', coordinates: polygons },
    };
  });
  return { provinceCode, districts: { type: 'FeatureCollection', features: districts }, subdistricts: { type: 'FeatureCollection', features: subdistricts }, attribution };
}

/** The publisher's own districts, when installed beside the subdistricts (the shared data has them): preferred. */
export const DISTRICTS_FILE = 'districts.geojson';

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
      const districts = await readFile(join(file, '..', DISTRICTS_FILE), 'utf8').then((t) => (JSON.parse(t) as { features: BoundaryFeature[] }).features, () => undefined);
      return provinceMap(parsed.features, provinceCode, attribution, districts);
    })();
    cache.set(k, loading);
    // Neither a failure nor "not installed" is remembered: boundaries installed later are picked up.
    loading.then((m) => m ?? cache.delete(k), () => cache.delete(k));
  }
  return loading;
}
