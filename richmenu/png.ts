/**
 * What LINE checks of a rich menu image before it takes it: PNG or JPEG (we make PNG), at most 1 MB, and exactly
 * the size the menu declares (LINE answers 400 otherwise, after the menu was already created).
 */
export const MAX_IMAGE_BYTES = 1024 * 1024;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which a valid PNG must have first; null when this is not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(SIGNATURE)) return null;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Problems with the picture for a menu of this size; empty when LINE will take it. */
export function checkRichMenuImage(bytes: Buffer, size: { width: number; height: number }): string[] {
  const problems: string[] = [];
  const actual = pngSize(bytes);
  if (actual === null) problems.push('the image is not a PNG');
  else if (actual.width !== size.width || actual.height !== size.height) {
    problems.push(`the image is ${actual.width}x${actual.height}, the menu declares ${size.width}x${size.height}`);
  }
  if (bytes.length > MAX_IMAGE_BYTES) problems.push(`the image is ${bytes.length} bytes, LINE takes at most ${MAX_IMAGE_BYTES}`);
  return problems;
}
