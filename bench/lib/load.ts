/**
 * Load generators on node:http with a keep-alive Agent.
 *
 * Open loop: request i is due at t0 + i / rate, whatever happened to the earlier ones (a slow server does not
 * slow the sender down, as with LINE's own webhook delivery). A timer sends every request that is due, so sends
 * go out in bursts of about a millisecond; how late each one left against its schedule is recorded (`lagMs`),
 * which shows whether the generator itself kept up.
 *
 * Closed loop: `connections` senders, each sending its next request when the previous one was answered: the
 * highest rate the target can acknowledge.
 *
 * Several targets (the processes of one bot): request i goes to target i mod n in the open loop, sender j to
 * target j mod n in the closed loop, each target with its own share of the connections, as a load balancer would.
 */
import http from 'node:http';
import type { PreparedRequest } from './events';

export interface Target {
  host: string;
  port: number;
  path: string;
  /** A cheap GET path used to open the connections before a phase. */
  warmPath: string;
}

export interface LoadResult {
  /** performance.now() at which the run started (t0). */
  t0: number;
  /** How many requests were sent (closed loop: may be fewer than prepared). */
  sent: number;
  /** Per request, performance.now(): scheduled send (open loop), actual send, response headers received (-1: none). */
  intendedAt: Float64Array;
  sentAt: Float64Array;
  ackAt: Float64Array;
  /** Date.now() at send: comparable with the emulator's `at` of the LINE call. */
  sentWall: Float64Array;
  /** HTTP status, or 0 for a network error / timeout. */
  status: Int32Array;
  /** 1 when the request went out on a connection opened for it. */
  newConnection: Uint8Array;
  /** performance.now() when the last request was sent and when the last answer came. */
  lastSentAt: number;
  lastAnswerAt: number;
  /** Highest number of sockets open at once. */
  maxSockets: number;
  errorSamples: string[];
}

function newResult(n: number, t0: number): LoadResult {
  return {
    t0,
    sent: 0,
    intendedAt: new Float64Array(n),
    sentAt: new Float64Array(n),
    ackAt: new Float64Array(n).fill(-1),
    sentWall: new Float64Array(n),
    status: new Int32Array(n),
    newConnection: new Uint8Array(n),
    lastSentAt: t0,
    lastAnswerAt: t0,
    maxSockets: 0,
    errorSamples: [],
  };
}

function newAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
}

/**
 * Opens `count` keep-alive connections before the clock starts (concurrent GETs of a cheap path), so that a phase
 * measures the server and not TCP connection set-up; a lost SYN would otherwise cost a 1 s retransmission.
 */
async function prewarm(agent: http.Agent, target: Target, count: number): Promise<void> {
  const one = () =>
    new Promise<void>((resolve) => {
      const req = http.request({ agent, host: target.host, port: target.port, method: 'GET', path: target.warmPath }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', () => resolve());
      req.end();
    });
  await Promise.all(Array.from({ length: count }, one));
}

function openSockets(agent: http.Agent): number {
  let n = 0;
  for (const list of Object.values(agent.sockets)) n += list?.length ?? 0;
  for (const list of Object.values(agent.freeSockets)) n += list?.length ?? 0;
  return n;
}

/** Sends request i; calls done() once when it has an outcome. */
function send(
  agent: http.Agent,
  target: Target,
  r: PreparedRequest,
  i: number,
  out: LoadResult,
  timeoutMs: number,
  done: () => void,
): void {
  let finished = false;
  // The whole exchange, from now (queueing for a socket included), must end within timeoutMs.
  const timer = setTimeout(() => req.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    out.lastAnswerAt = performance.now();
    done();
  };
  const req = http.request({
    agent,
    host: target.host,
    port: target.port,
    method: 'POST',
    path: target.path,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': r.body.length,
      'x-line-signature': r.signature,
      'user-agent': 'LineBotWebhook/2.0',
    },
  });
  out.sentAt[i] = performance.now();
  out.sentWall[i] = Date.now();
  out.lastSentAt = out.sentAt[i]!;
  req.once('socket', (socket) => {
    if (socket.connecting) out.newConnection[i] = 1;
  });
  req.on('response', (res) => {
    out.ackAt[i] = performance.now();
    out.status[i] = res.statusCode ?? 0;
    res.resume();
    res.on('end', finish);
    res.on('error', finish);
  });
  req.on('error', (err) => {
    if (out.ackAt[i]! < 0) out.status[i] = 0;
    if (out.errorSamples.length < 5) out.errorSamples.push(`${err.name}: ${err.message}`);
    finish();
  });
  req.end(r.body);
}

