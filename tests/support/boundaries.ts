/**
 * The boundaries tests place pins with: the prepared copy of OCHA's COD-AB Thailand in ../shared (CI has it; it is
 * never copied into the repository). Test servers point BOUNDARIES_DIR at it; pure-engine tests get the placer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexOf, pinPlacer, BOUNDARIES_FILE, type BoundaryIndex } from '../../geo';
import type { PinPlacer } from '../../flows/engine';

export const SHARED_BOUNDARIES_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'thai-districts');

let index: BoundaryIndex | undefined;

/** The index of the shared copy, read once per test process. */
export function sharedBoundaries(): BoundaryIndex {
  const file = join(SHARED_BOUNDARIES_DIR, BOUNDARIES_FILE);
  index ??= indexOf(JSON.parse(readFileSync(file, 'utf8')), file);
  return index;
}

/** A placer as the server makes one: every province served unless told. */
export const testPlacer = (served: string[] | null = null): PinPlacer => pinPlacer(sharedBoundaries(), { served });
