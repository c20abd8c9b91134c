/** The rating a citizen gives a live chat with an officer, asked when the officer ends it (flow chat-rating). */
import type { ActionContext, ActionResult } from './context';
import { maskNumbersInText } from '../../flows/engine/format';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Stores slot "rating" (1-5; anything else as 0) and the masked comment as a survey_response about a chat. */
export async function rateChat(ctx: ActionContext): Promise<ActionResult> {
  const rating = Number(ctx.state.slots.rating);
  await ctx.tx.query('INSERT INTO survey_response (case_id, chat_id, subject, rating, comment, at) VALUES ($1, $2, $3, $4, $5, $6)', [
    null,
    ctx.chatId,
    'chat',
    Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : 0,
    maskNumbersInText(text(ctx.state.slots.comment)) || null,
    ctx.now,
  ]);
  return { outcome: 'ok' };
}
