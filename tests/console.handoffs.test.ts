import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../console/auth/officers';
import { FlowHandler } from '../bot/flow-handler';
import { loadSession } from '../flows/sessions';
import { engines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { login, OFFICER_PASSWORD, startConsoleApi, type ConsoleApiServer, type ConsoleClient, type SignIn } from './support/console-client';
import { follow, lines, newCitizen, quick, received, say, sendPhoto } from './support/citizen';

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const RATING = {
  ask: 'เจ้าหน้าที่ได้จบการสนทนาแล้วค่ะ ท่านพึงพอใจการสนทนากับเจ้าหน้าที่ระดับใด (5 = มากที่สุด)',
  quick: ['5 มากที่สุด', '4 มาก', '3 ปานกลาง', '2 น้อย', '1 น้อยที่สุด', 'ยกเลิก'],
  askComment: 'มีข้อเสนอแนะเพิ่มเติมไหมคะ (พิมพ์ได้เลย หรือกด "ข้าม")',
  thanks: 'ขอบคุณสำหรับความคิดเห็นค่ะ หากต้องการความช่วยเหลือเพิ่มเติม พิมพ์ "เมนู" ได้ตลอดเวลา',
};

/** These calls take the API's full paths, as the URLs it hands out (a photo's contentUrl) are. */
const FULL_PATHS: SignIn = { apiRoot: '' };

/** The console API with the bot's own conversations behind it, so an ended chat is the bot's again (it asks for a rating). */
function consoleWithBot(server: TestServer): Promise<ConsoleApiServer> {
  const flowHandler = new FlowHandler({
    flows: server.flows,
    idleMs: server.settings.sessionIdleMs,
    services: { cipher: server.cipher, cases: server.settings.cases, publicUrl: server.url, faq: null, centerDistrict: server.settings.centerDistrict },
  });
  return startConsoleApi(server, {
    converse: (tx, c) => flowHandler.converse(tx, { ...c, profile: null, faq: null, inboxEventId: null }),
    onQueued: () => server.outbox.wake(),
    stream: { pollMs: 100 },
  });
}

/** Reads a Server-Sent Events stream in the background; `events` fills as they arrive. */
function openStream(base: string, path: string, cookie: string) {
  const events: { event: string; data: any }[] = [];
  const abort = new AbortController();
  const done = (async () => {
    const res = await fetch(base + path, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: data ? JSON.parse(data) : null });
      }
    }
  })().catch((err: Error) => {
    if (err.name !== 'AbortError') throw err;
  });
  return { events, close: () => abort.abort(), done };
}

