/**
 * POST /cases: an officer records a case that came in another way (the counter, 1567, a letter, a field visit,
 * e-mail, the website, another agency), with its scans and photos, into the one register (cases/counter.ts). As
 * multipart/form-data (the console's form: its fields, and files under "files"), or as JSON (API clients; files
 * as base64, within the API's small JSON limit). Every field is read by the bot's own parsers; every problem comes
 * back at once as {path, message: reason code}, as a 400. Officers record for their own district, supervisors for
 * any of their province (case.record); a complaint about officials (supervisors only) is refused to officers. The
 * filing, its audit line and the district's notice commit together.
 *
 * GET /places: the provinces, a province's districts, a district's subdistricts (DOPA codes, Thai and English),
 * for the form's place picker.
 */
import type { Request, RequestHandler } from 'express';
import busboy from 'busboy';
import { z } from 'zod';
import { checkCounterFiles, COUNTER_FILE_MAX_BYTES, COUNTER_FILES_MAX, readCounterCase, recordCounterCase, type CounterFile } from '../../../cases/counter';
import { categoryList, findCategory } from '../../../categories';
import { CategoryRefusedError } from '../../../cases/store';
import { allProvinces, districtsOf, provinceByCode, subdistrictsOf, districtByCode } from '../../../flows/places/index';
import { recordAudit } from '../../auth/audit';
import { can } from '../../auth/permissions';
import { actorOf, HttpError } from '../auth';
import type { CasesContext } from './context';

const MAX_FIELD_BYTES = 64 * 1024;
const MAX_FIELDS = 40;

const flag = z.union([z.boolean(), z.enum(['true', 'false', 'on', '1', '0']).transform((v) => v === 'true' || v === 'on' || v === '1')]);
const text = (max: number) => z.string().max(max).optional();

/** The form's fields: their shape only; what they mean is cases/counter.ts readCounterCase. */
const recordBody = z.strictObject({
  channel: z.string().max(32),
  category: z.string().max(32),
  districtCode: z.string().max(8).optional(),
  story: z.string().max(20_000),
  occurredOn: text(100),
  placeProvince: text(8),
  placeDistrict: text(8),
  placeSubdistrict: text(8),
  placeDetail: text(2000),
  subject: text(5000),
  request: text(5000),
  anonymous: flag.optional(),
  consent: flag.optional(),
  fullName: text(1000),
  phone: text(100),
  nationalId: text(100),
  address: text(5000),
});

/** JSON's files: base64, each named or not. */
const jsonFiles = z.array(z.strictObject({ fileName: z.string().max(255).nullable().optional(), base64: z.string() })).max(COUNTER_FILES_MAX);

interface Upload {
  fields: Record<string, unknown>;
  files: CounterFile[];
}

/** The multipart form, the files kept in memory within their limits; one too large is a 413 naming it. */
function readMultipart(req: Request): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: COUNTER_FILE_MAX_BYTES, files: COUNTER_FILES_MAX, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + COUNTER_FILES_MAX },
      });
    } catch {
      return reject(new HttpError(400, 'Malformed multipart form'));
    }
    const fields: Record<string, unknown> = {};
    const files: CounterFile[] = [];
    let refused: HttpError | null = null;
    const refuse = (e: HttpError) => (refused ??= e);
    // Done when the form has ended and every file in it has been read to its end.
    let open = 1;
    const settle = () => {
      if (--open === 0) (refused ? reject(refused) : resolve({ fields, files }));
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) refuse(new HttpError(413, `The field ${name} is too long`));
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      open++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => refuse(new HttpError(413, `The file ${info.filename ?? ''} is larger than ${COUNTER_FILE_MAX_BYTES / 1024 / 1024} MB`, { errors: [{ path: `files.${files.length}`, message: 'file_too_large' }] })));
      stream.on('end', () => {
        if (name === 'files') files.push({ fileName: info.filename ? info.filename.slice(0, 255) : null, bytes: Buffer.concat(chunks) });
        else refuse(new HttpError(400, `Files go in the field "files", not ${JSON.stringify(name)}`));
        settle();
      });
    });
    parser.on('filesLimit', () => refuse(new HttpError(413, `At most ${COUNTER_FILES_MAX} files`, { errors: [{ path: 'files', message: 'too_many_files' }] })));
    parser.on('fieldsLimit', () => refuse(new HttpError(413, 'Too many fields')));
    parser.on('partsLimit', () => refuse(new HttpError(413, 'Too many parts')));
    parser.on('error', () => reject(new HttpError(400, 'Malformed multipart form')));
    parser.on('close', settle);
    req.pipe(parser);
  });
}

