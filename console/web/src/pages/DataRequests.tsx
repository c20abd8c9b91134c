import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { formatDate, formatDateTime } from '../format';
import type { Key, T } from '../i18n';
import { Link, useUi } from '../ui';
import { reasonOf } from './settings/reason';

/**
 * Citizens' data requests (PDPA): the list with the deadline the law sets, and one request with what deleting
 * would erase and keep, decided with a reason the citizen reads. The server decides who sees which request and
 * carries the decision out; the page shows what it answered.
 */
interface RetainedCase {
  trackingNumber: string;
  reason: 'open' | 'retention';
  until?: number;
}

interface Outcome {
  erasedCases: string[];
  kept: RetainedCase[];
  /** Absent from an outcome recorded before petitions were listed. */
  keptPetitions?: Array<{ registerNumber: string; until?: number }>;
  counts: Partial<Record<string, number>>;
  unlinked: boolean;
}

interface DataRequest {
  id: number;
  kind: 'deletion' | 'export';
  status: string;
  requestedAt: number;
  dueAt: number;
  overdue: boolean;
  decidedAt: number | null;
  decidedBy: string | null;
  decisionNote: string | null;
  districtCodes: string[];
  outcome: Outcome | null;
}

const STATUSES: Record<string, Key> = {
  pending: 'privacy.status.pending',
  done: 'privacy.status.done',
  refused: 'privacy.status.refused',
  issued: 'privacy.status.issued',
  downloaded: 'privacy.status.downloaded',
  superseded: 'privacy.status.superseded',
};
const statusLabel = (t: T, status: string): string => (STATUSES[status] ? t(STATUSES[status]) : status);

