/**
 * What one step of a chat's conversation reads before the engine runs, inside the event's transaction: every flow
 * version the chat may need (the live ones and those its conversation is pinned to), its district's office hours,
 * and the case categories whose rules decide what the complaint flow asks. The engine itself does no I/O.
 */
import { categoryList } from '../categories';
import type { FlowDefinition } from '../flows/definition/types';
import { createEngineTexts, MemoryFlowSet, type ConversationState, type EngineContext, type FaqMatcher, type FlowRef, type PinPlacer } from '../flows/engine';
import { CONDITIONS } from '../flows/registry/conditions';
import { i18n } from '../locales/i18n';
import { chatDistrict } from '../office/chat-district';
import { officeClock, type OfficeHours } from '../office/hours';
import type { DistrictOfficeStore } from '../office/store';
import type { Tx } from '../storage/database';
import type { LanguageModels } from '../understanding/models';

export const engineTexts = createEngineTexts(i18n);

/**
 * Where flow definitions come from: flows/store.ts. Read inside the event's transaction (`q`), cached: stored
 * versions never change, and the live versions are re-read at most once a second.
 */
export interface FlowSource {
  liveVersionsCached(q: Pick<Tx, 'query'>): Promise<Map<string, number>>;
  get(id: string, version: number, q: Pick<Tx, 'query'>): Promise<FlowDefinition | null>;
}

export interface ConversationSetup {
  flows: FlowSource;
  offices?: DistrictOfficeStore;
  centerDistrict: string | null;
  idleMs: number;
  menuFlow: string;
  /** The live language model (the newest published, else the shipped one). */
  language: LanguageModels;
  /** Places a LINE location pin by the installed boundaries (geo/); none installed: the place is asked by name. */
  placePin?: PinPlacer;
}

export interface LoadedContext {
  engine: EngineContext;
  hours: OfficeHours | null;
  /** The chat's district, looked up once and only when asked. */
  district(): Promise<string | null>;
}

export async function loadEngineContext(
  tx: Tx,
  setup: ConversationSetup,
  c: { chatId: string; state: ConversationState; now: number; faq: FaqMatcher | null },
): Promise<LoadedContext> {
  const live = await setup.flows.liveVersionsCached(tx);
  const wanted = new Map<string, FlowRef>();
  for (const [id, version] of live) wanted.set(`${id}@${version}`, { id, version });
  for (const ref of pinnedRefs(c.state)) wanted.set(`${ref.id}@${ref.version}`, ref);
  const definitions: FlowDefinition[] = [];
  for (const ref of wanted.values()) {
    const d = await setup.flows.get(ref.id, ref.version, tx);
    if (d) definitions.push(d);
  }
  let district: string | null | undefined;
  const districtOfChat = async () => (district === undefined ? (district = await chatDistrict(tx, c.chatId, setup.centerDistrict)) : district);
  // The engine reads the office clock as it steps, so the district's hours are read before; when no district has
  // hours of its own, every chat has the defaults and no query is needed to know which district it is.
  let hours: OfficeHours | null = null;
  if (setup.offices) hours = (await setup.offices.anyCustomCached(tx)) ? await setup.offices.hoursCached(tx, await districtOfChat()) : setup.offices.defaults;
  const language = await setup.language.liveCached(tx);
  // At most CATEGORY_CACHE_MS old, shared by every chat of this process: an admin's change is asked by the next chats.
  const categories = await categoryList(tx);
  const engine: EngineContext = {
    flows: new MemoryFlowSet(definitions, live),
    language,
    texts: engineTexts,
    conditions: CONDITIONS,
    categories,
    now: c.now,
    idleMs: setup.idleMs,
    menuFlow: setup.menuFlow,
    ...(c.faq ? { faq: c.faq } : {}),
    ...(hours ? { office: officeClock(hours) } : {}),
    ...(setup.placePin ? { placePin: setup.placePin } : {}),
  };
  return { engine, hours, district: districtOfChat };
}

/** Every flow version a stored conversation is pinned to: it must be loaded even when no longer live. */
function pinnedRefs(state: ConversationState): FlowRef[] {
  return [
    ...(state.flow ? [state.flow] : []),
    ...state.stack.map((f) => f.flow),
    ...state.history.flatMap((h) => [h.flow, ...h.stack.map((f) => f.flow)]),
  ];
}
