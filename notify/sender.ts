/**
 * Delivers queued notifications: LINE push to a district's group (with the row's X-Line-Retry-Key, so a repeat
 * is dropped by LINE: 409 = already delivered), e-mail through the nodemailer transport given, and signed webhook
 * POSTs. Rows are claimed with leases, so any number of server processes share the work and each row is sent by
 * one of them. Failures that may pass (network, 5xx, 429, SMTP 4xx) are retried with backoff; the last attempt,
 * or a permanent refusal, parks the row as failed and tells the district's other targets that it failed.
 */
import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Database } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { backoffMs } from '../storage/queue';
import { ClaimLoop, LoopService } from '../runtime/claim-loop';
import { LineApiError, type LineApi } from '../line/api';
import type { Logger } from '../runtime/logger';
import { emailMessage, groupCard, webhookBody } from './messages';
import { postJson, WebhookHttpError, WebhookNetworkError } from './http-post';
import { WebhookAddressRefusedError, webhookReach, type WebhookReach } from './webhook-reach';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './signature';
import { queueNotification } from './queue';
import type { NotificationContent, NotificationPayload, NotificationStatus, NotifyEvent, TargetKind } from './types';

export interface NotificationRow {
  id: number;
  district_code: string;
  event: NotifyEvent;
  subject_key: string;
  payload: string;
  target_id: number;
  target_kind: TargetKind;
  target: string;
  retry_key: string;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface NotifySenderSettings {
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** For one webhook POST, and one SMTP conversation (set on the transport). */
  webhookTimeoutMs: number;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySenderSettings = {
  concurrency: 8,
  pollMs: 2_000,
  leaseMs: 60_000,
  maxAttempts: 8,
  retryBaseMs: 5_000,
  retryMaxMs: 30 * 60_000,
  webhookTimeoutMs: 10_000,
};

export interface NotificationSenderOptions {
  db: Database;
  line: LineApi;
  /** null: e-mail targets fail (and are reported) until a transport is configured. */
  mailer: Transporter | null;
  mailFrom: string;
  cipher: DataCipher;
  /** Where officers open the console: links in cards and e-mails. */
  publicUrl: string;
  logger: Logger;
  workerId: string;
  settings?: Partial<NotifySenderSettings>;
  now?: () => number;
  /** How webhook hosts are resolved and which addresses they may reach: public ones unless a test allows more. */
  webhooks?: Partial<WebhookReach>;
}

/** A refusal that no retry will change: parked at once. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

export class NotificationSender extends LoopService<NotificationRow> {
  protected readonly loop: ClaimLoop<NotificationRow>;
  private readonly now: () => number;
  private readonly s: NotifySenderSettings;
  private readonly reach: WebhookReach;

  constructor(private readonly o: NotificationSenderOptions) {
    super();
    this.now = o.now ?? Date.now;
    this.reach = webhookReach(o.webhooks);
    this.s = { ...DEFAULT_NOTIFY_SETTINGS, ...o.settings };
    // A send holds its row at least as long as one attempt may take, twice over.
    const leaseMs = Math.max(this.s.leaseMs, this.s.webhookTimeoutMs * 2);
    this.loop = new ClaimLoop<NotificationRow>({
      name: 'notify',
      concurrency: this.s.concurrency,
      pollMs: this.s.pollMs,
      leaseMs,
      // Woken after every answered event in case it filed a case; officers' notices may wait a tenth of a second.
      claimGapMs: 100,
      logger: o.logger,
      claim: (limit) => claimNotifications(o.db, o.workerId, limit, this.now(), leaseMs),
      handle: (row) => this.deliver(row),
      renew: (ids) => this.renew(ids, this.now() + leaseMs),
      release: () => this.release(),
    });
  }

  private async deliver(row: NotificationRow): Promise<void> {
    const content: NotificationContent = {
      event: row.event,
      districtCode: row.district_code,
      subjectKey: row.subject_key,
      payload: JSON.parse(row.payload) as NotificationPayload,
    };
    try {
      await this.attempt(row, content);
    } catch (err) {
      if (err instanceof LineApiError && err.status === 409) return this.sent(row); // the retry key was accepted before
      return this.failed(row, content, err);
    }
    await this.sent(row);
  }

  private async attempt(row: NotificationRow, content: NotificationContent): Promise<void> {
    const { line, mailer, publicUrl } = this.o;
    switch (row.target_kind) {
      case 'line_group':
        await line.push(row.target, [groupCard(content, publicUrl)], row.retry_key);
        return;
      case 'email': {
        if (!mailer) throw new PermanentDeliveryError('no SMTP transport is configured');
        const mail = emailMessage(content, publicUrl);
        await mailer.sendMail({
          from: this.o.mailFrom,
          to: row.target,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          // The same id on every attempt: a mail client can see a repeat for what it is.
          messageId: `<notification-${row.retry_key}@echannel>`,
          headers: { 'X-Echannel-Event': row.event },
          // Thai text is smaller in base64 than in quoted-printable.
          textEncoding: 'base64',
        });
        return;
      }
      case 'webhook': {
        const secret = await this.secretOf(row.target_id);
        const sentAt = this.now();
        const body = webhookBody(content, row.id, sentAt, publicUrl);
        await postJson(
          row.target,
          body,
          { [SIGNATURE_HEADER]: signBody(secret, body), [TIMESTAMP_HEADER]: String(sentAt), [DELIVERY_HEADER]: String(row.id), [EVENT_HEADER]: row.event },
          this.s.webhookTimeoutMs,
          this.reach,
        );
        return;
      }
      default:
        throw new PermanentDeliveryError(`unknown target kind ${String(row.target_kind)}`);
    }
  }

  private async secretOf(targetId: number): Promise<string> {
    const rows = await this.o.db.query<{ secret_enc: string | null }>(`SELECT secret_enc FROM district_target WHERE id = $1`, [targetId]);
    const enc = rows[0]?.secret_enc;
    if (!enc) throw new PermanentDeliveryError('the webhook target has no secret');
    return this.o.cipher.decrypt(enc);
  }

  private async sent(row: NotificationRow): Promise<void> {
    await this.o.db.query(
      `UPDATE notification SET status = 'sent', sent_at = $1, last_error = NULL, locked_by = NULL, locked_until = NULL
       WHERE id = $2 AND locked_by = $3`,
      [this.now(), row.id, this.o.workerId],
    );
  }

  private async failed(row: NotificationRow, content: NotificationContent, err: unknown): Promise<void> {
    const now = this.now();
    const permanent = isPermanent(err);
    const parked = permanent || row.attempts >= this.s.maxAttempts;
    const error = describe(err);
    const wait = backoffMs(row.attempts, this.s.retryBaseMs, this.s.retryMaxMs);
    await this.o.db.transaction(async (tx) => {
      const updated = await tx.query<{ id: number }>(
        `UPDATE notification SET status = $1, next_attempt_at = $2, last_error = $3, locked_by = NULL, locked_until = NULL
         WHERE id = $4 AND locked_by = $5 RETURNING id`,
        [parked ? 'failed' : 'pending', parked ? now : now + wait, error.slice(0, 4000), row.id, this.o.workerId],
      );
      // Parked: the district's other targets hear of it (never about a failure report itself: no chain of them).
      if (parked && updated.length && row.event !== 'delivery.failed') {
        await queueNotification(
          tx,
          {
            districtCode: row.district_code,
            event: 'delivery.failed',
            subjectKey: `notification:${row.id}`,
            // Our own words and a status code only: what a receiver answered is never passed on to anyone.
            payload: { ...content.payload, at: now, detail: `${row.event} → ${row.target_kind} ${targetLabel(row)}: ${plainReason(err)}` },
            exceptTargetIds: [row.target_id],
          },
          now,
        );
      }
    });
    this.o.logger[parked ? 'error' : 'warn'](
      { notificationId: row.id, event: row.event, targetKind: row.target_kind, attempt: row.attempts, error },
      parked ? 'notification failed for good' : 'notification failed; will retry',
    );
    if (parked) this.wake();
  }

  private async renew(ids: number[], until: number): Promise<void> {
    if (!ids.length) return;
    await this.o.db.query(
      `UPDATE notification SET locked_until = $1 WHERE locked_by = $2 AND status = 'sending' AND id IN (${ids.map(Number).join(',')})`,
      [until, this.o.workerId],
    );
  }

  private async release(): Promise<void> {
    await this.o.db.query(
      `UPDATE notification SET status = 'pending', locked_by = NULL, locked_until = NULL, attempts = attempts - 1 WHERE locked_by = $1 AND status = 'sending'`,
      [this.o.workerId],
    );
  }
}

/**
 * Claims due rows with a lease: pending and due, or held by a worker whose lease ran out. On PostgreSQL the rows
 * are picked FOR UPDATE SKIP LOCKED, so two processes never take the same row; SQLite has one writer at a time.
 */
export function claimNotifications(db: Database, workerId: string, limit: number, now: number, leaseMs: number): Promise<NotificationRow[]> {
  const pick = `SELECT id FROM notification WHERE status IN ('pending', 'sending')
    AND ((status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND locked_until < $1))
    ORDER BY next_attempt_at, id LIMIT $4`;
  return db.query<NotificationRow>(
    `UPDATE notification SET status = 'sending', locked_by = $2, locked_until = $3, attempts = attempts + 1
     WHERE id IN (${pick}${db.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''}) RETURNING *`,
    [now, workerId, now + leaseMs, limit],
  );
}

function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentDeliveryError) return true;
  if (err instanceof LineApiError) return !err.retryable;
  if (err instanceof WebhookHttpError) return !err.retryable;
  // An address that is not public stays refused; a name that did not resolve may resolve later.
  if (err instanceof WebhookAddressRefusedError) return !err.unresolved;
  // SMTP: 5xx is a refusal (no such mailbox, policy); 4xx and lost connections may pass.
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * What went wrong for the district's other targets to read: the kind of failure and a status code, in our words.
 * A webhook receiver's errors carry nothing else already (http-post.ts); LINE's and the mail server's text stay in
 * the row and the log, for the operators.
 */
function plainReason(err: unknown): string {
  if (err instanceof WebhookHttpError || err instanceof WebhookNetworkError || err instanceof WebhookAddressRefusedError) return err.message;
  if (err instanceof PermanentDeliveryError) return err.message;
  if (err instanceof LineApiError) return `LINE answered ${err.status}`;
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  if (typeof code === 'number') return `the mail server answered ${code}`;
  const errno = (err as { code?: unknown } | null)?.code;
  return typeof errno === 'string' ? `the delivery failed (${errno})` : 'the delivery failed';
}

function describe(err: unknown): string {
  if (err instanceof LineApiError) return `LINE ${err.status}: ${err.body.slice(0, 500)}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** Where it went, for officers: a webhook's URL without its query (which may hold a token). */
function targetLabel(row: NotificationRow): string {
  if (row.target_kind !== 'webhook') return row.target_kind === 'line_group' ? 'LINE' : row.target;
  try {
    const u = new URL(row.target);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'webhook';
  }
}

export const newWorkerId = () => `notify-${randomUUID()}`;
