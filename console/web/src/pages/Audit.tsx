import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, type AuditEntry, type OfficerAccount } from '../api';
import { Link, useUi } from '../ui';
import { dayInput, formatDateTime, formatDay, parseDay } from '../format';
import type { Key, T } from '../i18n';
import { navigate } from '../router';
import { reasonOf } from './settings/reason';

/** Lines per page; one more is asked for to know whether an older page exists. */
export const AUDIT_PAGE = 50;

/** What the log records (console/auth/audit.ts and its writers), in words; anything else is shown as its code. */
const ACTIONS: Record<string, Key> = {
  'case.view_personal': 'auditAction.case.view_personal',
  'handoff.view_chat': 'auditAction.handoff.view_chat',
  'session.login': 'auditAction.session.login',
  'officer.create': 'auditAction.officer.create',
  'officer.disable': 'auditAction.officer.disable',
  'canned_reply.create': 'auditAction.canned_reply.create',
  'canned_reply.update': 'auditAction.canned_reply.update',
  'canned_reply.delete': 'auditAction.canned_reply.delete',
  'language.example_add': 'auditAction.language.example_add',
  'language.sample_dismiss': 'auditAction.language.sample_dismiss',
  'language.example_delete': 'auditAction.language.example_delete',
  'language.model_publish': 'auditAction.language.model_publish',
  'language.model_unpublish': 'auditAction.language.model_unpublish',
  'language.model_train': 'auditAction.language.model_train',
  'faq.create': 'auditAction.faq.create',
  'faq.update': 'auditAction.faq.update',
  'faq.remove': 'auditAction.faq.remove',
  'data_request.view': 'auditAction.data_request.view',
  'data_request.decide': 'auditAction.data_request.decide',
  'flow.draft_create': 'auditAction.flow.draft_create',
  'flow.draft_save': 'auditAction.flow.draft_save',
  'flow.draft_discard': 'auditAction.flow.draft_discard',
  'flow.import': 'auditAction.flow.import',
  'flow.publish': 'auditAction.flow.publish',
  'flow.rollback': 'auditAction.flow.rollback',
  'report.view': 'auditAction.report.view',
  'report.export': 'auditAction.report.export',
  'case.export': 'auditAction.case.export',
};
export const actionLabel = (t: T, action: string): string => (ACTIONS[action] ? t(ACTIONS[action]) : action);

export interface AuditFilters {
  officer: string;
  action: string;
  target: string;
  /** YYYY-MM-DD, Thailand's calendar day, inclusive. */
  from: string;
  to: string;
  /** Older than this entry id (the page after a page). */
  before: number | null;
}

/** Pure: the page's query string ↔ its filters, so a filtered log can be bookmarked. */
export function auditFiltersOf(search: string): AuditFilters {
  const s = new URLSearchParams(search);
  const day = (v: string | null) => parseDay(v ?? '') ?? '';
  const before = Number(s.get('before'));
  return {
    officer: /^\d+$/.test(s.get('officer') ?? '') ? s.get('officer')! : '',
    action: s.get('action') ?? '',
    target: s.get('target') ?? '',
    from: day(s.get('from')),
    to: day(s.get('to')),
    before: Number.isSafeInteger(before) && before > 0 ? before : null,
  };
}

export function auditSearchOf(f: AuditFilters): string {
  const s = new URLSearchParams();
  if (f.officer) s.set('officer', f.officer);
  if (f.action) s.set('action', f.action);
  if (f.target.trim()) s.set('target', f.target.trim());
  if (f.from) s.set('from', f.from);
  if (f.to) s.set('to', f.to);
  if (f.before) s.set('before', String(f.before));
  const q = s.toString();
  return q ? `?${q}` : '';
}

/** Midnight at the start of a day in Thailand, epoch ms. */
const thaiMidnight = (day: string): number => Date.parse(`${day}T00:00:00+07:00`);

/** Pure: the filters as GET /audit's query (epoch-ms bounds, `to` the end of its day). */
export function auditApiQuery(f: AuditFilters, limit: number): string {
  const s = new URLSearchParams();
  if (f.officer) s.set('officer', f.officer);
  if (f.action) s.set('action', f.action);
  if (f.target.trim()) s.set('target', f.target.trim());
  if (f.from) s.set('from', String(thaiMidnight(f.from)));
  if (f.to) s.set('to', String(thaiMidnight(f.to) + 86_400_000));
  if (f.before) s.set('before', String(f.before));
  s.set('limit', String(limit));
  return `?${s.toString()}`;
}

