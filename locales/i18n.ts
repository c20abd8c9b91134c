import i18next from 'i18next';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Thai first: every user-facing string lives in locales/<lang>/<namespace>.json. */
export const LOCALES = ['th', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'th';

// The JSON files sit beside this module: locales/<lng>/<namespace>.json.
const localesDir = import.meta.dirname;

function loadResources() {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const lng of LOCALES) {
    resources[lng] = {};
    for (const file of readdirSync(join(localesDir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng][file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(localesDir, lng, file), 'utf8'));
    }
  }
  return resources;
}

const instance = i18next.createInstance();
await instance.init({
  resources: loadResources() as never,
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  defaultNS: 'engine',
  interpolation: { escapeValue: false },
  initAsync: false,
  showSupportNotice: false,
});

export const i18n = instance;

/** LINE profiles give a BCP-47 language such as "th", "en" or "en-US"; anything else falls back to Thai. */
export function localeFrom(language: string | undefined | null): Locale {
  const base = (language ?? '').toLowerCase().split('-')[0];
  return (LOCALES as readonly string[]).includes(base ?? '') ? (base as Locale) : DEFAULT_LOCALE;
}
