/**
 * The officer console's cases: a filtered, paginated list of what the officer may see (never a personal number),
 * a case's full file (timeline with internal notes, attachments, and the complainant's phone and national ID
 * decrypted, each such view written to the audit log), internal notes, status changes (pushed to the citizen
 * when public, naming the agency or the Ministry's reason), reopening a closed case, and assignment to an
 * officer of the case's district. A case's district and confidentiality come from its row; a case the officer
 * may not see is a 404.
 *
 * A status change follows cases/reasons.ts checkStatusChange: ended and not_accepted need a reason of their own
 * list (400 naming the allowed codes), forwarded the agency's name (400); a change to the status the case
 * already has is a 409 (nothing would change, and the citizen would be told twice), except forwarding again to
 * another agency; a closed case is a 409 until it is reopened (POST /cases/:number/reopen).
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import type { Logger } from '../../runtime/logger';
import { addEvent, assignCase, boolFor, caseByNumber, type CaseRow } from '../../cases/store';
import { changeCaseStatus, reopenCase } from '../../cases/notices';
import { END_REASONS, NOT_ACCEPTED_REASONS, checkStatusChange } from '../../cases/reasons';
import { parseTrackingNumber } from '../../flows/inputs/tracking-number';
import { CASE_STATUSES, CATEGORIES, CLOSED_STATUSES } from '../../domain/cases';
import { scheduleJob } from '../../scheduler/jobs';
import { can, type Action, type Actor, type Target } from '../auth/permissions';
import { recordView } from '../auth/audit';
import { actorOf, HttpError, requirePermission } from './auth';
import { statusChangeBody, statusChangeRefusal } from './status-change';

export interface CaseFilesApiOptions {
  db: Database;
  cipher: DataCipher;
  logger: Logger;
  requireOfficer: RequestHandler;
  /** The cases' clock (tests move it). */
  now?: () => number;
  outboxClock?: () => number;
  onQueued?: () => void;
  /** The progress clock a reopened case starts again with (PROGRESS_NOTICE_DAYS, 15 by default). */
  progressNoticeDays?: number;
}

export const CASE_PAGE_MAX = 100;
const BANGKOK_OFFSET = '+07:00';

const listQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  category: z.enum(CATEGORIES).optional(),
  district: z.string().regex(/^\d{4}$/).optional(),
  /** Dates of filing, YYYY-MM-DD in Thailand's time, inclusive. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** A tracking number (or its beginning) or part of the complainant's name. */
  q: z.string().trim().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(CASE_PAGE_MAX).optional(),
});

/** No line breaks or other control characters: the agency's name is one line of the citizen's message. */
const reopenBody = z.strictObject({ note: z.string().trim().min(1).max(2000), public: z.boolean() });
const noteBody = z.strictObject({ note: z.string().trim().min(1).max(4000) });
const assignBody = z.strictObject({ officerId: z.number().int().positive() });
const DEFAULT_PROGRESS_NOTICE_DAYS = 15;


const numericId = (v: unknown): number | null => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null);

const dayStart = (d: string) => Date.parse(`${d}T00:00:00${BANGKOK_OFFSET}`);
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** A case's whole row: the officer's file shows more than the citizen's CaseRow carries. */
type FullCase = CaseRow & {
  channel: string;
  confidential: boolean | number;
  royal_petition: boolean | number;
  anonymous: boolean | number;
  province_code: string | null;
  district_code: string | null;
  subdistrict_code: string | null;
  occurred_on: string | null;
  location: string | null;
  subject: string | null;
  request: string | null;
  close_reason: string | null;
  forwarded_to: string | null;
  assigned_officer_id: number | string | null;
  complainant_name: string | null;
  address: string | null;
  phone_enc: string | null;
  national_id_enc: string | null;
};

async function fullCase(q: Pick<Database, 'query'>, trackingNumber: string): Promise<FullCase | null> {
  const row = await caseByNumber(q, trackingNumber);
  if (!row) return null;
  const [more] = await q.query<Omit<FullCase, keyof CaseRow>>(
    `SELECT channel, confidential, royal_petition, anonymous, province_code, district_code, subdistrict_code, occurred_on, location,
            subject, request, close_reason, forwarded_to, assigned_officer_id, complainant_name, address, phone_enc, national_id_enc
       FROM cases WHERE id = $1`,
    [row.id],
  );
  return more ? { ...row, ...more } : null;
}

