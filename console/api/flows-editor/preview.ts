/**
 * POST /flows/preview: one turn of a draft in a throw-away conversation (flows/preview.ts), for the chat beside the
 * editor. The page keeps the conversation's state and sends it back with each turn: nothing of it is stored, no
 * case is filed, no message reaches LINE. The engine, the texts and the language model are the bot's own.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { flowSchema } from '../../../flows/definition/schema';
import { createEngineTexts, deserializeState, flowNamespace, FlowRuntimeError, StateFormatError } from '../../../flows/engine';
import { previewTurn, PreviewNodeError } from '../../../flows/preview';
import { CONDITIONS } from '../../../flows/registry/conditions';
import type { FlowDefinition } from '../../../flows/definition/types';
import { faqMatcher } from '../../../faq';
import { categoryList } from '../../../categories';
import { i18n } from '../../../locales/i18n';
import { DEFAULT_OFFICE_HOURS, officeClock } from '../../../office/hours';
import { HttpError } from '../auth';
import { parsed, type FlowsEditorContext } from './context';

const texts = createEngineTexts(i18n);
const short = z.string().max(2000);

const input = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(5000) }),
  z.strictObject({ type: z.literal('postback'), data: z.string().max(300), params: z.strictObject({ date: short.optional(), time: short.optional(), datetime: short.optional() }).optional() }),
  z.strictObject({ type: z.literal('location'), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), address: short.optional(), title: short.optional() }),
  z.strictObject({ type: z.literal('media'), mediaType: z.enum(['image', 'video', 'audio', 'file']), contentId: z.string().max(100), fileName: short.optional() }),
  z.strictObject({ type: z.literal('sticker') }),
  z.strictObject({ type: z.literal('restart'), node: z.string().max(200).optional(), locale: z.enum(['th', 'en']).optional() }),
]);

const body = z.strictObject({
  definition: z.unknown(),
  state: z.unknown().nullable(),
  input,
  outcomes: z.record(z.string().max(200), z.string().max(64)).optional(),
});

/** A preview is a few engine steps; idleness is not what an admin trying a draft is testing. */
const PREVIEW_IDLE_MS = 24 * 3_600_000;

export function previewDraft(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const b = parsed(body, req.body, 'Invalid preview');
    const draft = flowSchema.safeParse(b.definition);
    if (!draft.success) {
      throw new HttpError(422, 'The draft cannot run until its shape is right', { errors: draft.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    let state = null;
    if (b.state !== null) {
      try {
        state = deserializeState(JSON.stringify(b.state));
      } catch (err) {
        if (err instanceof StateFormatError) throw new HttpError(400, 'The preview conversation is not readable; restart it');
        throw err;
      }
    }
    const live = await c.flows.liveVersions();
    const flows = (await Promise.all([...live].map(([id, v]) => c.flows.get(id, v)))).filter((f): f is FlowDefinition => f !== null);
    const language = await c.language.liveCached(c.db);
    const faq = c.faq ? faqMatcher(await c.faq.active()) : null;
    // The categories' rules as the bot applies them: a draft's category questions preview as a citizen would get them.
    const categories = await categoryList(c.db);
    const definition = draft.data as FlowDefinition;
    try {
      const result = previewTurn({
        draft: definition,
        live: flows,
        state,
        input: b.input,
        ...(b.outcomes ? { outcomes: b.outcomes } : {}),
        context: { texts, language, conditions: CONDITIONS, categories, now: c.now(), idleMs: PREVIEW_IDLE_MS, menuFlow: 'menu', office: officeClock(DEFAULT_OFFICE_HOURS), ...(faq ? { faq } : {}) },
      });
      res.json(result);
    } catch (err) {
      if (err instanceof FlowRuntimeError) throw new HttpError(422, `The draft stopped: ${err.message}`, { node: err.node });
      if (err instanceof PreviewNodeError) throw new HttpError(422, err.message, { node: err.node });
      throw err;
    } finally {
      // Each edit of the texts is a namespace of its own: dropped after the turn, or every keystroke tried would stay.
      const ns = flowNamespace(definition);
      if (!flows.some((f) => flowNamespace(f) === ns)) for (const lng of ['th', 'en']) i18n.removeResourceBundle(lng, ns);
    }
  };
}
