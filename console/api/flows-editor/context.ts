/**
 * What every route of the flow editor shares: its options, the body parsers, the ids in the path, who acts. Reading
 * is flow.read (admins and supervisors), every change flow.publish (admins), checked per route.
 */
import express, { type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import { FLOW_ID } from '../../../flows/source';
import { FlowDrafts, MAX_DRAFT_BYTES } from '../../../flows/drafts';
import type { FlowStore } from '../../../flows/store';
import type { FaqStore } from '../../../faq/store';
import type { Database } from '../../../storage/database';
import { LanguageModels } from '../../../understanding/models';
import { actorOf, HttpError } from '../auth';

export interface FlowsEditorOptions {
  db: Database;
  /** The bot's own store, so that a publish here reaches this process's conversations at once. */
  flows: FlowStore;
  requireOfficer: RequestHandler;
  drafts?: FlowDrafts;
  /** The live language model the preview reads with, as the bot does. */
  language?: LanguageModels;
  /** The FAQ the preview answers questions from, as the bot does. */
  faq?: FaqStore;
  now?: () => number;
}

export interface FlowsEditorContext {
  db: Database;
  flows: FlowStore;
  drafts: FlowDrafts;
  language: LanguageModels;
  faq: FaqStore | null;
  now: () => number;
}

export const contextOf = (o: FlowsEditorOptions): FlowsEditorContext => ({
  db: o.db,
  flows: o.flows,
  drafts: o.drafts ?? new FlowDrafts(o.db, o.now ? { now: o.now } : {}),
  language: o.language ?? new LanguageModels(),
  faq: o.faq ?? null,
  now: o.now ?? Date.now,
});

/**
 * A flow's own media type for the editor's large bodies (a draft's text, a preview's definition): the accounts
 * router parses every `application/json` body up to 32 kB before any route runs, and a flow of 200 nodes is larger.
 * Parsed here, after the session and the permission are checked.
 */
export const FLOW_JSON = 'application/vnd.echannel.flow+json';
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

export const flowJsonBody: RequestHandler = express.json({ type: FLOW_JSON, limit: MAX_DRAFT_BYTES * 2 });
export const yamlBody: RequestHandler = express.text({ type: YAML_TYPES, limit: MAX_DRAFT_BYTES });

/** A schema's verdict, or a 400 naming each field's reason. */
export function parsed<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new HttpError(400, what, { errors: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return r.data;
}

/** The flow id in the path; anything else names no flow: 404. */
export function flowIdOf(req: Request): string {
  const id = String(req.params.id);
  if (!FLOW_ID.test(id)) throw new HttpError(404, 'Not found');
  return id;
}

/** A positive whole number in the path (a version, a draft's id); anything else names nothing: 404. */
export function numberOf(req: Request, name: string): number {
  const raw = String(req.params[name]);
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw new HttpError(404, 'Not found');
  return Number(raw);
}

/** Who did it, as the flow's history and the audit log name them. */
export function byOf(req: Request): { officerId: number | null; username: string; ip: string | null } {
  const actor = actorOf(req);
  return { officerId: actor.id, username: actor.username, ip: req.ip ?? null };
}
