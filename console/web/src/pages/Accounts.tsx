import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, type DirectoryDistrict, type OfficerAccount } from '../api';
import { useUi } from '../ui';
import { formatDateTime } from '../format';
import type { Key, T } from '../i18n';
import { reasonOf } from './settings/reason';

const ROLES = ['officer', 'supervisor', 'admin'] as const;
type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, Key> = { officer: 'role.officer', supervisor: 'role.supervisor', admin: 'role.admin' };
export const roleLabel = (t: T, role: string): string => (role in ROLE_LABEL ? t(ROLE_LABEL[role as Role]) : role);

const FIELD: Record<string, Key> = {
  username: 'username',
  displayName: 'accounts.displayName',
  role: 'accounts.role',
  districtCode: 'accounts.district',
  provinceCode: 'accounts.province',
  password: 'accounts.initialPassword',
};

interface Draft {
  username: string;
  displayName: string;
  role: Role;
  provinceCode: string;
  districtCode: string;
  password: string;
}
const EMPTY: Draft = { username: '', displayName: '', role: 'officer', provinceCode: '', districtCode: '', password: '' };

/** Pure: the body of POST /officers for what the form holds: an officer's district, a supervisor's province. */
export function newOfficerBody(d: Draft): Record<string, string> {
  const base = { username: d.username.trim(), displayName: d.displayName.trim(), role: d.role, password: d.password };
  if (d.role === 'officer') return { ...base, districtCode: d.districtCode };
  if (d.role === 'supervisor') return { ...base, provinceCode: d.provinceCode };
  return base;
}

/**
 * The officer accounts, for admins: who exists, their role and reach, whether they can sign in; create one
 * (the server checks the name, the reach and the password, and its reasons are shown as they are) and disable one.
 * Accounts are never deleted: the audit log keeps naming them.
 */
