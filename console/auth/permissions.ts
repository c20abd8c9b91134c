/**
 * Who may do what in the console. Pure: the server asks `can` before every action, with the actor from the
 * session and the target from the database, never from the page.
 *
 * - officer: the cases and chats of their own district, never a confidential case (complaints about officials).
 * - supervisor: every district of their province, confidential cases included; binds LINE groups there.
 * - admin: everything, including accounts, the audit log, flows, the FAQ, the case categories and what the language layer learns from
 *   the field (language.review: the kept samples, the examples, publishing a model). Not a supervisor's: a sample
 *   has no place (it is kept without its chat), so it lies in no province, and the model serves every district.
 *
 * Anything not granted here is refused, and so is a target whose place cannot be told: a case without a
 * district is nobody's but the admin's.
 */
export const ROLES = ['officer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Actions on a case or a chat: granted by place. */
export const CASE_ACTIONS = [
  'case.list',
  'case.view',
  'case.view_personal',
  'case.update_status',
  'case.note',
  'case.assign',
  // Moving a case to another district (a wrong pin, a wrong place): its district's officers, its province's supervisors.
  'case.move',
  /** Recording a case that came in another way (the counter, 1567, a letter: cases/counter.ts) for the target's district. */
  'case.record',
  'handoff.claim',
  'handoff.reply',
] as const;

/**
 * Actions on the center itself. category.edit: adding, editing and retiring the case categories (categories/); every
 * signed-in officer reads them (they label every case), supervisors see the admins' page read-only.
 */
export const ADMIN_ACTIONS = ['officer.create', 'officer.disable', 'audit.read', 'flow.publish', 'faq.edit', 'category.edit', 'language.review'] as const;

/**
 * Actions on a district's own settings: binding its LINE group, its notification targets, office hours and
 * holidays, canned replies. A supervisor's for the province, never an officer's.
 */
export const DISTRICT_ACTIONS = ['district.bind_group', 'district.configure'] as const;

/**
 * Citizens' data requests (PDPA): reading them and deciding a deletion. A supervisor's for the requests whose
 * cases and chats all lie in their province, never an officer's (a deletion erases across districts); a request
 * with no place, or in two provinces, is the admins'.
 */
export const PRIVACY_ACTIONS = ['privacy.requests'] as const;

/**
 * The retention purge (privacy/retention.ts): its record of runs, its settings and a dry run are read by supervisors
 * as by admins, whatever their province (the record is counts; a dry run lists a supervisor only their province's
 * cases); starting a run now is the admins'.
 */
export const RETENTION_ACTIONS = ['retention.read', 'retention.run'] as const;

/**
 * Reading the conversation flows (their versions, drafts, history, a preview): supervisors as admins, whatever their
 * province, since the flows serve every district; changing and publishing them is flow.publish, the admins'.
 */
export const FLOW_READ_ACTIONS = ['flow.read'] as const;

/**
 * The royal petitions' register: reading, completing and exporting it for the E-Report. A supervisor's for the
 * petitions made in their province; an officer handles the chat itself, not the register.
 */
export const REGISTER_ACTIONS = ['petition.register'] as const;

export const ACTIONS = [
  ...CASE_ACTIONS,
  ...ADMIN_ACTIONS,
  ...DISTRICT_ACTIONS,
  ...PRIVACY_ACTIONS,
  ...RETENTION_ACTIONS,
  ...FLOW_READ_ACTIONS,
  ...REGISTER_ACTIONS,
] as const;
export type Action = (typeof ACTIONS)[number];

export interface Actor {
  role: Role;
  /** 4-digit DOPA district code; an officer's own district. */
  districtCode: string | null;
  /** 2-digit province code; a supervisor's province (an officer's is the first two digits of the district). */
  provinceCode: string | null;
}

export interface Target {
  districtCode?: string | null;
  provinceCode?: string | null;
  /** For supervisors only: a case of a confidential category (complaints about public officials). */
  confidential?: boolean;
}

const isCaseAction = (a: Action): boolean => (CASE_ACTIONS as readonly string[]).includes(a);
const PROVINCE_ACTIONS: readonly string[] = [...DISTRICT_ACTIONS, ...PRIVACY_ACTIONS, ...REGISTER_ACTIONS];
const isDistrictAction = (a: Action): boolean => PROVINCE_ACTIONS.includes(a);

/** The province a target lies in: stated, or the first two digits of its district. Disagreeing codes: none. */
function provinceOf(t: Target): string | null {
  const fromDistrict = t.districtCode ? t.districtCode.slice(0, 2) : null;
  if (t.provinceCode && fromDistrict && t.provinceCode !== fromDistrict) return null;
  return t.provinceCode ?? fromDistrict;
}

export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  if (actor.role === 'admin') return (ACTIONS as readonly string[]).includes(action);
  const province = provinceOf(target);
  if (actor.role === 'supervisor') {
    if (action === 'retention.read') return !!actor.provinceCode;
    if (action === 'flow.read') return true;
    if (!actor.provinceCode || !province) return false;
    if (isCaseAction(action) || isDistrictAction(action)) return province === actor.provinceCode;
    return false;
  }
  if (actor.role === 'officer') {
    if (!isCaseAction(action) || !actor.districtCode) return false;
    if (target.confidential) return false;
    // A whole province (no district) is wider than an officer's reach.
    return !!target.districtCode && target.districtCode === actor.districtCode && province === actor.districtCode.slice(0, 2);
  }
  return false;
}

/** Refusal carrying its evidence, for callers that prefer throwing to branching. */
export class PermissionDeniedError extends Error {
  constructor(
    readonly action: Action,
    readonly target: Target,
  ) {
    super(`not permitted: ${action}`);
    this.name = 'PermissionDeniedError';
  }
}

export function assertCan(actor: Actor, action: Action, target: Target = {}): void {
  if (!can(actor, action, target)) throw new PermissionDeniedError(action, target);
}
