/**
 * Reading the installed boundaries (BOUNDARIES_DIR, prepared by `npm run geo:install`) into an index, once: at
 * start, and then from memory for every server of the process (tests start many). No boundaries installed is not
 * an error: pins are then asked for by name, and the start-up log says so. A file that is there but cannot be read
 * as boundaries stops the start, naming the file and what is wrong.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BoundaryIndex, BoundariesFormatError, type BoundaryFeature } from './boundaries';
import { checkCodes, type CodeCheck } from './check';

/** The file the index is built from, in BOUNDARIES_DIR: subdistricts, each with its district and province. */
export const BOUNDARIES_FILE = 'tambons.geojson';

export type LoadedBoundaries =
  | { installed: true; index: BoundaryIndex; file: string; loadMs: number; codes: CodeCheck; attribution: string | null }
  | { installed: false; file: string };

const cache = new Map<string, Promise<LoadedBoundaries>>();

export function loadBoundaries(dir: string): Promise<LoadedBoundaries> {
  const file = resolve(join(dir, BOUNDARIES_FILE));
  let loading = cache.get(file);
  if (!loading) {
    loading = read(file);
    cache.set(file, loading);
    // A failure is not remembered: the next start reads the file again.
    loading.catch(() => cache.delete(file));
  }
  return loading;
}

async function read(file: string): Promise<LoadedBoundaries> {
  const started = performance.now();
  const found = await stat(file).catch(() => null);
  if (!found?.isFile()) return { installed: false, file };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new BoundariesFormatError(file, `not JSON: ${(e as Error).message}`);
  }
  const index = indexOf(parsed, file);
  const attribution = await readFile(join(file, '..', 'ATTRIBUTION.txt'), 'utf8').then((t) => t.trim(), () => null);
  return { installed: true, index, file, loadMs: performance.now() - started, codes: checkCodes(index.areas()), attribution };
}

/** An index of a parsed FeatureCollection; `where` names it in errors. */
export function indexOf(parsed: unknown, where: string): BoundaryIndex {
  const fc = parsed as { type?: string; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new BoundariesFormatError(where, 'not a GeoJSON FeatureCollection');
  if (fc.features.length === 0) throw new BoundariesFormatError(where, 'no features');
  return new BoundaryIndex(fc.features as BoundaryFeature[]);
}
