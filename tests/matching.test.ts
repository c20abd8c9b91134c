import { describe, expect, it } from 'vitest';
import { recognizeCommand, recognizeCommandPostback, type GlobalCommand } from '../flows/matching/commands';
import { scoreIntents, type IntentKeywords } from '../flows/matching/terms';

/** The best-scoring term set, or null: ties go to the set listed first. */
const matchIntent = (text: string, sets: readonly IntentKeywords[]) => scoreIntents(text, sets)[0] ?? null;
import { segmentWords } from '../flows/matching/segment';

describe('segmentWords', () => {
  const cases: Array<[name: string, input: string, expected: string[]]> = [
    ['splits an unspaced Thai sentence into words', 'อยากร้องเรียนเรื่องไฟถนน', ['อยาก', 'ร้อง', 'เรียน', 'เรื่อง', 'ไฟ', 'ถนน']],
    ['drops spaces between Thai words', 'ไฟ ถนน', ['ไฟ', 'ถนน']],
    ['lower-cases Latin words', 'Main MENU', ['main', 'menu']],
    ['drops punctuation', 'help!!!', ['help']],
    ['drops question marks and commas', 'track, please?', ['track', 'please']],
    ['keeps ASCII digits as a word', 'เลข 123', ['เลข', '123']],
    ['keeps Thai digits as written', '๑๒๓', ['๑๒๓']],
    ['returns nothing for an empty string', '', []],
    ['returns nothing for whitespace only', '   \n\t ', []],
    ['returns nothing for punctuation only', '?!.,', []],
    ['handles mixed Thai and English', 'แจ้งปัญหา complain', ['แจ้ง', 'ปัญหา', 'complain']],
    ['keeps a particle as its own word', 'ยกเลิกครับ', ['ยกเลิก', 'ครับ']],
    ['segments a single Thai word', 'ติดตาม', ['ติดตาม']],
    ['keeps emoji out', 'เมนู 🙏', ['เมนู']],
    ['splits on line breaks', 'ติดตาม\nสถานะ', ['ติดตาม', 'สถานะ']],
    ['lower-cases mixed-case English sentence', 'I Want To Complain', ['i', 'want', 'to', 'complain']],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(segmentWords(input)).toEqual(expected);
  });
});

describe('matchIntent', () => {
  const intents: IntentKeywords[] = [
    { id: 'complaint', keywords: ['ร้องเรียน', 'ร้องทุกข์', 'แจ้งปัญหา', 'complain'] },
    { id: 'track', keywords: ['ติดตาม', 'สถานะ', 'track'] },
    { id: 'streetlight', keywords: ['ไฟถนน', 'street light'] },
  ];
  const cases: Array<[name: string, input: string, expected: string | null]> = [
    ['finds a complaint in an unspaced Thai sentence', 'อยากร้องเรียนเรื่องไฟถนนดับหน้าบ้าน', 'complaint'],
    ['finds a single Thai keyword', 'ร้องทุกข์', 'complaint'],
    ['matches a multi-word keyword split by the segmenter', 'แจ้งปัญหาค่ะ', 'complaint'],
    ['matches a Thai keyword typed with a space inside', 'ร้อง เรียน', 'complaint'],
    ['matches English keywords case-insensitively', 'I want to COMPLAIN', 'complaint'],
    ['prefers the intent with more matched keywords', 'ติดตามสถานะเรื่องร้องเรียน', 'track'],
    ['ignores trailing particles', 'ติดตามครับ', 'track'],
    ['matches after Thai digits are normalized', 'ติดตามเรื่อง ๑๒๓', 'track'],
    ['matches an English multi-word keyword', 'the Street Light is broken', 'streetlight'],
    ['breaks ties by intent order', 'track complain', 'complaint'],
    ['matches a keyword found only as a substring of unsegmented Thai', 'ไฟถนนดับ', 'streetlight'],
    ['returns null when nothing matches', 'สวัสดีครับ', null],
    ['returns null for an empty message', '', null],
    ['returns null for whitespace only', '   ', null],
    ['does not match an English keyword inside a longer word', 'racetrack', null],
    ['does not match half of a multi-word English keyword', 'street food', null],
    ['returns null when there are no intents', '__no_intents__', null],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    const list = input === '__no_intents__' ? [] : intents;
    const text = input === '__no_intents__' ? 'ร้องเรียน' : input;
    expect(matchIntent(text, list)?.id ?? null).toBe(expected);
  });

  it('counts a multi-segment keyword once', () => {
    expect(matchIntent('ร้องเรียน', intents)).toEqual({ id: 'complaint', score: 1 });
    expect(matchIntent('track', intents)).toEqual({ id: 'track', score: 1 });
  });

  it('sums the scores of distinct matched keywords', () => {
    expect(matchIntent('ติดตามสถานะ', intents)).toEqual({ id: 'track', score: 2 });
  });

  it('prefers a later intent only when it scores strictly higher', () => {
    const tied = [
      { id: 'a', keywords: ['ไฟ'] },
      { id: 'b', keywords: ['ถนน'] },
    ];
    expect(matchIntent('ไฟถนน', tied)?.id).toBe('a');
  });
});

