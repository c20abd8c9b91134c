import { flowSchema } from './schema';
import type { Condition, FlowDefinition, FlowNode, NodeId } from './types';
import { categoryChoices, FILING_SLOT, type KnownCategories } from './categories';

// Rejects a flow on save with errors that say where and suggest the fix, the way
// XState does for bad targets, but unlike XState an unknown action name is an error.

export interface FlowError {
  file: string;
  /** Dotted path into the definition, e.g. `nodes.ask_name.next`. */
  path: string;
  message: string;
  suggestion?: string;
}

export interface ValidationContext {
  file: string;
  actions: Set<string>;
  /** Outcomes each action may report; when given, an outcome the action never reports is an error. */
  actionOutcomes?: Map<string, readonly string[]>;
  /** Slots each action fills for the nodes after it (ActionSpec.gives): a text of a flow that runs it may show them. */
  actionSlots?: Map<string, readonly string[]>;
  conditions: Set<string>;
  inputs: Set<string>;
  flows?: Set<string>;
  /**
   * The case categories (the `category` table), when known: a choice that files into a category must name one in
   * use, and a branch on the category slot one that exists. Without it, categories are not checked.
   */
  categories?: KnownCategories;
}

export type ValidationResult = { ok: true; flow: FlowDefinition } | { ok: false; errors: FlowError[] };

/** Variables the engine fills in itself, usable in any text without an `ask`. */
export const SYSTEM_VARS = ['name', 'trackingNumber', 'date'] as const;
/** LINE allows at most 5 messages per reply and 13 quick reply items. */
export const MAX_MESSAGES = 5;
export const MAX_QUICK_REPLY = 13;

