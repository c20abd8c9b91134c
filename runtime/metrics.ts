import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics: one registry, and every metric the code records, named here so that a reader
 * sees the whole list in one place (docs/deploy.md explains each, docs/grafana-dashboard.json draws them).
 *
 * Recording is a counter increment or a histogram observation where the thing happens (the webhook route, the
 * LINE client, the database handle, the flow handler). What needs a query (queue depths and ages) or a call to
 * LINE (the message quota) is read by metrics/collector.ts on a timer, never per request or per scrape.
 *
 * One registry per process, as prom-client intends: several servers started in one process (tests) share it.
 */
export const registry = new Registry();

const SECONDS_FAST = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What gauges read at scrape time, by label value: each live loop or database adds its reader and takes it back. */
type Readers = Map<string, Set<() => number>>;
const inHandReaders: Readers = new Map();
const waitingReaders: Readers = new Map();

function readInto(gauge: Gauge<string>, label: string, readers: Readers): void {
  gauge.reset();
  for (const [value, set] of readers) gauge.set({ [label]: value }, [...set].reduce((sum, read) => sum + read(), 0));
}

/** Reports `read()` under `label` while the returned function has not been called. */
function watch(readers: Readers, label: string, read: () => number): () => void {
  let set = readers.get(label);
  if (!set) readers.set(label, (set = new Set()));
  set.add(read);
  return () => void set.delete(read);
}

/** A claim loop's items in hand (runtime/claim-loop.ts), by queue, for echannel_in_hand_items. */
export const watchInHand = (queue: string, read: () => number) => watch(inHandReaders, queue, read);
/** The SQLite group commit's units waiting, by lane, for echannel_database_waiting_units. */
export const watchDatabaseWaiting = (lane: string, read: () => number) => watch(waitingReaders, lane, read);

