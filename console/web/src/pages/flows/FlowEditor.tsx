/**
 * The flow editor: the canvas on the left, on the right the selected node, the preview chat, the comparison with
 * publishing, the YAML text and the list of problems. The draft's YAML text is what is kept; the canvas and the
 * panels change it through pure edits, undo and redo step through its earlier texts, and the validator runs on
 * every change. Admins edit drafts; a stored version, or anything a supervisor opens, is read-only.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { FlowDefinition } from '../../../../../flows/definition/types';
import { parseFlowSource } from '../../../../../flows/source';
import { INPUT_TYPES } from '../../../../../flows/definition/types';
import { INTENTS } from '../../../../../language/intents';
import { ACTIONS } from '../../../../../flows/registry/actions';
import { CONDITIONS } from '../../../../../flows/registry/conditions';
import { Link, useUi } from '../../ui';
import { navigate } from '../../router';
import { formatDateTime } from '../../format';
import { ApiError } from '../../api';
import { reasonOf } from '../settings/reason';
import { Canvas } from './Canvas';
import { NodePanel } from './NodePanel';
import { Preview } from './Preview';
import { ComparePanel } from './ComparePanel';
import { checkDraft, type Issue } from './issues';
import { compare } from './compare';
import { addNode, setTarget } from './edit';
import { NODE_KINDS, type NodeKind } from './graph';
import { applyToYaml } from './yaml-sync';
import { flowsApi, type FlowDetail, type LocatedFlowError } from './flows-api';
import { useCategories } from '../../categories';

/** The code editor comes with the YAML tab, not before: the canvas opens without waiting for it. */
const YamlView = lazy(() => import('./YamlView').then((m) => ({ default: m.YamlView })));

type Tab = 'node' | 'preview' | 'compare' | 'yaml' | 'problems';

interface Loaded {
  source: string;
  /** What the text reads as, when the server could read it: the page draws it without parsing first. */
  value: unknown;
  draft: { id: number; revision: number; updatedAt: number; updatedBy: string } | null;
  version: number | null;
}

/** Typing in one text box is one step of undo, not one per letter, when the letters come within this time. */
const COALESCE_MS = 1200;
const HISTORY_MAX = 200;

export default function FlowEditor({ id, draftId, version }: { id: string; draftId: number | null; version: number | null }) {
  const { t, officer } = useUi();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [detail, setDetail] = useState<FlowDetail | null>(null);
  const [flowIds, setFlowIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setLoaded(null);
    const got = draftId !== null
      ? flowsApi.draft(draftId).then(({ draft, value }) => ({ source: draft.source, value, draft: { id: draft.id, revision: draft.revision, updatedAt: draft.updatedAt, updatedBy: draft.updatedBy }, version: null }))
      : flowsApi.version(id, version ?? 1).then((v) => ({ source: v.source, value: v.definition, draft: null, version: v.version }));
    got.then(setLoaded, (err: unknown) => setError(reasonOf(t, err)));
    flowsApi.flow(id).then(setDetail, () => setDetail({ id, live: null, latest: null, title: { th: id, en: id }, versions: [], history: [], drafts: [] }));
    flowsApi.list().then((r) => setFlowIds(r.flows.map((f) => f.id)), () => undefined);
  }, [id, draftId, version, t]);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!loaded || !detail) return <p className="loading">{t('loading')}</p>;
  return (
    <ReactFlowProvider>
      <Editor key={`${draftId}:${version}`} id={id} loaded={loaded} detail={detail} flowIds={flowIds} readOnly={officer.role !== 'admin' || loaded.draft === null} />
    </ReactFlowProvider>
  );
}

