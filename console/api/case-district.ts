/**
 * A case's district in the console: where it is and where it was (GET /cases/:number/district), moving it to
 * another district with a reason (POST, the same route: both districts told, audited), and the supervisor's "to
 * place" list of cases that still have no district (GET /cases-to-place), each with the district its LINE pin lies
 * in when boundaries are installed.
 *
 * Who: a placed case, its district's officers and its province's supervisors (case.move). A case with no district
 * lies in no officer's reach (permissions.ts); it is the supervisors' of the province it is known to lie in (its
 * province, else its pin's, else the center's) and the admins'. Anyone else gets the same 404 as for no case.
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import type { PinPlacer } from '../../flows/engine';
import { districtByCode, districtsOf, provinceByCode, subdistrictByCode } from '../../flows/places';
import { parseTrackingNumber } from '../../flows/inputs/tracking-number';
import { caseFileByNumber, type CaseFile } from '../../cases/files';
import { CaseMoveError, moveCase, movesOf } from '../../cases/move';
import type { Category } from '../../domain/cases';
import { categoryList, isConfidentialCase } from '../../categories';
import { can, type Actor } from '../auth/permissions';
import { recordAudit } from '../auth/audit';
import { actorOf, HttpError } from './auth';
import { caseTarget } from './cases/context';

export interface CaseDistrictApiOptions {
  db: Database;
  cipher: DataCipher;
  requireOfficer: RequestHandler;
  /** The district that takes what has no place (CENTER_DISTRICT): its province's supervisors place the rest. */
  centerDistrict: string | null;
  /** Places a case's LINE pin, to propose a district for a case that has none (no boundaries: no proposal). */
  placePin?: PinPlacer;
  now?: () => number;
  outboxClock?: () => number;
  onQueued?: () => void;
}

const moveBody = z.strictObject({
  district: z.string().regex(/^\d{4}$/, 'a district is a 4-digit DOPA code such as 4903'),
  reason: z.string().trim().min(3, 'say why, in a few words').max(500),
});

interface Proposal {
  district: string;
  subdistrict: string | null;
}

const nameOf = (code: string | null) => {
  const d = code ? districtByCode(code) : null;
  return d ? { code: d.code, th: d.th, en: d.en, provinceCode: d.provinceCode } : null;
};

/** The district a case's LINE pin lies in, when boundaries are installed and the pin was kept. */
function proposalOf(row: Pick<CaseFile, 'location'>, placePin: PinPlacer | undefined): Proposal | null {
  if (!placePin || !row.location) return null;
  let where: { source?: string; latitude?: number; longitude?: number };
  try {
    where = JSON.parse(row.location);
  } catch {
    return null;
  }
  if (where.source !== 'line' || typeof where.latitude !== 'number' || typeof where.longitude !== 'number') return null;
  const placed = placePin(where.latitude, where.longitude);
  const first = placed.kind === 'placed' ? placed.places[0] : placed.kind === 'elsewhere' ? placed.place : undefined;
  return first ? { district: first.district, subdistrict: first.subdistrict ?? null } : null;
}

/** The province a case with no district is known to lie in, for whose supervisors place it. */
function unplacedProvince(row: Pick<CaseFile, 'province_code'>, proposal: Proposal | null, centerDistrict: string | null): string | null {
  return row.province_code ?? proposal?.district.slice(0, 2) ?? centerDistrict?.slice(0, 2) ?? null;
}

function mayPlace(actor: Actor, province: string | null): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'supervisor' && !!province && province === actor.provinceCode;
}

