/**
 * Learning from the field, over real HTTP against the real server, on SQLite and PostgreSQL: who may review what
 * the bot kept (admins only); a message a citizen really sent is kept masked and without its chat id, and becomes
 * a training example with one click (once: a second click is a 409), audited; typed examples and their deletion;
 * the model versions published and unpublished, audited; and without a restart, a model trained with the field's
 * examples and published through the API reads the next message: "ซูบิดูบา" at the menu is answered as a greeting.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../console/auth/audit';
import { allExamples } from '../understanding/examples';
import { LIVE_CACHE_MS, storeModel } from '../understanding/models';
import { trainWithExamples } from '../understanding/training';
import { splitCorpus } from '../language/train/corpus';
import { DEFAULT_CORPUS, readCorpusDir } from '../scripts/nlu-train';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { createAndSignIn, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';
import { follow, lines, newCitizen, say } from './support/citizen';

type Who = 'somsri' | 'boss' | 'admin';
const ACCOUNTS = [
  { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901' },
  { username: 'boss', displayName: 'หัวหน้ามุกดาหาร', role: 'supervisor', provinceCode: '49' },
  { username: 'admin', displayName: 'ผู้ดูแล', role: 'admin' },
] as const;

const ENGINE_TH = JSON.parse(readFileSync(new URL('../locales/th/engine.json', import.meta.url), 'utf8')) as { understand: Record<string, string> };
const MASHING = 'asdfgh 081-234-5678';
const MADE_UP = 'ซูบิดูบา';

/** A model trained quickly: a tenth of the corpus's training split, plus the stored examples. */
function smallModel(field: Awaited<ReturnType<typeof allExamples>>) {
  const { train } = splitCorpus(readCorpusDir(DEFAULT_CORPUS));
  return trainWithExamples(
    train.filter((_, i) => i % 10 === 0),
    field,
    { train: { epochs: 10 } },
  );
}

