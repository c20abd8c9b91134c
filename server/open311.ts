/**
 * Open data at /open311/v2 (reports/open311.ts): GeoReport v2's read endpoints, JSON only, public fields only,
 * answered only when OPEN_DATA=on (else 404, as if not there). CORS is open: any site may show the public register.
 */
import express, { type Router } from 'express';
import type { Database } from '../storage/database';
import { open311Requests, open311ServiceCodes, open311Services, Open311QueryError, parseOpen311Query } from '../reports/open311';
import { categoryList } from '../categories';

export const OPEN311_PATH = '/open311/v2';

export function open311Router(o: { db: Database; enabled: boolean; now?: () => number }): Router {
  const now = o.now ?? Date.now;
  const router = express.Router();
  router.use((_req, res, next) => {
    if (!o.enabled) return void res.status(404).json({ message: 'Not found' });
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=60');
    next();
  });
  const localeOf = (v: unknown) => (v === 'en' ? 'en' : 'th') as 'th' | 'en';
  const fail = (res: express.Response, code: number, description: string) => void res.status(code).json([{ code, description }]);

  router.get('/services.json', async (req, res) => void res.json(open311Services(await categoryList(o.db), localeOf(req.query['locale']))));
  router.get('/requests.json', async (req, res) => {
    try {
      const categories = await categoryList(o.db);
      const q = parseOpen311Query(req.query as Record<string, unknown>, now(), open311ServiceCodes(categories));
      res.json(await open311Requests(o.db, { ...q, locale: localeOf(req.query['locale']) }, categories));
    } catch (e) {
      if (e instanceof Open311QueryError) return fail(res, 400, e.message);
      throw e;
    }
  });
  router.get('/requests/:id.json', async (req, res) => {
    const found = await open311Requests(o.db, { ids: [String(req.params.id).toUpperCase()], now: now(), locale: localeOf(req.query['locale']) }, await categoryList(o.db));
    if (!found.length) return fail(res, 404, 'no such service request');
    res.json(found);
  });
  router.get(/\.xml$/, (_req, res) => fail(res, 404, 'this server answers JSON only: use .json'));
  return router;
}
