/**
 * A district's canned replies: short answers officers send in a chat with one click, in Thai and English (the
 * citizen gets the one of their language). Anyone who may reply in the district's chats reads them
 * (handoff.reply); changing them is district configuration (district.configure: the province's supervisors and
 * admins). The district of a reply being changed is read from the database, never from the request, and every
 * change is written to the audit log in its transaction. The replies themselves are handoffs/canned-replies.ts.
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage/database';
import { cannedRepliesOf, cannedReplyById, createCannedReply, deleteCannedReply, updateCannedReply, type CannedReply } from '../../handoffs/canned-replies';
import { recordAudit } from '../auth/audit';
import { actorOf, HttpError, requirePermission } from './auth';

export interface CannedRepliesApiOptions {
  db: Database;
  /** CENTER_DISTRICT: the district of an account that has none (a supervisor or admin in a chat). */
  centerDistrict: string | null;
  requireOfficer: RequestHandler;
  now?: () => number;
}

const DISTRICT = /^\d{4}$/;

const cannedText = {
  title: z.string().trim().min(1).max(200),
  textTh: z.string().trim().min(1).max(5000),
  textEn: z.string().trim().min(1).max(5000),
};
const newCannedBody = z.strictObject({ districtCode: z.string().regex(DISTRICT, 'must be a 4-digit DOPA district code').optional(), ...cannedText });
const changedCannedBody = z.strictObject(cannedText);

const issuesOf = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

export function cannedRepliesRouter(o: CannedRepliesApiOptions): Router {
  const router = express.Router();
  const now = o.now ?? Date.now;
  const signedIn = o.requireOfficer;

  /** The district asked for (query, or the body of a new reply), else the account's own, else the center's. */
  const districtOf = (req: Request): string | null => {
    const asked = typeof req.query.district === 'string' ? req.query.district : typeof req.body?.districtCode === 'string' ? req.body.districtCode : null;
    return asked ?? req.officer?.districtCode ?? o.centerDistrict;
  };
  const askedDistrict = (req: Request) => {
    const d = districtOf(req);
    if (d !== null && !DISTRICT.test(d)) throw new HttpError(400, 'A district is a 4-digit DOPA code such as 4901');
    return d ? { districtCode: d } : null;
  };

  /** Loads the reply named in the path; its district is the permission's target. */
  const storedReply = async (req: Request) => {
    const c = await cannedReplyById(o.db, Number(req.params.id));
    if (!c) return null;
    (req as Request & { canned?: CannedReply }).canned = c;
    return { districtCode: c.districtCode };
  };
  const replyOf = (req: Request): CannedReply => (req as Request & { canned?: CannedReply }).canned!;

  router.get('/canned-replies', signedIn, requirePermission('handoff.reply', askedDistrict), async (req, res) => {
    res.json({ cannedReplies: await cannedRepliesOf(o.db, districtOf(req)!) });
  });

  router.post('/canned-replies', signedIn, requirePermission('district.configure', askedDistrict), async (req, res) => {
    const body = newCannedBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Invalid canned reply', { errors: issuesOf(body.error) });
    const { districtCode: _asked, ...text } = body.data;
    const district = districtOf(req)!;
    const actor = actorOf(req);
    const at = now();
    const id = await o.db.transaction(async (tx) => {
      const id = await createCannedReply(tx, { districtCode: district, ...text, createdBy: actor.id, at });
      await recordAudit(tx, { officerId: actor.id, action: 'canned_reply.create', target: district, detail: { id, title: text.title }, ip: req.ip ?? null, at });
      return id;
    });
    res.status(201).json({ id, districtCode: district, ...text, createdAt: at } satisfies CannedReply);
  });

  router.put('/canned-replies/:id', signedIn, requirePermission('district.configure', storedReply), async (req, res) => {
    const body = changedCannedBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Invalid canned reply', { errors: issuesOf(body.error) });
    const c = replyOf(req);
    const actor = actorOf(req);
    const at = now();
    const changed = await o.db.transaction(async (tx) => {
      const updated = await updateCannedReply(tx, c.id, body.data);
      if (!updated) return null;
      await recordAudit(tx, { officerId: actor.id, action: 'canned_reply.update', target: c.districtCode, detail: { id: c.id, title: body.data.title }, ip: req.ip ?? null, at });
      return updated;
    });
    if (!changed) throw new HttpError(404, 'No such canned reply');
    res.json(changed);
  });

  router.delete('/canned-replies/:id', signedIn, requirePermission('district.configure', storedReply), async (req, res) => {
    const c = replyOf(req);
    const actor = actorOf(req);
    const at = now();
    const deleted = await o.db.transaction(async (tx) => {
      if (!(await deleteCannedReply(tx, c.id))) return false;
      await recordAudit(tx, { officerId: actor.id, action: 'canned_reply.delete', target: c.districtCode, detail: { id: c.id, title: c.title }, ip: req.ip ?? null, at });
      return true;
    });
    if (!deleted) throw new HttpError(404, 'No such canned reply');
    res.status(204).end();
  });

  return router;
}
