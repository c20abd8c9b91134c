/**
 * The side panel of the selected node: every field of its kind, the texts in Thai and English side by side with
 * their {{variables}} checked, where each answer goes, and beside each field the validator's errors and warnings
 * with their "did you mean". Each change is a pure edit (edit.ts) handed up to the editor.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { ActionNode, AskNode, BranchNode, ChooseNode, Condition, FlowDefinition, FlowNode } from '../../../../../flows/definition/types';
import { INPUT_TYPES } from '../../../../../flows/definition/types';
import { SYSTEM_VARS } from '../../../../../flows/definition/validate';
import { variablesOf, QUICK_REPLY_LABEL_MAX } from '../../../../../flows/definition/warnings';
import { ACTIONS } from '../../../../../flows/registry/actions';
import { CONDITIONS } from '../../../../../flows/registry/conditions';
import { FILING_SLOT } from '../../../../../flows/definition/categories';
import { useUi } from '../../ui';
import { useCategories } from '../../categories';
import type { Key } from '../../i18n';
import { actionName, conditionWords, inputName, summaryOf } from './describe';
import { addOption, copyNode, deleteNode, MAX_CHOICES, moveOption, patchNode, removeOption, renameNode, setStart, setTarget, setText } from './edit';
import { incoming } from './graph';
import { issuesOfField, type Issue } from './issues';

type Change = (f: (d: FlowDefinition) => FlowDefinition, coalesce?: string) => void;

export interface NodePanelProps {
  def: FlowDefinition;
  id: string;
  issues: readonly Issue[];
  readOnly: boolean;
  flowIds: readonly string[];
  onChange: Change;
  onSelect(id: string | null): void;
  onTryHere(id: string): void;
}

/** What a text may fill in: the system's variables and every slot the flow fills, as the validator counts them. */
export function providedVars(def: FlowDefinition): Set<string> {
  const out = new Set<string>(SYSTEM_VARS);
  for (const n of Object.values(def.nodes)) {
    if (n.kind === 'ask') out.add(n.slot);
    if (n.kind === 'choose' && n.slot) out.add(n.slot);
  }
  if (def.keepTextAs) out.add(def.keepTextAs);
  for (const s of Object.values(def.facts ?? {})) if (s) out.add(s);
  for (const p of def.params ?? []) out.add(p);
  return out;
}

