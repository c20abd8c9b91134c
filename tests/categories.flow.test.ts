/**
 * The shipped complaint flow asks what the chosen category's rules say, on the pure engine: the same flow, given
 * another list, asks consent, offers anonymity or asks the national ID for a category that does; a wish to stay
 * anonymous is not taken where a name is needed; a category changed at the summary asks what it needs before the
 * summary comes back; a flow with category conditions does not run without the list. (Through the real server and
 * the LINE emulator, with categories an admin made: tests/categories.chat.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { filedUnder, SHIPPED_CATEGORIES, type CaseCategory } from '../categories';
import { CONDITIONS } from '../flows/registry/conditions';
import { initialState, step, type ConversationState, type EngineContext, type EngineInput, type PendingAction } from '../flows/engine';
import { DEFAULT_CLOCK, engineContext, shippedFlows } from './support/engine-run';
import { shown } from './support/transcript';

const rules = (code: string, r: Partial<CaseCategory>): CaseCategory[] => SHIPPED_CATEGORIES.map((c) => (c.code === code ? { ...c, ...r } : c));
const NATIONAL_ID = '1-1017-00230-70-8';

/** A chat on the pure engine with a given category list; each turn returns the bot's texts, and the actions reached. */
function chat(categories: readonly CaseCategory[] | undefined) {
  const ctx: EngineContext = { ...engineContext(shippedFlows(), DEFAULT_CLOCK) };
  if (categories) ctx.categories = categories;
  else delete ctx.categories;
  let state: ConversationState = initialState('th', DEFAULT_CLOCK);
  const actions: PendingAction[] = [];
  const turn = (input: EngineInput): string[] => {
    let r = step(state, input, ctx);
    const texts = r.messages.map((m) => shown(m).text);
    while (r.action) {
      actions.push(r.action);
      r = step(r.state, { type: 'outcome', outcome: 'ok' }, ctx);
      texts.push(...r.messages.map((m) => shown(m).text));
    }
    state = r.state;
    return texts;
  };
  const say = (text: string) => turn({ type: 'text', text });
  return { say, turn, actions, state: () => state };
}

const ASK = {
  consent: expect.stringMatching(/^เรื่องประเภทนี้อาจมีข้อมูลอ่อนไหว/),
  story: 'กรุณาเล่าเหตุการณ์ที่เกิดขึ้นค่ะ เกิดอะไรขึ้น กับใคร และต้องการให้ช่วยเรื่องใด',
  anonymous: 'ต้องการแจ้งแบบไม่ระบุตัวตนหรือไม่คะ',
  nationalId: 'เรื่องประเภทนี้ต้องใช้เลขประจำตัวประชาชน 13 หลักของผู้ร้องค่ะ (เก็บแบบเข้ารหัส)',
  address: 'ที่อยู่ที่ติดต่อได้ของท่านคะ (บ้านเลขที่ หมู่ ตำบล อำเภอ จังหวัด)',
  namedOnly: expect.stringMatching(/^เรื่องประเภทนี้ต้องระบุชื่อผู้ร้องค่ะ/),
  confirm: 'ตรวจสอบแล้วส่งเรื่องได้เลยค่ะ หรือกด "แก้ไข" เพื่อเปลี่ยนคำตอบข้อใดข้อหนึ่ง',
};

/** From the story to the phone number, as any complaint goes; returns what the bot said after the phone. */
function tellAndGiveContact(c: ReturnType<typeof chat>): string[] {
  c.say('ไฟถนนหน้าบ้านดับมา 3 คืนแล้ว มืดมาก กลัวอันตรายค่ะ');
  c.turn({ type: 'location', latitude: 16.5453, longitude: 104.7235, title: 'ตลาดอินโดจีน', address: 'Mukdahan' });
  c.say('ใช่');
  c.say('เมื่อวาน');
  c.say('การไฟฟ้าส่วนภูมิภาค');
  c.say('ขอให้มาซ่อมไฟถนน');
  c.say('ไม่มี');
  c.say('สมศรี ใจดี');
  return c.say('081-234-5678');
}

describe("the category's rules, read from the list", () => {
  it('take an unknown, retired or unchosen code as the default category, as filing does', () => {
    const list = rules('suggestion', { retiredAt: 1 });
    expect(filedUnder(list, 'justice')?.code).toBe('justice');
    expect(filedUnder(list, 'suggestion')?.code).toBe('complaint');
    expect(filedUnder(list, 'nope')?.code).toBe('complaint');
    expect(filedUnder(list, undefined)?.code).toBe('complaint');
    const consent = rules('complaint', { consentRequired: true });
    expect(CONDITIONS['category.consentRequired']!({}, { slots: { category: 'nope' }, locale: 'th', now: 0, categories: consent })).toBe(true);
    expect(CONDITIONS['category.nationalIdRequired']!({ slot: 'kind' }, { slots: { kind: 'justice' }, locale: 'th', now: 0, categories: SHIPPED_CATEGORIES })).toBe(true);
  });

  it('are not guessed without the list: the flow stops with where and why', () => {
    const c = chat(undefined);
    c.say('ร้องเรียน/แจ้งเรื่อง');
    expect(() => c.say('ข้อเสนอแนะ')).toThrow(/complaint@4\/routeCategory: condition "category.consentRequired": .*EngineContext.categories/);
  });
});

