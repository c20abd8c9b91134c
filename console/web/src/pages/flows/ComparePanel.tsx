/**
 * The draft against the live version (or another, chosen): what the canvas marks, as text — nodes added, removed
 * and changed with the fields that changed, every wording change in each language, old beside new — and
 * publishing with a note. A draft with errors can be compared, never published.
 */
import { useState } from 'react';
import { useUi } from '../../ui';
import type { Comparison } from './compare';
import { summaryOf } from './compare';
import type { FlowVersionInfo } from './flows-api';

export interface ComparePanelProps {
  comparison: Comparison | null;
  base: number | null;
  live: number | null;
  versions: readonly FlowVersionInfo[];
  onBase(version: number): void;
  onSelect(id: string): void;
  /** Null: this view cannot publish (a supervisor, or a stored version). */
  publish: null | { errors: number; busy: boolean; onPublish(note: string): void };
}

export function ComparePanel(p: ComparePanelProps) {
  const { t } = useUi();
  const [note, setNote] = useState('');
  const c = p.comparison;
  const s = c ? summaryOf(c) : null;
  return (
    <div className="compare" data-testid="compare">
      <label className="field">
        <span>{t('flows.compareWith')}</span>
        <select value={p.base ?? ''} onChange={(e) => p.onBase(Number(e.target.value))} data-testid="compare-base">
          {p.versions.map((v) => (
            <option key={v.version} value={v.version}>
              {t('flows.versionN', { n: v.version })}
              {v.version === p.live ? ` (${t('flows.liveBadge')})` : ''}
            </option>
          ))}
        </select>
      </label>
      {!c ? <p className="muted">{p.versions.length === 0 ? t('flows.compareNothing') : t('loading')}</p> : null}
      {c && s ? (
        <>
          <p data-testid="compare-summary">
            {c.diff.same ? t('flows.same') : t('flows.summary', { added: s.added, changed: s.changed, removed: s.removed, texts: s.texts })}
          </p>
          <ul className="legend small">
            <li className="m-added">{t('flows.mark.added')}</li>
            <li className="m-changed">{t('flows.mark.changed')}</li>
            <li className="m-removed">{t('flows.mark.removed')}</li>
          </ul>
          {c.diff.start ? <p>{t('flows.startChanged', { from: c.diff.start.from, to: c.diff.start.to })}</p> : null}
          <ul className="diff-nodes">
            {c.diff.nodes.added.map((id) => (
              <li key={`a${id}`} className="m-added" data-testid="diff-node" data-change="added" data-node={id}>
                + <button type="button" className="link" onClick={() => p.onSelect(id)}>{id}</button>
              </li>
            ))}
            {c.diff.nodes.changed.map((n) => (
              <li key={`c${n.id}`} className="m-changed" data-testid="diff-node" data-change="changed" data-node={n.id}>
                ~ <button type="button" className="link" onClick={() => p.onSelect(n.id)}>{n.id}</button> <span className="muted small">{n.fields.join(', ')}</span>
              </li>
            ))}
            {[...c.marks]
              .filter(([id, m]) => m === 'changed' && !c.diff.nodes.changed.some((n) => n.id === id))
              .map(([id]) => (
                <li key={`w${id}`} className="m-changed" data-testid="diff-node" data-change="changed" data-node={id}>
                  ~ <button type="button" className="link" onClick={() => p.onSelect(id)}>{id}</button> <span className="muted small">{t('flows.reworded')}</span>
                </li>
              ))}
            {c.diff.nodes.removed.map((id) => (
              <li key={`r${id}`} className="m-removed" data-testid="diff-node" data-change="removed" data-node={id}>
                − {id}
              </li>
            ))}
          </ul>
          {(['th', 'en'] as const).map((lang) => {
            const x = c.diff.texts[lang];
            if (x.added.length + x.removed.length + x.changed.length === 0) return null;
            return (
              <div key={lang} className="diff-texts">
                <h3>{t(lang === 'th' ? 'flows.textsTh' : 'flows.textsEn')}</h3>
                {x.changed.map((d) => (
                  <div key={d.key} className="diff-text" data-testid="diff-text" data-key={d.key} data-lang={lang}>
                    <code>{d.key}</code>
                    <del>{d.from}</del>
                    <ins>{d.to}</ins>
                  </div>
                ))}
                {x.added.map((d) => (
                  <div key={d.key} className="diff-text" data-testid="diff-text" data-key={d.key} data-lang={lang}>
                    <code>{d.key}</code>
                    <ins>{d.text}</ins>
                  </div>
                ))}
                {x.removed.map((d) => (
                  <div key={d.key} className="diff-text" data-testid="diff-text" data-key={d.key} data-lang={lang}>
                    <code>{d.key}</code>
                    <del>{d.text}</del>
                  </div>
                ))}
              </div>
            );
          })}
        </>
      ) : null}
      {p.publish ? (
        <div className="publish">
          <h3>{t('flows.publishTitle')}</h3>
          {p.publish.errors > 0 ? <p className="error" data-testid="publish-blocked">{t('flows.cannotPublish', { n: p.publish.errors })}</p> : null}
          <textarea rows={2} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} placeholder={t('flows.publishNote')} data-testid="publish-note" />
          <button
            type="button"
            className="primary"
            disabled={p.publish.errors > 0 || p.publish.busy || note.trim() === '' || c?.diff.same === true}
            onClick={() => p.publish?.onPublish(note.trim())}
            data-testid="publish"
          >
            {t('flows.publish')}
          </button>
          <p className="muted small">{t('flows.publishHelp')}</p>
        </div>
      ) : null}
    </div>
  );
}
