/**
 * The flow engine: `step(state, input, ctx) -> {state, messages, effects, action?}`. Pure, like XState's
 * `transition`: it reads the flows and texts it is given and returns what should happen; the bot layer saves
 * the state, applies the effects and queues the messages in one transaction. When the engine reaches an action
 * node it stops and names the action; the bot layer runs it and steps again with the action's outcome.
 */
import type { AskNode, ChooseNode, Condition, FlowDefinition, FlowNode, Message } from '../definition/types';
import { recognizeCommand, recognizeCommandPostback, type GlobalCommand } from '../matching/commands';
import { scoreIntents } from '../matching/terms';
import { LIMITS } from '../../line/message-limits';
import { mentionsMonarchy } from '../matching/royal';
import { normalize } from '../inputs/normalize';
import { parseYesNo } from '../inputs/yes-no';
import { pinConfirmOf, readAnswer, type PinConfirm, type PlaceChoice } from './answers';
import { flowForIntent, LOW_CONFIDENCE, prefillFromReading } from './understanding';
import type { Reading } from '../../language';
import { bangkokDay, formatDate, formatDayAndTime, formatValue, slotTypes, type Labels } from './format';
import { buttonsMessage, noticeMessage, textMessage, withQuickReplies, type QuickItem } from './messages';
import type { ConversationState, FlowRef, Locale } from './state';
import type { EngineContext, EngineInput, Effect, OutMessage, PendingAction, StepResult, TextVars } from './types';

/** A flow that cannot be run as written: a bug in a published flow or in the code, never the citizen's fault. */
export class FlowRuntimeError extends Error {
  constructor(
    readonly flow: FlowRef | null,
    readonly node: string | null,
    message: string,
  ) {
    super(`${flow ? `${flow.id}@${flow.version}` : '-'}${node ? `/${node}` : ''}: ${message}`);
    this.name = 'FlowRuntimeError';
  }
}

/** Nodes run without waiting, per step; validation already refuses loops without a question, this is a fuse. */
const MAX_AUTOMATIC_NODES = 200;
/** Menu messages in a row that match nothing before an officer is offered. */
const MISSES_BEFORE_OFFICER = 3;

export function step(state: ConversationState, input: EngineInput, ctx: EngineContext): StepResult {
  const run = new Step(structuredClone(state), ctx);
  run.handle(input);
  return run.result();
}

const refOf = (flow: FlowDefinition): FlowRef => ({ id: flow.id, version: flow.version });

class Step {
  private readonly messages: OutMessage[] = [];
  private readonly effects: Effect[] = [];
  private action: PendingAction | undefined;

  constructor(
    private s: ConversationState,
    private readonly ctx: EngineContext,
  ) {}

  result(): StepResult {
    return { state: this.s, messages: this.messages, effects: this.effects, ...(this.action ? { action: this.action } : {}) };
  }

  handle(input: EngineInput): void {
    if (input.type === 'outcome') return this.resumeAction(input.outcome, input.slots, input.messages);
    if (input.type === 'start') {
      this.endCurrent('restarted');
      return this.startFlow(input.flow, { slots: input.slots ?? {} });
    }
    const idleFor = this.ctx.now - this.s.lastActiveAt;
    this.s.lastActiveAt = this.ctx.now;

    if (input.type === 'follow') {
      this.endCurrent('restarted');
      if (input.displayName) this.s.profileName = input.displayName.slice(0, 100);
      this.say(input.displayName ? this.sys('welcome', { name: input.displayName }) : this.sys('welcomeNoName'));
      // PDPA s.23: the notice at collection, short, with the full text one tap away.
      this.messages.push(noticeMessage(this.sys('privacy.title'), this.sys('privacy.short'), this.sys('privacy.more'), 'show=privacy'));
      this.effects.push({ type: 'privacyNoticeShown' });
      return this.startFlow(this.ctx.menuFlow);
    }

    const command = commandOf(input);
    if (this.s.handoff) {
      if (command === 'menu' || command === 'cancel') {
        this.s.handoff = null;
        this.say(this.sys('handoff.returned'));
        return this.startFlow(this.ctx.menuFlow);
      }
      // An officer has the chat: the bot stays quiet and passes everything on.
      this.effects.push({ type: 'forwardToOfficer', input });
      return;
    }

    if (input.type === 'text' && mentionsMonarchy(input.text)) {
      // Never filed as a complaint: an officer takes it, and the handoff is flagged for the E-Report.
      this.say(this.sys('royal.handoff'));
      return this.handoff('royal_petition', input.text);
    }

    if (input.type === 'postback') {
      const params = new URLSearchParams(input.data);
      const show = params.get('show');
      if (show === 'privacy') {
        this.say(this.sys('privacy.full'));
        if (this.s.flow && this.s.node) return this.askCurrent();
        return this.startFlow(this.ctx.menuFlow);
      }
      const flowId = params.get('flow');
      if (flowId && this.ctx.flows.live(flowId)) {
        // A button that starts a flow may carry answers ("flow=track&number=MDH-2569-000123-4"), bounded in size.
        const slots: Record<string, unknown> = {};
        for (const [k, v] of params) if (k !== 'flow' && /^[a-zA-Z]\w{0,31}$/.test(k)) slots[k] = v.slice(0, 200);
        this.endCurrent('cancelled');
        return this.startFlow(flowId, { slots });
      }
    }

    if (this.s.pending?.kind === 'language' && !command) {
      const chosen = input.type === 'text' ? languageIn(input.text) : null;
      if (!chosen) return this.askLanguage();
      this.s.pending = null;
      return this.switchLanguage(chosen);
    }
    if (command) return this.command(command, input);

    if (this.s.pending?.kind === 'resume') return this.answerResume(input);
    if (this.s.flow && this.s.node && this.s.flow.id !== this.ctx.menuFlow && idleFor > this.ctx.idleMs) {
      this.s.pending = { kind: 'resume' };
      return this.offerResume();
    }

    if (!this.s.flow || !this.s.node) {
      // A first message, or the first after a conversation ended: read it as an answer to the main menu.
      this.startFlow(this.ctx.menuFlow, { silent: true });
      if (this.node().kind === 'choose') return this.answer(input, { fromIdle: true });
      // A menu that opens with a question of its own: show it from the start instead.
      this.action = undefined;
      this.s.node = this.flow().start;
      return this.advance();
    }
    this.answer(input, { fromIdle: false });
  }

