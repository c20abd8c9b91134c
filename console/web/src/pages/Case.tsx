import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type CaseDetail } from '../api';
import { Link, useUi } from '../App';
import { formatDate, formatDateTime, formatDay, formatPhone, formatPlace } from '../format';
import { codeLabel, STATUSES } from '../i18n';

/**
 * One case: what the citizen wrote (as text), the personal data the officer may see (the server logs the view
 * and hides what she may not), the timeline with internal notes marked, attachments, a note, a status change.
 */
export function CasePage(p: { number: string }) {
  const { t, lang } = useUi();
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const [statusNote, setStatusNote] = useState('');
  const [tell, setTell] = useState(true);
  const [saved, setSaved] = useState(false);
  const path = `/cases/${encodeURIComponent(p.number)}`;

  const load = useCallback(async () => {
    try {
      const d = await api<CaseDetail>('GET', path);
      setCase(d);
      setStatus((s) => s || d.status);
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
    }
  }, [path, t]);
  useEffect(() => {
    void load();
  }, [load]);

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
  const changeStatus = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await api('POST', `${path}/status`, { status, public: tell, ...(statusNote.trim() ? { note: statusNote.trim() } : {}) });
      setStatusNote('');
    });
  };

  if (!c) return error ? <p className="error">{error}</p> : <p className="muted">{t('loading')}</p>;
  const hidden = <span className="muted">{t('hidden')}</span>;
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
      {error ? <p className="error" role="alert">{error}</p> : null}
      {saved ? <p className="ok">{t('saved')}</p> : null}
      <div className="columns">
        <div>
          <div className="card">
            <dl className="facts">
              <dt>{t('category')}</dt>
              <dd>{codeLabel(t, 'category', c.category)}</dd>
              <dt>{t('subject')}</dt>
              <dd>{c.subject}</dd>
              <dt>{t('filedAt')}</dt>
              <dd>{formatDateTime(c.createdAt, lang)}</dd>
              <dt>{t('dueAt')}</dt>
              <dd>{formatDate(c.dueAt, lang)}</dd>
              {c.occurredOn ? (
                <>
                  <dt>{t('occurredOn')}</dt>
                  <dd>{formatDay(c.occurredOn, lang)}</dd>
                </>
              ) : null}
              {c.location ? (
                <>
                  <dt>{t('place')}</dt>
                  <dd>{formatPlace(c.location)}</dd>
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
                  </div>
                  {e.note ? <p className="note">{e.note}</p> : null}
                </li>
              ))}
            </ol>
          </div>
        </div>
        <div>
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
          <div className="card">
            <h2>{t('attachments')}</h2>
            {c.attachments.length === 0 ? <p className="muted">{t('noAttachments')}</p> : null}
            <ul className="attachments">
              {c.attachments.map((a) => (
                <li key={a.id}>
                  📎 {a.fileName ?? a.mediaType} · {a.contentType} · {Math.ceil(a.size / 1024)} KB · {formatDate(a.createdAt, lang)}
                </li>
              ))}
            </ul>
          </div>
          <form className="card" onSubmit={changeStatus} data-testid="status-form">
            <h2>{t('changeStatus')}</h2>
            <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="status-select">
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {codeLabel(t, 'status', s)}
                </option>
              ))}
            </select>
            <textarea rows={2} placeholder={t('statusNote')} value={statusNote} onChange={(e) => setStatusNote(e.target.value)} maxLength={2000} />
            <label className="check">
              <input type="checkbox" checked={tell} onChange={(e) => setTell(e.target.checked)} data-testid="status-public" />
              {t('tellCitizen')}
            </label>
            <button type="submit" className="primary">
              {t('saveStatus')}
            </button>
          </form>
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