export interface OpenLoopOptions {
  targets: Target[];
  requests: readonly PreparedRequest[];
  rate: number;
  timeoutMs?: number;
  /**
   * Connections, opened before the clock starts: like a sender's connection pool. When all are busy, requests
   * wait for one in the client, and that wait counts in their latency (it is measured from the send time).
   */
  connections: number;
}

/** One keep-alive pool per target, `connections` shared among them, opened before the clock starts. */
async function pools(targets: Target[], connections: number): Promise<http.Agent[]> {
  const each = Math.max(1, Math.ceil(connections / targets.length));
  const agents = targets.map(() => newAgent(each));
  await Promise.all(targets.map((t, i) => prewarm(agents[i]!, t, each)));
  return agents;
}

const socketsOf = (agents: http.Agent[]) => agents.reduce((n, a) => n + openSockets(a), 0);

export async function openLoop(o: OpenLoopOptions): Promise<LoadResult> {
  const n = o.requests.length;
  const interval = 1000 / o.rate;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const agents = await pools(o.targets, o.connections);
  const k = o.targets.length;
  const t0 = performance.now() + 20;
  const out = newResult(n, t0);
  for (let i = 0; i < n; i++) out.intendedAt[i] = t0 + i * interval;
  let pending = n;
  let next = 0;
  return new Promise<LoadResult>((resolve) => {
    const done = () => {
      if (--pending === 0) {
        for (const a of agents) a.destroy();
        resolve(out);
      }
    };
    const tick = () => {
      const now = performance.now();
      while (next < n && out.intendedAt[next]! <= now) {
        send(agents[next % k]!, o.targets[next % k]!, o.requests[next]!, next, out, timeoutMs, done);
        next++;
        out.sent = next;
      }
      const sockets = socketsOf(agents);
      if (sockets > out.maxSockets) out.maxSockets = sockets;
      if (next < n) setTimeout(tick, Math.max(0, out.intendedAt[next]! - performance.now()));
    };
    if (n === 0) resolve(out);
    else setTimeout(tick, 20);
  });
}

export interface ClosedLoopOptions {
  targets: Target[];
  requests: readonly PreparedRequest[];
  connections: number;
  durationMs: number;
  timeoutMs?: number;
}

export async function closedLoop(o: ClosedLoopOptions): Promise<LoadResult> {
  const n = o.requests.length;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const agents = await pools(o.targets, o.connections);
  const k = o.targets.length;
  const t0 = performance.now();
  const end = t0 + o.durationMs;
  const out = newResult(n, t0);
  let next = 0;
  const worker = (j: number) =>
    new Promise<void>((resolve) => {
      const step = () => {
        if (next >= n || performance.now() >= end) return resolve();
        const i = next++;
        out.sent = next;
        out.intendedAt[i] = performance.now();
        send(agents[j % k]!, o.targets[j % k]!, o.requests[i]!, i, out, timeoutMs, step);
      };
      step();
    });
  return Promise.all(Array.from({ length: o.connections }, (_, j) => worker(j))).then(() => {
    out.maxSockets = o.connections;
    for (const a of agents) a.destroy();
    return out;
  });
}
