import { useEffect, useState, type FormEvent } from 'react';
import { api, API, type CaseSummary } from '../api';
import { Link, useUi } from '../ui';
import { dayInput, formatDate, parseDay } from '../format';
import { codeLabel, STATUSES } from '../i18n';
import { useCategories } from '../categories';
import { navigate } from '../router';

interface Filters {
  q: string;
  status: string;
  category: string;
  district: string;
  overdue: boolean;
  /** The citizen's latest rating: '1'-'5', 'none', or '' for any. */
  rating: string;
  /** Filed on or after / on or before, YYYY-MM-DD (typed in B.E. in Thai: parseDay). */
  from: string;
  to: string;
  page: number;
}

/** Pure: the page's query string ↔ its filters, so a filtered list can be bookmarked and reloaded. */
export function filtersOf(search: string): Filters {
  const s = new URLSearchParams(search);
  return {
    q: s.get('q') ?? '',
    status: s.get('status') ?? '',
    category: s.get('category') ?? '',
    district: s.get('district') ?? '',
    overdue: s.get('overdue') === 'true',
    rating: /^([1-5]|none)$/.test(s.get('rating') ?? '') ? s.get('rating')! : '',
    from: parseDay(s.get('from') ?? '') ?? '',
    to: parseDay(s.get('to') ?? '') ?? '',
    page: Math.max(1, Number(s.get('page')) || 1),
  };
}

export function queryOf(f: Filters): string {
  const s = new URLSearchParams();
  if (f.q.trim()) s.set('q', f.q.trim());
  if (f.status) s.set('status', f.status);
  if (f.category) s.set('category', f.category);
  if (/^\d{4}$/.test(f.district)) s.set('district', f.district);
  if (f.overdue) s.set('overdue', 'true');
  if (f.rating) s.set('rating', f.rating);
  if (f.from) s.set('from', f.from);
  if (f.to) s.set('to', f.to);
  if (f.page > 1) s.set('page', String(f.page));
  const q = s.toString();
  return q ? `?${q}` : '';
}

