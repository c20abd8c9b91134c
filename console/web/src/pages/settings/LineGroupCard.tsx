import { useState } from 'react';
import { api, type BindingCode, type NotifyTarget } from '../../api';
import { useUi } from '../../ui';
import { formatDateTime } from '../../format';
import { useCardAction } from './card-action';
import { removeTarget, shortGroupId } from './targets';
import { TargetList } from './TargetList';

/**
 * The district officers' LINE group: the groups bound to the district, and a one-time code to bind one. The code
 * is shown once (the server keeps only its hash), with how to type it in the group and when it stops working.
 */
export function LineGroupCard(p: { district: string; groups: NotifyTarget[]; reload: () => Promise<void> }) {
  const { t, lang } = useUi();
  const [code, setCode] = useState<BindingCode | null>(null);
  const { busy, error, run } = useCardAction();

  const makeCode = () => run(async () => setCode(await api<BindingCode>('POST', `/districts/${p.district}/binding-codes`)));

  const unbind = (g: NotifyTarget) =>
    run(async () => {
      await removeTarget(p.district, g.id);
      await p.reload();
    }, { confirm: t('settings.unbindConfirm') });

  return (
    <section className="card settings-card" data-testid="line-group-card">
      <h2>{t('settings.lineGroupTitle')}</h2>
      <p className="muted">{t('settings.lineGroupHelp')}</p>
      <TargetList
        targets={p.groups}
        none={
          <p className="muted" data-testid="no-groups">
            {t('settings.noGroups')}
          </p>
        }
        label={(g) => (
          <span className="target-address" title={g.address}>
            {t('settings.groupLabel', { id: shortGroupId(g.address) })}
          </span>
        )}
        removeText={t('settings.unbind')}
        onRemove={(g) => void unbind(g)}
        itemTestId="bound-group"
      />
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={() => void makeCode()} data-testid="make-binding-code">
          {code ? t('settings.newCodeAgain') : t('settings.newCode')}
        </button>
        <button type="button" className="link" onClick={() => void p.reload()} data-testid="reload-groups">
          {t('settings.refresh')}
        </button>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {code ? (
        <div className="binding-code" data-testid="binding-code-box">
          <p>{t('settings.codeIntro')}</p>
          <p className="big-code" data-testid="binding-code">
            {code.code}
          </p>
          <ol>
            <li>{t('settings.codeStep1')}</li>
            <li>{t('settings.codeStep2', { code: code.code })}</li>
            <li>{t('settings.codeStep3')}</li>
          </ol>
          <p className="muted" data-testid="binding-code-expiry">
            {t('settings.codeExpires', { at: formatDateTime(code.expiresAt, lang) })}
          </p>
        </div>
      ) : null}
    </section>
  );
}
