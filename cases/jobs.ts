/**
 * The scheduled work of cases: progress notices while a case is open, and the satisfaction survey when it ends.
 * Both run inside the scheduler's transaction, so the messages they queue exist only if the job is marked done.
 */
import type { JobContext, JobHandler } from '../scheduler';
import type { Tx } from '../storage/database';
import { queueMessages } from '../storage/outbox';
import type { EngineInput, OutMessage } from '../flows/engine';
import type { Logger } from '../runtime/logger';
import { caseById } from './store';
import { notifyCaseOverdue } from './new-case-notice';
import { citizenChat, PROGRESS_JOB, runProgressNotice, SURVEY_JOB } from './notices';

const HOUR = 3_600_000;

export interface CaseJobDeps {
  progressNoticeDays: number;
  /** Runs one conversation step for a chat in the caller's transaction (bot/flow-handler.ts `converse`). */
  converse(tx: Tx, c: { chatId: string; input: EngineInput; logger: Logger; stampedAt: number }): Promise<OutMessage[]>;
  /** Whether the chat is in the middle of another conversation: the survey then waits an hour. */
  isBusy(tx: Tx, chatId: string, now: number): Promise<boolean>;
  /**
   * The outbox sender's clock (default Date.now): the messages a job queues are due at once by it, even when the
   * jobs run on a clock a test has moved days ahead (StartOptions.conversationClock).
   */
  outboxClock?: () => number;
  /** Where a case that cannot be placed in a district is notified (CENTER_DISTRICT). */
  centerDistrict?: string | null;
}

export function caseJobHandlers(deps: CaseJobDeps): Record<string, JobHandler<{ caseId: number }>> {
  const schedule = (ctx: JobContext) => async (job: { kind: string; key: string; runAt: number; payload: Record<string, unknown> }) => {
    await ctx.schedule(job);
  };
  const sendAt = deps.outboxClock ?? Date.now;
  return {
    [PROGRESS_JOB]: async (job, tx, ctx) => {
      const caseId = Number(job.payload?.caseId);
      const before = await caseById(tx, caseId);
      const result = await runProgressNotice(tx, caseId, ctx.now, deps.progressNoticeDays, schedule(ctx), sendAt());
      // A progress notice means the citizen heard nothing for the whole interval: the case is past its deadline,
      // and its officers hear of it too (once per deadline; a confidential case, the province's supervisors only).
      if (result === 'sent' && before) {
        await notifyCaseOverdue(tx, {
          caseId: before.id,
          trackingNumber: before.tracking_number,
          status: before.status,
          dueAt: before.due_at,
          centerDistrict: deps.centerDistrict ?? null,
          at: ctx.now,
          sendAt: sendAt(),
        });
      }
    },
    [SURVEY_JOB]: async (job, tx, ctx) => {
      const row = await caseById(tx, Number(job.payload?.caseId));
      if (!row) return;
      const chat = await citizenChat(tx, row);
      if (!chat) return;
      if (await deps.isBusy(tx, chat.chatId, ctx.now)) {
        await ctx.schedule({ kind: SURVEY_JOB, key: job.key, runAt: ctx.now + HOUR, payload: job.payload });
        return;
      }
      const messages = await deps.converse(tx, {
        chatId: chat.chatId,
        input: { type: 'start', flow: 'survey', slots: { number: row.tracking_number } },
        logger: ctx.logger,
        stampedAt: ctx.now,
      });
      if (messages.length) await queueMessages(tx, { chatId: chat.chatId, messages }, sendAt());
    },
  };
}
