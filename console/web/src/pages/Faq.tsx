import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { formatDateTime } from '../format';
import type { Key } from '../i18n';
import { useUi } from '../ui';
import { reasonOf } from './settings/reason';

/**
 * The FAQ the bot answers from: the entries in Thai and English side by side, edited by admins (supervisors read),
 * and "try a question", which asks the server's own matcher which entry would answer and how sure it is.
 */
interface Bilingual<T> {
  th: T;
  en: T;
}

interface FaqEntry {
  id: number;
  question: Bilingual<string>;
  answer: Bilingual<string>;
  keywords: Bilingual<string[]>;
  active: boolean;
  updatedAt: number;
  updatedBy: string;
}

interface TryResult {
  verdict: 'answers' | 'nothing' | 'weak' | 'tie' | 'notAQuestion';
  answer: { id: number; question: string; answer: string; score: number } | null;
  candidates: Array<{ id: number; question: string; score: number }>;
  thresholds: { min: number; sure: number };
}

interface Draft {
  question: Bilingual<string>;
  answer: Bilingual<string>;
  keywords: Bilingual<string>;
}

const EMPTY: Draft = { question: { th: '', en: '' }, answer: { th: '', en: '' }, keywords: { th: '', en: '' } };
const draftOf = (e: FaqEntry): Draft => ({ question: { ...e.question }, answer: { ...e.answer }, keywords: { th: e.keywords.th.join('\n'), en: e.keywords.en.join('\n') } });
const linesOf = (text: string) => text.split(/[\n,]/).map((k) => k.trim()).filter(Boolean);

const VERDICTS: Record<TryResult['verdict'], Key> = {
  answers: 'faq.verdict.answers',
  nothing: 'faq.verdict.nothing',
  weak: 'faq.verdict.weak',
  tie: 'faq.verdict.tie',
  notAQuestion: 'faq.verdict.notAQuestion',
};

