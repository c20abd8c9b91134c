/**
 * Runs the flow engine for each event. `prepare` does the reading that needs the network (the LINE profile of a new
 * user, a photo's bytes, the FAQ); `apply` is one step of the conversation inside the transaction that also queues
 * the messages and marks the event done: load → step → run actions → save → carry out effects.
 */
import type { EventContext, EventHandler } from './event-handler';
import type { LineMessage } from '../line/message-limits';
import type { LineProfile } from '../line/api';
import { localeFrom } from '../locales/i18n';
import { handleGroupEvent } from '../notify/group-handler';
import type { DistrictOfficeStore } from '../office/store';
import { ACTION_HANDLERS, type ActionServices } from './actions';
import { runEffects } from './effects';
import { engineInput } from './engine-input';
import { engineTexts, loadEngineContext, type ConversationSetup, type FlowSource } from './engine-context';
import { ensureCitizen } from '../cases/store';
import { keepLineContent, type LineContent } from '../cases/line-content';
import { faqMatcher } from '../faq';
import type { Logger } from '../runtime/logger';
import { observeLanguage, observeStep } from './flow-metrics';
import type { Tx } from '../storage/database';
import { LanguageModels } from '../understanding/models';
import { loadSession, saveSession } from '../flows/sessions';
import { FlowRuntimeError, initialState, step, type ConversationState, type EngineContext, type EngineInput, type FaqMatcher, type OutMessage, type PinPlacer, type StepResult } from '../flows/engine';

export type { FlowSource } from './engine-context';
export { engineInput } from './engine-input';

/** Photos and files larger than this are not kept (LINE allows up to 300 MB for a video; we keep evidence). */
export const MAX_CONTENT_BYTES = 25 * 1024 * 1024;
/** Actions one event may run in a row; a flow needing more is a flow bug, stopped here. */
const MAX_ACTIONS_PER_EVENT = 10;

export interface FlowHandlerOptions {
  flows: FlowSource;
  idleMs: number;
  menuFlow?: string;
  /** The conversation's clock (idle time, "today"); tests move it, the server uses the event's time. */
  clock?: () => number;
  services: ActionServices;
  /**
   * Each district's office hours (office/store.ts), for what a citizen asking for an officer is told and the
   * deadline of the officer's first answer. Without it the citizen is told only that an officer will answer.
   */
  offices?: DistrictOfficeStore;
  /** The language models stored and published by admins; by default a store of its own (the shipped model until one is published). */
  language?: LanguageModels;
  /** Places a LINE location pin (geo/pin.ts); without it a pin's place is asked by name. */
  placePin?: PinPlacer;
}

interface Prepared {
  profile?: LineProfile;
  faq?: FaqMatcher;
  content?: LineContent;
}

/** One step of a chat's conversation, as `converse` takes it. */
export interface Turn {
  chatId: string;
  input: EngineInput;
  profile: LineProfile | null;
  faq: FaqMatcher | null;
  inboxEventId: number | null;
  logger: Logger;
  /** Wall-clock time of the event, for rows; the conversation's own clock may differ in tests. */
  stampedAt: number;
}

export class FlowHandler implements EventHandler<Prepared> {
  private readonly setup: ConversationSetup;
  /** Chats this process has seen with a session: their profile is not fetched again. */
  private readonly knownChats = new Set<string>();

  constructor(private readonly o: FlowHandlerOptions) {
    this.setup = {
      flows: o.flows,
      ...(o.offices ? { offices: o.offices } : {}),
      centerDistrict: o.services.centerDistrict,
      idleMs: o.idleMs,
      menuFlow: o.menuFlow ?? 'menu',
      language: o.language ?? new LanguageModels(),
      ...(o.placePin ? { placePin: o.placePin } : {}),
    };
  }

  async prepare(ctx: EventContext): Promise<Prepared> {
    const { event } = ctx;
    const out: Prepared = {};
    // The profile (name, language) on follow and on first contact: a network call, so here, not in apply. The
    // session is read here only for a chat this process has not seen; everything else is read in the transaction.
    const userId = event.source?.type === 'user' ? event.source.userId : undefined;
    if (userId && (event.type === 'follow' || (!this.knownChats.has(ctx.chatId) && !(await loadSession(ctx.db, ctx.chatId, this.o.services.cipher)).state))) {
      const profile = await ctx.line.getProfile(userId).catch(() => undefined);
      if (profile) out.profile = profile;
    }
    // FAQ entries are read here (cached a few seconds): the transaction may not wait on another query.
    if (this.o.services.faq && event.type === 'message' && event.message.type === 'text') out.faq = faqMatcher(await this.o.services.faq.active());
    if (event.type === 'message' && ['image', 'video', 'audio', 'file'].includes(event.message.type)) {
      const m = event.message as { id: string; contentProvider?: { type?: string } };
      // Content held elsewhere (contentProvider.type "external") is not on LINE's servers to fetch.
      if (m.contentProvider?.type !== 'external') {
        const { bytes, contentType } = await ctx.line.getContent(m.id, MAX_CONTENT_BYTES);
        out.content = { messageId: m.id, bytes, contentType };
      }
    }
    return out;
  }