export function NodePanel(p: NodePanelProps) {
  const { t } = useUi();
  const node = p.def.nodes[p.id];
  const [newId, setNewId] = useState(p.id);
  useEffect(() => setNewId(p.id), [p.id]);
  if (!node) return <p className="muted">{t('flows.noNode')}</p>;
  const from = incoming(p.def, p.id);
  const set = (patch: Record<string, unknown>, coalesce?: string) => p.onChange((d) => patchNode(d, p.id, patch), coalesce);
  const f = { ...p, node, set };
  const own = issuesOfField(p.issues, '').filter((i) => i.field === '');

  return (
    <div className="node-panel" data-testid="node-panel" data-node={p.id}>
      <div className="node-panel-head">
        <span className={`flow-kind k-${node.kind}`}>{t(`flows.kind.${node.kind}`)}</span>
        <span className="muted small">{summaryOf(t, node)}</span>
      </div>
      <label className="field">
        <span>{t('flows.nodeId')}</span>
        <span className="row">
          <input value={newId} disabled={p.readOnly} onChange={(e) => setNewId(e.target.value)} data-testid="node-id" />
          {newId !== p.id && !p.readOnly ? (
            <button
              type="button"
              disabled={newId.trim() === '' || newId in p.def.nodes}
              onClick={() => {
                p.onChange((d) => renameNode(d, p.id, newId.trim()));
                p.onSelect(newId.trim());
              }}
            >
              {t('flows.rename')}
            </button>
          ) : null}
        </span>
      </label>
      <Problems issues={own} />
      {node.kind === 'say' ? <SayFields {...f} node={node} /> : null}
      {node.kind === 'ask' ? <AskFields {...f} node={node} /> : null}
      {node.kind === 'choose' ? <ChooseFields {...f} node={node} /> : null}
      {node.kind === 'branch' ? <BranchFields {...f} node={node} /> : null}
      {node.kind === 'action' ? <ActionFields {...f} node={node} /> : null}
      {node.kind === 'call' ? (
        <>
          <label className="field">
            <span>{t('flows.callFlow')}</span>
            <select value={node.flow} disabled={p.readOnly} onChange={(e) => set({ flow: e.target.value })}>
              {[...new Set([node.flow, ...p.flowIds])].map((id) => (
                <option key={id}>{id}</option>
              ))}
            </select>
          </label>
          <Target {...p} field="next" label={t('flows.thenGoTo')} />
        </>
      ) : null}
      {node.kind === 'handoff' ? (
        <>
          <label className="field">
            <span>{t('flows.handoffReason')}</span>
            <input value={node.reason ?? ''} disabled={p.readOnly} onChange={(e) => set({ reason: e.target.value || undefined }, `reason:${p.id}`)} />
          </label>
          <OptionalText {...p} field="message" textKey={node.message} label={t('flows.message')} />
        </>
      ) : null}
      {node.kind === 'end' ? <OptionalText {...p} field="message" textKey={node.message} label={t('flows.message')} /> : null}

      <div className="node-panel-from small muted">
        {t('flows.comesFrom')}{' '}
        {from.length === 0 ? (p.def.start === p.id ? t('flows.theStart') : t('flows.nowhere')) : null}
        {from.map((x) => (
          <button key={`${x.source}:${x.field}`} type="button" className="link" onClick={() => p.onSelect(x.source)}>
            {x.source}
          </button>
        ))}
      </div>
      <div className="node-panel-actions">
        <button type="button" onClick={() => p.onTryHere(p.id)} data-testid="node-try">
          {t('flows.tryFromHere')}
        </button>
        {!p.readOnly ? (
          <>
            {p.def.start !== p.id ? (
              <button type="button" onClick={() => p.onChange((d) => setStart(d, p.id))}>
                {t('flows.makeStart')}
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => {
                let copied = p.id;
                p.onChange((d) => {
                  const r = copyNode(d, p.id);
                  copied = r.id;
                  return r.def;
                });
                p.onSelect(copied);
              }}
              data-testid="node-copy"
            >
              {t('flows.copy')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                p.onChange((d) => deleteNode(d, p.id));
                p.onSelect(null);
              }}
              data-testid="node-delete"
            >
              {t('flows.delete')}
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}

type Fields<N extends FlowNode> = NodePanelProps & { node: N; set: (patch: Record<string, unknown>, coalesce?: string) => void };

function Problems({ issues }: { issues: readonly Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="problems">
      {issues.map((i, n) => (
        <li key={n} className={i.severity} data-testid={i.severity === 'error' ? 'field-error' : 'field-warning'} data-path={i.path}>
          {i.message}
          {i.suggestion ? <span className="suggestion"> — {i.suggestion}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** A text in both languages, side by side, with the variables each fills in checked against what the flow provides. */
function TextPair(p: NodePanelProps & { field: string; textKey: string; label: string }) {
  const { t } = useUi();
  const provided = providedVars(p.def);
  const shared = Object.values(p.def.nodes).filter((n) => JSON.stringify(n).includes(`"${p.textKey}"`)).length;
  return (
    <div className="text-pair" data-testid="text-pair" data-field={p.field} data-key={p.textKey}>
      <div className="text-pair-head">
        <strong>{p.label}</strong> <code className="muted">{p.textKey}</code>
        {shared > 1 ? <span className="muted small"> · {t('flows.sharedText', { n: shared })}</span> : null}
      </div>
      <div className="text-pair-langs">
        {(['th', 'en'] as const).map((lang) => {
          const value = p.def.texts[lang][p.textKey];
          const vars = variablesOf(value ?? '');
          const issues = issuesOfField(p.issues, p.field, lang).filter((i) => i.lang === lang || (i.lang === undefined && lang === 'th'));
          return (
            <label key={lang} className={`text-lang${value === undefined ? ' missing' : ''}`}>
              <span className="small">{t(lang === 'th' ? 'flows.thai' : 'flows.english')}</span>
              <textarea
                rows={Math.min(6, Math.max(2, Math.ceil((value ?? '').length / 40)))}
                value={value ?? ''}
                placeholder={value === undefined ? t('flows.textMissing') : ''}
                disabled={p.readOnly}
                onChange={(e) => p.onChange((d) => setText(d, lang, p.textKey, e.target.value), `text:${lang}:${p.textKey}`)}
                data-testid={`text-${lang}`}
              />
              {vars.length > 0 ? (
                <span className="vars">
                  {vars.map((v) => (
                    <code key={v} className={provided.has(v) ? 'var ok' : 'var bad'} title={provided.has(v) ? t('flows.varOk') : t('flows.varUnknown')}>
                      {`{{${v}}}`}
                    </code>
                  ))}
                </span>
              ) : null}
              <Problems issues={issues} />
            </label>
          );
        })}
      </div>
    </div>
  );
}

function OptionalText(p: NodePanelProps & { field: string; textKey: string | undefined; label: string }) {
  const { t } = useUi();
  if (p.textKey !== undefined) return <TextPair {...p} textKey={p.textKey} />;
  if (p.readOnly) return null;
  return (
    <button type="button" onClick={() => p.onChange((d) => setText(patchNode(d, p.id, { [p.field]: `${p.id}_${p.field}` }), 'th', `${p.id}_${p.field}`, ''))}>
      {t('flows.addMessage')}
    </button>
  );
}

/** Where an exit goes: a node picked from the list (or an edge dragged on the canvas). */
function Target(p: NodePanelProps & { field: string; label: ReactNode; optional?: boolean }) {
  const { t } = useUi();
  const node = p.def.nodes[p.id]!;
  const value = p.field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], node) as string | undefined;
  const ids = Object.keys(p.def.nodes);
  return (
    <label className="field target">
      <span>{p.label}</span>
      <select
        value={value ?? ''}
        disabled={p.readOnly}
        onChange={(e) => p.onChange((d) => (e.target.value === '' ? patchNode(d, p.id, { [p.field]: undefined }) : setTarget(d, p.id, p.field, e.target.value)))}
        data-testid={`target-${p.field}`}
      >
        {p.optional ? <option value="">{t('flows.none')}</option> : null}
        {value !== undefined && !ids.includes(value) ? <option value={value}>{t('flows.unknownNode', { id: value })}</option> : null}
        {ids.map((id) => (
          <option key={id} value={id}>
            {id} · {t(`flows.kind.${p.def.nodes[id]!.kind}`)}
          </option>
        ))}
      </select>
      <Problems issues={issuesOfField(p.issues, p.field).filter((i) => i.field === p.field)} />
    </label>
  );
}

function SayFields(p: Fields<Extract<FlowNode, { kind: 'say' }>>) {
  const { t } = useUi();
  return (
    <>
      {p.node.messages.map((m, i) =>
        'text' in m ? (
          <TextPair key={i} {...p} field={`messages.${i}.text`} textKey={m.text} label={t('flows.messageN', { n: i + 1 })} />
        ) : (
          <p key={i} className="muted small">
            {t('image' in m ? 'flows.imageMessage' : 'flows.flexMessage')}
          </p>
        ),
      )}
      <Target {...p} field="next" label={t('flows.thenGoTo')} />
    </>
  );
}

function AskFields(p: Fields<AskNode>) {
  const { t } = useUi();
  const options = p.node.input.options ?? {};
  const setOption = (k: string, v: unknown) => {
    const next = { ...options, [k]: v };
    if (v === undefined || v === '') delete next[k];
    p.set({ input: Object.keys(next).length ? { type: p.node.input.type, options: next } : { type: p.node.input.type } });
  };
  return (
    <>
      <TextPair {...p} field="prompt" textKey={p.node.prompt} label={t('flows.prompt')} />
      <div className="row2">
        <label className="field">
          <span>{t('flows.inputType')}</span>
          <select value={p.node.input.type} disabled={p.readOnly} onChange={(e) => p.set({ input: { type: e.target.value } })} data-testid="input-type">
            {[...new Set([p.node.input.type, ...INPUT_TYPES])].map((type) => (
              <option key={type} value={type}>
                {inputName(t, type)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('flows.slot')}</span>
          <input value={p.node.slot} disabled={p.readOnly} onChange={(e) => p.set({ slot: e.target.value }, `slot:${p.id}`)} />
        </label>
      </div>
      {['text', 'attachments'].includes(p.node.input.type) ? (
        <div className="row2">
          {(['min', 'max'] as const).map((k) => (
            <label key={k} className="field">
              <span>{t(p.node.input.type === 'text' ? (`flows.text.${k}` as Key) : (`flows.files.${k}` as Key))}</span>
              <input type="number" min={0} value={typeof options[k] === 'number' ? String(options[k]) : ''} disabled={p.readOnly} onChange={(e) => setOption(k, e.target.value === '' ? undefined : Number(e.target.value))} />
            </label>
          ))}
        </div>
      ) : null}
      {p.node.input.type === 'date' ? (
        <label className="check">
          <input type="checkbox" checked={options.allowFuture === true} disabled={p.readOnly} onChange={(e) => setOption('allowFuture', e.target.checked || undefined)} /> {t('flows.allowFuture')}
        </label>
      ) : null}
      <TextPair {...p} field="reprompt" textKey={p.node.reprompt} label={t('flows.reprompt')} />
      <label className="field">
        <span>{t('flows.retries')}</span>
        <input type="number" min={1} max={5} value={p.node.retries} disabled={p.readOnly} onChange={(e) => p.set({ retries: Math.min(5, Math.max(1, Number(e.target.value) || 1)) })} />
      </label>
      <Target {...p} field="next" label={t('flows.thenGoTo')} />
      <Target {...p} field="onGiveUp" label={t('flows.onGiveUp')} optional />
      <label className="check">
        <input type="checkbox" checked={p.node.skipIfFilled === true} disabled={p.readOnly} onChange={(e) => p.set({ skipIfFilled: e.target.checked || undefined })} /> {t('flows.skipIfFilled')}
      </label>
      <label className="check">
        <input type="checkbox" checked={p.node.suggest === 'profileName'} disabled={p.readOnly} onChange={(e) => p.set({ suggest: e.target.checked ? 'profileName' : undefined })} /> {t('flows.suggestName')}
      </label>
    </>
  );
}

function ChooseFields(p: Fields<ChooseNode>) {
  const { t, lang } = useUi();
  const quick = (p.node.display ?? 'quickReply') === 'quickReply';
  // A choice kept in the category slot files the case into a category: its value is picked from the list.
  const categories = useCategories()?.categories ?? [];
  const files = p.node.slot === FILING_SLOT;
  const categoryPick = (value: string | undefined, label: string, i: number) => {
    const code = value ?? label;
    const known = categories.find((c) => c.code === code);
    return (
      <label className="field">
        <span>{t('categories.pick')}</span>
        <select
          value={known || value !== undefined ? code : ''}
          disabled={p.readOnly}
          onChange={(e) => p.onChange((d) => patchOption(d, p.id, i, { value: e.target.value || undefined }), `value:${p.id}:${i}`)}
          data-testid="option-category"
        >
          {!known ? <option value={value !== undefined ? code : ''}>{value !== undefined ? t('categories.unknown', { code }) : t('categories.pickNone')}</option> : null}
          {categories
            .filter((c) => c.retiredAt === null || c.code === code)
            .map((c) => (
              <option key={c.code} value={c.code}>
                {c.retiredAt === null ? `${c.name[lang]} (${c.code})` : t('categories.retiredMark', { name: `${c.name[lang]} (${c.code})` })}
              </option>
            ))}
        </select>
        <Problems issues={issuesOfField(p.issues, `options.${i}.value`)} />
      </label>
    );
  };
  return (
    <>
      <TextPair {...p} field="prompt" textKey={p.node.prompt} label={t('flows.prompt')} />
      <div className="options-head">
        <strong>{t('flows.choices', { n: p.node.options.length, max: MAX_CHOICES })}</strong>
        {!p.readOnly ? (
          <button type="button" disabled={p.node.options.length >= MAX_CHOICES} onClick={() => p.onChange((d) => addOption(d, p.id))} data-testid="option-add">
            {t('flows.addChoice')}
          </button>
        ) : null}
      </div>
      {p.node.options.length >= MAX_CHOICES ? <p className="muted small">{t('flows.choicesFull', { max: MAX_CHOICES })}</p> : null}
      <Problems issues={issuesOfField(p.issues, 'options').filter((i) => i.field === 'options')} />
      <ol className="options">
        {p.node.options.map((o, i) => (
          <li key={i} className="option" data-testid="option">
            <TextPair {...p} field={`options.${i}.label`} textKey={o.label} label={t('flows.choiceN', { n: i + 1 })} />
            {quick && [...(p.def.texts[lang][o.label] ?? '')].length > QUICK_REPLY_LABEL_MAX ? <p className="muted small">{t('flows.labelCut', { max: QUICK_REPLY_LABEL_MAX })}</p> : null}
            <div className="row2">
              {files ? (
                categoryPick(o.value, o.label, i)
              ) : (
                <label className="field">
                  <span>{t('flows.value')}</span>
                  <input value={o.value ?? ''} placeholder={o.label} disabled={p.readOnly} onChange={(e) => p.onChange((d) => patchOption(d, p.id, i, { value: e.target.value || undefined }), `value:${p.id}:${i}`)} />
                </label>
              )}
              <label className="field">
                <span>{t('flows.synonyms')}</span>
                <input
                  value={(o.synonyms ?? []).join(', ')}
                  disabled={p.readOnly}
                  onChange={(e) => {
                    const list = e.target.value.split(',').map((s) => s.trim()).filter(Boolean);
                    p.onChange((d) => patchOption(d, p.id, i, { synonyms: list.length ? list : undefined }), `syn:${p.id}:${i}`);
                  }}
                />
              </label>
            </div>
            <Target {...p} field={`options.${i}.next`} label={t('flows.thenGoTo')} />
            {o.returnTo !== undefined ? <Target {...p} field={`options.${i}.returnTo`} label={t('flows.returnTo')} /> : null}
            {!p.readOnly ? (
              <div className="option-actions">
                <button type="button" className="link" disabled={i === 0} onClick={() => p.onChange((d) => moveOption(d, p.id, i, -1))}>
                  ↑
                </button>
                <button type="button" className="link" disabled={i === p.node.options.length - 1} onClick={() => p.onChange((d) => moveOption(d, p.id, i, 1))}>
                  ↓
                </button>
                <button type="button" className="link" disabled={p.node.options.length <= 1} onClick={() => p.onChange((d) => removeOption(d, p.id, i))}>
                  {t('flows.removeChoice')}
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      <div className="row2">
        <label className="field">
          <span>{t('flows.display')}</span>
          <select value={p.node.display ?? 'quickReply'} disabled={p.readOnly} onChange={(e) => p.set({ display: e.target.value === 'quickReply' ? undefined : e.target.value })}>
            <option value="quickReply">{t('flows.display.quickReply')}</option>
            <option value="buttons">{t('flows.display.buttons')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('flows.slot')}</span>
          <input value={p.node.slot ?? ''} disabled={p.readOnly} onChange={(e) => p.set({ slot: e.target.value || undefined }, `slot:${p.id}`)} />
        </label>
      </div>
      {(['matchIntents', 'confirmIfFilled', 'skipIfFilled'] as const).map((k) => (
        <label key={k} className="check">
          <input type="checkbox" checked={p.node[k] === true} disabled={p.readOnly} onChange={(e) => p.set({ [k]: e.target.checked || undefined })} /> {t(`flows.${k}`)}
        </label>
      ))}
    </>
  );
}

function patchOption(d: FlowDefinition, id: string, i: number, patch: Record<string, unknown>): FlowDefinition {
  const node = d.nodes[id];
  if (node?.kind !== 'choose') return d;
  const options = node.options.map((o, k) => {
    if (k !== i) return o;
    const next: Record<string, unknown> = { ...o };
    for (const [key, v] of Object.entries(patch)) {
      if (v === undefined) delete next[key];
      else next[key] = v;
    }
    return next as unknown as typeof o;
  });
  return patchNode(d, id, { options });
}

const CONDITION_TYPES = ['equals', 'in', 'exists', 'regex', 'condition'] as const;

function BranchFields(p: Fields<BranchNode>) {
  const { t } = useUi();
  const setCase = (i: number, when: Condition) => p.set({ cases: p.node.cases.map((c, k) => (k === i ? { ...c, when } : c)) }, `case:${p.id}:${i}`);
  return (
    <>
      <ol className="options">
        {p.node.cases.map((c, i) => (
          <li key={i} className="option">
            <strong>{t('flows.caseN', { n: i + 1 })}</strong> <span className="muted small">{conditionWords(t, c.when)}</span>
            <ConditionEditor {...p} when={c.when} onWhen={(w) => setCase(i, w)} />
            <Problems issues={issuesOfField(p.issues, `cases.${i}.when`)} />
            <Target {...p} field={`cases.${i}.next`} label={t('flows.thenGoTo')} />
            {!p.readOnly ? (
              <button type="button" className="link" onClick={() => p.set({ cases: p.node.cases.filter((_, k) => k !== i) })}>
                {t('flows.removeCase')}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      {!p.readOnly ? (
        <button type="button" onClick={() => p.set({ cases: [...p.node.cases, { when: { exists: 'slot' }, next: p.node.otherwise }] })}>
          {t('flows.addCase')}
        </button>
      ) : null}
      <Target {...p} field="otherwise" label={t('flows.otherwise')} />
    </>
  );
}

/** The simple conditions as fields; and, or and not as their YAML-like JSON, checked as typed. */
function ConditionEditor(p: NodePanelProps & { when: Condition; onWhen(c: Condition): void }) {
  const { t } = useUi();
  const type = CONDITION_TYPES.find((k) => k in p.when) ?? 'advanced';
  const [json, setJson] = useState(JSON.stringify(p.when));
  const [bad, setBad] = useState(false);
  useEffect(() => setJson(JSON.stringify(p.when)), [p.when]);
  const w = p.when as Record<string, unknown>;
  const pair = (w.equals ?? w.in ?? w.regex) as [string, unknown] | undefined;
  return (
    <div className="condition">
      <select
        value={type}
        disabled={p.readOnly}
        onChange={(e) => {
          const slot = pair?.[0] ?? (typeof w.exists === 'string' ? w.exists : 'slot');
          const k = e.target.value;
          p.onWhen(k === 'equals' ? { equals: [slot, ''] } : k === 'in' ? { in: [slot, []] } : k === 'exists' ? { exists: slot } : k === 'regex' ? { regex: [slot, '.*'] } : k === 'condition' ? { condition: Object.keys(CONDITIONS)[0]! } : { and: [p.when] });
        }}
      >
        {[...CONDITION_TYPES, 'advanced'].map((k) => (
          <option key={k} value={k}>
            {t(`flows.condType.${k}` as Key)}
          </option>
        ))}
      </select>
      {type === 'equals' || type === 'in' || type === 'regex' ? (
        <>
          <input value={pair?.[0] ?? ''} placeholder={t('flows.slot')} disabled={p.readOnly} onChange={(e) => p.onWhen({ [type]: [e.target.value, pair?.[1]] } as Condition)} />
          <input
            value={type === 'in' ? ((pair?.[1] as unknown[]) ?? []).join(', ') : String(pair?.[1] ?? '')}
            placeholder={t(type === 'in' ? 'flows.values' : type === 'regex' ? 'flows.pattern' : 'flows.value')}
            disabled={p.readOnly}
            onChange={(e) => p.onWhen({ [type]: [pair?.[0] ?? '', type === 'in' ? e.target.value.split(',').map((s) => s.trim()).filter(Boolean) : scalar(e.target.value, type)] } as Condition)}
          />
        </>
      ) : null}
      {type === 'exists' ? <input value={String(w.exists)} disabled={p.readOnly} onChange={(e) => p.onWhen({ exists: e.target.value })} /> : null}
      {type === 'condition' ? (
        <select value={String(w.condition)} disabled={p.readOnly} onChange={(e) => p.onWhen({ condition: e.target.value })}>
          {[...new Set([String(w.condition), ...Object.keys(CONDITIONS)])].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      ) : null}
      {type === 'advanced' ? (
        <textarea
          className={bad ? 'bad' : ''}
          rows={3}
          value={json}
          disabled={p.readOnly}
          onChange={(e) => {
            setJson(e.target.value);
            try {
              p.onWhen(JSON.parse(e.target.value) as Condition);
              setBad(false);
            } catch {
              setBad(true);
            }
          }}
        />
      ) : null}
    </div>
  );
}

/** "true", "3" and "yes" as the flow files write them: booleans and numbers where they look like ones. */
function scalar(text: string, type: string): unknown {
  if (type === 'regex') return text;
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function ActionFields(p: Fields<ActionNode>) {
  const { t } = useUi();
  const spec = (ACTIONS as Record<string, { outcomes: readonly string[] }>)[p.node.action];
  const outcomes = [...new Set([...(spec?.outcomes ?? []), ...Object.keys(p.node.outcomes)])];
  const [params, setParams] = useState(JSON.stringify(p.node.params ?? {}));
  return (
    <>
      <label className="field">
        <span>{t('flows.action')}</span>
        <select
          value={p.node.action}
          disabled={p.readOnly}
          onChange={(e) => {
            const next = (ACTIONS as Record<string, { outcomes: readonly string[] }>)[e.target.value]?.outcomes ?? [];
            const fallback = Object.values(p.node.outcomes)[0] ?? p.def.start;
            p.set({ action: e.target.value, outcomes: Object.fromEntries(next.map((o) => [o, p.node.outcomes[o] ?? fallback])) });
          }}
          data-testid="action-select"
        >
          {[...new Set([p.node.action, ...Object.keys(ACTIONS)])].map((a) => (
            <option key={a} value={a}>
              {actionName(t, a)} ({a})
            </option>
          ))}
        </select>
      </label>
      <Problems issues={issuesOfField(p.issues, 'action')} />
      {outcomes.map((o) => (
        <Target key={o} {...p} field={`outcomes.${o}`} label={t('flows.whenOutcome', { outcome: o })} />
      ))}
      <Problems issues={issuesOfField(p.issues, 'outcomes').filter((i) => i.field === 'outcomes')} />
      <label className="field">
        <span>{t('flows.params')}</span>
        <input
          value={params}
          disabled={p.readOnly}
          onChange={(e) => {
            setParams(e.target.value);
            try {
              const v = JSON.parse(e.target.value) as unknown;
              if (v !== null && typeof v === 'object' && !Array.isArray(v)) p.set({ params: Object.keys(v).length ? v : undefined }, `params:${p.id}`);
            } catch {
              /* kept as typed until it is JSON */
            }
          }}
        />
      </label>
    </>
  );
}
