/** POST /cases/:number/notes: an internal note on the case's timeline; the citizen never sees it. */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { addEvent } from '../../../cases/store';
import { HttpError } from '../auth';
import { caseOfReq, type CasesContext } from './context';

const noteBody = z.strictObject({ note: z.string().trim().min(1).max(4000) });

export function addNote(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const body = noteBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send {"note": ...}');
    const row = caseOfReq(req);
    const at = c.now();
    const id = await c.db.transaction((tx) =>
      addEvent(tx, row.id, { at, actorType: 'officer', actorId: String(req.officer!.id), kind: 'note', note: body.data.note, public: false }),
    );
    res.status(201).json({ id, at });
  };
}
