import { describe, expect, it } from 'vitest';
import type { FlowDefinition } from '../flows/definition';
import {
  deserializeState,
  FlowRuntimeError,
  initialState,
  serializeState,
  StateFormatError,
  step,
  type ConversationState,
  type EngineInput,
} from '../flows/engine';
import { engineContext, runEvent, shippedFlows, DEFAULT_CLOCK } from './support/engine-run';
import { shown } from './support/transcript';
import { greeting, menu } from './fixtures/flows/build';

const text = (t: string): EngineInput => ({ type: 'text', text: t });
const texts = (r: { messages: Parameters<typeof shown>[0][] }) => r.messages.map((m) => shown(m).text);

/** Plays inputs from a fresh Thai chat; returns every step's result. */
function play(flows: FlowDefinition[], inputs: EngineInput[], opts: { live?: Map<string, number>; roundTrip?: boolean } = {}) {
  let state: ConversationState = initialState('th', DEFAULT_CLOCK);
  const results = [];
  for (const [i, input] of inputs.entries()) {
    const r = runEvent(state, input, engineContext(flows, DEFAULT_CLOCK + i * 1000, opts.live));
    results.push(r);
    state = opts.roundTrip ? deserializeState(serializeState(r.state)) : r.state;
  }
  return { results, state };
}

const complaintAnswers: EngineInput[] = [
  text('สวัสดี'),
  text('ร้องเรียน/แจ้งเรื่อง'),
  text('1'),
  text('ขอความช่วยเหลือเรื่องน้ำท่วมบ้าน ถนนเข้าหมู่บ้านขาด'),
  { type: 'location', latitude: 16.54, longitude: 104.72, title: 'บ้านหนองแวง' },
  text('ใช่'),
  text('เมื่อวาน'),
  text('องค์การบริหารส่วนตำบลหนองแวง'),
  text('ขอให้ซ่อมถนน'),
  { type: 'media', mediaType: 'image', contentId: '1' },
  text('เสร็จแล้ว'),
  text('สมชาย ใจดี'),
  text('0812345678'),
  text('12 หมู่ 3 ต.หนองแวง'),
  text('ส่งเรื่อง'),
];

