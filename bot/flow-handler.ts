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
import { i18n, localeFrom, tFor } from './i18n';
import { ACTION_HANDLERS } from './actions';
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
  type EngineInput,
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
}

interface Prepared {
  profile?: LineProfile;
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
    if (userId && (event.type === 'follow' || (!this.knownChats.has(ctx.chatId) && !(await loadSession(ctx.db, ctx.chatId)).state))) {
      const profile = await ctx.line.getProfile(userId).catch(() => undefined);
      if (profile) out.profile = profile;
    }
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
      // Groups and rooms are for officers (issue 5 binds them to a district); citizens talk one to one.
      return event.type === 'join' ? [{ type: 'text', text: tFor('th')('groupHello') }] : [];
    }
    const input = engineInput(event, prepared.profile);
    if (!input) return [];

    // Read again inside the transaction: the revision guards against a second writer.
    const session = await loadSession(tx, ctx.chatId);
    if (session.dropped) ctx.logger.warn({ err: session.dropped }, 'stored conversation state unreadable; starting afresh');
    const now = this.o.clock?.() ?? ctx.now;
    const state = session.state ?? initialState(localeFrom(prepared.profile?.language), now);
    const live = await this.o.flows.liveVersionsCached(tx);
    const wanted = new Map<string, FlowRef>();
    for (const [id, version] of live) wanted.set(`${id}@${version}`, { id, version });
    for (const ref of pinnedRefs(state)) wanted.set(`${ref.id}@${ref.version}`, ref);
    const definitions: FlowDefinition[] = [];
    for (const ref of wanted.values()) {
      const d = await this.o.flows.get(ref.id, ref.version, tx);
      if (d) definitions.push(d);
    }
    const engine = {
      flows: new MemoryFlowSet(definitions, live),
      texts,
      conditions: CONDITIONS,
      now,
      idleMs: this.o.idleMs,
      menuFlow: this.menuFlow,
    };

    let result: StepResult;
    const messages: OutMessage[] = [];
    try {
      result = step(state, input, engine);
      messages.push(...result.messages);
      for (let n = 0; result.action; n++) {
        if (n >= MAX_ACTIONS_PER_EVENT) throw new FlowRuntimeError(result.action.flow, result.action.node, 'too many actions in one event');
        const handler = ACTION_HANDLERS[result.action.name as keyof typeof ACTION_HANDLERS];
        if (!handler) throw new FlowRuntimeError(result.action.flow, result.action.node, `no code for action "${result.action.name}"`);
        const done = await handler({ tx, chatId: ctx.chatId, inboxEventId: ctx.inboxEventId, now: ctx.now, state: result.state, action: result.action });
        const effects = result.effects;
        result = step(result.state, { type: 'outcome', outcome: done.outcome, ...(done.slots ? { slots: done.slots } : {}) }, engine);
        result.effects.unshift(...effects);
        messages.push(...result.messages);
      }
    } catch (err) {
      if (!(err instanceof FlowRuntimeError)) throw err;
      // A broken flow is not the citizen's fault: apologise, start afresh, and leave the evidence in the log.
      ctx.logger.error({ err }, 'flow could not run; the conversation was reset');
      const fresh = { ...initialState(state.locale, ctx.now) };
      await saveSession(tx, ctx.chatId, fresh, session.revision, ctx.now);
      return [{ type: 'text', text: texts.system(state.locale, 'flowBroken') }];
    }
    await saveSession(tx, ctx.chatId, result.state, session.revision, ctx.now);
    await recordEffects(tx, ctx.chatId, ctx.inboxEventId, result.effects, ctx.now);
    this.remember(ctx.chatId);
    return messages;
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
