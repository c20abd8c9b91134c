import { MAX_QUICK_REPLY } from './validate';
import type { FlowDefinition, TextKey } from './types';
import type { FlowError } from './validate';

/**
 * What is allowed but likely a mistake, for the editor to show beside the errors: a flow with warnings still
 * publishes. Each is something a citizen would see go wrong: a quick-reply label LINE cuts short, a variable filled
 * in one language and missing in the other, a text no node shows, a text left untranslated.
 */

/** LINE cuts a quick-reply label (and a postback button's) after 20 characters. */
export const QUICK_REPLY_LABEL_MAX = 20;
/** Texts every flow may carry without a node naming them: the engine shows `title` on "not understood" buttons. */
const ENGINE_TEXTS: ReadonlySet<string> = new Set(['title']);

const VARIABLE = /\{\{\s*([^}\s]+)\s*\}\}/g;

export function variablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1] ?? ''))];
}

/** Every text key a node names, with the path that names it, in the order of the nodes. */
export function textUses(flow: FlowDefinition): Array<{ key: TextKey; path: string }> {
  const uses: Array<{ key: TextKey; path: string }> = [];
  for (const [id, node] of Object.entries(flow.nodes)) {
    const at = `nodes.${id}`;
    switch (node.kind) {
      case 'say':
        node.messages.forEach((m, i) => {
          if ('text' in m) uses.push({ key: m.text, path: `${at}.messages.${i}.text` });
          if ('altText' in m) uses.push({ key: m.altText, path: `${at}.messages.${i}.altText` });
        });
        break;
      case 'ask':
        uses.push({ key: node.prompt, path: `${at}.prompt` }, { key: node.reprompt, path: `${at}.reprompt` });
        break;
      case 'choose':
        uses.push({ key: node.prompt, path: `${at}.prompt` });
        node.options.forEach((o, i) => uses.push({ key: o.label, path: `${at}.options.${i}.label` }));
        break;
      case 'handoff':
      case 'end':
        if (node.message !== undefined) uses.push({ key: node.message, path: `${at}.message` });
        break;
      default:
        break;
    }
  }
  return uses;
}

/** Warnings of a flow that passed validation (or at least its schema); paths as the validator's. */
export function flowWarnings(flow: FlowDefinition, file = 'draft'): FlowError[] {
  const out: FlowError[] = [];
  const warn = (path: string, message: string, suggestion?: string) =>
    out.push(suggestion === undefined ? { file, path, message } : { file, path, message, suggestion });
  const uses = textUses(flow);
  const used = new Set(uses.map((u) => u.key));

  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.kind !== 'choose' || (node.display ?? 'quickReply') !== 'quickReply') continue;
    node.options.slice(0, MAX_QUICK_REPLY).forEach((o, i) => {
      for (const lang of ['th', 'en'] as const) {
        const label = flow.texts[lang][o.label];
        if (label !== undefined && [...label].length > QUICK_REPLY_LABEL_MAX)
          warn(`nodes.${id}.options.${i}.label`, `the ${lang} label "${label}" is longer than LINE's ${QUICK_REPLY_LABEL_MAX} characters and will be cut`, `shorten texts.${lang}.${o.label}`);
      }
    });
  }

  for (const key of Object.keys(flow.texts.th)) {
    const [th, en] = [flow.texts.th[key], flow.texts.en[key]];
    if (th === undefined || en === undefined) continue;
    const [a, b] = [variablesOf(th), variablesOf(en)];
    for (const v of a.filter((x) => !b.includes(x))) warn(`texts.en.${key}`, `the Thai text fills in {{${v}}} but the English one does not`, `add {{${v}}} to texts.en.${key}`);
    for (const v of b.filter((x) => !a.includes(x))) warn(`texts.th.${key}`, `the English text fills in {{${v}}} but the Thai one does not`, `add {{${v}}} to texts.th.${key}`);
    if (th.trim() !== '' && th === en && /[a-z]/i.test(th) === false && /[\u0E00-\u0E7F]/.test(th))
      warn(`texts.en.${key}`, `the English text of "${key}" is the Thai text`, 'translate it');
  }

  for (const lang of ['th', 'en'] as const) {
    for (const [key, text] of Object.entries(flow.texts[lang])) if (text.trim() === '') warn(`texts.${lang}.${key}`, `the ${lang} text of "${key}" is empty`, 'write it');
  }

  for (const key of Object.keys(flow.texts.th)) {
    if (!used.has(key) && !ENGINE_TEXTS.has(key)) warn(`texts.th.${key}`, `text "${key}" is shown by no node`, 'use it or remove it');
  }
  return out;
}
