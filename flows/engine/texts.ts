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
  // made it most of an engine step's time (bench/engine).
  return {
    system: (locale, key, vars) => i18n.t(key, { ...vars, lng: locale, ns: 'engine' }) as string,
    flow(flow: FlowDefinition, locale: Locale, key: string, vars?: TextVars) {
      const ns = flowNamespace(flow);
      if (!i18n.hasResourceBundle(locale, ns)) {
        for (const lng of ['th', 'en'] as const) i18n.addResourceBundle(lng, ns, flow.texts[lng], false, false);
      }
      return i18n.t(key, { ...vars, lng: locale, ns, keySeparator: false, nsSeparator: false }) as string;
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
