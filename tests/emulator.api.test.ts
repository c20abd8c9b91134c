/**
 * The emulator speaks LINE's wire format: real HTTP, the real SDK client, no mocks.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPFetchError, messagingApi, middleware, validateSignature } from '@line/bot-sdk';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, newWebhookEventId, signBody, startEmulator } from '../emulator';
import { loadOpenApi } from '../emulator/messaging-api-schema';
import { OpenApiValidator } from '../emulator/openapi-validator';

const SECRET = 'test-channel-secret';
const TOKEN = 'test-channel-access-token';
const RETRY_KEY = '123e4567-e89b-12d3-a456-426614174000';

let em: Emulator;
let client: messagingApi.MessagingApiClient;
let blob: messagingApi.MessagingApiBlobClient;

beforeAll(async () => {
  em = await startEmulator({ channelSecret: SECRET, channelAccessToken: TOKEN });
  client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: em.url });
  blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: TOKEN, baseURL: em.url });
});
afterAll(() => em.close());
afterEach(() => em.clearFaults());

/** The SDK's HTTPFetchError for a call that must fail, so tests read LINE's status and body. */
async function failure(p: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HTTPFetchError) return { status: err.status, body: JSON.parse(err.body), headers: err.headers };
    throw err;
  }
  throw new Error('expected the call to fail');
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(em.url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {}, headers: res.headers };
}

const text = (t: string): messagingApi.Message => ({ type: 'text', text: t });

describe('reply tokens', () => {
  it('accepts a token once, answers sentMessages with digit ids and quote tokens, then refuses it', async () => {
    const user = em.addUser({ displayName: 'Somchai' });
    const token = em.mintReplyToken(user);
    const res = await client.replyMessageWithHttpInfo({ replyToken: token, messages: [text('one'), text('two')] });
    expect(res.httpResponse.status).toBe(200);
    expect(res.httpResponse.headers.get('x-line-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.sentMessages).toHaveLength(2);
    for (const m of res.body.sentMessages) {
      expect(m.id).toMatch(/^\d+$/);
      expect(m.quoteToken).toEqual(expect.any(String));
    }
    const again = await failure(client.replyMessage({ replyToken: token, messages: [text('three')] }));
    expect(again).toMatchObject({ status: 400, body: { message: 'Invalid reply token' } });
    expect(em.delivered(user).map((d) => [d.via, d.message])).toEqual([
      ['reply', text('one')],
      ['reply', text('two')],
    ]);
  });

  it('refuses an expired or unknown token', async () => {
    const user = em.addUser({ displayName: 'Late' });
    const old = em.mintReplyToken(user, Date.now() - 61_000);
    expect(await failure(client.replyMessage({ replyToken: old, messages: [text('late')] }))).toMatchObject({
      status: 400,
      body: { message: 'Invalid reply token' },
    });
    const unknown = await failure(client.replyMessage({ replyToken: 'f'.repeat(32), messages: [text('x')] }));
    expect(unknown.body).toEqual({ message: 'Invalid reply token' });
    expect(em.delivered(user)).toEqual([]);
  });

  it('replies into the group the event came from', async () => {
    const group = 'C' + 'a'.repeat(32);
    const event = em.buildEvent({ type: 'join', groupId: group });
    await client.replyMessage({ replyToken: (event as { replyToken: string }).replyToken, messages: [text('hello group')] });
    expect(em.delivered(group).map((d) => d.message)).toEqual([text('hello group')]);
  });
});

describe('push and retry keys', () => {
  it('answers a repeated retry key with 409 and the first sentMessages, and delivers once', async () => {
    const user = em.addUser({ displayName: 'Retry' });
    const key = crypto.randomUUID();
    const first = await client.pushMessageWithHttpInfo({ to: user, messages: [text('once')] }, key);
    expect(first.httpResponse.status).toBe(200);
    const requestId = first.httpResponse.headers.get('x-line-request-id');
    const second = await failure(client.pushMessage({ to: user, messages: [text('once')] }, key));
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ message: 'The retry key is already accepted', sentMessages: first.body.sentMessages });
    expect(second.headers.get('x-line-accepted-request-id')).toBe(requestId);
    expect(em.delivered(user)).toHaveLength(1);
  });

  it('refuses a retry key that is not a UUID and a `to` that is not a LINE id', async () => {
    const user = em.addUser({ displayName: 'Bad' });
    const badKey = await api('POST', '/v2/bot/message/push', { to: user, messages: [text('x')] }, { 'x-line-retry-key': 'nope' });
    expect(badKey).toMatchObject({ status: 400, json: { message: "The value for the 'X-Line-Retry-Key' header is invalid" } });
    const badTo = await api('POST', '/v2/bot/message/push', { to: 'U123', messages: [text('x')] });
    expect(badTo).toMatchObject({
      status: 400,
      json: { message: "The property, 'to', in the request body is invalid (line: -, column: -)" },
    });
    expect(em.delivered(user)).toEqual([]);
  });

  it('pushes to a group (C...) and a room (R...)', async () => {
    for (const to of ['C' + '1'.repeat(32), 'R' + '2'.repeat(32)]) {
      await client.pushMessage({ to, messages: [text('notice')] });
      expect(em.delivered(to).map((d) => d.via)).toEqual(['push']);
    }
  });

  it('after a lost response (dropAfterAccept) a retry with the same key gets 409 and nothing is sent twice', async () => {
    const user = em.addUser({ displayName: 'Lost' });
    em.inject({ endpoint: 'push', dropAfterAccept: true });
    const lost = await client.pushMessage({ to: user, messages: [text('hello')] }, RETRY_KEY).then(
      () => 'answered',
      (err: unknown) => (err instanceof HTTPFetchError ? 'http error' : 'network error'),
    );
    expect(lost).toBe('network error');
    const retry = await failure(client.pushMessage({ to: user, messages: [text('hello')] }, RETRY_KEY));
    expect(retry.status).toBe(409);
    expect(em.delivered(user).map((d) => d.message)).toEqual([text('hello')]);
    const pushes = em.calls({ endpoint: 'push' }).filter((c) => c.retryKey === RETRY_KEY);
    expect(pushes.map((c) => [c.status, c.fault])).toEqual([
      [200, 'dropAfterAccept'],
      [409, undefined],
    ]);
  });

  it('a lost reply response still consumed the token: the retry is told the token is invalid', async () => {
    const user = em.addUser({ displayName: 'Lost reply' });
    const token = em.mintReplyToken(user);
    em.inject({ endpoint: 'reply', dropAfterAccept: true });
    await expect(client.replyMessage({ replyToken: token, messages: [text('hi')] })).rejects.not.toBeInstanceOf(HTTPFetchError);
    const retry = await failure(client.replyMessage({ replyToken: token, messages: [text('hi')] }));
    expect(retry.body).toEqual({ message: 'Invalid reply token' });
    expect(em.delivered(user)).toHaveLength(1);
  });
});

