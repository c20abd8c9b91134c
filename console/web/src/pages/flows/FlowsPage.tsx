/**
 * The conversation flows, for admins and (read-only) supervisors: every flow with its live version, its drafts
 * and its last publication; one flow's versions and history (who, when, the note); starting a draft, importing a
 * YAML file, exporting a version, rolling back. The editor itself is loaded only when a draft or version is opened.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useUi } from '../../ui';
import { navigate } from '../../router';
import { formatDateTime } from '../../format';
import { reasonOf } from '../settings/reason';
import { flowsApi, type FlowDetail, type FlowListItem, type LocatedFlowError } from './flows-api';
import './flows.css';

const FlowEditor = lazy(() => import('./FlowEditor'));

export type FlowsRoute = { page: 'flows' } | { page: 'flow'; id: string } | { page: 'flowEditor'; id: string; draft: number | null; version: number | null };

export default function FlowsArea({ route }: { route: FlowsRoute }) {
  const { t } = useUi();
  if (route.page === 'flows') return <FlowList />;
  if (route.page === 'flow') return <FlowHistory id={route.id} />;
  return (
    <Suspense fallback={<p className="loading">{t('loading')}</p>}>
      <FlowEditor id={route.id} draftId={route.draft} version={route.version} />
    </Suspense>
  );
}

const canEdit = (role: string) => role === 'admin';

function FlowList() {
  const { t, lang, officer } = useUi();
  const [flows, setFlows] = useState<FlowListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<LocatedFlowError[] | null>(null);
  const file = useRef<HTMLInputElement>(null);

  useEffect(() => {
    flowsApi.list().then((r) => setFlows(r.flows), (err: unknown) => setError(reasonOf(t, err)));
  }, [t]);

  const importFile = async (f: File) => {
    setError(null);
    try {
      const r = await flowsApi.importYaml(await f.text());
      setImported(r.errors);
      navigate(`/flows/${r.draft.flowId}/drafts/${r.draft.id}`);
    } catch (err) {
      setError(reasonOf(t, err));
    }
  };

  return (
    <div className="flows-page">
      <div className="flows-head">
        <h1>{t('flows.title')}</h1>
        {canEdit(officer.role) ? (
          <>
            <input ref={file} type="file" accept=".yaml,.yml,application/yaml,text/yaml" hidden data-testid="flow-import-file" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
            <button type="button" onClick={() => file.current?.click()} data-testid="flow-import">
              {t('flows.import')}
            </button>
          </>
        ) : (
          <span className="badge">{t('flows.readOnly')}</span>
        )}
      </div>
      <p className="muted">{t('flows.help')}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {imported && imported.length > 0 ? <p className="notice">{t('flows.importedWithErrors', { n: imported.length })}</p> : null}
      {flows === null && !error ? <p className="loading">{t('loading')}</p> : null}
      {flows ? (
        <table className="cases" data-testid="flow-list">
          <thead>
            <tr>
              <th>{t('flows.flow')}</th>
              <th>{t('flows.live')}</th>
              <th>{t('flows.drafts')}</th>
              <th>{t('flows.lastChange')}</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr key={f.id} data-testid="flow-row" data-flow={f.id}>
                <td>
                  <Link to={`/flows/${f.id}`} testId="flow-open">
                    {f.title[lang]}
                  </Link>
                  <div className="muted small">
                    {f.id} · {t('flows.nodeCount', { n: f.nodes })}
                  </div>
                </td>
                <td>{f.live === null ? <span className="muted">{t('flows.notLive')}</span> : t('flows.versionN', { n: f.live })}</td>
                <td>
                  {f.drafts.length === 0 ? <span className="muted">—</span> : null}
                  {f.drafts.map((d) => (
                    <div key={d.id} className="small">
                      <Link to={`/flows/${f.id}/drafts/${d.id}`} testId="flow-draft-link">
                        {t('flows.draftBy', { who: d.updatedBy })}
                      </Link>{' '}
                      <span className="muted nowrap">{formatDateTime(d.updatedAt, lang)}</span>
                    </div>
                  ))}
                </td>
                <td className="small">
                  {f.lastPublication ? (
                    <>
                      <div>
                        {t(f.lastPublication.action === 'rollback' ? 'flows.rolledBackTo' : 'flows.publishedV', { n: f.lastPublication.version })} · {f.lastPublication.actor}
                      </div>
                      <div className="muted nowrap">{formatDateTime(f.lastPublication.at, lang)}</div>
                      {f.lastPublication.note ? <div className="flow-note">“{f.lastPublication.note}”</div> : null}
                    </>
                  ) : (
                    '—'
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

function FlowHistory({ id }: { id: string }) {
  const { t, lang, officer } = useUi();
  const [flow, setFlow] = useState<FlowDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => flowsApi.flow(id).then(setFlow, (err: unknown) => setError(reasonOf(t, err))), [id, t]);
  useEffect(() => void load(), [load]);

  const edit = async (from?: number) => {
    setBusy(true);
    try {
      const { draft } = await flowsApi.newDraft(id, from);
      navigate(`/flows/${id}/drafts/${draft.id}`);
    } catch (err) {
      setError(reasonOf(t, err));
      setBusy(false);
    }
  };
  const rollback = async () => {
    if (!confirm(t('flows.rollbackConfirm'))) return;
    setBusy(true);
    setError(null);
    try {
      await flowsApi.rollback(id, note);
      setNote('');
      await load();
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (!flow) return error ? <p className="error">{error}</p> : <p className="loading">{t('loading')}</p>;
  const admin = canEdit(officer.role);
  return (
    <div className="flows-page" data-testid="flow-history">
      <p>
        <Link to="/flows" className="back">
          ← {t('flows.title')}
        </Link>
      </p>
      <div className="flows-head">
        <h1>
          {flow.title[lang]} <span className="muted small">{flow.id}</span>
        </h1>
        {flow.live !== null ? (
          <Link to={`/flows/${id}/versions/${flow.live}`} testId="flow-view-live" className="button">
            {t('flows.viewLive', { n: flow.live })}
          </Link>
        ) : null}
        {admin ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void edit()} data-testid="flow-edit">
            {t('flows.edit')}
          </button>
        ) : null}
        {flow.live !== null ? (
          <a className="button" href={flowsApi.exportUrl(id)} download data-testid="flow-export">
            {t('flows.export')}
          </a>
        ) : null}
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}

      {flow.drafts.length > 0 ? (
        <div className="card">
          <h2>{t('flows.drafts')}</h2>
          <ul className="flow-drafts">
            {flow.drafts.map((d) => (
              <li key={d.id} data-testid="flow-draft">
                <Link to={`/flows/${id}/drafts/${d.id}`}>{t('flows.draftN', { n: d.id })}</Link> · {t('flows.draftBy', { who: d.updatedBy })} ·{' '}
                <span className="muted">{formatDateTime(d.updatedAt, lang)}</span>
                {d.baseVersion !== null ? <span className="muted"> · {t('flows.fromVersion', { n: d.baseVersion })}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="card">
        <h2>{t('flows.history')}</h2>
        <table className="cases" data-testid="flow-publications">
          <thead>
            <tr>
              <th>{t('flows.when')}</th>
              <th>{t('flows.what')}</th>
              <th>{t('flows.who')}</th>
              <th>{t('flows.note')}</th>
            </tr>
          </thead>
          <tbody>
            {flow.history.map((p) => (
              <tr key={p.id} data-testid="flow-publication" data-action={p.action} data-version={p.version}>
                <td className="nowrap">{formatDateTime(p.at, lang)}</td>
                <td>
                  {t(p.action === 'rollback' ? 'flows.rolledBackTo' : 'flows.publishedV', { n: p.version })}
                  {p.previousVersion !== null ? <span className="muted"> ({t('flows.replacing', { n: p.previousVersion })})</span> : null}
                </td>
                <td>{p.actor === 'shipped' ? t('flows.shipped') : p.actor}</td>
                <td>{p.note ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin && flow.history.length > 1 ? (
          <div className="flow-rollback">
            <input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('flows.rollbackNote')} maxLength={500} data-testid="rollback-note" />
            <button type="button" className="danger" disabled={busy} onClick={() => void rollback()} data-testid="flow-rollback">
              {t('flows.rollback')}
            </button>
          </div>
        ) : null}
      </div>

      <div className="card">
        <h2>{t('flows.versions')}</h2>
        <table className="cases">
          <thead>
            <tr>
              <th>{t('flows.version')}</th>
              <th>{t('flows.stored')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[...flow.versions].reverse().map((v) => (
              <tr key={v.version} data-testid="flow-version" data-version={v.version}>
                <td>
                  {v.version}
                  {v.live ? <span className="badge pub">{t('flows.liveBadge')}</span> : null}
                </td>
                <td className="small">
                  <span className="nowrap">{formatDateTime(v.createdAt, lang)}</span> · {v.createdBy === 'shipped' ? t('flows.shipped') : v.createdBy}
                </td>
                <td className="flow-version-actions">
                  <Link to={`/flows/${id}/versions/${v.version}`}>{t('flows.open')}</Link>
                  <a href={flowsApi.exportUrl(id, v.version)} download>
                    {t('flows.exportShort')}
                  </a>
                  {admin ? (
                    <button type="button" className="link" disabled={busy} onClick={() => void edit(v.version)}>
                      {t('flows.editFrom')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
