/**
 * Where a district's officers hear of new work: its notification targets, and one-time codes that bind a LINE
 * group to it (typed in the group; notify/binding.ts). Its office hours and own closed days (office/store.ts).
 * Supervisors (their province) and admins only, checked on the server by the permission table.
 */
import express, { type RequestHandler, type Router } from 'express';
import type { Database } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import { createBindingCode } from '../../notify/binding';
import { addTarget, checkNewTarget, deactivateTarget, districtOfTarget, InvalidTargetError, listTargets, type NewTarget } from '../../notify/targets';
import { webhookReach, type WebhookReach } from '../../notify/webhook-reach';
import { actorOf, HttpError, requirePermission } from './auth';
import { DEFAULT_OFFICE_HOURS, minutesOf } from '../../office/hours';
import { DistrictOfficeStore, type DistrictOfficeConfig } from '../../office/store';
import { officeHoursBody, officeHoursView } from './office-hours';
import { districtByCode } from '../../flows/places';

export interface DistrictsApiOptions {
  db: Database;
  cipher: DataCipher;
  requireOfficer: RequestHandler;
  now?: () => number;
  /** Each district's office hours, shared with the conversations so a save reaches them at once. */
  offices?: DistrictOfficeStore;
  /** How a new webhook's host is resolved, and what it may reach: public addresses unless a test allows more. */
  webhooks?: Partial<WebhookReach>;
}

const DISTRICT = /^\d{4}$/;

export function districtsRouter(o: DistrictsApiOptions): Router {
  const router = express.Router();
  const now = o.now ?? Date.now;
  const reach = webhookReach(o.webhooks);
  const district = (req: express.Request) => {
    const code = String(req.params.code);
    return DISTRICT.test(code) ? { districtCode: code, provinceCode: code.slice(0, 2) } : null;
  };
  const allowed = requirePermission('district.bind_group', district);

  router.post('/districts/:code/binding-codes', o.requireOfficer, allowed, async (req, res) => {
    const who = actorOf(req).username;
    const code = await o.db.transaction((tx) => createBindingCode(tx, String(req.params.code), who, now()));
    res.status(201).json(code);
  });

  router.get('/districts/:code/targets', o.requireOfficer, allowed, async (req, res) => {
    const targets = await o.db.transaction((tx) => listTargets(tx, String(req.params.code), { activeOnly: true }));
    // A webhook's secret never leaves the server.
    res.json({ targets: targets.map((t) => ({ ...t, secret: undefined, secretEnc: undefined })) });
  });

  router.post('/districts/:code/targets', o.requireOfficer, allowed, async (req, res) => {
    const body = (req.body ?? {}) as { kind?: unknown; address?: unknown; secret?: unknown };
    const target: NewTarget = {
      districtCode: String(req.params.code),
      kind: String(body.kind) as never,
      address: String(body.address ?? ''),
      ...(typeof body.secret === 'string' ? { secret: body.secret } : {}),
      actor: actorOf(req).username,
    };
    try {
      // A webhook's host is resolved before the transaction: a slow DNS answer holds no database lock.
      await checkNewTarget(target, reach);
      const id = await o.db.transaction((tx) => addTarget(tx, target, o.cipher, now(), reach));
      res.status(201).json({ id });
    } catch (err) {
      // "address: https://intranet.example resolves to 10.0.0.5, a private address; ...": shown as the page's reason.
      if (err instanceof InvalidTargetError) throw new HttpError(400, err.message);
      throw err;
    }
  });

  router.delete('/districts/:code/targets/:id', o.requireOfficer, allowed, async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id <= 0) throw new HttpError(400, 'A target id is a positive whole number');
    // A target of another district is as good as none: the permission was checked for the district in the path.
    if ((await districtOfTarget(o.db, id)) !== req.params.code) throw new HttpError(404, 'Not found');
    await o.db.transaction((tx) => deactivateTarget(tx, id, actorOf(req).username, now()));
    res.json({ ok: true });
  });
  const offices = o.offices ?? new DistrictOfficeStore(DEFAULT_OFFICE_HOURS);
  // Hours are kept only for districts that exist (the DOPA list): a typo must not make a row nobody reads.
  const configure = requirePermission('district.configure', (req) => (districtByCode(String(req.params.code)) ? district(req) : null));

  router.get('/districts/:code/office-hours', o.requireOfficer, configure, async (req, res) => {
    const code = String(req.params.code);
    res.json(await officeHoursView(offices, o.db, code, now()));
  });

  router.put('/districts/:code/office-hours', o.requireOfficer, configure, async (req, res) => {
    const body = officeHoursBody.safeParse(req.body);
    if (!body.success) {
      const errors = body.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new HttpError(400, `Invalid office hours: ${errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`, { errors });
    }
    const code = String(req.params.code);
    const b = body.data;
    const config: DistrictOfficeConfig = {
      opens: minutesOf(b.opens)!,
      closes: minutesOf(b.closes)!,
      weekdays: [...b.weekdays].sort((x, y) => x - y),
      answerMinutes: b.answerMinutes,
      holidays: [...b.holidays].sort((x, y) => x.day.localeCompare(y.day)),
    };
    await o.db.transaction((tx) => offices.save(tx, code, config, actorOf(req).username, now()));
    // Again after the commit: a chat read between the save and the commit must not keep the old hours.
    offices.forget(code);
    res.json(await officeHoursView(offices, o.db, code, now()));
  });
  return router;
}
