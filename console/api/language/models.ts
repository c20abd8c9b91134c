/**
 * The trained language models: GET /language/models lists the stored versions (who trained and published each,
 * which one is live: the newest published, else the shipped model); POST /language/models/:version/publish and
 * /unpublish change that, audited in the same transaction. Every process of the bot reads the live one again
 * within a second (understanding/models.ts), with no restart.
 */
import type { RequestHandler } from 'express';
import { recordAudit } from '../../auth/audit';
import { liveVersion, modelVersions, ModelVersionError, publishModel, unpublishModel } from '../../../understanding/models';
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
