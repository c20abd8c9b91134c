import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type Officer } from '../api';
import type { T } from '../i18n';

export function LoginPage(p: { t: T; toggle: ReactNode; onSignedIn: (o: Officer, csrf: string) => void }) {
  const { t } = p;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ officer: Officer; csrfToken: string }>('POST', '/login', { username, password });
      p.onSignedIn(r.officer, r.csrfToken);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(status === 423 ? t('loginLocked') : status === 429 ? t('tooMany') : status === 401 ? t('loginFailed') : t('failed', { message: String((err as Error).message) }));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="card login" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <div className="login-head">
          <h1>{t('appTitle')}</h1>
          <p>{t('appSubtitle')}</p>
        </div>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required data-testid="login-username" />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="login-password" />
        </label>
        {error ? (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
          {t('login')}
        </button>
        <div className="login-foot">{p.toggle}</div>
      </form>
    </div>
  );
}
