/**
 * The FAQ in the console, for people rather than machines: the entries, editing them (faq.edit: admins) with the
 * change in the audit log under the admin's own name, and "try a question": which entry the bot would answer with,
 * how strong the match is against the bot's own thresholds, and the runners-up. Supervisors read. The token API
 * (console/api/faq.ts) stays for machines.
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage/database';
import { FaqEntryNotFoundError, FaqStore } from '../../faq/store';
import { faqEntryInput, issuesOf } from '../../faq/schema';
import { matchFaq, MIN_SCORE, scoreFaq, STORY_MIN_SCORE } from '../../faq/match';
import { recordAudit } from '../auth/audit';
import { can } from '../auth/permissions';
import { actorOf, HttpError } from './auth';

export interface FaqEditorOptions {
  db: Database;
  requireOfficer: RequestHandler;
  /** The server's store, so an edit reaches the bot's cache in this process at once. */
  faq?: FaqStore;
}

const ID = /^[1-9]\d{0,14}$/;
const tryBody = z.strictObject({ text: z.string().trim().min(1, 'type a question').max(500), locale: z.enum(['th', 'en']).default('th') });

const idOf = (req: Request): number => {
  const raw = String(req.params.id);
  if (!ID.test(raw)) throw new HttpError(404, 'Not found');
  return Number(raw);
};

export function faqEditorRouter(o: FaqEditorOptions): Router {
  const store = o.faq ?? new FaqStore(o.db);
  const router = express.Router();

  const reader: RequestHandler = (req, _res, next) => {
    const actor = actorOf(req);
    if (actor.role !== 'admin' && actor.role !== 'supervisor') throw new HttpError(403, 'Not permitted');
    next();
  };
  const editor: RequestHandler = (req, _res, next) => {
    if (!can(actorOf(req), 'faq.edit')) throw new HttpError(403, 'Not permitted');
    next();
  };
  const entryOf = (req: Request) => {
    const parsed = faqEntryInput.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, 'The entry is not valid', { errors: issuesOf(parsed.error) });
    return parsed.data;
  };
  const audited = (req: Request, action: string, id: number) =>
    recordAudit(o.db, { officerId: actorOf(req).id, action, target: `faq ${id}`, ip: req.ip ?? null, at: Date.now() });
  const found = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof FaqEntryNotFoundError) throw new HttpError(404, 'Not found');
      throw err;
    }
  };

  router.get('/faq', o.requireOfficer, reader, async (req, res) => {
    res.json({ entries: await store.list(), canEdit: can(actorOf(req), 'faq.edit') });
  });

  router.post('/faq', o.requireOfficer, editor, async (req, res) => {
    const entry = await store.create(entryOf(req), actorOf(req).username);
    await audited(req, 'faq.create', entry.id);
    res.status(201).json(entry);
  });

  router.put('/faq/:id', o.requireOfficer, editor, async (req, res) => {
    const id = idOf(req);
    const entry = await found(() => store.update(id, entryOf(req), actorOf(req).username));
    await audited(req, 'faq.update', id);
    res.json(entry);
  });

  router.delete('/faq/:id', o.requireOfficer, editor, async (req, res) => {
    const id = idOf(req);
    const entry = await found(() => store.remove(id, actorOf(req).username));
    await audited(req, 'faq.remove', id);
    res.json(entry);
  });

  // Tries the active entries as the bot has them: the same matcher, the same thresholds.
  router.post('/faq/try', o.requireOfficer, reader, async (req, res) => {
    const parsed = tryBody.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => i.message).join('; '));
    const { text, locale } = parsed.data;
    const entries = await store.list().then((all) => all.filter((e) => e.active));
    const scored = scoreFaq(text, entries, locale).slice(0, 5);
    const answer = matchFaq(text, entries, locale);
    const verdict = answer ? 'answers' : scored.length === 0 ? 'nothing' : scored[0]!.score < MIN_SCORE ? 'weak' : scored[1] && scored[1].score >= scored[0]!.score ? 'tie' : 'notAQuestion';
    res.json({
      verdict,
      answer: answer ? { id: answer.entry.id, question: answer.entry.question[locale], answer: answer.entry.answer[locale], score: answer.score } : null,
      candidates: scored.map((s) => ({ id: s.entry.id, question: s.entry.question[locale], score: s.score })),
      thresholds: { min: MIN_SCORE, sure: STORY_MIN_SCORE },
    });
  });

  return router;
}
