/**
 * The rich menu itself: the body of LINE's `POST /v2/bot/richmenu`, and the rules LINE applies to it that its
 * OpenAPI description does not encode (the emulator checks the schema; checkRichMenu checks the rest).
 */
import { MENU_BUTTONS, type MenuButton } from './buttons';

export interface RichMenuBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RichMenuPostbackAction {
  type: 'postback';
  /** Not drawn: LINE reads it aloud when the phone's accessibility features are on. */
  label: string;
  data: string;
  displayText: string;
}

export interface RichMenuArea {
  bounds: RichMenuBounds;
  action: RichMenuPostbackAction;
}

export interface RichMenuRequest {
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: RichMenuArea[];
}

/** The name the installer looks for when it replaces an earlier version: keep it stable across releases. */
export const RICH_MENU_NAME = 'echannel-main';

/** LINE's large full-width size: two rows of three buttons, each about 833 x 843 px. */
export const RICH_MENU_SIZE = { width: 2500, height: 1686 } as const;
const COLUMNS = 3;
const ROWS = 2;

/** The menu, areas cut from the image edge to edge so no pixel is dead to a thumb. */
export function richMenuDefinition(buttons: readonly MenuButton[] = MENU_BUTTONS): RichMenuRequest {
  if (buttons.length !== COLUMNS * ROWS) {
    throw new RichMenuRuleError([`the layout has ${COLUMNS * ROWS} places, got ${buttons.length} buttons`]);
  }
  return {
    size: { ...RICH_MENU_SIZE },
    selected: true,
    name: RICH_MENU_NAME,
    chatBarText: 'เมนู / Menu',
    areas: buttons.map((b, i) => ({
      bounds: cell(i % COLUMNS, Math.floor(i / COLUMNS)),
      action: { type: 'postback', label: b.displayText, data: b.data, displayText: b.displayText },
    })),
  };
}

/** Integer cuts that add up to the full size: 833 + 834 + 833 across, 843 + 843 down. */
function cell(column: number, row: number): RichMenuBounds {
  const cut = (n: number, parts: number, total: number) => Math.round((n * total) / parts);
  const x = cut(column, COLUMNS, RICH_MENU_SIZE.width);
  const y = cut(row, ROWS, RICH_MENU_SIZE.height);
  return {
    x,
    y,
    width: cut(column + 1, COLUMNS, RICH_MENU_SIZE.width) - x,
    height: cut(row + 1, ROWS, RICH_MENU_SIZE.height) - y,
  };
}

/** The menu breaks one of LINE's rules; each problem names the property ("areas[2].action.data: ..."). */
export class RichMenuRuleError extends Error {
  constructor(readonly problems: string[]) {
    super(`The rich menu breaks LINE's rules:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RichMenuRuleError';
  }
}

/**
 * LINE's documented limits (Messaging API reference, "Rich menu object" and "Action objects"): image width
 * 800-2500 px, height at least 250 px, width/height at least 1.45; 1-20 areas, each inside the image;
 * chatBarText at most 14 characters; a postback's data and displayText at most 300, its label at most 20.
 * Overlapping areas are allowed by LINE but would make a tap ambiguous, so they are refused here.
 */
export function checkRichMenu(menu: RichMenuRequest): string[] {
  const problems: string[] = [];
  const { width, height } = menu.size;
  if (!Number.isInteger(width) || width < 800 || width > 2500) problems.push(`size.width: must be 800 to 2500 px, got ${width}`);
  if (!Number.isInteger(height) || height < 250) problems.push(`size.height: must be at least 250 px, got ${height}`);
  if (width / height < 1.45) problems.push(`size: width / height must be at least 1.45, got ${(width / height).toFixed(3)}`);
  if (menu.name.length < 1 || menu.name.length > 300) problems.push(`name: must be 1 to 300 characters, got ${menu.name.length}`);
  if (menu.chatBarText.length < 1 || menu.chatBarText.length > 14) {
    problems.push(`chatBarText: must be 1 to 14 characters, got ${menu.chatBarText.length}`);
  }
  if (menu.areas.length < 1 || menu.areas.length > 20) problems.push(`areas: must be 1 to 20 areas, got ${menu.areas.length}`);
  menu.areas.forEach((area, i) => {
    const at = `areas[${i}]`;
    const b = area.bounds;
    if (![b.x, b.y, b.width, b.height].every(Number.isInteger) || b.x < 0 || b.y < 0 || b.width < 1 || b.height < 1) {
      problems.push(`${at}.bounds: x and y must be whole numbers from 0, width and height from 1`);
    } else if (b.x + b.width > width || b.y + b.height > height) {
      problems.push(`${at}.bounds: reaches (${b.x + b.width}, ${b.y + b.height}), outside the ${width}x${height} image`);
    }
    const a = area.action;
    if (a.data.length < 1 || a.data.length > 300) problems.push(`${at}.action.data: must be 1 to 300 characters, got ${a.data.length}`);
    if (a.displayText.length < 1 || a.displayText.length > 300) {
      problems.push(`${at}.action.displayText: must be 1 to 300 characters, got ${a.displayText.length}`);
    }
    if (a.label.length > 20) problems.push(`${at}.action.label: must be at most 20 characters, got ${a.label.length}`);
    menu.areas.slice(0, i).forEach((other, j) => {
      if (overlap(b, other.bounds)) problems.push(`${at}.bounds: overlaps areas[${j}]`);
    });
  });
  return problems;
}

export function assertRichMenu(menu: RichMenuRequest): RichMenuRequest {
  const problems = checkRichMenu(menu);
  if (problems.length) throw new RichMenuRuleError(problems);
  return menu;
}

function overlap(a: RichMenuBounds, b: RichMenuBounds): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