export function validateFlow(def: unknown, ctx: ValidationContext): ValidationResult {
  const parsed = flowSchema.safeParse(def);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ file: ctx.file, path: i.path.map(String).join('.'), message: i.message })),
    };
  }
  const flow: FlowDefinition = parsed.data;
  const errors: FlowError[] = [];
  const report = (path: string, message: string, suggestion?: string) =>
    errors.push(suggestion === undefined ? { file: ctx.file, path, message } : { file: ctx.file, path, message, suggestion });
  const nodeIds = Object.keys(flow.nodes);

  const checkTarget = (path: string, target: NodeId) => {
    if (target in flow.nodes) return;
    const near = closest(target, nodeIds);
    report(path, `unknown target node "${target}"`, near && `did you mean "${near}"?`);
  };
  const checkName = (path: string, kind: string, name: string, known: Set<string>) => {
    if (known.has(name)) return;
    const near = closest(name, [...known]);
    report(path, `unknown ${kind} "${name}"`, near && `did you mean "${near}"?`);
  };

  checkTarget('start', flow.start);
  const usedTexts = new Map<string, string>(); // text key -> first path that uses it
  const useText = (path: string, key: string) => {
    if (!usedTexts.has(key)) usedTexts.set(key, path);
    for (const lang of ['th', 'en'] as const) {
      if (!(key in flow.texts[lang])) report(path, `text "${key}" is missing in ${lang}`, `add texts.${lang}.${key}`);
    }
  };

  for (const [nodeId, node] of Object.entries(flow.nodes)) {
    const at = `nodes.${nodeId}`;
    for (const [path, target] of edges(node, at)) checkTarget(path, target);
    switch (node.kind) {
      case 'say':
        if (node.messages.length > MAX_MESSAGES)
          report(`${at}.messages`, `a say node may send at most ${MAX_MESSAGES} messages, found ${node.messages.length}`, 'split it into two say nodes');
        node.messages.forEach((m, i) => {
          if ('text' in m) useText(`${at}.messages.${i}.text`, m.text);
          if ('altText' in m) useText(`${at}.messages.${i}.altText`, m.altText);
        });
        break;
      case 'ask':
        checkName(`${at}.input.type`, 'input type', node.input.type, ctx.inputs);
        useText(`${at}.prompt`, node.prompt);
        useText(`${at}.reprompt`, node.reprompt);
        break;
      case 'choose':
        useText(`${at}.prompt`, node.prompt);
        node.options.forEach((o, i) => useText(`${at}.options.${i}.label`, o.label));
        if ((node.display ?? 'quickReply') === 'quickReply' && node.options.length > MAX_QUICK_REPLY)
          report(`${at}.options`, `quick reply allows at most ${MAX_QUICK_REPLY} options, found ${node.options.length}`, 'use display "buttons" or split the choice');
        break;
      case 'branch':
        node.cases.forEach((c, i) => checkCondition(`${at}.cases.${i}.when`, c.when));
        break;
      case 'action':
        checkName(`${at}.action`, 'action', node.action, ctx.actions);
        for (const outcome of Object.keys(node.outcomes)) {
          const known = ctx.actionOutcomes?.get(node.action);
          if (known && !known.includes(outcome)) {
            const near = closest(outcome, known);
            report(`${at}.outcomes.${outcome}`, `action "${node.action}" has no outcome "${outcome}"`, near ? `did you mean "${near}"?` : `its outcomes are: ${known.join(', ')}`);
          }
        }
        for (const outcome of ctx.actionOutcomes?.get(node.action) ?? []) {
          if (!(outcome in node.outcomes)) report(`${at}.outcomes`, `outcome "${outcome}" of action "${node.action}" leads nowhere`, `add outcomes.${outcome}`);
        }
        break;
      case 'call':
        if (ctx.flows) checkName(`${at}.flow`, 'flow', node.flow, ctx.flows);
        break;
      case 'handoff':
      case 'end':
        if (node.message !== undefined) useText(`${at}.message`, node.message);
        break;
    }
  }

  function checkCondition(path: string, c: Condition): void {
    if ('and' in c) c.and.forEach((x, i) => checkCondition(`${path}.and.${i}`, x));
    else if ('or' in c) c.or.forEach((x, i) => checkCondition(`${path}.or.${i}`, x));
    else if ('not' in c) checkCondition(`${path}.not`, c.not);
    else if ('condition' in c) checkName(`${path}.condition`, 'condition', c.condition, ctx.conditions);
    else if ('regex' in c) {
      try {
        new RegExp(c.regex[1]);
      } catch {
        report(`${path}.regex.1`, `invalid regular expression "${c.regex[1]}"`);
      }
    }
  }

  // A text in one language only is a translation gap; used keys were reported where used.
  for (const [lang, other] of [['th', 'en'], ['en', 'th']] as const) {
    for (const key of Object.keys(flow.texts[lang])) {
      if (!(key in flow.texts[other]) && !usedTexts.has(key))
        report(`texts.${lang}.${key}`, `text "${key}" exists in ${lang} but not in ${other}`, `add texts.${other}.${key}`);
    }
  }

  const provided = new Set<string>(SYSTEM_VARS);
  for (const node of Object.values(flow.nodes)) {
    if (node.kind === 'ask') provided.add(node.slot);
    if (node.kind === 'choose' && node.slot !== undefined) provided.add(node.slot);
    if (node.kind === 'action') for (const slot of ctx.actionSlots?.get(node.action) ?? []) provided.add(slot);
  }
  if (flow.keepTextAs !== undefined) provided.add(flow.keepTextAs);
  for (const slot of Object.values(flow.facts ?? {})) if (slot !== undefined) provided.add(slot);
  if (flow.keywords !== undefined) {
    report('keywords', 'keyword lists are no longer read: the language layer reads what a message means', 'name the intents this flow answers in `intents`, e.g. intents: [complaint]');
  }
  for (const param of flow.params ?? []) provided.add(param);
  for (const lang of ['th', 'en'] as const) {
    for (const [key, text] of Object.entries(flow.texts[lang])) {
      for (const m of text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)) {
        const name = m[1] ?? '';
        if (provided.has(name)) continue;
        const near = closest(name, [...provided]);
        report(`texts.${lang}.${key}`, `{{${name}}} is not provided by any ask slot or system variable`, near && `did you mean "{{${near}}}"?`);
      }
    }
  }

  const reachable = reachableFrom(flow);
  for (const nodeId of nodeIds) {
    if (!reachable.has(nodeId)) report(`nodes.${nodeId}`, `node "${nodeId}" is unreachable from start "${flow.start}"`, 'link to it or remove it');
  }

  for (const cycle of loopsWithoutWaiting(flow)) {
    report(`nodes.${cycle[0]}`, `infinite loop with no ask or choose: ${[...cycle, cycle[0]].join(' -> ')}`, 'put an ask or choose on the loop, or break it');
  }

  if (ctx.categories) errors.push(...categoryErrors(flow, ctx.categories, ctx.file));

  return errors.length === 0 ? { ok: true, flow } : { ok: false, errors };
}