  // ── Running nodes ────────────────────────────────────────────────────────────────────────────────────────

  private flow(): FlowDefinition {
    const ref = this.s.flow;
    const flow = ref && this.ctx.flows.get(ref);
    if (!flow) throw new FlowRuntimeError(ref, this.s.node, 'the pinned flow version is not available');
    return flow;
  }

  private node(): FlowNode {
    const node = this.s.node === null ? undefined : this.flow().nodes[this.s.node];
    if (!node) throw new FlowRuntimeError(this.s.flow, this.s.node, 'no such node');
    return node;
  }

  private startFlow(
    id: string,
    opts: { keepText?: string; silent?: boolean; slots?: Record<string, unknown>; hints?: Record<string, string> } = {},
  ): void {
    const flow = this.ctx.flows.live(id);
    if (!flow) throw new FlowRuntimeError(null, null, `flow "${id}" has no live version`);
    this.s.flow = refOf(flow);
    this.s.node = flow.start;
    this.s.stack = [];
    this.s.history = [];
    this.s.slots = { ...opts.slots };
    this.s.retries = 0;
    this.s.progress = null;
    this.s.pending = null;
    this.s.returnTo = null;
    this.s.hints = { ...opts.hints };
    if (opts.keepText !== undefined && flow.keepTextAs) this.s.slots[flow.keepTextAs] = opts.keepText;
    this.effects.push({ type: 'flowStarted', flow: this.s.flow });
    this.advance(opts.silent ?? false);
  }

  /** Runs nodes that need no answer until one does, an action is reached, or the conversation ends. */
  private advance(silent = false): void {
    for (let n = 0; n < MAX_AUTOMATIC_NODES; n++) {
      const flow = this.flow();
      const node = this.node();
      switch (node.kind) {
        case 'say':
          if (!silent) for (const m of node.messages) this.messages.push(this.render(flow, m));
          this.s.node = node.next;
          continue;
        case 'ask':
          // Passed over when already answered, except when the citizen came back to change exactly this answer.
          if (node.skipIfFilled && !this.s.returnTo && this.s.slots[node.slot] !== undefined && this.s.slots[node.slot] !== '') {
            this.remember();
            this.s.node = node.next;
            continue;
          }
          const hinted = this.answerFromHint(node, silent);
          if (hinted === 'answered') continue;
          if (hinted === 'asked') return;
          if (!silent) this.askCurrent();
          return;
        case 'choose': {
          const filled = node.skipIfFilled && !this.s.returnTo ? this.filledOption(node) : null;
          if (filled !== null) {
            this.remember();
            this.s.node = node.options[filled]!.next;
            continue;
          }
          if (!silent) this.askCurrent();
          return;
        }
        case 'branch': {
          const hit = node.cases.find((c) => this.holds(c.when));
          this.s.node = hit ? hit.next : node.otherwise;
          continue;
        }
        case 'action':
          this.action = { name: node.action, params: node.params ?? {}, flow: refOf(flow), node: this.s.node! };
          return;
        case 'call': {
          const callee = this.ctx.flows.live(node.flow);
          if (!callee) throw new FlowRuntimeError(this.s.flow, this.s.node, `called flow "${node.flow}" has no live version`);
          this.s.stack.push({ flow: refOf(flow), returnTo: node.next });
          this.s.flow = refOf(callee);
          this.s.node = callee.start;
          this.effects.push({ type: 'flowStarted', flow: this.s.flow });
          continue;
        }
        case 'handoff':
          if (node.message) this.say(this.flowText(flow, node.message));
          return this.handoff(node.reason ?? 'flow');
        case 'end': {
          if (node.message) this.say(this.flowText(flow, node.message));
          const frame = this.s.stack.pop();
          if (frame) {
            this.effects.push({ type: 'flowEnded', flow: refOf(flow), how: 'completed' });
            this.s.flow = frame.flow;
            this.s.node = frame.returnTo;
            continue;
          }
          this.effects.push({ type: 'flowEnded', flow: refOf(flow), how: 'completed' });
          this.clearConversation();
          // The way back to the menu, on the closing message, unless it already offers its own choices.
          const last = this.messages.at(-1);
          if (last && !last.quickReply) withQuickReplies(this.messages, [this.commandItem('menu')]);
          return;
        }
      }
    }
    throw new FlowRuntimeError(this.s.flow, this.s.node, `more than ${MAX_AUTOMATIC_NODES} nodes without a question`);
  }