describe('injected faults', () => {
  it('answers 500 and 429 with LINE bodies without consuming the token, then succeeds', async () => {
    const user = em.addUser({ displayName: 'Flaky' });
    const token = em.mintReplyToken(user);
    em.inject({ endpoint: 'reply', status: 500 });
    em.inject({ endpoint: 'reply', status: 429 });
    expect(await failure(client.replyMessage({ replyToken: token, messages: [text('a')] }))).toMatchObject({
      status: 500,
      body: { message: 'Internal server error' },
    });
    expect(await failure(client.replyMessage({ replyToken: token, messages: [text('a')] }))).toMatchObject({
      status: 429,
      body: { message: 'The API rate limit has been exceeded. Try again later.' },
    });
    await client.replyMessage({ replyToken: token, messages: [text('a')] });
    expect(em.delivered(user)).toHaveLength(1);
  });

  it('delays by latencyMs, and a network error leaves the token usable', async () => {
    const user = em.addUser({ displayName: 'Slow' });
    const token = em.mintReplyToken(user);
    em.inject({ endpoint: 'reply', networkError: true });
    await expect(client.replyMessage({ replyToken: token, messages: [text('a')] })).rejects.toThrow();
    em.inject({ endpoint: 'reply', latencyMs: 300 });
    const started = Date.now();
    await client.replyMessage({ replyToken: token, messages: [text('a')] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(em.delivered(user)).toHaveLength(1);
  });

  it("applies a fault `count` times, '*' to any endpoint, Infinity until cleared", async () => {
    const user = em.addUser({ displayName: 'Counted' });
    em.inject({ endpoint: '*', status: 503, count: 2 });
    expect((await failure(client.getProfile(user))).status).toBe(503);
    expect((await failure(client.pushMessage({ to: user, messages: [text('x')] }))).status).toBe(503);
    expect((await client.getProfile(user)).displayName).toBe('Counted');
    em.inject({ endpoint: 'profile', status: 500, count: Infinity });
    for (let i = 0; i < 3; i++) expect((await failure(client.getProfile(user))).status).toBe(500);
    await client.pushMessage({ to: user, messages: [text('other endpoints unaffected')] });
    em.clearFaults();
    expect((await client.getProfile(user)).userId).toBe(user);
  });
});

describe('authentication', () => {
  it('answers 401 without a bearer token, or with the wrong one', async () => {
    const body = { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' };
    const none = await fetch(`${em.url}/v2/bot/profile/U${'0'.repeat(32)}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual(body);
    const wrong = new messagingApi.MessagingApiClient({ channelAccessToken: 'wrong', baseURL: em.url });
    expect(await failure(wrong.pushMessage({ to: `U${'0'.repeat(32)}`, messages: [text('x')] }))).toMatchObject({
      status: 401,
      body,
    });
  });
});

describe('request bodies are checked against LINE’s OpenAPI description', () => {
  const user = `U${'b'.repeat(32)}`;
  async function badPush(messages: unknown[]): Promise<Record<string, unknown>> {
    const res = await api('POST', '/v2/bot/message/push', { to: user, messages });
    expect(res.status).toBe(400);
    return res.json;
  }
  const quickReply = (n: number) => ({
    items: Array.from({ length: n }, (_, i) => ({ type: 'action', action: { type: 'message', label: `${i}`, text: `${i}` } })),
  });

  it.each([
    ['text over 5,000 characters', [{ type: 'text', text: 'ก'.repeat(5001) }], 'Length must be between 0 and 5000', 'messages[0].text'],
    ['six messages', Array.from({ length: 6 }, () => text('x')), 'Size must be between 1 and 5', 'messages'],
    ['14 quick reply items', [{ ...text('x'), quickReply: quickReply(14) }], 'Size must be between 0 and 13', 'messages[0].quickReply.items'],
    [
      'postback data over 300 characters',
      [{ ...text('x'), quickReply: { items: [{ type: 'action', action: { type: 'postback', label: 'p', data: 'd'.repeat(301) } }] } }],
      'Length must be between 0 and 300',
      'messages[0].quickReply.items[0].action.data',
    ],
    [
      'an unknown message type',
      [{ type: 'carousel', text: 'x' }],
      'Must be one of the following values: [text,textV2,sticker,image,video,audio,location,imagemap,template,flex,coupon]',
      'messages[0].type',
    ],
    ['a text message without text', [{ type: 'text' }], 'must be specified', 'messages[0].text'],
    ['an empty text', [{ type: 'text', text: '' }], 'May not be empty', 'messages[0].text'],
    ['a number where a string belongs', [{ type: 'text', text: 42 }], 'Must be a string', 'messages[0].text'],
    ['an unknown property', [{ type: 'text', text: 'x', quickreply: {} }], 'Unrecognized property', 'messages[0].quickreply'],
  ])('refuses %s', async (_name, messages, message, property) => {
    const body = await badPush(messages);
    expect(body).toEqual({ message: 'The request body has 1 error(s)', details: [{ message, property }] });
    expect(em.delivered(user)).toEqual([]);
  });

  it('counts every error', async () => {
    const body = await badPush([{ type: 'text' }, { type: 'image', originalContentUrl: 'not a url' }]);
    expect(body['message']).toBe('The request body has 3 error(s)');
    expect(body['details']).toEqual(
      expect.arrayContaining([
        { message: 'must be specified', property: 'messages[0].text' },
        { message: 'must be specified', property: 'messages[1].previewImageUrl' },
        { message: 'invalid uri', property: 'messages[1].originalContentUrl' },
      ]),
    );
  });

  it.each([
    ['{"to": "x",\n  "messages": [}', 2, 16],
    ['{"to": tru}', 1, 8],
    ['{"to" "x"}', 1, 7],
    ['{"to": "x"} trailing', 1, 13],
    ['{"to": "x"', 1, 11],
    ['[1,]', 1, 4],
  ])('refuses a body that is not JSON, with LINE’s position: %j', async (body, line, column) => {
    const res = await api('POST', '/v2/bot/message/push', body);
    expect(res).toMatchObject({
      status: 400,
      json: { message: `The request body could not be parsed as JSON (line: ${line}, column: ${column})` },
    });
  });

  it('refuses a body that is not declared JSON with 415', async () => {
    const res = await api('POST', '/v2/bot/message/push', '{}', { 'content-type': 'text/plain' });
    expect(res).toMatchObject({ status: 415, json: { message: 'The content type, text/plain, is not supported' } });
  });

  it('accepts a Flex bubble, a Flex carousel and button and confirm templates', async () => {
    const bubble: messagingApi.FlexBubble = {
      type: 'bubble',
      hero: { type: 'image', url: 'https://example.com/a.png', size: 'full', aspectRatio: '20:13', aspectMode: 'cover' },
      body: {
        type: 'box',
        layout: 'vertical',
        spacing: 'md',
        contents: [
          { type: 'text', text: 'เรื่องร้องเรียน #1234', weight: 'bold', size: 'xl', wrap: true },
          { type: 'separator', margin: 'md' },
          {
            type: 'box',
            layout: 'baseline',
            contents: [
              { type: 'icon', url: 'https://example.com/i.png' },
              { type: 'text', text: 'สถานะ', color: '#aaaaaa', flex: 1 },
              { type: 'text', contents: [{ type: 'span', text: 'กำลังดำเนินการ', weight: 'bold' }], flex: 3 },
            ],
          },
          { type: 'filler' },
        ],
      },
      footer: {
        type: 'box',
        layout: 'horizontal',
        contents: [
          { type: 'button', style: 'primary', action: { type: 'postback', label: 'ติดตาม', data: 'track=1234', displayText: 'ติดตาม' } },
          { type: 'button', style: 'link', action: { type: 'uri', label: 'เว็บ', uri: 'https://example.com' } },
        ],
      },
    };
    const res = await client.pushMessageWithHttpInfo({
      to: user,
      messages: [
        { type: 'flex', altText: 'เรื่อง #1234', contents: bubble },
        { type: 'flex', altText: 'รายการ', contents: { type: 'carousel', contents: [bubble, bubble] } },
        {
          type: 'template',
          altText: 'เลือก',
          template: {
            type: 'buttons',
            title: 'ประเภทเรื่อง',
            text: 'เลือกประเภท',
            actions: [
              { type: 'message', label: 'ถนน', text: 'ถนน' },
              { type: 'datetimepicker', label: 'วันที่', data: 'date', mode: 'date' },
              { type: 'location', label: 'ตำแหน่ง' },
            ],
          },
        },
        {
          type: 'template',
          altText: 'ยืนยัน',
          template: {
            type: 'confirm',
            text: 'ยืนยันการส่ง?',
            actions: [
              { type: 'postback', label: 'ใช่', data: 'yes' },
              { type: 'message', label: 'ไม่', text: 'ไม่' },
            ],
          },
        },
        { type: 'location', title: 'ศาลากลาง', address: 'มุกดาหาร', latitude: 16.5453, longitude: 104.7235 },
      ],
    });
    expect(res.httpResponse.status).toBe(200);
    expect(em.delivered(user)).toHaveLength(5);
  });

  it('refuses a Flex carousel of 13 bubbles and an unknown Flex component', async () => {
    const bubble = { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'x' }] } };
    const tooMany = await badPush([{ type: 'flex', altText: 'x', contents: { type: 'carousel', contents: Array(13).fill(bubble) } }]);
    expect(tooMany['details']).toEqual([{ message: 'Size must be between 1 and 12', property: 'messages[0].contents.contents' }]);
    const unknown = await badPush([
      { type: 'flex', altText: 'x', contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'spacer' }] } } },
    ]);
    expect(unknown['details']).toEqual([
      {
        message: 'Must be one of the following values: [box,button,image,video,icon,text,span,separator,filler]',
        property: 'messages[0].contents.body.contents[0].type',
      },
    ]);
  });
});

describe('loading animation', () => {
  it('answers 202 {} for a user, refuses other chats and steps that are not multiples of 5', async () => {
    const user = em.addUser({ displayName: 'Waiting' });
    const ok = await client.showLoadingAnimationWithHttpInfo({ chatId: user, loadingSeconds: 10 });
    expect(ok.httpResponse.status).toBe(202);
    expect(ok.body).toEqual({});
    const odd = await api('POST', '/v2/bot/chat/loading/start', { chatId: user, loadingSeconds: 7 });
    expect(odd.json).toEqual({
      message: 'The request body has 1 error(s)',
      details: [{ message: 'Must be a multiple of 5', property: 'loadingSeconds' }],
    });
    const long = await api('POST', '/v2/bot/chat/loading/start', { chatId: user, loadingSeconds: 65 });
    expect(long.json['details']).toEqual([{ message: 'Must be less than or equal to 60', property: 'loadingSeconds' }]);
    const group = await api('POST', '/v2/bot/chat/loading/start', { chatId: `C${'0'.repeat(32)}` });
    expect(group.status).toBe(400);
  });
});

describe('profiles and content', () => {
  it('serves a profile, 404 for an unknown user, 400 for a malformed id', async () => {
    const user = em.addUser({ displayName: 'สมหญิง', language: 'th', pictureUrl: 'https://example.com/p.png' });
    expect(user).toMatch(/^U[0-9a-f]{32}$/);
    expect(await client.getProfile(user)).toEqual({
      userId: user,
      displayName: 'สมหญิง',
      language: 'th',
      pictureUrl: 'https://example.com/p.png',
    });
    expect(await failure(client.getProfile(`U${'9'.repeat(32)}`))).toMatchObject({ status: 404, body: { message: 'Not found' } });
    expect((await failure(client.getProfile('not-a-user'))).status).toBe(400);
    const given = em.addUser({ userId: `U${'c'.repeat(32)}`, displayName: 'Given' });
    expect(given).toBe(`U${'c'.repeat(32)}`);
  });

  it('serves message content bytes with their type from the data-host path, 404 when absent', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    em.putContent('100200300', bytes, 'image/png');
    const res = await blob.getMessageContentWithHttpInfo('100200300');
    expect(res.httpResponse.headers.get('content-type')).toBe('image/png');
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(Buffer.from(c as Uint8Array));
    expect(Buffer.concat(chunks)).toEqual(bytes);
    expect(await failure(blob.getMessageContent('999999'))).toMatchObject({ status: 404, body: { message: 'Not found' } });
  });
});

describe('rich menus', () => {
  const menu: messagingApi.RichMenuRequest = {
    size: { width: 2500, height: 843 },
    selected: true,
    name: 'main',
    chatBarText: 'เมนู',
    areas: [{ bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: 'postback', data: 'menu=report' } }],
  };

  it('creates, uploads an image, sets the default, lists, gets and deletes', async () => {
    const { richMenuId } = await client.createRichMenu(menu);
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    expect(await failure(client.setDefaultRichMenu(richMenuId))).toMatchObject({ status: 400 });
    await blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }));
    const again = await failure(blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array([1])], { type: 'image/png' })));
    expect(again).toMatchObject({ status: 400, body: { message: 'An image has already been uploaded to the richmenu' } });
    const gif = await failure(blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array([1])], { type: 'image/gif' })));
    expect(gif.status).toBe(415);
    await client.setDefaultRichMenu(richMenuId);
    expect(await client.getDefaultRichMenuId()).toEqual({ richMenuId });
    expect((await client.getRichMenuList()).richmenus).toEqual([{ richMenuId, ...menu }]);
    expect(await client.getRichMenu(richMenuId)).toEqual({ richMenuId, ...menu });
    await client.deleteRichMenu(richMenuId);
    expect((await failure(client.getRichMenu(richMenuId))).status).toBe(404);
    expect((await failure(client.getDefaultRichMenuId())).status).toBe(404);
  });

  it('refuses a chat bar text over 14 characters and a missing name', async () => {
    const res = await api('POST', '/v2/bot/richmenu', { ...menu, chatBarText: 'x'.repeat(15), name: undefined });
    expect(res.json['details']).toEqual(
      expect.arrayContaining([
        { message: 'Length must be between 0 and 14', property: 'chatBarText' },
        { message: 'must be specified', property: 'name' },
      ]),
    );
  });
});

describe('webhook delivery', () => {
  let bot: Server;
  let received: Array<{ raw: Buffer; headers: IncomingHttpHeaders }>;

  beforeAll(async () => {
    received = [];
    bot = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ raw: Buffer.concat(chunks), headers: req.headers });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', r));
    em.setWebhookUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/webhook`);
  });
  afterAll(() => new Promise<void>((r) => bot.close(() => r())));

  it('signs the exact bytes so the SDK’s validateSignature accepts them, Thai and emoji included', async () => {
    const user = em.addUser({ displayName: 'ทดสอบ' });
    const event = em.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'สวัสดีครับ 🙏🏽 ถนนชำรุด "quoted" \\ / \u2028' } });
    const result = await em.deliver([event]);
    expect(result).toEqual({ status: 200, body: 'ok' });
    const last = received.at(-1)!;
    expect(validateSignature(last.raw, SECRET, last.headers['x-line-signature'] as string)).toBe(true);
    expect(last.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(last.headers['user-agent']).toBe('LineBotWebhook/2.0');
    const parsed = JSON.parse(last.raw.toString('utf8'));
    expect(parsed.destination).toMatch(/^U[0-9a-f]{32}$/);
    expect(parsed.events[0].message.text).toContain('🙏🏽');
    expect(signBody(SECRET, last.raw)).toBe(last.headers['x-line-signature']);
  });

  it('lets a test send a bad signature, and the SDK middleware refuses it', async () => {
    const app = express();
    app.post('/webhook', middleware({ channelSecret: SECRET }), (_req, res) => {
      res.status(200).end();
    });
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err.name === 'SignatureValidationFailed' ? 401 : 400).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      em.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`);
      const event = em.buildEvent({ type: 'follow', userId: em.addUser({ displayName: 'x' }) });
      expect((await em.deliver([event])).status).toBe(200);
      expect((await em.deliver([event], { signature: 'AAAA' })).status).toBe(401);
      expect((await em.deliverRaw('{"destination":"x","events":[]}')).status).toBe(200);
    } finally {
      server.close();
      em.setWebhookUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/webhook`);
    }
  });

  it('builds events that conform to LINE’s webhook schema', async () => {
    const validate = new OpenApiValidator(loadOpenApi('webhook.json')).schema('CallbackRequest');
    const user = em.addUser({ displayName: 'Events' });
    const group = `C${'d'.repeat(32)}`;
    const events = [
      em.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'hi' } }),
      em.buildEvent({ type: 'message', userId: user, message: { type: 'image' } }),
      em.buildEvent({ type: 'message', userId: user, message: { type: 'sticker', packageId: '446', stickerId: '1988' } }),
      em.buildEvent({ type: 'message', userId: user, message: { type: 'location', latitude: 16.5453, longitude: 104.7235 } }),
      em.buildEvent({ type: 'follow', userId: user }),
      em.buildEvent({ type: 'unfollow', userId: user }),
      em.buildEvent({ type: 'postback', userId: user, postback: { data: 'a=1', params: { date: '2026-01-02' } } }),
      em.buildEvent({ type: 'join', groupId: group }),
      em.buildEvent({ type: 'message', groupId: group, userId: user, message: { type: 'text', text: 'in group' } }),
    ];
    const destination = `U${'e'.repeat(32)}`;
    expect(validate({ destination, events })).toEqual([]);

    const [text, image, sticker, location, follow, unfollow] = events as unknown as Array<Record<string, any>>;
    const before = Date.now();
    expect(text!.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(events.map((e) => e.webhookEventId)).size).toBe(events.length);
    expect(text!.timestamp).toBeLessThanOrEqual(before);
    expect(text).toMatchObject({ mode: 'active', deliveryContext: { isRedelivery: false }, source: { type: 'user', userId: user } });
    expect(text!.replyToken).toMatch(/^[0-9a-f]{32}$/);
    expect(text!.message.id).toMatch(/^\d+$/);
    expect(text!.message.quoteToken).toEqual(expect.any(String));
    expect(image!.message).toMatchObject({ contentProvider: { type: 'line' }, quoteToken: expect.any(String) });
    expect(sticker!.message.quoteToken).toEqual(expect.any(String));
    expect(location!.message.quoteToken).toBeUndefined();
    expect(follow!.replyToken).toEqual(expect.any(String));
    expect(unfollow!.replyToken).toBeUndefined();
    expect(events[8]).toMatchObject({ source: { type: 'group', groupId: group, userId: user } });
  });

  it('builds, signs and delivers partial events through POST /emulator/deliver', async () => {
    const user = em.addUser({ displayName: 'Remote sender' });
    const res = await fetch(`${em.url}/emulator/deliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ type: 'message', userId: user, message: { type: 'text', text: 'ส่งจากที่อื่น' } }] }),
    });
    const out = (await res.json()) as { status: number; body: string; events: Array<{ replyToken: string }> };
    expect(out.status).toBe(200);
    expect(out.events[0]!.replyToken).toMatch(/^[0-9a-f]{32}$/);
    const last = received.at(-1)!;
    expect(validateSignature(last.raw, SECRET, last.headers['x-line-signature'] as string)).toBe(true);
    expect(JSON.parse(last.raw.toString()).events).toEqual(out.events);
  });

  it('makes ULIDs whose first 10 characters encode the time', () => {
    const now = Date.UTC(2026, 0, 1);
    const id = newWebhookEventId(now);
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const decoded = [...id.slice(0, 10)].reduce((t, c) => t * 32 + alphabet.indexOf(c), 0);
    expect(decoded).toBe(now);
  });
});

describe('call log and control API', () => {
  it('records each call with its body, status and response', async () => {
    em.clearCalls();
    const user = em.addUser({ displayName: 'Logged' });
    await client.pushMessage({ to: user, messages: [text('logged')] }, crypto.randomUUID());
    const [call] = em.calls({ endpoint: 'push' });
    expect(call).toMatchObject({
      endpoint: 'push',
      method: 'POST',
      path: '/v2/bot/message/push',
      retryKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
      body: { to: user, messages: [text('logged')] },
      status: 200,
      response: { sentMessages: [{ id: expect.any(String), quoteToken: expect.any(String) }] },
    });
    expect(call!.at).toBeLessThanOrEqual(Date.now());
    const waited = await em.waitForCalls((c) => c.some((x) => x.endpoint === 'push'), 100);
    expect(waited.length).toBeGreaterThan(0);
    await expect(em.waitForCalls(() => false, 50)).rejects.toThrow(/waitForCalls/);
  });

  it('serves the module API over HTTP under /emulator/', async () => {
    const control = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(em.url + path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as any };
    };
    await control('DELETE', '/emulator/calls');
    const { json: created } = await control('POST', '/emulator/users', { displayName: 'Remote', language: 'en' });
    const { json: minted } = await control('POST', '/emulator/reply-tokens', { chatId: created.userId, count: 3 });
    expect(minted.tokens).toHaveLength(3);
    await control('POST', '/emulator/faults', { endpoint: 'reply', status: 500, count: -1 });
    expect((await failure(client.replyMessage({ replyToken: minted.tokens[0], messages: [text('x')] }))).status).toBe(500);
    expect((await failure(client.replyMessage({ replyToken: minted.tokens[0], messages: [text('x')] }))).status).toBe(500);
    await control('DELETE', '/emulator/faults');
    await client.replyMessage({ replyToken: minted.tokens[0], messages: [text('remote')] });
    const { json: all } = await control('GET', '/emulator/calls?endpoint=reply');
    expect(all.map((c: { status: number }) => c.status)).toEqual([500, 500, 200]);
    const { json: since } = await control('GET', `/emulator/calls?since=${all[1].seq}`);
    expect(since.map((c: { status: number }) => c.status)).toEqual([200]);
    const { json: delivered } = await control('GET', `/emulator/delivered?chatId=${created.userId}`);
    expect(delivered.map((d: { message: unknown }) => d.message)).toEqual([text('remote')]);
    expect((await control('POST', '/emulator/faults', { endpoint: 'nowhere' })).status).toBe(400);
    const { json: users } = await control('GET', '/emulator/users');
    expect(users).toContainEqual({ userId: created.userId, displayName: 'Remote', language: 'en' });
  });

  it('stores content and sets the webhook URL for other processes', async () => {
    const put = await fetch(`${em.url}/emulator/content/777000111`, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array([0xff, 0xd8, 0xff]),
    });
    expect(put.status).toBe(200);
    const got = await fetch(`${em.url}/v2/bot/message/777000111/content`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await got.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await fetch(`${em.url}/emulator/content/not-digits`, { method: 'PUT', body: 'x' })).status).toBe(400);

    const bad = await fetch(`${em.url}/emulator/webhook`, { method: 'PUT', body: JSON.stringify({ url: 'nope' }) });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${em.url}/emulator/webhook`, { method: 'PUT', body: JSON.stringify({ url: 'http://127.0.0.1:9/x' }) });
    expect(ok.status).toBe(200);
    const deliver = await fetch(`${em.url}/emulator/deliver`, { method: 'POST', body: JSON.stringify({ events: [{ type: 'unfollow' }] }) });
    expect(deliver.status).toBe(502);
  });
});
