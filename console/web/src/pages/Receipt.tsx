import { useEffect, useState } from 'react';
import { api } from '../api';
import { Link, useUi } from '../ui';
import { formatDate, formatDateTime } from '../format';
import { codeLabel } from '../i18n';

interface Receipt {
  number: string;
  category: string;
  channel: string;
  createdAt: number;
  dueAt: number;
  complainantName: string | null;
  center: { districtCode: string; th: string; en: string } | null;
  /** The QR code (an SVG data URL) opening the center's LINE chat with "ติดตาม <number>" typed; null: no basic ID. */
  track: { lineUrl: string; message: string; qr: string } | null;
}

/**
 * The walk-in's receipt: a slip to print and hand over, with the number, the dates in Buddhist Era, and the QR code
 * that opens the center's LINE chat with the tracking message typed. Printing shows the slip alone (styles.css,
 * @media print). The server audits each time it is fetched for printing.
 */
export function ReceiptPage(p: { number: string }) {
  const { t, lang } = useUi();
  const [r, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Receipt>('GET', `/cases/${encodeURIComponent(p.number)}/receipt`)
      .then(setReceipt)
      .catch((err: Error) => setError(t('failed', { message: err.message })));
  }, [p.number, t]);

  if (!r) return error ? <p className="error">{error}</p> : <p className="muted">{t('loading')}</p>;
  return (
    <section className="receipt-page">
      <div className="no-print receipt-actions">
        <Link to={`/cases/${encodeURIComponent(r.number)}`} className="back">
          ← {t('back')}
        </Link>
        <button type="button" className="primary" onClick={() => window.print()} data-testid="receipt-print">
          {t('print')}
        </button>
      </div>
      <article className="receipt" data-testid="receipt">
        <header>
          <strong>{t('receiptTitle')}</strong>
          <span>{r.center ? t('receiptCenter', { district: lang === 'th' ? r.center.th : r.center.en }) : t('receiptCenterUnknown')}</span>
        </header>
        <p className="receipt-label">{t('receiptNumber')}</p>
        <p className="receipt-number" data-testid="receipt-number">
          {r.number}
        </p>
        <dl>
          <dt>{t('receiptReceived')}</dt>
          <dd data-testid="receipt-received">{formatDateTime(r.createdAt, lang)}</dd>
          <dt>{t('channel')}</dt>
          <dd>{codeLabel(t, 'channel', r.channel)}</dd>
          <dt>{t('category')}</dt>
          <dd>{codeLabel(t, 'category', r.category)}</dd>
          {r.complainantName ? (
            <>
              <dt>{t('receiptName')}</dt>
              <dd>{r.complainantName}</dd>
            </>
          ) : null}
          <dt>{t('receiptDue')}</dt>
          <dd data-testid="receipt-due">{formatDate(r.dueAt, lang)}</dd>
        </dl>
        {r.track ? (
          <div className="receipt-track">
            <img src={r.track.qr} alt={r.track.lineUrl} data-testid="receipt-qr" />
            <div>
              <strong>{t('receiptTrack')}</strong>
              <p>{t('receiptTrackHow', { message: r.track.message })}</p>
            </div>
          </div>
        ) : (
          <p className="muted">{t('receiptNoQr')}</p>
        )}
        <p className="receipt-foot">{t('receiptHotline')}</p>
      </article>
    </section>
  );
}
