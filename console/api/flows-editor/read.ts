/**
 * Reading flows, for admins and supervisors (flow.read): every flow with its live version, its drafts and its last
 * publication; one flow's versions and history (who, when, why); a version's text; a version or a draft as a YAML
 * file to keep in git.
 */
import type { RequestHandler } from 'express';
import { stringify } from 'yaml';
import type { FlowDefinition } from '../../../flows/definition/types';
import { FlowVersionNotFoundError, type FlowSummary } from '../../../flows/store';
import { parseFlowSource } from '../../../flows/source';
import { HttpError } from '../auth';
import { flowIdOf, numberOf, type FlowsEditorContext } from './context';

/** A flow's name as a person reads it: its `title` text, else its id. */
function titleOf(flow: FlowDefinition | null, id: string): { th: string; en: string } {
  return { th: flow?.texts.th.title ?? id, en: flow?.texts.en.title ?? id };
}

/** The text of a stored version: as uploaded when it was YAML, else written out as YAML. */
export function yamlOf(source: string | null, definition: FlowDefinition): string {
  return source ?? stringify(definition, { lineWidth: 0 });
}

export function listFlows(c: FlowsEditorContext): RequestHandler {
  return async (_req, res) => {
    const [summaries, drafts] = await Promise.all([c.flows.list(), c.drafts.list()]);
    const flows = await Promise.all(
      summaries.map(async (s: FlowSummary) => {
        const shown = await c.flows.get(s.id, s.live ?? s.latest);
        const history = await c.flows.history(s.id);
        return { ...s, title: titleOf(shown, s.id), nodes: shown ? Object.keys(shown.nodes).length : 0, lastPublication: history[0] ?? null, drafts: drafts.filter((d) => d.flowId === s.id) };
      }),
    );
    // Drafts of flows that were imported and never published: listed too, or nobody could find them again.
    const known = new Set(summaries.map((s) => s.id));
    const newFlows = [...new Set(drafts.filter((d) => !known.has(d.flowId)).map((d) => d.flowId))].map((id) => ({
      id,
      live: null,
      latest: null,
      versions: [],
      title: titleOf(null, id),
      nodes: 0,
      lastPublication: null,
      drafts: drafts.filter((d) => d.flowId === id),
    }));
    res.json({ flows: [...flows, ...newFlows] });
  };
}

export function getFlow(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const id = flowIdOf(req);
    const drafts = await c.drafts.list(id);
    const summary = await c.flows.flow(id).catch((err: unknown) => {
      if (drafts.length > 0) return { id, live: null, latest: null, versions: [] };
      throw err;
    });
    const shown = summary.live ?? summary.latest;
    const definition = shown === null ? null : await c.flows.get(id, shown);
    res.json({ ...summary, title: titleOf(definition, id), history: await c.flows.history(id), drafts });
  };
}

export function getVersion(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const v = await c.flows.version(flowIdOf(req), numberOf(req, 'version'));
    const live = (await c.flows.liveVersions()).get(v.id);
    res.json({ id: v.id, version: v.version, createdAt: v.createdAt, createdBy: v.createdBy, live: live === v.version, definition: v.definition, source: yamlOf(v.source, v.definition) });
  };
}

/** GET /flows/:id/export?version=N: the live version unless one is named, as `<id>.yaml`. */
export function exportFlow(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const id = flowIdOf(req);
    const asked = req.query.version;
    let version: number | null;
    if (asked === undefined) version = (await c.flows.liveVersions()).get(id) ?? null;
    else if (typeof asked === 'string' && /^[1-9]\d{0,14}$/.test(asked)) version = Number(asked);
    else throw new HttpError(400, 'version must be a positive whole number');
    if (version === null) throw new FlowVersionNotFoundError(id, 0);
    const v = await c.flows.version(id, version);
    sendYaml(res, `${id}-v${v.version}.yaml`, yamlOf(v.source, v.definition));
  };
}

export function exportDraft(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const draft = await c.drafts.get(numberOf(req, 'draftId'));
    sendYaml(res, `${draft.flowId}-draft-${draft.id}.yaml`, draft.source);
  };
}

/** The draft's text, and what it reads as when it reads (so a large flow is drawn before the page parses the text). */
export function getDraft(c: FlowsEditorContext): RequestHandler {
  return async (req, res) => {
    const draft = await c.drafts.get(numberOf(req, 'draftId'));
    res.json({ draft, value: valueOf(draft.source, draft.id) });
  };
}

/**
 * The drafts' texts last read, as values: a 200-node flow's YAML takes this machine 50 ms to parse (more on a busy
 * one), paid again by every admin who opens the draft and by every return to it. Keyed by the text itself, so a
 * saved change is a new entry and nothing is ever stale; a few entries, as few admins edit at once.
 */
const parsedDrafts = new Map<string, unknown>();
const PARSED_DRAFTS_KEPT = 8;

function valueOf(source: string, draftId: number): unknown {
  if (parsedDrafts.has(source)) {
    const value = parsedDrafts.get(source);
    // Most recently used last: the first key is the one to drop.
    parsedDrafts.delete(source);
    parsedDrafts.set(source, value);
    return value;
  }
  const parsed = parseFlowSource(source, `draft ${draftId}`, 'yaml');
  const value = parsed.ok ? parsed.source.value : null;
  parsedDrafts.set(source, value);
  if (parsedDrafts.size > PARSED_DRAFTS_KEPT) parsedDrafts.delete(parsedDrafts.keys().next().value!);
  return value;
}

function sendYaml(res: Parameters<RequestHandler>[1], name: string, text: string): void {
  res.setHeader('Content-Type', 'application/yaml; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.send(text);
}
