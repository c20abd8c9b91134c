/**
 * Runs the flow engine for each event. `prepare` does the reading (the session, the live flow versions and
 * every definition the conversation may need, the LINE profile of a new user, a photo's bytes); `apply` steps
 * the engine, runs any action it stops at, and saves the state, the conversation log and the action's rows in
 * the transaction that also queues the messages and marks the event done.
 */
import { createHash } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';
import type { EventContext, EventHandler } from './event-handler';
import type { LineMessage } from './message-limits';
import type { LineProfile } from './line-api';
import { i18n, localeFrom } from './i18n';
import { handleGroupEvent } from '../notify/group-handler';
import { queueNotification } from '../notify/queue';
import { chatDistrict } from '../office/chat-district';
import { firstAnswerDeadline, officeClock, type OfficeHours } from '../office/hours';
import type { DistrictOfficeStore } from '../office/store';
import { startFirstAnswerClock } from './handoff-jobs';
import { ACTION_HANDLERS, type ActionServices } from './actions';
import { ensureCitizen } from '../cases/store';
import { faqMatcher } from '../faq';
import type { Logger } from '../server/logger';
import type { Tx } from '../storage/database';
import { loadSession, recordEffects, saveSession } from '../storage/sessions';
import type { FlowDefinition } from '../flows/definition/types';
import { CONDITIONS } from '../flows/registry/conditions';
import {
  createEngineTexts,
  FlowRuntimeError,
  initialState,
  MemoryFlowSet,
  step,
  type ConversationState,
  type EngineContext,
  type EngineInput,
  type FaqMatcher,
  type FlowRef,
  type OutMessage,
  type StepResult,
} from '../flows/engine';

/** Photos and files larger than this are not kept (LINE allows up to 300 MB for a video; we keep evidence). */
export const MAX_CONTENT_BYTES = 25 * 1024 * 1024;
/** Actions one event may run in a row; a flow needing more is a flow bug, stopped here. */
const MAX_ACTIONS_PER_EVENT = 10;

/**
 * Where flow definitions come from: storage/flow-store.ts. Read inside the event's transaction (`q`), cached:
 * stored versions never change, and the live versions are re-read at most once a second.
 */
export interface FlowSource {
  liveVersionsCached(q: Pick<Tx, 'query'>): Promise<Map<string, number>>;
  get(id: string, version: number, q: Pick<Tx, 'query'>): Promise<FlowDefinition | null>;
}

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
}

interface Prepared {
  profile?: LineProfile;
  faq?: FaqMatcher;
  content?: { messageId: string; bytes: Buffer; contentType: string };
}

const texts = createEngineTexts(i18n);

export class FlowHandler implements EventHandler<Prepared> {
  private readonly menuFlow: string;

  private remember(chatId: string): void {
    if (this.knownChats.size > 100_000) this.knownChats.clear();
    this.knownChats.add(chatId);
  }

  constructor(private readonly o: FlowHandlerOptions) {
    this.menuFlow = o.menuFlow ?? 'menu';
  }

