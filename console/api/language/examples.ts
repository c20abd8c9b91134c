/**
 * The training examples: GET /language/examples (newest first, a page at a time), POST /language/examples (words
 * the admin types, numbers masked as in samples), DELETE /language/examples/:id (a sample it came from is to be
 * reviewed again). Changes are audited in their transaction.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { recordAudit } from '../../auth/audit';
import { addExample, deleteExample, EXAMPLE_PAGE_MAX, listExamples } from '../../../understanding/examples';
import { HttpError } from '../auth';
import { badLabel, byOf, idOf, parsed, type LanguageContext } from './context';
import { typedExampleBody } from './labels';

const listQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(EXAMPLE_PAGE_MAX).optional(),
});

export function listExamplesHandler(c: LanguageContext): RequestHandler {
  return async (req, res) => {
    const { page = 1, pageSize = 50 } = parsed(listQuery, req.query, 'Invalid page');
    const found = await listExamples(c.db, { page, pageSize });
    res.json({ total: found.total, page, pageSize, examples: found.examples });
  };
}

export function addTypedExample(c: LanguageContext): RequestHandler {
  return async (req, res) => {
    const body = parsed(typedExampleBody, req.body, 'Invalid example');
    const by = byOf(req);
    const at = c.now();
    const example = await c.db.transaction(async (tx) => {
      const e = await addExample(tx, { ...body, by: by.username, at });
      await recordAudit(tx, {
        officerId: by.officerId,
        action: 'language.example_add',
        target: `example ${e.id}`,
        detail: { intent: e.intent, category: e.category, topic: e.topic },
        ip: by.ip,
        at,
      });
      return e;
    }).catch(badLabel);
    res.status(201).json({ example });
  };
}

export function deleteExampleHandler(c: LanguageContext): RequestHandler {
  return async (req, res) => {
    const id = idOf(req);
    const by = byOf(req);
    const at = c.now();
    const deleted = await c.db.transaction(async (tx) => {
      const e = await deleteExample(tx, id);
      if (e) {
        await recordAudit(tx, {
          officerId: by.officerId,
          action: 'language.example_delete',
          target: `example ${id}`,
          detail: { intent: e.intent, sample: e.sampleId },
          ip: by.ip,
          at,
        });
      }
      return e;
    });
    if (!deleted) throw new HttpError(404, 'No such example');
    res.status(204).end();
  };
}
