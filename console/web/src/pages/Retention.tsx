import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useUi } from '../ui';
import type { Key } from '../i18n';
import { formatDate, formatDateTime } from '../format';
import { reasonOf } from './settings/reason';
import type { RetentionKind } from '../../../../privacy/retention-policy';
import type { RetentionRun, RunState } from '../../../../privacy/retention-runs';
import type { RetentionPlan } from '../../../../privacy/retention';

type Run = Omit<RetentionRun, 'nextStep'> & { state: RunState };

interface Retention {
  periods: Array<{ kind: RetentionKind; days?: number; years?: number }>;
  nextRunAt: number | null;
  runs: Run[];
  canRun: boolean;
}

/**
 * The retention purge, for supervisors and admins: how long each kind of data is kept, what the last run erased
 * and every run before it (dates in Buddhist Era in Thai), a dry run that lists what a run now would erase, and for
 * admins a run now. While a run is erasing the page looks again every few seconds.
 */
export function RetentionPage() {
  const { t, lang } = useUi();
  const [data, setData] = useState<Retention | null>(null);
  const [plan, setPlan] = useState<RetentionPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await api<Retention>('GET', '/retention'));
    } catch (err) {
      setError(reasonOf(t, err));
    }
  }, [t]);
  useEffect(() => void load(), [load]);
  const running = data?.runs.some((r) => r.state === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [running, load]);

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await what();
      await load();
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  };
  const dryRun = () => act(async () => setPlan((await api<{ plan: RetentionPlan }>('POST', '/retention/dry-run')).plan));
  const runNow = () => {
    if (!confirm(t('retention.runConfirm'))) return;
    void act(async () => {
      const { run } = await api<{ run: Run }>('POST', '/retention/runs');
      setMessage(t('retention.started', { id: run.id }));
    });
  };

  const kindName = (kind: RetentionKind) => t(`retention.kind.${kind}` as Key);
  const number = (n: number) => n.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB');
  const last = data?.runs.find((r) => !r.dryRun) ?? null;

  return (
    <section>
      <h1 data-testid="retention-title">{t('retention.title')}</h1>
      <p className="muted">{t('retention.help')}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {data === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {data ? (
        <>
          <div className="row">
            <button type="button" disabled={busy} onClick={() => void dryRun()} data-testid="retention-dry-run">
              {t('retention.dryRun')}
            </button>
            {data.canRun ? (
              <button type="button" className="primary" disabled={busy || running} onClick={runNow} data-testid="retention-run-now">
                {t('retention.runNow')}
              </button>
            ) : null}
            <span className="muted small" data-testid="retention-next-run">
              {data.nextRunAt === null ? t('retention.noSchedule') : t('retention.nextRun', { at: formatDateTime(data.nextRunAt, lang) })}
            </span>
          </div>
          {message ? <p className="ok" data-testid="retention-message">{message}</p> : null}

          {plan ? (
            <div className="card" data-testid="retention-plan">
              <h2>{t('retention.plan', { at: formatDateTime(plan.asOf, lang) })}</h2>
              <table className="cases">
                <thead>
                  <tr>
                    <th>{t('retention.kindColumn')}</th>
                    <th>{t('retention.heldColumn')}</th>
                    <th>{t('retention.dueColumn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.kinds.map((k) => (
                    <tr key={k.kind} data-testid="retention-plan-kind" data-kind={k.kind}>
                      <td>{kindName(k.kind)}</td>
                      <td>{number(k.held)}</td>
                      <td data-testid="retention-plan-due">{number(k.due)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {plan.cases.total === 0 ? (
                <p className="muted" data-testid="retention-plan-no-cases">{t('retention.planNoCases')}</p>
              ) : (
                <>
                  <h3>{t('retention.planCases', { shown: plan.cases.first.length, total: plan.cases.total })}</h3>
                  <ul>
                    {plan.cases.first.map((c) => (
                      <li key={c.trackingNumber} data-testid="retention-plan-case">
                        <span className="code">{c.trackingNumber}</span> <span className="muted small">{t('retention.closedOn', { date: formatDate(c.closedAt, lang) })}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          ) : null}

          <div className="card" data-testid="retention-last-run">
            <h2>{t('retention.lastRun')}</h2>
            {last === null ? (
              <p className="muted">{t('retention.noRun')}</p>
            ) : (
              <>
                <p className="small">
                  <span data-testid="retention-last-started">{formatDateTime(last.startedAt, lang)}</span> · {t(`retention.trigger.${last.trigger}` as Key)} ·{' '}
                  <RunResult run={last} />
                </p>
                <table className="cases">
                  <thead>
                    <tr>
                      <th>{t('retention.kindColumn')}</th>
                      <th>{t('retention.periodColumn')}</th>
                      <th>{t('retention.erasedColumn')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.periods.map((p) => (
                      <tr key={p.kind} data-testid="retention-last-count" data-kind={p.kind}>
                        <td>{kindName(p.kind)}</td>
                        <td className="muted">{p.years !== undefined ? t('retention.years', { n: p.years }) : t('retention.days', { n: p.days ?? 0 })}</td>
                        <td data-testid="retention-last-erased">{number(last.counts.purged[p.kind] ?? 0)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>

          <div className="card">
            <h2>{t('retention.history')}</h2>
            <table className="cases" data-testid="retention-runs">
              <thead>
                <tr>
                  <th>{t('retention.startedColumn')}</th>
                  <th>{t('retention.byColumn')}</th>
                  <th>{t('retention.totalColumn')}</th>
                  <th>{t('retention.resultColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {data.runs.map((r) => (
                  <tr key={r.id} data-testid="retention-run-row" data-dry-run={r.dryRun}>
                    <td className="nowrap small">
                      {formatDateTime(r.startedAt, lang)}
                      {r.dryRun ? <span className="badge int">{t('retention.dry')}</span> : null}
                    </td>
                    <td className="small">
                      {t(`retention.trigger.${r.trigger}` as Key)}
                      {r.requestedBy ? <div className="muted">{r.requestedBy}</div> : null}
                    </td>
                    <td>{number(Object.values(r.counts.purged).reduce((a, b) => a + b, 0))}</td>
                    <td className="small">
                      <RunResult run={r} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

function RunResult(p: { run: Run }) {
  const { t } = useUi();
  switch (p.run.state) {
    case 'failed':
      return <span className="error">{t('retention.failed', { error: p.run.error ?? '' })}</span>;
    case 'running':
      return <span className="muted">{t('retention.running')}</span>;
    case 'stopped':
      return <span className="error">{t('retention.stopped')}</span>;
    case 'done':
      return <span className="ok">{t('retention.done')}</span>;
  }
}
