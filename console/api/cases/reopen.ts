/** POST /cases/:number/reopen: a closed case open again, with a note (public or internal) saying why. */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { caseByNumber } from '../../../cases/store';
import { reopenCase } from '../../../cases/notices';
import { CLOSED_STATUSES } from '../../../domain/cases';
import { scheduleJob } from '../../../scheduler/jobs';
import { HttpError } from '../auth';
import { caseOfReq, type CasesContext } from './context';

const reopenBody = z.strictObject({ note: z.string().trim().min(1).max(2000), public: z.boolean() });

export function reopen(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const body = reopenBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send {"note": ..., "public": true|false}: a note is required to reopen a case');
    const n = caseOfReq(req).tracking_number;
    const at = c.now();
    const actorId = String(req.officer!.id);
    const reopened = await c.db.transaction(async (tx) => {
      // Read again in the transaction: two officers reopening at once cannot both pass.
      const row = (await caseByNumber(tx, n))!;
      if (!CLOSED_STATUSES.includes(row.status)) throw new HttpError(409, `The case is ${row.status}, not closed`, { problem: 'not_closed' });
      return reopenCase(
        tx,
        row,
        { note: body.data.note, public: body.data.public, actorId, now: at, sendAt: c.sendAt(), progressNoticeDays: c.progressNoticeDays },
        async (job) => {
          await scheduleJob(tx, job, { replaceDone: true, now: at });
        },
      );
    });
    c.onQueued?.();
    c.logger.info({ case: n, public: body.data.public, officer: actorId }, 'case reopened in the console');
    res.json({ ok: true, status: 'in_progress', dueAt: reopened.dueAt });
  };
}
