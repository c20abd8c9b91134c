/** PDPA rights in the chat: what is held, a copy as a file, a deletion request (cases/my-data.ts does the work). */
import type { ActionContext, ActionResult } from './context';
import { citizenIdOf, ensureCitizen } from '../../cases/store';
import { collectCitizenData, createExportLink, requestDeletion, summaryText, deletionText, exportLinkText } from '../../cases/my-data';
import { keptPetitionsOf } from '../../privacy/requests';

export async function showMyData(ctx: ActionContext): Promise<ActionResult> {
  const data = await collectCitizenData(ctx.tx, ctx.services.cipher, ctx.lineUserId);
  return { outcome: 'ok', messages: [{ type: 'text', text: summaryText(data, ctx.locale) }] };
}

export async function exportMyData(ctx: ActionContext): Promise<ActionResult> {
  const citizenId = await ensureCitizen(ctx.tx, ctx.services.cipher, { lineUserId: ctx.lineUserId, locale: ctx.locale, displayName: ctx.displayName, now: ctx.now });
  const url = await createExportLink(ctx.tx, citizenId, ctx.now, ctx.services.publicUrl);
  return { outcome: 'ok', messages: [{ type: 'text', text: exportLinkText(url, ctx.locale) }] };
}

export async function deleteMyData(ctx: ActionContext): Promise<ActionResult> {
  const citizenId = (await citizenIdOf(ctx.tx, ctx.lineUserId)) ??
    (await ensureCitizen(ctx.tx, ctx.services.cipher, { lineUserId: ctx.lineUserId, locale: ctx.locale, displayName: ctx.displayName, now: ctx.now }));
  const result = await requestDeletion(ctx.tx, citizenId, ctx.now, ctx.services.retentionYears);
  const petitions = await keptPetitionsOf(ctx.tx, ctx.lineUserId, ctx.services.retentionYears);
  return { outcome: 'ok', messages: [{ type: 'text', text: deletionText({ ...result, petitions }, ctx.locale, ctx.services.retentionYears) }] };
}
