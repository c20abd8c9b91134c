import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type QueueItem } from '../api';
import { useUi } from '../ui';
import { formatDate, formatDateTime, formatTime, formatWaiting } from '../format';
import type { Lang } from '../i18n';
import { navigate } from '../router';

const REFRESH_MS = 3_000;

/** "10:20 น." today; with the day (B.E. in Thai) when the answer is due another day (asked after hours). */
function answerTime(at: number, lang: Lang): string {
  if (formatDate(at, lang) !== formatDate(Date.now(), lang)) return formatDateTime(at, lang);
  return lang === 'th' ? `${formatTime(at, lang)} น.` : formatTime(at, lang);
}

/** The citizens of the officer's reach waiting for an officer, oldest first; refreshed every few seconds. */
export function QueuePage() {
  const { t, lang, officer } = useUi();
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await api<{ handoffs: QueueItem[] }>('GET', '/handoffs')).handoffs);
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
    }
  }, [t]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const claim = async (h: QueueItem) => {
    setError(null);
    try {
      await api('POST', `/handoffs/${h.id}/claim`);
      navigate(`/chat/${h.id}`);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? t('claimTaken') : t('failed', { message: (err as Error).message }));
      void load();
    }
  };

  return (
    <section>
      <h1>{t('queueTitle')}</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {items === null ? <p className="muted">{t('loading')}</p> : null}
      {items?.length === 0 ? <p className="empty" data-testid="queue-empty">{t('queueEmpty')}</p> : null}
      <ul className="queue" data-testid="queue">
        {items?.map((h) => {
          const mine = h.claimedBy?.officerId === officer.id;
          return (
            <li key={h.id} className={`card queue-item${h.royalPetition ? ' royal' : ''}`} data-testid="queue-item" data-handoff={h.id}>
              <div className="queue-who">
                <strong className="citizen-name">{h.displayName ?? t('noName')}</strong>
                {h.royalPetition ? <span className="badge royal" data-testid="royal-petition">{t('royalPetition')}</span> : null}
                <span className="muted">{h.reason === 'requested' ? t('reasonRequested') : h.royalPetition ? '' : t('reasonOther')}</span>
              </div>
              <div className="queue-when">
                <span className="waiting" data-testid="waiting">{t('waiting', { time: formatWaiting(h.waitingSeconds, t) })}</span>
                <span className="muted">{t('requestedAt', { at: formatDateTime(h.requestedAt, lang) })}</span>
                {h.overdue ? (
                  <span className="badge late" style={{ alignSelf: 'flex-start', marginLeft: 0 }} data-testid="overdue">
                    {t('queue.overdueBy', { time: formatWaiting(h.overdueSeconds, t) })}
                  </span>
                ) : h.answerBy !== null && !h.answered ? (
                  <span className="muted" data-testid="answer-by">
                    {t('queue.answerBy', { time: answerTime(h.answerBy, lang) })}
                  </span>
                ) : null}
              </div>
              <div className="queue-act">
                {h.claimedBy && !mine ? <span className="muted">{t('claimedBy', { name: h.claimedBy.name ?? '' })}</span> : null}
                {mine ? (
                  <button type="button" className="primary" onClick={() => navigate(`/chat/${h.id}`)} data-testid="open-chat">
                    {t('open')}
                  </button>
                ) : null}
                {!h.claimedBy ? (
                  <button type="button" className="primary" onClick={() => void claim(h)} data-testid="claim">
                    {t('claim')}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
