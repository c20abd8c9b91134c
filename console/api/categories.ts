/**
 * The case categories in the console (categories/): every signed-in officer reads them (every case is labelled by
 * one, the counter's form offers them); admins add, edit and retire them (category.edit), each change in the audit
 * log under the admin's own name; supervisors see the page read-only. A category a live flow still files into
 * cannot be retired: the flow is changed first, so that no citizen is offered a choice that files nowhere.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Database, Tx } from '../../storage/database';
import {
  CategoryExistsError,
  CategoryNotFoundError,
  CategoryStore,
  DefaultCategoryError,
  categoryEditInput,
  categoryInput,
  categoryIssues,
  expireCategories,
  type CaseCategory,
} from '../../categories';
import { categoryChoices } from '../../flows/definition/categories';
import type { FlowStore } from '../../flows/store';
import { markCategoryConfidential } from '../../cases/store';
import { recordAudit } from '../auth/audit';
import { can } from '../auth/permissions';
import { actorOf, HttpError, requirePermission } from './auth';

export interface CategoriesApiOptions {
  db: Database;
  requireOfficer: RequestHandler;
  /** The live flows, to refuse retiring a category one of them files into. */
  flows: FlowStore;
  now?: () => number;
}

const CODE = /^[a-z][a-z0-9_]{1,31}$/;

/** What changed in an edit, by field: the audit's detail (names and rules are not personal data). */
function changes(before: CaseCategory, after: CaseCategory): string[] {
  const fields = ['confidential', 'consentRequired', 'nationalIdRequired', 'anonymousAllowed', 'deadlineDays', 'sortOrder'] as const;
  const named = (['th', 'en'] as const).filter((l) => before.name[l] !== after.name[l]).map((l) => `name.${l}`);
  return [...named, ...fields.filter((f) => before[f] !== after[f])];
}

export function categoriesRouter(o: CategoriesApiOptions): Router {
  const now = o.now ?? Date.now;
  const store = new CategoryStore(o.db, { now });
  const router = express.Router();
  const edit = [o.requireOfficer, requirePermission('category.edit')];

  const codeOf = (req: Request): string => {
    const code = String(req.params.code);
    if (!CODE.test(code)) throw new HttpError(404, 'Not found');
    return code;
  };
  /** The change and its audit entry commit together; then every reader of this process reads the table again. */
  const audited = async (req: Request, action: string, code: string, work: (tx: Tx) => Promise<{ category: CaseCategory; detail?: Record<string, unknown> }>) => {
    const actor = actorOf(req);
    const done = await o.db.transaction(async (tx) => {
      const r = await work(tx);
      await recordAudit(tx, { officerId: actor.id, action, target: `category ${code}`, detail: r.detail ?? null, ip: req.ip ?? null, at: now() });
      return r.category;
    });
    expireCategories(o.db);
    return done;
  };

  router.get('/categories', o.requireOfficer, async (req, res) => {
    res.json({ categories: await store.list(), canEdit: can(actorOf(req), 'category.edit') });
  });

  router.post('/categories', ...edit, async (req, res) => {
    const parsed = categoryInput.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, 'The category is not valid', { errors: categoryIssues(parsed.error) });
    const input = parsed.data;
    const category = await audited(req, 'category.create', input.code, async (tx) => ({
      category: await store.create(input, actorOf(req).username, tx),
      detail: { name: input.name.th },
    }));
    res.status(201).json(category);
  });

  router.put('/categories/:code', ...edit, async (req, res) => {
    const code = codeOf(req);
    const parsed = categoryEditInput.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, 'The category is not valid', { errors: categoryIssues(parsed.error) });
    const before = await store.get(code);
    const category = await audited(req, 'category.update', code, async (tx) => {
      const after = await store.update(code, parsed.data, actorOf(req).username, tx);
      // Made confidential: its earlier cases leave their districts' reach too, in the same transaction.
      const hidden = after.confidential && !before.confidential ? await markCategoryConfidential(tx, code) : 0;
      return { category: after, detail: { changed: changes(before, after), ...(hidden ? { casesMadeConfidential: hidden } : {}) } };
    });
    res.json(category);
  });

  router.post('/categories/:code/retire', ...edit, async (req, res) => {
    const code = codeOf(req);
    await store.get(code);
    const live = await o.flows.liveVersions();
    const uses: Array<{ flow: string; version: number; node: string; path: string }> = [];
    for (const [id, version] of live) {
      const flow = await o.flows.get(id, version);
      for (const c of flow ? categoryChoices(flow) : []) if (c.code === code) uses.push({ flow: id, version, node: c.node, path: c.path });
    }
    if (uses.length) {
      throw new HttpError(409, `A live flow still files into "${code}": take the choice out of the flow and publish it, then retire the category`, {
        code: 'used_by_flows',
        flows: uses,
        errors: [...new Set(uses.map((u) => u.flow))].map((flow) => ({ path: 'flows', message: flow })),
      });
    }
    const category = await audited(req, 'category.retire', code, async (tx) => ({ category: await store.retire(code, actorOf(req).username, tx) }));
    res.json(category);
  });

  router.post('/categories/:code/restore', ...edit, async (req, res) => {
    const code = codeOf(req);
    const category = await audited(req, 'category.restore', code, async (tx) => ({ category: await store.restore(code, actorOf(req).username, tx) }));
    res.json(category);
  });

  router.use('/categories', categoryErrors);
  return router;
}

/** The store's named refusals as the console's answers; anything else goes on to the console's error handler. */
function categoryErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (err instanceof CategoryNotFoundError) return void res.status(404).json({ message: 'Not found' });
  if (err instanceof CategoryExistsError) return void res.status(409).json({ message: err.message, code: 'exists', errors: [{ path: 'code', message: 'exists' }] });
  if (err instanceof DefaultCategoryError) return void res.status(409).json({ message: err.message, code: 'default_category' });
  next(err);
}
