import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type DistrictCannedReply } from '../../api';
import { useUi } from '../../ui';
import type { Key } from '../../i18n';
import { reasonOf } from './reason';
import { useCardAction } from './card-action';

interface Draft {
  title: string;
  textTh: string;
  textEn: string;
}

const EMPTY: Draft = { title: '', textTh: '', textEn: '' };
const FIELD: Record<string, Key> = { title: 'settings.cannedTitle', textTh: 'settings.cannedTh', textEn: 'settings.cannedEn' };

/**
 * The district's canned replies, in Thai and English: the officers pick one in a chat and the citizen gets the one
 * of their language. List, add, edit, delete.
 */
export function CannedRepliesCard(p: { district: string }) {
  const { t } = useUi();
  const [replies, setReplies] = useState<DistrictCannedReply[] | null>(null);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const { error, setError, run } = useCardAction();
  const fieldName = (path: string) => (FIELD[path] ? t(FIELD[path]) : path);

  const load = useCallback(async () => {
    try {
      setReplies((await api<{ cannedReplies: DistrictCannedReply[] }>('GET', `/canned-replies?district=${p.district}`)).cannedReplies);
    } catch (err) {
      setError(reasonOf(t, err));
    }
  }, [p.district, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async (id: number | 'new', d: Draft) => {
    await run(async () => {
      if (id === 'new') await api('POST', '/canned-replies', { districtCode: p.district, ...d });
      else await api('PUT', `/canned-replies/${id}`, d);
      setEditing(null);
      await load();
    }, { fieldName });
  };

  const remove = (c: DistrictCannedReply) =>
    run(async () => {
      await api('DELETE', `/canned-replies/${c.id}`);
      await load();
    }, { confirm: t('settings.removeConfirm', { what: c.title }) });

  return (
    <section className="card settings-card" data-testid="canned-card">
      <h2>{t('cannedReplies')}</h2>
      <p className="muted">{t('settings.cannedHelp')}</p>
      {replies === null ? <p className="muted">{t('loading')}</p> : null}
      {replies?.length === 0 ? <p className="muted">{t('cannedNone')}</p> : null}
      <ul className="canned-list">
        {replies?.map((c) =>
          editing === c.id ? (
            <li key={c.id}>
              <CannedForm initial={c} onSave={(d) => save(c.id, d)} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <li key={c.id} data-testid="canned-reply">
              <div className="canned-head">
                <strong data-testid="canned-title">{c.title}</strong>
                <button type="button" className="link" onClick={() => setEditing(c.id)} data-testid="canned-edit">
                  {t('settings.edit')}
                </button>
                <button type="button" className="link" onClick={() => void remove(c)} data-testid="canned-delete">
                  {t('settings.remove')}
                </button>
              </div>
              <p className="canned-text">
                <span className="lang-tag">TH</span> {c.textTh}
              </p>
              <p className="canned-text">
                <span className="lang-tag">EN</span> {c.textEn}
              </p>
            </li>
          ),
        )}
      </ul>
      {editing === 'new' ? (
        <CannedForm initial={EMPTY} onSave={(d) => save('new', d)} onCancel={() => setEditing(null)} />
      ) : (
        <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="canned-new">
          {t('settings.cannedAdd')}
        </button>
      )}
      {error ? <p className="error" role="alert">{error}</p> : null}
    </section>
  );
}

function CannedForm(p: { initial: Draft; onSave: (d: Draft) => Promise<void>; onCancel: () => void }) {
  const { t } = useUi();
  const [d, setDraft] = useState<Draft>({ title: p.initial.title, textTh: p.initial.textTh, textEn: p.initial.textEn });
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((x) => ({ ...x, ...patch }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await p.onSave({ title: d.title.trim(), textTh: d.textTh.trim(), textEn: d.textEn.trim() });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack canned-form" onSubmit={(e) => void submit(e)} data-testid="canned-form">
      <label>
        {t('settings.cannedTitle')}
        <input required maxLength={200} value={d.title} onChange={(e) => set({ title: e.target.value })} data-testid="canned-title-input" />
      </label>
      <label>
        {t('settings.cannedTh')}
        <textarea required rows={2} maxLength={5000} value={d.textTh} onChange={(e) => set({ textTh: e.target.value })} data-testid="canned-th-input" />
      </label>
      <label>
        {t('settings.cannedEn')}
        <textarea required rows={2} maxLength={5000} value={d.textEn} onChange={(e) => set({ textEn: e.target.value })} data-testid="canned-en-input" />
      </label>
      <span className="row">
        <button type="submit" className="primary" disabled={busy} data-testid="canned-save">
          {t('settings.save')}
        </button>
        <button type="button" className="link" onClick={p.onCancel}>
          {t('cancel')}
        </button>
      </span>
    </form>
  );
}