describe('the flow engine', () => {
  it('gives the same conversation whether or not the state goes through JSON between every two steps', () => {
    const direct = play(shippedFlows(), complaintAnswers);
    const stored = play(shippedFlows(), complaintAnswers, { roundTrip: true });
    expect(stored.results.map(texts)).toEqual(direct.results.map(texts));
    expect(stored.results.flatMap((r) => r.actions)).toEqual(['case.file']);
  });

  it('is pure: stepping never changes the state it was given', () => {
    const state = initialState('th', DEFAULT_CLOCK);
    const frozen = structuredClone(state);
    step(state, text('ร้องเรียน'), engineContext(shippedFlows(), DEFAULT_CLOCK));
    expect(state).toEqual(frozen);
  });

  it('refuses a stored state of another format instead of misreading it', () => {
    const state = initialState('th', DEFAULT_CLOCK);
    expect(() => deserializeState(JSON.stringify({ ...state, format: 0 }))).toThrow(StateFormatError);
    expect(() => deserializeState('{not json')).toThrow(StateFormatError);
    expect(() => deserializeState(JSON.stringify({ ...state, node: 42 }))).toThrow(StateFormatError);
  });

  it('finishes a conversation on the version it started with after a new version is published', () => {
    const v1 = greeting(1);
    const v2 = greeting(2);
    const flows = [menu('greeting'), v1, v2];
    const onlyV1 = new Map([['menu', 1], ['greeting', 1]]);
    const v2Live = new Map([['menu', 1], ['greeting', 2]]);
    // Start on v1.
    let r = runEvent(initialState('th', DEFAULT_CLOCK), text('เริ่ม'), engineContext(flows, DEFAULT_CLOCK, onlyV1));
    expect(texts(r)).toEqual(['สวัสดีค่ะ (ฉบับที่ 1)', 'กรุณาพิมพ์ชื่อ-นามสกุล']);
    expect(r.state.flow).toEqual({ id: 'greeting', version: 1 });
    // v2 goes live mid-conversation: this conversation stays on v1 to its end.
    r = runEvent(r.state, text('สมศรี ใจดี'), engineContext(flows, DEFAULT_CLOCK + 1000, v2Live));
    expect(texts(r)[0]).toBe('ขอบคุณค่ะ คุณสมศรี ใจดี');
    expect(r.effects).toContainEqual({ type: 'flowEnded', flow: { id: 'greeting', version: 1 }, how: 'completed' });
    // The next conversation starts on v2.
    r = runEvent(r.state, text('เริ่ม'), engineContext(flows, DEFAULT_CLOCK + 2000, v2Live));
    expect(texts(r)[0]).toBe('สวัสดีค่ะ (ฉบับที่ 2)');
    expect(r.state.flow).toEqual({ id: 'greeting', version: 2 });
  });

  it('runs a called flow and returns to the caller where it left off', () => {
    const { results } = play([menu('greeting'), greeting(1)], [text('เริ่ม'), text('สมชาย')]);
    expect(texts(results[1]!)).toEqual(['ขอบคุณค่ะ คุณสมชาย', 'ขอบคุณค่ะ']);
    expect(results[1]!.state.flow).toBeNull();
  });

  it('stops at an action, names it, and goes on by the outcome the code reports', () => {
    const flow: FlowDefinition = {
      id: 'menu',
      version: 1,
      texts: { th: { ok: 'สำเร็จ' }, en: { ok: 'Done' } },
      start: 'submit',
      nodes: { submit: { kind: 'action', action: 'chat.rate', params: { x: 1 }, outcomes: { ok: 'done' } }, done: { kind: 'end', message: 'ok' } },
    };
    const ctx = engineContext([flow], DEFAULT_CLOCK);
    const first = step(initialState('th', DEFAULT_CLOCK), text('hi'), ctx);
    expect(first.action).toEqual({ name: 'chat.rate', params: { x: 1 }, flow: { id: 'menu', version: 1 }, node: 'submit' });
    expect(first.messages).toEqual([]);
    const second = step(first.state, { type: 'outcome', outcome: 'ok' }, ctx);
    expect(texts(second)).toEqual(['สำเร็จ']);
    expect(() => step(first.state, { type: 'outcome', outcome: 'nope' }, ctx)).toThrow(FlowRuntimeError);
  });

  it('branches on slots with equals, in, exists, regex, and/or/not and named conditions', () => {
    const flow: FlowDefinition = {
      id: 'menu',
      version: 1,
      texts: { th: { q: 'รหัส?', again: 'อีกครั้ง', a: 'A', b: 'B', c: 'C' }, en: { q: 'Code?', again: 'Again', a: 'A', b: 'B', c: 'C' } },
      start: 'ask',
      nodes: {
        ask: { kind: 'ask', input: { type: 'text' }, slot: 'code', prompt: 'q', reprompt: 'again', retries: 2, next: 'route' },
        route: {
          kind: 'branch',
          cases: [
            { when: { and: [{ exists: 'code' }, { regex: ['code', '^MDH-\\d+$'] }, { not: { equals: ['code', 'MDH-0'] } }] }, next: 'a' },
            { when: { or: [{ in: ['code', ['x', 'y']] }, { condition: 'locale.is', params: { locale: 'en' } }] }, next: 'b' },
          ],
          otherwise: 'c',
        },
        a: { kind: 'end', message: 'a' },
        b: { kind: 'end', message: 'b' },
        c: { kind: 'end', message: 'c' },
      },
    };
    const answer = (code: string) => texts(play([flow], [text('hi'), text(code)]).results[1]!)[0];
    expect(answer('MDH-12')).toBe('A');
    expect(answer('MDH-0')).toBe('C');
    expect(answer('y')).toBe('B');
    expect(answer('zz')).toBe('C');
  });

  it('after the retry limit offers an officer, or goes where the flow says', () => {
    const base = greeting(1);
    const ask = { ...base.nodes.ask_name!, input: { type: 'phone' } } as FlowDefinition['nodes'][string];
    const flow = { ...base, id: 'menu', nodes: { ...base.nodes, ask_name: ask } };
    const { results } = play([flow], [text('hi'), text('x'), text('y'), text('z')]);
    expect(texts(results[1]!)[0]).toMatch(/^ขออภัยค่ะ กรุณาพิมพ์ชื่ออีกครั้ง\n/);
    expect(texts(results[3]!)).toEqual([expect.stringContaining('ต้องการคุยกับเจ้าหน้าที่ไหมคะ')]);
    expect(results[3]!.effects).toContainEqual({ type: 'gaveUp', flow: { id: 'menu', version: 1 }, node: 'ask_name' });

    const withGiveUp = { ...flow, nodes: { ...flow.nodes, ask_name: { ...ask, onGiveUp: 'done' } as FlowDefinition['nodes'][string] } };
    const r = play([withGiveUp], [text('hi'), text('x'), text('y'), text('z')]).results[3]!;
    expect(texts(r)[0]).toMatch(/^ขอบคุณค่ะ คุณ/);
  });

  it('hands the chat to an officer and stays quiet there, passing everything on', () => {
    const { results } = play(shippedFlows(), [text('ติดต่อเจ้าหน้าที่'), text('ฮัลโหล'), { type: 'sticker' }]);
    expect(results[0]!.effects).toContainEqual({ type: 'handoff', reason: 'requested', flow: null });
    expect(results[0]!.state.handoff).toEqual({ reason: 'requested', since: DEFAULT_CLOCK });
    expect(results[1]!.messages).toEqual([]);
    expect(results[1]!.effects).toEqual([{ type: 'forwardToOfficer', input: text('ฮัลโหล') }]);
    expect(results[2]!.messages).toEqual([]);
  });

  it('keeps every message within what LINE accepts in one reply', () => {
    const { results } = play(shippedFlows(), complaintAnswers);
    for (const r of results) {
      for (const m of r.messages) {
        const items = (m.quickReply as { items?: unknown[] } | undefined)?.items ?? [];
        expect(items.length).toBeLessThanOrEqual(13);
      }
    }
  });

  it('narrows a place by the buttons it offers, as postbacks carrying the area code', () => {
    const start = [text('ร้องเรียน'), text('1'), text('ไฟถนนดับทั้งซอยมาสามคืนแล้วค่ะ'), text('เมื่อวาน'), text('มุกดาหาร')];
    const { results, state } = play(shippedFlows(), start);
    const offered = results.at(-1)!.messages[0]!.quickReply as { items: Array<{ action: { type: string; label: string; data?: string } }> };
    const dongLuang = offered.items.find((i) => i.action.label === 'ดงหลวง')!.action;
    expect(dongLuang).toMatchObject({ type: 'postback', data: expect.stringMatching(/^place=\d{4}$/) });
    const r = runEvent(state, { type: 'postback', data: dongLuang.data! }, engineContext(shippedFlows(), DEFAULT_CLOCK + 60_000));
    expect(texts(r)[0]).toBe('อ.ดงหลวง จ.มุกดาหาร\nกรุณาเลือกตำบลค่ะ');
  });

  it('shows a choice as a Flex bubble of buttons when the flow asks for buttons', () => {
    const flow: FlowDefinition = {
      id: 'menu',
      version: 1,
      texts: { th: { q: 'เลือก', a: 'หนึ่ง', b: 'สอง' }, en: { q: 'Pick', a: 'One', b: 'Two' } },
      start: 'pick',
      nodes: {
        pick: { kind: 'choose', prompt: 'q', display: 'buttons', options: [{ label: 'a', next: 'done' }, { label: 'b', next: 'done' }] },
        done: { kind: 'end' },
      },
    };
    const [bubble] = play([flow], [text('hi')]).results[0]!.messages;
    expect(bubble).toMatchObject({ type: 'flex', altText: 'เลือก' });
    const buttons = (bubble!.contents as { footer: { contents: Array<{ action: { text: string } }> } }).footer.contents;
    expect(buttons.map((b) => b.action.text)).toEqual(['หนึ่ง', 'สอง']);
    expect(play([flow], [text('hi'), text('two')]).results[1]!.effects).toContainEqual({ type: 'flowEnded', flow: { id: 'menu', version: 1 }, how: 'completed' });
  });

  it('answers a button from an old message, or a picker at the wrong question, kindly and asks again', () => {
    const { results } = play(shippedFlows(), [text('ร้องเรียน'), { type: 'postback', data: 'input=date', params: { date: '2026-11-20' } }]);
    expect(texts(results[1]!)).toEqual(['ขออภัยค่ะ ปุ่มนี้ใช้ตอบคำถามนี้ไม่ได้', 'เรื่องที่ต้องการแจ้งเป็นเรื่องประเภทใดคะ']);
  });
});
