/**
 * The trained language models: GET /language/models lists the stored versions (who trained and published each,
 * which one is live: the newest published, else the shipped model); POST /language/models/:version/publish and
 * /unpublish change that, audited in the same transaction. Every process of the bot reads the live one again
 * within a second (understanding/models.ts), with no restart. POST /language/models/train trains the next version
 * from the corpus and every stored example, in a worker thread, and stores it unpublished (a few seconds; one at a
 * time, a second is told 409).
 */
import type { RequestHandler } from 'express';
import { recordAudit } from '../../auth/audit';
import { liveVersion, modelVersions, ModelVersionError, publishModel, unpublishModel } from '../../../understanding/models';
import { trainNewVersion, TrainingBusyError } from '../../../understanding/background-training';
import { HttpError } from '../auth';
import { byOf, idOf, type LanguageContext } from './context';

export function listModels(c: LanguageContext): RequestHandler {
  return async (_req, res) => {
    const { versions, live } = await c.db.transaction(async (tx) => ({ versions: await modelVersions(tx), live: await liveVersion(tx) }));
    res.json({ live, versions: versions.map((v) => ({ ...v, live: v.version === live })) });
  };
}

export function changeModel(c: LanguageContext, publish: boolean): RequestHandler {
  return async (req, res) => {
    const version = idOf(req, 'version');
    const by = byOf(req);
    const at = c.now();
    const live = await c.db
      .transaction(async (tx) => {
        if (publish) await publishModel(tx, version, by.username, at);
        else await unpublishModel(tx, version);
        await recordAudit(tx, { officerId: by.officerId, action: publish ? 'language.model_publish' : 'language.model_unpublish', target: `model ${version}`, ip: by.ip, at });
        return liveVersion(tx);
      })
      .catch((err: unknown) => {
        if (err instanceof ModelVersionError) throw new HttpError(404, 'No such model version');
        throw err;
      });
    res.json({ version, published: publish, live });
  };
}

export function trainModelHandler(c: LanguageContext): RequestHandler {
  return async (req, res) => {
    const by = byOf(req);
    const trained = await trainNewVersion(c.db, by.username, c.now).catch((err: unknown) => {
      if (err instanceof TrainingBusyError) throw new HttpError(409, 'A model is being trained already; try again when it is done');
      throw err;
    });
    await recordAudit(c.db, {
      officerId: by.officerId,
      action: 'language.model_train',
      target: `model ${trained.version}`,
      detail: { accuracy: trained.accuracy, examples: trained.trainedOn, seconds: Math.round(trained.seconds * 10) / 10 },
      ip: by.ip,
      at: c.now(),
    });
    res.status(201).json(trained);
  };
}