  async apply(ctx: EventContext, prepared: Prepared, tx: Tx): Promise<LineMessage[]> {
    const { event } = ctx;
    if (prepared.content) await keepLineContent(tx, this.o.services.cipher, ctx.chatId, prepared.content, ctx.now);
    // Groups and rooms are for officers: bound to a district with a one-time code, quiet otherwise.
    if (event.source?.type !== 'user') return handleGroupEvent(tx, event, ctx.now);
    const input = engineInput(event, prepared.profile);
    if (!input) return [];
    const turn = { chatId: ctx.chatId, input, profile: prepared.profile ?? null, faq: prepared.faq ?? null, inboxEventId: ctx.inboxEventId, logger: ctx.logger, stampedAt: ctx.now };
    const messages = await this.converse(tx, turn);
    this.remember(ctx.chatId);
    return messages;
  }

  /**
   * One step of a chat's conversation inside the caller's transaction. Used for every webhook event and by
   * scheduled work that starts a conversation (the survey after a case ends).
   */
  async converse(tx: Tx, c: Turn): Promise<OutMessage[]> {
    // Load: read inside the transaction, where the revision guards against a second writer.
    const session = await loadSession(tx, c.chatId, this.o.services.cipher);
    if (session.dropped) c.logger.warn({ err: session.dropped }, 'stored conversation state unreadable; starting afresh');
    const now = this.o.clock?.() ?? c.stampedAt;
    const state = session.state ?? initialState(localeFrom(c.profile?.language), now);
    const loaded = await loadEngineContext(tx, this.setup, { chatId: c.chatId, state, now, faq: c.faq });
    if (c.input.type === 'follow') {
      await ensureCitizen(tx, this.o.services.cipher, { lineUserId: c.chatId, locale: state.locale, displayName: c.profile?.displayName ?? null, now });
    }
    // Step, running the actions the engine stops at.
    let result: StepResult;
    try {
      result = await this.stepWithActions(tx, c, state, observeLanguage(loaded.engine), now);
    } catch (err) {
      if (!(err instanceof FlowRuntimeError)) throw err;
      observeStep.error(state);
      // A broken flow is not the citizen's fault: apologise, start afresh, and leave the evidence in the log.
      c.logger.error({ err }, 'flow could not run; the conversation was reset');
      await saveSession(tx, c.chatId, initialState(state.locale, now), session.revision, c.stampedAt, this.o.services.cipher);
      return [{ type: 'text', text: engineTexts.system(state.locale, 'flowBroken') }];
    }
    // Save, and carry out what the step decided: issued together (one transaction; on PostgreSQL the statements
    // follow one another on the connection without waiting for a turn of the event loop in between).
    await Promise.all([
      saveSession(tx, c.chatId, result.state, session.revision, c.stampedAt, this.o.services.cipher),
      runEffects(
        { tx, chatId: c.chatId, inboxEventId: c.inboxEventId, stampedAt: c.stampedAt, now, hours: loaded.hours, district: loaded.district, cipher: this.o.services.cipher },
        result.effects,
      ),
    ]);
    return result.messages;
  }

  /** Steps the engine, and again with each action's outcome; the messages and effects of all the steps, in order. */
  private async stepWithActions(tx: Tx, c: Turn, state: ConversationState, engine: EngineContext, now: number): Promise<StepResult> {
    let result = observeStep(step(state, c.input, engine));
    const messages = [...result.messages];
    const effects = [...result.effects];
    for (let n = 0; result.action; n++) {
      const action = result.action;
      if (n >= MAX_ACTIONS_PER_EVENT) throw new FlowRuntimeError(action.flow, action.node, 'too many actions in one event');
      const handler = ACTION_HANDLERS[action.name as keyof typeof ACTION_HANDLERS];
      if (!handler) throw new FlowRuntimeError(action.flow, action.node, `no code for action "${action.name}"`);
      const done = await handler({
        tx,
        chatId: c.chatId,
        lineUserId: c.chatId,
        displayName: c.profile?.displayName ?? null,
        locale: result.state.locale,
        inboxEventId: c.inboxEventId ?? 0,
        now,
        state: result.state,
        action,
        services: this.o.services,
      });
      observeStep.action(action.name, done.outcome);
      const outcome: EngineInput = { type: 'outcome', outcome: done.outcome, ...(done.slots ? { slots: done.slots } : {}), ...(done.messages ? { messages: done.messages } : {}) };
      result = observeStep(step(result.state, outcome, engine));
      messages.push(...result.messages);
      effects.push(...result.effects);
    }
    return { ...result, messages, effects };
  }

  /** Whether the chat is in the middle of something (not idle, not at the menu): a survey then waits. */
  async isBusy(tx: Tx, chatId: string, now: number): Promise<boolean> {
    const { state } = await loadSession(tx, chatId, this.o.services.cipher);
    if (!state || state.handoff) return Boolean(state?.handoff);
    return state.flow !== null && state.node !== null && state.flow.id !== this.setup.menuFlow && now - state.lastActiveAt < this.o.idleMs;
  }

  private remember(chatId: string): void {
    if (this.knownChats.size > 100_000) this.knownChats.clear();
    this.knownChats.add(chatId);
  }
}
