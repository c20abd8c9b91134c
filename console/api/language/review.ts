/**
 * One click on a kept sample: POST /language/samples/:id/example adds its masked words as a training example with
 * the admin's label and marks it added; POST /language/samples/:id/dismiss sets it aside. Each in one transaction
 * with its audit line. A sample is reviewed once: the second click (another admin's) is a 409.
 */
import type { RequestHandler } from 'express';
import { recordAudit } from '../../auth/audit';
import { addExampleFromSample } from '../../../understanding/examples';
import { reviewSample, SampleReviewedError } from '../../../understanding/samples';
import { HttpError } from '../auth';
import { badLabel, byOf, idOf, parsed, type LanguageContext } from './context';
import { sampleExampleBody } from './labels';

const reviewedAlready = (err: unknown): never => {
  if (err instanceof SampleReviewedError) throw new HttpError(409, `This sample is ${err.status} already`, { problem: 'reviewed', status: err.status });
  return badLabel(err);
};

export function addSampleAsExample(c: LanguageContext): RequestHandler {
  return async (req, res) => {
    const id = idOf(req);
    const label = parsed(sampleExampleBody, req.body, 'Invalid example');
    const by = byOf(req);
    const at = c.now();
    const added = await addExampleFromSample(c.db, id, label, by.username, at, (tx, { example }) =>
      recordAudit(tx, {
        officerId: by.officerId,
        action: 'language.example_add',
        target: `sample ${id}`,
        detail: { example: example.id, intent: example.intent, category: example.category, topic: example.topic },
        ip: by.ip,
        at,
      }),
    ).catch(reviewedAlready);
    if (!added) throw new HttpError(404, 'No such sample');
    res.status(201).json(added);
  };
}

export function dismissSample(c: LanguageContext): RequestHandler {
  return async (req, res) => {
    const id = idOf(req);
    const by = byOf(req);
    const at = c.now();
    const sample = await c.db
      .transaction(async (tx) => {
        const s = await reviewSample(tx, id, 'dismissed', by.username, at);
        if (s) await recordAudit(tx, { officerId: by.officerId, action: 'language.sample_dismiss', target: `sample ${id}`, ip: by.ip, at });
        return s;
      })
      .catch(reviewedAlready);
    if (!sample) throw new HttpError(404, 'No such sample');
    res.json({ sample });
  };
}