export function caseDistrictRouter(o: CaseDistrictApiOptions): Router {
  const now = o.now ?? Date.now;
  const sendAt = o.outboxClock ?? Date.now;
  const router = express.Router();

  /** The case of the path, if this account may move it (else null: the caller answers 404). */
  async function movable(req: Request): Promise<{ row: CaseFile; proposal: Proposal | null } | null> {
    const parsed = parseTrackingNumber(String(req.params.number));
    const row = parsed.ok ? await caseFileByNumber(o.db, o.cipher, parsed.value.text) : null;
    if (!row) return null;
    const actor = actorOf(req);
    if (row.district_code) return can(actor, 'case.move', caseTarget(row)) ? { row, proposal: null } : null;
    const proposal = proposalOf(row, o.placePin);
    return mayPlace(actor, unplacedProvince(row, proposal, o.centerDistrict)) ? { row, proposal } : null;
  }

  router.get('/cases/:number/district', o.requireOfficer, async (req, res) => {
    const found = await movable(req);
    if (!found) throw new HttpError(404, 'Not found');
    const { row, proposal } = found;
    const province = row.district_code?.slice(0, 2) ?? unplacedProvince(row, proposal, o.centerDistrict);
    const moves = await movesOf(o.db, row.id);
    res.json({
      district: nameOf(row.district_code),
      proposed: proposal ? nameOf(proposal.district) : null,
      moves: moves.map((m) => ({ at: m.at, from: nameOf(m.from), to: nameOf(m.to), reason: m.reason })),
      // The select's districts: the case's province first; any district may be sent.
      choices: (province ? districtsOf(province) : []).map((d) => nameOf(d.code)),
    });
  });

  router.post('/cases/:number/district', o.requireOfficer, async (req, res) => {
    const found = await movable(req);
    if (!found) throw new HttpError(404, 'Not found');
    const body = moveBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { row } = found;
    const actor = actorOf(req);
    const at = now();
    try {
      const moved = await o.db.transaction(async (tx) => {
        const r = await moveCase(tx, row, { to: body.data.district, reason: body.data.reason, actorId: String(actor.id), now: at, sendAt: sendAt() });
        await recordAudit(tx, {
          officerId: actor.id,
          action: 'case.move',
          target: row.tracking_number,
          detail: { from: r.from, to: r.to, reason: body.data.reason },
          ip: req.ip ?? null,
          at,
        });
        return r;
      });
      o.onQueued?.();
      // The mover may no longer see the case (an officer who moved it out of her district): the page says so.
      const stillVisible = can(actor, 'case.view', { districtCode: moved.to, provinceCode: moved.to.slice(0, 2), confidential: Boolean(row.confidential) });
      res.json({ ok: true, from: nameOf(moved.from), to: nameOf(moved.to), stillVisible });
    } catch (err) {
      if (err instanceof CaseMoveError) throw new HttpError(err.code === 'same_district' ? 409 : 400, err.message, { code: err.code });
      throw err;
    }
  });

  router.get('/cases-to-place', o.requireOfficer, async (req, res) => {
    const actor = actorOf(req);
    if (actor.role === 'officer') throw new HttpError(403, 'Not permitted');
    const rows = await o.db.query<{
      tracking_number: string;
      category: Category;
      status: string;
      created_at: number | string;
      story: string;
      confidential: boolean | number;
      province_code: string | null;
      location: string | null;
    }>(
      `SELECT tracking_number, category, status, created_at, story, confidential, province_code, location
         FROM cases WHERE district_code IS NULL ORDER BY created_at DESC, id DESC LIMIT 500`,
    );
    const categories = await categoryList(o.db);
    const cases = rows
      .map((r) => {
        const proposal = proposalOf({ location: o.cipher.reveal(r.location) }, o.placePin);
        return { r, proposal, province: unplacedProvince(r, proposal, o.centerDistrict) };
      })
      .filter((x) => mayPlace(actor, x.province))
      .map(({ r, proposal, province }) => ({
        trackingNumber: r.tracking_number,
        category: r.category,
        status: r.status,
        createdAt: Number(r.created_at),
        // A confidential case's story is not shown in a list (notify/queue.ts keeps the same rule).
        summary: isConfidentialCase(r, categories) ? null : (r.story.split('\n')[0] ?? '').slice(0, 120),
        province: province ? { code: province, th: provinceByCode(province)?.th ?? province, en: provinceByCode(province)?.en ?? province } : null,
        proposed: proposal
          ? { ...nameOf(proposal.district)!, subdistrict: proposal.subdistrict ? { code: proposal.subdistrict, th: subdistrictByCode(proposal.subdistrict)?.th ?? null } : null }
          : null,
      }));
    res.json({ cases });
  });

  return router;
}
