import type { Browser } from 'playwright-core';

/**
 * Headless Chromium from the system (Debian's /usr/bin/chromium, or CHROMIUM_PATH): never a downloaded browser.
 * The flags keep it quiet and offline (no sync, no component updates, no background requests); callers add their
 * own (the rich menu's renderer asks for repeatable text rendering). Used by the rich-menu renderer, the console
 * screenshots and the browser tests.
 */
export async function launchChromium(o: { executablePath?: string; args?: readonly string[] } = {}): Promise<Browser> {
  // Loaded at the first launch, not with the module: playwright-core is two bundles of 3.4 MB, about 30 MB of the
  // server's memory from its start (bench/memory.ts) for what only the intake form's PDF needs, seldom.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: o.executablePath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(o.args ?? []),
    ],
  });
}
