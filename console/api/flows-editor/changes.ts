/**
 * Changing flows, for admins (flow.publish): drafts started from a version or imported from a YAML file, saved
 * while they still have errors, discarded; a draft published with a note (the next version, live at once,
 * conversations in progress finishing on theirs); a rollback. Each change is in the audit log under the admin's
 * name; a publish or rollback is also in the flow's own history, with its note.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { recordAudit } from '../../auth/audit';
import { checkFlow } from '../../../flows/check';
import { validationContext } from '../../../flows/registry';
import { locate, parseFlowSource, withVersion, FLOW_ID, type LocatedFlowError } from '../../../flows/source';
import type { PublishResult } from '../../../flows/store';
import { HttpError } from '../auth';
import { byOf, flowIdOf, numberOf, parsed, type FlowsEditorContext } from './context';
import { yamlOf } from './read';

const note = z.string().trim().min(1).max(500);
const newDraftBody = z.strictObject({ from: z.int().min(1).optional() });
const saveBody = z.strictObject({ source: z.string().max(1024 * 1024), revision: z.int().min(1) });
const publishBody = z.strictObject({ note, revision: z.int().min(1), expectLive: z.int().min(1).nullable() });
const rollbackBody = z.strictObject({ note: note.optional() });

/** POST /flows/:id/drafts {from?}: a draft from a stored version, the live one unless named. */
export function createDraft(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const id = flowIdOf(req);
    const body = parsed(newDraftBody, req.body, 'Invalid draft');
    const summary = await c.flows.flow(id);
    const from = body.from ?? summary.live ?? summary.latest;
    const version = await c.flows.version(id, from);
    const by = byOf(req);
    const draft = await c.db.transaction(async (tx) => {
      const d = await c.drafts.create({ flowId: id, baseVersion: summary.live, source: yamlOf(version.source, version.definition), actor: by.username }, tx);
      await recordAudit(tx, { officerId: by.officerId, action: 'flow.draft_create', target: id, detail: { draft: d.id, from }, ip: by.ip, at: c.now() });
      return d;
    });
    res.status(201).json({ draft });
  };
}

/**
 * POST /flows/import (a YAML file): a draft of the flow the file names, checked as on publishing. A file that is not
 * YAML, or names no valid flow id, is refused (422); one with other errors becomes a draft showing them.
 */
export function importFlow(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const text = typeof req.body === 'string' ? req.body : '';
    if (text.trim() === '') throw new HttpError(400, 'Send the flow as a YAML file (Content-Type: application/yaml)');
    const source = parseFlowSource(text, 'import', 'yaml');
    if (!source.ok) throw new HttpError(422, 'The file is not valid YAML', { errors: source.errors });
    const value = source.source.value as { id?: unknown } | null;
    const id = value !== null && typeof value === 'object' && typeof value.id === 'string' ? value.id : null;
    if (id === null || !FLOW_ID.test(id)) {
      throw new HttpError(422, 'The file names no flow id', { errors: [{ file: 'import', path: 'id', message: 'a flow needs an id: a lower-case letter, then up to 63 of a-z, 0-9, _ or -', line: source.source.lineOf('id') ?? 1 }] });
    }
    const live = await c.flows.liveVersions();
    const categories = await c.flows.knownCategories();
    const checked = checkFlow(source.source.value, 'import', [...live.keys(), id], (file, ids) => validationContext(file, ids, categories));
    const errors: LocatedFlowError[] = checked.ok ? [] : locate(checked.errors, source.source);
    const by = byOf(req);
    const draft = await c.db.transaction(async (tx) => {
      const d = await c.drafts.create({ flowId: id, baseVersion: live.get(id) ?? null, source: text, actor: by.username }, tx);
      await recordAudit(tx, { officerId: by.officerId, action: 'flow.import', target: id, detail: { draft: d.id, errors: errors.length }, ip: by.ip, at: c.now() });
      return d;
    });
    res.status(201).json({ draft, errors });
  };
}

