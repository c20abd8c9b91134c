import { validateFlow, type ValidationContext, type ValidationResult } from './definition';
import { validationContext } from './registry';
import { flowIdErrors } from './source';

/**
 * The whole check a flow passes before it is stored or goes live: the validator against what the running code
 * provides, and the id rule of the admin API's URLs. Pure, so the console's editor runs exactly this on every
 * change in the browser, and the store runs it again on the server, where it decides.
 */
export function checkFlow(
  definition: unknown,
  file: string,
  flowIds: Iterable<string>,
  context: (file: string, flowIds: Iterable<string>) => ValidationContext = validationContext,
): ValidationResult {
  const result = validateFlow(definition, context(file, flowIds));
  const idErrors = flowIdErrors(definition, file);
  if (idErrors.length === 0) return result;
  return { ok: false, errors: [...idErrors, ...(result.ok ? [] : result.errors)] };
}
