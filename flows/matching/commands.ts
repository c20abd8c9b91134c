/**
 * Global commands that work at any step of any flow ("ยกเลิก", "menu", "ขอคุยกับคน"). Only a message that
 * IS the command counts: "ยกเลิกเรื่องที่ร้องเรียนไว้" is a request about a complaint, not a bare cancel.
 */
import { normalize, stripParticles } from '../inputs/normalize';

export type GlobalCommand = 'cancel' | 'back' | 'menu' | 'help' | 'officer' | 'language';

export const GLOBAL_COMMANDS: readonly GlobalCommand[] = ['cancel', 'back', 'menu', 'help', 'officer', 'language'];

const PHRASES: Record<GlobalCommand, readonly string[]> = {
  cancel: ['ยกเลิก', 'ไม่เอาแล้ว', 'cancel', 'stop'],
  back: ['ย้อนกลับ', 'กลับ', 'ย้อน', 'back'],
  menu: ['เมนู', 'เมนูหลัก', 'กลับไปที่เมนู', 'menu', 'main menu', 'back to the menu'],
  help: ['ช่วยเหลือ', 'help', 'วิธีใช้'],
  // "ช่วยด้วย" is a plea for help from a person, not a request for instructions.
  officer: ['ติดต่อเจ้าหน้าที่', 'คุยกับเจ้าหน้าที่', 'ขอคุยกับเจ้าหน้าที่', 'ขอติดต่อเจ้าหน้าที่', 'ขอคุยกับคน', 'เจ้าหน้าที่', 'ช่วยด้วย', 'officer', 'agent', 'human', 'talk to an officer'],
  language: ['ภาษา', 'english', 'ภาษาอังกฤษ', 'ภาษาไทย', 'thai', 'language'],
};

/** Lower-cased, all whitespace removed: "Main  Menu" and "เมนู หลัก" compare equal to their table forms. */
function compactForm(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

const LOOKUP = new Map<string, GlobalCommand>();
for (const command of GLOBAL_COMMANDS) {
  for (const phrase of PHRASES[command]) LOOKUP.set(compactForm(phrase), command);
}

const EDGE_PUNCTUATION = /^[\s!?.,~…"'“”/\\-]+|[\s!?.,~…"'“”/\\-]+$/gu;

/** The command the whole message stands for, or null (including when the command is part of a longer text). */
export function recognizeCommand(text: string): GlobalCommand | null {
  let cleaned = normalize(text).replace(EDGE_PUNCTUATION, '');
  // Punctuation may sit before or after the particle ("ยกเลิก!ครับ", "ยกเลิกครับ!!").
  cleaned = stripParticles(cleaned).replace(EDGE_PUNCTUATION, '');
  cleaned = stripParticles(cleaned);
  if (cleaned === '') return null;
  return LOOKUP.get(compactForm(cleaned)) ?? null;
}

function isGlobalCommand(value: string): value is GlobalCommand {
  return (GLOBAL_COMMANDS as readonly string[]).includes(value);
}

/** Postback data of the form `cmd=<command>` (other query parameters are allowed alongside), else null. */
export function recognizeCommandPostback(data: string): GlobalCommand | null {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(data.trim());
  } catch {
    return null;
  }
  const value = params.get('cmd')?.trim().toLowerCase();
  return value !== undefined && isGlobalCommand(value) ? value : null;
}