export function FaqPage() {
  const { t, lang } = useUi();
  const [entries, setEntries] = useState<FaqEntry[] | null>(null);
  const [canEdit, setCanEdit] = useState(false);
  const [selected, setSelected] = useState<number | 'new' | null>(null);
  const [savedId, setSavedId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const saved = (e: FaqEntry) => {
    load();
    setSelected(e.id);
    setSavedId(e.id);
  };
  const select = (id: number | 'new') => {
    setSelected(id);
    setSavedId(null);
  };

  const load = useCallback(() => {
    api<{ entries: FaqEntry[]; canEdit: boolean }>('GET', '/faq')
      .then((r) => {
        setEntries(r.entries);
        setCanEdit(r.canEdit);
      })
      .catch((err: unknown) => setError(reasonOf(t, err)));
  }, [t]);
  useEffect(load, [load]);

  const current = typeof selected === 'number' ? entries?.find((e) => e.id === selected) ?? null : null;
  return (
    <section className="faq-page">
      <h1>{t('faq.title')}</h1>
      <p className="muted">{t('faq.help')}</p>
      {!canEdit && entries ? <p className="notice">{t('faq.readOnly')}</p> : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      <TryQuestion />
      <div className="faq-grid">
        <div className="card">
          {canEdit ? (
            <button type="button" onClick={() => select('new')} data-testid="faq-new">
              + {t('faq.new')}
            </button>
          ) : null}
          <ul className="faq-list" data-testid="faq-list">
            {(entries ?? []).map((e) => (
              <li key={e.id} className={e.id === selected ? 'selected' : undefined}>
                <button type="button" className="link" onClick={() => select(e.id)} data-testid="faq-entry" data-id={e.id}>
                  {e.question[lang]}
                </button>
                {e.active ? null : <span className="badge">{t('faq.inactive')}</span>}
              </li>
            ))}
          </ul>
        </div>
        <div>
          {selected === 'new' ? <EntryForm key="new" entry={null} canEdit={canEdit} onSaved={saved} /> : null}
          {current ? <EntryForm key={current.id} entry={current} canEdit={canEdit} onSaved={saved} /> : null}
          {savedId !== null && savedId === selected ? <p className="ok" data-testid="faq-status">{t('faq.saved')}</p> : null}
        </div>
      </div>
      {current ? <p className="muted small">{t('faq.updated', { at: formatDateTime(current.updatedAt, lang), by: current.updatedBy })}</p> : null}
    </section>
  );
}

function EntryForm(p: { entry: FaqEntry | null; canEdit: boolean; onSaved: (e: FaqEntry) => void }) {
  const { t } = useUi();
  const [draft, setDraft] = useState<Draft>(p.entry ? draftOf(p.entry) : EMPTY);
  const [error, setError] = useState<string | null>(null);
  const set = (field: keyof Draft, lang: 'th' | 'en', value: string) => setDraft((d) => ({ ...d, [field]: { ...d[field], [lang]: value } }));

  const send = async (body: unknown, method: 'POST' | 'PUT' | 'DELETE') => {
    setError(null);
    try {
      const path = p.entry ? `/faq/${p.entry.id}` : '/faq';
      p.onSaved(await api<FaqEntry>(method, path, body));
    } catch (err) {
      setError(reasonOf(t, err));
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void send(
      {
        question: draft.question,
        answer: draft.answer,
        keywords: { th: linesOf(draft.keywords.th), en: linesOf(draft.keywords.en) },
        ...(p.entry && !p.entry.active ? { active: true } : {}),
      },
      p.entry ? 'PUT' : 'POST',
    );
  };

  const column = (lang: 'th' | 'en') => (
    <div className="faq-column" data-testid={`faq-${lang}`}>
      <h3>{t(lang === 'th' ? 'faq.thai' : 'faq.english')}</h3>
      <label>
        {t('faq.question')}
        <input value={draft.question[lang]} onChange={(e) => set('question', lang, e.target.value)} maxLength={300} disabled={!p.canEdit} data-testid={`faq-question-${lang}`} />
      </label>
      <label>
        {t('faq.answer')}
        <textarea value={draft.answer[lang]} onChange={(e) => set('answer', lang, e.target.value)} rows={6} maxLength={1500} disabled={!p.canEdit} data-testid={`faq-answer-${lang}`} />
      </label>
      <label>
        {t('faq.keywords')}
        <textarea value={draft.keywords[lang]} onChange={(e) => set('keywords', lang, e.target.value)} rows={5} disabled={!p.canEdit} data-testid={`faq-keywords-${lang}`} />
      </label>
    </div>
  );

  return (
    <form className="card faq-form" onSubmit={save} data-testid="faq-form">
      <div className="faq-columns">
        {column('th')}
        {column('en')}
      </div>
      {error ? <p className="error" role="alert" data-testid="faq-error">{error}</p> : null}
      {p.canEdit ? (
        <div className="actions">
          <button type="submit" className="primary" data-testid="faq-save">
            {p.entry && !p.entry.active ? t('faq.restore') : t('faq.save')}
          </button>
          {p.entry?.active ? (
            <button type="button" className="danger" onClick={() => void send(undefined, 'DELETE')} data-testid="faq-remove">
              {t('faq.remove')}
            </button>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

function TryQuestion() {
  const { t, lang } = useUi();
  const [text, setText] = useState('');
  const [result, setResult] = useState<TryResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setResult(await api<TryResult>('POST', '/faq/try', { text, locale: lang }));
    } catch (err) {
      setError(reasonOf(t, err));
    }
  };
  return (
    <form className="card faq-try" onSubmit={(e) => void submit(e)} data-testid="faq-try">
      <h2>{t('faq.try')}</h2>
      <p className="muted small">{t('faq.tryHelp')}</p>
      <div className="row">
        <input className="grow" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('faq.tryPlaceholder')} maxLength={500} data-testid="faq-try-text" />
        <button type="submit" disabled={!text.trim()}>
          {t('faq.tryButton')}
        </button>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {result ? (
        <div data-testid="faq-verdict" data-verdict={result.verdict}>
          <p>
            <strong>{t(VERDICTS[result.verdict], { question: result.answer?.question ?? '', min: result.thresholds.min })}</strong>
          </p>
          {result.answer ? <p className="muted small">{t('faq.score', { score: result.answer.score, min: result.thresholds.min, sure: result.thresholds.sure })}</p> : null}
          {result.answer ? <p className="faq-answer">{result.answer.answer}</p> : null}
          {result.candidates.length > 1 || (!result.answer && result.candidates.length) ? (
            <>
              <h3>{t('faq.candidates')}</h3>
              <ul>
                {result.candidates.map((c) => (
                  <li key={c.id}>
                    {c.question} <span className="muted">({c.score})</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
