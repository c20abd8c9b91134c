import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, API, type Assignee, type CaseDetail } from '../api';
import { Link, useUi } from '../ui';
import { formatDate, formatDateTime, formatDay, formatPhone, formatPlace } from '../format';
import { codeLabel, STATUSES, type Key, type T } from '../i18n';
import { caseTexts } from '../texts/case';
import { MoveDistrict } from './MoveDistrict';
import { Evidence } from './case/Evidence';
import { Person } from './case/Person';

/** A case in one of these is closed (cases/types.ts CLOSED_STATUSES): it changes only by being reopened. */
const CLOSED = ['ended', 'not_accepted', 'withdrawn'];
const AGENCY_MAX = 200;

/** The Ministry's reason in the officer's words; an unknown code is shown as it is. */
function reasonLabel(t: T, code: string): string {
  const key = `reason.${code}`;
  return key in caseTexts.th ? t(key as Key) : code;
}

/**
 * One case: what the citizen wrote (as text), the personal data the officer may see (the server logs the view
 * and hides what she may not), the timeline with internal notes marked and reasons and agencies in words,
 * attachments, a note, a status change (a reason from the Ministry's list to end or not accept, the agency's name
 * to forward), reopening a closed case, assigning it to an officer of its district. The server checks it all
 * again; the page only keeps a form from being sent half-filled.
 */
