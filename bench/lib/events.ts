/**
 * Webhook traffic as LINE sends it: one event per request, in LINE's webhook format, signed with the channel
 * secret. Most are text messages of the benchmark's citizens, whose conversations are under way; a share are
 * first-time users: a follow (the server fetches the LINE profile and sends its welcome), then their first message
 * a moment later. Everything is built and signed before a phase starts, so generating it costs nothing while the
 * clock runs.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { destinationFor, newWebhookEventId } from '../../emulator/ids';
import { mulberry32 } from '../../language/train/prng';

/**
 * Complaints and questions a District Damrongdhama Center receives, of the lengths people type. None asks for an
 * officer: a chat handed to an officer is answered by a person, not the bot, and the benchmark counts a reply
 * per event.
 */
export const THAI_TEXTS = [
  'สวัสดีครับ ต้องการร้องเรียนเรื่องถนนในหมู่บ้านชำรุด เป็นหลุมเป็นบ่อมาหลายเดือนแล้ว',
  'ไฟฟ้าส่องสว่างริมถนนหน้าโรงเรียนดับทั้งซอย กลางคืนมืดมาก อันตรายกับเด็กนักเรียน',
  'ขอสอบถามความคืบหน้าเรื่องร้องเรียนที่แจ้งไว้เมื่อสัปดาห์ที่แล้วค่ะ',
  'มีการเผาขยะทุกเย็นข้างบ้าน ควันเข้าบ้านจนหายใจไม่ออก รบกวนช่วยตรวจสอบด้วยครับ',
  'น้ำประปาไม่ไหลมาสามวันแล้ว ติดต่อการประปาส่วนภูมิภาคไม่ได้เลย',
  'ร้องเรียนเสียงดังจากร้านคาราโอเกะหลังเที่ยงคืนทุกวัน',
  'ขอความช่วยเหลือเรื่องหนี้นอกระบบ ถูกข่มขู่ทวงหนี้',
  'ท่อระบายน้ำอุดตัน ฝนตกทีไรน้ำท่วมขังหน้าบ้านทุกครั้ง',
  'สุนัขจรจัดในชุมชนจำนวนมาก ไล่กัดเด็กและผู้สูงอายุ',
  'ขอบคุณครับ',
  'แจ้งเรื่องการบุกรุกที่ดินสาธารณประโยชน์ของหมู่บ้าน มีการล้อมรั้วยึดเป็นของส่วนตัว',
] as const;

/** The same 1,000 (or n) LINE user ids on every run: U + 32 lowercase hex. */
export function benchUsers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `U${createHash('sha256').update(`bench-user-${i}`).digest('hex').slice(0, 32)}`);
}

/** A first-time user: the same id for every bot in a phase (from the phase's seed), never seen in earlier phases. */
export function newcomerId(seed: number, n: number): string {
  return `U${createHash('sha256').update(`bench-newcomer-${seed}-${n}`).digest('hex').slice(0, 32)}`;
}

/** One event of the traffic: a text from a citizen, or a follow (a first-time user). */
export interface PlannedEvent {
  userId: string;
  kind: 'text' | 'follow';
  /** A text's words; by default the next of THAI_TEXTS. */
  text?: string;
}

/** Events between a newcomer's follow and their first message: about a second at the rates measured. */
const NEWCOMER_FIRST_MESSAGE_AFTER = 500;

/**
 * The traffic of a phase: each event from a user of `users` picked at random, except that a share
 * (`firstTimeShare`) are follows of first-time users, each followed by that user's first message
 * NEWCOMER_FIRST_MESSAGE_AFTER events later (or at the end). Deterministic per seed: every bot gets the same.
 */
export function planTraffic(users: readonly string[], count: number, seed: number, firstTimeShare: number): { events: PlannedEvent[]; newcomers: string[] } {
  const rnd = seededRandom(seed);
  const events: PlannedEvent[] = [];
  const newcomers: string[] = [];
  const due = new Map<number, string[]>();
  for (let i = 0; i < count; i++) {
    const waiting = due.get(i);
    if (waiting?.length) {
      events.push({ userId: waiting.shift()!, kind: 'text' });
      if (waiting.length) due.set(i + 1, [...waiting, ...(due.get(i + 1) ?? [])]);
      due.delete(i);
      continue;
    }
    if (rnd() < firstTimeShare && i + 1 < count) {
      const userId = newcomerId(seed, newcomers.length);
      newcomers.push(userId);
      events.push({ userId, kind: 'follow' });
      const at = Math.min(count - 1, i + NEWCOMER_FIRST_MESSAGE_AFTER);
      due.set(at, [...(due.get(at) ?? []), userId]);
      continue;
    }
    events.push({ userId: users[Math.floor(rnd() * users.length)]!, kind: 'text' });
  }
  return { events, newcomers };
}

export interface PreparedRequest {
  body: Buffer;
  signature: string;
  replyToken: string;
  userId: string;
  webhookEventId: string;
}

let messageSeq = BigInt(Date.now()) * 10_000n;

/** A small deterministic generator (mulberry32, the one training uses): the user order is the same on every run. */
const seededRandom = mulberry32;

/** Picks a user for each of `count` events, uniformly at random. */
export function assignUsers(users: readonly string[], count: number, seed: number): string[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => users[Math.floor(rnd() * users.length)]!);
}

export function buildRequests(
  channelSecret: string,
  planned: readonly (PlannedEvent | string)[],
  tokenOfEvent: readonly string[],
  now: number = Date.now(),
): PreparedRequest[] {
  const destination = destinationFor(channelSecret);
  return planned.map((p, i) => {
    const { userId, kind, text } = typeof p === 'string' ? { userId: p, kind: 'text' as const, text: undefined } : p;
    const replyToken = tokenOfEvent[i]!;
    const webhookEventId = newWebhookEventId(now);
    messageSeq += 1n;
    const envelope = {
      mode: 'active',
      timestamp: now,
      webhookEventId,
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId },
      replyToken,
    };
    const event =
      kind === 'follow'
        ? { type: 'follow', ...envelope, follow: { isUnblocked: false } }
        : {
            type: 'message',
            ...envelope,
            message: {
              id: messageSeq.toString(),
              type: 'text',
              text: text ?? THAI_TEXTS[i % THAI_TEXTS.length]!,
              quoteToken: randomBytes(33).toString('base64url'),
            },
          };
    const body = Buffer.from(JSON.stringify({ destination, events: [event] }));
    const signature = createHmac('sha256', channelSecret).update(body).digest('base64');
    return { body, signature, replyToken, userId, webhookEventId };
  });
}
