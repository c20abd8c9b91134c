import type { Category, CaseStatus } from '../domain/cases';

/** What officers are told about. */
export const NOTIFY_EVENTS = ['case.new', 'handoff.requested', 'handoff.overdue', 'case.overdue', 'delivery.failed', 'case.moved'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** Where a district is told: its officers' LINE group, e-mail addresses, another system's webhook. */
export const TARGET_KINDS = ['line_group', 'email', 'webhook'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * The essentials of an event, as stored with each notification row and read by every message. Never a national
 * ID or phone number: the summary is masked when queued and again when shown.
 */
export interface NotificationPayload {
  trackingNumber?: string;
  category?: Category;
  /** The category's names when the notice was queued (categories/): printed as they were, in any process. */
  categoryName?: { th: string; en: string };
  /** How the case came in (the bot, the counter, 1567 ...: domain/cases.ts CHANNELS). */
  channel?: string;
  status?: CaseStatus;
  /** The first line of the story (masked, clipped); never for a confidential case. */
  summary?: string;
  /**
   * The case's district when the notice goes to the province's supervisors (the notification's own district is
   * then theirs, `supervisorsCode`): the place shown, never finer than a district.
   */
  caseDistrict?: string;
  /** For a case moved to another district: where it was (the case's district is where it went), and why. */
  movedFrom?: string;
  reason?: string;
  /** When the event happened (filed, asked, fell due, failed), epoch ms. */
  at: number;
  /** The 15-day deadline, for overdue cases. */
  dueAt?: number;
  /** For failed deliveries: to whom it failed, in words an officer understands. */
  detail?: string;
  /** For handoffs: which one (the console's chat), and by when its first answer was due. */
  handoffId?: number;
  answerBy?: number;
}

/** One event for one district: what messages.ts turns into a card, an e-mail or a webhook body. */
export interface NotificationContent {
  event: NotifyEvent;
  districtCode: string;
  subjectKey: string;
  payload: NotificationPayload;
}

export const isDistrictCode = (v: unknown): v is string => typeof v === 'string' && /^\d{4}$/.test(v);

/**
 * The province's supervisors are told through the targets of a pseudo district: the province's code and "00"
 * (4900 for Mukdahan; no DOPA district code ends in 00). Its targets and binding codes are made like a
 * district's (notify/targets.ts, the console's /districts/4900/...), and only supervisors and admins may, as a
 * supervisor's reach is the province the code starts with. Confidential cases are notified there only.
 */
export const supervisorsCode = (districtCode: string): string => `${districtCode.slice(0, 2)}00`;
export const isSupervisorsCode = (code: string): boolean => /^\d{2}00$/.test(code);

/** What a notice's summary is clipped to when queued: what the card shows of it, no more. */
export const SUMMARY_CHARS = 120;
