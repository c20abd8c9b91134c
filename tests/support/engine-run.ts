/** Runs transcripts against the pure engine, with the shipped flows and a clock the transcript moves. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FlowDefinition } from '../../flows/definition/types';
import { CONDITIONS } from '../../flows/registry/conditions';
import {
  createEngineTexts,
  deserializeState,
  initialState,
  MemoryFlowSet,
  serializeState,
  step,
  type ConversationState,
  type EngineContext,
  type OutMessage,
} from '../../flows/engine';
import { i18n } from '../../locales/i18n';
import { compareTurn, type Transcript } from './transcript';
import { DEFAULT_OFFICE_HOURS, officeClock } from '../../office/hours';
import { defaultLanguageModel } from '../../language';
import { testPlacer } from './boundaries';
import { SHIPPED_CATEGORIES } from '../../categories/shipped';

export const texts = createEngineTexts(i18n);
export const shippedDir = join(import.meta.dirname, '..', '..', 'flows', 'definitions');

export function shippedFlows(): FlowDefinition[] {
  return readdirSync(shippedDir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => parse(readFileSync(join(shippedDir, f), 'utf8')) as FlowDefinition);
}

/** 10:00 on Wednesday 25 November 2026, Bangkok. */
export const DEFAULT_CLOCK = Date.parse('2026-11-25T10:00:00+07:00');

export function engineContext(flows: FlowDefinition[], now: number, live?: Map<string, number>): EngineContext {
  // The server's defaults: weekday office hours 08:30-16:30 (the default clock is a Wednesday at 10:00), and the
  // categories as migration 0026 seeds them.
  return { flows: new MemoryFlowSet(flows, live), texts, conditions: CONDITIONS, categories: SHIPPED_CATEGORIES, now, idleMs: 30 * 60_000, menuFlow: 'menu', office: officeClock(DEFAULT_OFFICE_HOURS), language: defaultLanguageModel(), placePin: testPlacer() };
}

/** One event's worth of engine work, with actions answered the way the server's would ("ok"). */
export function runEvent(state: ConversationState, input: Parameters<typeof step>[1], ctx: EngineContext) {
  let r = step(state, input, ctx);
  const messages: OutMessage[] = [...r.messages];
  const effects = [...r.effects];
  const actions: string[] = [];
  while (r.action) {
    actions.push(r.action.name);
    r = step(r.state, { type: 'outcome', outcome: 'ok' }, ctx);
    messages.push(...r.messages);
    effects.push(...r.effects);
  }
  return { state: r.state, messages, effects, actions };
}

/**
 * Plays a transcript; between every two steps the state goes through JSON and back, as it does through the
 * database, so a transcript that passes also shows the state survives a round trip at each point.
 */
export function playOnEngine(t: Transcript, flows: FlowDefinition[] = shippedFlows()): string[] {
  let clock = t.meta.clock ? Date.parse(t.meta.clock) : DEFAULT_CLOCK;
  let state = initialState(t.meta.locale === 'en' ? 'en' : 'th', clock);
  const problems: string[] = [];
  for (const turn of t.turns) {
    if (turn.input.type === 'wait') {
      clock += turn.input.ms;
      continue;
    }
    const r = runEvent(state, turn.input, engineContext(flows, clock));
    problems.push(...compareTurn(turn, r.messages, t.file));
    state = deserializeState(serializeState(r.state));
    clock += 5_000;
  }
  return problems;
}

/** How many messages the bot sends a new chat for these texts, worked out by the pure engine. */
export function messagesFor(texts: string[]): number {
  let state = initialState('th', DEFAULT_CLOCK);
  let count = 0;
  for (const text of texts) {
    const r = runEvent(state, { type: 'text', text }, engineContext(shippedFlows(), DEFAULT_CLOCK));
    count += r.messages.length;
    state = r.state;
  }
  return count;
}
