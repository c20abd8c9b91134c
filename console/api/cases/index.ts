/**
 * The officer console's cases: a filtered, paginated list of what the officer may see (never a personal number),
 * a case's full file (personal numbers decrypted only for those allowed, each view audited), internal notes,
 * status changes (pushed to the citizen when public, naming the agency or the Ministry's reason), reopening a
 * closed case, assignment to an officer of the case's district, and the bytes of its evidence (each download
 * audited). One handler per route, beside it its input's schema; the cases and their SQL are cases/.
 */
import express, { type Router } from 'express';
import { allowedOnCase, contextOf, type CaseFilesApiOptions } from './context';
import { listCasesHandler } from './list';
import { caseDetail } from './detail';
import { addNote } from './notes';
import { changeStatus } from './status';
import { reopen } from './reopen';
import { assign, listAssignees } from './assign';
import { downloadAttachment } from './attachments';
import { casePerson } from './person';
import { listPlaces, recordCase } from './record';
import { receipt } from './receipt';
import { intakeFormPdf } from './intake-pdf';
import { unlinkLine } from './line-link';

export type { CaseFilesApiOptions } from './context';

export function caseFilesRouter(o: CaseFilesApiOptions): Router {
  const c = contextOf(o);
  const signedIn = o.requireOfficer;
  const router = express.Router();
  router.get('/cases', signedIn, listCasesHandler(c));
  // Recording a case from another channel, its receipt and its intake form (record.ts: permission per district).
  router.post('/cases', signedIn, recordCase(c));
  router.get('/places', signedIn, listPlaces);
  router.get('/cases/:number/receipt', signedIn, allowedOnCase(c, 'case.view'), receipt(c));
  router.get('/cases/:number/intake-form.pdf', signedIn, allowedOnCase(c, 'case.view'), intakeFormPdf(c));
  router.post('/cases/:number/unlink-line', signedIn, allowedOnCase(c, 'case.update_status'), unlinkLine(c));
  router.get('/cases/:number', signedIn, allowedOnCase(c, 'case.view'), caseDetail(c));
  router.post('/cases/:number/notes', signedIn, allowedOnCase(c, 'case.note'), addNote(c));
  router.post('/cases/:number/status', signedIn, allowedOnCase(c, 'case.update_status'), changeStatus(c));
  router.post('/cases/:number/reopen', signedIn, allowedOnCase(c, 'case.update_status'), reopen(c));
  router.get('/cases/:number/assignees', signedIn, allowedOnCase(c, 'case.assign'), listAssignees(c));
  router.post('/cases/:number/assign', signedIn, allowedOnCase(c, 'case.assign'), assign(c));
  router.get('/cases/:number/attachments/:id', signedIn, allowedOnCase(c, 'case.view'), downloadAttachment(c));
  router.get('/cases/:number/person', signedIn, allowedOnCase(c, 'case.view'), casePerson(c));
  return router;
}
