import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFlowFiles, listFlowFiles, type LocatedFlowError } from '../flows/files';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A valid flow as an admin writes it; each test breaks it in one way. */
const GREETING = `# Greets the citizen and asks a name.
id: greeting
version: 1
texts:
  th:
    hello: สวัสดีค่ะ ศูนย์ดำรงธรรมอำเภอ
    askName: กรุณาพิมพ์ชื่อ-นามสกุล
    again: ขออภัยค่ะ กรุณาพิมพ์ชื่ออีกครั้ง
    bye: ขอบคุณค่ะ คุณ{{fullName}}
  en:
    hello: Hello from the District Damrongdhama Center
    askName: Please type your full name
    again: Sorry, please type your name again
    bye: Thank you, {{fullName}}
start: hello
nodes:
  hello:
    kind: say
    messages:
      - text: hello
    next: ask_name
  ask_name:
    kind: ask
    input: { type: text }
    slot: fullName
    prompt: askName
    reprompt: again
    retries: 2
    next: done
  done:
    kind: end
    message: bye
`;

/** GREETING with the question leading to `target`, and more nodes appended. */
const leadingTo = (target: string, nodes: string) => GREETING.replace('    next: done\n', `    next: ${target}\n`) + nodes;

function write(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'flows-check-'));
  return Object.entries(files).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line with ${needle}`);
  return i + 1;
}

async function check(text: string, name = 'greeting.yaml'): Promise<{ file: string; errors: LocatedFlowError[] }> {
  const [file] = write({ [name]: text });
  return { file: file!, errors: (await checkFlowFiles([file!])).errors };
}

describe('checking flow files', () => {
  it('passes the valid fixture', async () => {
    expect((await check(GREETING)).errors).toEqual([]);
  });

  it('places a schema error on its line, without a suggestion', async () => {
    const text = GREETING.replace('retries: 2', 'retries: 9');
    const { file, errors } = await check(text);
    expect(errors).toEqual([{ file, path: 'nodes.ask_name.retries', line: lineOf(text, 'retries: 9'), message: expect.stringContaining('<=5') }]);
  });

  it('names an unknown target and suggests the node meant', async () => {
    const text = GREETING.replace('next: done', 'next: dnoe');
    const { file, errors } = await check(text);
    expect(errors[0]).toEqual({
      file,
      path: 'nodes.ask_name.next',
      line: lineOf(text, 'next: dnoe'),
      message: 'unknown target node "dnoe"',
      suggestion: 'did you mean "done"?',
    });
  });

  it('reports a node that start never reaches', async () => {
    const text = GREETING + '  orphan:\n    kind: end\n';
    const { file, errors } = await check(text);
    expect(errors).toEqual([
      { file, path: 'nodes.orphan', line: lineOf(text, '  orphan:'), message: 'node "orphan" is unreachable from start "hello"', suggestion: 'link to it or remove it' },
    ]);
  });

  it('refuses an action the code does not have', async () => {
    const text = leadingTo('submit', '  submit:\n    kind: action\n    action: chat.rat\n    outcomes:\n      ok: done\n');
    const { file, errors } = await check(text);
    expect(errors).toEqual([
      { file, path: 'nodes.submit.action', line: lineOf(text, 'action: chat.rat'), message: 'unknown action "chat.rat"', suggestion: 'did you mean "chat.rate"?' },
    ]);
  });

  it('refuses an input type no parser handles', async () => {
    const text = GREETING.replace('{ type: text }', '{ type: phon }');
    const { file, errors } = await check(text);
    expect(errors).toEqual([
      { file, path: 'nodes.ask_name.input.type', line: lineOf(text, 'type: phon'), message: 'unknown input type "phon"', suggestion: 'did you mean "phone"?' },
    ]);
  });

  it('refuses a named condition the code does not have', async () => {
    const text = leadingTo('route', '  route:\n    kind: branch\n    cases:\n      - when: { condition: time.officeHour }\n        next: done\n    otherwise: done\n');
    const { file, errors } = await check(text);
    expect(errors).toEqual([
      {
        file,
        path: 'nodes.route.cases.0.when.condition',
        line: lineOf(text, 'condition: time.officeHour'),
        message: 'unknown condition "time.officeHour"',
        suggestion: 'did you mean "time.officeHours"?',
      },
    ]);
  });

  it('refuses an outcome the action never reports', async () => {
    const text = leadingTo('submit', '  submit:\n    kind: action\n    action: chat.rate\n    outcomes:\n      ok: done\n      okay: done\n');
    const { file, errors } = await check(text);
    expect(errors).toEqual([
      { file, path: 'nodes.submit.outcomes.okay', line: lineOf(text, 'okay: done'), message: 'action "chat.rate" has no outcome "okay"', suggestion: 'did you mean "ok"?' },
    ]);
  });

  it('reports a text missing in one language where it is used', async () => {
    const text = GREETING.replace('    bye: Thank you, {{fullName}}\n', '');
    const { file, errors } = await check(text);
    expect(errors).toEqual([
      { file, path: 'nodes.done.message', line: lineOf(text, 'message: bye'), message: 'text "bye" is missing in en', suggestion: 'add texts.en.bye' },
    ]);
  });

  it('refuses a {{variable}} that no question fills', async () => {
    const text = GREETING.replace('คุณ{{fullName}}', 'คุณ{{fullNmae}}');
    const { file, errors } = await check(text);
    expect(errors).toEqual([
      {
        file,
        path: 'texts.th.bye',
        line: lineOf(text, '{{fullNmae}}'),
        message: '{{fullNmae}} is not provided by any ask slot or system variable',
        suggestion: 'did you mean "{{fullName}}"?',
      },
    ]);
  });

  it('refuses a loop that never waits for the citizen', async () => {
    const loop = '  loop_a:\n    kind: say\n    messages:\n      - text: hello\n    next: loop_b\n  loop_b:\n    kind: say\n    messages:\n      - text: hello\n    next: loop_a\n';
    const text = leadingTo('loop_a', loop);
    const { file, errors } = await check(text);
    expect(errors.find((e) => e.message.startsWith('infinite loop'))).toEqual({
      file,
      path: 'nodes.loop_a',
      line: lineOf(text, '  loop_a:'),
      message: 'infinite loop with no ask or choose: loop_a -> loop_b -> loop_a',
      suggestion: 'put an ask or choose on the loop, or break it',
    });
  });

  it('refuses a quick-reply choice over 13 options', async () => {
    const options = Array.from({ length: 14 }, () => '      - { label: hello, next: done }\n').join('');
    const text = leadingTo('pick', `  pick:\n    kind: choose\n    prompt: askName\n    options:\n${options}`);
    const { file, errors } = await check(text);
    expect(errors).toEqual([
      {
        file,
        path: 'nodes.pick.options',
        line: lineOf(text, '    options:'),
        message: 'quick reply allows at most 13 options, found 14',
        suggestion: 'use display "buttons" or split the choice',
      },
    ]);
  });

  it('resolves a called flow against the files checked together', async () => {
    const menu = (calls: string) =>
      `id: menu\nversion: 1\ntexts:\n  th: { pick: เลือกบริการ, go: ร้องเรียน }\n  en: { pick: Choose, go: Complain }\nstart: pick\nnodes:\n  pick:\n    kind: choose\n    prompt: pick\n    options:\n      - { label: go, next: call }\n  call:\n    kind: call\n    flow: ${calls}\n    next: done\n  done:\n    kind: end\n`;
    const complaint = GREETING.replace('id: greeting', 'id: complaint');
    const [good, target] = write({ 'menu.yaml': menu('complaint'), 'complaint.yaml': complaint });
    expect((await checkFlowFiles([good!, target!])).errors).toEqual([]);

    const [bad] = write({ 'menu.yaml': menu('complain') });
    const { errors } = await checkFlowFiles([bad!, target!]);
    expect(errors).toEqual([
      { file: bad, path: 'nodes.call.flow', line: lineOf(menu('complain'), 'flow: complain'), message: 'unknown flow "complain"', suggestion: 'did you mean "complaint"?' },
    ]);
  });

  it('refuses two files with the same flow id, on the second', async () => {
    const [first, second] = write({ 'a.yaml': GREETING, 'b.yaml': GREETING });
    const { ok, errors, flows } = await checkFlowFiles([first!, second!]);
    expect(ok).toBe(false);
    expect(flows.map((f) => f.file)).toEqual([first]);
    expect(errors).toEqual([
      {
        file: second,
        path: 'id',
        line: lineOf(GREETING, 'id: greeting'),
        message: `flow id "greeting" is already defined in ${first}`,
        suggestion: 'give each flow its own id, or remove one of the files',
      },
    ]);
  });

  it('reports a YAML syntax error with its line', async () => {
    const text = GREETING.replace('    retries: 2', '\tretries: 2');
    const { file, errors } = await check(text);
    expect(errors).toEqual([{ file, path: '', line: lineOf(text, '\tretries'), message: 'invalid YAML: Tabs are not allowed as indentation' }]);
  });

  it('reports a JSON syntax error with its line, and locates JSON errors too', async () => {
    const broken = '{\n  "id": "greeting",\n  "version": 1,\n}\n';
    expect((await check(broken, 'greeting.json')).errors).toEqual([
      expect.objectContaining({ path: '', line: 4, message: expect.stringMatching(/^invalid JSON: /) }),
    ]);
    const json = JSON.stringify({ id: 'greeting', version: 1, texts: { th: {}, en: {} }, start: 'nowhere', nodes: { done: { kind: 'end' } } }, null, 2);
    expect((await check(json, 'greeting.json')).errors[0]).toMatchObject({ path: 'start', line: lineOf(json, '"start"') });
  });

  it('places an error under a text key that itself contains dots', async () => {
    const text = GREETING.replace('    hello: Hello from', '    menu.title: Menu\n    hello: Hello from');
    const { errors } = await check(text);
    expect(errors).toEqual([expect.objectContaining({ path: 'texts.en.menu.title', line: lineOf(text, 'menu.title') })]);
  });

  it('refuses a flow id that could not appear in the admin API', async () => {
    const text = GREETING.replace('id: greeting', 'id: Greeting Flow');
    const { errors } = await check(text);
    expect(errors).toEqual([expect.objectContaining({ path: 'id', line: 2, suggestion: 'use "greeting-flow"' })]);
  });

  it('lists yaml, yml and json files by name, nothing else', async () => {
    const paths = write({ 'b.yml': '', 'a.yaml': '', 'c.json': '', 'notes.md': '', '.a.yaml.swp': '', '.hidden.yaml': '' });
    const dir = join(paths[0]!, '..');
    expect(await listFlowFiles(dir)).toEqual(['a.yaml', 'b.yml', 'c.json'].map((n) => join(dir, n)));
  });
});

describe('npm run flows:check', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('npm', ['run', '-s', 'flows:check', '--', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });

  it('exits 1 and prints file:line path: message (suggestion) for a bad file', () => {
    const text = GREETING.replace('next: done', 'next: dnoe');
    const [file] = write({ 'greeting.yaml': text });
    const out = run([file!]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`${file}:${lineOf(text, 'next: dnoe')} nodes.ask_name.next: unknown target node "dnoe" (did you mean "done"?)`);
    expect(out.stderr).toContain('2 errors in 1 file of 1 checked');
  });

  it('checks every file in FLOWS_DIR when given none, and exits 0 when all pass', () => {
    const [file] = write({ 'greeting.yaml': GREETING });
    const out = run([], { FLOWS_DIR: join(file!, '..') });
    expect(out.stdout).toContain('1 flow file checked: no errors');
    expect(out.status).toBe(0);
  });
});

describe('the shipped flows', () => {
  it('are all valid, checked together', async () => {
    const files = await listFlowFiles(join(ROOT, 'flows/definitions'));
    expect(files.length).toBeGreaterThan(0);
    const result = await checkFlowFiles(files);
    expect(result.errors).toEqual([]);
    expect(result.flows.length).toBe(files.length);
  });
});
