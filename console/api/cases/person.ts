/**
 * GET /cases/:number/person: the officer's view of the person behind a case, beside the case itself: their other
 * cases and their chats with officers, each only if the officer may see it (a complaint about officials or another
 * district's case is left out, not counted, so its existence is not told); their ratings of what the officer may
 * see; and the case's own rating and comment. An anonymous tip-off has no person: nothing links it to anyone.
 * Audited: it shows a person's history, not one case.
 */
import type { RequestHandler } from 'express';
import { personOfCase } from '../../../cases/person';
import { recordView } from '../../auth/audit';
import { can } from '../../auth/permissions';
import { actorOf } from '../auth';
import { caseOfReq, type CasesContext } from './context';

export function casePerson(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const row = caseOfReq(req);
    const actor = actorOf(req);
    const person = await personOfCase(c.db, c.cipher, Number(row.id));
    const cases = person.cases.filter((k) => can(actor, 'case.view', { districtCode: k.districtCode, provinceCode: k.provinceCode, confidential: k.confidential }));
    const visible = new Set(cases.map((k) => k.id));
    const chats = person.chats.filter((h) => can(actor, 'handoff.claim', { districtCode: h.districtCode }));
    const chatIds = new Set(chats.map((h) => h.id));
    const ratings = person.ratings.filter((r) => (r.caseId !== null ? visible.has(r.caseId) || r.caseId === Number(row.id) : r.handoffId !== null && chatIds.has(r.handoffId)));
    if (!person.anonymous) {
      await recordView(c.db, { officerId: actor.id, action: 'case.view_person', target: row.tracking_number, ip: req.ip ?? null, at: c.now() });
    }
    res.json({
      anonymous: person.anonymous,
      linked: person.linked,
      cases: cases.map(({ id: _id, ...k }) => k),
      chats,
      ratings: ratings.map(({ caseId, ...r }) => ({ ...r, thisCase: caseId === Number(row.id) })),
      own: person.own,
    });
  };
}
