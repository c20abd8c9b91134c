import { useState } from 'react';
import { API, type CaseDetail } from '../../api';
import { formatDate } from '../../format';
import { useUi } from '../../ui';

/**
 * A case's evidence: photos as thumbnails that open in a viewer, videos and voice played in the page, other files
 * to download. Every fetch of the bytes goes through the case's own access rule and is audited on the server (a
 * view as case.view_file, a download as case.download_file); the page loads a photo only when it is shown.
 */
type Attachment = CaseDetail['attachments'][number];

const urlOf = (number: string, id: number, download = false) => `${API}/cases/${encodeURIComponent(number)}/attachments/${id}${download ? '?download=1' : ''}`;

export function Evidence(p: { number: string; attachments: readonly Attachment[] }) {
  const { t, lang } = useUi();
  const [open, setOpen] = useState<Attachment | null>(null);
  const photos = p.attachments.filter((a) => a.contentType.startsWith('image/'));
  const others = p.attachments.filter((a) => !a.contentType.startsWith('image/'));
  return (
    <div className="card" data-testid="evidence">
      <h2>{t('attachments')}</h2>
      {p.attachments.length === 0 ? <p className="muted">{t('noAttachments')}</p> : null}
      {photos.length ? (
        <ul className="thumbs">
          {photos.map((a) => (
            <li key={a.id}>
              <button type="button" className="thumb" onClick={() => setOpen(a)} title={t('evidenceOpen')} data-testid="evidence-thumb">
                <img src={urlOf(p.number, a.id)} alt={a.fileName ?? t('evidencePhoto')} loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {others.length ? (
        <ul className="attachments">
          {others.map((a) => (
            <li key={a.id} data-testid="evidence-file">
              {a.contentType.startsWith('video/') ? <video controls preload="none" src={urlOf(p.number, a.id)} className="evidence-media" /> : null}
              {a.contentType.startsWith('audio/') ? <audio controls preload="none" src={urlOf(p.number, a.id)} /> : null}
              <a href={urlOf(p.number, a.id, true)} download>
                📎 {a.fileName ?? a.mediaType}
              </a>{' '}
              <span className="muted small">
                {a.contentType} · {Math.ceil(a.size / 1024)} KB · {formatDate(a.createdAt, lang)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {open ? (
        <div className="viewer" role="dialog" aria-modal="true" onClick={() => setOpen(null)} data-testid="evidence-viewer">
          <figure onClick={(e) => e.stopPropagation()}>
            <img src={urlOf(p.number, open.id)} alt={open.fileName ?? t('evidencePhoto')} />
            <figcaption>
              {open.fileName ?? t('evidencePhoto')} · {Math.ceil(open.size / 1024)} KB · {formatDate(open.createdAt, lang)} ·{' '}
              <a href={urlOf(p.number, open.id, true)} download data-testid="evidence-download">
                {t('evidenceDownload')}
              </a>{' '}
              <button type="button" className="link" onClick={() => setOpen(null)} data-testid="evidence-close">
                {t('evidenceClose')}
              </button>
            </figcaption>
          </figure>
        </div>
      ) : null}
    </div>
  );
}