export function CasesPage(p: { search: string }) {
  const { t, lang } = useUi();
  const categories = useCategories();
  const applied = filtersOf(p.search);
  const [form, setForm] = useState<Filters>(applied);
  // The date fields as typed; the filters take them only when they are real days.
  const [days, setDays] = useState({ from: dayInput(applied.from, lang), to: dayInput(applied.to, lang) });
  const [result, setResult] = useState<{ total: number; page: number; pageSize: number; cases: CaseSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const f = filtersOf(p.search);
    setForm(f);
    setDays({ from: dayInput(f.from, lang), to: dayInput(f.to, lang) });
    setResult(null);
    api<{ total: number; page: number; pageSize: number; cases: CaseSummary[] }>('GET', `/cases${queryOf(filtersOf(p.search))}`)
      .then(setResult)
      .catch((err: Error) => setError(t('failed', { message: err.message })));
  }, [p.search, t, lang]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const from = days.from.trim() ? parseDay(days.from) : '';
    const to = days.to.trim() ? parseDay(days.to) : '';
    if (from === null || to === null) {
      setError(t('badDay'));
      return;
    }
    setError(null);
    navigate(`/cases${queryOf({ ...form, from, to, page: 1 })}`);
  };
  const set = (patch: Partial<Filters>) => setForm((f) => ({ ...f, ...patch }));
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  const exportQuery = queryOf({ ...applied, page: 1 });
  const exportHref = (format: string) => `${API}/reports/cases.${format}${exportQuery ? `${exportQuery}&` : '?'}lang=${lang}`;

  return (
    <section>
      <div className="page-head">
        <h1>{t('casesTitle')}</h1>
        {/* Every page of the list as filtered, as a file (reports/case-export.ts; audited). */}
        <span className="exports">
          <a className="button small" href={exportHref('xlsx')} download data-testid="cases-export-xlsx">
            {t('reports.xlsx')}
          </a>{' '}
          <a className="button small" href={exportHref('csv')} download data-testid="cases-export-csv">
            {t('reports.csv')}
          </a>
        </span>
        <Link to="/cases/new" className="button primary" testId="new-case">
          {t('newCase')}
        </Link>
      </div>
      <form className="filters card" onSubmit={submit} data-testid="case-filters">
        <input type="search" placeholder={t('search')} value={form.q} onChange={(e) => set({ q: e.target.value })} data-testid="case-search" className="grow" />
        <select value={form.status} onChange={(e) => set({ status: e.target.value })} data-testid="filter-status">
          <option value="">{t('allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {codeLabel(t, 'status', s)}
            </option>
          ))}
        </select>
        <select value={form.category} onChange={(e) => set({ category: e.target.value })} data-testid="filter-category">
          <option value="">{t('allCategories')}</option>
          {(categories?.categories ?? []).map((c) => (
            <option key={c.code} value={c.code}>
              {c.retiredAt === null ? c.name[lang] : t('categories.retiredMark', { name: c.name[lang] })}
            </option>
          ))}
        </select>
        <input placeholder={t('district')} value={form.district} onChange={(e) => set({ district: e.target.value.replace(/\D/g, '').slice(0, 4) })} inputMode="numeric" className="short" data-testid="filter-district" />
        <input placeholder={t('filedFrom')} title={t('dayHint')} value={days.from} onChange={(e) => setDays((d) => ({ ...d, from: e.target.value }))} className="short" data-testid="filter-from" />
        <input placeholder={t('filedTo')} title={t('dayHint')} value={days.to} onChange={(e) => setDays((d) => ({ ...d, to: e.target.value }))} className="short" data-testid="filter-to" />
        <select value={form.rating} onChange={(e) => set({ rating: e.target.value })} data-testid="filter-rating" aria-label={t('ratingFilter')}>
          <option value="">
            {t('ratingFilter')}: {t('ratingAny')}
          </option>
          {['5', '4', '3', '2', '1'].map((n) => (
            <option key={n} value={n}>
              {t('ratingStars', { n })}
            </option>
          ))}
          <option value="none">{t('ratingNone')}</option>
        </select>
        <label className="check">
          <input type="checkbox" checked={form.overdue} onChange={(e) => set({ overdue: e.target.checked })} data-testid="filter-overdue" />
          {t('overdueOnly')}
        </label>
        <button type="submit" className="primary">
          {t('filter')}
        </button>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {result === null ? <p className="muted">{t('loading')}</p> : null}
      {result ? <p className="muted">{t('total', { n: result.total })}</p> : null}
      {result?.cases.length === 0 ? <p className="empty">{t('casesEmpty')}</p> : null}
      {result && result.cases.length > 0 ? (
        <table className="cases" data-testid="cases">
          <thead>
            <tr>
              <th>{t('number')}</th>
              <th>{t('subject')}</th>
              <th>{t('category')}</th>
              <th>{t('channel')}</th>
              <th>{t('complainant')}</th>
              <th>{t('status')}</th>
              <th>{t('assignedTo')}</th>
              <th>{t('filedAt')}</th>
              <th>{t('dueAt')}</th>
              <th>{t('ratingFilter')}</th>
            </tr>
          </thead>
          <tbody>
            {result.cases.map((c) => (
              <tr key={c.number} className={c.overdue ? 'overdue' : undefined} data-testid="case-row">
                <td className="nowrap">
                  <Link to={`/cases/${encodeURIComponent(c.number)}`}>{c.number}</Link>
                </td>
                <td>
                  {c.subject}
                  {c.confidential ? <span className="badge">{t('confidential')}</span> : null}
                  {c.royalPetition ? <span className="badge royal">{t('royalPetition')}</span> : null}
                </td>
                <td>{codeLabel(t, 'category', c.category)}</td>
                <td data-testid="case-channel">{codeLabel(t, 'channel', c.channel)}</td>
                <td>{c.anonymous ? <span className="muted">{t('anonymous')}</span> : c.complainantName}</td>
                <td>
                  <span className={`status s-${c.status}`}>{codeLabel(t, 'status', c.status)}</span>
                </td>
                <td data-testid="case-assignee">{c.assignedTo ? c.assignedTo.name : <span className="muted">{t('notAssigned')}</span>}</td>
                <td className="nowrap">{formatDate(c.createdAt, lang)}</td>
                <td className="nowrap">
                  {formatDate(c.dueAt, lang)}
                  {c.overdue ? <span className="badge late">{t('overdue')}</span> : null}
                </td>
                <td className="nowrap" data-testid="case-rating">
                  {c.rating ? <span className="stars" aria-label={`${c.rating}/5`}>{'★'.repeat(c.rating)}</span> : <span className="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result && pages > 1 ? (
        <div className="pager">
          <button type="button" disabled={applied.page <= 1} onClick={() => navigate(`/cases${queryOf({ ...applied, page: applied.page - 1 })}`)}>
            {t('previous')}
          </button>
          <span>{t('page', { n: applied.page })} / {pages}</span>
          <button type="button" disabled={applied.page >= pages} onClick={() => navigate(`/cases${queryOf({ ...applied, page: applied.page + 1 })}`)}>
            {t('next')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
