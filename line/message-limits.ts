/**
 * LINE's limits, enforced before a message leaves: a flow or an officer's typing can never make LINE answer 400.
 * Whatever can be repaired without changing the meaning is repaired (long text split, long labels shortened,
 * extra quick-reply items dropped); what cannot is refused here with MessageLimitError, where it is visible.
 */
export const LIMITS = {
  messagesPerRequest: 5,
  textLength: 5000,
  quickReplyItems: 13,
  quickReplyLabel: 20,
  actionLabel: 20,
  postbackData: 300,
  displayText: 300,
  altText: 1500,
  carouselBubbles: 12,
} as const;

export class MessageLimitError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'MessageLimitError';
  }
}

export type LineMessage = { type: string; [k: string]: unknown };

const chars = (s: string) => Array.from(s);
const cut = (s: string, max: number) => (chars(s).length <= max ? s : chars(s).slice(0, max - 1).join('') + '…');

/** Splits a text at line or word boundaries into pieces LINE accepts, counting characters, not UTF-16 units. */
export function splitText(text: string, max: number = LIMITS.textLength): string[] {
  const all = chars(text);
  if (all.length <= max) return [text];
  const parts: string[] = [];
  let start = 0;
  while (start < all.length) {
    let end = Math.min(start + max, all.length);
    if (end < all.length) {
      const window = all.slice(start, end).join('');
      const at = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
      if (at > max / 2) end = start + chars(window.slice(0, at)).length + 1;
    }
    parts.push(all.slice(start, end).join(''));
    start = end;
  }
  return parts;
}

function checkAction(action: unknown, path: string): unknown {
  if (!action || typeof action !== 'object') throw new MessageLimitError(path, 'an action must be an object');
  const a = { ...(action as Record<string, unknown>) };
  if (typeof a.label === 'string') a.label = cut(a.label, LIMITS.actionLabel);
  if (a.type === 'postback') {
    if (typeof a.data !== 'string' || a.data.length === 0) throw new MessageLimitError(`${path}.data`, 'postback data is required');
    if (a.data.length > LIMITS.postbackData) {
      throw new MessageLimitError(`${path}.data`, `postback data is ${a.data.length} characters, LINE allows ${LIMITS.postbackData}`);
    }
    if (typeof a.displayText === 'string') a.displayText = cut(a.displayText, LIMITS.displayText);
  }
  if (a.type === 'uri' && (typeof a.uri !== 'string' || !/^(https?|line|tel):/.test(a.uri))) {
    throw new MessageLimitError(`${path}.uri`, 'a uri action needs an http(s), line or tel URI');
  }
  return a;
}

/** Walks a Flex or template tree and checks every action in it. */
function checkNested(value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => checkNested(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'action' || k === 'defaultAction' ? checkAction(v, `${path}.${k}`) : checkNested(v, `${path}.${k}`);
  }
  return out;
}

function checkOne(message: LineMessage, path: string): LineMessage[] {
  const m: LineMessage = { ...message };
  if (m.quickReply) {
    const items = (m.quickReply as { items?: unknown[] }).items ?? [];
    m.quickReply = {
      items: items.slice(0, LIMITS.quickReplyItems).map((item, i) => {
        const it = item as { type: string; action: unknown; imageUrl?: string };
        return { ...it, action: checkAction(it.action, `${path}.quickReply.items[${i}].action`) };
      }),
    };
    if ((m.quickReply as { items: unknown[] }).items.length === 0) delete m.quickReply;
  }
  if (typeof m.altText === 'string') m.altText = cut(m.altText, LIMITS.altText);
  if (m.type === 'text') {
    if (typeof m.text !== 'string' || m.text.length === 0) throw new MessageLimitError(`${path}.text`, 'a text message needs text');
    const pieces = splitText(m.text);
    // The quick reply belongs on the last piece: LINE shows the chips under the newest message only.
    return pieces.map((text, i) => {
      const piece: LineMessage = { ...m, text };
      if (i < pieces.length - 1) delete piece.quickReply;
      return piece;
    });
  }
  if (m.type === 'flex' || m.type === 'template') {
    const key = m.type === 'flex' ? 'contents' : 'template';
    m[key] = checkNested(m[key], `${path}.${key}`);
    const contents = m.contents as { type?: string; contents?: unknown[] } | undefined;
    if (m.type === 'flex' && contents?.type === 'carousel' && (contents.contents?.length ?? 0) > LIMITS.carouselBubbles) {
      throw new MessageLimitError(`${path}.contents`, `a carousel holds at most ${LIMITS.carouselBubbles} bubbles`);
    }
  }
  return [m];
}

/** Checks and repairs messages, then groups them into requests of at most five, in order. */
export function prepareMessages(messages: readonly LineMessage[]): LineMessage[][] {
  const flat = messages.flatMap((m, i) => checkOne(m, `messages[${i}]`));
  const batches: LineMessage[][] = [];
  for (let i = 0; i < flat.length; i += LIMITS.messagesPerRequest) batches.push(flat.slice(i, i + LIMITS.messagesPerRequest));
  return batches;
}
