/**
 * Messaging API requests made on a thread of their own (line/http-worker.mjs): building the request, writing it,
 * reading and parsing the answer cost about 0.2 ms of CPU per call, and the server makes one or two per event
 * (reply, the profile of a new user). On the event loop that time was taken from the conversations and from the
 * webhooks waiting to be acknowledged; on the thread it runs on the machine's other core, and the loop pays only the
 * two messages (tens of µs). One request is one message each way; the thread starts at the first request.
 */
import { Worker } from 'node:worker_threads';

const ENTRY = new URL('./http-worker.mjs', import.meta.url);

export interface ThreadRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
}

export interface ThreadResponse {
  status: number;
  requestId: string | null;
  contentType: string | null;
  body: string;
}

/** The request did not get an answer: the network failed, it timed out, or the thread stopped with it in hand. */
export class LineThreadRequestError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'LineThreadRequestError';
  }
}

interface Pending {
  resolve: (r: ThreadResponse) => void;
  reject: (e: Error) => void;
}

export class LineHttpThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;

  constructor(private readonly o: { maxSockets: number; idleTimeoutMs: number }) {}

  request(r: ThreadRequest): Promise<ThreadResponse> {
    const worker = this.worker ?? this.start();
    const id = ++this.seq;
    return new Promise<ThreadResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Held while requests are in hand, as open sockets would hold the process; let go when idle.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, ...r });
    });
  }

  /** Ends the thread; requests still in hand fail (their outcome unknown, as with a lost connection). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    // execArgv empty: plain JavaScript, without the process's TypeScript loader.
    const worker = new Worker(ENTRY, { workerData: this.o, execArgv: [] });
    worker.unref();
    worker.on('message', (m: { id: number; error?: string } & ThreadResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.error !== undefined) p.reject(new LineThreadRequestError(m.error));
      else p.resolve(m);
    });
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(new LineThreadRequestError(why));
      this.pending.clear();
    };
    worker.once('error', (err) => fail(`the LINE request thread failed: ${err.message}`));
    worker.once('exit', (code) => fail(`the LINE request thread stopped (code ${code})`));
    this.worker = worker;
    return worker;
  }
}
