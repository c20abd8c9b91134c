import type { Browser } from 'playwright-core';
import { launchChromium } from '../../runtime/chromium';

/** Headless Chromium from the system, quiet and offline (server/chromium.ts). */
export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}
