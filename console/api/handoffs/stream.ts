/**
 * GET /handoffs/:id/stream: the chat live, as Server-Sent Events. It polls the database (so any process's new
 * messages reach it) and ends when the chat ends or the session does (logged out on another tab). Opening it is
 * reading the chat, and is audited as the transcript is (chat.ts). The handoff's district is fixed, so the
 * permission checked at the opening holds for the stream's life.
 */
import type { RequestHandler } from 'express';
import { chatSince, handoffStartEvent, type Cursor } from '../../../handoffs/chat';
import { handoffById } from '../../../handoffs/queue';
import { recordView } from '../../auth/audit';
import { sessionExists } from '../../auth/sessions';
import { handoffOfReq, type HandoffsContext } from './context';

export function streamChat(c: HandoffsContext): RequestHandler {
  const pollMs = c.stream?.pollMs ?? 500;
  const heartbeatMs = c.stream?.heartbeatMs ?? 15_000;
  return async (req, res) => {
    const h = handoffOfReq(req);
    const sessionId = req.consoleSession!.id;
    const start = await handoffStartEvent(c.db, h);
    await recordView(c.db, { officerId: req.officer!.id, action: 'handoff.view_chat', target: `handoff:${h.id}`, detail: { via: 'stream' }, ip: req.ip ?? null, at: c.now() });
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': connected\n\n');
    let cursor: Cursor = { afterInbox: 0, afterOut: 0 };
    let closed = false;
    let busy = false;
    const stop = () => {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      clearInterval(beat);
      res.end();
    };
    const tick = async () => {
      if (busy || closed) return;
      busy = true;
      try {
        // Logged out (or expired) on another tab: the stream ends with the session.
        if (!(await sessionExists(c.db, sessionId))) {
          res.write('event: logout\ndata: {}\n\n');
          return stop();
        }
        const current = (await handoffById(c.db, h.id, c.centerDistrict)) ?? h;
        const next = await chatSince(c.db, c.cipher, current, cursor, start);
        cursor = next.cursor;
        for (const m of next.messages) if (!closed) res.write(`event: message\nid: ${m.id}\ndata: ${JSON.stringify(m)}\n\n`);
        if (current.status !== 'waiting') {
          res.write(`event: ended\ndata: ${JSON.stringify({ closedAt: current.closedAt })}\n\n`);
          stop();
        }
      } catch (err) {
        c.logger.error({ err, handoff: h.id }, 'chat stream failed');
        stop();
      } finally {
        busy = false;
      }
    };
    const poll = setInterval(() => void tick(), pollMs);
    const beat = setInterval(() => !closed && res.write(': heartbeat\n\n'), heartbeatMs);
    req.on('close', stop);
    void tick();
  };
}
