/**
 * /metrics with real traffic: signed webhooks through the real HTTP server, a complaint filed in the chat, an
 * officer's status change pushed to the citizen, a chat held up behind a slow LINE call. Each metric the
 * operations guide names (docs/deploy.md) moves as that traffic says it should; the endpoint wants OPS_TOKEN.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { deliveredCount, fileComplaint, follow, newCitizen, officerSets, received, say } from './support/citizen';

const OPS_TOKEN = 'metrics-test-ops-token-0123456789';
const ADMIN_TOKEN = 'metrics-test-admin-token-0123456789';

type Samples = Map<string, number>;

/** Prometheus's text format as `name{labels}` -> value, labels in the order the registry writes them. */
function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** The sum of every sample of `name` whose labels include all of `labels`. */
function total(s: Samples, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, value] of s) {
    const brace = key.indexOf('{');
    if ((brace < 0 ? key : key.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

async function scrape(server: TestServer): Promise<Samples> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

describe.each(engines())('metrics with real traffic (%s)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, { OPS_TOKEN, ADMIN_TOKEN, ADMIN_TOKEN_HOLDER: 'metrics test' });
  });
  afterAll(() => server?.stop());

  it('are served only with the operations token', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } })).status).toBe(401);
    const s = await scrape(server);
    expect(total(s, 'echannel_info', { database: engine, line: 'emulator' })).toBe(1);
    // Node's own, among them the event loop's lag.
    expect(s.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(s.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('count webhooks, their acknowledgement, LINE calls, replies and pushes, flows, the language layer and the database', async () => {
    const before = await scrape(server);
    const citizen = newCitizen(server, 'th');
    await follow(server, citizen);
    const number = await fileComplaint(server, citizen, 'th');
    // Free text at the menu is read by the language layer.
    await say(server, citizen, 'ขอบคุณมากค่ะ');
    // A bad signature is answered 401 and counted as such.
    const forged = await server.emulator.deliverRaw(JSON.stringify({ destination: 'x', events: [] }), { 'x-line-signature': 'forged' });
    expect(forged.status).toBe(401);
    // An officer's public status change is pushed: the citizen's reply token is long used.
    const pushedBefore = deliveredCount(server, citizen);
    await officerSets(server, number, { status: 'in_progress', note: 'ส่งช่างไปตรวจแล้ว', public: true }, ADMIN_TOKEN);
    await received(server, citizen, pushedBefore, 1);
    const after = await scrape(server);
    const grew = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);

    // 1 follow + the 13 turns of the complaint (a pin is confirmed with one tap) + the thanks, each its own request.
    expect(grew('echannel_webhook_requests_total', { status: '200' })).toBe(15);
    expect(grew('echannel_webhook_requests_total', { status: '401' })).toBe(1);
    expect(grew('echannel_webhook_events_total', { type: 'message', outcome: 'accepted' })).toBe(14);
    expect(grew('echannel_webhook_events_total', { type: 'follow', outcome: 'accepted' })).toBe(1);
    expect(grew('echannel_webhook_ack_seconds_count')).toBe(16);
    expect(grew('echannel_webhook_ack_seconds_bucket', { status: '200', le: '+Inf' })).toBe(15);

    expect(grew('echannel_line_api_requests_total', { endpoint: 'reply', status: '200' })).toBeGreaterThanOrEqual(15);
    expect(grew('echannel_line_api_requests_total', { endpoint: 'push', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(grew('echannel_line_api_requests_total', { endpoint: 'profile', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(grew('echannel_line_api_seconds_count', { endpoint: 'reply' })).toBeGreaterThanOrEqual(14);
    expect(grew('echannel_line_sends_total', { via: 'reply' })).toBe(grew('echannel_line_api_requests_total', { endpoint: 'reply', status: '200' }));
    expect(grew('echannel_line_sends_total', { via: 'push' })).toBeGreaterThanOrEqual(1);

    expect(grew('echannel_flow_steps_total', { flow: 'complaint' })).toBeGreaterThanOrEqual(10);
    expect(grew('echannel_flow_outcomes_total', { flow: 'complaint', outcome: 'started' })).toBe(1);
    expect(grew('echannel_flow_outcomes_total', { flow: 'complaint', outcome: 'completed' })).toBe(1);
    expect(grew('echannel_flow_actions_total')).toBeGreaterThanOrEqual(1);
    expect(grew('echannel_language_confidence_count')).toBeGreaterThanOrEqual(1);

    expect(grew('echannel_database_seconds_count', { kind: 'transaction' })).toBeGreaterThanOrEqual(13);
    expect(grew('echannel_database_seconds_count', { kind: 'statement' })).toBeGreaterThan(0);
  }, 60_000);

  it("show the month's pushes against the plan's quota, as LINE reports them", async () => {
    server.emulator.setMessageQuota(500);
    await server.metrics.readQuota();
    let s = await scrape(server);
    expect(total(s, 'echannel_line_message_quota')).toBe(500);
    expect(total(s, 'echannel_line_message_quota_used')).toBe(server.emulator.pushedThisMonth());
    expect(total(s, 'echannel_line_message_quota_used')).toBeGreaterThanOrEqual(1);
    // As LINE counts: one per push request to one user, however many message objects it carries; replies are free.
    expect(server.emulator.pushedThisMonth()).toBe(server.emulator.calls({ endpoint: 'push' }).filter((c) => c.status === 200).length);
    expect(total(s, 'echannel_line_api_requests_total', { endpoint: 'quota', status: '200' })).toBeGreaterThanOrEqual(2);

    server.emulator.setMessageQuota(null);
    await server.metrics.readQuota();
    s = await scrape(server);
    expect(total(s, 'echannel_line_message_quota')).toBe(-1);
  });

  it('show the queues: a chat held up behind a slow LINE call waits, and it is counted with its age', async () => {
    const citizen = newCitizen(server, 'th', 'ช้า');
    // The first event of a chat new to this process fetches the LINE profile: LINE answers it slowly.
    server.emulator.inject({ endpoint: 'profile', latencyMs: 1_500 });
    const events = ['สวัสดีค่ะ', 'มีเรื่องจะแจ้ง', 'ถนนเป็นหลุม'].map((text) => server.emulator.buildEvent({ type: 'message', userId: citizen, message: { type: 'text', text } }));
    for (const e of events) expect((await server.emulator.deliver([e])).status).toBe(200);
    await waitFor(async () => {
      await server.metrics.countQueues();
      const s = await scrape(server);
      return total(s, 'echannel_queue_items', { queue: 'inbox', state: 'in_hand' }) === 1 && total(s, 'echannel_queue_items', { queue: 'inbox', state: 'waiting' }) === 2;
    }, 5_000, 'one event in hand and two waiting behind it');
    await new Promise((r) => setTimeout(r, 200));
    await server.metrics.countQueues();
    const held = await scrape(server);
    expect(total(held, 'echannel_queue_oldest_seconds', { queue: 'inbox' })).toBeGreaterThan(0.1);
    for (const queue of ['outbox', 'notification', 'job']) expect(held.has(`echannel_queue_items{queue="${queue}",state="waiting"}`), queue).toBe(true);

    // Once LINE answers, the chat drains and the queue is empty again.
    await waitFor(async () => {
      await server.metrics.countQueues();
      const s = await scrape(server);
      return total(s, 'echannel_queue_items', { queue: 'inbox', state: 'waiting' }) + total(s, 'echannel_queue_items', { queue: 'inbox', state: 'in_hand' }) === 0;
    }, 10_000, 'the inbox to drain');
    expect(total(await scrape(server), 'echannel_queue_oldest_seconds', { queue: 'inbox' })).toBe(0);
  }, 30_000);

  it('name in the Grafana dashboard only metrics the server serves', async () => {
    const dashboard = readFileSync(join(import.meta.dirname, '..', 'docs', 'grafana-dashboard.json'), 'utf8');
    const used = new Set(dashboard.match(/\b(echannel|nodejs|process)_[a-z0-9_]+/g));
    expect(used.size).toBeGreaterThan(15);
    const served = [...(await scrape(server)).keys()].map((k) => k.replace(/\{.*$/, ''));
    for (const name of used) expect(served, name).toContain(name);
  });
});
