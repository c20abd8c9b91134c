/**
 * Who or what a story is about, as the person wrote it: an official ("ผู้ใหญ่บ้าน", "นายก อบต."), an office
 * ("อบต.", "เทศบาล"), an employer, a shop, a factory, a neighbour. The engine shows it back and an officer routes
 * by it, so the words are kept as written rather than mapped to a code. The first mention wins: people name the
 * party they complain about early.
 */
import { segmentWords } from '../features';

// Parties that are complete as written. Longest alternatives first, so "นายก อบต." wins over "อบต.".
const PARTIES = [
  'ผู้ช่วยผู้ใหญ่บ้าน', 'ผู้ใหญ่บ้าน', 'ผญบ.', 'ผญบ', 'กำนัน', 'นายก\\s*อบต\\.?', 'นายก\\s*อบจ\\.?', 'นายกเทศมนตรี', 'นายกเทศบาล',
  'นายก\\s*ทต\\.?', 'ปลัด\\s*อบต\\.?', 'ปลัดอำเภอ', 'นายอำเภอ', 'ผู้ว่า(?:ราชการจังหวัด|ฯ)?', 'สมาชิก\\s*อบต\\.?', 'ส\\.อบต\\.?', 'อบต\\.?',
  'อบจ\\.?', 'เทศบาล(?:ตำบล|เมือง|นคร)?', 'ทต\\.', 'สำนักงานเขต', 'ที่ว่าการอำเภอ', 'อำเภอ(?=\\s*(?:ไม่|ก็))', 'ตำรวจ(?:ทางหลวง|จราจร)?',
  'สภ\\.', 'สน\\.', 'โรงพัก', 'ทหาร', 'ข้าราชการ', 'ผู้อำนวยการ(?:โรงเรียน)?', 'ผอ\\.(?:โรงเรียน|รพ\\.สต\\.?)?', 'ครูใหญ่', 'ครู',
  'รพ\\.สต\\.?', 'โรงพยาบาล', 'รพ\\.', 'หมอ', 'พยาบาล', 'อสม\\.?', 'สำนักงานที่ดิน', 'ที่ดินอำเภอ', 'ที่ดินจังหวัด', 'การไฟฟ้า(?:ส่วนภูมิภาค|นครหลวง)?',
  'กฟภ\\.?', 'กฟน\\.?', 'การประปา(?:ส่วนภูมิภาค|นครหลวง)?', 'กปภ\\.?', 'ประปาหมู่บ้าน', 'ธ\\.ก\\.ส\\.?', 'ธกส', 'ธนาคาร', 'สหกรณ์',
  'นายจ้าง', 'หัวหน้างาน', 'หัวหน้า', 'เถ้าแก่', 'เจ้านาย', 'ผู้รับเหมา', 'เจ้าหนี้', 'นายทุน', 'แก๊งคอลเซ็นเตอร์', 'แก๊ง\\S*',
  'เพื่อนบ้าน', 'บ้านข้างๆ', 'บ้านข้าง ๆ', 'ข้างบ้าน', 'บ้านตรงข้าม', 'คนข้างบ้าน', 'วินมอเตอร์ไซค์',
  'ร้านค้า', 'ร้านเหล้า', 'ร้านเกม',
];
// Parties named by a head noun and the word after it: "ร้านคาราโอเกะ", "โรงงานน้ำตาล", "เจ้าหน้าที่ อบต.".
const HEADS = ['เจ้าหน้าที่', 'ร้าน', 'โรงงาน', 'บริษัท', 'ฟาร์ม', 'เจ้าของ', 'โรงโม่', 'บ่อ', 'คลินิก', 'สถานบันเทิง', 'ผับ'];
const ENGLISH = /\b(?:(?:the|my|our)\s+)?(village head(?:man)?|police(?:man|men)?|officials?|officers?|mayor|employer|boss|landlord|neighbou?rs?|factory|shop|company|school|hospital|contractor|loan sharks?|debt collectors?)\b/i;

const PARTY = new RegExp(`(?:${[...PARTIES, ...HEADS].sort((a, b) => b.length - a.length).join('|')})`, 'u');
// Words that end a head's name: verbs and particles that follow the party in a story.
const STOP = new Set(
  'ที่ ไม่ มา ได้ มี ทำ ส่ง ให้ จะ ก็ ไป ยัง แล้ว ชอบ ซึ่ง ด้วย ค่ะ ครับ คะ นะ เลย มัก ทุก ตั้ง เอา โกง ไล่ ด่า เก็บ เปิด ปล่อย ขาย เรียก พูด ใช้ อยู่ ข้าง แถว ใกล้ ตรง หน้า หลัง ของ เป็น คือ และ กับ หรือ แต่ เขา เค้า นี้ นั้น โดน ถูก บอก'.split(' '),
);

/** Heads that name a party on their own ("โรงงาน ส่งกลิ่น"); the others need a name ("บ่อ" is a hole, "บ่อขยะ" a party). */
const ALONE = new Set(['เจ้าหน้าที่', 'โรงงาน', 'บริษัท', 'ฟาร์ม', 'คลินิก', 'สถานบันเทิง', 'ผับ', 'โรงโม่']);
const PARTIES_G = new RegExp(PARTY.source, 'gu');

export function findAbout(cleaned: string): string | undefined {
  const en = ENGLISH.exec(cleaned);
  PARTIES_G.lastIndex = 0;
  for (let m = PARTIES_G.exec(cleaned); m !== null; m = PARTIES_G.exec(cleaned)) {
    if (en && en.index < m.index) return en[1];
    const found = partyAt(cleaned, m[0], m.index);
    if (found) return found;
  }
  return en?.[1];
}

function partyAt(cleaned: string, party: string, index: number): string | undefined {
  if (!HEADS.includes(party)) return party.trim();
  // A head takes the next word (or a known party after a space: "เจ้าหน้าที่ อบต.").
  const rest = cleaned.slice(index + party.length);
  const after = /^\s*/.exec(rest)![0];
  const known = PARTY.exec(rest);
  if (known && known.index === after.length) return `${party}${after}${known[0]}`.trim();
  const alone = ALONE.has(party) ? party : undefined;
  if (after.length > 0) return alone;
  const next = segmentWords(rest.slice(0, 40))[0];
  if (next === undefined || STOP.has(next) || !rest.startsWith(next)) return alone;
  return party + next;
}
