/**
 * GET /cases: a filtered, paginated list of the cases the officer may see, newest first, never with a personal
 * number. The SQL keeps to the reader's reach (cases/case-list.ts); the permission table is asked again per row.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { listCases, type CaseReach } from '../../../cases/case-list';
import { CASE_STATUSES, CHANNELS, CLOSED_STATUSES } from '../../../domain/cases';
import { CATEGORY_CODE } from '../../../categories';
import { officerNames } from '../../auth/officer-directory';
import { can, type Actor } from '../../auth/permissions';
import { actorOf, HttpError } from '../auth';
import type { CasesContext } from './context';

export const CASE_PAGE_MAX = 100;

const listQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  category: z.string().regex(CATEGORY_CODE).optional(),
  channel: z.enum(CHANNELS).optional(),
  district: z.string().regex(/^\d{4}$/).optional(),
  /** Dates of filing, YYYY-MM-DD in Thailand's time, inclusive. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** The citizen's latest rating: 1-5, or none. */
  rating: z.enum(['1', '2', '3', '4', '5', 'none']).optional(),
  /** A tracking number (or its beginning) or part of the complainant's name. */
  q: z.string().trim().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(CASE_PAGE_MAX).optional(),
});

/** The permission table's rule for listing cases (permissions.ts `can`, case.list) in the terms of a case's columns. */
function reachOf(actor: Actor): CaseReach {
  if (actor.role === 'admin') return { scope: 'all' };
  if (actor.role === 'supervisor') return { scope: 'province', provinceCode: actor.provinceCode };
  return { scope: 'district', districtCode: actor.districtCode };
}

export function listCasesHandler(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw new HttpError(400, 'Invalid filter', { errors: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const { overdue, rating, page = 1, pageSize = 25, ...filter } = q.data;
    const actor = actorOf(req);
    const found = await listCases(c.db, c.cipher, reachOf(actor), {
        ...filter,
        ...(overdue ? { overdue: overdue === 'true' } : {}),
        ...(rating ? { rating: rating === 'none' ? ('none' as const) : (Number(rating) as 1 | 2 | 3 | 4 | 5) } : {}),
        page,
        pageSize,
      }, c.now());
    const at = c.now();
    const closed = new Set<string>(CLOSED_STATUSES);
    const assignees = await officerNames(c.db, found.rows.map((r) => r.assigned_officer_id).filter((v) => v !== null && v !== undefined).map(Number));
    const assignedTo = (v: unknown) => (v === null || v === undefined ? null : { officerId: Number(v), name: assignees.get(Number(v)) ?? null });
    res.json({
      total: found.total,
      page,
      pageSize,
      cases: found.rows
        // The SQL keeps to the actor's reach; `can` is asked again so the two can never drift apart silently.
        .filter((r) => can(actor, 'case.list', { districtCode: r.district_code, provinceCode: r.province_code, confidential: Boolean(r.confidential) }))
        .map((r) => ({
          number: r.tracking_number,
          category: r.category,
          status: r.status,
          channel: r.channel,
          confidential: Boolean(r.confidential),
          royalPetition: Boolean(r.royal_petition),
          anonymous: Boolean(r.anonymous),
          provinceCode: r.province_code,
          districtCode: r.district_code,
          subject: r.subject ?? String(r.story ?? '').split('\n')[0]?.slice(0, 120),
          complainantName: r.anonymous ? null : r.complainant_name,
          createdAt: Number(r.created_at),
          updatedAt: Number(r.updated_at),
          dueAt: Number(r.due_at),
          overdue: !closed.has(String(r.status)) && Number(r.due_at) < at,
          assignedTo: assignedTo(r.assigned_officer_id),
          rating: r.rating === null || r.rating === undefined ? null : Number(r.rating),
        })),
    });
  };
}
