/**
 * What a node does, in plain words for its card: "ถามวันที่ เก็บไว้ใน when", "ให้เลือก 8 ตัวเลือก", "ทำงาน:
 * บันทึกเรื่องร้องเรียน". Pure, over the page's translator, so the cards read in the console's language.
 */
import { INPUT_TYPES, type Condition, type FlowDefinition, type FlowNode } from '../../../../../flows/definition/types';
import { ACTIONS } from '../../../../../flows/registry/actions';
import type { Key, T } from '../../i18n';
import type { ExitLabel } from './graph';

export function inputName(t: T, type: string): string {
  return (INPUT_TYPES as readonly string[]).includes(type) ? t(`flows.input.${type}` as Key) : type;
}

export function actionName(t: T, action: string): string {
  return action in ACTIONS ? t(`flows.action.${action}` as Key) : action;
}

/** The text a node shows first, in the page's language (falling back to the other), for its card. */
export function firstText(def: FlowDefinition, node: FlowNode, lang: 'th' | 'en'): string {
  const key =
    node.kind === 'ask' || node.kind === 'choose'
      ? node.prompt
      : node.kind === 'say'
        ? node.messages.map((m) => ('text' in m ? m.text : 'altText' in m ? m.altText : undefined)).find(Boolean)
        : node.kind === 'end' || node.kind === 'handoff'
          ? node.message
          : undefined;
  if (key === undefined) return '';
  return def.texts[lang][key] ?? def.texts[lang === 'th' ? 'en' : 'th'][key] ?? '';
}

export function summaryOf(t: T, node: FlowNode): string {
  switch (node.kind) {
    case 'say':
      return t('flows.does.say', { n: node.messages.length });
    case 'ask':
      return t('flows.does.ask', { input: inputName(t, node.input.type), slot: node.slot });
    case 'choose':
      return t('flows.does.choose', { n: node.options.length });
    case 'branch':
      return t('flows.does.branch', { n: node.cases.length });
    case 'action':
      return t('flows.does.action', { action: actionName(t, node.action) });
    case 'call':
      return t('flows.does.call', { flow: node.flow });
    case 'handoff':
      return t('flows.does.handoff');
    case 'end':
      return t('flows.does.end');
  }
}

/** A condition as a sentence: "category เป็น tip_off", "มี anonymous", "ไม่ใช่ (...)". */
export function conditionWords(t: T, c: Condition): string {
  if ('equals' in c) return t('flows.cond.equals', { slot: c.equals[0], value: String(c.equals[1]) });
  if ('in' in c) return t('flows.cond.in', { slot: c.in[0], values: c.in[1].join(', ') });
  if ('exists' in c) return t('flows.cond.exists', { slot: c.exists });
  if ('regex' in c) return t('flows.cond.regex', { slot: c.regex[0], pattern: c.regex[1] });
  if ('and' in c) return c.and.map((x) => conditionWords(t, x)).join(t('flows.cond.and'));
  if ('or' in c) return c.or.map((x) => conditionWords(t, x)).join(t('flows.cond.or'));
  if ('not' in c) return t('flows.cond.not', { what: conditionWords(t, c.not) });
  return t('flows.cond.named', { name: c.condition });
}

/** An edge's label: the option's words, "ถ้า ...", "นอกนั้น", an outcome's name. */
export function exitWords(t: T, def: FlowDefinition, node: FlowNode, label: ExitLabel, lang: 'th' | 'en'): string {
  switch (label.kind) {
    case 'next':
      return '';
    case 'giveUp':
      return t('flows.exit.giveUp');
    case 'option':
      return def.texts[lang][label.text] ?? label.text;
    case 'returnTo':
      return t('flows.exit.returnTo', { option: def.texts[lang][label.text] ?? label.text });
    case 'case':
      return node.kind === 'branch' && node.cases[label.index] ? conditionWords(t, node.cases[label.index]!.when) : '';
    case 'otherwise':
      return t('flows.exit.otherwise');
    case 'outcome':
      return label.name;
  }
}
