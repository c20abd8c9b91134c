/**
 * Photographs the rich menu page (template.ts) in headless Chromium: Debian's /usr/bin/chromium (or
 * CHROMIUM_PATH) through playwright-core, never a downloaded browser, offline.
 */
import { launchChromium } from '../runtime/chromium';
import { MENU_BUTTONS, type MenuButton } from './buttons';
import { richMenuDefinition } from './definition';
import { THAI_FONT, richMenuHtml } from './template';

/** The Thai font is not installed: Chromium would silently draw the labels in a fallback font, or as boxes. */
export class ThaiFontMissingError extends Error {
  constructor(readonly font: string) {
    super(`the font "${font}" is not installed: install Debian's fonts-thai-tlwg (check with fc-list :lang=th)`);
    this.name = 'ThaiFontMissingError';
  }
}

/** A label is wider than its button: it would be cut off on every phone. */
export class LabelOverflowError extends Error {
  constructor(readonly labels: string[]) {
    super(`these labels do not fit their button: ${labels.join(', ')}; shorten them or split the Thai into lines`);
    this.name = 'LabelOverflowError';
  }
}

export interface RenderOptions {
  /** Other buttons than the shipped ones (the menu is made from them). */
  buttons?: readonly MenuButton[];
  executablePath?: string;
}

export async function renderRichMenuImage(opts: RenderOptions = {}): Promise<Buffer> {
  const buttons = opts.buttons ?? MENU_BUTTONS;
  const menu = richMenuDefinition(buttons);
  const browser = await launchChromium({
    ...(opts.executablePath ? { executablePath: opts.executablePath } : {}),
    // Grayscale antialiasing and no hinting: the same picture from one machine to the next.
    args: ['--disable-lcd-text', '--font-render-hinting=none'],
  });
  try {
    const page = await browser.newPage({ viewport: menu.size, deviceScaleFactor: 1 });
    await page.setContent(richMenuHtml(menu, buttons), { waitUntil: 'load' });
    for (const [weight, font] of [['700', THAI_FONT.bold], ['400', THAI_FONT.regular]] as const) {
      // local() fonts are only looked up when asked; a miss resolves to no faces instead of failing.
      const loaded = await page.evaluate(async (spec) => (await document.fonts.load(spec, 'ก')).length, `${weight} 100px MenuThai`);
      if (loaded === 0) throw new ThaiFontMissingError(font);
    }
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const overflowing = await page.$$eval('.th, .en', (els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent ?? ''),
    );
    if (overflowing.length) throw new LabelOverflowError(overflowing);
    return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...menu.size }, animations: 'disabled' });
  } finally {
    await browser.close();
  }
}
