/**
 * GET /cases/:number: a case's full file: the timeline with internal notes, the attachments, and the
 * complainant's address, phone and national ID decrypted for those allowed (case.view_personal), each such view
 * written to the audit log.
 */
import type { RequestHandler } from 'express';
import { caseAttachments, caseTimeline, type CaseFileEvent } from '../../../cases/files';
import { END_REASONS, NOT_ACCEPTED_REASONS } from '../../../cases/reasons';
import { recordView } from '../../auth/audit';
import { officerNames } from '../../auth/officer-directory';
import { can } from '../../auth/permissions';
import { actorOf } from '../auth';
import { attachmentUrl } from './attachments';
import { caseOfReq, caseTarget, type CasesContext } from './context';

const numericId = (v: unknown): number | null => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null);

/** An assignment's note names the assignee as "officer:<id>" (cases/store.ts assignCase). */
const assigneeOf = (e: CaseFileEvent) => (e.kind === 'assigned' ? numericId(/^officer:(\d+)$/.exec(String(e.note ?? ''))?.[1]) : null);
/** Officers act under their id. */
const officerActorOf = (e: CaseFileEvent) => (e.actor_type === 'officer' ? numericId(e.actor_id) : null);

export function caseDetail(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const row = caseOfReq(req);
    const actor = actorOf(req);
    const events = await caseTimeline(c.db, row.id);
    const assignedId = row.assigned_officer_id === null ? null : Number(row.assigned_officer_id);
    const names = await officerNames(c.db, [
      ...events.flatMap((e) => [officerActorOf(e), assigneeOf(e)]).filter((id): id is number => id !== null),
      ...(assignedId !== null ? [assignedId] : []),
    ]);
    const attachments = await caseAttachments(c.db, row.id);
    const personal = can(actor, 'case.view_personal', caseTarget(row));
    if (personal) {
      await recordView(c.db, { officerId: actor.id, action: 'case.view_personal', target: row.tracking_number, ip: req.ip ?? null, at: c.now() });
    }
    res.json({
      number: row.tracking_number,
      category: row.category,
      status: row.status,
      channel: row.channel,
      // Filed another way and followed on LINE since the citizen linked it (cases/linking.ts): an officer may undo it.
      lineLinked: row.channel !== 'line' && row.citizen_id !== null,
      confidential: Boolean(row.confidential),
      royalPetition: Boolean(row.royal_petition),
      anonymous: Boolean(row.anonymous),
      provinceCode: row.province_code,
      districtCode: row.district_code,
      subdistrictCode: row.subdistrict_code,
      occurredOn: row.occurred_on,
      location: row.location,
      subject: row.subject,
      request: row.request,
      story: row.story,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      dueAt: row.due_at,
      closedAt: row.closed_at,
      closeReason: row.close_reason,
      forwardedTo: row.forwarded_to,
      assignedTo: assignedId === null ? null : { officerId: assignedId, name: names.get(assignedId) ?? null },
      reopenCount: row.reopen_count,
      // The page's reason select offers the server's lists, so the two never disagree.
      reasons: { ended: END_REASONS, not_accepted: NOT_ACCEPTED_REASONS },
      complainant: {
        name: row.complainant_name,
        address: personal ? row.address : null,
        phone: personal && row.phone_enc ? c.cipher.decrypt(row.phone_enc) : null,
        nationalId: personal && row.national_id_enc ? c.cipher.decrypt(row.national_id_enc) : null,
      },
      timeline: events.map((e) => {
        const officer = officerActorOf(e);
        const assignee = assigneeOf(e);
        return {
          id: Number(e.id),
          at: Number(e.at),
          actorType: e.actor_type,
          actorId: e.actor_id,
          actorName: officer === null ? null : (names.get(officer) ?? null),
          kind: e.kind,
          statusFrom: e.status_from,
          statusTo: e.status_to,
          // The assignment's note is the machine's; the page shows the assignee by name instead.
          note: assignee === null ? e.note : null,
          reason: e.reason ?? null,
          forwardedTo: e.forwarded_to ?? null,
          assignee: assignee === null ? null : { officerId: assignee, name: names.get(assignee) ?? null },
          public: Boolean(e.public),
        };
      }),
      attachments: attachments.map((a) => ({
        id: Number(a.id),
        mediaType: a.media_type,
        contentType: a.content_type,
        fileName: a.file_name,
        size: Number(a.size),
        sha256: a.sha256,
        createdAt: Number(a.created_at),
        contentUrl: attachmentUrl(row.tracking_number, Number(a.id)),
      })),
    });
  };
}
