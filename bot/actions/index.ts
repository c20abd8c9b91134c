/**
 * The code behind the actions flows name (flows/registry/actions.ts holds their contract). Each runs inside the
 * event's transaction, so what it writes commits with the conversation's new state and its messages, or not at
 * all. No network calls here: on SQLite the transaction is shared with other chats' work for a moment.
 */
import type { ACTIONS } from '../../flows/registry/actions';
import type { ActionHandler } from './context';
import { addInfo, fileComplaint, listMine, reopen, survey, track, verifyPhone, withdraw } from './cases';
import { deleteMyData, exportMyData, showMyData } from './mydata';
import { matchFaq } from '../../faq/match';
import { rateChat } from './chat';
import { link, linkOptions, unlink } from './linking';

export type { ActionContext, ActionResult, ActionHandler, ActionServices } from './context';

export const ACTION_HANDLERS: Record<keyof typeof ACTIONS, ActionHandler> = {
  'case.file': fileComplaint,
  'case.listMine': listMine,
  'case.track': track,
  'case.verifyPhone': verifyPhone,
  'case.linkOptions': linkOptions,
  'case.link': link,
  'case.unlink': unlink,
  'case.addInfo': addInfo,
  'case.withdraw': withdraw,
  'case.survey': survey,
  'case.reopen': reopen,
  'mydata.show': showMyData,
  'mydata.export': exportMyData,
  'mydata.delete': deleteMyData,
  'chat.rate': rateChat,
  async 'faq.answer'(ctx) {
    const entries = ctx.services.faq ? await ctx.services.faq.active(ctx.tx) : [];
    const hit = matchFaq(String(ctx.state.slots.question ?? ''), entries, ctx.locale);
    if (!hit) return { outcome: 'none' };
    return { outcome: 'answered', messages: [{ type: 'text', text: hit.entry.answer[ctx.locale] }] };
  },
};
