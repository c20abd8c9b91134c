/**
 * The first-answer clock of a handoff. When a citizen asks for an officer, the deadline they were told is fixed
 * on the handoff (handoff_request.answer_by) and a job is scheduled for it, in the event's transaction. When the
 * job runs and the chat is still waiting with no officer's reply, the district's officers get a
 * 'handoff.overdue' notification: once, as the job runs once and a notification is unique by its subject.
 */
import type { JobHandler } from '../scheduler';
import { scheduleJob } from '../scheduler';
import type { Tx } from '../storage/database';
import { queueNotification } from '../notify/queue';
import { districtOrCenter } from '../office/chat-district';

export const FIRST_ANSWER_JOB = 'handoff.first-answer';
export const firstAnswerKey = (handoffId: number) => `handoff-answer:${handoffId}`;

/** Schedules the check of a handoff's first answer at its deadline, on the scheduler's clock (`now`). */
export async function scheduleFirstAnswerCheck(tx: Tx, handoffId: number, answerBy: number, now: number): Promise<void> {
  await scheduleJob(tx, { kind: FIRST_ANSWER_JOB, key: firstAnswerKey(handoffId), runAt: answerBy, payload: { handoffId } }, { now });
}

export interface HandoffJobDeps {
  /** Where a chat whose citizen has no placed case belongs (CENTER_DISTRICT). */
  centerDistrict: string | null;
  /** The notification sender's clock (default Date.now): the notice is due at once by it, as in cases/jobs.ts. */
  outboxClock?: () => number;
}

export function handoffJobHandlers(deps: HandoffJobDeps): Record<string, JobHandler<{ handoffId: number }>> {
  const sendAt = deps.outboxClock ?? Date.now;
  return {
    [FIRST_ANSWER_JOB]: async (job, tx) => {
      const id = Number(job.payload?.handoffId);
      const [h] = await tx.query<{
        reason: string;
        status: string;
        requested_at: number;
        answer_by: number | null;
        district_code: string | null;
        first_reply_at: number | null;
      }>(
        `SELECT h.reason, h.status, h.requested_at, h.answer_by, h.district_code, c.first_reply_at
           FROM handoff_request h LEFT JOIN handoff_claim c ON c.handoff_id = h.id WHERE h.id = $1`,
        [id],
      );
      // Answered, ended, or gone: nobody needs reminding.
      if (!h || h.status !== 'waiting' || (h.first_reply_at !== null && h.first_reply_at !== undefined)) return;
      // The handoff's own district: the officers who see it in their queue are the ones reminded.
      const district = districtOrCenter(h.district_code, deps.centerDistrict);
      if (!district) return;
      await queueNotification(
        tx,
        {
          districtCode: district,
          event: 'handoff.overdue',
          subjectKey: `handoff:${id}`,
          payload: {
            summary: h.reason,
            at: Number(h.requested_at),
            handoffId: id,
            ...(h.answer_by !== null && h.answer_by !== undefined ? { answerBy: Number(h.answer_by) } : {}),
          },
        },
        sendAt(),
      );
    },
  };
}
