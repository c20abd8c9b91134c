/**
 * The flow editor's API on console sessions, against the real server and its LINE emulator: who may read and who
 * may change, drafts kept with their errors and never published with them, a publish with a note that a citizen
 * hears at once, a rollback, files in and out, and a preview that runs the real engine and files and sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { FLOW_JSON } from '../console/api/flows-editor/index';
import { login, OFFICER_PASSWORD, type ConsoleClient } from './support/console-client';
import { lines, newCitizen, say } from './support/citizen';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const NEW_ASK = 'อยากแจ้งเรื่องแบบไหนคะ เลือกได้เลย';

describe.each(engines())('the flow editor API (%s)', (engine) => {
  let server: TestServer;
  const as: Record<string, ConsoleClient> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    const officers = new OfficerStore(server.db);
    for (const o of [
      { username: 'admin1', displayName: 'ผู้ดูแล หนึ่ง', role: 'admin' },
      { username: 'boss49', displayName: 'หัวหน้า จังหวัด', role: 'supervisor', provinceCode: '49' },
      { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901' },
    ] as const) {
      ids[o.username] = (await officers.create(CLI_ACTOR, { ...o, password: OFFICER_PASSWORD })).id;
      as[o.username] = await login(server.url, o.username);
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  /** A call with a body of the editor's own types (a draft's text, a YAML file), with the session and CSRF token. */
  async function send(who: string, method: string, path: string, body: string, type: string) {
    const c = as[who]!;
    const res = await fetch(`${server.url}/console/api${path}`, { method, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type }, body });
    const text = await res.text();
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : null, text, headers: res.headers };
  }
  const audit = async (action: string) =>
    server.db.query<{ officer_id: number | string | null; target: string; detail: string | null }>('SELECT officer_id, target, detail FROM audit_log WHERE action = $1 ORDER BY id', [action]);

  it('lets admins and supervisors read the flows, and only admins change them; officers see nothing', async () => {
    const list = await as.admin1!.call('GET', '/flows');
    expect(list.status).toBe(200);
    const complaint = list.body.flows.find((f: { id: string }) => f.id === 'complaint');
    expect(complaint).toMatchObject({ live: 4, title: { th: 'ร้องเรียน/แจ้งเรื่อง', en: 'File a complaint' }, drafts: [] });
    expect(complaint.lastPublication).toMatchObject({ version: 4, actor: 'shipped', action: 'publish' });

    expect((await as.boss49!.call('GET', '/flows')).status).toBe(200);
    expect((await as.boss49!.call('GET', '/flows/complaint/versions/4')).body.source).toContain('id: complaint');
    expect((await as.boss49!.call('POST', '/flows/complaint/drafts', {})).status).toBe(403);
    expect((await as.boss49!.call('POST', '/flows/complaint/rollback', {})).status).toBe(403);
    expect((await as.somsri!.call('GET', '/flows')).status).toBe(403);
    expect((await as.somsri!.call('GET', '/flows/complaint')).status).toBe(403);
  });

  let draft: { id: number; revision: number };

  it('keeps a draft with errors, refuses to publish it with the errors located, then publishes the fixed one with a note', async () => {
    const created = await as.admin1!.call('POST', '/flows/complaint/drafts', {});
    expect(created.status).toBe(201);
    expect(created.body.draft).toMatchObject({ flowId: 'complaint', baseVersion: 4, revision: 1, createdBy: 'admin1' });
    draft = created.body.draft;
    const source: string = created.body.draft.source;
    expect(source).toContain('# Complaint intake'); // the comments of the shipped file come along

    // A new Thai question and a new choice whose English label is missing.
    const doc = parseDocument(source);
    doc.setIn(['texts', 'th', 'askCategory'], NEW_ASK);
    doc.setIn(['texts', 'th', 'cat_land'], 'ที่ดิน');
    (doc.getIn(['nodes', 'category', 'options']) as { add(v: unknown): void }).add(doc.createNode({ label: 'cat_land', value: 'land', next: 'routeCategory' }));
    const broken = doc.toString({ lineWidth: 0 });
    const saved = await send('admin1', 'PUT', `/flows/drafts/${draft.id}`, JSON.stringify({ source: broken, revision: 1 }), FLOW_JSON);
    expect(saved.status).toBe(200);
    expect(saved.body.draft.revision).toBe(2);
    // A stale revision is refused rather than overwriting.
    expect((await send('admin1', 'PUT', `/flows/drafts/${draft.id}`, JSON.stringify({ source: broken, revision: 1 }), FLOW_JSON)).status).toBe(409);

    const refused = await as.admin1!.call('POST', `/flows/drafts/${draft.id}/publish`, { note: 'เพิ่มหมวดที่ดิน', revision: 2, expectLive: 4 });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ path: 'nodes.category.options.8.label', message: 'text "cat_land" is missing in en', suggestion: 'add texts.en.cat_land' }));
    // The new choice files into a category that does not exist yet: refused too, until an admin adds it.
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ path: 'nodes.category.options.8.value', message: 'unknown category "land"' }));
    expect(refused.body.errors[0].line).toBeGreaterThan(1);
    expect((await as.admin1!.call('POST', `/flows/drafts/${draft.id}/publish`, { revision: 2, expectLive: 4 })).status).toBe(400); // no note

    doc.setIn(['texts', 'en', 'cat_land'], 'Land');
    const fixed = await send('admin1', 'PUT', `/flows/drafts/${draft.id}`, JSON.stringify({ source: doc.toString({ lineWidth: 0 }), revision: 2 }), FLOW_JSON);
    expect(fixed.status).toBe(200);
    expect((await as.admin1!.call('POST', `/flows/drafts/${draft.id}/publish`, { note: 'x', revision: 3, expectLive: 4 })).body.errors).toEqual([
      expect.objectContaining({ path: 'nodes.category.options.8.value', message: 'unknown category "land"' }),
    ]);
    const land = await as.admin1!.call('POST', '/categories', {
      code: 'land',
      name: { th: 'ที่ดิน', en: 'Land' },
      confidential: false,
      consentRequired: false,
      nationalIdRequired: true,
      anonymousAllowed: false,
      deadlineDays: null,
    });
    expect(land.status).toBe(201);
    // Compared with version 4, but someone published meanwhile? Not here: v4 is still live, so it goes.
    expect((await as.admin1!.call('POST', `/flows/drafts/${draft.id}/publish`, { note: 'x', revision: 3, expectLive: 3 })).status).toBe(409);
    const published = await as.admin1!.call('POST', `/flows/drafts/${draft.id}/publish`, { note: 'เพิ่มหมวดที่ดิน ถามสั้นลง', revision: 3, expectLive: 4 });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ ok: true, id: 'complaint', version: 5, previousVersion: 4, changed: true });

    const flow = await as.admin1!.call('GET', '/flows/complaint');
    expect(flow.body).toMatchObject({ live: 5, latest: 5, drafts: [] });
    expect(flow.body.history[0]).toMatchObject({ version: 5, action: 'publish', actor: 'admin1', note: 'เพิ่มหมวดที่ดิน ถามสั้นลง' });
    const v5 = await as.admin1!.call('GET', '/flows/complaint/versions/5');
    expect(v5.body.source).toMatch(/^version: 5$/m); // the stored text says the number it was given
    expect(v5.body.source).toContain('# Complaint intake');

    const [entry] = await audit('flow.publish');
    expect(Number(entry!.officer_id)).toBe(ids.admin1);
    expect(JSON.parse(entry!.detail!)).toMatchObject({ version: 5, previousVersion: 4, note: 'เพิ่มหมวดที่ดิน ถามสั้นลง' });
    expect((await audit('flow.draft_save')).map((e) => Number(e.officer_id))).toEqual([ids.admin1, ids.admin1]);
  }, 30_000);

  it('gives a citizen the published question at once, and the earlier one again after a rollback with a note', async () => {
    const citizen = newCitizen(server, 'th', 'มานี');
    const asked = lines(await say(server, citizen, 'ร้องเรียน'));
    expect(asked).toContain(NEW_ASK);

    const back = await as.admin1!.call('POST', '/flows/complaint/rollback', { note: 'ย้อนกลับไปก่อน' });
    expect(back.body).toMatchObject({ ok: true, version: 4, previousVersion: 5 });
    expect((await as.admin1!.call('GET', '/flows/complaint')).body.history[0]).toMatchObject({ action: 'rollback', version: 4, note: 'ย้อนกลับไปก่อน' });
    const other = newCitizen(server, 'th', 'มานะ');
    expect(lines(await say(server, other, 'ร้องเรียน'))).toContain('เรื่องที่ต้องการแจ้งเป็นเรื่องประเภทใดคะ');
    expect((await audit('flow.rollback')).map((e) => Number(e.officer_id))).toEqual([ids.admin1]);
  }, 30_000);

  it('exports a version as a YAML file and imports one as a draft, checked, refusing what is not a flow', async () => {
    const file = await fetch(`${server.url}/console/api/flows/complaint/export?version=4`, { headers: { cookie: as.boss49!.cookie } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="complaint-v4.yaml"');
    const yaml = await file.text();
    expect(yaml).toMatch(/^version: 4$/m);

    const imported = await send('admin1', 'POST', '/flows/import', yaml.replace('    title: ร้องเรียน/แจ้งเรื่อง\n', ''), 'application/yaml');
    expect(imported.status).toBe(201);
    expect(imported.body.draft).toMatchObject({ flowId: 'complaint', baseVersion: 4 });
    expect(imported.body.errors).toEqual([expect.objectContaining({ path: 'texts.en.title', message: 'text "title" exists in en but not in th' })]);
    expect((await send('boss49', 'POST', '/flows/import', yaml, 'application/yaml')).status).toBe(403);
    expect((await send('admin1', 'POST', '/flows/import', 'id: [unclosed', 'application/yaml')).status).toBe(422);
    expect((await send('admin1', 'POST', '/flows/import', 'texts: {}', 'application/yaml')).body.errors[0].path).toBe('id');
    expect((await audit('flow.import')).length).toBe(1);

    const discarded = await as.admin1!.call('DELETE', `/flows/drafts/${imported.body.draft.id}`);
    expect(discarded.status).toBe(204);
    expect((await as.admin1!.call('GET', `/flows/drafts/${imported.body.draft.id}`)).status).toBe(404);
  });

  it('previews a draft with the real engine: actions described, not run, nothing filed or sent', async () => {
    const trial = {
      id: 'mycases',
      version: 9,
      start: 'list',
      texts: { th: { title: 'เรื่องของฉัน', none: 'ยังไม่มีเรื่องค่ะ', some: 'นี่คือเรื่องของท่าน', ask: 'ชื่ออะไรคะ', again: 'ขอชื่ออีกครั้งค่ะ', hi: 'สวัสดี {{who}}' }, en: { title: 'My cases', none: 'No cases yet.', some: 'Your cases.', ask: 'Your name?', again: 'Your name again?', hi: 'Hello {{who}}' } },
      nodes: {
        list: { kind: 'action', action: 'case.listMine', outcomes: { some: 'some', none: 'none' } },
        some: { kind: 'end', message: 'some' },
        none: { kind: 'say', messages: [{ text: 'none' }], next: 'name' },
        name: { kind: 'ask', input: { type: 'text' }, slot: 'who', prompt: 'ask', reprompt: 'again', retries: 2, next: 'hi' },
        hi: { kind: 'end', message: 'hi' },
      },
    };
    const rows = async () => (await server.db.query<{ n: number | string }>('SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM outbox_message) + (SELECT COUNT(*) FROM conversation_session) AS n'))[0]!.n;
    const before = await rows();
    const turn = (body: unknown, who = 'admin1') => send(who, 'POST', '/flows/preview', JSON.stringify(body), FLOW_JSON);

    const first = await turn({ definition: trial, state: null, input: { type: 'restart' } });
    expect(first.status).toBe(200);
    expect(first.body.notes).toContainEqual(expect.objectContaining({ kind: 'action', action: 'case.listMine', outcome: 'some', outcomes: ['some', 'none'], node: 'list' }));
    expect(first.body.messages.map((m: { text: string }) => m.text)).toEqual(['นี่คือเรื่องของท่าน']);

    // The other way out, chosen by the tester; then a question, an answer, and its variable filled in.
    const none = await turn({ definition: trial, state: null, input: { type: 'restart' }, outcomes: { list: 'none' } }, 'boss49');
    expect(none.body.messages[0].text).toBe('ยังไม่มีเรื่องค่ะ');
    expect(none.body.at).toBe('name');
    const answered = await turn({ definition: trial, state: none.body.state, input: { type: 'text', text: 'มานี' } });
    expect(answered.body.messages[0].text).toBe('สวัสดี มานี');

    const fromNode = await turn({ definition: trial, state: answered.body.state, input: { type: 'restart', node: 'name', locale: 'en' } });
    expect(fromNode.body.messages.map((m: { text: string }) => m.text)).toEqual(['Your name?']);
    expect(fromNode.body.at).toBe('name');

    expect((await turn({ definition: trial, state: null, input: { type: 'restart', node: 'nowhere' } })).status).toBe(422);
    expect((await turn({ definition: { ...trial, nodes: 'x' }, state: null, input: { type: 'restart' } })).status).toBe(422);
    expect((await turn({ definition: trial, state: { format: 99 }, input: { type: 'text', text: 'x' } })).status).toBe(400);
    expect((await send('somsri', 'POST', '/flows/preview', JSON.stringify({ definition: trial, state: null, input: { type: 'restart' } }), FLOW_JSON)).status).toBe(403);
    expect(await rows()).toBe(before);
  });
});
