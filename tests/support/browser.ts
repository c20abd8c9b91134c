import { type Browser, chromium } from 'playwright-core';

/**
 * Headless Chromium from the system (apt's /usr/bin/chromium, or CHROMIUM_PATH): never a downloaded browser.
 * The flags keep it quiet and offline: no sync, no component updates, no background requests.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
