/**
 * The conversation flows in the console, on officers' sessions (the bearer-token API at /api/admin/flows stays for
 * machines): admins and supervisors read them (flow.read), admins change them (flow.publish). One handler per
 * route; the tables and their SQL are flows/store.ts and flows/drafts.ts.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { requirePermission } from '../auth';
import { FlowDraftConflictError, FlowDraftNotFoundError } from '../../../flows/drafts';
import { FlowChangedError, FlowNotFoundError, FlowVersionNotFoundError, NothingToRollBackError } from '../../../flows/store';
import { contextOf, flowJsonBody, yamlBody, type FlowsEditorOptions } from './context';
import { exportDraft, exportFlow, getDraft, getFlow, getVersion, listFlows } from './read';
import { createDraft, discardDraft, importFlow, publishDraft, rollbackFlow, saveDraft } from './changes';
import { previewDraft } from './preview';

export type { FlowsEditorOptions } from './context';
export { FLOW_JSON } from './context';

export function flowsEditorRouter(o: FlowsEditorOptions): Router {
  const c = contextOf(o);
  const read = [o.requireOfficer, requirePermission('flow.read')];
  const change = [o.requireOfficer, requirePermission('flow.publish')];
  const router = express.Router();
  router.get('/flows', ...read, listFlows(c));
  router.post('/flows/import', ...change, yamlBody, importFlow(c));
  router.post('/flows/preview', ...read, flowJsonBody, previewDraft(c));
  router.get('/flows/drafts/:draftId', ...read, getDraft(c));
  router.get('/flows/drafts/:draftId/export', ...read, exportDraft(c));
  router.put('/flows/drafts/:draftId', ...change, flowJsonBody, saveDraft(c));
  router.delete('/flows/drafts/:draftId', ...change, discardDraft(c));
  router.post('/flows/drafts/:draftId/publish', ...change, publishDraft(c));
  router.get('/flows/:id', ...read, getFlow(c));
  router.get('/flows/:id/versions/:version', ...read, getVersion(c));
  router.get('/flows/:id/export', ...read, exportFlow(c));
  router.post('/flows/:id/drafts', ...change, createDraft(c));
  router.post('/flows/:id/rollback', ...change, rollbackFlow(c));
  router.use('/flows', flowErrors);
  return router;
}

/** The stores' named refusals as the console's answers; anything else goes on to the console's error handler. */
function flowErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (err instanceof FlowNotFoundError || err instanceof FlowVersionNotFoundError || err instanceof FlowDraftNotFoundError) return void res.status(404).json({ message: 'Not found' });
  if (err instanceof FlowDraftConflictError) return void res.status(409).json({ message: err.message, revision: err.current });
  if (err instanceof FlowChangedError) return void res.status(409).json({ message: 'The live version changed since you opened this draft; look at the comparison again', code: 'live_changed' });
  if (err instanceof NothingToRollBackError) return void res.status(409).json({ message: err.message, code: 'nothing_to_roll_back' });
  next(err);
}
