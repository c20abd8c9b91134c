import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, API } from '../api';
import { dayInput, formatDate, formatDateTime, parseDay } from '../format';
import type { Key } from '../i18n';
import { Link, useUi } from '../ui';
import { reasonOf } from './settings/reason';

/**
 * The royal petitions' register: every petition the bot handed to an officer, completed here (kind, gist,
 * petitioner, where it went, the result) and exported for the E-Report. Supervisors see their province.
 */
interface Petition {
  id: number;
  registerNumber: string;
  handoffId: number | null;
  districtCode: string | null;
  receivedAt: number;
  kind: 'justice' | 'assistance' | 'other' | null;
  words: string | null;
  summary: string | null;
  petitionerName: string | null;
  petitionerPhone: string | null;
  status: 'received' | 'forwarded' | 'concluded';
  forwardedTo: string | null;
  forwardedAt: number | null;
  result: string | null;
  updatedAt: number;
  updatedBy: string | null;
}

const KINDS: Record<NonNullable<Petition['kind']>, Key> = {
  justice: 'petitions.kind.justice',
  assistance: 'petitions.kind.assistance',
  other: 'petitions.kind.other',
};
const STATUSES: Record<Petition['status'], Key> = {
  received: 'petitions.status.received',
  forwarded: 'petitions.status.forwarded',
  concluded: 'petitions.status.concluded',
};
/** Bangkok midnight of a YYYY-MM-DD day, as the register stores a forwarding date. */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00+07:00`);
const dayOf = (at: number) => new Date(at + 7 * 3_600_000).toISOString().slice(0, 10);

export function PetitionsPage() {
  const { t, lang } = useUi();
  const [rows, setRows] = useState<Petition[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ petitions: Petition[] }>('GET', '/petitions')
      .then((r) => setRows(r.petitions))
      .catch((err: unknown) => setError(reasonOf(t, err)));
  }, [t]);
  useEffect(load, [load]);

  const current = rows?.find((p) => p.id === open) ?? null;
  return (
    <section className="petitions-page">
      <h1>{t('petitions.title')}</h1>
      <p className="muted">{t('petitions.help')}</p>
      <p className="actions">
        <a className="button" href={`${API}/petitions/export.xlsx?lang=${lang}`} data-testid="export-xlsx" download>
          {t('petitions.exportXlsx')}
        </a>{' '}
        <a className="button" href={`${API}/petitions/export.csv?lang=${lang}`} data-testid="export-csv" download>
          {t('petitions.exportCsv')}
        </a>
      </p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {rows === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {rows?.length === 0 ? <p className="empty">{t('petitions.empty')}</p> : null}
      {rows && rows.length > 0 ? (
        <table className="cases" data-testid="petitions">
          <thead>
            <tr>
              <th>{t('petitions.number')}</th>
              <th>{t('petitions.receivedAt')}</th>
              <th>{t('petitions.district')}</th>
              <th>{t('petitions.kind')}</th>
              <th>{t('petitions.petitioner')}</th>
              <th>{t('petitions.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id} data-testid="petition-row" className={p.id === open ? 'selected' : undefined}>
                <td>
                  <button type="button" className="link" onClick={() => setOpen(p.id)} data-testid="petition-open">
                    {p.registerNumber}
                  </button>
                </td>
                <td className="nowrap">{formatDate(p.receivedAt, lang)}</td>
                <td className="mono">{p.districtCode ?? '—'}</td>
                <td>{p.kind ? t(KINDS[p.kind]) : <span className="muted">{t('petitions.none')}</span>}</td>
                <td>{p.petitionerName ?? ''}</td>
                <td>{t(STATUSES[p.status])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {current ? <PetitionForm key={current.id} petition={current} onSaved={load} /> : null}
    </section>
  );
}

function PetitionForm(p: { petition: Petition; onSaved: () => void }) {
  const { t, lang } = useUi();
  const e0 = p.petition;
  const [form, setForm] = useState({
    kind: e0.kind ?? '',
    summary: e0.summary ?? '',
    petitionerName: e0.petitionerName ?? '',
    petitionerPhone: e0.petitionerPhone ?? '',
    status: e0.status,
    forwardedTo: e0.forwardedTo ?? '',
    forwardedAt: e0.forwardedAt === null ? '' : dayInput(dayOf(e0.forwardedAt), lang),
    result: e0.result ?? '',
  });
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<typeof form>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const day = form.forwardedAt.trim() ? parseDay(form.forwardedAt) : '';
    if (day === null) return setError(t('badDay'));
    try {
      await api('PUT', `/petitions/${e0.id}`, {
        kind: form.kind || null,
        summary: form.summary,
        petitionerName: form.petitionerName,
        petitionerPhone: form.petitionerPhone,
        status: form.status,
        forwardedTo: form.forwardedTo,
        forwardedAt: day ? dayStart(day) : null,
        result: form.result,
      });
      setSaved(true);
      p.onSaved();
    } catch (err) {
      setError(reasonOf(t, err));
    }
  };

  return (
    <form className="card petition-form" onSubmit={(e) => void save(e)} data-testid="petition-form">
      <h2>
        {t('petitions.number')} {e0.registerNumber}{' '}
        {e0.handoffId !== null ? (
          <Link to={`/chat/${e0.handoffId}`} className="small">
            {t('petitions.chat')}
          </Link>
        ) : null}
      </h2>
      {e0.words ? (
        <blockquote className="petition-words" data-testid="petition-words">
          <span className="muted small">{t('petitions.words')}</span>
          <br />
          {e0.words}
        </blockquote>
      ) : null}
      <div className="form-grid">
        <label>
          {t('petitions.kind')}
          <select value={form.kind} onChange={(e) => set({ kind: e.target.value as Petition['kind'] & string })} data-testid="petition-kind">
            <option value="">{t('petitions.none')}</option>
            {(Object.keys(KINDS) as Array<keyof typeof KINDS>).map((k) => (
              <option key={k} value={k}>
                {t(KINDS[k])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('petitions.status')}
          <select value={form.status} onChange={(e) => set({ status: e.target.value as Petition['status'] })} data-testid="petition-status">
            {(Object.keys(STATUSES) as Array<Petition['status']>).map((s) => (
              <option key={s} value={s}>
                {t(STATUSES[s])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('petitions.name')}
          <input value={form.petitionerName} maxLength={200} onChange={(e) => set({ petitionerName: e.target.value })} data-testid="petition-name" />
        </label>
        <label>
          {t('petitions.phone')}
          <input value={form.petitionerPhone} maxLength={40} onChange={(e) => set({ petitionerPhone: e.target.value })} data-testid="petition-phone" />
        </label>
        <label>
          {t('petitions.forwardedTo')}
          <input value={form.forwardedTo} maxLength={200} onChange={(e) => set({ forwardedTo: e.target.value })} data-testid="petition-forwarded-to" />
        </label>
        <label>
          {t('petitions.forwardedAt')}
          <input value={form.forwardedAt} onChange={(e) => set({ forwardedAt: e.target.value })} data-testid="petition-forwarded-at" />
        </label>
      </div>
      <label>
        {t('petitions.summary')}
        <textarea value={form.summary} rows={3} maxLength={2000} onChange={(e) => set({ summary: e.target.value })} data-testid="petition-summary" />
      </label>
      <label>
        {t('petitions.result')}
        <textarea value={form.result} rows={3} maxLength={2000} onChange={(e) => set({ result: e.target.value })} data-testid="petition-result" />
      </label>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <p className="actions">
        <button type="submit" className="primary" data-testid="petition-save">
          {t('petitions.save')}
        </button>
        {saved ? <span className="ok" data-testid="petition-saved"> {t('petitions.saved')}</span> : null}
      </p>
      {e0.updatedBy ? <p className="muted small">{t('petitions.updated', { at: formatDateTime(e0.updatedAt, lang), by: e0.updatedBy })}</p> : null}
    </form>
  );
}
