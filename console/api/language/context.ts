/**
 * What every route of the language review shares: its options, the reasons of a refused input in the shape the
 * pages show (path and message), and the id in the path. Admins only (language.review), checked per route.
 */
import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import type { Database } from '../../../storage/database';
import { ExampleLabelError } from '../../../understanding/examples';
import { actorOf, HttpError } from '../auth';

export interface LanguageApiOptions {
  db: Database;
  requireOfficer: RequestHandler;
  /** The reviews' clock (tests move it). */
  now?: () => number;
}

export type LanguageContext = Omit<LanguageApiOptions, 'now'> & { now: () => number };

export const contextOf = (o: LanguageApiOptions): LanguageContext => ({ ...o, now: o.now ?? Date.now });

/** A schema's verdict, or a 400 naming each field's reason. */
export function parsed<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new HttpError(400, what, { errors: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return r.data;
}

/** The positive integer id in the path; anything else names nothing: 404. */
export function idOf(req: Request, name = 'id'): number {
  const id = Number(req.params[name]);
  if (!Number.isSafeInteger(id) || id <= 0 || !/^\d+$/.test(String(req.params[name]))) throw new HttpError(404, 'Not found');
  return id;
}

/** Who did it, as the rows and the audit log name them. */
export function byOf(req: Request): { officerId: number | null; username: string; ip: string | null } {
  const actor = actorOf(req);
  return { officerId: actor.id, username: actor.username, ip: req.ip ?? null };
}

/** A label the understanding layer refused (its own check, behind the schema's): a 400 with the field. */
export function badLabel(err: unknown): never {
  if (err instanceof ExampleLabelError) throw new HttpError(400, 'Invalid example', { errors: [{ path: err.path, message: err.message }] });
  throw err;
}
