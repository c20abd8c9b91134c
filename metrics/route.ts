import type { RequestHandler } from 'express';
import { metricsText } from '../runtime/metrics';

/** GET /metrics: Prometheus's text format. Mounted behind the OPS_TOKEN bearer check (server/app.ts). */
export const metricsRoute: RequestHandler = async (_req, res, next) => {
  try {
    const { contentType, body } = await metricsText();
    res.set('content-type', contentType).set('cache-control', 'no-store').send(body);
  } catch (err) {
    next(err);
  }
};