  /** Chats this process has seen with a session: their profile is not fetched again. */
  private readonly knownChats = new Set<string>();

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
    if (prepared.content) await storeContent(tx, ctx.chatId, prepared.content, ctx.now);
    if (event.source?.type !== 'user') {
      // Groups and rooms are for officers: bound to a district with a one-time code, quiet otherwise.
      return handleGroupEvent(tx, event, ctx.now);
    }
    const input = engineInput(event, prepared.profile);
    if (!input) return [];
    const messages = await this.converse(tx, {
      chatId: ctx.chatId,
      input,
      profile: prepared.profile ?? null,
      faq: prepared.faq ?? null,
      inboxEventId: ctx.inboxEventId,
      logger: ctx.logger,
      stampedAt: ctx.now,
    });
    this.remember(ctx.chatId);
    return messages;
  }

  /**
   * One step of a chat's conversation inside the caller's transaction: load the session and the flows it needs,
   * step the engine, run the actions it stops at, save the session and the log. Used for every webhook event and
   * by scheduled work that starts a conversation (the survey after a case ends).
   */
  async converse(
    tx: Tx,
    c: {
      chatId: string;
      input: EngineInput;
      profile: LineProfile | null;
      faq: FaqMatcher | null;
      inboxEventId: number | null;
      logger: Logger;
      /** Wall-clock time of the event, for rows; the conversation's own clock may differ in tests. */
      stampedAt: number;
    },
  ): Promise<OutMessage[]> {
    // Read inside the transaction: the revision guards against a second writer.
    const session = await loadSession(tx, c.chatId, this.o.services.cipher);
    if (session.dropped) c.logger.warn({ err: session.dropped }, 'stored conversation state unreadable; starting afresh');
    const now = this.o.clock?.() ?? c.stampedAt;
    const state = session.state ?? initialState(localeFrom(c.profile?.language), now);
    const live = await this.o.flows.liveVersionsCached(tx);
    const wanted = new Map<string, FlowRef>();
    for (const [id, version] of live) wanted.set(`${id}@${version}`, { id, version });
    for (const ref of pinnedRefs(state)) wanted.set(`${ref.id}@${ref.version}`, ref);
    const definitions: FlowDefinition[] = [];
    for (const ref of wanted.values()) {
      const d = await this.o.flows.get(ref.id, ref.version, tx);
      if (d) definitions.push(d);
    }
    // The chat's district (its latest case's, else the center's), looked up once and only when needed.
    const center = this.o.services.centerDistrict;
    let district: string | null | undefined;
    const districtOfChat = async () => (district === undefined ? (district = await chatDistrict(tx, c.chatId, center)) : district);
    // The engine reads the office clock as it steps, so the district's hours are read before; when no district has
    // hours of its own, every chat has the defaults and no query is needed to know which district it is.
    let hours: OfficeHours | null = null;
    if (this.o.offices) hours = (await this.o.offices.anyCustomCached(tx)) ? await this.o.offices.hoursCached(tx, await districtOfChat()) : this.o.offices.defaults;
    const engine: EngineContext = {
      flows: new MemoryFlowSet(definitions, live),
      texts,
      conditions: CONDITIONS,
      now,
      idleMs: this.o.idleMs,
      menuFlow: this.menuFlow,
      ...(c.faq ? { faq: c.faq } : {}),
      ...(hours ? { office: officeClock(hours) } : {}),
    };
    if (c.input.type === 'follow') {
      await ensureCitizen(tx, { lineUserId: c.chatId, locale: state.locale, displayName: c.profile?.displayName ?? null, now });
    }

    let result: StepResult;
    const messages: OutMessage[] = [];
    try {
      result = step(state, c.input, engine);
      messages.push(...result.messages);
      for (let n = 0; result.action; n++) {
        if (n >= MAX_ACTIONS_PER_EVENT) throw new FlowRuntimeError(result.action.flow, result.action.node, 'too many actions in one event');
        const handler = ACTION_HANDLERS[result.action.name as keyof typeof ACTION_HANDLERS];
        if (!handler) throw new FlowRuntimeError(result.action.flow, result.action.node, `no code for action "${result.action.name}"`);
        const done = await handler({
          tx,
          chatId: c.chatId,
          lineUserId: c.chatId,
          displayName: c.profile?.displayName ?? null,
          locale: result.state.locale,
          inboxEventId: c.inboxEventId ?? 0,
          now,
          state: result.state,
          action: result.action,
          services: this.o.services,
        });
        const effects = result.effects;
        result = step(
          result.state,
          { type: 'outcome', outcome: done.outcome, ...(done.slots ? { slots: done.slots } : {}), ...(done.messages ? { messages: done.messages } : {}) },
          engine,
        );
        result.effects.unshift(...effects);
        messages.push(...result.messages);
      }
    } catch (err) {
      if (!(err instanceof FlowRuntimeError)) throw err;
      // A broken flow is not the citizen's fault: apologise, start afresh, and leave the evidence in the log.
      c.logger.error({ err }, 'flow could not run; the conversation was reset');
      const fresh = { ...initialState(state.locale, now) };
      await saveSession(tx, c.chatId, fresh, session.revision, c.stampedAt, this.o.services.cipher);
      return [{ type: 'text', text: texts.system(state.locale, 'flowBroken') }];
    }
    await saveSession(tx, c.chatId, result.state, session.revision, c.stampedAt, this.o.services.cipher);
    await recordEffects(tx, c.chatId, c.inboxEventId, result.effects, c.stampedAt);
    for (const e of result.effects) {
      if (e.type !== 'handoff') continue;
      // The first answer is due when the citizen was told (recordEffects stamped the handoff with stampedAt); a
      // job on the conversation's clock checks then that an officer has answered.
      const answerBy = hours ? firstAnswerDeadline(hours, now) : null;
      const ids = answerBy === null ? [] : await startFirstAnswerClock(tx, { chatId: c.chatId, requestedAt: c.stampedAt, answerBy }, now);
      const to = await districtOfChat();
      if (!to) continue;
      // The officers of the chat's district hear of it where they are; a royal petition says so in its
      // category-free summary.
      await queueNotification(
        tx,
        {
          districtCode: to,
          event: 'handoff.requested',
          subjectKey: `${c.chatId}:${c.stampedAt}`,
          payload: { summary: e.reason, at: c.stampedAt, ...(ids[0] !== undefined ? { handoffId: ids[0] } : {}), ...(answerBy !== null ? { answerBy } : {}) },
        },
        c.stampedAt,
      );
    }
    return messages;
  }

  /** Whether the chat is in the middle of something (not idle, not at the menu): a survey then waits. */
  async isBusy(tx: Tx, chatId: string, now: number): Promise<boolean> {
    const { state } = await loadSession(tx, chatId, this.o.services.cipher);
    if (!state || state.handoff) return Boolean(state?.handoff);
    return state.flow !== null && state.node !== null && state.flow.id !== this.menuFlow && now - state.lastActiveAt < this.o.idleMs;
  }
}

