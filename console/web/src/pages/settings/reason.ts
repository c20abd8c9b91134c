import { ApiError } from '../../api';
import type { T } from '../../i18n';

/**
 * What the server said was wrong, as one line for the page: its message and each field's reason ("password:
 * too short"), so an admin fixes the form without guessing. fieldName puts a field's path in the page's words.
 */
export function reasonOf(t: T, err: unknown, fieldName: (path: string) => string = (path) => path): string {
  const message = err instanceof Error ? err.message : String(err);
  const issues = err instanceof ApiError ? err.issues.map((i) => (i.path ? `${fieldName(i.path)}: ${i.message}` : i.message)) : [];
  return t('failed', { message: [message, ...issues].join(' · ') });
}
