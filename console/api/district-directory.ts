/**
 * The districts an account may configure, with their Thai and English names from the bundled DOPA list
 * (flows/places/): the settings pages' district picker. Who may configure what is the permission table's answer
 * (district.configure), asked here per district, so the picker never offers what the server would refuse:
 *
 * - admin: every district, or one province's with ?province=;
 * - supervisor: their province's;
 * - officer: their own district, read-only (canConfigure false), so a page can still name it.
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { allProvinces, districtByCode, districtsOf, provinceByCode, type District } from '../../flows/places/index';
import { can, type Actor } from '../auth/permissions';
import { actorOf, HttpError } from './auth';

export interface DirectoryDistrict {
  code: string;
  th: string;
  en: string;
  provinceCode: string;
  provinceTh: string;
  provinceEn: string;
  /** The account may change this district's settings (targets, canned replies, office hours). */
  canConfigure: boolean;
}

export interface DistrictDirectoryOptions {
  requireOfficer: RequestHandler;
}

const directoryQuery = z.strictObject({
  province: z.string().regex(/^\d{2}$/, 'a province is a 2-digit DOPA code such as 49').optional(),
});

function entryOf(actor: Actor, d: District): DirectoryDistrict {
  const province = provinceByCode(d.provinceCode);
  return {
    code: d.code,
    th: d.th,
    en: d.en,
    provinceCode: d.provinceCode,
    provinceTh: province?.th ?? d.provinceCode,
    provinceEn: province?.en ?? d.provinceCode,
    canConfigure: can(actor, 'district.configure', { districtCode: d.code }),
  };
}

/** Pure: the districts of the directory for an actor, in DOPA code order; `province` narrows it. */
export function directoryFor(actor: Actor, province?: string): DirectoryDistrict[] {
  const provinces = province ? [province] : allProvinces().map((p) => p.code);
  const entries = provinces.flatMap((p) => districtsOf(p)).map((d) => entryOf(actor, d));
  if (actor.role === 'officer') return entries.filter((e) => e.code === actor.districtCode);
  return entries.filter((e) => e.canConfigure);
}

export function districtDirectoryRouter(o: DistrictDirectoryOptions): Router {
  const router = express.Router();

  router.get('/districts', o.requireOfficer, (req: Request, res) => {
    const q = directoryQuery.safeParse(req.query);
    if (!q.success) throw new HttpError(400, q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
    const province = q.data.province;
    if (province && !provinceByCode(province)) throw new HttpError(404, `No province ${province}`);
    res.json({ districts: directoryFor(actorOf(req), province) });
  });

  /** One district by code, for a settings page's heading: 403 unless the account may configure it (or is its officer). */
  router.get('/districts/:code', o.requireOfficer, (req: Request, res) => {
    const code = String(req.params.code);
    if (!/^\d{4}$/.test(code)) throw new HttpError(400, 'A district is a 4-digit DOPA code such as 4901');
    const district = districtByCode(code);
    if (!district) throw new HttpError(404, `No district ${code}`);
    const actor = actorOf(req);
    const entry = entryOf(actor, district);
    if (!entry.canConfigure && !(actor.role === 'officer' && actor.districtCode === code)) throw new HttpError(403, 'Not permitted');
    res.json(entry);
  });

  return router;
}
