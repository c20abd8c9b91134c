/**
 * The rich menu picture as an HTML page, to be photographed by headless Chromium (renderer.ts). Each button is
 * placed at exactly its tappable area from the definition, so picture and actions cannot drift apart.
 *
 * Sizes are for a phone: the 2500 px image is shown about 390 CSS px wide, a scale of ~0.16, so the 124 px
 * Thai labels read like 19 px text (larger than chat text), and the English line like 11 px.
 * Colours: navy on white with a gold accent, the look of Thai government services; navy on white is ~14:1.
 */
import { MENU_BUTTONS, type MenuButton } from './buttons';
import { type RichMenuRequest, richMenuDefinition } from './definition';
import { iconSvg } from './icons';

/** The fonts the picture needs (Debian's fonts-thai-tlwg); renderer.ts refuses to render without them. */
export const THAI_FONT = { family: 'Loma', bold: 'Loma Bold', regular: 'Loma' } as const;

const NAVY = '#0f2a5f';
const NAVY_SOFT = '#3a4d75';
const GOLD = '#f2b705';
const CARD = '#ffffff';
const GUTTER = '#d5dced';

export function richMenuHtml(menu: RichMenuRequest = richMenuDefinition(), buttons: readonly MenuButton[] = MENU_BUTTONS): string {
  const cells = menu.areas.map((area, i) => {
    const b = buttons[i]!;
    const { x, y, width, height } = area.bounds;
    return `<div class="cell${b.primary ? ' primary' : ''}" style="left:${x}px;top:${y}px;width:${width}px;height:${height}px">
      <div class="card">
        <div class="icon">${iconSvg(b.icon)}</div>
        <div class="label">
          ${b.th.map((line) => `<div class="th" lang="th">${escapeHtml(line)}</div>`).join('')}
          <div class="en" lang="en">${escapeHtml(b.en)}</div>
        </div>
      </div>
    </div>`;
  });
  return `<!doctype html>
<html lang="th"><head><meta charset="utf-8"><style>
  @font-face { font-family: MenuThai; font-weight: 700; src: local("${THAI_FONT.bold}"); }
  @font-face { font-family: MenuThai; font-weight: 400; src: local("${THAI_FONT.regular}"); }
  * { box-sizing: border-box; margin: 0; padding: 0; }
  html, body { width: ${menu.size.width}px; height: ${menu.size.height}px; overflow: hidden; background: ${GUTTER}; }
  body { position: relative; font-family: MenuThai, sans-serif; -webkit-font-smoothing: antialiased; }
  .cell { position: absolute; padding: 14px; }
  .card {
    width: 100%; height: 100%; border-radius: 44px; background: ${CARD}; color: ${NAVY};
    border: 6px solid #b9c4dc; padding: 48px 16px 28px; text-align: center;
    display: flex; flex-direction: column; align-items: center;
  }
  /* The icons sit at one height across a row whether the label takes one line or two. */
  .icon {
    width: 256px; height: 256px; border-radius: 50%; background: ${NAVY}; color: #ffffff;
    display: flex; align-items: center; justify-content: center; flex: none;
  }
  .icon svg { width: 168px; height: 168px; }
  .label { flex: 1; width: 100%; display: flex; flex-direction: column; justify-content: center; }
  .th { font-weight: 700; font-size: 124px; line-height: 1.2; white-space: nowrap; overflow: hidden; }
  .en { font-weight: 700; font-size: 68px; line-height: 1.1; margin-top: 18px; color: ${NAVY_SOFT}; letter-spacing: 1px; white-space: nowrap; overflow: hidden; }
  .primary .card { background: ${NAVY}; border-color: ${NAVY}; color: #ffffff; }
  .primary .icon { background: ${GOLD}; color: ${NAVY}; }
  .primary .en { color: #dfe6f5; }
</style></head>
<body>
${cells.join('\n')}
</body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