  private resumeAction(outcome: string, slots: Record<string, unknown> | undefined, messages: OutMessage[] | undefined): void {
    const node = this.node();
    if (node.kind !== 'action') throw new FlowRuntimeError(this.s.flow, this.s.node, 'an outcome arrived but no action is waiting');
    const next = node.outcomes[outcome];
    if (!next) throw new FlowRuntimeError(this.s.flow, this.s.node, `action "${node.action}" reported unknown outcome "${outcome}"`);
    if (slots) Object.assign(this.s.slots, slots);
    if (messages) this.messages.push(...messages);
    this.s.node = next;
    this.advance();
  }

  private clearConversation(): void {
    this.s.flow = null;
    this.s.node = null;
    this.s.stack = [];
    this.s.history = [];
    this.s.slots = {};
    this.s.retries = 0;
    this.s.progress = null;
    this.s.pending = null;
    this.s.returnTo = null;
  }

  /** Ends the conversation in progress, if it is more than the menu, and says so in the effects. */
  private endCurrent(how: 'cancelled' | 'restarted'): boolean {
    const ref = this.s.flow;
    const active = ref !== null && this.s.node !== null && ref.id !== this.ctx.menuFlow;
    for (const frame of [...this.s.stack].reverse()) this.effects.push({ type: 'flowEnded', flow: frame.flow, how });
    if (ref && this.s.node) this.effects.push({ type: 'flowEnded', flow: ref, how });
    this.clearConversation();
    return active;
  }

  private handoff(reason: string, text?: string): void {
    const flow = this.s.flow;
    if (flow && this.s.node) this.effects.push({ type: 'flowEnded', flow, how: 'handoff' });
    this.effects.push(text === undefined ? { type: 'handoff', reason, flow } : { type: 'handoff', reason, flow, text });
    this.clearConversation();
    this.s.handoff = { reason, since: this.ctx.now };
    // What happens next depends on the clock: in office hours, about how long; outside them, when it opens.
    const office = this.ctx.office?.status(this.ctx.now);
    const told = !office
      ? this.sys('handoff.requested')
      : office.open
        ? this.sys('handoff.open', { minutes: office.answerMinutes })
        : this.sys('handoff.closed', { opensAt: formatDayAndTime(office.opensAt, this.s.locale) });
    this.say(told, [this.commandItem('menu', 'handoff.backToBot')]);
  }

  /**
   * A place the first message named without its subdistrict ("อ.ดอนตาล"): the question starts from there, asking
   * only for what is missing, instead of from the province. A place it named in full was already filled in.
   */
  private answerFromHint(node: AskNode, silent: boolean): 'answered' | 'asked' | null {
    const hint = this.s.hints?.[node.slot];
    if (hint === undefined || this.s.returnTo || node.input.type !== 'location') return null;
    delete this.s.hints![node.slot];
    const answer = readAnswer(node, { type: 'text', text: hint }, null, this.ctx.now);
    if (answer.kind === 'ok') {
      this.s.slots[node.slot] = answer.value;
      this.remember();
      this.s.node = node.next;
      return 'answered';
    }
    if (answer.kind !== 'progress' || !answer.choose) return null;
    this.s.progress = answer.progress;
    if (!silent) this.offerPlaces(answer.choose);
    return 'asked';
  }

  /** The option whose value the node's slot already holds (a fact of the first message), or null. */
  private filledOption(node: ChooseNode): number | null {
    const value = node.slot === undefined ? undefined : this.s.slots[node.slot];
    if (value === undefined || value === '') return null;
    const i = node.options.findIndex((o) => (o.value ?? o.label) === value);
    return i < 0 ? null : i;
  }

  // ── Answers ──────────────────────────────────────────────────────────────────────────────────────────────

  private answer(input: EngineInput, opts: { fromIdle: boolean }): void {
    const node = this.node();
    if (node.kind === 'ask') return this.answerAsk(node, input);
    if (node.kind === 'choose') return this.answerChoose(node, input, opts.fromIdle);
    if (node.kind === 'action') {
      // Only reachable if a step stopped at an action and its outcome never came: run it again.
      this.action = { name: node.action, params: node.params ?? {}, flow: refOf(this.flow()), node: this.s.node! };
      return;
    }
    throw new FlowRuntimeError(this.s.flow, this.s.node, `waiting at a ${node.kind} node`);
  }

  private answerAsk(node: AskNode, input: EngineInput): void {
    const answer = readAnswer(node, input, this.s.progress, this.ctx.now, this.ctx.placePin);
    switch (answer.kind) {
      case 'ok':
        this.s.slots[node.slot] = answer.value;
        this.remember();
        this.s.retries = 0;
        this.s.progress = null;
        this.s.node = this.takeReturn() ?? node.next;
        return this.advance();
      case 'progress':
        this.s.progress = answer.progress;
        if (answer.confirm) return this.confirmPin(answer.confirm);
        if (answer.unplaced) return this.say(this.sys('pin.unplaced'), [this.commandItem('cancel')]);
        if (answer.choose) return this.offerPlaces(answer.choose);
        return this.say(this.sys('attachments.received', { count: (answer.progress as { items: unknown[] }).items.length }), this.askQuickItems(node));
      case 'unreadable':
        this.say(this.sys(unreadableKey(input)));
        return this.askCurrent();
      case 'invalid': {
        this.s.retries += 1;
        if (this.s.retries > node.retries) return this.giveUp(node);
        if ((answer.reason === 'pin_which' || answer.reason === 'pin_confirm') && this.s.progress?.kind === 'pin') {
          this.say(this.sys(answer.reason === 'pin_which' ? 'pin.which' : 'pin.yesOrNo'));
          return this.confirmPin(pinConfirmOf(this.s.progress));
        }
        if (answer.reason.startsWith('pin_')) {
          // Where the pin is says it all (at sea, another province): no "not found" before it.
          const v = answer.vars ?? {};
          const vars = this.s.locale === 'en' ? { place: v.placeEn ?? '', served: v.servedEn ?? '' } : { place: v.place ?? '', served: v.served ?? '' };
          return this.say(this.sys(`pin.${answer.reason.slice(4)}`, vars), this.askQuickItems(node));
        }
        const hint = this.sysOptional(`invalid.${node.input.type}.${answer.reason}`) ?? this.sysOptional(`invalid.${node.input.type}.default`);
        const flow = this.flow();
        const text = [this.flowText(flow, node.reprompt), hint].filter(Boolean).join('\n');
        return this.say(text, this.askQuickItems(node));
      }
    }
  }

