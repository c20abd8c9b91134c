import { useCallback, useEffect, useState } from 'react';
import { api, type NotifyTarget } from '../../api';
import { useUi } from '../../ui';
import { reasonOf } from './reason';
import { useCardAction } from './card-action';

/**
 * A district's active notification targets, loaded once for the page's cards (the LINE group, e-mail, webhook);
 * a card that changes one reloads them all.
 */
export function useTargets(district: string): { targets: NotifyTarget[] | null; error: string | null; reload: () => Promise<void> } {
  const { t } = useUi();
  const [targets, setTargets] = useState<NotifyTarget[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setTargets((await api<{ targets: NotifyTarget[] }>('GET', `/districts/${district}/targets`)).targets);
      setError(null);
    } catch (err) {
      setError(reasonOf(t, err));
    }
  }, [district, t]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { targets, error, reload };
}

export async function removeTarget(district: string, id: number): Promise<void> {
  await api('DELETE', `/districts/${district}/targets/${id}`);
}

/** Pure: who added a target, as a person reads it: a group bound by code was bound by the code's maker. */
export function addedBy(createdBy: string): string {
  return createdBy.replace(/^binding-code:/, '');
}

/** Pure: a LINE group id is 33 characters nobody reads; its start and end tell groups apart. */
export function shortGroupId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 7)}…${id.slice(-4)}` : id;
}

/**
 * Adding and removing a district's targets from a card: the server's answer to an addition (a webhook may carry
 * its secret back once), the list reloaded after either, removal asked first.
 */
export function useTargetChanges(district: string, reload: () => Promise<void>) {
  const { busy, error, run } = useCardAction();
  const add = (body: { kind: 'email' | 'webhook'; address: string; secret?: string }, added: (r: { id: number; secret?: string }) => void) =>
    run(async () => {
      added(await api<{ id: number; secret?: string }>('POST', `/districts/${district}/targets`, body));
      await reload();
    });
  const remove = (target: NotifyTarget, confirmText: string) =>
    run(async () => {
      await removeTarget(district, target.id);
      await reload();
    }, { confirm: confirmText });
  return { busy, error, add, remove };
}