/** Pure: a line's context in words: "title: รับเรื่อง · id: 4". */
export function detailText(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/**
 * The audit log, for admins: who saw whose personal data and who changed what, newest first, filtered by officer,
 * action, target and days, a page at a time.
 */
export function AuditPage(p: { search: string }) {
  const { t, lang } = useUi();
  const applied = auditFiltersOf(p.search);
  const [form, setForm] = useState<AuditFilters>(applied);
  // The date fields as typed (B.E. in Thai); the filters take them only when they are real days.
  const [days, setDays] = useState({ from: dayInput(applied.from, lang), to: dayInput(applied.to, lang) });
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [officers, setOfficers] = useState<OfficerAccount[]>([]);
  const [newer, setNewer] = useState<Array<number | null>>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ officers: OfficerAccount[] }>('GET', '/officers')
      .then((r) => setOfficers(r.officers))
      .catch(() => undefined); // names only: the log names the username itself
  }, []);

  useEffect(() => {
    const f = auditFiltersOf(p.search);
    setForm(f);
    setDays({ from: dayInput(f.from, lang), to: dayInput(f.to, lang) });
    setEntries(null);
    setError(null);
    api<{ entries: AuditEntry[] }>('GET', `/audit${auditApiQuery(auditFiltersOf(p.search), AUDIT_PAGE + 1)}`)
      .then((r) => setEntries(r.entries))
      .catch((err: unknown) => setError(reasonOf(t, err)));
  }, [p.search, t, lang]);

  const names = useMemo(() => new Map(officers.map((o) => [o.id, o.displayName])), [officers]);
  const shown = entries?.slice(0, AUDIT_PAGE) ?? [];
  const hasOlder = (entries?.length ?? 0) > AUDIT_PAGE;
  const set = (patch: Partial<AuditFilters>) => setForm((f) => ({ ...f, ...patch }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const from = days.from.trim() ? parseDay(days.from) : '';
    const to = days.to.trim() ? parseDay(days.to) : '';
    if (from === null || to === null) {
      setError(t('badDay'));
      return;
    }
    setNewer([]);
    navigate(`/audit${auditSearchOf({ ...form, from, to, before: null })}`);
  };
  const older = () => {
    setNewer((s) => [...s, applied.before]);
    navigate(`/audit${auditSearchOf({ ...applied, before: shown[shown.length - 1]!.id })}`);
  };
  const back = () => {
    const previous = newer[newer.length - 1] ?? null;
    setNewer((s) => s.slice(0, -1));
    navigate(`/audit${auditSearchOf({ ...applied, before: previous })}`);
  };
  const range = applied.from || applied.to ? t('audit.range', { from: applied.from ? formatDay(applied.from, lang) : '…', to: applied.to ? formatDay(applied.to, lang) : '…' }) : '';

  return (
    <section className="audit-page">
      <h1>{t('audit.title')}</h1>
      <p className="muted">{t('audit.help')}</p>
      <form className="filters card audit-filters" onSubmit={submit} data-testid="audit-filters">
        <select value={form.officer} onChange={(e) => set({ officer: e.target.value })} data-testid="audit-officer">
          <option value="">{t('audit.anyone')}</option>
          {officers.map((o) => (
            <option key={o.id} value={String(o.id)}>
              {o.displayName} ({o.username})
            </option>
          ))}
        </select>
        <select value={form.action} onChange={(e) => set({ action: e.target.value })} data-testid="audit-action">
          <option value="">{t('audit.anyAction')}</option>
          {Object.keys(ACTIONS).map((a) => (
            <option key={a} value={a}>
              {actionLabel(t, a)}
            </option>
          ))}
        </select>
        <input placeholder={t('audit.targetPlaceholder')} className="grow" value={form.target} maxLength={64} onChange={(e) => set({ target: e.target.value })} data-testid="audit-target" />
        <input placeholder={t('audit.from')} title={t('dayHint')} value={days.from} onChange={(e) => setDays((d) => ({ ...d, from: e.target.value }))} className="short" data-testid="audit-from" />
        <input placeholder={t('audit.to')} title={t('dayHint')} value={days.to} onChange={(e) => setDays((d) => ({ ...d, to: e.target.value }))} className="short" data-testid="audit-to" />
        <button type="submit" className="primary">
          {t('filter')}
        </button>
      </form>
      {range ? <p className="muted" data-testid="audit-range">{range}</p> : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      {entries === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {entries?.length === 0 ? <p className="empty">{t('audit.empty')}</p> : null}
      {shown.length > 0 ? (
        <table className="cases audit" data-testid="audit">
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.who')}</th>
              <th>{t('audit.what')}</th>
              <th>{t('audit.target')}</th>
              <th>{t('audit.detail')}</th>
              <th>IP</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                <td className="nowrap">{formatDateTime(e.at, lang)}</td>
                <td>
                  {e.officerId === null ? (
                    <span className="muted">{t('audit.system')}</span>
                  ) : (
                    <>
                      {names.get(e.officerId) ?? ''} <span className="muted mono">{e.username ?? `#${e.officerId}`}</span>
                    </>
                  )}
                </td>
                <td>{actionLabel(t, e.action)}</td>
                <td className="nowrap" data-testid="audit-target-cell">
                  {e.target && e.action.startsWith('case.') ? <Link to={`/cases/${encodeURIComponent(e.target)}`}>{e.target}</Link> : e.target}
                </td>
                <td className="small">{detailText(e.detail)}</td>
                <td className="muted small mono">{e.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {applied.before !== null || hasOlder ? (
        <div className="pager">
          <button type="button" disabled={applied.before === null} onClick={() => (newer.length ? back() : navigate(`/audit${auditSearchOf({ ...applied, before: null })}`))} data-testid="audit-newer">
            {newer.length ? t('audit.newer') : t('audit.newest')}
          </button>
          <button type="button" disabled={!hasOlder} onClick={older} data-testid="audit-older">
            {t('audit.older')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
