/**
 * The same draft as YAML text (CodeMirror 6), in step with the canvas both ways: typing here changes the drawing,
 * a change on the canvas is written here (yaml-sync.ts keeps the comments). Completion from the flow's JSON Schema
 * and the flow's own names (complete.ts); the validator's findings underlined on their lines.
 */
import { useEffect, useMemo, useRef } from 'react';
import { Annotation, EditorState, Compartment } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { syntaxHighlighting, defaultHighlightStyle, indentUnit } from '@codemirror/language';
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { flowJsonSchema } from '../../../../../flows/definition/schema';
import { completionsAt, type Vocabulary } from './complete';
import type { Issue } from './issues';

export interface YamlViewProps {
  source: string;
  readOnly: boolean;
  onChange(source: string): void;
  /** Each finding with the line it is on. */
  issues: ReadonlyArray<Issue & { line?: number }>;
  vocabulary: Vocabulary;
}

/** Marks the text written from elsewhere, so it is not sent back as if typed. */
const fromOutside = Annotation.define<boolean>();

export function YamlView(p: YamlViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const schema = useMemo(() => flowJsonSchema(), []);
  const lint = useMemo(() => new Compartment(), []);

  useEffect(() => {
    const complete = (ctx: CompletionContext): CompletionResult | null => {
      const r = completionsAt(ctx.state.doc.toString(), ctx.pos, schema, latest.current.vocabulary);
      if (r.options.length === 0 || (r.from === ctx.pos && !ctx.explicit && !/:\s*$|^\s*-?\s*$/.test(ctx.state.doc.lineAt(ctx.pos).text.slice(0, ctx.pos - ctx.state.doc.lineAt(ctx.pos).from)))) return null;
      return { from: r.from, options: r.options, validFor: /^[\w.-]*$/ };
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: latest.current.source,
        extensions: [
          lineNumbers(),
          highlightActiveLine(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          indentUnit.of('  '),
          yaml(),
          syntaxHighlighting(defaultHighlightStyle),
          autocompletion({ override: [complete] }),
          lintGutter(),
          lint.of([]),
          EditorState.readOnly.of(latest.current.readOnly),
          EditorView.lineWrapping,
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((tr) => tr.annotation(fromOutside))) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A change made elsewhere (the canvas, undo): only the part that differs is replaced, so the cursor stays put.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const now = v.state.doc.toString();
    if (now === p.source) return;
    let from = 0;
    while (from < now.length && from < p.source.length && now[from] === p.source[from]) from++;
    let endA = now.length;
    let endB = p.source.length;
    while (endA > from && endB > from && now[endA - 1] === p.source[endB - 1]) {
      endA--;
      endB--;
    }
    v.dispatch({ changes: { from, to: endA, insert: p.source.slice(from, endB) }, annotations: fromOutside.of(true) });
  }, [p.source]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const diagnostics = (): Diagnostic[] =>
      p.issues.flatMap((i) => {
        if (i.line === undefined || i.line > v.state.doc.lines) return [];
        const line = v.state.doc.line(i.line);
        return [{ from: line.from, to: line.to, severity: i.severity, message: i.suggestion ? `${i.message} (${i.suggestion})` : i.message }];
      });
    v.dispatch({ effects: lint.reconfigure(linter(() => diagnostics(), { delay: 0 })) });
  }, [p.issues, lint]);

  return <div className="yaml-view" ref={host} data-testid="yaml-view" />;
}
