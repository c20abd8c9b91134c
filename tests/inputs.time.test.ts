import { describe, expect, it } from 'vitest';
import { parseTime } from '../flows/inputs';

describe('parseTime accepts clock times', () => {
  it.each([
    ['24-hour with a colon', '14:30', 14, 30],
    ['24-hour with a dot', '14.30', 14, 30],
    ['the Thai น. suffix', '14.30 น.', 14, 30],
    ['น. without its dot', '9.15 น', 9, 15],
    ['นาฬิกา and นาที', '14 นาฬิกา 30 นาที', 14, 30],
    ['นาฬิกา alone', '14 นาฬิกา', 14, 0],
    ['a whole hour with น.', '8 น.', 8, 0],
    ['a leading zero and a เวลา prefix', 'เวลา 09:05', 9, 5],
    ['Thai digits with a particle', '๑๔.๓๐ น. ครับ', 14, 30],
    ['Thai digits with a colon', '๐๘:๔๕', 8, 45],
    ['midnight as 0:00', '0:00', 0, 0],
    ['midnight as 24.00 น.', '24.00 น.', 0, 0],
    ['one minute to midnight', '23:59', 23, 59],
    ['spaces around the colon', '14 : 30', 14, 30],
    ['2pm', '2pm', 14, 0],
    ['2 PM in capitals', '2 PM', 14, 0],
    ['2:30 pm', '2:30 pm', 14, 30],
    ['p.m. with dots', '2.30 p.m.', 14, 30],
    ['9am', '9am', 9, 0],
    ['12am is midnight', '12am', 0, 0],
    ['12pm is noon', '12 pm', 12, 0],
    ['noon', 'noon', 12, 0],
    ['midnight', 'Midnight', 0, 0],
    ['an "at" prefix', 'at 3:15 pm', 15, 15],
  ])('%s', (_name, input, hour, minute) => {
    expect(parseTime(input)).toEqual({ ok: true, value: { hour, minute } });
  });
});

describe('parseTime accepts the Thai colloquial clock', () => {
  it.each([
    ['ตี1', 'ตี1', 1, 0],
    ['ตี 3 with a space', 'ตี 3', 3, 0],
    ['ตีห้าครึ่ง in words', 'ตีห้าครึ่ง', 5, 30],
    ['โมงเช้า alone is 7', 'โมงเช้า', 7, 0],
    ['สองโมงเช้า counts from six', 'สองโมงเช้า', 8, 0],
    ['8 โมงเช้า is already a morning hour', '8 โมงเช้า', 8, 0],
    ['เก้าโมงเช้าครับ', 'เก้าโมงเช้าครับ', 9, 0],
    ['a bare 10 โมง', '10 โมง', 10, 0],
    ['10 โมงครึ่ง', '10 โมงครึ่ง', 10, 30],
    ['10 โมง 15 นาที', '10 โมง 15 นาที', 10, 15],
    ['minutes in words', 'สิบโมงสิบห้านาที', 10, 15],
    ['เที่ยง', 'เที่ยง', 12, 0],
    ['เที่ยงวัน', 'เที่ยงวัน', 12, 0],
    ['เที่ยงครึ่ง', 'เที่ยงครึ่ง', 12, 30],
    ['บ่ายโมง', 'บ่ายโมง', 13, 0],
    ['บ่ายสองโมง', 'บ่ายสองโมง', 14, 0],
    ['บ่าย 2 โมง with digits', 'บ่าย 2 โมง', 14, 0],
    ['บ่ายสอง without โมง', 'บ่ายสอง', 14, 0],
    ['บ่ายสามโมงครึ่ง', 'บ่ายสามโมงครึ่ง', 15, 30],
    ['4 โมงเย็น', '4 โมงเย็น', 16, 0],
    ['สี่โมงเย็นค่ะ', 'สี่โมงเย็นค่ะ', 16, 0],
    ['หกโมงเย็น', 'หกโมงเย็น', 18, 0],
    ['1 ทุ่ม', '1 ทุ่ม', 19, 0],
    ['ทุ่มนึง', 'ทุ่มนึง', 19, 0],
    ['สองทุ่มครึ่ง', 'สองทุ่มครึ่ง', 20, 30],
    ['5 ทุ่ม', '5 ทุ่ม', 23, 0],
    ['หกทุ่ม is midnight', 'หกทุ่ม', 0, 0],
    ['เที่ยงคืน', 'เที่ยงคืนนะคะ', 0, 0],
    ['a ประมาณ prefix', 'ประมาณบ่ายสามโมง', 15, 0],
  ])('%s', (_name, input, hour, minute) => {
    expect(parseTime(input)).toEqual({ ok: true, value: { hour, minute } });
  });
});

describe('parseTime refuses', () => {
  it.each([
    ['an empty answer', '', 'empty'],
    ['only a particle', 'ครับ', 'empty'],
    ['hour 25', '25:00', 'out_of_range'],
    ['minute 61', '14:61', 'out_of_range'],
    ['24:30', '24:30', 'out_of_range'],
    ['13pm', '13pm', 'out_of_range'],
    ['0am', '0 am', 'out_of_range'],
    ['ตี 7, past the night hours', 'ตี 7', 'out_of_range'],
    ['8 ทุ่ม', '8 ทุ่ม', 'out_of_range'],
    ['เจ็ดโมงเย็น', 'เจ็ดโมงเย็น', 'out_of_range'],
    ['a bare สองโมง, morning or afternoon', 'สองโมง', 'ambiguous'],
    ['a bare 5 โมง', '5 โมง', 'ambiguous'],
    ['a bare number', '14', 'format'],
    ['บ่าย alone, a part of the day', 'บ่าย', 'format'],
    ['a single-digit minute', '14:5', 'format'],
    ['a range', '14:00-15:00', 'format'],
    ['a date', '25/11/2568', 'format'],
    ['a day word', 'พรุ่งนี้', 'format'],
    ['nonsense', 'abc', 'format'],
    ['a sentence', 'ไม่แน่ใจครับ', 'format'],
  ])('%s', (_name, input, reason) => {
    expect(parseTime(input)).toEqual({ ok: false, reason });
  });
});