export function CasePage(p: { number: string }) {
  const { t, lang } = useUi();
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const [statusNote, setStatusNote] = useState('');
  const [reason, setReason] = useState('');
  const [agency, setAgency] = useState('');
  const [tell, setTell] = useState(true);
  const [reopenNote, setReopenNote] = useState('');
  const [reopenTell, setReopenTell] = useState(true);
  // null: this officer may not assign (or the list is not in yet): no assign form.
  const [assignees, setAssignees] = useState<Assignee[] | null>(null);
  const [assignee, setAssignee] = useState('');
  const [saved, setSaved] = useState(false);
  const path = `/cases/${encodeURIComponent(p.number)}`;

  const load = useCallback(async () => {
    try {
      const d = await api<CaseDetail>('GET', path);
      setCase(d);
      setStatus((s) => s || d.status);
      setAssignee((a) => a || (d.assignedTo ? String(d.assignedTo.officerId) : ''));
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
    }
  }, [path, t]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    api<{ officers: Assignee[] }>('GET', `${path}/assignees`)
      .then((r) => setAssignees(r.officers))
      .catch(() => setAssignees(null));
  }, [path]);

  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    setSaved(false);
    try {
      await f();
      setSaved(true);
      await load();
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
    }
  };
  const addNote = (e: FormEvent) => {
    e.preventDefault();
    if (note.trim()) void act(async () => { await api('POST', `${path}/notes`, { note: note.trim() }); setNote(''); });
  };
  const reasons = c ? (status === 'ended' ? c.reasons.ended : status === 'not_accepted' ? c.reasons.not_accepted : null) : null;
  const forwarding = status === 'forwarded';
  const unchanged = !!c && status === c.status && !(forwarding && agency.trim() !== '' && agency.trim() !== c.forwardedTo);
  const statusReady = !!c && !unchanged && (!reasons || reasons.includes(reason)) && (!forwarding || agency.trim() !== '');
  const changeStatus = (e: FormEvent) => {
    e.preventDefault();
    if (!statusReady) return;
    void act(async () => {
      await api('POST', `${path}/status`, {
        status,
        public: tell,
        ...(statusNote.trim() ? { note: statusNote.trim() } : {}),
        ...(reasons ? { reason } : {}),
        ...(forwarding ? { agency: agency.trim() } : {}),
      });
      setStatusNote('');
      setReason('');
      setAgency('');
      setStatus(''); // the select follows the case's new status when it is loaded again
    });
  };
  const reopen = (e: FormEvent) => {
    e.preventDefault();
    if (!reopenNote.trim()) return;
    void act(async () => {
      await api('POST', `${path}/reopen`, { note: reopenNote.trim(), public: reopenTell });
      setReopenNote('');
      setStatus('');
    });
  };
  const unlinkLine = () => {
    if (window.confirm(t('unlinkConfirm'))) void act(() => api('POST', `${path}/unlink-line`, {}));
  };
  const assign = (e: FormEvent) => {
    e.preventDefault();
    if (!assignee) return;
    void act(() => api('POST', `${path}/assign`, { officerId: Number(assignee) }));
  };

  if (!c) return error ? <p className="error">{error}</p> : <p className="muted">{t('loading')}</p>;
  const hidden = <span className="muted">{t('hidden')}</span>;
  const closed = CLOSED.includes(c.status);
  return (
    <section className="case-page" data-testid="case">
      <Link to="/cases" className="back">
        ← {t('back')}
      </Link>
      <h1>
        {c.number} <span className={`status s-${c.status}`}>{codeLabel(t, 'status', c.status)}</span>
        {c.confidential ? <span className="badge">{t('confidential')}</span> : null}
        {c.royalPetition ? <span className="badge royal">{t('royalPetition')}</span> : null}
      </h1>
      <div className="case-prints">
        <Link to={`${path}/receipt`} className="button" testId="case-receipt">
          {t('printReceipt')}
        </Link>
        <a className="button" href={`${API}${path}/intake-form.pdf`} target="_blank" rel="noopener" data-testid="case-intake-form">
          {t('printForm')}
        </a>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {saved ? <p className="ok">{t('saved')}</p> : null}
      <div className="columns">
        <div>
          <div className="card">
            <dl className="facts">
              <dt>{t('category')}</dt>
              <dd data-testid="case-category" data-code={c.category}>{codeLabel(t, 'category', c.category)}</dd>
              <dt>{t('channel')}</dt>
              <dd data-testid="case-channel">{codeLabel(t, 'channel', c.channel)}</dd>
              {c.channel !== 'line' ? (
                <>
                  <dt>{t('lineLinked')}</dt>
                  <dd data-testid="line-linked">
                    {c.lineLinked ? t('lineLinkedYes') : <span className="muted">{t('lineLinkedNo')}</span>}
                    {c.lineLinked ? (
                      <button type="button" className="link" onClick={unlinkLine} data-testid="unlink-line">
                        {t('unlinkLine')}
                      </button>
                    ) : null}
                  </dd>
                </>
              ) : null}
              <dt>{t('subject')}</dt>
              <dd>{c.subject}</dd>
              <dt>{t('filedAt')}</dt>
              <dd>{formatDateTime(c.createdAt, lang)}</dd>
              <dt>{t('dueAt')}</dt>
              <dd>{formatDate(c.dueAt, lang)}</dd>
              <dt>{t('assignedTo')}</dt>
              <dd data-testid="assigned-to">{c.assignedTo ? (c.assignedTo.name ?? t('unknownOfficer')) : <span className="muted">{t('notAssigned')}</span>}</dd>
              {c.forwardedTo ? (
                <>
                  <dt>{t('forwardedTo')}</dt>
                  <dd data-testid="forwarded-to">{c.forwardedTo}</dd>
                </>
              ) : null}
              {closed && c.closeReason ? (
                <>
                  <dt>{t('closedBecause')}</dt>
                  <dd data-testid="close-reason">{reasonLabel(t, c.closeReason)}</dd>
                </>
              ) : null}
              {c.reopenCount > 0 ? (
                <>
                  <dt>{t('reopenCount')}</dt>
                  <dd>{t('reopenTimes', { n: c.reopenCount })}</dd>
                </>
              ) : null}
              {c.occurredOn ? (
                <>
                  <dt>{t('occurredOn')}</dt>
                  <dd>{formatDay(c.occurredOn, lang)}</dd>
                </>
              ) : null}
              {c.location ? (
                <>
                  <dt>{t('place')}</dt>
                  <dd>{formatPlace(c.location, lang)}</dd>
                </>
              ) : null}
            </dl>
            <h2>{t('story')}</h2>
            <p className="story">{c.story}</p>
            {c.request ? (
              <>
                <h2>{t('request')}</h2>
                <p className="story">{c.request}</p>
              </>
            ) : null}
          </div>
          <div className="card">
            <h2>{t('timeline')}</h2>
            <ol className="timeline" data-testid="timeline">
              {c.timeline.map((e) => (
                <li key={e.id} className={e.public ? 'public' : 'internal'} data-testid="timeline-event">
                  <div className="when">
                    {formatDateTime(e.at, lang)}{' '}
                    <span className={`badge ${e.public ? 'pub' : 'int'}`}>{e.public ? t('public') : t('internal')}</span>
                  </div>
                  <div>
                    <strong>{codeLabel(t, 'event', e.kind)}</strong>
                    {e.statusTo ? ` → ${codeLabel(t, 'status', e.statusTo)}` : ''}
                    {e.actorName ? <span className="muted"> {t('byOfficer', { name: e.actorName })}</span> : null}
                  </div>
                  {e.assignee ? <div data-testid="event-assignee">{t('assignedEvent', { name: e.assignee.name ?? t('unknownOfficer') })}</div> : null}
                  {e.forwardedTo ? (
                    <div data-testid="event-agency">
                      {t('forwardedTo')}: {e.forwardedTo}
                    </div>
                  ) : null}
                  {e.reason ? (
                    <div data-testid="event-reason">
                      {t('closeReason')}: {reasonLabel(t, e.reason)}
                    </div>
                  ) : null}
                  {e.note ? <p className="note">{e.note}</p> : null}
                </li>
              ))}
            </ol>
          </div>
        </div>
        <div>
          <MoveDistrict number={p.number} onMoved={(visible) => void (visible && load())} />
          <div className="card">
            <h2>{t('personalData')}</h2>
            <dl className="facts">
              <dt>{t('name')}</dt>
              <dd>{c.anonymous ? t('anonymous') : (c.complainant.name ?? hidden)}</dd>
              <dt>{t('phone')}</dt>
              <dd>{c.complainant.phone ? formatPhone(c.complainant.phone) : hidden}</dd>
              <dt>{t('nationalId')}</dt>
              <dd>{c.complainant.nationalId ?? hidden}</dd>
              <dt>{t('address')}</dt>
              <dd>{c.complainant.address ?? hidden}</dd>
            </dl>
          </div>
          <Evidence number={c.number} attachments={c.attachments} />
          <Person number={c.number} />
          {assignees ? (
            <form className="card" onSubmit={assign} data-testid="assign-form">
              <h2>{t('assign')}</h2>
              <select value={assignee} onChange={(e) => setAssignee(e.target.value)} data-testid="assign-select" aria-label={t('assign')}>
                <option value="">{t('chooseOfficer')}</option>
                {assignees.map((o) => (
                  <option key={o.id} value={String(o.id)}>
                    {o.name}
                  </option>
                ))}
              </select>
              <button type="submit" className="primary" disabled={!assignee || assignee === String(c.assignedTo?.officerId ?? '')} data-testid="assign-submit">
                {t('assignSubmit')}
              </button>
            </form>
          ) : null}
          {closed ? (
            <form className="card" onSubmit={reopen} data-testid="reopen-form">
              <h2>{t('reopen')}</h2>
              <p className="muted">{t('closedHint')}</p>
              <textarea rows={2} placeholder={t('reopenNote')} value={reopenNote} onChange={(e) => setReopenNote(e.target.value)} maxLength={2000} required data-testid="reopen-note" />
              <label className="check">
                <input type="checkbox" checked={reopenTell} onChange={(e) => setReopenTell(e.target.checked)} data-testid="reopen-public" />
                {t('tellCitizen')}
              </label>
              <button type="submit" className="primary" disabled={!reopenNote.trim()} data-testid="reopen-submit">
                {t('reopenSubmit')}
              </button>
            </form>
          ) : (
            <form className="card" onSubmit={changeStatus} data-testid="status-form">
              <h2>{t('changeStatus')}</h2>
              <select
                value={status}
                onChange={(e) => {
                  setStatus(e.target.value);
                  setReason('');
                }}
                data-testid="status-select"
                aria-label={t('status')}
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {codeLabel(t, 'status', s)}
                  </option>
                ))}
              </select>
              {reasons ? (
                <label>
                  {t('closeReason')}
                  <select value={reason} onChange={(e) => setReason(e.target.value)} required data-testid="reason-select">
                    <option value="">{t('chooseReason')}</option>
                    {reasons.map((r) => (
                      <option key={r} value={r}>
                        {reasonLabel(t, r)}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              {forwarding ? (
                <label>
                  {t('agency')}
                  <input value={agency} onChange={(e) => setAgency(e.target.value)} placeholder={t('agencyPlaceholder')} maxLength={AGENCY_MAX} required data-testid="agency-input" />
                </label>
              ) : null}
              {unchanged ? <p className="muted">{t('sameStatus')}</p> : null}
              <textarea rows={2} placeholder={t('statusNote')} value={statusNote} onChange={(e) => setStatusNote(e.target.value)} maxLength={2000} />
              <label className="check">
                <input type="checkbox" checked={tell} onChange={(e) => setTell(e.target.checked)} data-testid="status-public" />
                {t('tellCitizen')}
              </label>
              <button type="submit" className="primary" disabled={!statusReady} data-testid="status-submit">
                {t('saveStatus')}
              </button>
            </form>
          )}
          <form className="card" onSubmit={addNote} data-testid="note-form">
            <h2>{t('addNote')}</h2>
            <textarea rows={3} placeholder={t('notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} data-testid="note-input" />
            <button type="submit" className="primary" disabled={!note.trim()}>
              {t('saveNote')}
            </button>
          </form>
        </div>
      </div>
    </section>
  );
}
