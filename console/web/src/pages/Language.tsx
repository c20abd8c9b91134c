import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useUi } from '../ui';
import { formatDateTime } from '../format';
import { codeLabel, type Key, type T } from '../i18n';
import { navigate } from '../router';
import { reasonOf } from './settings/reason';
import { LanguageExamples } from './LanguageExamples';
import { LanguageModels } from './LanguageModels';
import { intentLabel, topicLabel } from './LanguageLabels';
import { INTENTS, SUBJECTS, type Intent, type Subject } from '../../../../language/intents';
import { CATEGORIES, type Category } from '../../../../language/categories';
import type { Sample, SampleReason, SampleStatus } from '../../../../understanding/samples';

export const SAMPLE_PAGE = 20;
const STATUSES: readonly SampleStatus[] = ['new', 'added', 'dismissed'];
const REASONS: readonly SampleReason[] = ['low_confidence', 'not_understood', 'corrected'];


/** What the one click adds a sample as. */
export interface Label {
  intent: Intent;
  category?: Category;
  topic?: Subject;
}

/**
 * Pure: the label a sample proposes for its one click. The reading's intent; for a corrected proposal, the
 * flow's intent with what the citizen chose (a category or a topic) in place of what was proposed.
 */
export function proposedLabel(s: Pick<Sample, 'intent' | 'correction'>): Label {
  const intent: Intent = (INTENTS as readonly string[]).includes(s.intent) ? (s.intent as Intent) : 'complaint';
  const label: Label = { intent };
  const c = s.correction;
  if (intent === 'complaint' && c) {
    if (c.slot === 'category' && (CATEGORIES as readonly string[]).includes(c.chosen)) label.category = c.chosen as Category;
    if (c.slot === 'topic' && (SUBJECTS as readonly string[]).includes(c.chosen)) label.topic = c.chosen as Subject;
  }
  return label;
}

/** The body of POST /language/samples/:id/example: a category and a topic only for a complaint. */
export function exampleBody(l: Label): Label {
  return l.intent === 'complaint' ? { intent: l.intent, ...(l.category ? { category: l.category } : {}), ...(l.topic ? { topic: l.topic } : {}) } : { intent: l.intent };
}

export interface SampleFilters {
  status: SampleStatus;
  reason: SampleReason | '';
  page: number;
}

/** Pure: the page's query string ↔ its filters (new samples, every reason, the first page by default). */
export function sampleFiltersOf(search: string): SampleFilters {
  const s = new URLSearchParams(search);
  const status = s.get('status') as SampleStatus;
  const reason = s.get('reason') as SampleReason;
  const page = Number(s.get('page'));
  return {
    status: STATUSES.includes(status) ? status : 'new',
    reason: REASONS.includes(reason) ? reason : '',
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

export function sampleSearchOf(f: SampleFilters): string {
  const s = new URLSearchParams();
  if (f.status !== 'new') s.set('status', f.status);
  if (f.reason) s.set('reason', f.reason);
  if (f.page > 1) s.set('page', String(f.page));
  const q = s.toString();
  return q ? `?${q}` : '';
}

/** A proposed or chosen value in words: a category's name for the category question, else as it is. */
function slotValue(t: T, slot: string, value: string): string {
  if (slot === 'category') return codeLabel(t, 'category', value);
  if (slot === 'topic') return topicLabel(t, value);
  return value;
}

const SLOTS: Record<string, Key> = { category: 'language.slot.category', topic: 'language.slot.topic', anonymous: 'language.slot.anonymous' };

/** How the bot read it, in words. */
export function readingText(t: T, s: Pick<Sample, 'intent' | 'confidence' | 'correction'>): string {
  const c = s.correction;
  if (c) return t('language.corrected', { slot: SLOTS[c.slot] ? t(SLOTS[c.slot]!) : c.slot, proposed: slotValue(t, c.slot, c.proposed), chosen: slotValue(t, c.slot, c.chosen) });
  return t('language.readAs', { intent: intentLabel(t, s.intent), confidence: Math.round(s.confidence * 100) });
}

/**
 * Learning from the field, for admins: the messages the bot kept (masked, without their sender) with why and how
 * it read them, each turned into a training example with one click or dismissed; the examples; the model versions.
 */
export function LanguagePage(p: { search: string }) {
  const { t } = useUi();
  const filters = sampleFiltersOf(p.search);
  const [samples, setSamples] = useState<{ total: number; samples: Sample[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped when an example is added, so the examples list reads again.
  const [examplesVersion, setExamplesVersion] = useState(0);

  const load = useCallback(async () => {
    const f = sampleFiltersOf(p.search);
    const q = new URLSearchParams({ status: f.status, page: String(f.page), pageSize: String(SAMPLE_PAGE) });
    if (f.reason) q.set('reason', f.reason);
    try {
      setSamples(await api<{ total: number; samples: Sample[] }>('GET', `/language/samples?${q.toString()}`));
      setError(null);
    } catch (err) {
      setError(reasonOf(t, err));
    }
  }, [p.search, t]);
  useEffect(() => {
    setSamples(null);
    void load();
  }, [load]);

  const go = (patch: Partial<SampleFilters>) => navigate(`/language${sampleSearchOf({ ...filters, page: 1, ...patch })}`);
  const reviewed = () => {
    setExamplesVersion((v) => v + 1);
    void load();
  };
  const pages = samples ? Math.max(1, Math.ceil(samples.total / SAMPLE_PAGE)) : 1;

  return (
    <section className="language-page">
      <h1>{t('language.title')}</h1>
      <p className="muted">{t('language.help')}</p>
      <div className="card">
        <h2>{t('language.samples')}</h2>
        <div className="filters" data-testid="sample-filters">
          {STATUSES.map((s) => (
            <button key={s} type="button" className={s === filters.status ? 'primary' : undefined} onClick={() => go({ status: s })} data-testid={`sample-status-${s}`}>
              {t(`language.status.${s}` as Key)}
            </button>
          ))}
          <select value={filters.reason} onChange={(e) => go({ reason: e.target.value as SampleReason | '' })} data-testid="sample-reason">
            <option value="">{t('language.anyReason')}</option>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`language.reason.${r}` as Key)}
              </option>
            ))}
          </select>
          {samples ? <span className="muted" data-testid="sample-total">{t('language.total', { n: samples.total })}</span> : null}
        </div>
        {error ? <p className="error" role="alert">{error}</p> : null}
        {samples === null && !error ? <p className="muted">{t('loading')}</p> : null}
        {samples?.samples.length === 0 ? <p className="empty">{t('language.samplesEmpty')}</p> : null}
        {samples && samples.samples.length > 0 ? (
          <table className="cases" data-testid="samples">
            <tbody>
              {samples.samples.map((s) => (
                <SampleRow key={s.id} sample={s} onReviewed={reviewed} />
              ))}
            </tbody>
          </table>
        ) : null}
        {pages > 1 ? (
          <div className="pager">
            <button type="button" disabled={filters.page <= 1} onClick={() => go({ page: filters.page - 1 })}>
              {t('previous')}
            </button>
            <span>{t('page', { n: filters.page })}</span>
            <button type="button" disabled={filters.page >= pages} onClick={() => go({ page: filters.page + 1 })}>
              {t('next')}
            </button>
          </div>
        ) : null}
      </div>
      <LanguageExamples refresh={examplesVersion} />
      <LanguageModels />
    </section>
  );
}