describe('recognizeCommand', () => {
  const cases: Array<[name: string, input: string, expected: GlobalCommand | null]> = [
    ['recognizes Thai cancel', 'ยกเลิก', 'cancel'],
    ['recognizes cancel with a polite particle', 'ยกเลิกครับ', 'cancel'],
    ['recognizes cancel with a spaced particle and punctuation', 'ยกเลิก ค่ะ!!', 'cancel'],
    ['recognizes "ไม่เอาแล้ว" as cancel', 'ไม่เอาแล้วค่ะ', 'cancel'],
    ['recognizes mixed-case English stop', 'StOp', 'cancel'],
    ['recognizes back in Thai', 'ย้อนกลับ', 'back'],
    ['recognizes short back "กลับ"', 'กลับนะคะ', 'back'],
    ['recognizes English back with surrounding spaces', '  BACK  ', 'back'],
    ['recognizes main menu in Thai', 'เมนูหลัก', 'menu'],
    ['recognizes main menu with a space in Thai', 'เมนู หลัก', 'menu'],
    ['recognizes English main menu in mixed case', 'Main Menu', 'menu'],
    ['recognizes help in Thai', 'ช่วยเหลือ', 'help'],
    ['recognizes how-to as help', 'วิธีใช้', 'help'],
    ['recognizes English help with a question mark', 'help?', 'help'],
    ['treats the plea "ช่วยด้วย" as a request for an officer', 'ช่วยด้วยครับ', 'officer'],
    ['recognizes a request to talk to a person', 'ขอคุยกับคน', 'officer'],
    ['recognizes contacting an officer', 'ติดต่อเจ้าหน้าที่ค่ะ', 'officer'],
    ['recognizes English human', 'Human', 'officer'],
    ['recognizes English as a language switch', 'ENGLISH', 'language'],
    ['recognizes Thai language switch', 'ภาษาไทยครับ', 'language'],
    ['recognizes full-width Latin letters', 'ｍｅｎｕ', 'menu'],
    ['ignores zero-width characters', 'ยก\u200Bเลิก', 'cancel'],
    ['rejects cancel inside a longer request', 'ยกเลิกเรื่องที่ร้องเรียนไว้', null],
    ['rejects menu inside an English sentence', 'show me the menu', null],
    ['rejects a number', '๑๒๓', null],
    ['rejects an empty message', '', null],
    ['rejects a bare particle', 'ครับ', null],
    ['rejects an unknown word', 'สวัสดี', null],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(recognizeCommand(input)).toBe(expected);
  });
});

describe('recognizeCommandPostback', () => {
  const cases: Array<[name: string, input: string, expected: GlobalCommand | null]> = [
    ['reads cancel', 'cmd=cancel', 'cancel'],
    ['reads back', 'cmd=back', 'back'],
    ['reads menu', 'cmd=menu', 'menu'],
    ['reads help', 'cmd=help', 'help'],
    ['reads officer', 'cmd=officer', 'officer'],
    ['reads language', 'cmd=language', 'language'],
    ['accepts upper-case values', 'cmd=MENU', 'menu'],
    ['accepts other parameters after cmd', 'cmd=back&step=2', 'back'],
    ['accepts other parameters before cmd', 'flow=complaint&cmd=cancel', 'cancel'],
    ['tolerates surrounding whitespace', '  cmd=help  ', 'help'],
    ['rejects an unknown command', 'cmd=delete', null],
    ['rejects an empty command', 'cmd=', null],
    ['rejects data without cmd', 'action=cancel', null],
    ['rejects a bare command word', 'cancel', null],
    ['rejects empty data', '', null],
    ['rejects a Thai phrase as value', 'cmd=ยกเลิก', null],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(recognizeCommandPostback(input)).toBe(expected);
  });
});