  private giveUp(node: AskNode): void {
    const flow = this.flow();
    this.effects.push({ type: 'gaveUp', flow: refOf(flow), node: this.s.node! });
    this.s.retries = 0;
    this.s.progress = null;
    if (node.onGiveUp) {
      this.s.node = node.onGiveUp;
      return this.advance();
    }
    this.say(this.sys('giveUp'), [this.commandItem('officer'), this.commandItem('menu')]);
  }

  private answerChoose(node: ChooseNode, input: EngineInput, fromIdle: boolean): void {
    const flow = this.flow();
    if (input.type !== 'text') {
      // A sticker or a voice note gets a kind word about what the bot can read, then the question again.
      this.say(this.sys(unreadableKey(input)));
      return this.askCurrent();
    }
    const labels = (key: string) => [this.flowText(flow, key, {}, 'th'), this.flowText(flow, key, {}, 'en')];
    const proposed = this.proposedOption(node);
    // At the menu a whole sentence is read for what it means ("ไฟถนนดับหน้าบ้านมา 3 วัน" is a story to keep), so
    // only an option typed as it is shown, a synonym or a number is taken as a tap.
    let index = matchOption(node, input.text, labels, { loose: !node.matchIntents });
    if (index === null && proposed !== null && isYes(input.text)) index = proposed;
    if (index === null && node.matchIntents && this.ctx.language) return this.understand(input.text, fromIdle);
    if (index === null && node.matchIntents) index = matchOption(node, input.text, labels, { loose: true });
    if (index !== null) {
      const option = node.options[index]!;
      if (proposed !== null && index !== proposed) this.noteCorrection(node, proposed, index);
      if (node.slot) {
        this.s.slots[node.slot] = option.value ?? option.label;
        if (this.s.hints) delete this.s.hints[node.slot];
      }
      this.remember();
      this.s.misses = 0;
      this.s.retries = 0;
      const back = this.takeReturn();
      if (option.returnTo !== undefined) this.s.returnTo = option.returnTo;
      this.s.node = option.returnTo === undefined && back ? back : option.next;
      return this.advance();
    }
    if (fromIdle) return this.askCurrent();
    if (this.addToStory(input.text)) return;
    this.missed();
  }

  /**
   * More of the story typed where a button was expected ("แล้วก็มีรถซิ่งด้วยค่ะ ดังมากทุกคืน" at the category question):
   * it is added to the story the flow keeps, never answered with "choose from the buttons".
   */
  private addToStory(text: string): boolean {
    const slot = this.flow().keepTextAs;
    if (!slot || typeof this.s.slots[slot] !== 'string' || Array.from(normalize(text)).length < STORY_LENGTH) return false;
    this.s.slots[slot] = `${this.s.slots[slot] as string}\n${text.trim()}`;
    this.say(this.sys('understand.addedToStory'));
    this.askCurrent();
    return true;
  }

  /** A message at the menu that no option matched, or gibberish: say so kindly, offer an officer after three. */
  private missed(likely: QuickItem[] = []): void {
    this.s.misses += 1;
    if (this.s.misses >= MISSES_BEFORE_OFFICER) {
      this.s.misses = 0;
      this.say(this.sys('misses.offerOfficer'), [this.commandItem('officer')]);
      return this.askCurrent();
    }
    if (likely.length > 0) return this.say(this.sys('understand.unclear'), [...likely, this.commandItem('officer'), this.commandItem('menu')]);
    this.say(this.sys('choose.noMatch'));
    this.askCurrent();
  }

