/**
 * The draft tried out in a chat that looks like LINE: text bubbles, quick replies, Flex bubbles and carousels,
 * date and time pickers, a location and a photo sent with one tap. Each turn runs on the server with the real
 * engine and language layer (POST /flows/preview) in a conversation that lives only here: nothing is filed or sent.
 * An action says what it would have done, and its other outcomes can be tried.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FlowDefinition } from '../../../../../flows/definition/types';
import type { ConversationState } from '../../../../../flows/engine';
import type { PreviewNote } from '../../../../../flows/preview';
import { useUi } from '../../ui';
import { reasonOf } from '../settings/reason';
import { actionName } from './describe';
import { flowsApi, type PreviewInput } from './flows-api';

type Msg = Record<string, unknown> & { type: string };
type Line = { from: 'bot'; message: Msg } | { from: 'user'; text: string } | { from: 'note'; note: PreviewNote; turn: number } | { from: 'error'; text: string };

/** A place in Mukdahan, as a LINE location message carries it. */
const SAMPLE_LOCATION = { type: 'location', latitude: 16.5453, longitude: 104.7235, address: 'ตลาดอินโดจีน อำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร', title: 'ตลาดอินโดจีน' } as const;

export interface PreviewProps {
  flow: FlowDefinition | null;
  selected: string | null;
  onAt(node: string | null): void;
}

export function Preview({ flow, selected, onAt }: PreviewProps) {
  const { t } = useUi();
  const [lines, setLines] = useState<Line[]>([]);
  const [state, setState] = useState<ConversationState | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [locale, setLocale] = useState<'th' | 'en'>('th');
  const [picker, setPicker] = useState<{ data: string; mode: string } | null>(null);
  const turns = useRef<Array<{ state: ConversationState | null; input: PreviewInput; outcomes: Record<string, string>; at: number }>>([]);
  const end = useRef<HTMLDivElement>(null);
  const photos = useRef(0);

  // Braces: scrolling returns a promise in newer browsers, and an effect may return only its clean-up.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lines]);

  const run = async (input: PreviewInput, shown: string | null, o: { from?: ConversationState | null; outcomes?: Record<string, string>; keepLines?: number; at?: number } = {}) => {
    if (!flow) return;
    setBusy(true);
    setPicker(null);
    const before = o.from !== undefined ? o.from : state;
    const outcomes = o.outcomes ?? {};
    try {
      const r = await flowsApi.preview({ definition: flow, state: before, input, outcomes });
      const turn = turns.current.length;
      turns.current.push({ state: before, input, outcomes, at: o.at ?? o.keepLines ?? lines.length });
      setLines((ls) => [
        ...(o.keepLines !== undefined ? ls.slice(0, o.keepLines) : ls),
        ...(shown !== null ? [{ from: 'user', text: shown } as Line] : []),
        ...r.notes.filter((n) => n.kind === 'action' || n.kind === 'handoff').map((note): Line => ({ from: 'note', note, turn })),
        ...r.messages.map((m): Line => ({ from: 'bot', message: m as Msg })),
      ]);
      setState(r.state);
      onAt(r.at);
    } catch (err) {
      setLines((ls) => [...ls, { from: 'error', text: reasonOf(t, err) }]);
    } finally {
      setBusy(false);
    }
  };

  const restart = (node?: string) => {
    turns.current = [];
    setLines([]);
    void run({ type: 'restart', locale, ...(node ? { node } : {}) }, null, { from: node ? state : null, keepLines: 0 });
  };

  /** The same turn again, taking another outcome at an action. */
  const retry = (turn: number, node: string, outcome: string) => {
    const was = turns.current[turn];
    if (!was) return;
    turns.current = turns.current.slice(0, turn);
    void run(was.input, null, { from: was.state, outcomes: { ...was.outcomes, [node]: outcome }, keepLines: was.at + (was.input.type === 'restart' ? 0 : 1), at: was.at });
  };

  const act = (action: Record<string, unknown>) => {
    switch (action.type) {
      case 'message':
        return void run({ type: 'text', text: String(action.text) }, String(action.text));
      case 'postback':
        return void run({ type: 'postback', data: String(action.data) }, String(action.displayText ?? action.label ?? ''));
      case 'datetimepicker':
        return setPicker({ data: String(action.data), mode: String(action.mode) });
      case 'location':
        return void run(SAMPLE_LOCATION, `📍 ${SAMPLE_LOCATION.title}`);
      case 'camera':
      case 'cameraRoll':
        return void run({ type: 'media', mediaType: 'image', contentId: `preview-photo-${++photos.current}` }, `🖼 ${t('flows.preview.photo')}`);
      default:
        return undefined;
    }
  };

  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    void run({ type: 'text', text }, text);
    setText('');
  };

  const last = [...lines].reverse().find((l): l is Extract<Line, { from: 'bot' }> => l.from === 'bot');
  const quick = ((last?.message.quickReply as { items?: Array<{ action: Record<string, unknown> }> } | undefined)?.items ?? []).map((i) => i.action);

  return (
    <div className="preview" data-testid="preview">
      <div className="preview-bar">
        <button type="button" className="primary" disabled={!flow || busy} onClick={() => restart()} data-testid="preview-start">
          {t(lines.length ? 'flows.preview.restart' : 'flows.preview.start')}
        </button>
        <button type="button" disabled={!flow || busy || !selected} onClick={() => selected && restart(selected)} data-testid="preview-from-node">
          {t('flows.preview.fromNode', { node: selected ?? '—' })}
        </button>
        <select value={locale} onChange={(e) => setLocale(e.target.value as 'th' | 'en')} aria-label={t('flows.preview.language')}>
          <option value="th">ไทย</option>
          <option value="en">English</option>
        </select>
      </div>
      <p className="muted small">{t('flows.preview.help')}</p>
      {!flow ? <p className="error">{t('flows.preview.cannotRun')}</p> : null}
      <div className="line-chat" data-testid="preview-chat">
        {lines.map((l, i) => {
          if (l.from === 'user') return <div key={i} className="line-bubble user" data-testid="preview-user">{l.text}</div>;
          if (l.from === 'error') return <div key={i} className="line-note error" role="alert">{l.text}</div>;
          if (l.from === 'note') return <NoteLine key={i} note={l.note} onTry={(o) => l.note.kind === 'action' && retry(l.turn, l.note.node, o)} />;
          return <BotMessage key={i} m={l.message} onAction={act} />;
        })}
        <div ref={end} />
      </div>
      {quick.length > 0 ? (
        <div className="line-quick" data-testid="preview-quick">
          {quick.map((a, i) => (
            <button key={i} type="button" className="line-chip" disabled={busy} onClick={() => act(a)} data-testid="preview-quick-item">
              {String(a.label ?? '')}
            </button>
          ))}
        </div>
      ) : null}
      {picker ? (
        <div className="line-picker">
          <input
            type={picker.mode === 'time' ? 'time' : 'date'}
            data-testid="preview-picker"
            onChange={(e) => e.target.value && void run({ type: 'postback', data: picker.data, params: picker.mode === 'time' ? { time: e.target.value } : { date: e.target.value } }, e.target.value)}
          />
        </div>
      ) : null}
      <form className="line-input" onSubmit={send}>
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('flows.preview.type')} disabled={!flow || busy} data-testid="preview-input" />
        <button type="submit" disabled={!flow || busy || !text.trim()} data-testid="preview-send">
          {t('send')}
        </button>
      </form>
    </div>
  );
}