export const metrics = {
  webhookRequests: new Counter({
    name: 'echannel_webhook_requests_total',
    help: 'POST /webhook requests by the HTTP status answered (200 stored, 401 bad signature, 400 bad body, 413 too large, 500 not stored)',
    labelNames: ['status'] as const,
    registers: [registry],
  }),
  webhookEvents: new Counter({
    name: 'echannel_webhook_events_total',
    help: 'Webhook events received in requests that were stored, by LINE event type and what intake made of them: accepted (to be handled) or ignored (recorded only: standby, unknown types)',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  }),
  webhookDuplicates: new Counter({
    name: 'echannel_webhook_duplicates_total',
    help: 'Redelivered webhook events that were already stored (LINE redelivers what it thinks was not acknowledged); stored once',
    registers: [registry],
  }),
  webhookAck: new Histogram({
    name: 'echannel_webhook_ack_seconds',
    help: 'From the webhook request arriving to its answer being written: what LINE waits for (events are stored, not handled, before the 200)',
    labelNames: ['status'] as const,
    buckets: SECONDS_FAST,
    registers: [registry],
  }),
  queueItems: new Gauge({
    name: 'echannel_queue_items',
    help: 'Items in the work queues (inbox events, outbox messages, officer notifications, scheduled jobs) by state: waiting, in_hand (leased by a worker), failed (parked for a person). read by a query every 15 s',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  }),
  queueOldest: new Gauge({
    name: 'echannel_queue_oldest_seconds',
    help: 'Age of the oldest unfinished item of each queue (for jobs: how late the most overdue due job is); 0 when none',
    labelNames: ['queue'] as const,
    registers: [registry],
  }),
  lineRequests: new Counter({
    name: 'echannel_line_api_requests_total',
    help: 'Messaging API calls by endpoint (reply, push, loading, profile, content, quota) and HTTP status; "network" when LINE was not reached or did not answer in time',
    labelNames: ['endpoint', 'status'] as const,
    registers: [registry],
  }),
  lineSeconds: new Histogram({
    name: 'echannel_line_api_seconds',
    help: 'Duration of Messaging API calls by endpoint',
    labelNames: ['endpoint'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  }),
  lineSends: new Counter({
    name: 'echannel_line_sends_total',
    help: 'Requests LINE accepted that deliver messages, by how: reply (free) or push (counted against the monthly quota, one per recipient; paid beyond it)',
    labelNames: ['via'] as const,
    registers: [registry],
  }),
  replyTokenExpired: new Counter({
    name: 'echannel_reply_token_expired_total',
    help: "Answers ready only after their reply token had grown too old (REPLY_TOKEN_MAX_AGE_MS after the event, before LINE's minute): pushed instead, with their retry key, and counted against the quota. How often the server fell that far behind",
    registers: [registry],
  }),
  inHand: new Gauge({
    name: 'echannel_in_hand_items',
    help: "Items this process is working on now, by queue (inbox, outbox, notify, jobs): bounded by each loop's concurrency however large the backlog in the database (echannel_queue_items)",
    labelNames: ['queue'] as const,
    registers: [registry],
    collect() {
      readInto(this, 'queue', inHandReaders);
    },
  }),
  databaseWaiting: new Gauge({
    name: 'echannel_database_waiting_units',
    help: "Units of work waiting for SQLite's group commit, by lane: intake (webhooks, committed first) and work (the rest). Bounded by the loops' concurrency; intake's stays near 0 when the acknowledgement is not held up",
    labelNames: ['lane'] as const,
    registers: [registry],
    collect() {
      readInto(this, 'lane', waitingReaders);
    },
  }),
  lineQuota: new Gauge({
    name: 'echannel_line_message_quota',
    help: "The plan's messages for this month (GET /v2/bot/message/quota); -1 when the plan sets no limit. read every 10 minutes",
    registers: [registry],
  }),
  lineQuotaUsed: new Gauge({
    name: 'echannel_line_message_quota_used',
    help: 'Messages counted against the quota this month, as LINE counts them (GET /v2/bot/message/quota/consumption)',
    registers: [registry],
  }),
  flowSteps: new Counter({
    name: 'echannel_flow_steps_total',
    help: 'Steps of the flow engine, by the flow the conversation was in after the step',
    labelNames: ['flow'] as const,
    registers: [registry],
  }),
  flowOutcomes: new Counter({
    name: 'echannel_flow_outcomes_total',
    help: 'What conversations came to, by flow: started, completed, cancelled, handoff, restarted, gave_up (too many misunderstandings), error (a broken flow, reset)',
    labelNames: ['flow', 'outcome'] as const,
    registers: [registry],
  }),
  flowActions: new Counter({
    name: 'echannel_flow_actions_total',
    help: "The code behind flow actions, by action and the outcome it answered the flow with",
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  }),
  languageConfidence: new Histogram({
    name: 'echannel_language_confidence',
    help: 'The confidence of the language layer in what free text means, by the intent it read',
    labelNames: ['intent'] as const,
    buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1],
    registers: [registry],
  }),
  databaseSeconds: new Histogram({
    name: 'echannel_database_seconds',
    help: 'Time a caller waited for the database, by kind: a transaction (a unit of work) or a single statement; on SQLite this includes waiting for the group commit',
    labelNames: ['kind'] as const,
    buckets: SECONDS_FAST,
    registers: [registry],
  }),
  info: new Gauge({
    name: 'echannel_info',
    help: 'Always 1: what is running (version, database engine, LINE or the local emulator)',
    labelNames: ['version', 'database', 'line'] as const,
    registers: [registry],
  }),
};

let processMetrics = false;

/**
 * Node's own metrics (event-loop lag, heap, CPU, open handles), once per process: they start a sampler of the
 * event loop's delay (perf_hooks), which is why they are not registered at import.
 */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
}

/** The text Prometheus scrapes. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** Starts a timer of a histogram; the returned function stops it. For labels known only at the end, pass them there. */
export function timer<L extends string>(h: Histogram<L>, labels?: Partial<Record<L, string>>): (end?: Partial<Record<L, string>>) => void {
  const start = process.hrtime.bigint();
  return (end) => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    h.observe({ ...labels, ...end } as Partial<Record<L, string>>, seconds);
  };
}