  /**
   * Free text at the menu, read by the language layer. Nothing said is lost: a story starts the flow that takes it
   * with the story and what it already says filled in; a number in a sentence goes to tracking with that number; a
   * greeting, thanks or small talk gets a fitting answer. "Not understood" is only for what has no meaning, and
   * even then offers the likely choices and an officer.
   */
  private understand(text: string, fromIdle: boolean): void {
    const reading = this.ctx.language!.read(text, { now: this.ctx.now, locale: this.s.locale });
    if (reading.confidence < LOW_CONFIDENCE && reading.intent !== 'gibberish') this.sample('low_confidence', text, reading);
    switch (reading.intent) {
      case 'royal':
        this.say(this.sys('royal.handoff'));
        return this.handoff('royal_petition', text);
      case 'officer':
        return this.handoff('requested');
      case 'greeting':
        this.s.misses = 0;
        this.say(this.sys('understand.greeting'));
        return this.askCurrent();
      case 'smalltalk':
        this.s.misses = 0;
        this.say(this.sys('understand.smalltalk'));
        return this.askCurrent();
      case 'insult':
        this.s.misses = 0;
        this.say(this.sys('understand.insult'));
        return this.askCurrent();
      case 'thanks':
        this.s.misses = 0;
        this.endCurrent('cancelled');
        return this.say(this.sys('understand.thanks'), [this.commandItem('menu')]);
      case 'gibberish':
        this.sample('not_understood', text, reading);
        return this.missed(this.likelyChoices(reading));
      case 'question':
      case 'complaint': {
        // A question about the center, or a request for information ("ย้ายทะเบียนบ้านทำยังไง") that the admins have
        // already answered in the FAQ: the answer at once, not a case to wait for. The FAQ's own bar decides.
        if (reading.intent === 'complaint' && reading.facts.category !== 'information') break;
        const answer = this.ctx.faq?.answer(text, this.s.locale);
        if (answer) {
          this.s.misses = 0;
          return this.say(answer, [this.commandItem('menu'), this.commandItem('officer')]);
        }
        break;
      }
    }
    const flow = flowForIntent(this.ctx.flows.liveFlows(), reading.intent, this.ctx.menuFlow);
    if (!flow) {
      this.sample('not_understood', text, reading);
      return fromIdle && reading.intent === 'complaint' ? this.askCurrent() : this.missed(this.likelyChoices(reading));
    }
    this.s.misses = 0;
    const menu = this.s.flow;
    if (menu) this.effects.push({ type: 'flowEnded', flow: menu, how: 'completed' });
    const prefill = prefillFromReading(flow, reading);
    // No party named ("ไฟถนนดับ"): what it is about is the topic itself, proposed in the summary like the rest.
    const aboutSlot = flow.facts?.about;
    const topic = reading.facts.subject;
    if (aboutSlot && prefill.slots[aboutSlot] === undefined && topic && topic !== 'other') prefill.slots[aboutSlot] = this.sys(`topic.${topic}`);
    // "อยากร้องเรียนค่ะ" asks to complain and tells nothing yet: the flow then asks for the story instead of keeping it.
    const keep = reading.intent !== 'complaint' || tellsSomething(text, reading);
    return this.startFlow(flow.id, { ...(keep ? { keepText: text } : {}), slots: prefill.slots, hints: prefill.hints });
  }

  /** Buttons for the flows the reading's runners-up point to: the likely meanings of an unclear message. */
  private likelyChoices(reading: Reading): QuickItem[] {
    const items: QuickItem[] = [];
    for (const alt of reading.alternatives) {
      const flow = flowForIntent(this.ctx.flows.liveFlows(), alt.intent, this.ctx.menuFlow);
      if (!flow || items.some((i) => i.kind === 'postback' && i.data === `flow=${flow.id}`)) continue;
      const title = this.flowText(flow, 'title');
      items.push({ kind: 'postback', label: title, data: `flow=${flow.id}`, displayText: title });
    }
    return items.slice(0, 3);
  }

  private sample(reason: 'low_confidence' | 'not_understood', text: string, reading: Reading): void {
    this.effects.push({ type: 'languageSample', reason, text, intent: reading.intent, confidence: reading.confidence });
  }

  /**
   * The option a confirmIfFilled node proposes, or null: only a value read from the first message is proposed
   * (marked in hints); an answer the citizen gave, then came back to with "back", is asked again as usual.
   */
  private proposedOption(node: ChooseNode): number | null {
    if (!node.confirmIfFilled || this.s.returnTo || node.slot === undefined) return null;
    const value = this.s.slots[node.slot];
    return value !== undefined && this.s.hints?.[node.slot] === value ? this.filledOption(node) : null;
  }

  /** The citizen changed what was proposed from their words: a lesson for the language layer. */
  private noteCorrection(node: ChooseNode, proposed: number, chosen: number): void {
    const flow = this.flow();
    const story = flow.keepTextAs ? this.s.slots[flow.keepTextAs] : undefined;
    if (typeof story !== 'string' || node.slot === undefined) return;
    const value = (i: number) => node.options[i]!.value ?? node.options[i]!.label;
    this.effects.push({
      type: 'languageSample',
      reason: 'corrected',
      text: story,
      intent: flow.intents?.[0] ?? '',
      confidence: 0,
      correction: { slot: node.slot, proposed: value(proposed), chosen: value(chosen) },
    });
  }

  private answerResume(input: EngineInput): void {
    const text = input.type === 'text' ? normalize(input.text).toLowerCase() : '';
    const labels = (key: string) => (['th', 'en'] as const).map((l) => normalize(this.ctx.texts.system(l, key)).toLowerCase());
    const yes = parseYesNo(text);
    if (labels('resume.continue').includes(text) || (yes.ok && yes.value)) {
      this.s.pending = null;
      return this.askCurrent();
    }
    if (labels('resume.restart').includes(text) || (yes.ok && !yes.value)) {
      const id = this.s.flow!.id;
      this.endCurrent('restarted');
      return this.startFlow(id);
    }
    this.offerResume();
  }

  // ── Global commands ──────────────────────────────────────────────────────────────────────────────────────

  private command(command: GlobalCommand, input: EngineInput): void {
    switch (command) {
      case 'cancel': {
        const active = this.endCurrent('cancelled');
        this.say(this.sys(active ? 'cancel.done' : 'cancel.nothing'));
        return this.startFlow(this.ctx.menuFlow);
      }
      case 'menu':
        this.endCurrent('cancelled');
        return this.startFlow(this.ctx.menuFlow);
      case 'back':
        return this.back();
      case 'help':
        this.say(this.sys('help'));
        if (this.s.flow && this.s.node) return this.askCurrent();
        return this.startFlow(this.ctx.menuFlow);
      case 'officer':
        return this.handoff('requested');
      case 'language': {
        const chosen = input.type === 'text' ? languageIn(input.text) : null;
        if (chosen) return this.switchLanguage(chosen);
        this.s.pending = { kind: 'language' };
        return this.askLanguage();
      }
    }
  }

