import { describe, expect, it } from 'vitest';
import { findTrackingNumbers } from '../../language/facts/tracking';
import { findWhen } from '../../language/facts/when';
import { findAbout } from '../../language/facts/about';
import { findPlace } from '../../language/facts/place';
import { asksAnonymity } from '../../language/facts/anonymous';
import { cleanChars } from '../../language/normalize';

// 15 Jan 2026, 10:00 in Bangkok.
const NOW = Date.UTC(2026, 0, 15, 3, 0);

describe('tracking numbers are found in every shape people type them', () => {
  it.each([
    ['MDH-2569-000123-4', 'MDH-2569-000123-4'],
    ['mdh-2569-000123-4', 'MDH-2569-000123-4'],
    ['MDH 2569 000123 4', 'MDH-2569-000123-4'],
    ['MDH25690001234', 'MDH-2569-000123-4'],
    ['MDH-๒๕๖๙-๐๐๐๑๒๓-๔', 'MDH-2569-000123-4'],
    ['เรื่องเลขที่MDH-2569-000123-4ถึงไหนแล้วคะ', 'MDH-2569-000123-4'],
    ['ขอเพิ่มข้อมูลเรื่อง bkk–2568–004567–0 ค่ะ', 'BKK-2568-004567-0'],
    ['เลข NR.2570.123456.9', 'NR-2570-123456-9'],
    ['TRACK-2569-000001-1', 'TRACK-2569-000001-1'],
  ])('%s → %s', (text, canonical) => {
    expect(findTrackingNumbers(text)[0]?.canonical).toBe(canonical);
  });

  it.each([
    ['a phone number', 'โทร 0812345678'],
    ['a year outside 25xx', 'MDH-2026-000123-4'],
    ['a sequence too short', 'MDH-2569-00123-4'],
    ['a longer digit run', 'MDH-2569-000123-45'],
    ['a prefix inside a longer word', 'ABCDEFMDH-2569-000123-4'],
  ])('ignores %s', (_, text) => {
    expect(findTrackingNumbers(text)).toEqual([]);
  });
});

describe('when: time phrases become a Bangkok date and an ongoing flag', () => {
  it.each([
    ['ไฟดับเมื่อวาน', 'เมื่อวาน', '2026-01-14', false],
    ['เมื่อคืนมีคนมายิงปืน', 'เมื่อคืน', '2026-01-14', false],
    ['เมื่อเช้ารถขยะไม่มา', 'เมื่อเช้า', '2026-01-15', false],
    ['วันนี้น้ำไม่ไหล', 'วันนี้', '2026-01-15', false],
    ['เมื่อวานซืนโดนโกง', 'เมื่อวานซืน', '2026-01-13', false],
    ['แจ้งไป 3 วันแล้ว', '3 วันแล้ว', '2026-01-12', false],
    ['เกิดเหตุ 3 วันก่อน', '3 วันก่อน', '2026-01-12', false],
    ['ไฟดับมา 3 วันแล้ว', 'มา 3 วันแล้ว', '2026-01-12', true],
    ['น้ำไม่ไหลมาสามวัน', 'มาสามวัน', '2026-01-12', true],
    ['สัปดาห์ที่แล้วมีคนมาขู่', 'สัปดาห์ที่แล้ว', '2026-01-08', false],
    ['อาทิตย์ก่อนไปแจ้งแล้ว', 'อาทิตย์ก่อน', '2026-01-08', false],
    ['เดือนที่แล้วเบี้ยไม่เข้า', 'เดือนที่แล้ว', '2025-12-15', false],
    ['เกิดเหตุวันที่ 5 ธ.ค. 68', '5 ธ.ค. 68', '2025-12-05', false],
    ['5 ธันวาคม 2568 มีคนมาทวงหนี้', '5 ธันวาคม 2568', '2025-12-05', false],
    ['เมื่อ 5/12/2568', '5/12/2568', '2025-12-05', false],
    ['on 5 dec 2025 they came', '5 dec 2025', '2025-12-05', false],
    ['they cut the water yesterday', 'yesterday', '2026-01-14', false],
    ['loud music last night', 'last night', '2026-01-14', false],
    ['no water for 3 days', 'for 3 days', '2026-01-12', true],
  ])('%s', (text, phrase, date, ongoing) => {
    expect(findWhen(cleanChars(text), NOW)).toEqual({ phrase, date, ongoing });
  });

  it.each([
    ['ร้านเปิดเพลงดังทุกคืน', 'ทุกคืน'],
    ['รถบรรทุกวิ่งผ่านทุกวัน', 'ทุกวัน'],
    ['เสียงดังตลอดเวลา', 'ตลอดเวลา'],
    ['ไฟดับบ่อยๆ', 'บ่อยๆ'],
    ['มีคนมาทวงหนี้เป็นประจำ', 'เป็นประจำ'],
    ['they party every night', 'every night'],
  ])('%s is ongoing, with no date', (text, phrase) => {
    expect(findWhen(cleanChars(text), NOW)).toEqual({ phrase, ongoing: true });
  });

  it('a date without a year is the latest one already past', () => {
    expect(findWhen('เกิดเหตุ 20 ม.ค.', NOW)?.date).toBe('2025-01-20');
    expect(findWhen('เกิดเหตุ 10 ม.ค.', NOW)?.date).toBe('2026-01-10');
  });

  it('a subdistrict abbreviation is not a month ("5 ต.คำป่าหลาย")', () => {
    expect(findWhen('หมู่ 5 ต.คำป่าหลาย', NOW)).toBeUndefined();
  });

  it('a text without a time phrase has no when', () => {
    expect(findWhen('ถนนหน้าบ้านเป็นหลุม', NOW)).toBeUndefined();
  });
});

