/** Plays a transcript through the real server: signed webhooks from the LINE emulator, answers read back from it. */
import type { Emulator } from '../../emulator';
import type { Database } from '../../storage/database';
import { waitFor } from './server';
import { compareTurn, type Transcript } from './transcript';
import type { OutMessage } from '../../flows/engine';

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

/** Moves the conversations' clock; pass `clock.now` as the server's conversationClock. */
export class TestClock {
  constructor(public time: number) {}
  readonly now = () => this.time;
}

/** What a transcript talks to; a getter, so a test may restart the server between turns. */
export interface Target {
  emulator: Emulator;
  db: Database;
}

export interface PlayOptions {
  /** Runs after each turn is settled, e.g. to restart the server. */
  afterTurn?: (turn: number) => Promise<void>;
  /** Plays as this LINE user (default: a new one). */
  userId?: string;
}

export async function playOnServer(target: Target | (() => Target), t: Transcript, clock: TestClock, opts: PlayOptions = {}): Promise<string[]> {
  const current = typeof target === 'function' ? target : () => target;
  const { emulator } = current();
  const user = opts.userId ?? emulator.addUser({ displayName: t.meta.name ?? 'สมศรี', language: t.meta.locale === 'en' ? 'en' : 'th' });
  const problems: string[] = [];
  for (const [index, turn] of t.turns.entries()) {
    const server = current();
    const input = turn.input;
    if (input.type === 'wait') {
      clock.time += input.ms;
      continue;
    }
    const before = emulator.delivered(user).length;
    const event = emulator.buildEvent(partialEvent(user, input));
    if (input.type === 'media') {
      const id = (event as { message: { id: string } }).message.id;
      emulator.putContent(id, JPEG, 'image/jpeg');
    }
    const res = await emulator.deliver([event]);
    if (res.status !== 200) throw new Error(`${t.file}:${turn.line}: webhook answered ${res.status} ${res.body}`);
    const webhookEventId = (event as { webhookEventId: string }).webhookEventId;
    await waitFor(async () => settled(server, webhookEventId, user), 10_000, `${t.file}:${turn.line} to be handled`);
    const sent = emulator.delivered(user).slice(before).map((d) => d.message as OutMessage);
    problems.push(...compareTurn(turn, sent, t.file));
    clock.time += 5_000;
    await opts.afterTurn?.(index);
  }
  return problems;
}

/** The event is handled and every message it queued has reached the emulator. */
async function settled(server: Target, webhookEventId: string, chatId: string): Promise<boolean> {
  const [event] = await server.db.query<{ status: string }>('SELECT status FROM inbox_event WHERE webhook_event_id = $1', [webhookEventId]);
  if (!event || event.status === 'pending' || event.status === 'processing') return false;
  if (event.status !== 'done') throw new Error(`event ${webhookEventId} ended as ${event.status}`);
  const [open] = await server.db.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM outbox_message WHERE chat_id = $1 AND status NOT IN ('sent', 'failed')`,
    [chatId],
  );
  return Number(open?.n ?? 0) === 0;
}

function partialEvent(userId: string, input: Exclude<Transcript['turns'][number]['input'], { type: 'wait' }>) {
  switch (input.type) {
    case 'text':
      return { type: 'message', userId, message: { type: 'text', text: input.text } };
    case 'location':
      return { type: 'message', userId, message: { type: 'location', latitude: input.latitude, longitude: input.longitude, title: input.title ?? '', address: input.address ?? '' } };
    case 'media':
      return { type: 'message', userId, message: input.mediaType === 'file' ? { type: 'file', fileName: 'evidence.pdf', fileSize: 1024 } : input.mediaType === 'audio' ? { type: 'audio', duration: 3000 } : { type: input.mediaType } };
    case 'sticker':
      return { type: 'message', userId, message: { type: 'sticker', packageId: '446', stickerId: '1988', stickerResourceType: 'STATIC' } };
    case 'follow':
      return { type: 'follow', userId, follow: { isUnblocked: false } };
    case 'postback':
      return { type: 'postback', userId, postback: { data: input.data, ...(input.params ? { params: input.params } : {}) } };
    case 'outcome':
    case 'start':
      throw new Error(`${input.type} is not something a user sends`);
  }
}
