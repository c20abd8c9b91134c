/**
 * Learning from the field, for admins (language.review): the samples the bot kept to review, the training
 * examples made from them or typed, and the trained model versions with their publishing. One handler per route,
 * beside it its input's schema; the tables and their SQL are understanding/.
 */
import express, { type Router } from 'express';
import { requirePermission } from '../auth';
import { contextOf, type LanguageApiOptions } from './context';
import { listSamplesHandler } from './samples';
import { addSampleAsExample, dismissSample } from './review';
import { addTypedExample, deleteExampleHandler, listExamplesHandler } from './examples';
import { changeModel, listModels, trainModelHandler } from './models';

export type { LanguageApiOptions } from './context';

export function languageRouter(o: LanguageApiOptions): Router {
  const c = contextOf(o);
  const admin = [o.requireOfficer, requirePermission('language.review')];
  const router = express.Router();
  router.get('/language/samples', ...admin, listSamplesHandler(c));
  router.post('/language/samples/:id/example', ...admin, addSampleAsExample(c));
  router.post('/language/samples/:id/dismiss', ...admin, dismissSample(c));
  router.get('/language/examples', ...admin, listExamplesHandler(c));
  router.post('/language/examples', ...admin, addTypedExample(c));
  router.delete('/language/examples/:id', ...admin, deleteExampleHandler(c));
  router.get('/language/models', ...admin, listModels(c));
  router.post('/language/models/train', ...admin, trainModelHandler(c));
  router.post('/language/models/:version/publish', ...admin, changeModel(c, true));
  router.post('/language/models/:version/unpublish', ...admin, changeModel(c, false));
  return router;
}
