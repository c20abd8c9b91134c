import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { useUi } from '../ui';
import { formatDateTime } from '../format';

interface DistrictName {
  code: string;
  th: string;
  en: string;
}

interface CaseDistrict {
  district: DistrictName | null;
  proposed: DistrictName | null;
  moves: Array<{ at: number; from: DistrictName | null; to: DistrictName | null; reason: string | null }>;
  choices: DistrictName[];
}

/**
 * The case's district, its moves, and moving it to another district with a reason (both districts are told, the
 * move audited: console/api/case-district.ts). Shown only to those the server lets move the case; the case page
 * and the "to place" list both use it.
 */
export function MoveDistrict(p: { number: string; onMoved?: (stillVisible: boolean) => void }) {
  const { t, lang } = useUi();
  const [d, setD] = useState<CaseDistrict | null>(null);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/cases/${encodeURIComponent(p.number)}/district`;
  const load = useCallback(() => {
    api<CaseDistrict>('GET', path)
      .then((r) => {
        setD(r);
        setTo((v) => v || (r.proposed?.code ?? ''));
      })
      .catch(() => setD(null));
  }, [path]);
  useEffect(load, [load]);
  if (!d) return null;
  const name = (n: DistrictName | null) => (n ? n[lang] : '-');
  const move = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ to: DistrictName; stillVisible: boolean }>('POST', path, { district: to, reason: reason.trim() });
      setDone(t(r.stillVisible ? 'place.moved' : 'place.movedAway', { name: name(r.to) }));
      setReason('');
      p.onMoved?.(r.stillVisible);
      if (r.stillVisible) load();
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
    }
  };
  return (
    <div className="card" data-testid="case-district">
      <h2>{t('place.district')}</h2>
      <p data-testid="case-district-name">{d.district ? name(d.district) : t('place.none')}</p>
      {!d.district && d.proposed ? <p className="muted">{t('place.proposed', { name: name(d.proposed) })}</p> : null}
      {d.moves.length ? (
        <>
          <h3>{t('place.history')}</h3>
          <ul data-testid="case-moves">
            {d.moves.map((m) => (
              <li key={m.at}>
                {t('place.fromTo', { at: formatDateTime(m.at, lang), from: name(m.from), to: name(m.to) })}
                {m.reason ? <span className="muted"> ({m.reason})</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <form onSubmit={move}>
        <label>
          {d.district ? t('place.moveTo') : t('place.placeButton')}{' '}
          <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="move-district">
            <option value="">{t('place.choose')}</option>
            {d.choices
              .filter((c) => c.code !== d.district?.code)
              .map((c) => (
                <option key={c.code} value={c.code}>
                  {c[lang]}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('place.reason')}
          <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="move-reason" />
        </label>
        <button type="submit" disabled={!to || reason.trim().length < 3} data-testid="move-submit">
          {d.district ? t('place.moveButton') : t('place.placeButton')}
        </button>
      </form>
      {done ? <p className="ok" data-testid="move-done">{done}</p> : null}
      {error ? <p className="error">{error}</p> : null}
    </div>
  );
}
