import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { useUi } from '../ui';
import { formatDateTime } from '../format';
import { codeLabel } from '../i18n';
import { reasonOf } from './settings/reason';
import { intentLabel, topicLabel } from './LanguageLabels';
import { INTENTS, type Intent } from '../../../../language/intents';
import type { StoredExample } from '../../../../understanding/examples';

const EXAMPLE_PAGE = 50;

/** The training examples admins added, newest first; one typed by hand; deleting one (asked to confirm). */
export function LanguageExamples(p: { refresh: number }) {
  const { t, lang } = useUi();
  const [examples, setExamples] = useState<{ total: number; examples: StoredExample[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<{ text: string; intent: Intent }>({ text: '', intent: 'complaint' });
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setExamples(await api<{ total: number; examples: StoredExample[] }>('GET', `/language/examples?pageSize=${EXAMPLE_PAGE}`));
    } catch (err) {
      setError(reasonOf(t, err));
    }
  }, [t]);
  useEffect(() => void load(), [load, p.refresh]);

  const change = async (f: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
      await load();
      return true;
    } catch (err) {
      setError(reasonOf(t, err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await change(() => api('POST', '/language/examples', { text: draft.text, intent: draft.intent }))) setDraft({ ...draft, text: '' });
  };
  const remove = (x: StoredExample) => {
    if (!confirm(t('language.deleteConfirm', { text: x.text.slice(0, 80) }))) return;
    void change(() => api('DELETE', `/language/examples/${x.id}`));
  };

  return (
    <div className="card">
      <h2>{t('language.examples')}</h2>
      <form className="filters" onSubmit={(e) => void add(e)} data-testid="example-form">
        <input className="grow" placeholder={t('language.exampleText')} value={draft.text} maxLength={1000} onChange={(e) => setDraft({ ...draft, text: e.target.value })} data-testid="example-text" />
        <select value={draft.intent} onChange={(e) => setDraft({ ...draft, intent: e.target.value as Intent })} data-testid="example-intent">
          {INTENTS.map((i) => (
            <option key={i} value={i}>
              {intentLabel(t, i)}
            </option>
          ))}
        </select>
        <button type="submit" className="primary" disabled={busy || draft.text.trim() === ''} data-testid="example-add">
          {t('language.addTyped')}
        </button>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {examples?.examples.length === 0 ? <p className="empty">{t('language.examplesEmpty')}</p> : null}
      {examples && examples.examples.length > 0 ? (
        <table className="cases" data-testid="examples">
          <thead>
            <tr>
              <th>{t('language.exampleText')}</th>
              <th>{t('language.otherIntent')}</th>
              <th>{t('audit.who')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {examples.examples.map((x) => (
              <tr key={x.id} data-testid="example-row" data-intent={x.intent}>
                <td data-testid="example-row-text">{x.text}</td>
                <td>
                  {intentLabel(t, x.intent)}
                  {x.category ? <div className="small muted">{codeLabel(t, 'category', x.category)}</div> : null}
                  {x.topic ? <div className="small muted">{topicLabel(t, x.topic)}</div> : null}
                </td>
                <td className="small">
                  {x.addedBy} · <span className="nowrap">{formatDateTime(x.addedAt, lang)}</span>
                  <div className="muted">{x.sampleId !== null ? t('language.fromSample') : t('language.typed')}</div>
                </td>
                <td>
                  <button type="button" className="link" disabled={busy} onClick={() => remove(x)} data-testid="example-delete">
                    {t('language.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
