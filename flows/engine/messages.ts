/** LINE message objects the engine sends: texts with quick replies, and a Flex bubble of buttons. */
import type { OutMessage } from './types';

export type QuickItem =
  | { kind: 'message'; label: string; text: string }
  | { kind: 'postback'; label: string; data: string; displayText: string }
  | { kind: 'datetimepicker'; label: string; data: string; mode: 'date' | 'time'; max?: string }
  | { kind: 'location'; label: string }
  | { kind: 'camera'; label: string }
  | { kind: 'cameraRoll'; label: string };

function action(item: QuickItem): Record<string, unknown> {
  switch (item.kind) {
    case 'message':
      return { type: 'message', label: item.label, text: item.text };
    case 'postback':
      return { type: 'postback', label: item.label, data: item.data, displayText: item.displayText };
    case 'datetimepicker':
      return { type: 'datetimepicker', label: item.label, data: item.data, mode: item.mode, ...(item.max ? { max: item.max } : {}) };
    default:
      return { type: item.kind, label: item.label };
  }
}

/** A text message; quick reply items beyond LINE's 13 are left to bot/message-limits to trim. */
export function textMessage(text: string, quick: QuickItem[] = []): OutMessage {
  const m: OutMessage = { type: 'text', text };
  if (quick.length) m.quickReply = { items: quick.map((q) => ({ type: 'action', action: action(q) })) };
  return m;
}

/** Adds quick reply items to the last message, where LINE shows them. */
export function withQuickReplies(messages: OutMessage[], quick: QuickItem[]): void {
  const last = messages.at(-1);
  if (!last || !quick.length) return;
  const existing = ((last.quickReply as { items?: unknown[] } | undefined)?.items ?? []) as unknown[];
  last.quickReply = { items: [...existing, ...quick.map((q) => ({ type: 'action', action: action(q) }))] };
}

/** A question with more choices than quick replies hold, or chosen to stay on screen: a Flex bubble of buttons. */
export function buttonsMessage(prompt: string, buttons: Array<{ label: string; text: string }>): OutMessage {
  return {
    type: 'flex',
    altText: prompt.slice(0, 400),
    contents: {
      type: 'bubble',
      body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: prompt, wrap: true }] },
      footer: {
        type: 'box',
        layout: 'vertical',
        spacing: 'sm',
        contents: buttons.map((b) => ({
          type: 'button',
          style: 'secondary',
          height: 'sm',
          action: { type: 'message', label: b.label.slice(0, 40), text: b.text },
        })),
      },
    },
  };
}

/** A notice with a title, a short text and one button that asks for more (the privacy notice). */
export function noticeMessage(title: string, text: string, buttonLabel: string, data: string): OutMessage {
  return {
    type: 'flex',
    altText: `${title}: ${text}`.slice(0, 400),
    contents: {
      type: 'bubble',
      size: 'mega',
      body: {
        type: 'box',
        layout: 'vertical',
        spacing: 'sm',
        contents: [
          { type: 'text', text: title, weight: 'bold', wrap: true },
          { type: 'text', text, size: 'sm', wrap: true },
        ],
      },
      footer: {
        type: 'box',
        layout: 'vertical',
        contents: [{ type: 'button', style: 'link', height: 'sm', action: { type: 'postback', label: buttonLabel.slice(0, 20), data, displayText: buttonLabel } }],
      },
    },
  };
}
