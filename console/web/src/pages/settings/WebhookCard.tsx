import { useState, type FormEvent } from 'react';
import type { NotifyTarget } from '../../api';
import { useUi } from '../../ui';
import { useTargetChanges } from './targets';
import { TargetList } from './TargetList';

/** A secret nobody has to think up: 32 random bytes as hex, well over the server's 16-character minimum. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The outgoing webhook: another system of the district gets each notification as JSON signed with a shared
 * secret (HMAC). The secret is stored encrypted and never read back: it is shown once, when the server hands
 * one back on creation; otherwise the page only says it is stored.
 */
export function WebhookCard(p: { district: string; webhooks: NotifyTarget[]; reload: () => Promise<void> }) {
  const { t } = useUi();
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [created, setCreated] = useState<{ secret: string | null } | null>(null);
  const { busy, error, add: addTarget, remove } = useTargetChanges(p.district, p.reload);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    await addTarget({ kind: 'webhook', address: url.trim(), secret }, (r) => {
      setCreated({ secret: typeof r.secret === 'string' ? r.secret : null });
      setUrl('');
      setSecret('');
    });
  };

  return (
    <section className="card settings-card" data-testid="webhook-card">
      <h2>{t('settings.webhookTitle')}</h2>
      <p className="muted">{t('settings.webhookHelp')}</p>
      <TargetList
        targets={p.webhooks}
        none={<p className="muted">{t('settings.noWebhook')}</p>}
        label={(w) => <span className="target-address">{w.address}</span>}
        badge={(w) => (w.hasSecret ? <span className="badge pub">{t('settings.secretKept')}</span> : null)}
        removeText={t('settings.remove')}
        onRemove={(w) => void remove(w, t('settings.removeConfirm', { what: w.address }))}
        itemTestId="webhook-target"
      />
      <form className="stack" onSubmit={(e) => void add(e)} data-testid="webhook-form">
        <label>
          {t('settings.webhookUrl')}
          <input type="url" required placeholder="https://" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="webhook-url" />
        </label>
        <label>
          {t('settings.webhookSecret')}
          <span className="row">
            <input
              className="grow mono"
              required
              minLength={16}
              autoComplete="off"
              spellCheck={false}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              data-testid="webhook-secret"
            />
            <button type="button" onClick={() => setSecret(newWebhookSecret())} data-testid="webhook-generate">
              {t('settings.generateSecret')}
            </button>
          </span>
          <span className="muted small">{t('settings.secretHint')}</span>
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="webhook-add">
          {t('settings.add')}
        </button>
      </form>
      {created ? (
        created.secret ? (
          <div className="notice" data-testid="webhook-secret-once">
            <p>{t('settings.secretOnce')}</p>
            <p className="big-code mono">{created.secret}</p>
          </div>
        ) : (
          <p className="notice" data-testid="webhook-secret-stored">
            {t('settings.secretStored')}
          </p>
        )
      ) : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
    </section>
  );
}
