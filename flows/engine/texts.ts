import { createHash } from 'node:crypto';
import type { i18n as I18n } from 'i18next';
import type { FlowDefinition } from '../definition/types';
import type { Locale } from './state';
import type { EngineTexts, TextVars } from './types';

/**
 * Texts through i18next: system strings from the `engine` namespace, and each flow version's texts registered
 * as its own namespace (`flow:<id>@<version>`) the first time it speaks. Flow text keys are flat: a dot in a
 * key is part of the key, not a path.
 */
export function createEngineTexts(i18n: I18n): EngineTexts {
  // i18n.t with lng and ns, not getFixedT: a fixed t copies i18next's whole options object on every call, which
  // made it most of an engine step's time (bench/engine). A text without variables is the same every time (system
  // texts are loaded once, flow versions never change), so it is looked up once.
  const plain = new Map<string, string>();
  const lookup = (key: string, options: Record<string, unknown>, vars: TextVars | undefined, cacheKey: string): string => {
    const bare = !vars || Object.keys(vars).length === 0;
    if (bare) {
      const hit = plain.get(cacheKey);
      if (hit !== undefined) return hit;
    }
    const text = i18n.t(key, { ...vars, ...options }) as string;
    if (bare) {
      if (plain.size > 50_000) plain.clear();
      plain.set(cacheKey, text);
    }
    return text;
  };
  return {
    system: (locale, key, vars) => lookup(key, { lng: locale, ns: 'engine' }, vars, `${locale}|engine|${key}`),
    flow(flow: FlowDefinition, locale: Locale, key: string, vars?: TextVars) {
      const ns = flowNamespace(flow);
      if (!i18n.hasResourceBundle(locale, ns)) {
        for (const lng of ['th', 'en'] as const) i18n.addResourceBundle(lng, ns, flow.texts[lng], false, false);
      }
      return lookup(key, { lng: locale, ns, keySeparator: false, nsSeparator: false }, vars, `${locale}|${ns}|${key}`);
    },
  };
}

const namespaces = new WeakMap<FlowDefinition, string>();

/**
 * `flow:<id>@<version>#<texts hash>`: a stored version never changes, but a draft being validated, or a test's
 * own flow, may share an id and version with another; the hash keeps their texts apart.
 */
export function flowNamespace(flow: FlowDefinition): string {
  let ns = namespaces.get(flow);
  if (!ns) {
    const hash = createHash('sha1').update(JSON.stringify(flow.texts)).digest('hex').slice(0, 10);
    namespaces.set(flow, (ns = `flow:${flow.id}@${flow.version}#${hash}`));
  }
  return ns;
}
