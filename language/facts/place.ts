/**
 * The words that name a place: administrative markers (หมู่ 5, ต.คำป่าหลาย, อ.ดอนตาล, จ.มุกดาหาร) and the name
 * after each, joined when they follow one another ("บ้านโนนสว่าง หมู่ 5 ต.คำป่าหลาย"). The engine resolves the
 * text with its own place search; this only has to cut the right span out of a story.
 */
import { segmentWords } from '../features';

// A Thai name right after a marker runs to the next space, or to a word that starts the rest of the sentence.
const NAME = '[\\u0E01-\\u0E4E]+(?:\\s[\\u0E01-\\u0E4E]+)?';
const THAI = '[\\u0E01-\\u0E4E]';
const NUMBER = '\\d{1,3}(?:/\\d{1,4})?';
const MARKERS = [
  `(?:หมู่ที่|หมู่|ม\\.)\\s*${NUMBER}`,
  `(?:ตำบล|(?<!${THAI})ต\\.)\\s*${NAME}`,
  `(?:อำเภอ|(?<!${THAI})อ\\.)\\s*${NAME}`,
  `(?:จังหวัด|(?<!${THAI})จ\\.)\\s*${NAME}`,
  // "ไฟถนนดับ" is a street light, not a street: these markers start a word.
  `(?<!${THAI})(?:ชุมชน|ซอย|ซ\\.|ถนน|ถ\\.|หมู่บ้าน)\\s*(?:${NUMBER}|${NAME})`,
  `บ้าน${NAME}`,
];
const MARKER = new RegExp(MARKERS.join('|'), 'gu');
// "บ้าน" is mostly "house" ("หน้าบ้าน", "บ้านผม"); it names a village only before another marker or with a name
// that starts like a village name does.
const VILLAGE_START = /^บ้าน(?:โนน|นา|หนอง|ดอน|โคก|ห้วย|ท่า|ป่า|บ่อ|คำ|ทุ่ง|สวน|วัง|เหล่า|ดง|หัว|ปาก|แม่|โพธิ์|โพน|สัน|ใหม่|เก่า|กลาง|หลวง|น้ำ|เขา|ไร่|หาด|แก่ง|หลัก|ม่วง|ตาล|กุด|นาง|ศรี|สระ|โพ|ยาง|ไผ่|แพ|หัวย|เชียง|ปง|บึง|ลาด|คลอง)/;
const NOT_A_NAME = new Set('ที่ ไม่ มี มา ได้ เป็น แล้ว ค่ะ ครับ คะ นะ จ้า ของ และ กับ ก็ จะ ยัง ให้ ไป ซึ่ง ตรง ใกล้ แถว เลย ด้วย ทุก มัก อยู่ ดับ พัง เป็น มืด แตก ช่วย ถูก โดน ใน หน้า หลัง ข้าง เส้น สาย หมู่บ้าน ชำรุด เสีย'.split(' '));

/** Cuts a name where the sentence goes on: at the first non-name word ICU finds ("ถนนพังหมด" names nothing). */
function trimName(marker: string, span: string): string {
  const name = span.slice(marker.length).replace(/^\s+/, '');
  if (name === '' || /^\d/.test(name)) return span;
  const words = segmentWords(name.split(/\s/)[0]!);
  let kept = '';
  for (let i = 0; i < words.length; i++) {
    if (NOT_A_NAME.has(words[i]!)) break;
    kept += words[i];
  }
  return span.slice(0, span.length - name.length) + kept;
}

const MARKER_WORD = /^(หมู่ที่|หมู่บ้าน|หมู่|ม\.|ตำบล|ต\.|อำเภอ|อ\.|จังหวัด|จ\.|ชุมชน|ซอย|ซ\.|ถนน|ถ\.|บ้าน)/;

export function findPlace(cleaned: string): string | undefined {
  const spans: { start: number; end: number; text: string; village: boolean }[] = [];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(cleaned); m !== null; m = MARKER.exec(cleaned)) {
    // A second marker swallowed as a name ("ต.คำป่าหลาย อ.ดอนตาล" must stay two spans): cut at the space.
    let text = m[0];
    const space = text.search(/\s[\u0E01-\u0E4E]/);
    if (space > 0 && !/^(หมู่|ม\.)/.test(text)) {
      const tail = text.slice(space + 1);
      if (MARKER_WORD.test(tail) || NOT_A_NAME.has(segmentWords(tail)[0] ?? '')) text = text.slice(0, space);
    }
    const marker = MARKER_WORD.exec(text)?.[0] ?? '';
    text = trimName(marker, text);
    if (text.replace(marker, '').trim() === '') continue;
    spans.push({ start: m.index, end: m.index + text.length, text, village: marker === 'บ้าน' });
    MARKER.lastIndex = m.index + text.length;
  }
  // Join neighbours separated only by spaces or commas; a lone "บ้าน..." must be village-like or joined.
  const groups: (typeof spans)[] = [];
  for (const s of spans) {
    const last = groups.at(-1)?.at(-1);
    if (last && /^[\s,]*$/.test(cleaned.slice(last.end, s.start))) groups.at(-1)!.push(s);
    else groups.push([s]);
  }
  // An administrative name (หมู่, ต., อ., จ.) says more than a street or a village alone: the group with most of them wins.
  let best: (typeof spans) | undefined;
  let bestScore = -1;
  for (const g of groups) {
    if (g.length === 1 && g[0]!.village && !VILLAGE_START.test(g[0]!.text)) continue;
    const score = g.filter((s) => ADMIN.test(s.text)).length;
    if (score > bestScore) [best, bestScore] = [g, score];
  }
  return best ? cleaned.slice(best[0]!.start, best.at(-1)!.end).trim() : undefined;
}

const ADMIN = /^(หมู่ที่|หมู่(?!บ้าน)|ม\.|ตำบล|ต\.|อำเภอ|อ\.|จังหวัด|จ\.)/;
