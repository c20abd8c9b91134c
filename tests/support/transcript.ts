/**
 * Conversation transcripts: the specification of a flow as a citizen would see it, run against the pure engine
 * and, unchanged, through the webhook and the LINE emulator.
 *
 *   # locale: th                      meta lines
 *   user: สวัสดีค่ะ                    a text message
 *   user [location]: 16.54 104.72 ตลาดอินโดจีน
 *   user [image]: photo-1             a photo (its content id); also [video] [audio] [file]
 *   user [sticker]   user [follow]: Somchai   user [date]: 2026-11-24 (the date picker)   user [postback]: data
 *   wait: 31m                         the clock moves on (s, m, h, d)
 *   bot: ต้องการให้…                   the next message; exact, with "…" standing for any text (a tracking number)
 *   bot [flex]: alt text…             a Flex message, by its alt text
 *   quick: ใช่ | ไม่ใช่ | ยกเลิก          the quick reply labels of the message above, exactly
 *
 * Every message the bot sends after a user line must be listed, in order: a transcript reads as the whole chat.
 */
import type { EngineInput, OutMessage } from '../../flows/engine';

export interface ExpectedMessage {
  line: number;
  kind: 'text' | 'flex' | 'image';
  text: string;
  quick?: string[];
}

export type TranscriptInput = EngineInput | { type: 'wait'; ms: number };

export interface Turn {
  line: number;
  source: string;
  input: TranscriptInput;
  expect: ExpectedMessage[];
}

export interface Transcript {
  file: string;
  meta: Record<string, string>;
  turns: Turn[];
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseTranscript(text: string, file: string): Transcript {
  const meta: Record<string, string> = {};
  const turns: Turn[] = [];
  const fail = (line: number, msg: string) => new Error(`${file}:${line}: ${msg}`);
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trimEnd();
    if (!s.trim()) return;
    const metaMatch = /^#\s*([\w-]+):\s*(.*)$/.exec(s);
    if (metaMatch) return void (meta[metaMatch[1]!] = metaMatch[2]!.trim());
    if (s.startsWith('#')) return;
    const m = /^(user|bot|quick|wait)(?:\s*\[([\w-]+)\])?\s*(?::\s?(.*))?$/.exec(s);
    if (!m) throw fail(line, `cannot read "${s}"`);
    const [, who, tag, rest = ''] = m;
    if (who === 'user' || who === 'wait') {
      turns.push({ line, source: s, input: who === 'wait' ? waitInput(rest, line) : userInput(tag, rest, line), expect: [] });
      return;
    }
    const turn = turns.at(-1);
    if (!turn) throw fail(line, 'a bot line before any user line');
    if (who === 'bot') {
      turn.expect.push({ line, kind: tag === 'flex' ? 'flex' : tag === 'image' ? 'image' : 'text', text: unescape(rest) });
      return;
    }
    const last = turn.expect.at(-1);
    if (!last) throw fail(line, 'a quick line needs a bot line above it');
    last.quick = rest.split('|').map((q) => q.trim()).filter(Boolean);
  });
  return { file, meta, turns };

  function waitInput(rest: string, line: number): TranscriptInput {
    const w = /^(\d+)\s*([smhd])$/.exec(rest.trim());
    if (!w) throw fail(line, `wait needs a duration like 31m, got "${rest}"`);
    return { type: 'wait', ms: Number(w[1]) * UNITS[w[2]!]! };
  }

  function userInput(tag: string | undefined, rest: string, line: number): EngineInput {
    switch (tag) {
      case undefined:
        return { type: 'text', text: unescape(rest) };
      case 'location': {
        const [lat, lng, ...title] = rest.trim().split(/\s+/);
        return { type: 'location', latitude: Number(lat), longitude: Number(lng), ...(title.length ? { title: title.join(' '), address: title.join(' ') } : {}) };
      }
      case 'image':
      case 'video':
      case 'audio':
      case 'file':
        return { type: 'media', mediaType: tag, contentId: rest.trim() || `${tag}-${line}` };
      case 'sticker':
        return { type: 'sticker' };
      case 'follow':
        return rest.trim() ? { type: 'follow', displayName: rest.trim() } : { type: 'follow' };
      case 'date':
        return { type: 'postback', data: 'input=date', params: { date: rest.trim() } };
      case 'postback':
        return { type: 'postback', data: rest.trim() };
    }
    throw fail(line, `unknown user tag [${tag}]`);
  }
}

const unescape = (s: string) => s.replace(/\\n/g, '\n');
/** "…" in an expected line matches any text, so a line can name what matters and skip what varies. */
const wildcard = (want: string) =>
  new RegExp(`^${want.split('…').map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What a message shows, for comparison: its text, or a Flex message's alt text. */
export function shown(m: OutMessage): { kind: string; text: string; quick: string[] } {
  const items = ((m.quickReply as { items?: Array<{ action: { label?: string } }> } | undefined)?.items ?? []).map((i) => i.action.label ?? '');
  const text = m.type === 'text' ? String(m.text) : m.type === 'flex' ? String(m.altText) : String(m.originalContentUrl ?? '');
  return { kind: m.type, text, quick: items };
}

/** Differences between what a turn expects and what the bot sent; empty when they agree. */
export function compareTurn(turn: Turn, actual: OutMessage[], file: string): string[] {
  const problems: string[] = [];
  const got = actual.map(shown);
  const n = Math.max(turn.expect.length, got.length);
  for (let i = 0; i < n; i++) {
    const e = turn.expect[i];
    const g = got[i];
    if (!e) {
      problems.push(`${file}:${turn.line} (${turn.source}): unexpected extra message ${JSON.stringify(g)}`);
      continue;
    }
    if (!g) {
      problems.push(`${file}:${e.line}: expected "${e.text}" but the bot sent nothing more`);
      continue;
    }
    const want = squash(e.text);
    const have = squash(g.text);
    const same = want.includes('…') ? wildcard(want).test(have) : have === want;
    if (g.kind !== e.kind || !same) problems.push(`${file}:${e.line}: expected ${e.kind} "${e.text}"\n    got ${g.kind} "${g.text}"`);
    if (e.quick && e.quick.join(' | ') !== g.quick.join(' | '))
      problems.push(`${file}:${e.line}: quick replies\n    expected ${e.quick.join(' | ')}\n    got      ${g.quick.join(' | ')}`);
  }
  return problems;
}