function edges(node: FlowNode, at: string): Array<[path: string, target: NodeId]> {
  switch (node.kind) {
    case 'say':
    case 'call':
      return [[`${at}.next`, node.next]];
    case 'ask':
      return node.onGiveUp === undefined
        ? [[`${at}.next`, node.next]]
        : [[`${at}.next`, node.next], [`${at}.onGiveUp`, node.onGiveUp]];
    case 'choose':
      return node.options.flatMap((o, i): Array<[string, NodeId]> =>
        o.returnTo === undefined
          ? [[`${at}.options.${i}.next`, o.next]]
          : [[`${at}.options.${i}.next`, o.next], [`${at}.options.${i}.returnTo`, o.returnTo]],
      );
    case 'branch':
      return [...node.cases.map((c, i): [string, NodeId] => [`${at}.cases.${i}.next`, c.next]), [`${at}.otherwise`, node.otherwise]];
    case 'action':
      return Object.entries(node.outcomes).map(([o, t]) => [`${at}.outcomes.${o}`, t]);
    case 'handoff':
    case 'end':
      return [];
  }
}

const successors = (flow: FlowDefinition, id: NodeId): NodeId[] => {
  const node = flow.nodes[id];
  return node ? edges(node, '').map(([, t]) => t).filter((t) => t in flow.nodes) : [];
};

function reachableFrom(flow: FlowDefinition): Set<NodeId> {
  const seen = new Set<NodeId>();
  const stack = flow.start in flow.nodes ? [flow.start] : [];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...successors(flow, id));
  }
  return seen;
}

/** Cycles through nodes that never wait for the user: the engine would spin forever. */
function loopsWithoutWaiting(flow: FlowDefinition): NodeId[][] {
  const waits = (id: NodeId) => {
    const k = flow.nodes[id]?.kind;
    return k === 'ask' || k === 'choose';
  };
  const state = new Map<NodeId, 'open' | 'done'>();
  const path: NodeId[] = [];
  const cycles: NodeId[][] = [];
  const visit = (id: NodeId) => {
    state.set(id, 'open');
    path.push(id);
    for (const next of successors(flow, id)) {
      if (waits(next)) continue;
      const s = state.get(next);
      if (s === 'open') cycles.push(path.slice(path.indexOf(next)));
      else if (s === undefined) visit(next);
    }
    path.pop();
    state.set(id, 'done');
  };
  for (const id of Object.keys(flow.nodes)) if (!waits(id) && !state.has(id)) visit(id);
  return cycles;
}

/** The nearest candidate by edit distance, if near enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The flow against the categories: a choice must file into a category in use; a branch on the category slot may
 * name a retired one (it never matches a new case) but not one that does not exist. Pure; validateFlow runs it when
 * given the list, and the flow store on its own at start (a version published before categories were checked is
 * kept live, with a warning, rather than stopping the server).
 */
export function categoryErrors(flow: Pick<FlowDefinition, 'nodes'>, categories: KnownCategories, file: string): FlowError[] {
  const errors: FlowError[] = [];
  const inUse = categories.filter((c) => !c.retired).map((c) => c.code);
  const check = (path: string, code: string, o: { retiredAllowed: boolean }) => {
    const found = categories.find((c) => c.code === code);
    if (found && (!found.retired || o.retiredAllowed)) return;
    if (found) {
      errors.push({ file, path, message: `category "${code}" is retired: no new case is filed under it`, suggestion: 'remove this choice, or bring the category back into use on the categories page' });
      return;
    }
    const near = closest(code, categories.map((c) => c.code));
    errors.push({ file, path, message: `unknown category "${code}"`, suggestion: near ? `did you mean "${near}"?` : `add it on the categories page first, or use one of: ${inUse.join(', ')}` });
  };
  const walk = (path: string, c: Condition): void => {
    if ('and' in c) c.and.forEach((x, i) => walk(`${path}.and.${i}`, x));
    else if ('or' in c) c.or.forEach((x, i) => walk(`${path}.or.${i}`, x));
    else if ('not' in c) walk(`${path}.not`, c.not);
    else if ('equals' in c) {
      if (c.equals[0] === FILING_SLOT && typeof c.equals[1] === 'string') check(`${path}.equals.1`, c.equals[1], { retiredAllowed: true });
    } else if ('in' in c && c.in[0] === FILING_SLOT) {
      c.in[1].forEach((v, i) => typeof v === 'string' && check(`${path}.in.1.${i}`, v, { retiredAllowed: true }));
    }
  };
  for (const choice of categoryChoices(flow)) check(choice.path, choice.code, { retiredAllowed: false });
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.kind === 'branch') node.cases.forEach((c, i) => walk(`nodes.${id}.cases.${i}.when`, c.when));
  }
  return errors;
}
