/**
 * What the bot says in a group or room (officers' chats; citizens talk one to one). On join it asks for the
 * binding code. A code typed in the group binds it. Any other text in a group bound to no district gets one polite
 * refusal a day, no more (a busy group would otherwise hear it after every message); a bound group hears nothing
 * but its notifications. Runs in the event's transaction: database work only, the messages are returned to reply.
 */
import type { webhook } from '@line/bot-sdk';
import type { Tx } from '../storage/database';
import type { LineMessage } from '../line/message-limits';
import { i18n, type Locale } from '../locales/i18n';
import { bindGroupDetailed, findBindingCode, touchGroup } from './binding';
import { deactivateGroup, districtsOfGroup } from './targets';
import { districtName } from './messages';

const DAY = 86_400_000;
/** Officers of a Thai district office: the group hears Thai. */
const LOCALE: Locale = 'th';

const say = (key: string, vars: Record<string, unknown> = {}): LineMessage => ({
  type: 'text',
  text: i18n.t(key, { lng: LOCALE, ns: 'notify', ...vars }) as string,
});

/** The group or room an event came from, or null for a one-to-one chat. */
export function groupIdOf(event: webhook.Event): string | null {
  const s = event.source;
  if (s?.type === 'group') return s.groupId;
  if (s?.type === 'room') return s.roomId;
  return null;
}

export async function handleGroupEvent(tx: Tx, event: webhook.Event, now: number): Promise<LineMessage[]> {
  const groupId = groupIdOf(event);
  if (!groupId) return [];
  switch (event.type) {
    case 'join': {
      await touchGroup(tx, groupId, now);
      // The hello asks for the code; it counts as the day's one message to a group not bound yet.
      await tx.query(`UPDATE line_group SET joined_at = $1, left_at = NULL, last_refusal_at = $1 WHERE group_id = $2`, [now, groupId]);
      return [say('group.hello')];
    }
    case 'leave': {
      await touchGroup(tx, groupId);
      await tx.query(`UPDATE line_group SET left_at = $1 WHERE group_id = $2`, [now, groupId]);
      await deactivateGroup(tx, groupId, 'line:leave', now);
      return [];
    }
    case 'message': {
      const text = event.message.type === 'text' ? event.message.text : '';
      if (findBindingCode(text)) {
        const r = await bindGroupDetailed(tx, groupId, text, now);
        if (r.outcome === 'bound') return [say('group.bound', { district: districtName(r.districtCode, LOCALE) })];
        if (r.reason !== 'too-many-tries') return [say('group.badCode', { code: findBindingCode(text) })];
      }
      if ((await districtsOfGroup(tx, groupId)).length > 0) return [];
      return (await refuseOncePerDay(tx, groupId, now)) ? [say('group.refusal')] : [];
    }
    default:
      return [];
  }
}

/** True when the refusal is due (none in the last 24 hours); marks it said in the same statement. */
async function refuseOncePerDay(tx: Tx, groupId: string, now: number): Promise<boolean> {
  await touchGroup(tx, groupId);
  const rows = await tx.query<{ group_id: string }>(
    `UPDATE line_group SET last_refusal_at = $1 WHERE group_id = $2 AND (last_refusal_at IS NULL OR last_refusal_at <= $3) RETURNING group_id`,
    [now, groupId, now - DAY],
  );
  return rows.length > 0;
}
