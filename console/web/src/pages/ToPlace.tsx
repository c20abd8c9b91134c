import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useUi } from '../ui';
import { formatDateTime } from '../format';
import { codeLabel } from '../i18n';
import { MoveDistrict } from './MoveDistrict';

interface ToPlace {
  trackingNumber: string;
  category: string;
  status: string;
  createdAt: number;
  summary: string | null;
  province: { code: string; th: string; en: string } | null;
  proposed: { code: string; th: string; en: string } | null;
}

/** The supervisors' list of cases that still have no district: each placed with its pin's district proposed. */
export function ToPlacePage() {
  const { t, lang } = useUi();
  const [cases, setCases] = useState<ToPlace[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ cases: ToPlace[] }>('GET', '/cases-to-place')
      .then((r) => setCases(r.cases))
      .catch((err: Error) => setError(t('failed', { message: err.message })));
  }, [t]);
  useEffect(load, [load]);
  return (
    <section data-testid="to-place">
      <h1>{t('place.title')}</h1>
      <p className="muted">{t('place.help')}</p>
      {error ? <p className="error">{error}</p> : null}
      {cases && cases.length === 0 ? <p data-testid="to-place-empty">{t('place.empty')}</p> : null}
      {cases?.map((c) => (
        <div key={c.trackingNumber} className="card" data-testid="to-place-case">
          <h2>{c.trackingNumber}</h2>
          <p>
            {codeLabel(t, 'category', c.category)} · {formatDateTime(c.createdAt, lang)}
            {c.province ? ` · ${c.province[lang]}` : ''}
          </p>
          {c.summary ? <p>{c.summary}</p> : null}
          {c.proposed ? null : <p className="muted">{t('place.noProposal')}</p>}
          <MoveDistrict number={c.trackingNumber} onMoved={() => setTimeout(load, 1500)} />
        </div>
      ))}
    </section>
  );
}
