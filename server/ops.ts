import express, { type Router } from 'express';
import { bearer } from '../console/api/admin-token';
import type { Database } from '../storage/database';
import { countByStatus, failedEvents } from '../storage/inbox';

/**
 * The operations API, until the officer console exists: what is queued, and the events parked as failed with
 * their errors, so a person can see what the bot could not handle. Bearer OPS_TOKEN; absent when it is not set.
 * Payloads are not returned: they hold what citizens wrote.
 */
export function opsRouter(o: { db: Database; token: string | null }): Router {
  const router = express.Router();
  router.use(bearer(o.token));
  router.get('/inbox', async (_req, res) => void res.json({ byStatus: await countByStatus(o.db) }));
  router.get('/failed-events', async (req, res) => {
    const limit = Math.min(500, Math.max(1, Number(req.query.limit) || 100));
    res.json({ events: await failedEvents(o.db, limit) });
  });
  return router;
}
