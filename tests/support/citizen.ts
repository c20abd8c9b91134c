/**
 * A citizen in the LINE emulator talking to the real server, and the officer and the clock around them: what the
 * citizen types, taps and sends and what the bot answers, an officer's status change through the admin API, and
 * the scheduler's jobs run after the clock moves. Every call waits until the server has finished with it (the
 * event handled, the job done, every message it queued delivered), so a test reads as the chat it checks.
 */
import type { OutMessage } from '../../flows/engine';
import { jobsByKeyPrefix } from '../../scheduler/jobs';
import { waitFor, type TestServer } from './server';
import { shown } from './transcript';

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
export const DAY = 86_400_000;
export const MINUTE = 60_000;

/**
 * The conversations' and the scheduler's clock: the wall clock plus what the test has moved it by. Not a frozen
 * time like TestClock, because the officer's API stamps its changes with the wall clock: the two must agree
 * until a test moves time on. Has TestClock's shape (`time`, `now`), so playOnServer can drive it too.
 */
export class MovableClock {
  private offset = 0;
  readonly now = () => Date.now() + this.offset;
  get time(): number {
    return this.now();
  }
  set time(at: number) {
    this.offset = at - Date.now();
  }
  advance(ms: number): void {
    this.offset += ms;
  }
  /** Back to the wall clock, between tests. */
  reset(): void {
    this.offset = 0;
  }
}

export type Locale = 'th' | 'en';

/** A new LINE user in the emulator; the server learns the language from the profile. */
export function newCitizen(server: TestServer, locale: Locale, displayName = locale === 'th' ? 'สมศรี' : 'Somchai'): string {
  return server.emulator.addUser({ displayName, language: locale });
}

/** The user adds the Official Account as a friend (a follow event): welcomed, shown the privacy notice, known by name. */
export function follow(server: TestServer, user: string): Promise<OutMessage[]> {
  return send(server, user, { type: 'follow' });
}

type Sent =
  | { type: 'text'; text: string }
  | { type: 'image' }
  | { type: 'location'; latitude: number; longitude: number; title: string; address: string }
  | { type: 'postback'; data: string }
  | { type: 'follow' };

/** Sends one event as the user and returns what the bot sent back, once it has all reached LINE. */
export async function send(server: TestServer, user: string, what: Sent): Promise<OutMessage[]> {
  const { emulator } = server;
  const before = emulator.delivered(user).length;
  const event = emulator.buildEvent(
    what.type === 'postback'
      ? { type: 'postback', userId: user, postback: { data: what.data } }
      : what.type === 'follow'
        ? { type: 'follow', userId: user }
        : { type: 'message', userId: user, message: what },
  );
  if (what.type === 'image') emulator.putContent((event as unknown as { message: { id: string } }).message.id, JPEG, 'image/jpeg');
  const res = await emulator.deliver([event]);
  if (res.status !== 200) throw new Error(`the webhook answered ${res.status} ${res.body}`);
  const id = (event as unknown as { webhookEventId: string }).webhookEventId;
  await waitFor(() => handled(server, id), 10_000, `event ${id} to be handled`);
  await outboxDrained(server, user);
  return emulator.delivered(user).slice(before).map((d) => d.message as OutMessage);
}

export const say = (server: TestServer, user: string, text: string) => send(server, user, { type: 'text', text });
export const tap = (server: TestServer, user: string, data: string) => send(server, user, { type: 'postback', data });
export const sendPhoto = (server: TestServer, user: string) => send(server, user, { type: 'image' });

/** What each message shows, one string apiece: a text's text, `[flex] altText` for a Flex message. */
export function lines(messages: readonly OutMessage[]): string[] {
  return messages.map((m) => {
    const s = shown(m);
    return s.kind === 'text' ? s.text : `[${s.kind}] ${s.text}`;
  });
}

/** The quick-reply labels under a message. */
export const quick = (m: OutMessage | undefined): string[] => (m ? shown(m).quick : []);

async function handled(server: TestServer, webhookEventId: string): Promise<boolean> {
  const [event] = await server.db.query<{ status: string; last_error: string | null }>(
    'SELECT status, last_error FROM inbox_event WHERE webhook_event_id = $1',
    [webhookEventId],
  );
  if (!event || event.status === 'pending' || event.status === 'processing') return false;
  if (event.status !== 'done') throw new Error(`event ${webhookEventId} ended as ${event.status}: ${event.last_error}`);
  return true;
}

