import { createHash } from 'node:crypto';
import type { i18n as I18n, TFunction } from 'i18next';
import type { FlowDefinition } from '../definition/types';
import type { Locale } from './state';
import type { EngineTexts, TextVars } from './types';

/**
 * Texts through i18next: system strings from the `engine` namespace, and each flow version's texts registered
 * as its own namespace (`flow:<id>@<version>`) the first time it speaks. Flow text keys are flat: a dot in a
 * key is part of the key, not a path.
 */
export function createEngineTexts(i18n: I18n): EngineTexts {
  const fixed = new Map<string, TFunction>();
  const tFor = (locale: Locale, ns: string) => {
    const key = `${locale}|${ns}`;
    let t = fixed.get(key);
    if (!t) fixed.set(key, (t = i18n.getFixedT(locale, ns)));
    return t;
  };
  return {
    system: (locale, key, vars) => tFor(locale, 'engine')(key, vars ?? {}) as string,
    flow(flow: FlowDefinition, locale: Locale, key: string, vars?: TextVars) {
      const ns = flowNamespace(flow);
      if (!i18n.hasResourceBundle(locale, ns)) {
        for (const lng of ['th', 'en'] as const) i18n.addResourceBundle(lng, ns, flow.texts[lng], false, false);
      }
      return tFor(locale, ns)(key, { ...vars, keySeparator: false, nsSeparator: false }) as string;
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
