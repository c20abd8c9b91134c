/**
 * Where a district's officers hear of new work: its notification targets, and one-time codes that bind a LINE
 * group to it (typed in the group; notify/binding.ts). Its office hours and own closed days (office/store.ts).
 * Supervisors (their province) and admins only, checked on the server by the permission table.
 */
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import { createBindingCode } from '../../notify/binding';
import { addTarget, deactivateTarget, districtOfTarget, InvalidTargetError, listTargets } from '../../notify/targets';
import { actorOf, HttpError, requirePermission } from './auth';
import { clockTime, DEFAULT_OFFICE_HOURS, minutesOf } from '../../office/hours';
import { publicHolidaysOf } from '../../office/holidays';
import { DistrictOfficeStore, MAX_DISTRICT_HOLIDAYS, type DistrictOfficeConfig } from '../../office/store';
import { districtByCode } from '../../flows/places';

export interface DistrictsApiOptions {
  db: Database;
  cipher: DataCipher;
  requireOfficer: RequestHandler;
  now?: () => number;
  /** Each district's office hours, shared with the conversations so a save reaches them at once. */
  offices?: DistrictOfficeStore;
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

/** "08:30": 00:00 to 24:00. */
const clock = z.string().refine((s) => minutesOf(s) !== null, 'a time of day such as 08:30');
/** A real calendar day, YYYY-MM-DD. */
const day = z.string().refine((s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s && Number(m[1]) >= 2000 && Number(m[1]) <= 2100;
}, 'a day such as 2026-12-08 (Common Era)');

const officeHoursBody = z
  .strictObject({
    opens: clock,
    closes: clock,
    weekdays: z.array(z.number().int().min(1, 'weekdays are 1 (Monday) to 7 (Sunday)').max(7, 'weekdays are 1 (Monday) to 7 (Sunday)')).min(1, 'at least one working day').max(7),
    answerMinutes: z.number().int('whole minutes').min(5, 'at least 5 minutes').max(1440, 'at most 1440 minutes (a day)'),
    holidays: z
      .array(z.strictObject({ day, name: z.string().trim().min(1, 'a holiday needs a name').max(200) }))
      .max(MAX_DISTRICT_HOLIDAYS, `at most ${MAX_DISTRICT_HOLIDAYS} holidays`)
      .default([]),
  })
  .superRefine((b, ctx) => {
    const [opens, closes] = [minutesOf(b.opens), minutesOf(b.closes)];
    if (opens !== null && closes !== null && opens >= closes) ctx.addIssue({ code: 'custom', path: ['closes'], message: 'the office must open before it closes' });
    if (new Set(b.weekdays).size !== b.weekdays.length) ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'each weekday once' });
    const seen = new Set<string>();
    b.holidays.forEach((h, i) => {
      if (seen.has(h.day)) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'day'], message: 'each day once' });
      seen.add(h.day);
    });
  });

/**
 * What the console's office-hours card shows: the district's hours (its own, or the defaults it keeps), its own
 * closed days, and the Thai public holidays of this year and the next, which close every district.
 */
async function officeHoursView(offices: DistrictOfficeStore, db: Database, code: string, now: number) {
  const stored = await offices.read(db, code);
  const d = offices.defaults;
  const year = new Date(now + 7 * 3_600_000).getUTCFullYear();
  return {
    districtCode: code,
    custom: stored !== null,
    opens: clockTime(stored?.opens ?? d.opens),
    closes: clockTime(stored?.closes ?? d.closes),
    weekdays: [...(stored?.weekdays ?? d.weekdays)],
    answerMinutes: stored?.answerMinutes ?? d.answerMinutes,
    holidays: stored?.holidays ?? [],
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
    // Closed days every district keeps: OFFICE_HOLIDAYS from the settings, and the public holidays.
    settingsHolidays: Object.keys(d.holidays ?? {}).sort(),
    publicHolidays: publicHolidaysOf([year, year + 1]),
  };
}
