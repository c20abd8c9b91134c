import { describe, expect, it } from 'vitest';
import { INPUT_TYPES, validateFlow, type FlowDefinition, type FlowError } from '../flows/definition';

const ctx = {
  file: 'flows/complaint.json',
  actions: new Set(['createCase', 'lookupCase']),
  conditions: new Set(['isOfficeHours']),
  inputs: new Set<string>(INPUT_TYPES),
  flows: new Set(['complaint', 'track']),
};

/** A small complaint flow: asks a name, picks a topic, files the case. */
function example(): FlowDefinition {
  return {
    id: 'complaint',
    version: 1,
    texts: {
      th: {
        welcome: 'สวัสดีค่ะ ศูนย์ดำรงธรรมอำเภอ',
        askName: 'กรุณาพิมพ์ชื่อ-นามสกุล',
        askNameAgain: 'ขออภัยค่ะ กรุณาพิมพ์ชื่ออีกครั้ง',
        topic: 'เรื่องที่ต้องการร้องเรียน',
        road: 'ถนน',
        other: 'อื่น ๆ',
        filed: 'คุณ{{fullName}} รับเรื่องแล้ว เลขที่ {{trackingNumber}}',
        sorry: 'ขออภัย ระบบขัดข้อง',
        bye: 'ขอบคุณค่ะ',
      },
      en: {
        welcome: 'Hello from the District Damrongdhama Center',
        askName: 'Please type your full name',
        askNameAgain: 'Sorry, please type your name again',
        topic: 'What is your complaint about?',
        road: 'Roads',
        other: 'Other',
        filed: '{{fullName}}, your case {{trackingNumber}} is filed',
        sorry: 'Sorry, something went wrong',
        bye: 'Thank you',
      },
    },
    intents: ['complaint'],
    start: 'welcome',
    nodes: {
      welcome: { kind: 'say', messages: [{ text: 'welcome' }], next: 'ask_name' },
      ask_name: {
        kind: 'ask',
        input: { type: 'text', options: { minLength: 2 } },
        slot: 'fullName',
        prompt: 'askName',
        reprompt: 'askNameAgain',
        retries: 3,
        next: 'topic',
        onGiveUp: 'agent',
      },
      topic: {
        kind: 'choose',
        prompt: 'topic',
        options: [
          { label: 'road', synonyms: ['ถนนพัง'], next: 'route' },
          { label: 'other', next: 'route' },
        ],
      },
      route: {
        kind: 'branch',
        cases: [{ when: { and: [{ exists: 'fullName' }, { condition: 'isOfficeHours' }] }, next: 'file' }],
        otherwise: 'file',
      },
      file: { kind: 'action', action: 'createCase', params: { channel: 'line' }, outcomes: { ok: 'done', failed: 'agent' } },
      agent: { kind: 'handoff', reason: 'gave up', message: 'sorry' },
      done: { kind: 'end', message: 'filed' },
    },
  };
}

function errorsOf(def: unknown): FlowError[] {
  const result = validateFlow(def, ctx);
  if (result.ok) throw new Error('expected the flow to be rejected');
  return result.errors;
}

function edit(change: (f: FlowDefinition) => void): FlowDefinition {
  const f = example();
  change(f);
  return f;
}