async function readUpload(req: Request): Promise<Upload> {
  if (req.is('multipart/form-data')) return readMultipart(req);
  if (req.is('application/json')) {
    const { files, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const listed = jsonFiles.safeParse(files ?? []);
    if (!listed.success) throw new HttpError(400, 'Invalid case', { errors: listed.error.issues.map((i) => ({ path: ['files', ...i.path].join('.'), message: i.message })) });
    return { fields, files: listed.data.map((f) => ({ fileName: f.fileName ?? null, bytes: Buffer.from(f.base64, 'base64') })) };
  }
  throw new HttpError(415, 'Send multipart/form-data (or JSON)');
}

export function recordCase(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const actor = actorOf(req);
    const upload = await readUpload(req);
    const shape = recordBody.safeParse(upload.fields);
    if (!shape.success) throw new HttpError(400, 'Invalid case', { errors: shape.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const form = shape.data;
    // An officer records for their own district; anyone else names it.
    const districtCode = form.districtCode?.trim() || (actor.role === 'officer' ? (actor.districtCode ?? '') : '');
    const at = c.now();
    const categories = await categoryList(c.db);
    const read = readCounterCase({ ...form, districtCode }, at, categories);
    const fileErrors = checkCounterFiles(upload.files);
    if (!read.ok || fileErrors.length) {
      const errors = [...(read.ok ? [] : read.errors), ...fileErrors].map((e) => ({ path: e.path, message: e.reason }));
      throw new HttpError(400, 'Invalid case', { errors });
    }
    const target = { districtCode, confidential: findCategory(categories, read.value.category)?.confidential === true };
    if (!can(actor, 'case.record', target)) {
      // The district is not theirs, or the category is for supervisors only: say which, it is their own form.
      const path = can(actor, 'case.record', { districtCode }) ? 'category' : 'districtCode';
      throw new HttpError(403, 'Not permitted', { errors: [{ path, message: path === 'category' ? 'confidential_for_supervisors' : 'not_your_district' }] });
    }
    const filed = await c.db.transaction(async (tx) => {
      const f = await recordCounterCase(tx, c.cipher, {
        form: read.value,
        files: upload.files,
        officerId: req.officer!.id,
        now: at,
        prefix: c.casePrefix,
        dueDays: c.progressNoticeDays,
        centerDistrict: c.centerDistrict ?? null,
      });
      await recordAudit(tx, {
        officerId: req.officer!.id,
        action: 'case.record',
        target: f.trackingNumber,
        detail: { channel: read.value.channel, district: districtCode, files: upload.files.length },
        ip: req.ip ?? null,
        at,
      });
      return f;
    }).catch((err: unknown) => {
      // Retired since the list was read (another admin, another process): the form says so at its field.
      if (err instanceof CategoryRefusedError) throw new HttpError(400, 'Invalid case', { errors: [{ path: 'category', message: `${err.reason}_category` }] });
      throw err;
    });
    c.onQueued?.();
    c.logger.info({ case: filed.trackingNumber, channel: read.value.channel, district: districtCode, officer: req.officer!.id }, 'case recorded in the console');
    const path = `/cases/${encodeURIComponent(filed.trackingNumber)}`;
    res.status(201).json({ number: filed.trackingNumber, dueAt: filed.dueAt, receipt: `${path}/receipt`, intakeForm: `${path}/intake-form.pdf` });
  };
}

const placesQuery = z.strictObject({ province: z.string().regex(/^\d{2}$/).optional(), district: z.string().regex(/^\d{4}$/).optional() });

/** The place picker's lists, from the bundled DOPA list: what a signed-in officer may read, as the bot's chat does. */
export const listPlaces: RequestHandler = (req, res) => {
  const q = placesQuery.safeParse(req.query);
  if (!q.success) throw new HttpError(400, 'Ask ?province=NN or ?district=NNNN');
  const item = (p: { code: string; th: string; en: string }) => ({ code: p.code, th: p.th, en: p.en });
  if (q.data.district) {
    if (!districtByCode(q.data.district)) throw new HttpError(404, 'No such district');
    return void res.json({ places: subdistrictsOf(q.data.district).map(item) });
  }
  if (q.data.province) {
    if (!provinceByCode(q.data.province)) throw new HttpError(404, 'No such province');
    return void res.json({ places: districtsOf(q.data.province).map(item) });
  }
  res.json({ places: allProvinces().map(item) });
};