/** PUT /flows/drafts/:draftId {source, revision}: kept as typed, errors and all. */
export function saveDraft(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const id = numberOf(req, 'draftId');
    const body = parsed(saveBody, req.body, 'Invalid draft');
    const by = byOf(req);
    const draft = await c.db.transaction(async (tx) => {
      const d = await c.drafts.save(tx, id, { source: body.source, revision: body.revision, actor: by.username });
      await recordAudit(tx, { officerId: by.officerId, action: 'flow.draft_save', target: d.flowId, detail: { draft: id, revision: d.revision }, ip: by.ip, at: c.now() });
      return d;
    });
    res.json({ draft });
  };
}

export function discardDraft(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const id = numberOf(req, 'draftId');
    const by = byOf(req);
    await c.db.transaction(async (tx) => {
      const d = await c.drafts.get(id, tx);
      await c.drafts.discard(id, tx);
      await recordAudit(tx, { officerId: by.officerId, action: 'flow.draft_discard', target: d.flowId, detail: { draft: id }, ip: by.ip, at: c.now() });
    });
    res.status(204).end();
  };
}

/**
 * POST /flows/drafts/:draftId/publish {note, revision, expectLive}: the saved draft at `revision` (what the admin
 * sees) goes live as the next version, if the live version is still `expectLive` (what the admin compared it with).
 */
export function publishDraft(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const id = numberOf(req, 'draftId');
    const body = parsed(publishBody, req.body, 'Invalid publish');
    const draft = await c.drafts.get(id);
    if (draft.revision !== body.revision) throw new HttpError(409, 'The draft was saved elsewhere since you opened it; open it again', { revision: draft.revision });
    const source = parseFlowSource(draft.source, `draft ${id}`, 'yaml');
    if (!source.ok) return void res.status(422).json({ ok: false, message: 'The draft is not valid YAML', errors: source.errors });
    const value = source.source.value as { id?: unknown };
    if (value?.id !== draft.flowId) {
      return void res.status(422).json({ ok: false, message: `This draft is of flow "${draft.flowId}"`, errors: locate([{ file: `draft ${id}`, path: 'id', message: `the id must stay "${draft.flowId}"` }], source.source) });
    }
    const by = byOf(req);
    // The number is the store's to give; the text is stored with it, so that an export says the same.
    const next = ((await c.flows.flow(draft.flowId).catch(() => null))?.latest ?? 0) + 1;
    const result = await c.flows.publishDraft(source.source.value, { actor: by.username, note: body.note, source: withVersion(draft.source, next), expectLive: body.expectLive, draftId: id });
    await answer(c, req, res, result, 'flow.publish', body.note, source.source);
  };
}

/** POST /flows/:id/rollback {note?}: the version live before the current one goes live again. */
export function rollbackFlow(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const body = parsed(rollbackBody, req.body, 'Invalid rollback');
    const result = await c.flows.rollback(flowIdOf(req), byOf(req).username, body.note ?? null);
    await answer(c, req, res, result, 'flow.rollback', body.note ?? null);
  };
}

async function answer(
  c: FlowsEditorContext,
  req: Parameters<RequestHandler>[0],
  res: Parameters<RequestHandler>[1],
  result: PublishResult,
  action: 'flow.publish' | 'flow.rollback',
  note: string | null,
  source?: { lineOf(path: string): number | undefined },
): Promise<void> {
  if (!result.ok) {
    res.status(422).json({ ok: false, message: 'The flow does not pass validation; fix the errors first', errors: source ? locate(result.errors, source) : result.errors });
    return;
  }
  if (result.changed) {
    const by = byOf(req);
    await recordAudit(c.db, { officerId: by.officerId, action, target: result.id, detail: { version: result.version, previousVersion: result.previousVersion, ...(note ? { note } : {}) }, ip: by.ip, at: c.now() });
  }
  res.json(result);
}
