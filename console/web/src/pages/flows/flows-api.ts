/** The flow editor's calls (console/api/flows-editor/) and what they answer. */
import { api } from '../../api';
import type { FlowDraft, FlowDraftInfo } from '../../../../../flows/drafts';
import type { FlowVersionInfo, Publication } from '../../../../../flows/store';
import type { FlowDefinition } from '../../../../../flows/definition/types';
import type { ConversationState, EngineInput } from '../../../../../flows/engine';
import type { PreviewResult } from '../../../../../flows/preview';
import type { LocatedFlowError } from '../../../../../flows/source';

export type { FlowDraft, FlowDraftInfo, FlowVersionInfo, Publication, PreviewResult, LocatedFlowError };

/** As console/api/flows-editor/context.ts names it. */
const FLOW_JSON = 'application/vnd.echannel.flow+json';

export interface FlowListItem {
  id: string;
  live: number | null;
  latest: number | null;
  title: { th: string; en: string };
  nodes: number;
  versions: FlowVersionInfo[];
  lastPublication: Publication | null;
  drafts: FlowDraftInfo[];
}

export interface FlowDetail {
  id: string;
  live: number | null;
  latest: number | null;
  title: { th: string; en: string };
  versions: FlowVersionInfo[];
  history: Publication[];
  drafts: FlowDraftInfo[];
}

export interface StoredVersion {
  id: string;
  version: number;
  createdAt: number;
  createdBy: string;
  live: boolean;
  definition: FlowDefinition;
  source: string;
}

export type PreviewInput = EngineInput | { type: 'restart'; node?: string; locale?: 'th' | 'en' };

export const flowsApi = {
  list: () => api<{ flows: FlowListItem[] }>('GET', '/flows'),
  flow: (id: string) => api<FlowDetail>('GET', `/flows/${encodeURIComponent(id)}`),
  version: (id: string, v: number) => api<StoredVersion>('GET', `/flows/${encodeURIComponent(id)}/versions/${v}`),
  draft: (draftId: number) => api<{ draft: FlowDraft; value: unknown }>('GET', `/flows/drafts/${draftId}`),
  newDraft: (id: string, from?: number) => api<{ draft: FlowDraft }>('POST', `/flows/${encodeURIComponent(id)}/drafts`, from === undefined ? {} : { from }),
  importYaml: (text: string) => api<{ draft: FlowDraft; errors: LocatedFlowError[] }>('POST', '/flows/import', text, 'application/yaml'),
  save: (draftId: number, source: string, revision: number) => api<{ draft: FlowDraftInfo }>('PUT', `/flows/drafts/${draftId}`, { source, revision }, FLOW_JSON),
  discard: (draftId: number) => api<null>('DELETE', `/flows/drafts/${draftId}`),
  publish: (draftId: number, body: { note: string; revision: number; expectLive: number | null }) => api<{ version: number }>('POST', `/flows/drafts/${draftId}/publish`, body),
  rollback: (id: string, note: string) => api<{ version: number }>('POST', `/flows/${encodeURIComponent(id)}/rollback`, note.trim() ? { note: note.trim() } : {}),
  preview: (body: { definition: FlowDefinition; state: ConversationState | null; input: PreviewInput; outcomes?: Record<string, string> }) =>
    api<PreviewResult>('POST', '/flows/preview', body, FLOW_JSON),
  exportUrl: (id: string, version?: number) => `/console/api/flows/${encodeURIComponent(id)}/export${version === undefined ? '' : `?version=${version}`}`,
  draftExportUrl: (draftId: number) => `/console/api/flows/drafts/${draftId}/export`,
};
