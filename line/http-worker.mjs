// The thread of line/http-thread.ts: Messaging API requests on node:http(s) with keep-alive pools, one message in
// (a request), one message out (its status, request id and body, or the error that stopped it). Plain JavaScript,
// started without the process's loader flags: it needs Node's http and nothing of the product.
import { parentPort, workerData } from 'node:worker_threads';
import http from 'node:http';
import https from 'node:https';

const { maxSockets, idleTimeoutMs } = workerData;
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets, timeout: idleTimeoutMs }),
  'https:': new https.Agent({ keepAlive: true, maxSockets, timeout: idleTimeoutMs }),
};

parentPort.on('message', (m) => {
  const { id, method, url, headers, body, timeoutMs } = m;
  let settled = false;
  const answer = (out) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    parentPort.postMessage({ id, ...out });
  };
  const u = new URL(url);
  const data = body === null ? null : Buffer.from(body, 'utf8');
  const req = (u.protocol === 'https:' ? https : http).request(
    u,
    { method, agent: agents[u.protocol], headers: data ? { ...headers, 'content-length': data.length } : headers },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        answer({
          status: res.statusCode ?? 0,
          requestId: res.headers['x-line-request-id'] ?? null,
          contentType: res.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (err) => answer({ error: err.message }));
    },
  );
  const timer = setTimeout(() => req.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  req.on('error', (err) => answer({ error: err.message }));
  req.end(data ?? undefined);
});