  private back(): void {
    this.s.pending = null;
    const entry = this.s.history.pop();
    if (!entry) {
      this.say(this.sys('back.nothing'));
      if (this.s.flow && this.s.node) return this.askCurrent();
      return this.startFlow(this.ctx.menuFlow);
    }
    this.s.flow = entry.flow;
    this.s.stack = entry.stack;
    this.s.node = entry.node;
    this.s.retries = 0;
    this.s.progress = null;
    const node = this.node();
    const slot = node.kind === 'ask' ? node.slot : node.kind === 'choose' ? node.slot : undefined;
    const earlier = slot === undefined ? '' : this.display(this.flow(), slot);
    if (earlier) this.say(this.sys('back.previous', { answer: earlier }));
    this.askCurrent();
  }

  private askLanguage(): void {
    this.say(this.sys('language.choose'), [
      { kind: 'message', label: 'ภาษาไทย', text: 'ภาษาไทย' },
      { kind: 'message', label: 'English', text: 'English' },
    ]);
  }

  private switchLanguage(locale: Locale): void {
    this.s.pending = null;
    if (locale !== this.s.locale) {
      this.s.locale = locale;
      this.effects.push({ type: 'localeChanged', locale });
    }
    this.say(this.sys('language.changed'));
    if (this.s.flow && this.s.node) return this.askCurrent();
    this.startFlow(this.ctx.menuFlow);
  }

  private offerResume(): void {
    const flow = this.flow();
    const title = flow.texts[this.s.locale].title ? this.flowText(flow, 'title') : flow.id;
    const cont = this.sys('resume.continue');
    const restart = this.sys('resume.restart');
    this.say(this.sys('resume.prompt', { flow: title }), [
      { kind: 'message', label: cont, text: cont },
      { kind: 'message', label: restart, text: restart },
      this.commandItem('cancel'),
    ]);
  }

  // ── Questions and texts ──────────────────────────────────────────────────────────────────────────────────

  /** Asks the current question (again). */
  private askCurrent(): void {
    const flow = this.flow();
    const node = this.node();
    if (node.kind === 'ask' && this.s.progress?.kind === 'pin') return this.confirmPin(pinConfirmOf(this.s.progress));
    if (node.kind === 'ask') return this.say(this.flowText(flow, node.prompt), this.askQuickItems(node));
    if (node.kind !== 'choose') return;
    const labels = node.options.map((o) => this.flowText(flow, o.label));
    const extra = this.navigationItems();
    const proposed = this.proposedOption(node);
    if (proposed !== null) {
      // What the first message already said: one tap to accept (first), the other options to change it.
      const first = labels[proposed]!;
      const prompt = this.sys('propose.confirm', { question: this.flowText(flow, node.prompt), answer: first });
      const others = labels.filter((_, i) => i !== proposed);
      // The tick only where it fits LINE's label limit; first in the row says it is the proposal either way.
      const accept = Array.from(`✓ ${first}`).length <= LIMITS.quickReplyLabel ? `✓ ${first}` : first;
      return this.say(prompt, [{ kind: 'message', label: accept, text: first }, ...others.map((l): QuickItem => ({ kind: 'message', label: l, text: l })), ...extra]);
    }
    const prompt = this.flowText(flow, node.prompt);
    if (node.display === 'buttons') {
      this.messages.push(buttonsMessage(prompt, labels.map((l) => ({ label: l, text: l }))));
      withQuickReplies(this.messages, extra);
      return;
    }
    this.say(prompt, [...labels.map((l): QuickItem => ({ kind: 'message', label: l, text: l })), ...extra]);
  }

  /** The quick replies that help answer a question of this type, then back and cancel. */
  private askQuickItems(node: AskNode): QuickItem[] {
    const t = (key: string) => this.sys(key);
    const items: QuickItem[] = [];
    const options = node.input.options ?? {};
    if (node.suggest === 'profileName' && this.s.profileName) items.push({ kind: 'message', label: this.s.profileName.slice(0, 20), text: this.s.profileName });
    switch (node.input.type) {
      case 'date':
        items.push(
          { kind: 'datetimepicker', label: t('quick.pickDate'), data: 'input=date', mode: 'date', ...(options.allowFuture === true ? {} : { max: bangkokDay(this.ctx.now) }) },
          { kind: 'message', label: t('quick.today'), text: t('quick.today') },
          { kind: 'message', label: t('quick.yesterday'), text: t('quick.yesterday') },
        );
        break;
      case 'time':
        items.push({ kind: 'datetimepicker', label: t('quick.pickTime'), data: 'input=time', mode: 'time' });
        break;
      case 'yes-no':
      case 'consent':
        items.push({ kind: 'message', label: t('quick.yes'), text: t('quick.yes') }, { kind: 'message', label: t('quick.no'), text: t('quick.no') });
        break;
      case 'location':
        items.push({ kind: 'location', label: t('quick.sendLocation') });
        break;
      case 'text':
        if (options.optional === true) items.push({ kind: 'message', label: t('quick.skip'), text: t('quick.skip') });
        break;
      case 'attachments': {
        const count = this.s.progress?.kind === 'attachments' ? this.s.progress.items.length : 0;
        items.push({ kind: 'camera', label: t('quick.camera') }, { kind: 'cameraRoll', label: t('quick.cameraRoll') });
        const doneKey = count === 0 && (typeof options.min !== 'number' || options.min === 0) ? 'quick.noAttachments' : 'quick.done';
        items.push({ kind: 'message', label: t(doneKey), text: t(doneKey) });
        break;
      }
    }
    return [...items, ...this.navigationItems()];
  }