function NoteLine({ note, onTry }: { note: PreviewNote; onTry(outcome: string): void }) {
  const { t } = useUi();
  if (note.kind === 'handoff') return <div className="line-note">{t('flows.preview.handoff', { reason: note.reason })}</div>;
  if (note.kind !== 'action') return null;
  return (
    <div className="line-note" data-testid="preview-action" data-action={note.action}>
      ⚙ {t('flows.preview.dryAction', { action: actionName(t, note.action), outcome: note.outcome })}
      {note.outcomes.length > 1 ? (
        <span className="line-note-try">
          {' '}
          {t('flows.preview.tryOutcome')}
          {note.outcomes
            .filter((o) => o !== note.outcome)
            .map((o) => (
              <button key={o} type="button" className="link" onClick={() => onTry(o)} data-testid="preview-outcome">
                {o}
              </button>
            ))}
        </span>
      ) : null}
    </div>
  );
}

/** A LINE message as the chat shows it: a text bubble, an image, or a Flex bubble or carousel drawn simply. */
function BotMessage({ m, onAction }: { m: Msg; onAction(a: Record<string, unknown>): void }) {
  if (m.type === 'text') return <div className="line-bubble bot" data-testid="preview-bot">{String(m.text)}</div>;
  if (m.type === 'image') return <img className="line-image" src={String(m.previewImageUrl ?? m.originalContentUrl)} alt="" />;
  if (m.type === 'flex') {
    const contents = m.contents as Record<string, unknown>;
    const bubbles = contents.type === 'carousel' ? (contents.contents as Array<Record<string, unknown>>) : [contents];
    return (
      <div className="line-flex-row" data-testid="preview-flex">
        {bubbles.map((b, i) => (
          <div key={i} className="line-flex">
            {(['header', 'hero', 'body', 'footer'] as const).map((part) => (b[part] ? <FlexBox key={part} c={b[part] as Record<string, unknown>} onAction={onAction} /> : null))}
          </div>
        ))}
      </div>
    );
  }
  return <div className="line-bubble bot muted">[{m.type}]</div>;
}

function FlexBox({ c, onAction }: { c: Record<string, unknown>; onAction(a: Record<string, unknown>): void }) {
  switch (c.type) {
    case 'box':
      return (
        <div className={`flex-box ${String(c.layout ?? 'vertical')}`}>
          {((c.contents as Array<Record<string, unknown>>) ?? []).map((x, i) => (
            <FlexBox key={i} c={x} onAction={onAction} />
          ))}
        </div>
      );
    case 'text':
      return <div className={`flex-text${c.weight === 'bold' ? ' bold' : ''}${c.size === 'sm' || c.size === 'xs' ? ' small' : ''}`}>{String(c.text ?? '')}</div>;
    case 'button': {
      const action = (c.action ?? {}) as Record<string, unknown>;
      return (
        <button type="button" className={`flex-button ${String(c.style ?? 'link')}`} onClick={() => onAction(action)} data-testid="preview-flex-button">
          {String(action.label ?? '')}
        </button>
      );
    }
    case 'separator':
      return <hr className="flex-sep" />;
    case 'image':
      return <img className="flex-image" src={String(c.url)} alt="" />;
    default:
      return null;
  }
}
