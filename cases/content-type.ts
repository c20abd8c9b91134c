/**
 * What a file really is, from its first bytes, not from what the sender claims: evidence is kept only in types
 * an officer can open safely. Anything else (an executable renamed .jpg) is refused.
 */
export interface SniffedType {
  contentType: string;
  mediaType: 'image' | 'video' | 'audio' | 'file';
}

const starts = (b: Buffer, hex: string, offset = 0) => b.subarray(offset, offset + hex.length / 2).equals(Buffer.from(hex, 'hex'));
const ascii = (b: Buffer, text: string, offset = 0) => b.subarray(offset, offset + text.length).toString('latin1') === text;

export function sniffContentType(bytes: Buffer): SniffedType | null {
  if (starts(bytes, 'ffd8ff')) return { contentType: 'image/jpeg', mediaType: 'image' };
  if (starts(bytes, '89504e470d0a1a0a')) return { contentType: 'image/png', mediaType: 'image' };
  if (ascii(bytes, 'GIF87a') || ascii(bytes, 'GIF89a')) return { contentType: 'image/gif', mediaType: 'image' };
  if (ascii(bytes, 'RIFF') && ascii(bytes, 'WEBP', 8)) return { contentType: 'image/webp', mediaType: 'image' };
  if (ascii(bytes, 'ftyp', 4)) {
    const brand = bytes.subarray(8, 12).toString('latin1');
    if (['heic', 'heix', 'mif1', 'msf1'].includes(brand)) return { contentType: 'image/heic', mediaType: 'image' };
    if (['M4A ', 'M4B '].includes(brand)) return { contentType: 'audio/mp4', mediaType: 'audio' };
    return { contentType: 'video/mp4', mediaType: 'video' };
  }
  if (ascii(bytes, '%PDF-')) return { contentType: 'application/pdf', mediaType: 'file' };
  if (ascii(bytes, 'ID3') || starts(bytes, 'fffb') || starts(bytes, 'fff3')) return { contentType: 'audio/mpeg', mediaType: 'audio' };
  if (ascii(bytes, 'OggS')) return { contentType: 'audio/ogg', mediaType: 'audio' };
  if (ascii(bytes, 'RIFF') && ascii(bytes, 'WAVE', 8)) return { contentType: 'audio/wav', mediaType: 'audio' };
  // Office documents are zip files; a zip of anything else is not accepted as evidence.
  if (starts(bytes, '504b0304')) {
    const head = bytes.subarray(0, 2048).toString('latin1');
    if (head.includes('word/')) return { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', mediaType: 'file' };
    if (head.includes('xl/')) return { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', mediaType: 'file' };
    if (head.includes('[Content_Types].xml')) return { contentType: 'application/vnd.openxmlformats-officedocument', mediaType: 'file' };
  }
  return null;
}
