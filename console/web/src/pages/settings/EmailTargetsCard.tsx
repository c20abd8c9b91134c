import { useState, type FormEvent } from 'react';
import type { NotifyTarget } from '../../api';
import { useUi } from '../../ui';
import { useTargetChanges } from './targets';
import { TargetList } from './TargetList';

/** The e-mail addresses told of the district's new cases, handoffs and overdue cases: add and remove. */
export function EmailTargetsCard(p: { district: string; emails: NotifyTarget[]; reload: () => Promise<void> }) {
  const { t } = useUi();
  const [address, setAddress] = useState('');
  const { busy, error, add: addTarget, remove } = useTargetChanges(p.district, p.reload);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    await addTarget({ kind: 'email', address: address.trim() }, () => setAddress(''));
  };

  return (
    <section className="card settings-card" data-testid="email-card">
      <h2>{t('settings.emailTitle')}</h2>
      <p className="muted">{t('settings.emailHelp')}</p>
      <TargetList
        targets={p.emails}
        none={<p className="muted">{t('settings.noEmails')}</p>}
        label={(m) => <span className="target-address">{m.address}</span>}
        removeText={t('settings.remove')}
        onRemove={(m) => void remove(m, t('settings.removeConfirm', { what: m.address }))}
        itemTestId="email-target"
        removeTestId="remove-email"
      />
      <form className="row" onSubmit={(e) => void add(e)} data-testid="email-form">
        <input
          type="email"
          required
          maxLength={254}
          className="grow"
          placeholder={t('settings.emailPlaceholder')}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          data-testid="email-input"
        />
        <button type="submit" className="primary" disabled={busy || !address.trim()} data-testid="email-add">
          {t('settings.add')}
        </button>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </section>
  );
}
