import { describe, expect, it } from 'vitest';
import { parsePhone } from '../flows/inputs';

describe('parsePhone accepts', () => {
  it.each([
    ['a mobile starting 08', '0812345678', '+66812345678'],
    ['a mobile starting 09', '0991234567', '+66991234567'],
    ['a mobile starting 06', '0612345678', '+66612345678'],
    ['a mobile written 3-3-4 with dashes', '081-234-5678', '+66812345678'],
    ['a mobile written 3-3-4 with spaces', '081 234 5678', '+66812345678'],
    ['a mobile written 2-4-4', '08 1234 5678', '+66812345678'],
    ['a mobile with the area in parentheses', '(081) 234-5678', '+66812345678'],
    ['a mobile in Thai digits', '๐๘๑๒๓๔๕๖๗๘', '+66812345678'],
    ['a mobile in Thai digits with dashes', '๐๘๑-๒๓๔-๕๖๗๘', '+66812345678'],
    ['a mobile followed by ครับ', '0812345678ครับ', '+66812345678'],
    ['a mobile followed by " ค่ะ"', '081-234-5678 ค่ะ', '+66812345678'],
    ['+66 without the leading 0', '+66812345678', '+66812345678'],
    ['+66 with spaces', '+66 81 234 5678', '+66812345678'],
    ['+66 with a stray (0)', '+66 (0)81 234 5678', '+66812345678'],
    ['+66 with the 0 kept', '+660812345678', '+66812345678'],
    ['0066 international prefix', '0066812345678', '+66812345678'],
    ['66 without a plus', '66812345678', '+66812345678'],
    ['a Bangkok landline', '021234567', '+6621234567'],
    ['a Bangkok landline with dashes', '02-123-4567', '+6621234567'],
    ['a Mukdahan landline (042)', '042-611-234', '+6642611234'],
    ['a Chiang Mai landline (053)', '053 123 456', '+6653123456'],
    ['a Phuket landline (076)', '076-123-456', '+6676123456'],
    ['a Chonburi landline (038)', '038123456', '+6638123456'],
    ['a landline in +66 form', '+66 42 611 234', '+6642611234'],
    ['full-width digits', '０８１２３４５６７８', '+66812345678'],
    ['dots as separators', '081.234.5678', '+66812345678'],
  ])('%s', (_name, input, expected) => {
    expect(parsePhone(input)).toEqual({ ok: true, value: expected });
  });
});

describe('parsePhone refuses', () => {
  it.each([
    ['an empty answer', '', 'empty'],
    ['only a particle', 'ค่ะ', 'empty'],
    ['a mobile one digit short', '081234567', 'too_short'],
    ['a mobile one digit long', '08123456789', 'too_long'],
    ['a landline one digit short', '02123456', 'too_short'],
    ['a landline one digit long', '0421234567', 'too_long'],
    ['+66 mobile one digit short', '+6681234567', 'too_short'],
    ['a number without the leading 0', '812345678', 'unknown_prefix'],
    ['a hotline', '1567', 'unknown_prefix'],
    ['a 01 prefix', '0112345678', 'unknown_prefix'],
    ['a foreign number', '+14155550123', 'foreign'],
    ['a 00 foreign number', '00856201234567', 'foreign'],
    ['letters', '081-ABC-5678', 'not_a_phone'],
    ['a Thai sentence', 'ไม่สะดวกให้เบอร์', 'not_a_phone'],
    ['a plus in the middle', '081+2345678', 'not_a_phone'],
    ['a label before the number', 'โทร 0812345678', 'not_a_phone'],
    ['an extension', '02-123-4567 ต่อ 12', 'not_a_phone'],
  ])('%s', (_name, input, reason) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason });
  });
});
