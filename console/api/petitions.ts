/**
 * The royal petitions' register in the console (petitions/): supervisors see and complete their province's entries,
 * admins every one; each view (the register holds petitioners' names and words), change and export is audited.
 * Exports: CSV (UTF-8 with BOM) and XLSX, in Thai unless asked for English, for entry into the E-Report.
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import { listPetitions, petitionById, PETITION_KINDS, PETITION_STATUSES, updatePetition, type Petition } from '../../petitions/store';
import { registerCsv, registerXlsx } from '../../petitions/export';
import { recordAudit } from '../auth/audit';
import { can } from '../auth/permissions';
import { actorOf, HttpError } from './auth';

export interface PetitionsApiOptions {
  db: Database;
  cipher: DataCipher;
  requireOfficer: RequestHandler;
  now?: () => number;
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v ? v : null));

const updateBody = z.strictObject({
  kind: z.enum(PETITION_KINDS).nullable(),
  summary: optionalText(2000),
  petitionerName: optionalText(200),
  petitionerPhone: optionalText(40),
  status: z.enum(PETITION_STATUSES),
  forwardedTo: optionalText(200),
  forwardedAt: z.number().int().nonnegative().nullable(),
  result: optionalText(2000),
});

const listQuery = z.strictObject({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  lang: z.enum(['th', 'en']).default('th'),
});

export function petitionsRouter(o: PetitionsApiOptions): Router {
  const now = o.now ?? Date.now;
  const router = express.Router();

  /** Supervisors read their province, admins everything; anyone else is refused the register outright. */
  const reachOf = (req: Request): string | null => {
    const actor = actorOf(req);
    if (actor.role === 'admin') return null;
    if (actor.role === 'supervisor' && actor.provinceCode) return actor.provinceCode;
    throw new HttpError(403, 'Not permitted');
  };
  const entryOf = async (req: Request): Promise<Petition> => {
    const raw = String(req.params.id);
    const p = /^\d{1,12}$/.test(raw) ? await petitionById(o.db, o.cipher, Number(raw)) : null;
    if (!p || !can(actorOf(req), 'petition.register', { districtCode: p.districtCode, provinceCode: p.provinceCode })) throw new HttpError(404, 'Not found');
    return p;
  };
  const query = (req: Request) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw new HttpError(400, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return q.data;
  };
  const audit = (req: Request, action: string, target: string, detail?: Record<string, unknown>) =>
    recordAudit(o.db, { officerId: actorOf(req).id, action, target, ...(detail ? { detail } : {}), ip: req.ip ?? null, at: now() });

  router.get('/petitions', o.requireOfficer, async (req, res) => {
    const province = reachOf(req);
    const { from, to } = query(req);
    const petitions = await listPetitions(o.db, o.cipher, { provinceCode: province, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
    await audit(req, 'petition.list', province ? `province ${province}` : 'all', { rows: petitions.length });
    res.json({ petitions });
  });

  router.get('/petitions/export.:format', o.requireOfficer, async (req, res) => {
    const province = reachOf(req);
    const format = String(req.params.format);
    if (format !== 'csv' && format !== 'xlsx') throw new HttpError(404, 'Not found');
    const { from, to, lang } = query(req);
    const petitions = await listPetitions(o.db, o.cipher, { provinceCode: province, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
    await audit(req, 'petition.export', province ? `province ${province}` : 'all', { format, rows: petitions.length });
    const body = format === 'csv' ? registerCsv(petitions, lang) : await registerXlsx(petitions, lang);
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="royal-petitions.${format}"`);
    res.send(body);
  });

  router.put('/petitions/:id', o.requireOfficer, async (req, res) => {
    const entry = await entryOf(req);
    const parsed = updateBody.safeParse(req.body);
    if (!parsed.success) {
      throw new HttpError(400, 'The entry is not valid', { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    const at = now();
    await o.db.transaction(async (tx) => {
      await updatePetition(tx, o.cipher, entry.id, parsed.data, actorOf(req).username, at);
      await recordAudit(tx, { officerId: actorOf(req).id, action: 'petition.update', target: `petition ${entry.registerNumber}`, detail: { status: parsed.data.status }, ip: req.ip ?? null, at });
    });
    res.json(await petitionById(o.db, o.cipher, entry.id));
  });

  return router;
}
