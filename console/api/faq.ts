import { auditTokenChange, BadRequestError, bearer, holderOf, type AdminToken } from './admin-token';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { faqEntryInput, issuesOf } from '../../faq/schema';
import { FaqEntryNotFoundError, type FaqStore } from '../../faq/store';
import type { Logger } from '../../runtime/logger';
import type { Database } from '../../storage/database';

/**
 * The FAQ admin API, mounted at /api/admin/faq: list, create, replace and remove questions and answers. Bearer
 * ADMIN_TOKEN as for the flows API (console/api/flows.ts), absent (404) when it is not set. Every refusal is a
 * 4xx with a JSON `{message}`, plus `errors` by path (`keywords.th.3`) when the entry itself is wrong. Changes
 * reach the bot in every process within FAQ_CACHE_MS. Every change is recorded as the token's holder, in the
 * entry (updatedBy) and in the audit log.
 */
export interface FaqAdminOptions {
  store: FaqStore;
  /** Where the audit log is. */
  db: Pick<Database, 'query'>;
  token: AdminToken | null;
  logger: Pick<Logger, 'info' | 'error'>;
  /** Largest accepted body; an entry is at most a few kB. */
  maxBodyBytes?: number;
}


const ID = /^[1-9]\d{0,14}$/;

export function faqAdminRouter(o: FaqAdminOptions): Router {
  const { store } = o;
  const router = express.Router();
  router.use(bearer(o.token));
  const body = express.json({ limit: o.maxBodyBytes ?? 64 * 1024, strict: false });

  router.get('/', async (_req, res) => void res.json({ entries: await store.list() }));

  router.get('/:id', async (req, res) => void res.json(await store.get(idOf(req))));

  router.post('/', requireJson, body, async (req, res) => {
    const actor = holderOf(o.token);
    const entry = await store.create(inputOf(req), actor);
    await auditTokenChange(o.db, o.token, req, { action: 'faq.create', target: String(entry.id) });
    o.logger.info({ faq: entry.id, actor }, 'FAQ entry created');
    res.status(201).json(entry);
  });

  router.put('/:id', requireJson, body, async (req, res) => {
    const id = idOf(req);
    const actor = holderOf(o.token);
    const entry = await store.update(id, inputOf(req), actor);
    await auditTokenChange(o.db, o.token, req, { action: 'faq.update', target: String(id) });
    o.logger.info({ faq: id, actor }, 'FAQ entry updated');
    res.json(entry);
  });

  router.delete('/:id', async (req, res) => {
    const id = idOf(req);
    const actor = holderOf(o.token);
    const entry = await store.remove(id, actor);
    await auditTokenChange(o.db, o.token, req, { action: 'faq.remove', target: String(id) });
    o.logger.info({ faq: id, actor }, 'FAQ entry removed');
    res.json(entry);
  });

  router.use((_req: Request, res: Response) => void res.status(404).json({ message: 'Not found' }));
  router.use(errorHandler(o.logger));
  return router;
}


/** Checked before the body is read, so a form post gets "send JSON", not a parse error. */
function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) return next(new BadRequestError('send the entry as application/json', 415));
  next();
}

function inputOf(req: Request) {
  if (req.body === undefined || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new BadRequestError('the body must be a JSON object: {question: {th, en}, answer: {th, en}, keywords: {th: [...], en: [...]}}');
  }
  const parsed = faqEntryInput.safeParse(req.body);
  if (!parsed.success) throw new BadRequestError('the entry is not valid', 422, issuesOf(parsed.error));
  return parsed.data;
}


function idOf(req: Request): number {
  const id = String(req.params.id);
  if (!ID.test(id)) throw new BadRequestError(`"${id.slice(0, 80)}" is not an entry id (a positive whole number)`);
  return Number(id);
}

function errorHandler(logger: Pick<Logger, 'error'>) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BadRequestError) return void res.status(err.status).json({ message: err.message, ...(err.errors ? { errors: err.errors } : {}) });
    if (err instanceof FaqEntryNotFoundError) return void res.status(404).json({ message: err.message });
    // body-parser's errors (too large, bad JSON, bad charset, aborted) carry their 4xx status.
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message =
        status === 413 ? 'the body is too large' : (err as { type?: unknown }).type === 'entity.parse.failed' ? 'the body is not valid JSON' : (err as { expose?: boolean }).expose ? (err as Error).message : 'bad request';
      return void res.status(status).json({ message });
    }
    logger.error({ err }, 'FAQ admin API failed');
    res.status(500).json({ message: 'Internal error' });
  };
}