describe('about: who or what the story is about, as written', () => {
  it.each([
    ['ผู้ใหญ่บ้านเรียกเงิน 5000 บาท', 'ผู้ใหญ่บ้าน'],
    ['กำนันไม่ยอมออกหนังสือรับรอง', 'กำนัน'],
    ['นายก อบต. ไม่ซ่อมถนน', 'นายก อบต.'],
    ['แจ้ง อบต.แล้วไม่มีใครมา', 'อบต.'],
    ['เทศบาลไม่เก็บขยะ', 'เทศบาล'],
    ['ตำรวจไม่รับแจ้งความ', 'ตำรวจ'],
    ['เจ้าหน้าที่ อบต. พูดไม่สุภาพ', 'เจ้าหน้าที่ อบต.'],
    ['เจ้าหน้าที่ที่ดินเรียกเงินใต้โต๊ะ', 'เจ้าหน้าที่ที่ดิน'],
    ['นายจ้างไม่จ่ายค่าแรง', 'นายจ้าง'],
    ['ร้านคาราโอเกะเปิดเพลงดังทุกคืน', 'ร้านคาราโอเกะ'],
    ['โรงงานน้ำตาลปล่อยน้ำเสีย', 'โรงงานน้ำตาล'],
    ['เพื่อนบ้านเผาขยะ', 'เพื่อนบ้าน'],
    ['my employer did not pay me', 'employer'],
    ['the village head asked for money', 'village head'],
  ])('%s → %s', (text, about) => {
    expect(findAbout(cleanChars(text))).toBe(about);
  });

  it('a story naming no one has no about', () => {
    expect(findAbout('น้ำประปาไม่ไหลมาสามวันแล้ว')).toBeUndefined();
  });
});

describe('placeText: the words that name a place', () => {
  it.each([
    ['ที่บ้านโนนสว่าง หมู่ 5 ต.คำป่าหลาย ถนนพังหมด', 'บ้านโนนสว่าง หมู่ 5 ต.คำป่าหลาย'],
    ['ไฟดับที่ อ.ดอนตาล', 'อ.ดอนตาล'],
    ['อยู่ จ.มุกดาหาร ค่ะ', 'จ.มุกดาหาร'],
    ['หมู่ที่ 7 ตำบลนาสีนวน อำเภอเมือง จังหวัดมุกดาหาร น้ำท่วม', 'หมู่ที่ 7 ตำบลนาสีนวน อำเภอเมือง จังหวัดมุกดาหาร'],
    ['ม.3 ต.บางทรายใหญ่ มีบ่อน', 'ม.3 ต.บางทรายใหญ่'],
    ['ชุมชนหนองหญ้าปล้อง มีขยะเยอะ', 'ชุมชนหนองหญ้าปล้อง'],
    ['ซอยวัดป่า ไฟดับ', 'ซอยวัดป่า'],
  ])('%s → %s', (text, place) => {
    expect(findPlace(cleanChars(text))).toBe(place);
  });

  it.each([
    ['a house, not a village', 'หน้าบ้านผมมีขยะ'],
    ['a street light', 'ไฟถนนดับ'],
    ['no place at all', 'โดนโกงเงินออนไลน์'],
  ])('finds none in %s', (_, text) => {
    expect(findPlace(cleanChars(text))).toBeUndefined();
  });
});

describe('anonymous: the person asks not to be named', () => {
  it.each([
    'ไม่ประสงค์ออกนาม',
    'ไม่อยากเปิดเผยชื่อค่ะ',
    'ขอไม่เปิดเผยชื่อนะครับ',
    'ขอปกปิดชื่อผู้แจ้ง',
    'อย่าบอกว่าผมแจ้งนะ',
    'ไม่อยากให้เขารู้ว่าใครแจ้ง',
    "please don't tell my name",
    'I want to stay anonymous',
  ])('%s', (text) => {
    expect(asksAnonymity(text)).toBe(true);
  });

  it.each(['ผมชื่อสมชาย', 'อย่าบอกแม่นะ', 'tell them my name is Somchai'])('not: %s', (text) => {
    expect(asksAnonymity(text)).toBe(false);
  });
});
