/**
 * POST /cases/:number/status: a status change with a public or internal note, by cases/reasons.ts
 * checkStatusChange: ended and not_accepted need a reason of their own list (400 naming the allowed codes),
 * forwarded the agency's name (400); a change to the status the case already has is a 409 (nothing would change,
 * and the citizen would be told twice), except forwarding again to another agency; a closed case is a 409 until
 * it is reopened (reopen.ts). A public change is pushed to the citizen.
 */
import type { RequestHandler } from 'express';
import { HttpError } from '../auth';
import { caseOfReq, type CasesContext } from './context';
import { applyStatusChange, statusChangeBody } from './status-change';

export function changeStatus(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const body = statusChangeBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Invalid status change', { errors: body.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const n = caseOfReq(req).tracking_number;
    const at = c.now();
    const actorId = String(req.officer!.id);
    // The case was loaded (and its permission checked) before: it is there, cases are never deleted.
    await c.db.transaction((tx) => applyStatusChange(tx, n, { body: body.data, actorId, at, sendAt: c.sendAt() }));
    c.onQueued?.();
    c.logger.info({ case: n, status: body.data.status, reason: body.data.reason || null, public: body.data.public, officer: actorId }, 'case status changed in the console');
    res.json({ ok: true });
  };
}
