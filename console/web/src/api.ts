/**
 * The console API (/console/api) from the page: JSON in and out, the session cookie sent by the browser, and the
 * CSRF token from /session or /login sent on every request but GET. A 401 anywhere means the session is gone.
 */
export interface Officer {
  id: number;
  username: string;
  displayName: string;
  role: string;
  districtCode: string | null;
  provinceCode: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's reasons field by field, when it gave them (a 400 on a form). */
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const API = '/console/api';
let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

/**
 * `type` sends the body with another media type (a YAML file as text, a flow as its own JSON type): the few routes
 * whose bodies are larger than the API's JSON limit take those.
 */
export async function api<R>(method: string, path: string, body?: unknown, type = 'application/json'): Promise<R> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  // A form (files) goes as multipart: the browser writes its content type, with the boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = type;
  const sent = form || (typeof body === 'string' && type !== 'application/json') ? (body as BodyInit) : JSON.stringify(body);
  const res = await fetch(API + path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: sent } : {}) });
  const text = await res.text();
  const json = text && (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    if (res.status === 401 && path !== '/login') onSignedOut();
    const { message, errors } = (json ?? {}) as { message?: unknown; errors?: unknown };
    const issues = Array.isArray(errors) ? errors.filter((e): e is { path: string; message: string } => typeof e?.path === 'string' && typeof e?.message === 'string') : [];
    throw new ApiError(res.status, typeof message === 'string' ? message : res.statusText, issues);
  }
  return json as R;
}

export interface QueueItem {
  id: number;
  displayName: string | null;
  reason: string;
  royalPetition: boolean;
  districtCode: string | null;
  requestedAt: number;
  waitingSeconds: number;
  claimedBy: { officerId: number; name: string | null; at: number } | null;
  /** When an officer's first answer is due (what the citizen was told); null for older handoffs. */
  answerBy: number | null;
  /** An officer has replied: the clock has stopped. */
  answered: boolean;
  /** Past answerBy with no officer's reply yet, by overdueSeconds on the server's clock. */
  overdue: boolean;
  overdueSeconds: number;
}

/** One message of a chat (GET /handoffs/:id/messages and the live stream), as the server makes it. */
export type { ChatMessage } from '../../../handoffs/chat';

export interface CannedReply {
  id: number;
  title: string;
  textTh: string;
  textEn: string;
}

export interface CaseSummary {
  number: string;
  category: string;
  status: string;
  /** How it came in: domain/cases.ts CHANNELS. */
  channel: string;
  confidential: boolean;
  royalPetition: boolean;
  anonymous: boolean;
  districtCode: string | null;
  subject: string | null;
  complainantName: string | null;
  createdAt: number;
  dueAt: number;
  overdue: boolean;
  assignedTo: { officerId: number; name: string | null } | null;
  /** The citizen's latest rating of the case, 1-5; null when not rated. */
  rating: number | null;
}

export interface CaseDetail {
  number: string;
  category: string;
  status: string;
  channel: string;
  /** Filed another way and linked by the complainant to their LINE account (cases/linking.ts). */
  lineLinked: boolean;
  confidential: boolean;
  royalPetition: boolean;
  anonymous: boolean;
  districtCode: string | null;
  occurredOn: string | null;
  location: string | null;
  subject: string | null;
  request: string | null;
  story: string;
  createdAt: number;
  dueAt: number;
  closedAt: number | null;
  /** Why it was ended or not accepted: a code of reasons (below). */
  closeReason: string | null;
  /** The agency it was last forwarded to. */
  forwardedTo: string | null;
  assignedTo: { officerId: number; name: string | null } | null;
  reopenCount: number;
  /** The Ministry's reason codes a closing needs (cases/reasons.ts). */
  reasons: { ended: string[]; not_accepted: string[] };
  complainant: { name: string | null; address: string | null; phone: string | null; nationalId: string | null };
  timeline: Array<{
    id: number;
    at: number;
    actorType: string;
    actorName: string | null;
    kind: string;
    statusFrom: string | null;
    statusTo: string | null;
    note: string | null;
    reason: string | null;
    forwardedTo: string | null;
    assignee: { officerId: number; name: string | null } | null;
    public: boolean;
  }>;
  attachments: Array<{ id: number; mediaType: string; contentType: string; fileName: string | null; size: number; createdAt: number }>;
}

/** An officer a case may be assigned to (GET /cases/:number/assignees). */
export interface Assignee {
  id: number;
  name: string;
  role: string;
}

/** A district the account may see in the settings pages (GET /districts), named from the DOPA list. */
export type { DirectoryDistrict } from '../../api/district-directory';

/** A canned reply as the settings page edits it (GET /canned-replies?district=). */
export interface DistrictCannedReply extends CannedReply {
  districtCode: string;
  createdAt: number;
}

/** A district's notification target (GET /districts/:code/targets); a webhook's secret never comes back. */
export interface NotifyTarget {
  id: number;
  districtCode: string;
  kind: 'line_group' | 'email' | 'webhook';
  address: string;
  active: boolean;
  hasSecret: boolean;
  createdAt: number;
  createdBy: string;
}

/** A one-time code that binds a LINE group to a district (POST /districts/:code/binding-codes). */
export interface BindingCode {
  code: string;
  districtCode: string;
  expiresAt: number;
}

/** An officer account as the accounts page lists it (GET /officers). */
export interface OfficerAccount extends Officer {
  disabled: boolean;
  createdAt: number;
  createdBy: string;
  lastLoginAt: number | null;
  lockedUntil: number | null;
}

/** One line of the audit log (GET /audit), newest first. */
export type { AuditEntry } from '../../auth/audit';
