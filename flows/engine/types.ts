import type { FlowDefinition } from '../definition/types';
import type { ConditionFn } from '../registry/conditions';
import type { ConversationState, FlowRef, Locale } from './state';
import type { Reading } from '../../language';
import type { CaseCategory } from '../../categories/types';

/** A LINE message object as the Messaging API takes it (checked against LINE's limits in line/message-limits). */
export type OutMessage = { type: string; [k: string]: unknown };

/** What one webhook event means to a conversation, already stripped of LINE's envelope by the bot layer. */
export type EngineInput =
  | { type: 'follow'; displayName?: string }
  | { type: 'text'; text: string }
  | { type: 'postback'; data: string; params?: { date?: string; time?: string; datetime?: string } }
  | { type: 'location'; latitude: number; longitude: number; address?: string; title?: string }
  | { type: 'media'; mediaType: 'image' | 'video' | 'audio' | 'file'; contentId: string; fileName?: string }
  | { type: 'sticker' }
  /** The result of the action the previous step stopped at (see StepResult.action), with what it has to say. */
  | { type: 'outcome'; outcome: string; slots?: Record<string, unknown>; messages?: OutMessage[] }
  /** The center starts a conversation (a satisfaction survey after a case ends): not something the citizen sent. */
  | { type: 'start'; flow: string; slots?: Record<string, unknown> };

/** Something the bot layer does, in the same transaction as saving the state. */
export type Effect =
  | { type: 'flowStarted'; flow: FlowRef }
  | { type: 'flowEnded'; flow: FlowRef; how: 'completed' | 'cancelled' | 'handoff' | 'restarted' }
  | { type: 'handoff'; reason: string; flow: FlowRef | null; text?: string }
  | { type: 'localeChanged'; locale: Locale }
  | { type: 'privacyNoticeShown' }
  | { type: 'gaveUp'; flow: FlowRef; node: string }
  /** A message the citizen sent while an officer has the chat: it is for the officer, not the bot. */
  | { type: 'forwardToOfficer'; input: EngineInput }
  /**
   * A message the language layer read with low confidence or did not understand, or a proposal the citizen
   * corrected: kept (numbers masked, no chat id) for admins to turn into training examples.
   */
  | {
      type: 'languageSample';
      reason: 'low_confidence' | 'not_understood' | 'corrected';
      text: string;
      intent: string;
      confidence: number;
      /** For a corrected proposal: the slot, what was proposed and what the citizen chose instead. */
      correction?: { slot: string; proposed: string; chosen: string };
    };

/** An action the engine reached: the bot layer runs it and steps again with `{type: 'outcome'}`. */
export interface PendingAction {
  name: string;
  params: Record<string, unknown>;
  flow: FlowRef;
  node: string;
}

export interface StepResult {
  state: ConversationState;
  messages: OutMessage[];
  effects: Effect[];
  action?: PendingAction;
}

/** The flows a step may use, loaded by the bot layer beforehand so the step itself needs no I/O. */
export interface FlowSet {
  /** A pinned version; conversations finish on the version they started with. */
  get(ref: FlowRef): FlowDefinition | undefined;
  /** The version a new conversation of this flow starts on. */
  live(id: string): FlowDefinition | undefined;
  /** Every live flow, for finding the flow that takes a message's intent. */
  liveFlows(): readonly FlowDefinition[];
}

/** The language layer as the engine uses it (language/index.ts LanguageModel). */
export interface LanguageReader {
  read(text: string, options?: { now?: number; locale?: Locale }): Reading;
}

export type TextVars = Record<string, string | number>;

export interface EngineTexts {
  /** A system text from locales/<locale>/engine.json. */
  system(locale: Locale, key: string, vars?: TextVars): string;
  /** A flow's own text, from its i18n namespace. */
  flow(flow: FlowDefinition, locale: Locale, key: string, vars?: TextVars): string;
}

/** Answers from the FAQ for free text at the menu, matched by the bot layer's FAQ entries. */
export interface FaqMatcher {
  answer(text: string, locale: Locale): string | null;
}

/** Whether the center is open now, for what the citizen is told on a handoff (office/hours.ts). */
export interface OfficeClock {
  status(now: number): { open: true; answerMinutes: number } | { open: false; opensAt: number };
}

/** A place's DOPA geocodes as the boundaries give them: the district always, the subdistrict when it can be shown. */
export interface PinPlace {
  province: string;
  district: string;
  subdistrict?: string;
}

/** Where a LINE location pin lies (geo/pin.ts makes these; the engine only reads them). */
export type PinPlacement =
  /** In these places, the likeliest first: one to confirm, or several near a border. `off`: just outside every one (river, coast). */
  | { kind: 'placed'; places: PinPlace[]; off: boolean }
  /** In Thailand, but outside the provinces this center serves (`served`, province codes). */
  | { kind: 'elsewhere'; place: PinPlace; served: string[] }
  /** Nowhere within reach: at sea, abroad. */
  | { kind: 'nowhere' };

/** Places a pin by its coordinates; handed to the engine by the server, so the engine stays pure. */
export type PinPlacer = (latitude: number, longitude: number) => PinPlacement;

export interface EngineContext {
  flows: FlowSet;
  texts: EngineTexts;
  conditions: Readonly<Record<string, ConditionFn>>;
  /** Epoch milliseconds of the event. */
  now: number;
  /** A conversation idle this long is asked whether to continue. */
  idleMs: number;
  /** The flow that is the main menu. */
  menuFlow: string;
  faq?: FaqMatcher;
  office?: OfficeClock;
  /** Reads free text at the menu into an intent and facts; without it, only options and commands are understood. */
  language?: LanguageReader;
  /** Places a LINE location pin in its subdistrict and district; without it (no boundaries installed) the place is asked by name. */
  placePin?: PinPlacer;
  /**
   * The case categories as the center keeps them (the `category` table, retired ones too): what the `category.*`
   * conditions read, so a category's rules decide what the chat asks. A flow that uses them cannot run without it.
   */
  categories?: readonly CaseCategory[];
}