  /** Back (when there is an earlier question) and cancel, on every question outside the menu. */
  private navigationItems(): QuickItem[] {
    if (!this.s.flow || this.s.flow.id === this.ctx.menuFlow) return [];
    return [...(this.s.history.length ? [this.commandItem('back')] : []), this.commandItem('cancel')];
  }

  private offerPlaces(choice: PlaceChoice): void {
    const shown = choice.options.slice(0, 11);
    const items: QuickItem[] = shown.map((o) => {
      const name = o[this.s.locale] || o.th;
      return { kind: 'postback', label: name, data: `place=${o.code}`, displayText: name };
    });
    const more = choice.options.length > shown.length ? this.sys('place.typeMore') : '';
    const question = choice.known
      ? this.sys(`place.choose.${choice.level}`, { place: choice.known[this.s.locale] })
      : this.sys('place.choose.any');
    this.say([question, more].filter(Boolean).join('\n'), [...items, this.commandItem('cancel')]);
  }

  /**
   * A pin placed by the boundaries: "ตำบลบางทรายใหญ่ อำเภอเมืองมุกดาหาร ใช่ไหมคะ", confirmed with one tap; near a
   * border, or just off the land, the places it may mean, each one tap, and "elsewhere" to name it.
   */
  private confirmPin(confirm: PinConfirm): void {
    const locale = this.s.locale;
    const label = (text: string) => (Array.from(text).length <= LIMITS.quickReplyLabel ? text : `${Array.from(text).slice(0, LIMITS.quickReplyLabel - 1).join('')}…`);
    const [only, ...rest] = confirm.places;
    if (only && rest.length === 0) {
      const yes = this.sys('quick.yes');
      const no = this.sys('quick.no');
      return this.say(this.sys(confirm.off ? 'pin.confirmOff' : 'pin.confirm', { place: only.spoken[locale] }), [
        { kind: 'message', label: label(`✓ ${yes}`), text: yes },
        { kind: 'message', label: no, text: no },
        this.commandItem('cancel'),
      ]);
    }
    const names = confirm.places.map((p) => p.spoken[locale]).join(this.sys('pin.or'));
    const other = this.sys('pin.other');
    this.say(this.sys(confirm.off ? 'pin.chooseOff' : 'pin.chooseBorder', { places: names }), [
      ...confirm.places.map((p): QuickItem => ({ kind: 'postback', label: label(p.short[locale]), data: `place=${p.code}`, displayText: p.spoken[locale] })),
      { kind: 'postback', label: label(other), data: 'place=other', displayText: other },
      this.commandItem('cancel'),
    ]);
  }

  private commandItem(command: GlobalCommand, labelKey = `command.${command}`): QuickItem {
    const label = this.sys(labelKey);
    return { kind: 'message', label, text: this.sys(`command.${command}`) };
  }

  private say(text: string, quick: QuickItem[] = []): void {
    this.messages.push(textMessage(text, quick));
  }

  private sys(key: string, vars?: TextVars): string {
    return this.ctx.texts.system(this.s.locale, key, vars);
  }

  private sysOptional(key: string): string | undefined {
    const text = this.ctx.texts.system(this.s.locale, key);
    return text === key || text.endsWith(`.${key}`) ? undefined : text;
  }

  private flowText(flow: FlowDefinition, key: string, extra: TextVars = {}, locale: Locale = this.s.locale): string {
    const template = flow.texts[locale][key] ?? flow.texts.th[key] ?? '';
    return this.ctx.texts.flow(flow, locale, key, { ...this.vars(flow, locale, variablesOf(template)), ...extra });
  }

  private render(flow: FlowDefinition, m: Message): OutMessage {
    if ('text' in m) return textMessage(this.flowText(flow, m.text));
    if ('flex' in m) return { type: 'flex', altText: this.flowText(flow, m.altText), contents: m.flex };
    return { type: 'image', originalContentUrl: m.image, previewImageUrl: m.image };
  }

  /** The variables a text names, as they read in a message: slots formatted, and the system variables. */
  private vars(flow: FlowDefinition, locale: Locale, names: readonly string[]): TextVars {
    const vars: TextVars = {};
    for (const name of names) {
      if (name in this.s.slots) vars[name] = this.display(flow, name, locale);
      else if (name === 'date') vars.date = formatDate(bangkokDay(this.ctx.now), locale);
    }
    return vars;
  }

  private display(flow: FlowDefinition, slot: string, locale: Locale = this.s.locale): string {
    const value = this.s.slots[slot];
    const type = slotTypes(flow).get(slot);
    if (type === 'choice') {
      for (const node of Object.values(flow.nodes)) {
        if (node.kind !== 'choose' || node.slot !== slot) continue;
        const option = node.options.find((o) => (o.value ?? o.label) === value);
        if (option) return this.ctx.texts.flow(flow, locale, option.label, {});
      }
    }
    return formatValue(value, type, locale, this.labels(locale));
  }

