import { useCallback, useState } from 'react';
import { useUi } from '../../ui';
import { reasonOf } from './reason';

/**
 * What every settings card does with the server: one change at a time (busy while it runs), asked to confirm
 * first when it removes something, and the server's reason shown when it is refused. `run` says whether it went
 * through, so a form is cleared only then.
 */
export function useCardAction(): {
  busy: boolean;
  error: string | null;
  setError: (e: string | null) => void;
  run: (change: () => Promise<unknown>, o?: { confirm?: string; fieldName?: (path: string) => string }) => Promise<boolean>;
} {
  const { t } = useUi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (change: () => Promise<unknown>, o: { confirm?: string; fieldName?: (path: string) => string } = {}) => {
      if (o.confirm && !confirm(o.confirm)) return false;
      setBusy(true);
      setError(null);
      try {
        await change();
        return true;
      } catch (err) {
        setError(reasonOf(t, err, o.fieldName));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { busy, error, setError, run };
}