describe.each(engines())('the officer console: handoff queue and live chat, over real HTTP against the real server, on %s', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let somsri: ConsoleClient; // officer of 4901, the center's district
  let niran: ConsoleClient; // officer of 4902: another district
  let boss: ConsoleClient; // supervisor of province 49

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    api = await consoleWithBot(server);
    await api.auth.officers.create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901', password: OFFICER_PASSWORD });
    await api.auth.officers.create(CLI_ACTOR, { username: 'niran', displayName: 'นิรันดร์', role: 'officer', districtCode: '4902', password: OFFICER_PASSWORD });
    await api.auth.officers.create(CLI_ACTOR, { username: 'boss', displayName: 'หัวหน้า', role: 'supervisor', provinceCode: '49', password: OFFICER_PASSWORD });
    somsri = await login(api.base, 'somsri', FULL_PATHS);
    niran = await login(api.base, 'niran', FULL_PATHS);
    boss = await login(api.base, 'boss', FULL_PATHS);
  }, 30_000);
  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  it('takes a citizen from asking for an officer, through a claimed live chat with a photo and a reply, to a 4/5 rating', async () => {
    const manee = newCitizen(server, 'th', 'มานี');
    await follow(server, manee);
    await say(server, manee, 'ติดต่อเจ้าหน้าที่');

    // In the queue of an officer of the district, with the citizen's name and how long she has waited.
    const queue = await somsri.call('GET', '/console/api/handoffs');
    expect(queue.status).toBe(200);
    expect(queue.body.handoffs).toHaveLength(1);
    const h = queue.body.handoffs[0];
    expect(h).toMatchObject({ displayName: 'มานี', reason: 'requested', royalPetition: false, districtCode: '4901', claimedBy: null });
    expect(h.waitingSeconds).toBeGreaterThanOrEqual(0);

    // Not for an officer of another district: not listed, and as if it did not exist.
    expect((await niran.call('GET', '/console/api/handoffs')).body.handoffs).toEqual([]);
    expect((await niran.call('POST', `/console/api/handoffs/${h.id}/claim`)).status).toBe(404);
    expect((await niran.call('GET', `/console/api/handoffs/${h.id}/messages`)).status).toBe(404);

    // One officer takes it; a second claim is refused.
    const claimed = await somsri.call('POST', `/console/api/handoffs/${h.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.claimedBy).toMatchObject({ name: 'สมศรี ใจดี' });
    expect((await boss.call('POST', `/console/api/handoffs/${h.id}/claim`)).status).toBe(409);
    expect((await somsri.call('POST', `/console/api/handoffs/${h.id}/claim`)).status).toBe(409);
    expect((await boss.call('GET', '/console/api/handoffs')).body.handoffs[0].claimedBy).toMatchObject({ name: 'สมศรี ใจดี' });
    // Only the officer who holds the chat writes in it.
    expect((await boss.call('POST', `/console/api/handoffs/${h.id}/reply`, { text: 'สวัสดีค่ะ' })).status).toBe(409);

    const stream = openStream(api.base, `/console/api/handoffs/${h.id}/stream`, somsri.cookie);
    // The bot stays quiet while an officer has the chat.
    expect(await say(server, manee, 'ถนนหน้าบ้านเป็นหลุม <b>อันตราย</b> ค่ะ')).toEqual([]);
    expect(await sendPhoto(server, manee)).toEqual([]);

    const messages = await somsri.call('GET', `/console/api/handoffs/${h.id}/messages`);
    expect(messages.status).toBe(200);
    expect(messages.body.messages.map((m: any) => [m.direction, m.type, m.text ?? null])).toEqual([
      ['in', 'text', 'ถนนหน้าบ้านเป็นหลุม <b>อันตราย</b> ค่ะ'],
      ['in', 'image', null],
    ]);
    // Who read the chat is in the audit log, the live stream's opening too; the officer refused above left no line.
    const reads = await waitFor(async () => {
      const rows = await server.db.query<{ target: string; detail: string | null }>(`SELECT target, detail FROM audit_log WHERE action = 'handoff.view_chat'`);
      return rows.length >= 2 && rows;
    }, 5_000, 'two reads of the chat audited');
    expect(reads.map((r) => [r.target, r.detail ? JSON.parse(r.detail).via : null]).sort()).toEqual([
      [`handoff:${h.id}`, null],
      [`handoff:${h.id}`, 'stream'],
    ]);
    const photoUrl: string = messages.body.messages[1].contentUrl;
    const photo = await somsri.call('GET', photoUrl);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(photo.headers.get('content-disposition')).toBe('inline');
    expect(photo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(photo.bytes.equals(JPEG)).toBe(true);
    expect((await niran.call('GET', photoUrl)).status).toBe(404);
    // The download is audited, against the chat it was sent in; the refused one is not.
    const downloads = await server.db.query<{ target: string; detail: string }>(`SELECT target, detail FROM audit_log WHERE action = 'handoff.download_file'`);
    expect(downloads.map((d) => [d.target, JSON.parse(d.detail).messageId])).toEqual([[`handoff:${h.id}`, decodeURIComponent(photoUrl.split('/').at(-1)!)]]);

    const before = server.emulator.delivered(manee).length;
    const reply = await somsri.call('POST', `/console/api/handoffs/${h.id}/reply`, { text: 'รับเรื่องแล้วค่ะ จะส่งช่างไปตรวจพรุ่งนี้' });
    expect(reply.status).toBe(201);
    expect(lines(await received(server, manee, before, 1))).toEqual(['รับเรื่องแล้วค่ะ จะส่งช่างไปตรวจพรุ่งนี้']);
    expect(server.emulator.delivered(manee).at(-1)!.via).toBe('push');
    const [claim] = await server.db.query<{ first_reply_at: number | null }>('SELECT first_reply_at FROM handoff_claim WHERE handoff_id = $1', [h.id]);
    expect(claim!.first_reply_at).not.toBeNull();

    // The stream carried the citizen's text, her photo and the reply, as they came.
    await waitFor(() => stream.events.filter((e) => e.event === 'message').length >= 3, 5_000, 'three messages over SSE');
    expect(stream.events.filter((e) => e.event === 'message').map((e) => [e.data.direction, e.data.type])).toEqual([
      ['in', 'text'],
      ['in', 'image'],
      ['out', 'text'],
    ]);

    // Ended: the chat is the bot's again, which asks for a rating.
    const afterReply = server.emulator.delivered(manee).length;
    const ended = await somsri.call('POST', `/console/api/handoffs/${h.id}/end`, { reason: 'resolved' });
    expect(ended.status).toBe(200);
    const asked = await received(server, manee, afterReply, 1);
    expect(lines(asked)).toEqual([RATING.ask]);
    expect(quick(asked[0])).toEqual(RATING.quick);
    await waitFor(() => stream.events.some((e) => e.event === 'ended'), 5_000, 'the stream told the chat ended');
    expect((await loadSession(server.db, manee, server.cipher)).state?.handoff).toBeNull();
    expect((await somsri.call('GET', '/console/api/handoffs')).body.handoffs).toEqual([]);
    expect((await somsri.call('POST', `/console/api/handoffs/${h.id}/reply`, { text: 'ยังอยู่ไหมคะ' })).status).toBe(409);

    expect(lines(await say(server, manee, '4 มาก'))).toEqual([RATING.askComment]);
    expect(lines(await say(server, manee, 'ข้าม'))).toEqual([RATING.thanks]);
    const ratings = await server.db.query<{ subject: string; rating: number; comment: string | null; chat_id: string }>(
      'SELECT subject, rating, comment, chat_id FROM survey_response',
    );
    expect(ratings.map((r) => ({ ...r, rating: Number(r.rating) }))).toEqual([{ subject: 'chat', rating: 4, comment: null, chat_id: manee }]);
    stream.close();
  }, 60_000);

  it('flags a royal petition in the queue, sends canned replies in the citizen language, and ends the stream at logout', async () => {
    const citizen = newCitizen(server, 'en', 'Somchai');
    await follow(server, citizen);
    await say(server, citizen, 'I want to petition the King');
    const [h] = (await somsri.call('GET', '/console/api/handoffs')).body.handoffs;
    expect(h).toMatchObject({ displayName: 'Somchai', reason: 'royal_petition', royalPetition: true });

    // Canned replies are the district's settings: its supervisor writes them, its officers send them.
    const canned = await boss.call('POST', '/console/api/canned-replies', { districtCode: '4901', title: 'รับเรื่อง', textTh: 'รับเรื่องแล้วค่ะ', textEn: 'We have your request.' });
    expect(canned.status).toBe(201);
    expect((await niran.call('GET', '/console/api/canned-replies')).body.cannedReplies).toEqual([]);
    expect((await niran.call('GET', '/console/api/canned-replies?district=4901')).status).toBe(403);
    expect((await somsri.call('GET', '/console/api/canned-replies')).body.cannedReplies.map((c: any) => c.title)).toEqual(['รับเรื่อง']);
    // Without the CSRF token a reply is refused.
    const noCsrf = await fetch(`${api.base}/console/api/handoffs/${h.id}/reply`, {
      method: 'POST',
      headers: { cookie: somsri.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x' }),
    });
    expect(noCsrf.status).toBe(403);

    expect((await somsri.call('POST', `/console/api/handoffs/${h.id}/claim`)).status).toBe(200);
    const before = server.emulator.delivered(citizen).length;
    expect((await somsri.call('POST', `/console/api/handoffs/${h.id}/reply`, { cannedId: canned.body.id })).status).toBe(201);
    expect(lines(await received(server, citizen, before, 1))).toEqual(['We have your request.']);

    const stream = openStream(api.base, `/console/api/handoffs/${h.id}/stream`, somsri.cookie);
    await waitFor(() => stream.events.length >= 1, 5_000, 'the reply over SSE');
    expect((await somsri.call('POST', '/console/api/logout')).status).toBe(204);
    await waitFor(() => stream.events.some((e) => e.event === 'logout'), 5_000, 'the stream closed at logout');
    await stream.done;
    somsri = await login(api.base, 'somsri', FULL_PATHS);
  }, 60_000);
});
