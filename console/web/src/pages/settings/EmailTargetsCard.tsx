import { useState, type FormEvent } from 'react';
import { api, type NotifyTarget } from '../../api';
import { useUi } from '../../App';
import { useCardAction } from './card-action';
import { removeTarget } from './targets';
import { TargetList } from './TargetList';

/** The e-mail addresses told of the district's new cases, handoffs and overdue cases: add and remove. */
export function EmailTargetsCard(p: { district: string; emails: NotifyTarget[]; reload: () => Promise<void> }) {
  const { t } = useUi();
  const [address, setAddress] = useState('');
  const { busy, error, run } = useCardAction();

  const add = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api('POST', `/districts/${p.district}/targets`, { kind: 'email', address: address.trim() });
      setAddress('');
      await p.reload();
    });
  };

  const remove = (target: NotifyTarget) =>
    run(async () => {
      await removeTarget(p.district, target.id);
      await p.reload();
    }, { confirm: t('settings.removeConfirm', { what: target.address }) });

  return (
    <section className="card settings-card" data-testid="email-card">
      <h2>{t('settings.emailTitle')}</h2>
      <p className="muted">{t('settings.emailHelp')}</p>
      <TargetList
        targets={p.emails}
        none={<p className="muted">{t('settings.noEmails')}</p>}
        label={(m) => <span className="target-address">{m.address}</span>}
        removeText={t('settings.remove')}
        onRemove={(m) => void remove(m)}
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
