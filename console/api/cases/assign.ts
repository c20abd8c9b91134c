/**
 * A case's assignee: GET /cases/:number/assignees (the enabled accounts of the case's district) and
 * POST /cases/:number/assign (one of them; any other account is a 404 or a 409).
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { assignCase } from '../../../cases/store';
import { assignableOfficer, districtAssignees } from '../../auth/officer-directory';
import { HttpError } from '../auth';
import { caseOfReq, type CasesContext } from './context';

const assignBody = z.strictObject({ officerId: z.number().int().positive() });

export function listAssignees(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const row = caseOfReq(req);
    if (!row.district_code) return void res.json({ officers: [] });
    res.json({ officers: await districtAssignees(c.db, row.district_code) });
  };
}

export function assign(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const body = assignBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send {"officerId": ...}');
    const row = caseOfReq(req);
    const officer = await assignableOfficer(c.db, body.data.officerId);
    if (!officer) throw new HttpError(404, 'No such officer');
    if (!row.district_code || officer.districtCode !== row.district_code) throw new HttpError(409, "The officer is not of the case's district");
    const at = c.now();
    await c.db.transaction((tx) => assignCase(tx, row.id, { officerId: officer.id, actorId: String(req.officer!.id), now: at }));
    res.json({ ok: true, assignedTo: { officerId: officer.id, name: officer.name } });
  };
}
