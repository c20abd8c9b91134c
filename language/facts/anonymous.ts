/**
 * Whether the person asks not to be named. A miss exposes a whistle-blower, a false alarm only hides a name an
 * officer can still ask for, so the patterns lean wide.
 */
const THAI = new RegExp(
  [
    'ไม่ประสงค์(?:จะ)?(?:ออกนาม|เปิดเผย)',
    'ไม่(?:ขอ|อยาก|ต้องการ|ต้อง|สะดวก)?(?:ให้)?(?:เปิดเผย|ระบุ|บอก|แจ้ง|ใส่)(?:ชื่อ|ตัวตน|นาม)',
    'ไม่ออกนาม',
    '(?:ขอ)?(?:ปกปิด|ปิด|สงวน)(?:ชื่อ|ตัวตน|นาม)',
    'อย่า(?:บอก|เปิดเผย|ระบุ|ให้ใครรู้)(?:ชื่อ|ตัวตน|ว่า(?:ใคร|ผม|ฉัน|หนู|เรา|ดิฉัน)(?:เป็นคน)?แจ้ง)',
    'ไม่อยากให้(?:ใคร|เขา|คนอื่น)?รู้ว่า(?:ใคร|ผม|ฉัน|หนู|เรา|ดิฉัน)?(?:เป็นคน)?แจ้ง',
    'นิรนาม',
  ].join('|'),
);
const ENGLISH = /\banonym(?:ous(?:ly)?|ity)\b|\b(?:don'?t|do not|please don'?t|without)\s+(?:tell|reveal|give|share|using|use|mention)?\s*(?:my|me)?\s*(?:name|identity)\b|\bkeep\s+my\s+(?:name|identity)\s+(?:secret|private|hidden)\b/i;

export function asksAnonymity(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return THAI.test(compact) || ENGLISH.test(text);
}
