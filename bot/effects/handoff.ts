/**
 * The citizen asked for an officer (or the engine handed the chat over): the handoff is opened with the deadline of
 * the first answer the citizen was just told, its check is scheduled, and the officers of the chat's district hear
 * of it where they are. All in the event's transaction.
 */
import { logConversationEvent } from '../../flows/conversation-log';
import { scheduleFirstAnswerCheck } from '../../handoffs/jobs';
import { openHandoff } from '../../handoffs/store';
import { queueNotification } from '../../notify/queue';
import { firstAnswerDeadline } from '../../office/hours';
import { registerPetition } from '../../petitions/store';
import type { EffectExecutor } from './context';

export const handoff: EffectExecutor<'handoff'> = async (ctx, e) => {
  const { tx, chatId, stampedAt } = ctx;
  await logConversationEvent(tx, { chatId, inboxEventId: ctx.inboxEventId, kind: 'handoff', flow: e.flow, detail: { reason: e.reason }, at: stampedAt });
  const answerBy = ctx.hours ? firstAnswerDeadline(ctx.hours, ctx.now) : null;
  // The handoff keeps the district it was made in: who may read this chat does not move with the citizen's cases.
  const district = await ctx.district();
  const handoffId = await openHandoff(tx, { chatId, reason: e.reason, flow: e.flow, requestedAt: stampedAt, answerBy, districtCode: district });
  if (answerBy !== null) await scheduleFirstAnswerCheck(tx, handoffId, answerBy, ctx.now);
  // A royal petition is never filed as a complaint: it is entered in the register, for the officer to complete.
  if (e.reason === 'royal_petition') {
    await registerPetition(tx, ctx.cipher, { handoffId, channel: 'line', districtCode: district, receivedAt: stampedAt, words: e.text ?? null });
  }
  if (!district) return;
  // A royal petition says so in its category-free summary (the reason), never with the citizen's words.
  await queueNotification(
    tx,
    {
      districtCode: district,
      event: 'handoff.requested',
      subjectKey: `${chatId}:${stampedAt}`,
      payload: { summary: e.reason, at: stampedAt, handoffId, ...(answerBy !== null ? { answerBy } : {}) },
    },
    stampedAt,
  );
};