/** Every message queued for the chat has been sent (or given up on). */
async function outboxDrained(server: TestServer, chatId: string): Promise<void> {
  await waitFor(async () => {
    const [open] = await server.db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM outbox_message WHERE chat_id = $1 AND status NOT IN ('sent', 'failed')`,
      [chatId],
    );
    return Number(open?.n ?? 0) === 0;
  }, 10_000, `the messages to ${chatId} to be sent`);
}

/** Messages the user received since `before` (a count of delivered messages), waiting for at least `n`. */
export async function received(server: TestServer, user: string, before: number, n: number): Promise<OutMessage[]> {
  await waitFor(() => server.emulator.delivered(user).length >= before + n, 10_000, `${n} message(s) pushed to ${user}`);
  await outboxDrained(server, user);
  return server.emulator.delivered(user).slice(before).map((d) => d.message as OutMessage);
}

export const deliveredCount = (server: TestServer, user: string) => server.emulator.delivered(user).length;

const TRACKING_NUMBER = /[A-Z]{2,5}-\d{4}-\d{6,}-\d/;

export interface ComplaintOptions {
  story?: string;
  /** As the citizen types it; the default ends in 5678. */
  phone?: string;
  /** The words of the category's choice, as the citizen types them; the default is the plain complaint's. */
  category?: string;
}

/**
 * Files an ordinary complaint through the chat, the shortest way the complaint flow allows, and returns the
 * tracking number read from the receipt's altText. Throws with the whole exchange when no receipt came.
 */
export async function fileComplaint(server: TestServer, user: string, locale: Locale, opts: ComplaintOptions = {}): Promise<string> {
  const th = locale === 'th';
  const steps: Sent[] = [
    { type: 'text', text: th ? 'ร้องเรียน/แจ้งเรื่อง' : 'File a complaint' },
    { type: 'text', text: opts.category ?? (th ? 'ร้องเรียน/ร้องทุกข์' : 'Complaint') },
    { type: 'text', text: opts.story ?? (th ? 'ไฟถนนหน้าบ้านดับมา 3 คืนแล้ว มืดมาก กลัวอันตรายค่ะ' : 'The street light in front of my house has been out for 3 nights') },
    { type: 'location', latitude: 16.5453, longitude: 104.7235, title: th ? 'ตลาดอินโดจีน' : 'Indochina Market', address: 'Mukdahan' },
    // The pin's place (ตำบลมุกดาหาร อำเภอเมืองมุกดาหาร), confirmed with one tap.
    { type: 'text', text: th ? 'ใช่' : 'yes' },
    { type: 'text', text: th ? 'เมื่อวาน' : 'yesterday' },
    { type: 'text', text: th ? 'การไฟฟ้าส่วนภูมิภาค' : 'The electricity office' },
    { type: 'text', text: th ? 'ขอให้มาซ่อมไฟถนน' : 'Please repair the light' },
    { type: 'text', text: th ? 'ไม่มี' : 'None' },
    { type: 'text', text: th ? 'สมศรี ใจดี' : 'Somchai Jaidee' },
    { type: 'text', text: opts.phone ?? '081-234-5678' },
    { type: 'text', text: th ? '99 หมู่ 2 ต.ศรีบุญเรือง อ.เมือง จ.มุกดาหาร' : '12 Moo 3, Bang Sai Yai, Mueang Mukdahan' },
    { type: 'text', text: th ? 'ส่งเรื่อง' : 'Send' },
  ];
  const chat: string[] = [];
  for (const step of steps) {
    const answer = await send(server, user, step);
    chat.push(`user: ${step.type === 'text' ? step.text : step.type}`, ...lines(answer).map((l) => `bot: ${l}`));
  }
  const receipt = chat.at(-2) ?? '';
  const number = receipt.startsWith('bot: [flex]') ? TRACKING_NUMBER.exec(receipt)?.[0] : undefined;
  if (!number) throw new Error(`no receipt with a tracking number; the chat was:\n${chat.join('\n')}`);
  return number;
}

/** The same number as a citizen might type it: Thai digits, lower case, spaces instead of dashes. */
export function typedLoosely(trackingNumber: string): string {
  const thai = '๐๑๒๓๔๕๖๗๘๙';
  return trackingNumber
    .toLowerCase()
    .replace(/-/g, ' ')
    .replace(/\d/g, (d) => thai[Number(d)]!);
}

export interface StatusChange {
  status: string;
  note?: string;
  public: boolean;
  reason?: string;
  agency?: string;
}

/** An officer changes a case's status through the admin API (what the console will call). */
export async function officerSets(server: TestServer, trackingNumber: string, change: StatusChange, token: string): Promise<void> {
  const res = await fetch(`${server.url}/api/admin/cases/${encodeURIComponent(trackingNumber)}/status`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-actor': 'officer-somchai' },
    body: JSON.stringify(change),
  });
  if (res.status !== 200) throw new Error(`the admin API answered ${res.status} ${await res.text()}`);
}

/**
 * Wakes the scheduler and waits until no job whose key starts with `keyPrefix` is due or in hand at the clock's
 * time, then until the chat's messages are sent. A job that failed is an error here, with the job's own error.
 */
export async function runDueJobs(server: TestServer, keyPrefix: string, now: () => number, chatId?: string): Promise<void> {
  server.scheduler.wake();
  await waitFor(async () => {
    const jobs = await jobsByKeyPrefix(server.db, keyPrefix);
    const broken = jobs.find((j) => j.lastError !== null);
    if (broken) throw new Error(`job ${broken.key} failed: ${broken.lastError}`);
    return jobs.every((j) => j.status !== 'running' && !(j.status === 'pending' && j.runAt <= now()));
  }, 10_000, `the due jobs of ${keyPrefix} to run`);
  if (chatId) await outboxDrained(server, chatId);
}