  private labels(locale: Locale): Labels {
    return {
      yes: () => this.ctx.texts.system(locale, 'quick.yes'),
      no: () => this.ctx.texts.system(locale, 'quick.no'),
      attachments: (count) =>
        count === 0 ? this.ctx.texts.system(locale, 'attachments.none') : this.ctx.texts.system(locale, 'attachments.count', { count }),
    };
  }

  /** The node to return to after this answer, if the citizen came here to change one answer. */
  private takeReturn(): string | null {
    const target = this.s.returnTo ?? null;
    this.s.returnTo = null;
    return target;
  }

  /** Records the question being left, so "back" can return to it. */
  private remember(): void {
    if (!this.s.flow || !this.s.node) return;
    this.s.history.push({ flow: this.s.flow, node: this.s.node, stack: structuredClone(this.s.stack) });
    if (this.s.history.length > 50) this.s.history.shift();
  }

  private holds(c: Condition): boolean {
    const slots = this.s.slots;
    if ('equals' in c) return slots[c.equals[0]] === c.equals[1];
    if ('in' in c) return c.in[1].includes(slots[c.in[0]] as string | number | boolean);
    if ('exists' in c) return slots[c.exists] !== undefined && slots[c.exists] !== null && slots[c.exists] !== '';
    if ('regex' in c) return typeof slots[c.regex[0]] === 'string' && new RegExp(c.regex[1], 'u').test(slots[c.regex[0]] as string);
    if ('and' in c) return c.and.every((x) => this.holds(x));
    if ('or' in c) return c.or.some((x) => this.holds(x));
    if ('not' in c) return !this.holds(c.not);
    const fn = this.ctx.conditions[c.condition];
    if (!fn) throw new FlowRuntimeError(this.s.flow, this.s.node, `unknown condition "${c.condition}"`);
    const categories = this.ctx.categories;
    try {
      return fn(c.params ?? {}, { slots, locale: this.s.locale, now: this.ctx.now, ...(categories ? { categories } : {}) });
    } catch (err) {
      // Where it went wrong, for the log and the editor's preview: the flow, its node and the condition.
      throw new FlowRuntimeError(this.s.flow, this.s.node, `condition "${c.condition}": ${(err as Error).message}`);
    }
  }
}

const variableCache = new Map<string, readonly string[]>();

/** The {{variables}} a text uses, remembered per text: only those are formatted when it is rendered. */
function variablesOf(template: string): readonly string[] {
  let names = variableCache.get(template);
  if (!names) {
    names = [...new Set([...template.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1]!))];
    if (variableCache.size > 10_000) variableCache.clear();
    variableCache.set(template, names);
  }
  return names;
}

function unreadableKey(input: EngineInput): string {
  return input.type === 'media' && input.mediaType === 'audio' ? 'unreadable.audio' : `unreadable.${input.type}`;
}

function commandOf(input: EngineInput): GlobalCommand | null {
  if (input.type === 'text') return recognizeCommand(input.text);
  if (input.type === 'postback') return recognizeCommandPostback(input.data);
  return null;
}

/** "English", "ภาษาอังกฤษ", "en" → en; "ภาษาไทย", "ไทย", "Thai" → th. */
function languageIn(text: string): Locale | null {
  const t = normalize(text).toLowerCase().replace(/\s+/g, '');
  if (['english', 'ภาษาอังกฤษ', 'อังกฤษ', 'en', 'eng'].includes(t)) return 'en';
  if (['ภาษาไทย', 'ไทย', 'thai', 'th'].includes(t)) return 'th';
  return null;
}

/** Characters from which a message is a story even when no fact was read from it. */
const STORY_LENGTH = 30;

/** Whether a complaint message tells what happened (a topic, a place, a time, a party, or length), not only that there is one. */
function tellsSomething(text: string, reading: Reading): boolean {
  const f = reading.facts;
  if ((f.subject && f.subject !== 'other') || f.placeText || f.when || f.about) return true;
  return Array.from(normalize(text)).length >= STORY_LENGTH;
}

/** "ใช่", "ถูกต้อง", "yes": accepting what was proposed. */
function isYes(text: string): boolean {
  const r = parseYesNo(text);
  return r.ok && r.value;
}

const compact = (s: string) => normalize(s).toLowerCase().replace(/\s+/g, '');
const OPTION_NUMBER = /^(?:ข้อ|ตัวเลือก|no\.?|option)?\s*(\d{1,2})$/i;

/**
 * Which option a typed or tapped text names: its label in either language, its value, a synonym, its number
 * ("2", "๒", "ข้อ 2"), and last a keyword match that must point at one option only.
 */
export function matchOption(
  node: ChooseNode,
  text: string,
  labels: (key: string) => string[],
  opts: { loose: boolean } = { loose: true },
): number | null {
  const typed = compact(text);
  if (!typed) return null;
  for (const [i, o] of node.options.entries()) {
    const names = [...labels(o.label), o.value ?? '', ...(o.synonyms ?? [])].map(compact).filter(Boolean);
    if (names.includes(typed)) return i;
  }
  const n = OPTION_NUMBER.exec(normalize(text));
  if (n) {
    const i = Number(n[1]) - 1;
    if (i >= 0 && i < node.options.length) return i;
  }
  if (!opts.loose) return null;
  const intents = node.options.map((o, i) => ({ id: String(i), keywords: [...labels(o.label), ...(o.synonyms ?? [])] }));
  const [best, second] = scoreIntents(text, intents);
  if (!best || (second && second.score === best.score)) return null;
  return Number(best.id);
}
