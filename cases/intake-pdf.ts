/**
 * The intake form (cases/intake-form.ts) printed to PDF by the headless Chromium the project already uses
 * (runtime/chromium.ts: Debian's, offline), so Thai is shaped by a real text engine (HarfBuzz) in the form's Thai
 * font, and the PDF carries the text, not a picture of it. One print at a time: each is a short-lived browser, and
 * two at once would only compete for the same two cores.
 */
import { launchChromium } from '../runtime/chromium';
import { Mutex } from '../storage/mutex';
import { FORM_FONT } from './intake-form';

/** The form's Thai font is not installed: Chromium would print the Thai in a fallback font, or as boxes. */
export class FormFontMissingError extends Error {
  constructor(readonly font: string) {
    super(`the font "${font}" is not installed: install Debian's fonts-thai-tlwg (check with fc-list :lang=th)`);
    this.name = 'FormFontMissingError';
  }
}

/** Chromium could not be started or could not print: the PDF cannot be made on this machine now. */
export class PdfUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the PDF could not be printed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PdfUnavailableError';
  }
}

export type PdfRenderer = (html: string) => Promise<Buffer>;

export function chromiumPdfRenderer(o: { executablePath?: string } = {}): PdfRenderer {
  const one = new Mutex();
  return (html) =>
    one.run(async () => {
      let browser;
      try {
        browser = await launchChromium({ ...(o.executablePath ? { executablePath: o.executablePath } : {}), args: ['--font-render-hinting=none'] });
      } catch (err) {
        throw new PdfUnavailableError(err);
      }
      try {
        const page = await browser.newPage();
        // Nothing outside the page: the form carries its QR code inline and uses only installed fonts.
        await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
        await page.setContent(html, { waitUntil: 'load' });
        for (const [weight, font] of [['700', FORM_FONT.bold], ['400', FORM_FONT.regular]] as const) {
          const loaded = await page.evaluate(async (spec) => (await document.fonts.load(spec, 'ก')).length, `${weight} 16px FormThai`);
          if (loaded === 0) throw new FormFontMissingError(font);
        }
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        return await page.pdf({ preferCSSPageSize: true, printBackground: true });
      } catch (err) {
        if (err instanceof FormFontMissingError) throw err;
        throw new PdfUnavailableError(err);
      } finally {
        await browser.close();
      }
    });
}
