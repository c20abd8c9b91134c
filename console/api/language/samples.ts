/**
 * GET /language/samples: what the language layer met in the field, newest first, a page at a time, filtered by
 * status and reason. Only the masked words and the reading: a sample has no chat id to show.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { listSamples, SAMPLE_PAGE_MAX, SAMPLE_REASONS, SAMPLE_STATUSES, type SampleReason, type SampleStatus } from '../../../understanding/samples';
import { parsed, type LanguageContext } from './context';

const listQuery = z.strictObject({
  status: z.enum(SAMPLE_STATUSES as [SampleStatus, ...SampleStatus[]]).optional(),
  reason: z.enum(SAMPLE_REASONS as [SampleReason, ...SampleReason[]]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(SAMPLE_PAGE_MAX).optional(),
});

export function listSamplesHandler(c: LanguageContext): RequestHandler {
  return async (req, res) => {
    const { page = 1, pageSize = 25, ...filter } = parsed(listQuery, req.query, 'Invalid filter');
    const found = await listSamples(c.db, { ...filter, page, pageSize });
    res.json({ total: found.total, page, pageSize, samples: found.samples });
  };
}
