import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useUi } from '../ui';
import { formatDateTime } from '../format';
import { reasonOf } from './settings/reason';
import type { ModelVersion } from '../../../../understanding/models';

type Version = ModelVersion & { live: boolean };

/**
 * The stored model versions: who trained and published each and when (Buddhist Era in Thai), which is live, and
 * publishing or unpublishing one (asked to confirm). The bot reads the change within a second, with no restart.
 */
export function LanguageModels() {
  const { t, lang } = useUi();
  const [models, setModels] = useState<{ live: number | null; versions: Version[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [training, setTraining] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setModels(await api<{ live: number | null; versions: Version[] }>('GET', '/language/models'));
    } catch (err) {
      setError(reasonOf(t, err));
    }
  }, [t]);
  useEffect(() => void load(), [load]);

  const change = async (v: Version, publish: boolean) => {
    if (!confirm(t(publish ? 'language.publishConfirm' : 'language.unpublishConfirm', { version: v.version }))) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/language/models/${v.version}/${publish ? 'publish' : 'unpublish'}`);
      await load();
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  };

  const train = async () => {
    setBusy(true);
    setError(null);
    setTraining(t('language.training'));
    try {
      const r = await api<{ version: number; accuracy: number | null; seconds: number }>('POST', '/language/models/train');
      setTraining(t('language.trainedVersion', { version: r.version, seconds: r.seconds.toFixed(1), accuracy: r.accuracy === null ? '—' : `${(r.accuracy * 100).toFixed(1)}%` }));
      await load();
    } catch (err) {
      setTraining(null);
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card">
      <h2>{t('language.models')}</h2>
      <p className="muted small">{t('language.modelsHelp')}</p>
      <p>
        <button type="button" className="primary" disabled={busy} onClick={() => void train()} data-testid="model-train">
          {t('language.train')}
        </button>
      </p>
      {training ? <p className="notice" data-testid="model-training">{training}</p> : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      {models && models.live === null && models.versions.length > 0 ? <p data-testid="model-shipped-live">{t('language.shippedLive')}</p> : null}
      {models?.versions.length === 0 ? <p className="empty">{t('language.modelsEmpty')}</p> : null}
      {models && models.versions.length > 0 ? (
        <table className="cases" data-testid="models">
          <thead>
            <tr>
              <th>{t('language.version')}</th>
              <th>{t('language.exampleCount')}</th>
              <th>{t('language.accuracy')}</th>
              <th>{t('language.trained')}</th>
              <th>{t('language.published')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.versions.map((v) => (
              <tr key={v.version} data-testid="model-row" data-version={v.version} data-live={v.live}>
                <td>
                  {v.version}
                  {v.live ? <span className="badge pub">{t('language.live')}</span> : null}
                </td>
                <td>{v.examples.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB')}</td>
                <td>{v.accuracy === null ? '—' : `${(v.accuracy * 100).toFixed(1)}%`}</td>
                <td className="small">
                  <span className="nowrap">{formatDateTime(v.trainedAt, lang)}</span>
                  <div className="muted">{v.trainedBy}</div>
                </td>
                <td className="small" data-testid="model-published">
                  {v.publishedAt === null ? (
                    <span className="muted">{t('language.notPublished')}</span>
                  ) : (
                    <>
                      <span className="nowrap">{formatDateTime(v.publishedAt, lang)}</span>
                      <div className="muted">{v.publishedBy}</div>
                    </>
                  )}
                </td>
                <td>
                  {v.publishedAt === null ? (
                    <button type="button" className="primary" disabled={busy} onClick={() => void change(v, true)} data-testid="model-publish">
                      {t('language.publish')}
                    </button>
                  ) : (
                    <button type="button" disabled={busy} onClick={() => void change(v, false)} data-testid="model-unpublish">
                      {t('language.unpublish')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