export function AccountsPage() {
  const { t, lang, officer: me } = useUi();
  const [accounts, setAccounts] = useState<OfficerAccount[] | null>(null);
  const [districts, setDistricts] = useState<DirectoryDistrict[]>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setAccounts((await api<{ officers: OfficerAccount[] }>('GET', '/officers')).officers);
    } catch (err) {
      setError(reasonOf(t, err));
    }
  }, [t]);
  useEffect(() => {
    void load();
    api<{ districts: DirectoryDistrict[] }>('GET', '/districts')
      .then((r) => setDistricts(r.districts))
      .catch(() => undefined); // names only: codes are shown without them
  }, [load]);

  const byCode = useMemo(() => new Map(districts.map((d) => [d.code, d])), [districts]);
  const provinces = useMemo(() => {
    const seen = new Map<string, string>();
    for (const d of districts) if (!seen.has(d.provinceCode)) seen.set(d.provinceCode, lang === 'en' ? d.provinceEn : d.provinceTh);
    return [...seen.entries()].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name, lang));
  }, [districts, lang]);
  const districtsOfProvince = districts.filter((d) => d.provinceCode === draft.provinceCode);

  const placeOf = (a: OfficerAccount): string => {
    if (a.districtCode) {
      const d = byCode.get(a.districtCode);
      return d ? `${lang === 'en' ? d.en : d.th} (${a.districtCode})` : a.districtCode;
    }
    if (a.provinceCode) return `${t('accounts.provinceOf', { name: provinces.find((p) => p.code === a.provinceCode)?.name ?? a.provinceCode })} (${a.provinceCode})`;
    return t('accounts.everywhere');
  };

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const fieldName = (path: string) => (FIELD[path] ? t(FIELD[path]) : path);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    setCreated(null);
    try {
      const o = await api<OfficerAccount>('POST', '/officers', newOfficerBody(draft));
      setCreated(t('accounts.created', { name: o.displayName, username: o.username }));
      setDraft(EMPTY);
      await load();
    } catch (err) {
      setFormError(reasonOf(t, err, fieldName));
    } finally {
      setBusy(false);
    }
  };

  const disable = async (a: OfficerAccount) => {
    if (!confirm(t('accounts.disableConfirm', { name: a.displayName, username: a.username }))) return;
    setError(null);
    try {
      await api('POST', `/officers/${a.id}/disable`);
      await load();
    } catch (err) {
      setError(reasonOf(t, err));
    }
  };

  const now = Date.now();
  return (
    <section className="accounts-page">
      <h1>{t('accounts.title')}</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {accounts === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {accounts ? (
        <table className="cases" data-testid="accounts">
          <thead>
            <tr>
              <th>{t('username')}</th>
              <th>{t('accounts.displayName')}</th>
              <th>{t('accounts.role')}</th>
              <th>{t('accounts.reach')}</th>
              <th>{t('accounts.lastLogin')}</th>
              <th>{t('status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-testid="account-row" data-username={a.username} className={a.disabled ? 'disabled' : undefined}>
                <td className="mono">{a.username}</td>
                <td>{a.displayName}</td>
                <td>{roleLabel(t, a.role)}</td>
                <td>{placeOf(a)}</td>
                <td className="nowrap">{a.lastLoginAt ? formatDateTime(a.lastLoginAt, lang) : <span className="muted">{t('accounts.never')}</span>}</td>
                <td data-testid="account-status">
                  {a.disabled ? (
                    <span className="badge late">{t('accounts.disabled')}</span>
                  ) : a.lockedUntil && a.lockedUntil > now ? (
                    <span className="badge int">{t('accounts.lockedUntil', { at: formatDateTime(a.lockedUntil, lang) })}</span>
                  ) : (
                    <span className="badge pub">{t('accounts.active')}</span>
                  )}
                </td>
                <td>
                  {!a.disabled && a.id !== me.id ? (
                    <button type="button" className="danger small" onClick={() => void disable(a)} data-testid="account-disable">
                      {t('accounts.disable')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <form className="card account-form" onSubmit={(e) => void create(e)} data-testid="account-form">
        <h2>{t('accounts.newTitle')}</h2>
        <div className="form-grid">
          <label>
            {t('username')}
            <input required autoComplete="off" spellCheck={false} value={draft.username} onChange={(e) => set({ username: e.target.value })} data-testid="account-username" />
            <span className="muted small">{t('accounts.usernameHint')}</span>
          </label>
          <label>
            {t('accounts.displayName')}
            <input required maxLength={100} value={draft.displayName} onChange={(e) => set({ displayName: e.target.value })} data-testid="account-display-name" />
          </label>
          <label>
            {t('accounts.role')}
            <select value={draft.role} onChange={(e) => set({ role: e.target.value as Role })} data-testid="account-role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(t, r)}
                </option>
              ))}
            </select>
          </label>
          {draft.role !== 'admin' ? (
            <label>
              {t('accounts.province')}
              <select value={draft.provinceCode} onChange={(e) => set({ provinceCode: e.target.value, districtCode: '' })} data-testid="account-province">
                <option value="">{t('accounts.choose')}</option>
                {provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {draft.role === 'officer' ? (
            <label>
              {t('accounts.district')}
              <select value={draft.districtCode} onChange={(e) => set({ districtCode: e.target.value })} disabled={!draft.provinceCode} data-testid="account-district">
                <option value="">{t('accounts.choose')}</option>
                {districtsOfProvince.map((d) => (
                  <option key={d.code} value={d.code}>
                    {lang === 'en' ? d.en : d.th} ({d.code})
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            {t('accounts.initialPassword')}
            <input type="password" required autoComplete="new-password" value={draft.password} onChange={(e) => set({ password: e.target.value })} data-testid="account-password" />
            <span className="muted small">{t('accounts.passwordHint')}</span>
          </label>
        </div>
        {formError ? (
          <p className="error" role="alert" data-testid="account-error">
            {formError}
          </p>
        ) : null}
        {created ? (
          <p className="ok" data-testid="account-created">
            {created}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy} data-testid="account-create">
          {t('accounts.create')}
        </button>
      </form>
    </section>
  );
}