/** Every flow version a stored conversation is pinned to: it must be loaded even when no longer live. */
function pinnedRefs(state: ConversationState | null): FlowRef[] {
  if (!state) return [];
  return [
    ...(state.flow ? [state.flow] : []),
    ...state.stack.map((f) => f.flow),
    ...state.history.flatMap((h) => [h.flow, ...h.stack.map((f) => f.flow)]),
  ];
}

/** A LINE webhook event as the engine reads it; null for events that say nothing to a conversation. */
export function engineInput(event: webhook.Event, profile?: LineProfile): EngineInput | null {
  switch (event.type) {
    case 'follow':
      return profile?.displayName ? { type: 'follow', displayName: profile.displayName } : { type: 'follow' };
    case 'postback': {
      const p = event.postback;
      const params = p.params as { date?: string; time?: string; datetime?: string } | undefined;
      return { type: 'postback', data: p.data, ...(params ? { params } : {}) };
    }
    case 'message': {
      const m = event.message;
      switch (m.type) {
        case 'text':
          return { type: 'text', text: (m as webhook.TextMessageContent).text };
        case 'location': {
          const l = m as webhook.LocationMessageContent;
          return { type: 'location', latitude: l.latitude, longitude: l.longitude, ...(l.address ? { address: l.address } : {}), ...(l.title ? { title: l.title } : {}) };
        }
        case 'image':
        case 'video':
        case 'audio':
        case 'file':
          return { type: 'media', mediaType: m.type, contentId: m.id, ...(m.type === 'file' ? { fileName: (m as webhook.FileMessageContent).fileName } : {}) };
        case 'sticker':
          return { type: 'sticker' };
      }
      return null;
    }
  }
  return null;
}

async function storeContent(tx: Tx, chatId: string, c: NonNullable<Prepared['content']>, now: number) {
  await tx.query(
    `INSERT INTO line_content (message_id, chat_id, content_type, size, sha256, bytes, fetched_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO NOTHING`,
    [c.messageId, chatId, c.contentType.slice(0, 128), c.bytes.length, createHash('sha256').update(c.bytes).digest('hex'), c.bytes, now],
  );
}