/** One kept message: its words, why, how it was read, and the one click (with another meaning to choose). */
function SampleRow(p: { sample: Sample; onReviewed: () => void }) {
  const { t, lang } = useUi();
  const s = p.sample;
  const [label, setLabel] = useState<Label>(() => proposedLabel(s));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (change: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await change();
      p.onReviewed();
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  };
  const add = () => run(() => api('POST', `/language/samples/${s.id}/example`, exampleBody(label)));
  const dismiss = () => run(() => api('POST', `/language/samples/${s.id}/dismiss`));

  return (
    <tr data-testid="sample-row" data-id={s.id} data-reason={s.reason}>
      <td>
        <div className="story" data-testid="sample-text">
          {s.text}
        </div>
        <div className="small">
          <span className="badge" data-testid="sample-reason-label">
            {t(`language.reason.${s.reason}` as Key)}
          </span>{' '}
          <span data-testid="sample-reading">{readingText(t, s)}</span> · <span className="muted nowrap">{formatDateTime(s.at, lang)}</span>
        </div>
        {error ? <p className="error" role="alert">{error}</p> : null}
      </td>
      <td className="nowrap">
        {s.status === 'new' ? (
          <div className="row">
            <select aria-label={t('language.otherIntent')} value={label.intent} onChange={(e) => setLabel({ ...label, intent: e.target.value as Intent })} data-testid="sample-intent">
              {INTENTS.map((i) => (
                <option key={i} value={i}>
                  {intentLabel(t, i)}
                </option>
              ))}
            </select>
            {label.intent === 'complaint' ? (
              <>
                <select value={label.category ?? ''} onChange={(e) => setLabel({ ...label, category: (e.target.value || undefined) as Category | undefined })} data-testid="sample-category">
                  <option value="">{t('language.noCategory')}</option>
                  {CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {codeLabel(t, 'category', c)}
                    </option>
                  ))}
                </select>
                <select value={label.topic ?? ''} onChange={(e) => setLabel({ ...label, topic: (e.target.value || undefined) as Subject | undefined })} data-testid="sample-topic">
                  <option value="">{t('language.noTopic')}</option>
                  {SUBJECTS.map((c) => (
                    <option key={c} value={c}>
                      {topicLabel(t, c)}
                    </option>
                  ))}
                </select>
              </>
            ) : null}
            <button type="button" className="primary" disabled={busy} onClick={() => void add()} data-testid="sample-add">
              {t('language.addAs', { intent: intentLabel(t, label.intent) })}
            </button>
            <button type="button" disabled={busy} onClick={() => void dismiss()} data-testid="sample-dismiss">
              {t('language.dismiss')}
            </button>
          </div>
        ) : (
          <span className="muted small">{s.reviewedBy && s.reviewedAt ? t('language.reviewedBy', { who: s.reviewedBy, at: formatDateTime(s.reviewedAt, lang) }) : null}</span>
        )}
      </td>
    </tr>
  );
}
