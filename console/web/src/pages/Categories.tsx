import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { reloadCategories, useCategories, type ConsoleCategory } from '../categories';
import { formatDateTime } from '../format';
import type { T } from '../i18n';
import { useUi } from '../ui';
import { reasonOf } from './settings/reason';

/**
 * The case categories (หมวดเรื่อง): each with its names, its rules and its deadline; admins add, edit and retire them
 * (supervisors read). Retiring keeps the category's old cases and their names; a category a live flow still offers
 * is refused until the flow is changed, and the page says which flow.
 */
interface Draft {
  code: string;
  th: string;
  en: string;
  confidential: boolean;
  consentRequired: boolean;
  nationalIdRequired: boolean;
  anonymousAllowed: boolean;
  deadline: string;
}

const EMPTY: Draft = { code: '', th: '', en: '', confidential: false, consentRequired: false, nationalIdRequired: false, anonymousAllowed: false, deadline: '' };
const draftOf = (c: ConsoleCategory): Draft => ({
  code: c.code,
  th: c.name.th,
  en: c.name.en,
  confidential: c.confidential,
  consentRequired: c.consentRequired,
  nationalIdRequired: c.nationalIdRequired,
  anonymousAllowed: c.anonymousAllowed,
  deadline: c.deadlineDays === null ? '' : String(c.deadlineDays),
});

/** The server's refusal in the page's words where it has them (a code taken, a live flow offering it). */
function refusal(t: T, err: unknown): string {
  if (err instanceof ApiError && err.status === 409 && err.issues.some((i) => i.path === 'code')) return t('categories.exists');
  return reasonOf(t, err);
}

