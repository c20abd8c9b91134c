import { auditTokenChange, BadRequestError, bearer, holderOf, type AdminToken } from './admin-token';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { diffFlows } from '../../flows/definition';
import { FLOW_ID, locate, parseFlowSource, type FlowFormat, type FlowSource } from '../../flows/files';
import {
  FlowChangedError,
  FlowNotFoundError,
  FlowVersionConflictError,
  FlowVersionNotFoundError,
  NothingToRollBackError,
  type FlowStore,
  type PublishResult,
} from '../../flows/store';
import type { Logger } from '../../runtime/logger';
import type { Database } from '../../storage/database';

/**
 * The flow admin API, mounted at /api/admin/flows: upload a version (YAML or JSON), validate without storing,
 * compare versions, publish, roll back. Bearer ADMIN_TOKEN; absent (404) when it is not set. Every refusal is a
 * 4xx with a JSON `{message}`, plus `errors` located by path and line where the flow itself is wrong.
 */
export interface FlowsAdminOptions {
  store: FlowStore;
  /** Where the audit log is. */
  db: Pick<Database, 'query'>;
  /** Every change is recorded as its holder, in the flow's history and in the audit log. */
  token: AdminToken | null;
  logger: Pick<Logger, 'info' | 'error'>;
  /** Largest accepted body; a flow is a few kB, so this is generous. */
  maxBodyBytes?: number;
}


const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
const VERSION = /^[1-9]\d{0,14}$/;

export function flowsAdminRouter(o: FlowsAdminOptions): Router {
  const { store } = o;
  const router = express.Router();
  router.use(bearer(o.token));
  const body = express.text({ type: ['application/json', ...YAML_TYPES], limit: o.maxBodyBytes ?? 512 * 1024 });

  router.get('/', async (_req, res) => void res.json({ flows: await store.list() }));

  router.post('/validate', body, async (req, res) => {
    const source = parseBody(req);
    const result = await store.validate(source.value, source.file);
    if (result.ok) return void res.json({ ok: true });
    res.status(422).json({ ok: false, message: 'the flow is not valid', errors: locate(result.errors, source) });
  });

  router.post('/', body, async (req, res) => {
    const source = parseBody(req);
    const actor = holderOf(o.token);
    const result = await store.upload(source.value, { actor, source: source.format === 'yaml' ? source.text : null, file: source.file });
    if (!result.ok) return void res.status(422).json({ ok: false, message: 'the flow is not valid', errors: locate(result.errors, source) });
    await auditTokenChange(o.db, o.token, req, { action: 'flow.upload', target: result.id, detail: { version: result.version } });
    o.logger.info({ flow: result.id, version: result.version, actor }, 'flow version uploaded');
    res.status(201).json({ id: result.id, version: result.version });
  });

  router.get('/:id', async (req, res) => {
    const id = flowId(req);
    const flow = await store.flow(id);
    res.json({ ...flow, history: await store.history(id) });
  });

  router.get('/:id/versions/:version', async (req, res) => {
    const v = await store.version(flowId(req), versionOf(req.params.version, 'version'));
    const live = (await store.liveVersions()).get(v.id);
    res.json({ ...v, live: live === v.version, ...(v.source === null ? { source: undefined } : {}) });
  });

  router.get('/:id/diff', async (req, res) => {
    const id = flowId(req);
    const flow = await store.flow(id);
    const from = req.query.from === undefined ? flow.live : versionOf(req.query.from, 'from');
    const to = req.query.to === undefined ? flow.latest : versionOf(req.query.to, 'to');
    if (from === null) throw new BadRequestError(`flow "${id}" has no live version; name one with ?from=`);
    const [a, b] = await Promise.all([store.version(id, from), store.version(id, to)]);
    res.json(diffFlows(a.definition, b.definition));
  });

  router.post('/:id/versions/:version/publish', async (req, res) => {
    const actor = holderOf(o.token);
    await answer(req, res, await store.publish(flowId(req), versionOf(req.params.version, 'version'), actor), actor, 'flow.publish');
  });

  router.post('/:id/rollback', async (req, res) => {
    const actor = holderOf(o.token);
    await answer(req, res, await store.rollback(flowId(req), actor), actor, 'flow.rollback');
  });

  router.use((_req: Request, res: Response) => void res.status(404).json({ message: 'Not found' }));
  router.use(errorHandler(o.logger));
  return router;

  async function answer(req: Request, res: Response, result: PublishResult, actor: string, action: 'flow.publish' | 'flow.rollback'): Promise<void> {
    if (!result.ok) {
      res.status(422).json({ ok: false, message: 'this version no longer passes validation against the running code', errors: result.errors });
      return;
    }
    if (result.changed) {
      await auditTokenChange(o.db, o.token, req, { action, target: result.id, detail: { version: result.version, previousVersion: result.previousVersion } });
      o.logger.info({ flow: result.id, version: result.version, previous: result.previousVersion, actor }, action === 'flow.publish' ? 'flow published' : 'flow rolled back');
    }
    res.json(result);
  }
}


function parseBody(req: Request): FlowSource {
  const format: FlowFormat | null = req.is('application/json') ? 'json' : req.is(YAML_TYPES) ? 'yaml' : null;
  if (!format) throw new BadRequestError('send the flow as application/json or application/yaml', 415);
  const text = typeof req.body === 'string' ? req.body : '';
  if (text.trim() === '') throw new BadRequestError('the body is empty; send a flow definition');
  const parsed = parseFlowSource(text, 'body', format);
  if (!parsed.ok) throw new BadRequestError(`the body is not valid ${format === 'json' ? 'JSON' : 'YAML'}`, 400, parsed.errors);
  return parsed.source;
}


function flowId(req: Request): string {
  const id = String(req.params.id);
  if (!FLOW_ID.test(id)) throw new BadRequestError(`"${id.slice(0, 80)}" is not a flow id (a lower-case letter, then up to 63 of a-z, 0-9, _ or -)`);
  return id;
}

function versionOf(value: unknown, name: string): number {
  if (typeof value !== 'string' || !VERSION.test(value)) throw new BadRequestError(`${name} must be a positive whole number`);
  return Number(value);
}

function errorHandler(logger: Pick<Logger, 'error'>) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BadRequestError) return void res.status(err.status).json({ message: err.message, ...(err.errors ? { errors: err.errors } : {}) });
    if (err instanceof FlowNotFoundError || err instanceof FlowVersionNotFoundError) return void res.status(404).json({ message: err.message });
    if (err instanceof FlowVersionConflictError) return void res.status(409).json({ message: err.message, latest: err.latest });
    if (err instanceof NothingToRollBackError || err instanceof FlowChangedError) return void res.status(409).json({ message: err.message });
    // body-parser's errors (too large, bad charset, aborted) carry their 4xx status and a safe message.
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = status === 413 ? 'the body is too large' : (err as { expose?: boolean }).expose ? (err as Error).message : 'bad request';
      return void res.status(status).json({ message });
    }
    logger.error({ err }, 'flow admin API failed');
    res.status(500).json({ message: 'Internal error' });
  };
}
