import type { Category, CaseStatus } from '../domain/cases';

/** What officers are told about. */
export const NOTIFY_EVENTS = ['case.new', 'handoff.requested', 'handoff.overdue', 'case.overdue', 'delivery.failed'] as const;
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
  status?: CaseStatus;
  /** The first line of the story (masked). */
  summary?: string;
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
