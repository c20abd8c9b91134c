/**
 * Effects that only go into the conversation log: where a conversation started, ended, gave up, switched language;
 * that the privacy notice was shown; that a message went to the officer who has the chat (the message itself is in
 * the inbox, where the console reads it).
 */
import { logConversationEvent } from '../../flows/conversation-log';
import type { EffectContext, EffectExecutor } from './context';

const at = (ctx: EffectContext) => ({ chatId: ctx.chatId, inboxEventId: ctx.inboxEventId, at: ctx.stampedAt });

export const flowStarted: EffectExecutor<'flowStarted'> = (ctx, e) => logConversationEvent(ctx.tx, { ...at(ctx), kind: 'flow_started', flow: e.flow });

export const flowEnded: EffectExecutor<'flowEnded'> = (ctx, e) =>
  logConversationEvent(ctx.tx, { ...at(ctx), kind: 'flow_ended', flow: e.flow, detail: { how: e.how } });

export const gaveUp: EffectExecutor<'gaveUp'> = (ctx, e) => logConversationEvent(ctx.tx, { ...at(ctx), kind: 'gave_up', flow: e.flow, node: e.node });

export const privacyNoticeShown: EffectExecutor<'privacyNoticeShown'> = (ctx) => logConversationEvent(ctx.tx, { ...at(ctx), kind: 'privacy_notice' });

export const localeChanged: EffectExecutor<'localeChanged'> = (ctx, e) =>
  logConversationEvent(ctx.tx, { ...at(ctx), kind: 'locale_changed', detail: { locale: e.locale } });

export const forwardToOfficer: EffectExecutor<'forwardToOfficer'> = (ctx, e) =>
  logConversationEvent(ctx.tx, { ...at(ctx), kind: 'forwarded', detail: { input: e.input.type } });
