/** The rating a citizen gives a live chat with an officer, asked when the officer ends it (flow chat-rating). */
import type { ActionContext, ActionResult } from './context';
import { saveSurveyResponse } from '../../cases/surveys';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Stores slot "rating" (1-5; anything else as 0) and the masked comment as a survey_response about a chat. */
export async function rateChat(ctx: ActionContext): Promise<ActionResult> {
  const rating = Number(ctx.state.slots.rating);
  await saveSurveyResponse(ctx.tx, ctx.services.cipher, { caseId: null, chatId: ctx.chatId, subject: 'chat', rating, comment: text(ctx.state.slots.comment), at: ctx.now });
  return { outcome: 'ok' };
}