export function DataRequestsPage() {
  const { t, lang } = useUi();
  const [rows, setRows] = useState<DataRequest[] | null>(null);
  const [days, setDays] = useState(30);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ requests: DataRequest[]; decisionDays: number }>('GET', '/data-requests')
      .then((r) => {
        setRows(r.requests);
        setDays(r.decisionDays);
      })
      .catch((err: unknown) => setError(reasonOf(t, err)));
  }, [t]);

  return (
    <section className="data-requests-page">
      <h1>{t('privacy.title')}</h1>
      <p className="muted">{t('privacy.help', { days })}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {rows === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {rows?.length === 0 ? <p className="empty">{t('privacy.empty')}</p> : null}
      {rows && rows.length > 0 ? (
        <table className="cases" data-testid="data-requests">
          <thead>
            <tr>
              <th>{t('privacy.number')}</th>
              <th>{t('privacy.kind')}</th>
              <th>{t('privacy.requestedAt')}</th>
              <th>{t('privacy.dueAt')}</th>
              <th>{t('privacy.status')}</th>
              <th>{t('privacy.districts')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="data-request-row" data-kind={r.kind} data-status={r.status} className={r.overdue ? 'overdue' : undefined}>
                <td className="mono">{r.id}</td>
                <td>{t(r.kind === 'deletion' ? 'privacy.kind.deletion' : 'privacy.kind.export')}</td>
                <td className="nowrap">{formatDate(r.requestedAt, lang)}</td>
                <td className="nowrap">
                  {r.status === 'pending' ? formatDate(r.dueAt, lang) : '—'}
                  {r.overdue ? <strong className="badge late"> {t('privacy.overdue')}</strong> : null}
                </td>
                <td>{statusLabel(t, r.status)}</td>
                <td className="mono">{r.districtCodes.length ? r.districtCodes.join(', ') : <span className="muted">{t('privacy.noPlace')}</span>}</td>
                <td>
                  <Link to={`/data-requests/${r.id}`} testId={`open-request-${r.id}`}>
                    {t('privacy.open')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function DataRequestPage(p: { id: number }) {
  const { t, lang } = useUi();
  const [request, setRequest] = useState<DataRequest | null>(null);
  const [plan, setPlan] = useState<Outcome | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ request: DataRequest; plan: Outcome | null }>('GET', `/data-requests/${p.id}`)
      .then((r) => {
        setRequest(r.request);
        setPlan(r.plan);
      })
      .catch((err: unknown) => setError(reasonOf(t, err)));
  }, [p.id, t]);
  useEffect(load, [load]);

  const decide = async (decision: 'approve' | 'refuse', e?: FormEvent) => {
    e?.preventDefault();
    if (decision === 'approve' && !confirm(t('privacy.approveConfirm'))) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ request: DataRequest }>('POST', `/data-requests/${p.id}/decision`, { decision, note });
      setRequest(r.request);
      setPlan(null);
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="data-request-page">
      <Link to="/data-requests" className="back">
        ← {t('privacy.back')}
      </Link>
      <h1>{t('privacy.requestTitle', { id: p.id })}</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {request === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {request ? (
        <div className="card" data-testid="data-request" data-status={request.status}>
          <p>
            {t(request.kind === 'deletion' ? 'privacy.kind.deletion' : 'privacy.kind.export')} · {t('privacy.requestedAt')} {formatDate(request.requestedAt, lang)}
            {request.status === 'pending' ? (
              <>
                {' '}· {t('privacy.dueAt')} <strong>{formatDate(request.dueAt, lang)}</strong>
                {request.overdue ? <strong className="badge late"> {t('privacy.overdue')}</strong> : null}
              </>
            ) : null}
          </p>
          <p data-testid="data-request-status">{statusLabel(t, request.status)}</p>
          {plan ? <Plan t={t} lang={lang} plan={plan} /> : null}
          {request.kind === 'deletion' && request.status === 'pending' ? (
            <form className="decision" onSubmit={(e) => void decide('approve', e)}>
              <label>
                {t('privacy.note')}
                <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} rows={3} data-testid="decision-note" />
              </label>
              <div className="actions">
                <button type="submit" className="primary danger" disabled={busy || note.trim().length < 3} data-testid="approve">
                  {t('privacy.approve')}
                </button>
                <button type="button" disabled={busy || note.trim().length < 3} onClick={() => void decide('refuse')} data-testid="refuse">
                  {t('privacy.refuse')}
                </button>
              </div>
            </form>
          ) : null}
          {request.decidedBy && request.decidedAt ? (
            <div data-testid="decision">
              <p>{t('privacy.decided', { by: request.decidedBy, at: formatDateTime(request.decidedAt, lang) })}</p>
              {request.decisionNote ? <p>{t('privacy.decisionNote', { note: request.decisionNote })}</p> : null}
              {request.outcome ? <Plan t={t} lang={lang} plan={request.outcome} done /> : null}
              {request.kind === 'deletion' ? <p className="muted">{t('privacy.told')}</p> : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function Plan(p: { t: T; lang: 'th' | 'en'; plan: Outcome; done?: boolean }) {
  const { t, lang, plan } = p;
  const c = plan.counts;
  return (
    <div className="plan" data-testid={p.done ? 'outcome' : 'plan'}>
      {p.done ? null : <h2>{t('privacy.plan')}</h2>}
      <ul>
        <li>{plan.erasedCases.length ? t('privacy.erase.cases', { numbers: plan.erasedCases.join(', ') }) : t('privacy.erase.noCases')}</li>
        <li>{t('privacy.erase.chats', { messages: c.chatMessages ?? 0, replies: c.officerMessages ?? 0, media: c.media ?? 0 })}</li>
        <li>{t('privacy.erase.profile')}</li>
        {plan.unlinked ? <li data-testid="unlink">{t('privacy.unlink')}</li> : null}
      </ul>
      {plan.kept.length || plan.keptPetitions?.length ? (
        <>
          <h3>{t('privacy.keep')}</h3>
          <ul data-testid="kept">
            {plan.kept.map((k) => (
              <li key={k.trackingNumber}>
                {k.reason === 'open' || k.until === undefined
                  ? t('privacy.keep.open', { number: k.trackingNumber })
                  : t('privacy.keep.until', { number: k.trackingNumber, date: formatDate(k.until, lang) })}
              </li>
            ))}
            {(plan.keptPetitions ?? []).map((k) => (
              <li key={k.registerNumber} data-testid="kept-petition">
                {k.until === undefined
                  ? t('privacy.keep.petitionOpen', { number: k.registerNumber })
                  : t('privacy.keep.petitionUntil', { number: k.registerNumber, date: formatDate(k.until, lang) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