describe('validateFlow', () => {
  it('accepts a small valid complaint flow', () => {
    const result = validateFlow(example(), ctx);
    expect(result).toEqual({ ok: true, flow: example() });
  });

  it('reports schema errors with their path', () => {
    const bad = { ...example(), version: 1.5, nodes: { ...example().nodes, ask_name: { ...example().nodes.ask_name, retries: 9 } } };
    const errors = errorsOf(bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'flows/complaint.json', path: 'version' }),
        expect.objectContaining({ path: 'nodes.ask_name.retries' }),
      ]),
    );
  });

  it('rejects an unknown target node and suggests the nearest node id', () => {
    const errors = errorsOf(edit((f) => ((f.nodes.welcome as { next: string }).next = 'ask_nmae')));
    expect(errors).toContainEqual({
      file: 'flows/complaint.json',
      path: 'nodes.welcome.next',
      message: 'unknown target node "ask_nmae"',
      suggestion: 'did you mean "ask_name"?',
    });
  });

  it('rejects an unreachable node', () => {
    const errors = errorsOf(edit((f) => (f.nodes.orphan = { kind: 'end' })));
    expect(errors).toEqual([expect.objectContaining({ path: 'nodes.orphan', message: expect.stringContaining('unreachable') })]);
  });

  it('rejects an unknown action and suggests the registered one', () => {
    const errors = errorsOf(edit((f) => ((f.nodes.file as { action: string }).action = 'createCas')));
    expect(errors).toEqual([
      expect.objectContaining({ path: 'nodes.file.action', message: 'unknown action "createCas"', suggestion: 'did you mean "createCase"?' }),
    ]);
  });

  it('rejects an unknown named condition, however deeply nested', () => {
    const errors = errorsOf(
      edit((f) => {
        f.nodes.route = { kind: 'branch', cases: [{ when: { not: { or: [{ condition: 'isOfficeHour' }] } }, next: 'file' }], otherwise: 'file' };
      }),
    );
    expect(errors).toEqual([
      expect.objectContaining({ path: 'nodes.route.cases.0.when.not.or.0.condition', suggestion: 'did you mean "isOfficeHours"?' }),
    ]);
  });

  it('rejects an unknown input type and suggests a parser name', () => {
    const errors = errorsOf(edit((f) => ((f.nodes.ask_name as { input: { type: string } }).input.type = 'phon')));
    expect(errors).toEqual([expect.objectContaining({ path: 'nodes.ask_name.input.type', suggestion: 'did you mean "phone"?' })]);
  });

  it('rejects a call to an unknown flow', () => {
    const errors = errorsOf(edit((f) => (f.nodes.welcome = { kind: 'call', flow: 'trak', next: 'ask_name' })));
    expect(errors).toContainEqual(expect.objectContaining({ path: 'nodes.welcome.flow', suggestion: 'did you mean "track"?' }));
  });

  it('rejects a used text key missing in one language', () => {
    const errors = errorsOf(
      edit((f) => {
        delete f.texts.en.bye;
        f.nodes.done = { kind: 'end', message: 'bye' };
      }),
    );
    expect(errors).toEqual([expect.objectContaining({ path: 'nodes.done.message', message: 'text "bye" is missing in en' })]);
  });

  it('rejects a used text key missing in both languages', () => {
    const errors = errorsOf(edit((f) => (f.nodes.done = { kind: 'end', message: 'nope' })));
    expect(errors.map((e) => e.message)).toEqual(['text "nope" is missing in th', 'text "nope" is missing in en']);
  });

  it('rejects a text present in one language only', () => {
    const errors = errorsOf(edit((f) => (f.texts.th.extra = 'เพิ่มเติม')));
    expect(errors).toEqual([expect.objectContaining({ path: 'texts.th.extra', suggestion: 'add texts.en.extra' })]);
  });

  it('rejects an interpolation no ask slot or system variable provides', () => {
    const errors = errorsOf(edit((f) => (f.texts.en.filed = '{{fullNme}}, case {{trackingNumber}} on {{date}}')));
    expect(errors).toEqual([
      expect.objectContaining({ path: 'texts.en.filed', message: expect.stringContaining('{{fullNme}}'), suggestion: 'did you mean "{{fullName}}"?' }),
    ]);
  });

  it('rejects a loop with no ask or choose on it', () => {
    const errors = errorsOf(
      edit((f) => {
        f.nodes.file = { kind: 'action', action: 'createCase', outcomes: { ok: 'done', failed: 'retry' } };
        f.nodes.retry = { kind: 'say', messages: [{ text: 'sorry' }], next: 'file' };
      }),
    );
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/infinite loop.*file -> retry -> file/) })]);
  });

  it('allows a loop that waits for the user on an ask', () => {
    const flow = edit((f) => (f.nodes.file = { kind: 'action', action: 'createCase', outcomes: { ok: 'done', failed: 'ask_name' } }));
    expect(validateFlow(flow, ctx).ok).toBe(true);
  });

  it('rejects more than 13 quick reply options', () => {
    const options = Array.from({ length: 14 }, () => ({ label: 'road', next: 'route' }));
    const errors = errorsOf(edit((f) => (f.nodes.topic = { kind: 'choose', prompt: 'topic', display: 'quickReply', options })));
    expect(errors).toEqual([expect.objectContaining({ path: 'nodes.topic.options', message: expect.stringContaining('at most 13') })]);
    const asButtons = edit((f) => (f.nodes.topic = { kind: 'choose', prompt: 'topic', display: 'buttons', options }));
    expect(validateFlow(asButtons, ctx).ok).toBe(true);
  });

  it('rejects a say with more than 5 messages', () => {
    const messages = Array.from({ length: 6 }, () => ({ text: 'welcome' }));
    const errors = errorsOf(edit((f) => (f.nodes.welcome = { kind: 'say', messages, next: 'ask_name' })));
    expect(errors).toEqual([expect.objectContaining({ path: 'nodes.welcome.messages', message: expect.stringContaining('at most 5') })]);
  });
});
