/**
 * Citizens' data requests in the console (privacy/requests.ts): the list with each one's 30-day deadline, one
 * request with what a deletion would erase and keep, and the decision. Deciding, the erasure, the message to the
 * citizen (queued in the outbox) and the audit entry are one transaction: none without the others. Supervisors see
 * the requests of their province, admins every one; anyone else, or a request out of reach, is a 404.
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage/database';
import { queueMessages } from '../../storage/outbox';
import { can } from '../auth/permissions';
import { recordAudit } from '../auth/audit';
import { actorOf, HttpError } from './auth';
import {
  carryOutDeletion,
  dataRequestById,
  DataRequestDecidedError,
  isOverdue,
  listDataRequests,
  planDeletion,
  refuseRequest,
  type DataRequestRow,
} from '../../privacy/requests';
import { deletionDoneText, deletionRefusedText } from '../../privacy/notice';

export interface DataRequestsApiOptions {
  db: Database;
  requireOfficer: RequestHandler;
  now?: () => number;
  /** The outbox sender's clock: the citizen's message is due at once by it. */
  outboxClock?: () => number;
  onQueued?: () => void;
  /** RETENTION_YEARS: how long a closed case is kept. */
  retentionYears?: number;
}

const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'refuse']),
  // A decision is explained: the citizen reads the reason of a refusal, the audit keeps both.
  note: z.string().trim().min(3, 'give the reason for the decision (3 characters at least)').max(1000),
});

const idOf = (req: Request): number | null => {
  const raw = String(req.params.id);
  return /^\d{1,12}$/.test(raw) ? Number(raw) : null;
};

/** What the page reads of a request: the row, whether it is late, and nothing that names the person. */
const view = (r: DataRequestRow, now: number) => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  requestedAt: r.requestedAt,
  dueAt: r.dueAt,
  overdue: isOverdue(r, now),
  decidedAt: r.status === 'pending' ? null : r.decidedAt,
  decidedBy: r.decidedBy,
  decisionNote: r.decisionNote,
  districtCodes: r.districtCodes,
  outcome: r.outcome,
});

export function dataRequestsRouter(o: DataRequestsApiOptions): Router {
  const now = o.now ?? Date.now;
  const sendAt = o.outboxClock ?? Date.now;
  const router = express.Router();

  /** The request of the path, if the officer may see it; else 404, the same for missing and out of reach. */
  const requestOf = async (req: Request): Promise<DataRequestRow> => {
    const id = idOf(req);
    const row = id === null ? null : await dataRequestById(o.db, id);
    if (!row || !can(actorOf(req), 'privacy.requests', { provinceCode: row.provinceCode })) throw new HttpError(404, 'Not found');
    return row;
  };

  router.get('/data-requests', o.requireOfficer, async (req, res) => {
    const actor = actorOf(req);
    if (actor.role === 'officer') throw new HttpError(403, 'Not permitted');
    const rows = (await listDataRequests(o.db)).filter((r) => can(actor, 'privacy.requests', { provinceCode: r.provinceCode }));
    const at = now();
    res.json({ requests: rows.map((r) => view(r, at)), decisionDays: 30 });
  });

  router.get('/data-requests/:id', o.requireOfficer, async (req, res) => {
    const row = await requestOf(req);
    const at = now();
    const plan = row.kind === 'deletion' && row.status === 'pending' ? await planDeletion(o.db, row.citizenId, at, o.retentionYears) : null;
    await recordAudit(o.db, { officerId: actorOf(req).id, action: 'data_request.view', target: `request ${row.id}`, ip: req.ip ?? null, at });
    res.json({ request: view(row, at), plan });
  });

  router.post('/data-requests/:id/decision', o.requireOfficer, async (req, res) => {
    const row = await requestOf(req);
    const parsed = decisionBody.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const { decision, note } = parsed.data;
    const actor = actorOf(req);
    const at = now();
    const decider = { username: actor.username, note };
    try {
      const result = await o.db.transaction(async (tx) => {
        let counts: unknown = null;
        if (decision === 'approve') {
          const done = await carryOutDeletion(tx, row.id, decider, at, o.retentionYears);
          counts = done.outcome.counts;
          if (done.chatId) {
            const text = deletionDoneText({ requestId: row.id, outcome: done.outcome, note, at, locale: done.locale });
            await queueMessages(tx, { chatId: done.chatId, messages: [{ type: 'text', text }] }, sendAt());
          }
        } else {
          const refused = await refuseRequest(tx, row.id, decider, at);
          if (refused.chatId) {
            await queueMessages(tx, { chatId: refused.chatId, messages: [{ type: 'text', text: deletionRefusedText({ requestId: row.id, note, locale: refused.locale }) }] }, sendAt());
          }
        }
        await recordAudit(tx, {
          officerId: actor.id,
          action: 'data_request.decide',
          target: `request ${row.id}`,
          detail: { decision, note, ...(counts ? { erased: counts } : {}) },
          ip: req.ip ?? null,
          at,
        });
        return dataRequestById(tx, row.id);
      });
      o.onQueued?.();
      if (decision === 'approve') await o.db.flushErased();
      res.json({ request: result ? view(result, at) : null });
    } catch (err) {
      if (err instanceof DataRequestDecidedError) throw new HttpError(409, `This request is already decided (${err.status})`);
      throw err;
    }
  });

  return router;
}