describe('the complaint flow asks what the chosen category needs', () => {
  it('asks the shipped categories as before: nothing more for a suggestion', () => {
    const c = chat(SHIPPED_CATEGORIES);
    c.say('ร้องเรียน/แจ้งเรื่อง');
    expect(c.say('ข้อเสนอแนะ')).toEqual([ASK.story]);
    expect(tellAndGiveContact(c)).toEqual([ASK.address]);
  });

  it('asks consent first when the category says so', () => {
    const c = chat(rules('suggestion', { consentRequired: true }));
    c.say('ร้องเรียน/แจ้งเรื่อง');
    expect(c.say('ข้อเสนอแนะ')).toEqual([ASK.consent]);
    expect(c.say('ยินยอม')).toEqual([ASK.story]);
  });

  it('asks the national ID after the phone when the category says so, and files with it', () => {
    const c = chat(rules('suggestion', { nationalIdRequired: true }));
    c.say('ร้องเรียน/แจ้งเรื่อง');
    c.say('ข้อเสนอแนะ');
    expect(tellAndGiveContact(c)).toEqual([ASK.nationalId]);
    expect(c.say(NATIONAL_ID)).toEqual([ASK.address]);
    expect(c.state().slots.nationalId).toBe('1101700230708');
  });

  it('offers to stay anonymous when the category allows it, and files without a name then', () => {
    const c = chat(rules('suggestion', { anonymousAllowed: true }));
    c.say('ร้องเรียน/แจ้งเรื่อง');
    expect(c.say('ข้อเสนอแนะ')).toEqual([expect.stringMatching(/^การแจ้งเบาะแสแบบไม่ระบุตัวตนทำได้ค่ะ/), ASK.anonymous]);
    expect(c.say('ไม่ระบุตัวตน')).toEqual([ASK.story]);
    c.say('ไฟถนนหน้าบ้านดับมา 3 คืนแล้ว มืดมาก กลัวอันตรายค่ะ');
    c.turn({ type: 'location', latitude: 16.5453, longitude: 104.7235, title: 'ตลาดอินโดจีน', address: 'Mukdahan' });
    for (const text of ['ใช่', 'เมื่อวาน', 'การไฟฟ้าส่วนภูมิภาค', 'ขอให้มาซ่อมไฟถนน']) c.say(text);
    expect(c.say('ไม่มี')).toEqual([expect.stringMatching(/^สรุปเบาะแสของท่าน \(ไม่ระบุตัวตน\)/), ASK.confirm]);
    c.say('ส่งเรื่อง');
    expect(c.actions.map((a) => [a.name, a.node, a.params])).toEqual([['case.file', 'submitAnon', { anonymous: true }]]);
  });

  it('tells a person who asked to stay anonymous that this category needs a name, and files it with one', () => {
    const c = chat(SHIPPED_CATEGORIES);
    // The first message said "without my name" (the language layer's anonymous fact); the category needs a name.
    c.turn({ type: 'start', flow: 'complaint', slots: { anonymous: 'yes' } });
    expect(c.say('ร้องเรียน/ร้องทุกข์')).toEqual([ASK.namedOnly, ASK.story]);
    expect(tellAndGiveContact(c)).toEqual([ASK.address]);
    expect(c.say('99 หมู่ 2 ต.ศรีบุญเรือง อ.เมือง จ.มุกดาหาร')).toEqual([expect.stringMatching(/^สรุปเรื่องของท่าน\n/), ASK.confirm]);
    c.say('ส่งเรื่อง');
    expect(c.actions.map((a) => [a.node, a.params])).toEqual([['submit', { anonymous: false }]]);
  });

  it('asks what another category needs when it is changed at the summary, then shows the summary again', () => {
    const c = chat(SHIPPED_CATEGORIES);
    c.say('ร้องเรียน/แจ้งเรื่อง');
    c.say('ร้องเรียน/ร้องทุกข์');
    tellAndGiveContact(c);
    c.say('99 หมู่ 2 ต.ศรีบุญเรือง อ.เมือง จ.มุกดาหาร');
    c.say('แก้ไข');
    c.say('ประเภท');
    // A request for fair treatment: consent, then the national ID.
    expect(c.say('ขอความเป็นธรรม')).toEqual([ASK.consent]);
    expect(c.say('ยินยอม')).toEqual([ASK.nationalId]);
    expect(c.say(NATIONAL_ID)).toEqual([expect.stringContaining('• ประเภท: ขอความเป็นธรรม'), ASK.confirm]);
    // Back to a category that needs neither: nothing more to ask.
    c.say('แก้ไข');
    c.say('ประเภท');
    expect(c.say('ข้อเสนอแนะ')).toEqual([expect.stringContaining('• ประเภท: ข้อเสนอแนะ'), ASK.confirm]);
  });
});