function Editor({ id, loaded, detail, flowIds, readOnly }: { id: string; loaded: Loaded; detail: FlowDetail; flowIds: string[]; readOnly: boolean }) {
  const { t, lang } = useUi();
  const [doc, setDoc] = useState(() => ({ ...snapOf(loaded.source, loaded.value), past: [] as Snap[], future: [] as Snap[] }));
  const last = useRef<{ key: string | null; at: number }>({ key: null, at: 0 });
  const [saved, setSaved] = useState({ source: loaded.source, revision: loaded.draft?.revision ?? 0, at: loaded.draft?.updatedAt ?? 0, by: loaded.draft?.updatedBy ?? '' });
  const [selected, setSelected] = useState<string | null>(null);
  const [focus, setFocus] = useState<{ id: string; at: number } | null>(null);
  const [tab, setTab] = useState<Tab>('node');
  const [running, setRunning] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [base, setBase] = useState<number | null>(detail.live ?? detail.latest);
  const [baseDef, setBaseDef] = useState<FlowDefinition | null>(null);
  const [laidOut, setLaidOut] = useState<number | null>(null);

  const ids = useMemo(() => [...new Set([...flowIds, id])], [flowIds, id]);
  const categoryList = useCategories();
  const known = useMemo(() => categoryList?.categories.map((c) => ({ code: c.code, retired: c.retiredAt !== null })), [categoryList]);
  const checked = useMemo(() => (doc.syntax === null ? checkDraft(doc.value, ids, known) : null), [doc.value, doc.syntax, ids, known]);
  const good = useRef<FlowDefinition | null>(null);
  if (checked?.flow) good.current = checked.flow;
  const flow = good.current;
  const placed: Issue[] = useMemo(
    () => doc.syntax?.map((e) => ({ severity: 'error' as const, path: e.path, message: e.message, node: null, field: e.path })) ?? checked?.issues ?? [],
    [doc.syntax, checked],
  );
  // Lines are for the text and the list of problems: worked out only when one of them is open (a parse of the text).
  const wantLines = tab === 'yaml' || tab === 'problems';
  const issues: Array<Issue & { line?: number }> = useMemo(() => {
    if (!wantLines) return placed;
    if (doc.syntax) return doc.syntax.map((e, i) => ({ ...placed[i]!, ...(e.line ? { line: e.line } : {}) }));
    const parsed = parseFlowSource(doc.source, 'draft', 'yaml');
    if (!parsed.ok) return placed;
    return placed.map((i) => {
      const line = parsed.source.lineOf(i.path);
      return line === undefined ? i : { ...i, line };
    });
  }, [wantLines, placed, doc.syntax, doc.source]);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const dirty = doc.source !== saved.source;

  useEffect(() => {
    if (base === null) return setBaseDef(null);
    flowsApi.version(id, base).then((v) => setBaseDef(v.definition), () => setBaseDef(null));
  }, [id, base]);
  const comparison = useMemo(() => (tab === 'compare' && baseDef && flow ? compare(baseDef, flow) : null), [tab, baseDef, flow]);

  /** A change from the canvas or a panel: the edit applied to the flow, written into the YAML text. */
  const change = useCallback(
    (f: (d: FlowDefinition) => FlowDefinition, coalesce?: string) => {
      if (readOnly || !checked?.flow) return;
      const before = checked.flow;
      const after = f(before);
      if (after === before) return;
      push({ source: applyToYaml(doc.source, before, after), value: after, syntax: null }, coalesce ?? null);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [readOnly, checked, doc.source],
  );

  function push(next: Snap, key: string | null) {
    const now = performance.now();
    const merge = key !== null && last.current.key === key && now - last.current.at < COALESCE_MS;
    last.current = { key, at: now };
    setDoc((d) => (d.source === next.source ? d : { ...next, past: merge ? d.past : [...d.past, snap(d)].slice(-HISTORY_MAX), future: [] }));
  }
  const undo = () => {
    last.current = { key: null, at: 0 };
    setDoc((d) => (d.past.length === 0 ? d : { ...d.past.at(-1)!, past: d.past.slice(0, -1), future: [snap(d), ...d.future] }));
  };
  const redo = () => {
    last.current = { key: null, at: 0 };
    setDoc((d) => (d.future.length === 0 ? d : { ...d.future[0]!, past: [...d.past, snap(d)], future: d.future.slice(1) }));
  };

  const save = async (): Promise<number | null> => {
    if (!loaded.draft) return null;
    setBusy(true);
    try {
      const source = doc.source;
      const { draft } = await flowsApi.save(loaded.draft.id, source, saved.revision);
      setSaved({ source, revision: draft.revision, at: draft.updatedAt, by: draft.updatedBy });
      setMessage({ kind: 'ok', text: t('flows.savedAt', { at: formatDateTime(draft.updatedAt, lang) }) });
      return draft.revision;
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiError && err.status === 409 ? t('flows.savedElsewhere') : reasonOf(t, err) });
      return null;
    } finally {
      setBusy(false);
    }
  };

  const publish = async (note: string) => {
    if (!loaded.draft) return;
    const revision = dirty ? await save() : saved.revision;
    if (revision === null) return;
    setBusy(true);
    try {
      const r = await flowsApi.publish(loaded.draft.id, { note, revision, expectLive: detail.live });
      navigate(`/flows/${id}?published=${r.version}`);
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiError && err.status === 409 ? t('flows.liveChanged') : reasonOf(t, err) });
      setBusy(false);
    }
  };

  const discard = async () => {
    if (!loaded.draft || !confirm(t('flows.discardConfirm'))) return;
    await flowsApi.discard(loaded.draft.id).then(() => navigate(`/flows/${id}`), (err: unknown) => setMessage({ kind: 'error', text: reasonOf(t, err) }));
  };

  const select = useCallback((node: string | null, o: { focus?: boolean } = {}) => {
    setSelected(node);
    if (node) {
      setTab((x) => (x === 'preview' || x === 'compare' ? x : 'node'));
      if (o.focus) setFocus({ id: node, at: Date.now() });
    }
  }, []);

  const add = (kind: NodeKind) => {
    let added: string | null = null;
    change((d) => {
      const r = addNode(d, kind, selected && d.nodes[selected] ? selected : d.start);
      added = r.id;
      return r.def;
    });
    if (added) select(added, { focus: true });
  };

  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      const inText = e.target instanceof HTMLElement && (e.target.closest('input, textarea, select, .cm-editor') !== null);
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 's') {
        e.preventDefault();
        if (!readOnly && dirty) void save();
      } else if (!inText && k === 'z') {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (!inText && k === 'y') {
        e.preventDefault();
        redo();
      }
    };
    addEventListener('keydown', keys);
    return () => removeEventListener('keydown', keys);
  });

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [dirty]);

  const vocabulary = useMemo(
    () => ({
      nodes: flow ? Object.keys(flow.nodes) : [],
      texts: flow ? Object.keys(flow.texts.th) : [],
      actions: Object.keys(ACTIONS),
      conditions: Object.keys(CONDITIONS),
      inputs: [...INPUT_TYPES],
      flows: ids,
      intents: [...INTENTS],
    }),
    [flow, ids],
  );
  const download = () => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([doc.source], { type: 'application/yaml' }));
    a.download = `${id}${loaded.draft ? `-draft-${loaded.draft.id}` : `-v${loaded.version}`}.yaml`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const tabs: Array<[Tab, string]> = [
    ['node', t('flows.tab.node')],
    ['preview', t('flows.tab.preview')],
    ['compare', t(readOnly ? 'flows.tab.compare' : 'flows.tab.publish')],
    ['yaml', t('flows.tab.yaml')],
    ['problems', t('flows.tab.problems', { n: issues.length })],
  ];

  return (
    <div className="flow-editor" data-testid="flow-editor" data-layout-ms={laidOut ?? undefined} data-errors={errors} data-dirty={dirty}>
      <div className="flow-toolbar">
        <Link to={`/flows/${id}`} className="back">
          ← {detail.title[lang]}
        </Link>
        <span className="flow-status small" data-testid="editor-status">
          {loaded.draft ? t('flows.draftN', { n: loaded.draft.id }) : t('flows.versionN', { n: loaded.version ?? 0 })}
          {readOnly ? ` · ${t('flows.readOnly')}` : dirty ? ` · ${t('flows.unsaved')}` : saved.at ? ` · ${t('flows.savedBy', { who: saved.by, at: formatDateTime(saved.at, lang) })}` : ''}
        </span>
        <button type="button" className={`flow-problems ${errors ? 'err' : warnings ? 'warn' : 'ok'}`} onClick={() => setTab('problems')} data-testid="problem-count">
          {errors || warnings ? t('flows.problems', { errors, warnings }) : t('flows.noProblems')}
        </button>
        {!readOnly ? (
          <>
            <button type="button" onClick={undo} disabled={doc.past.length === 0} title={t('flows.undo')} data-testid="undo">
              ↶
            </button>
            <button type="button" onClick={redo} disabled={doc.future.length === 0} title={t('flows.redo')} data-testid="redo">
              ↷
            </button>
            <select value="" onChange={(e) => e.target.value && add(e.target.value as NodeKind)} disabled={!checked?.flow} data-testid="add-node">
              <option value="">{t('flows.addNode')}</option>
              {NODE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`flows.kind.${k}`)}
                </option>
              ))}
            </select>
            <button type="button" className="primary" disabled={!dirty || busy} onClick={() => void save()} data-testid="save">
              {t('flows.save')}
            </button>
            <button type="button" className="link" onClick={() => void discard()} data-testid="discard">
              {t('flows.discard')}
            </button>
          </>
        ) : null}
        <button type="button" className="link" onClick={download} data-testid="download">
          {t('flows.exportShort')}
        </button>
      </div>
      {message ? <p className={`flow-message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p> : null}
      {!checked?.flow ? <p className="flow-message error">{t('flows.textBroken')}</p> : null}
      <div className="flow-body">
        {flow ? (
          <Canvas
            flow={flow}
            issues={issues}
            selected={selected}
            onSelect={(n) => select(n)}
            onTarget={(source, field, target) => change((d) => setTarget(d, source, field, target))}
            marks={comparison?.marks ?? null}
            ghosts={comparison?.removed ?? NO_GHOSTS}
            running={tab === 'preview' ? running : null}
            readOnly={readOnly}
            focus={focus}
            onLaidOut={(ms) => {
              setLaidOut(Math.round(ms));
              console.info(`flow editor: ${Object.keys(flow.nodes).length} nodes laid out and drawn in ${Math.round(ms)} ms`);
            }}
          />
        ) : (
          <div className="flow-canvas" />
        )}
        <aside className="flow-side">
          <div className="flow-tabs" role="tablist">
            {tabs.map(([k, label]) => (
              <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setTab(k)} data-testid={`tab-${k}`}>
                {label}
              </button>
            ))}
          </div>
          <div className="flow-tab">
            {tab === 'node' ? (
              selected && flow?.nodes[selected] ? (
                <NodePanel def={flow} id={selected} issues={issues.filter((i) => i.node === selected)} readOnly={readOnly || !checked?.flow} flowIds={ids} onChange={change} onSelect={(n) => select(n, { focus: true })} onTryHere={(n) => { setSelected(n); setTab('preview'); }} />
              ) : (
                <p className="muted">{t('flows.pickNode')}</p>
              )
            ) : null}
            <div className="preview-wrap" hidden={tab !== 'preview'}>
              <Preview flow={checked?.flow ?? null} selected={selected} onAt={(n) => { setRunning(n); if (n) setFocus({ id: n, at: Date.now() }); }} />
            </div>
            {tab === 'compare' ? (
              <ComparePanel
                comparison={comparison}
                base={base}
                live={detail.live}
                versions={detail.versions}
                onBase={setBase}
                onSelect={(n) => select(n, { focus: true })}
                publish={readOnly ? null : { errors, busy, onPublish: (note) => void publish(note) }}
              />
            ) : null}
            {tab === 'yaml' ? (
              <Suspense fallback={<p className="loading">{t('loading')}</p>}>
                <YamlView source={doc.source} readOnly={readOnly} onChange={(s) => push(snapOf(s, undefined, doc), 'yaml')} issues={issues} vocabulary={vocabulary} />
              </Suspense>
            ) : null}
            {tab === 'problems' ? <ProblemList issues={issues} onSelect={(n) => { select(n, { focus: true }); setTab('node'); }} /> : null}
          </div>
        </aside>
      </div>
    </div>
  );
}

const NO_GHOSTS: [] = [];

/** One state of the draft: its text, what the text reads as, or why it does not read. */
interface Snap {
  source: string;
  value: unknown;
  syntax: LocatedFlowError[] | null;
}

const snap = (d: Snap): Snap => ({ source: d.source, value: d.value, syntax: d.syntax });

/** The text as typed: read here, unless its reading came with it. A text that does not read keeps the last value. */
function snapOf(source: string, value: unknown, before?: Snap): Snap {
  if (value !== undefined && value !== null) return { source, value, syntax: null };
  const parsed = parseFlowSource(source, 'draft', 'yaml');
  return parsed.ok ? { source, value: parsed.source.value, syntax: null } : { source, value: before?.value ?? null, syntax: parsed.errors };
}

function ProblemList({ issues, onSelect }: { issues: ReadonlyArray<Issue & { line?: number }>; onSelect(node: string): void }) {
  const { t } = useUi();
  if (issues.length === 0) return <p className="ok">{t('flows.noProblems')}</p>;
  return (
    <ul className="problem-list" data-testid="problem-list">
      {issues.map((i, n) => (
        <li key={n} className={i.severity} data-testid="problem" data-node={i.node ?? ''} data-path={i.path}>
          <span className="small muted">
            {i.node ? (
              <button type="button" className="link" onClick={() => onSelect(i.node!)}>
                {i.node}
              </button>
            ) : (
              t('flows.wholeFlow')
            )}
            {i.field ? ` · ${i.field}` : ''}
            {i.lang ? ` · ${i.lang}` : ''}
            {i.line ? ` · ${t('flows.line', { n: i.line })}` : ''}
          </span>
          <div>
            {i.message}
            {i.suggestion ? <span className="suggestion"> — {i.suggestion}</span> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
