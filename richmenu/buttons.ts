/**
 * The six buttons of the rich menu, in reading order (two rows of three). One list feeds both the tappable areas
 * sent to LINE (definition.ts) and the picture drawn under them (template.ts), so a label can never sit over
 * another button's action.
 *
 * Postback, not message actions: the bot gets `flow=...` / `cmd=...` whatever the citizen's language, and
 * displayText still shows the citizen what they asked for in the chat.
 */
import type { IconName } from './icons';

export interface MenuButton {
  /**
   * What the picture says in Thai, line by line. The breaks are chosen here, not by Chromium: its dictionary
   * splits เจ้าหน้าที่ into เจ้า|หน้าที่, which an elderly reader would stumble on.
   */
  th: readonly string[];
  /** The small English line under it. */
  en: string;
  icon: IconName;
  /** Postback data the bot reads: `flow=<id>` starts a flow, `cmd=<command>` runs a global command. */
  data: string;
  /** Shown in the chat as the citizen's own message when they tap. */
  displayText: string;
  /** The one button drawn filled, so the eye finds it first. */
  primary?: boolean;
}

export const MENU_BUTTONS: readonly MenuButton[] = [
  { th: ['ร้องเรียน /', 'แจ้งเรื่อง'], en: 'Complaint', icon: 'megaphone', data: 'flow=complaint', displayText: 'ร้องเรียน/แจ้งเรื่อง', primary: true },
  { th: ['ติดตามเรื่อง'], en: 'Track a case', icon: 'search', data: 'flow=track', displayText: 'ติดตามเรื่อง' },
  { th: ['เรื่องของฉัน'], en: 'My cases', icon: 'folder', data: 'flow=mycases', displayText: 'เรื่องของฉัน' },
  { th: ['ถาม-ตอบ'], en: 'Questions', icon: 'question', data: 'flow=faq', displayText: 'ถาม-ตอบ' },
  { th: ['ติดต่อ', 'เจ้าหน้าที่'], en: 'Talk to an officer', icon: 'headset', data: 'cmd=officer', displayText: 'ติดต่อเจ้าหน้าที่' },
  { th: ['ข้อมูลของฉัน'], en: 'My data', icon: 'idcard', data: 'flow=mydata', displayText: 'ข้อมูลของฉัน' },
];

