/**
 * Where a district's officers hear of new work: its notification targets, and one-time codes that bind a LINE
 * group to it (typed in the group; notify/binding.ts). Supervisors (their province) and admins only, checked on
 * the server by the permission table.
 */
import express, { type RequestHandler, type Router } from 'express';
import type { Database } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import { createBindingCode } from '../../notify/binding';
import { addTarget, deactivateTarget, InvalidTargetError, listTargets } from '../../notify/targets';
import { actorOf, HttpError, requirePermission } from './auth';

export interface DistrictsApiOptions {
  db: Database;
  cipher: DataCipher;
  requireOfficer: RequestHandler;
  now?: () => number;
}

const DISTRICT = /^\d{4}$/;

export function districtsRouter(o: DistrictsApiOptions): Router {
  const router = express.Router();
  const now = o.now ?? Date.now;
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
    try {
      const id = await o.db.transaction((tx) =>
        addTarget(
          tx,
          {
            districtCode: String(req.params.code),
            kind: String(body.kind) as never,
            address: String(body.address ?? ''),
            ...(typeof body.secret === 'string' ? { secret: body.secret } : {}),
            actor: actorOf(req).username,
          },
          o.cipher,
          now(),
        ),
      );
      res.status(201).json({ id });
    } catch (err) {
      if (err instanceof InvalidTargetError) throw new HttpError(422, err.message);
      throw err;
    }
  });

  router.delete('/districts/:code/targets/:id', o.requireOfficer, allowed, async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id <= 0) throw new HttpError(400, 'A target id is a positive whole number');
    const [row] = await o.db.query<{ district_code: string }>('SELECT district_code FROM district_target WHERE id = $1', [id]);
    if (!row || row.district_code !== req.params.code) throw new HttpError(404, 'Not found');
    await o.db.transaction((tx) => deactivateTarget(tx, id, actorOf(req).username, now()));
    res.json({ ok: true });
  });
  return router;
}