export function CategoriesPage() {
  const { t, lang } = useUi();
  const list = useCategories();
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const [savedCode, setSavedCode] = useState<string | null>(null);
  const canEdit = list?.canEdit ?? false;
  const current = selected !== null && selected !== 'new' ? (list?.categories.find((c) => c.code === selected) ?? null) : null;
  const select = (code: string | 'new') => {
    setSelected(code);
    setSavedCode(null);
  };
  const saved = async (c: ConsoleCategory) => {
    await reloadCategories();
    setSelected(c.code);
    setSavedCode(c.code);
  };
  const rules = (c: ConsoleCategory) =>
    [
      c.confidential ? t('categories.rule.confidential') : null,
      c.consentRequired ? t('categories.rule.consent') : null,
      c.nationalIdRequired ? t('categories.rule.nationalId') : null,
      c.anonymousAllowed ? t('categories.rule.anonymous') : null,
    ]
      .filter(Boolean)
      .join(' · ');

  return (
    <section className="categories-page">
      <h1>{t('categories.title')}</h1>
      <p className="muted">{t('categories.help')}</p>
      {list && !canEdit ? <p className="notice">{t('categories.readOnly')}</p> : null}
      {canEdit ? (
        <p>
          <button type="button" onClick={() => select('new')} data-testid="category-new">
            + {t('categories.new')}
          </button>
        </p>
      ) : null}
      <table className="cases categories" data-testid="category-list">
        <thead>
          <tr>
            <th>{t('categories.col.name')}</th>
            <th>{t('categories.col.code')}</th>
            <th>{t('categories.col.rules')}</th>
            <th>{t('categories.col.deadline')}</th>
            <th>{t('categories.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {(list?.categories ?? []).map((c) => (
            <tr key={c.code} className={[c.code === selected ? 'selected' : '', c.retiredAt !== null ? 'disabled' : ''].filter(Boolean).join(' ') || undefined} data-testid="category-row" data-code={c.code} data-retired={String(c.retiredAt !== null)}>
              <td>
                <button type="button" className="link" onClick={() => select(c.code)} data-testid="category-open">
                  {c.name[lang]}
                </button>
                <div className="small muted">{c.name[lang === 'th' ? 'en' : 'th']}</div>
              </td>
              <td>
                <code>{c.code}</code>
              </td>
              <td className="small">{rules(c)}</td>
              <td>{c.deadlineDays === null ? t('categories.deadlineDefault') : t('categories.deadlineDays', { days: c.deadlineDays })}</td>
              <td data-testid="category-state">{c.retiredAt === null ? t('categories.inUse') : t('categories.retiredAt', { at: formatDateTime(c.retiredAt, lang) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected === 'new' ? <CategoryForm key="new" category={null} canEdit={canEdit} onSaved={(c) => void saved(c)} /> : null}
      {current ? <CategoryForm key={`${current.code}:${current.updatedAt}`} category={current} canEdit={canEdit} onSaved={(c) => void saved(c)} /> : null}
      {savedCode !== null && savedCode === selected ? (
        <p className="ok" data-testid="category-status">
          {t('categories.saved')}
        </p>
      ) : null}
      {current ? <p className="muted small">{t('categories.updated', { at: formatDateTime(current.updatedAt, lang), by: current.updatedBy === 'shipped' ? t('flows.shipped') : current.updatedBy })}</p> : null}
    </section>
  );
}

function CategoryForm(p: { category: ConsoleCategory | null; canEdit: boolean; onSaved: (c: ConsoleCategory) => void }) {
  const { t } = useUi();
  const [d, setD] = useState<Draft>(p.category ? draftOf(p.category) : EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const disabled = !p.canEdit || busy;
  const retired = p.category?.retiredAt != null;

  const send = async (method: 'POST' | 'PUT', path: string, body?: unknown) => {
    setError(null);
    setBusy(true);
    try {
      p.onSaved(await api<ConsoleCategory>(method, path, body));
    } catch (err) {
      const flows = err instanceof ApiError && err.status === 409 ? err.issues.filter((i) => i.path === 'flows').map((i) => i.message) : [];
      setError(flows.length ? t('categories.usedByFlows', { flows: flows.join(', ') }) : refusal(t, err));
    } finally {
      setBusy(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: { th: d.th, en: d.en },
      confidential: d.confidential,
      consentRequired: d.consentRequired,
      nationalIdRequired: d.nationalIdRequired,
      anonymousAllowed: d.anonymousAllowed,
      deadlineDays: d.deadline.trim() === '' ? null : Number(d.deadline),
    };
    void (p.category ? send('PUT', `/categories/${p.category.code}`, body) : send('POST', '/categories', { code: d.code.trim(), ...body }));
  };
  const box = (key: 'confidential' | 'consentRequired' | 'nationalIdRequired' | 'anonymousAllowed', testId: string) => (
    <label className="check">
      <input type="checkbox" checked={d[key]} disabled={disabled} onChange={(e) => set({ [key]: e.target.checked })} data-testid={testId} /> {t(`categories.${key}`)}
    </label>
  );

  return (
    <form className="card case-form category-form" onSubmit={save} data-testid="category-form" data-code={p.category?.code ?? ''}>
      <div className="row">
        <label className="field">
          <span>{t('categories.code')}</span>
          <input value={d.code} disabled={disabled || p.category !== null} maxLength={32} onChange={(e) => set({ code: e.target.value })} data-testid="category-code" />
          {p.category === null ? <small className="muted">{t('categories.codeHint')}</small> : null}
        </label>
        <label className="field">
          <span>{t('categories.nameTh')}</span>
          <input value={d.th} disabled={disabled} maxLength={80} onChange={(e) => set({ th: e.target.value })} data-testid="category-name-th" />
        </label>
        <label className="field">
          <span>{t('categories.nameEn')}</span>
          <input value={d.en} disabled={disabled} maxLength={80} onChange={(e) => set({ en: e.target.value })} data-testid="category-name-en" />
        </label>
      </div>
      <div className="category-rules">
        {box('confidential', 'category-confidential')}
        {box('consentRequired', 'category-consent')}
        {box('nationalIdRequired', 'category-national-id')}
        {box('anonymousAllowed', 'category-anonymous')}
      </div>
      <label className="field">
        <span>{t('categories.deadline')}</span>
        <input type="number" min={1} max={365} value={d.deadline} disabled={disabled} onChange={(e) => set({ deadline: e.target.value })} data-testid="category-deadline" />
        <small className="muted">{t('categories.deadlineHint')}</small>
      </label>
      {error ? (
        <p className="error" role="alert" data-testid="category-error">
          {error}
        </p>
      ) : null}
      {p.canEdit ? (
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-testid="category-save">
            {t('categories.save')}
          </button>
          {p.category && !retired && p.category.code !== 'complaint' ? (
            <button type="button" className="danger" disabled={busy} onClick={() => void send('POST', `/categories/${p.category!.code}/retire`)} data-testid="category-retire">
              {t('categories.retire')}
            </button>
          ) : null}
          {p.category && retired ? (
            <button type="button" disabled={busy} onClick={() => void send('POST', `/categories/${p.category!.code}/restore`)} data-testid="category-restore">
              {t('categories.restore')}
            </button>
          ) : null}
        </div>
      ) : null}
      {p.category?.code === 'complaint' ? <p className="muted small">{t('categories.default')}</p> : null}
    </form>
  );
}