describe.each(engines())('learning from the field in the console, over real HTTP against the real server, on %s', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let citizen: string;
  const as = {} as Record<Who, ConsoleClient>;
  const ids = {} as Record<Who, number>;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    api = await startConsoleApi(server);
    const signedIn = await createAndSignIn(api, ACCOUNTS);
    Object.assign(as, signedIn.as);
    Object.assign(ids, signedIn.ids);
    citizen = newCitizen(server, 'th');
    await follow(server, citizen);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  const newSamples = async () => (await as.admin.call('GET', '/language/samples?status=new')).body.samples as any[];

  it('lets only admins review samples, add examples and publish models', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/language/samples'],
      ['POST', '/language/samples/1/example', { intent: 'greeting' }],
      ['POST', '/language/samples/1/dismiss'],
      ['GET', '/language/examples'],
      ['POST', '/language/examples', { text: 'สวัสดี', intent: 'greeting' }],
      ['DELETE', '/language/examples/1'],
      ['GET', '/language/models'],
      ['POST', '/language/models/1/publish'],
      ['POST', '/language/models/1/unpublish'],
    ];
    for (const [method, path, body] of routes) {
      expect((await as.somsri.call(method, path, body)).status, `officer ${method} ${path}`).toBe(403);
      expect((await as.boss.call(method, path, body)).status, `supervisor ${method} ${path}`).toBe(403);
      const anonymous = await fetch(`${api.base}/console/api${path}`, { method });
      expect(anonymous.status, `signed out ${method} ${path}`).toBe(401);
    }
    expect((await as.admin.call('GET', '/language/samples')).status).toBe(200);
    expect((await as.admin.call('GET', '/language/examples')).status).toBe(200);
    expect((await as.admin.call('GET', '/language/models')).body).toEqual({ live: null, versions: [] });
    // A change without the CSRF token is refused before anything else.
    expect((await as.admin.call('POST', '/language/examples', { text: 'สวัสดี', intent: 'greeting' }, { csrf: false })).status).toBe(403);
  });

  it('keeps what a citizen typed and the bot did not understand, masked and without the chat id', async () => {
    await say(server, citizen, MASHING);
    const r = await as.admin.call('GET', '/language/samples?status=new&reason=not_understood');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(1);
    const [sample] = r.body.samples;
    expect(sample).toMatchObject({ reason: 'not_understood', intent: 'gibberish', status: 'new', correction: null, reviewedBy: null });
    expect(sample.text).toMatch(/^asdfgh /);
    expect(sample.text).not.toContain('234-5678');
    expect(sample.text).not.toContain('2345678');
    expect(r.text).not.toContain(citizen);
    // Nor in the table itself: a sample is about the words, never the person.
    const [row] = await server.db.query<Record<string, unknown>>('SELECT * FROM language_sample WHERE id = $1', [sample.id]);
    expect(JSON.stringify(row)).not.toContain(citizen);
    expect(JSON.stringify(row)).not.toContain('2345678');
  });

  it('filters and pages samples newest first, and refuses a filter it does not know', async () => {
    const at = Date.now();
    for (let i = 0; i < 3; i++) {
      await server.db.query(`INSERT INTO language_sample (reason, text, intent, confidence, at, status) VALUES ('low_confidence', $1, 'complaint', 0.41, $2, 'new')`, [`ตัวอย่าง ${i}`, at + i]);
    }
    const page1 = await as.admin.call('GET', '/language/samples?reason=low_confidence&pageSize=2');
    expect(page1.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.body.samples.map((s: any) => s.text)).toEqual(['ตัวอย่าง 2', 'ตัวอย่าง 1']);
    const page2 = await as.admin.call('GET', '/language/samples?reason=low_confidence&pageSize=2&page=2');
    expect(page2.body.samples.map((s: any) => s.text)).toEqual(['ตัวอย่าง 0']);
    expect((await as.admin.call('GET', '/language/samples?status=new')).body.samples[0].text).toBe('ตัวอย่าง 2');

    const bad = await as.admin.call('GET', '/language/samples?status=old&reason=why&pageSize=0&chat=U1');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(['', 'pageSize', 'reason', 'status']);
  });

  it('adds a sample as a training example with one click, once, audited', async () => {
    const sample = (await newSamples()).find((s) => s.reason === 'not_understood');
    const r = await as.admin.call('POST', `/language/samples/${sample.id}/example`, { intent: 'gibberish' });
    expect(r.status).toBe(201);
    expect(r.body.sample).toMatchObject({ id: sample.id, status: 'added', reviewedBy: 'admin' });
    expect(r.body.example).toMatchObject({ text: sample.text, intent: 'gibberish', category: null, topic: null, sampleId: sample.id, addedBy: 'admin' });

    expect((await newSamples()).map((s) => s.id)).not.toContain(sample.id);
    expect((await as.admin.call('GET', '/language/samples?status=added')).body.samples.map((s: any) => s.id)).toEqual([sample.id]);
    const examples = await as.admin.call('GET', '/language/examples');
    expect(examples.body.examples).toEqual([r.body.example]);

    const again = await as.admin.call('POST', `/language/samples/${sample.id}/example`, { intent: 'greeting' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ problem: 'reviewed', status: 'added' });
    expect((await as.admin.call('GET', '/language/examples')).body.total).toBe(1);

    const [line] = await auditLog(server.db, { action: 'language.example_add' });
    expect(line).toMatchObject({ officerId: ids.admin, target: `sample ${sample.id}`, detail: { example: r.body.example.id, intent: 'gibberish', category: null, topic: null } });
  });

  it('takes a category and a topic for a complaint only, and says why it refuses a label', async () => {
    const [sample] = await newSamples();
    const wrong = await as.admin.call('POST', `/language/samples/${sample.id}/example`, { intent: 'greeting', category: 'tip_off' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'category', message: 'a category and a topic are for complaints only' }]);
    const unknown = await as.admin.call('POST', `/language/samples/${sample.id}/example`, { intent: 'weather', topic: 'sky' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: any) => e.path).sort()).toEqual(['intent', 'topic']);
    expect((await as.admin.call('POST', '/language/samples/999999/example', { intent: 'greeting' })).status).toBe(404);
    expect((await as.admin.call('POST', '/language/samples/abc/example', { intent: 'greeting' })).status).toBe(404);

    const ok = await as.admin.call('POST', `/language/samples/${sample.id}/example`, { intent: 'complaint', category: 'tip_off', topic: 'gambling' });
    expect(ok.status).toBe(201);
    expect(ok.body.example).toMatchObject({ intent: 'complaint', category: 'tip_off', topic: 'gambling' });
  });

  it('dismisses a sample once, audited', async () => {
    const [sample] = await newSamples();
    const r = await as.admin.call('POST', `/language/samples/${sample.id}/dismiss`);
    expect(r.status).toBe(200);
    expect(r.body.sample).toMatchObject({ id: sample.id, status: 'dismissed', reviewedBy: 'admin' });
    expect((await as.admin.call('POST', `/language/samples/${sample.id}/dismiss`)).status).toBe(409);
    expect((await as.admin.call('POST', '/language/samples/999999/dismiss')).status).toBe(404);
    expect((await auditLog(server.db, { action: 'language.sample_dismiss' }))[0]).toMatchObject({ officerId: ids.admin, target: `sample ${sample.id}` });
  });

  it('adds an example typed by the admin, numbers masked, and deletes one (its sample back to review)', async () => {
    const typed = await as.admin.call('POST', '/language/examples', { text: '  ขอเบอร์ 0812345678 ของเจ้าหน้าที่หน่อย ', intent: 'officer' });
    expect(typed.status).toBe(201);
    expect(typed.body.example).toMatchObject({ intent: 'officer', sampleId: null, addedBy: 'admin' });
    expect(typed.body.example.text).toMatch(/^ขอเบอร์ .+ ของเจ้าหน้าที่หน่อย$/);
    expect(typed.body.example.text).not.toContain('2345678');
    const empty = await as.admin.call('POST', '/language/examples', { text: '   ', intent: 'officer' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ path: 'text' });

    expect((await as.admin.call('DELETE', `/language/examples/${typed.body.example.id}`)).status).toBe(204);
    expect((await as.admin.call('DELETE', `/language/examples/${typed.body.example.id}`)).status).toBe(404);

    // The gibberish example came from a sample: deleting it puts the sample among the new ones again.
    const fromSample = (await as.admin.call('GET', '/language/examples')).body.examples.find((e: any) => e.intent === 'gibberish');
    expect((await as.admin.call('DELETE', `/language/examples/${fromSample.id}`)).status).toBe(204);
    expect((await newSamples()).map((s) => s.id)).toContain(fromSample.sampleId);
    expect((await auditLog(server.db, { action: 'language.example_delete' })).map((l) => l.target)).toEqual([`example ${fromSample.id}`, `example ${typed.body.example.id}`]);
  });

  it(`publishes a model trained with the field's examples, and the running server reads "${MADE_UP}" with it at once`, async () => {
    const before = lines(await say(server, citizen, MADE_UP));
    expect(before).not.toContain(ENGINE_TH.understand.greeting);

    for (const text of [MADE_UP, `${MADE_UP}ครับ`, `${MADE_UP}ค่ะ`, `${MADE_UP} จ้า`, `${MADE_UP}จ้าาา`]) {
      expect((await as.admin.call('POST', '/language/examples', { text, intent: 'greeting' })).status).toBe(201);
    }
    const trained = smallModel(await allExamples(server.db));
    expect(trained.fieldExamples).toBe(6); // the five greetings and the gambling tip-off
    const version = await storeModel(server.db, { model: trained.model, examples: trained.trainedOn, accuracy: trained.accuracy, by: 'test', at: Date.now() });

    const listed = await as.admin.call('GET', '/language/models');
    expect(listed.body).toMatchObject({ live: null, versions: [{ version, examples: trained.trainedOn, trainedBy: 'test', publishedAt: null, live: false }] });
    // Stored is not live: the bot still reads with the shipped model.
    expect(lines(await say(server, citizen, MADE_UP))).not.toContain(ENGINE_TH.understand.greeting);

    const published = await as.admin.call('POST', `/language/models/${version}/publish`);
    expect(published.body).toEqual({ version, published: true, live: version });
    await new Promise((r) => setTimeout(r, LIVE_CACHE_MS + 100)); // every process reads the live version again within a second
    expect(lines(await say(server, citizen, MADE_UP))).toContain(ENGINE_TH.understand.greeting);

    const after = (await as.admin.call('GET', '/language/models')).body.versions[0];
    expect(after).toMatchObject({ version, publishedBy: 'admin', live: true });
    expect(after.publishedAt).toBeGreaterThan(0);

    const unpublished = await as.admin.call('POST', `/language/models/${version}/unpublish`);
    expect(unpublished.body).toEqual({ version, published: false, live: null });
    await new Promise((r) => setTimeout(r, LIVE_CACHE_MS + 100));
    expect(lines(await say(server, citizen, MADE_UP))).not.toContain(ENGINE_TH.understand.greeting);

    expect((await as.admin.call('POST', '/language/models/999/publish')).status).toBe(404);
    expect((await as.admin.call('POST', '/language/models/x/unpublish')).status).toBe(404);
    const audited = await auditLog(server.db, { target: `model ${version}` });
    expect(audited.map((l) => [l.action, l.officerId])).toEqual([
      ['language.model_unpublish', ids.admin],
      ['language.model_publish', ids.admin],
    ]);
  }, 60_000);
});
