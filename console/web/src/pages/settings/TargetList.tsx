import type { ReactNode } from 'react';
import type { NotifyTarget } from '../../api';
import { useUi } from '../../ui';
import { formatDateTime } from '../../format';
import { addedBy } from './targets';

/**
 * A district's targets of one kind as the settings cards list them: what it is, who added it and when (B.E.), and
 * a button that removes it (the card asks and calls the server). `none` is shown when there are none.
 */
export function TargetList(p: {
  targets: NotifyTarget[];
  none: ReactNode;
  /** The target in words: an address, or a LINE group's short id. */
  label: (target: NotifyTarget) => ReactNode;
  /** Anything shown after the label, e.g. that a webhook's secret is kept. */
  badge?: (target: NotifyTarget) => ReactNode;
  removeText: string;
  onRemove: (target: NotifyTarget) => void;
  itemTestId: string;
  removeTestId?: string;
}) {
  const { t, lang } = useUi();
  if (p.targets.length === 0) return <>{p.none}</>;
  return (
    <ul className="target-list">
      {p.targets.map((target) => (
        <li key={target.id} data-testid={p.itemTestId}>
          {p.label(target)}
          {p.badge?.(target)}
          <span className="muted">{t('settings.addedAt', { at: formatDateTime(target.createdAt, lang), by: addedBy(target.createdBy) })}</span>
          <button type="button" className="link" onClick={() => p.onRemove(target)} data-testid={p.removeTestId}>
            {p.removeText}
          </button>
        </li>
      ))}
    </ul>
  );
}