const caseTarget = (r: FullCase): Target => ({ districtCode: r.district_code, provinceCode: r.province_code, confidential: Boolean(r.confidential) });

/** The SQL that keeps a list to what the actor may see; the same rule as permissions.ts `can`. */
function reachSql(actor: Actor, db: Pick<Database, 'dialect'>, add: (v: unknown) => string): string | null {
  if (actor.role === 'admin') return null;
  if (actor.role === 'supervisor') {
    if (!actor.provinceCode) return '1 = 0';
    return `COALESCE(province_code, SUBSTR(district_code, 1, 2)) = ${add(actor.provinceCode)}`;
  }
  if (!actor.districtCode) return '1 = 0';
  return `district_code = ${add(actor.districtCode)} AND confidential = ${add(boolFor(db, false))}`;
}

export function caseFilesRouter(o: CaseFilesApiOptions): Router {
  const router = express.Router();
  const now = o.now ?? Date.now;
  const signedIn = o.requireOfficer;

  const numberOf = (req: Request) => {
    const parsed = parseTrackingNumber(String(req.params.number));
    return parsed.ok ? parsed.value.text : null;
  };
  const loaded = async (req: Request): Promise<Target | null> => {
    const n = numberOf(req);
    const row = n ? await fullCase(o.db, n) : null;
    if (!row) return null;
    (req as Request & { caseRow?: FullCase }).caseRow = row;
    return caseTarget(row);
  };
  const allowed = (action: Action) => requirePermission(action, loaded, { hideRefused: true });
  const rowOf = (req: Request) => (req as Request & { caseRow?: FullCase }).caseRow!;
  /** Officers' display names by id, for the timeline and the assignee (one query, whatever the count). */
  const namesOf = async (ids: Iterable<number>): Promise<Map<number, string>> => {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await o.db.query<{ id: number | string; display_name: string }>(
      `SELECT id, display_name FROM officer WHERE id IN (${unique.map((_, i) => `$${i + 1}`).join(', ')})`,
      unique,
    );
    return new Map(rows.map((r) => [Number(r.id), r.display_name]));
  };

  router.get('/cases', signedIn, async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw new HttpError(400, 'Invalid filter', { errors: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const f = q.data;
    const actor = actorOf(req);
    const params: unknown[] = [];
    const add = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    const reach = reachSql(actor, o.db, add);
    if (reach) where.push(`(${reach})`);
    if (f.status) where.push(`status = ${add(f.status)}`);
    if (f.category) where.push(`category = ${add(f.category)}`);
    if (f.district) where.push(`district_code = ${add(f.district)}`);
    if (f.from) where.push(`created_at >= ${add(dayStart(f.from))}`);
    if (f.to) where.push(`created_at < ${add(dayStart(f.to) + 86_400_000)}`);
    if (f.overdue) {
      const closed = CLOSED_STATUSES.map((s) => add(s)).join(', ');
      where.push(f.overdue === 'true' ? `(status NOT IN (${closed}) AND due_at < ${add(now())})` : `NOT (status NOT IN (${closed}) AND due_at < ${add(now())})`);
    }
    if (f.q) {
      const p = add(like(f.q.toUpperCase()));
      const n = add(like(f.q));
      where.push(`(UPPER(tracking_number) LIKE ${p} ESCAPE '\\' OR complainant_name LIKE ${n} ESCAPE '\\')`);
    }
    const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await o.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM cases ${sqlWhere}`, params);
    const pageSize = f.pageSize ?? 25;
    const page = f.page ?? 1;
    const rows = await o.db.query<Record<string, unknown>>(
      `SELECT tracking_number, category, status, confidential, royal_petition, anonymous, province_code, district_code, subject, story,
              complainant_name, created_at, updated_at, due_at, closed_at, assigned_officer_id
         FROM cases ${sqlWhere} ORDER BY created_at DESC, id DESC LIMIT ${add(pageSize)} OFFSET ${add((page - 1) * pageSize)}`,
      params,
    );
    const at = now();
    const closed = new Set<string>(CLOSED_STATUSES);
    const assignees = await namesOf(rows.map((r) => r.assigned_officer_id).filter((v) => v !== null && v !== undefined).map(Number));
    const assignedTo = (v: unknown) => (v === null || v === undefined ? null : { officerId: Number(v), name: assignees.get(Number(v)) ?? null });
    res.json({
      total: Number(count?.n ?? 0),
      page,
      pageSize,
      cases: rows
        // The SQL keeps to the actor's reach; `can` is asked again so the two can never drift apart silently.
        .filter((r) => can(actor, 'case.list', { districtCode: r.district_code as string | null, provinceCode: r.province_code as string | null, confidential: Boolean(r.confidential) }))
        .map((r) => ({
          number: r.tracking_number,
          category: r.category,
          status: r.status,
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
        })),
    });
  });

  router.get('/cases/:number', signedIn, allowed('case.view'), async (req, res) => {
    const row = rowOf(req);
    const actor = actorOf(req);
    const events = await o.db.query<Record<string, unknown>>(
      `SELECT id, at, actor_type, actor_id, kind, status_from, status_to, note, reason, forwarded_to, public
         FROM case_event WHERE case_id = $1 ORDER BY id`,
      [row.id],
    );
    // An assignment's note names the assignee as "officer:<id>"; officers act under their id.
    const assigneeOf = (e: Record<string, unknown>) => (e.kind === 'assigned' ? numericId(/^officer:(\d+)$/.exec(String(e.note ?? ''))?.[1]) : null);
    const assignedId = row.assigned_officer_id === null ? null : Number(row.assigned_officer_id);
    const names = await namesOf([
      ...events.flatMap((e) => [e.actor_type === 'officer' ? numericId(e.actor_id) : null, assigneeOf(e)]).filter((id): id is number => id !== null),
      ...(assignedId !== null ? [assignedId] : []),
    ]);
    const attachments = await o.db.query<Record<string, unknown>>(
      'SELECT id, media_type, content_type, file_name, size, sha256, created_at FROM attachment WHERE case_id = $1 ORDER BY id',
      [row.id],
    );
    const personal = can(actor, 'case.view_personal', caseTarget(row));
    if (personal) {
      await recordView(o.db, { officerId: actor.id, action: 'case.view_personal', target: row.tracking_number, ip: req.ip ?? null, at: now() });
    }
    res.json({
      number: row.tracking_number,
      category: row.category,
      status: row.status,
      channel: row.channel,
      confidential: Boolean(row.confidential),
      royalPetition: Boolean(row.royal_petition),
      anonymous: Boolean(row.anonymous),
      provinceCode: row.province_code,
      districtCode: row.district_code,
      subdistrictCode: row.subdistrict_code,
      occurredOn: row.occurred_on,
      location: row.location,
      subject: row.subject,
      request: row.request,
      story: row.story,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      dueAt: row.due_at,
      closedAt: row.closed_at,
      closeReason: row.close_reason,
      forwardedTo: row.forwarded_to,
      assignedTo: assignedId === null ? null : { officerId: assignedId, name: names.get(assignedId) ?? null },
      reopenCount: row.reopen_count,
      // The page's reason select offers the server's lists, so the two never disagree.
      reasons: { ended: END_REASONS, not_accepted: NOT_ACCEPTED_REASONS },
      complainant: {
        name: row.complainant_name,
        address: personal ? row.address : null,
        phone: personal && row.phone_enc ? o.cipher.decrypt(row.phone_enc) : null,
        nationalId: personal && row.national_id_enc ? o.cipher.decrypt(row.national_id_enc) : null,
      },
      timeline: events.map((e) => {
        const actor = e.actor_type === 'officer' ? numericId(e.actor_id) : null;
        const assignee = assigneeOf(e);
        return {
          id: Number(e.id),
          at: Number(e.at),
          actorType: e.actor_type,
          actorId: e.actor_id,
          actorName: actor === null ? null : (names.get(actor) ?? null),
          kind: e.kind,
          statusFrom: e.status_from,
          statusTo: e.status_to,
          // The assignment's note is the machine's; the page shows the assignee by name instead.
          note: assignee === null ? e.note : null,
          reason: e.reason ?? null,
          forwardedTo: e.forwarded_to ?? null,
          assignee: assignee === null ? null : { officerId: assignee, name: names.get(assignee) ?? null },
          public: Boolean(e.public),
        };
      }),
      attachments: attachments.map((a) => ({
        id: Number(a.id),
        mediaType: a.media_type,
        contentType: a.content_type,
        fileName: a.file_name,
        size: Number(a.size),
        sha256: a.sha256,
        createdAt: Number(a.created_at),
      })),
    });
  });

  router.post('/cases/:number/notes', signedIn, allowed('case.note'), async (req, res) => {
    const body = noteBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send {"note": ...}');
    const row = rowOf(req);
    const at = now();
    const id = await o.db.transaction((tx) =>
      addEvent(tx, row.id, { at, actorType: 'officer', actorId: String(req.officer!.id), kind: 'note', note: body.data.note, public: false }),
    );
    res.status(201).json({ id, at });
  });

  router.post('/cases/:number/status', signedIn, allowed('case.update_status'), async (req, res) => {
    const body = statusChangeBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Invalid status change', { errors: body.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const n = rowOf(req).tracking_number;
    const at = now();
    const actorId = String(req.officer!.id);
    const change = { to: body.data.status, reason: body.data.reason || null, agency: body.data.agency || null };
    await o.db.transaction(async (tx) => {
      const row = (await caseByNumber(tx, n))!;
      // Checked against the row in the transaction: two officers changing the case at once cannot both pass.
      const [current] = await tx.query<{ forwarded_to: string | null }>('SELECT forwarded_to FROM cases WHERE id = $1', [row.id]);
      const problem = checkStatusChange({ status: row.status, forwardedTo: current?.forwarded_to ?? null }, change);
      if (problem) throw statusChangeRefusal(problem, change.to);
      await changeCaseStatus(
        tx,
        row,
        {
          to: change.to,
          note: body.data.note || null,
          public: body.data.public,
          actorId,
          reason: change.reason,
          forwardedTo: change.agency,
          now: at,
          sendAt: (o.outboxClock ?? Date.now)(),
        },
        async (job) => {
          await scheduleJob(tx, job, { replaceDone: true, now: at });
        },
      );
    });
    o.onQueued?.();
    o.logger.info({ case: n, status: change.to, reason: change.reason, public: body.data.public, officer: actorId }, 'case status changed in the console');
    res.json({ ok: true });
  });

  router.post('/cases/:number/reopen', signedIn, allowed('case.update_status'), async (req, res) => {
    const body = reopenBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send {"note": ..., "public": true|false}: a note is required to reopen a case');
    const n = rowOf(req).tracking_number;
    const at = now();
    const actorId = String(req.officer!.id);
    const reopened = await o.db.transaction(async (tx) => {
      const row = (await caseByNumber(tx, n))!;
      if (!CLOSED_STATUSES.includes(row.status)) throw new HttpError(409, `The case is ${row.status}, not closed`, { problem: 'not_closed' });
      return reopenCase(
        tx,
        row,
        {
          note: body.data.note,
          public: body.data.public,
          actorId,
          now: at,
          sendAt: (o.outboxClock ?? Date.now)(),
          progressNoticeDays: o.progressNoticeDays ?? DEFAULT_PROGRESS_NOTICE_DAYS,
        },
        async (job) => {
          await scheduleJob(tx, job, { replaceDone: true, now: at });
        },
      );
    });
    o.onQueued?.();
    o.logger.info({ case: n, public: body.data.public, officer: actorId }, 'case reopened in the console');
    res.json({ ok: true, status: 'in_progress', dueAt: reopened.dueAt });
  });

  router.get('/cases/:number/assignees', signedIn, allowed('case.assign'), async (req, res) => {
    const row = rowOf(req);
    if (!row.district_code) return void res.json({ officers: [] });
    const officers = await o.db.query<{ id: number | string; display_name: string; role: string }>(
      'SELECT id, display_name, role FROM officer WHERE district_code = $1 AND disabled = $2 ORDER BY display_name, id',
      [row.district_code, boolFor(o.db, false)],
    );
    res.json({ officers: officers.map((x) => ({ id: Number(x.id), name: x.display_name, role: x.role })) });
  });

  router.post('/cases/:number/assign', signedIn, allowed('case.assign'), async (req, res) => {
    const body = assignBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send {"officerId": ...}');
    const row = rowOf(req);
    const [officer] = await o.db.query<{ id: number; district_code: string | null; disabled: unknown; display_name: string }>(
      'SELECT id, district_code, disabled, display_name FROM officer WHERE id = $1',
      [body.data.officerId],
    );
    if (!officer || officer.disabled === true || Number(officer.disabled) === 1) throw new HttpError(404, 'No such officer');
    if (!row.district_code || officer.district_code !== row.district_code) throw new HttpError(409, "The officer is not of the case's district");
    const at = now();
    await o.db.transaction((tx) => assignCase(tx, row.id, { officerId: Number(officer.id), actorId: String(req.officer!.id), now: at }));
    res.json({ ok: true, assignedTo: { officerId: Number(officer.id), name: officer.display_name } });
  });

  return router;
}
