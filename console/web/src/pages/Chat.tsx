import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, API, type CannedReply, type ChatMessage } from '../api';
import { Link, useUi } from '../ui';
import { formatDateTime } from '../format';
import type { Key } from '../i18n';

interface HandoffInfo {
  id: number;
  status: string;
  displayName: string | null;
  reason: string;
  requestedAt: number;
  closedAt: number | null;
}

const END_REASONS: Array<{ code: string; label: Key }> = [
  { code: 'resolved', label: 'endResolved' },
  { code: 'referred', label: 'endReferred' },
  { code: 'no_response', label: 'endNoResponse' },
];

/** Pure: messages merged by id (the stream repeats what the first load and a reply already showed), in time order. */
export function merged(current: readonly ChatMessage[], more: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of more) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/**
 * One chat with a citizen: the conversation since the handoff, live over Server-Sent Events; a reply box and the
 * district's canned replies; ending the chat hands the citizen back to the bot, which asks for a rating.
 */
export function ChatPage(p: { id: number }) {
  const { t, lang } = useUi();
  const [info, setInfo] = useState<HandoffInfo | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [ended, setEnded] = useState(false);
  const [live, setLive] = useState(false);
  const [canned, setCanned] = useState<CannedReply[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ending, setEnding] = useState(false);
  const [reason, setReason] = useState('resolved');
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let gone = false;
    api<{ handoff: HandoffInfo; messages: ChatMessage[] }>('GET', `/handoffs/${p.id}/messages`)
      .then((r) => {
        if (gone) return;
        setInfo(r.handoff);
        setMessages((m) => merged(m, r.messages));
        if (r.handoff.status !== 'waiting') setEnded(true);
      })
      .catch((err: Error) => setError(t('failed', { message: err.message })));
    api<{ cannedReplies: CannedReply[] }>('GET', '/canned-replies')
      .then((r) => !gone && setCanned(r.cannedReplies))
      .catch(() => undefined);
    const stream = new EventSource(`${API}/handoffs/${p.id}/stream`);
    stream.onopen = () => setLive(true);
    stream.onerror = () => setLive(false);
    stream.addEventListener('message', (e) => setMessages((m) => merged(m, [JSON.parse((e as MessageEvent<string>).data) as ChatMessage])));
    stream.addEventListener('ended', () => {
      setEnded(true);
      setLive(false);
      stream.close();
    });
    stream.addEventListener('logout', () => stream.close());
    return () => {
      gone = true;
      stream.close();
    };
    // t changes with the language only; the stream need not restart for it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.id]);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  const reply = async (body: { text: string } | { cannedId: number }) => {
    setError(null);
    try {
      const r = await api<{ id: string; at: number; text: string }>('POST', `/handoffs/${p.id}/reply`, body);
      setMessages((m) => merged(m, [{ id: r.id, at: r.at, direction: 'out', type: 'text', text: r.text }]));
      if ('text' in body) setText('');
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) void reply({ text: text.trim() });
  };

  const end = async () => {
    setError(null);
    try {
      await api('POST', `/handoffs/${p.id}/end`, { reason });
      setEnded(true);
      setEnding(false);
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
    }
  };

  const name = info?.displayName ?? t('noName');
  return (
    <section className="chat-page">
      <div className="chat-head">
        <Link to="/queue" className="back">
          ← {t('back')}
        </Link>
        <h1 data-testid="chat-title">{t('chatWith', { name })}</h1>
        {info?.reason === 'royal_petition' ? <span className="badge royal">{t('royalPetition')}</span> : null}
        <span className={`live${live ? ' on' : ''}`} data-testid="live">
          {ended ? '' : live ? t('live') : t('reconnecting')}
        </span>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="chat" data-testid="chat">
        {messages.map((m) => (
          <div key={m.id} className={`bubble ${m.direction}`} data-testid={`message-${m.direction}`} data-type={m.type}>
            <div className="who">
              {m.direction === 'in' ? name : t('officer')} · {formatDateTime(m.at, lang)}
            </div>
            <MessageBody m={m} />
          </div>
        ))}
        <div ref={bottom} />
      </div>
      {ended ? (
        <p className="notice" data-testid="chat-ended">{t('chatEnded')}</p>
      ) : (
        <>
          <form className="reply" onSubmit={submit}>
            <textarea
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder={t('replyPlaceholder')}
              rows={3}
              maxLength={5000}
              data-testid="reply-input"
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
              }}
            />
            <button type="submit" className="primary" disabled={!text.trim()} data-testid="reply-send">
              {t('send')}
            </button>
          </form>
          <div className="canned">
            <span className="muted">{t('cannedReplies')}:</span>
            {canned.length === 0 ? <span className="muted"> {t('cannedNone')}</span> : null}
            {canned.map((c) => (
              <button key={c.id} type="button" className="chip" title={lang === 'en' ? c.textEn : c.textTh} onClick={() => void reply({ cannedId: c.id })} data-testid="canned">
                {c.title}
              </button>
            ))}
          </div>
          <div className="end">
            {ending ? (
              <div className="card end-box">
                <label>
                  {t('endReason')}
                  <select value={reason} onChange={(e) => setReason(e.target.value)} data-testid="end-reason">
                    {END_REASONS.map((r) => (
                      <option key={r.code} value={r.code}>
                        {t(r.label)}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" className="danger" onClick={() => void end()} data-testid="end-confirm">
                  {t('endConfirm')}
                </button>
                <button type="button" className="link" onClick={() => setEnding(false)}>
                  {t('cancel')}
                </button>
              </div>
            ) : (
              <button type="button" className="danger" onClick={() => setEnding(true)} data-testid="end-chat">
                {t('endChat')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** What the citizen sent, always as text or a picture: never as HTML. */
function MessageBody({ m }: { m: ChatMessage }) {
  const { t } = useUi();
  switch (m.type) {
    case 'text':
      return <p className="text">{m.text}</p>;
    case 'image':
      return m.contentUrl ? (
        <a href={m.contentUrl} target="_blank" rel="noreferrer">
          <img src={m.contentUrl} alt={t('photo')} className="photo" data-testid="photo" />
        </a>
      ) : null;
    case 'video':
    case 'audio':
    case 'file':
      return m.contentUrl ? (
        <a href={m.contentUrl} target="_blank" rel="noreferrer">
          📎 {m.fileName ?? t('file')}
        </a>
      ) : null;
    case 'location':
      return (
        <p className="text">
          📍 {t('location')}: {m.location?.title ?? ''} {m.location?.address ?? ''} ({m.location?.latitude.toFixed(5)}, {m.location?.longitude.toFixed(5)})
        </p>
      );
    case 'sticker':
      return <p className="text muted">{t('sticker')}</p>;
    default:
      return <p className="text muted">{t('otherMessage')}</p>;
  }
}
