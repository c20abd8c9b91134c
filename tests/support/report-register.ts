/**
 * A small register of Mukdahan's cases, chats and ratings for November 2026, computed by hand in
 * tests/reports.numbers.test.ts (its comments say what each row is for), inserted directly: the reports' tests do not
 * go through the complaint flow, which changes under them.
 */
import type { Database } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';

export const at = (s: string) => Date.parse(`${s}+07:00`);
/** Every case's complainant is this name and the case's id; their phone is PHONE. */
export const COMPLAINANT = 'นางสาวมาลี ดอกไม้';
export const PHONE = '+66812345678';
/** When the register is read: 20 December 2026, noon in Bangkok. */
export const REGISTER_NOW = at('2026-12-20T12:00:00');

export interface Seed {
  id: number;
  district: string;
  sub: string;
  category: string;
  channel: string;
  topic: string | null;
  status: string;
  created: string;
  due: string;
  closed?: string;
  reason?: string;
  /** Events after filing: [when, kind, public, actor type]. */
  events?: Array<[string, string, boolean, string]>;
}

// A: carried over into November, ended late on 5 Nov (due 4 Nov), 16 days after filing.
// B: received 3 Nov, told 4 Nov, ended on time on 10 Nov (7 days).
// C: received 15 Nov, only an internal note: never told; overdue since 30 Nov.
// D: a complaint about an official (confidential), received 20 Nov, told 21 Nov; overdue since 5 Dec.
// E: received 28 Nov, not accepted on 29 Nov (1 day), on time.
// F: received in December (outside November), overdue since 17 Dec.
// G: ended before November: in no November figure.
// H: received in October, still open (due 25 Dec): carried over and open at the end of November.
export const CASES: Seed[] = [
  { id: 1, district: '4901', sub: '490101', category: 'complaint', channel: 'line', topic: 'road', status: 'ended', created: '2026-10-20T10:00:00', due: '2026-11-04T10:00:00', closed: '2026-11-05T10:00:00', reason: 'resolved', events: [['2026-10-25T10:00:00', 'status', true, 'officer']] },
  { id: 2, district: '4901', sub: '490101', category: 'assistance', channel: 'walk_in', topic: 'welfare', status: 'ended', created: '2026-11-03T09:00:00', due: '2026-11-18T09:00:00', closed: '2026-11-10T09:00:00', reason: 'resolved', events: [['2026-11-04T09:00:00', 'status', true, 'officer']] },
  { id: 3, district: '4902', sub: '490201', category: 'complaint', channel: 'hotline', topic: null, status: 'in_progress', created: '2026-11-15T12:00:00', due: '2026-11-30T12:00:00', events: [['2026-11-16T12:00:00', 'note', false, 'officer'], ['2026-11-17T12:00:00', 'info_added', true, 'citizen']] },
  { id: 4, district: '4901', sub: '490101', category: 'official_conduct', channel: 'line', topic: 'official_conduct', status: 'reviewing', created: '2026-11-20T08:00:00', due: '2026-12-05T08:00:00', events: [['2026-11-21T08:00:00', 'status', true, 'officer']] },
  { id: 5, district: '4903', sub: '490301', category: 'information', channel: 'line', topic: null, status: 'not_accepted', created: '2026-11-28T15:00:00', due: '2026-12-13T15:00:00', closed: '2026-11-29T15:00:00', reason: 'anonymous_without_facts' },
  { id: 6, district: '4902', sub: '490201', category: 'suggestion', channel: 'letter', topic: null, status: 'received', created: '2026-12-02T10:00:00', due: '2026-12-17T10:00:00' },
  { id: 7, district: '4901', sub: '490101', category: 'complaint', channel: 'line', topic: 'road', status: 'ended', created: '2026-09-01T10:00:00', due: '2026-09-16T10:00:00', closed: '2026-10-01T10:00:00', reason: 'resolved' },
  { id: 8, district: '4903', sub: '490301', category: 'complaint', channel: 'field', topic: 'land', status: 'in_progress', created: '2026-10-28T08:00:00', due: '2026-12-25T08:00:00', events: [['2026-11-12T08:00:00', 'progress_notice', true, 'system']] },
];

export async function seedRegister(db: Database, cipher: DataCipher): Promise<void> {
  const b = (v: boolean) => (db.dialect === 'postgres' ? v : v ? 1 : 0);
  await db.query(`INSERT INTO officer (id, username, display_name, role, district_code, province_code, password_hash, disabled, created_at, created_by) VALUES (900, 'register-officer', 'เจ้าหน้าที่ทะเบียน', 'officer', '4901', '49', '!', $1, 0, 't')`, [b(false)]);
  let eventId = 0;
  for (const c of CASES) {
    const closed = c.closed ? at(c.closed) : null;
    await db.query(
      `INSERT INTO cases (id, tracking_number, channel, category, status, confidential, royal_petition, anonymous, story, province_code, district_code, subdistrict_code,
         topic, created_at, updated_at, due_at, last_public_update_at, closed_at, close_reason, complainant_name, phone_enc, address)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'เรื่อง', '49', $9, $10, $11, $12, $12, $13, $12, $14, $15, $16, $17, $18)`,
      [c.id, `MDH-2569-00000${c.id}-0`, c.channel, c.category, c.status, b(c.category === 'official_conduct'), b(false), b(false), c.district, c.sub, c.topic, at(c.created), at(c.due), closed, c.reason ?? null,
        cipher.encrypt(`${COMPLAINANT} ${c.id}`), cipher.encrypt(PHONE), cipher.encrypt('12 หมู่ 3 ตำบลมุกดาหาร')],
    );
    const events: Array<[string, string, boolean, string]> = [[c.created, 'created', true, c.channel === 'line' ? 'citizen' : 'officer'], ...(c.events ?? [])];
    if (c.closed) events.push([c.closed, 'status', true, 'officer']);
    for (const [when, kind, pub, actor] of events) {
      await db.query('INSERT INTO case_event (id, case_id, at, actor_type, kind, public) VALUES ($1, $2, $3, $4, $5, $6)', [++eventId, c.id, at(when), actor, kind, b(pub)]);
    }
  }
  // Chats: h1 in office hours (Wed 4 Nov 10:00), answered in 6 min; h2 on Saturday 7 Nov, answered Monday 08:40
  // (2,740 min); h3 on Tuesday evening with no district (the center's, 4901), never answered; h4 in October.
  const handoffs: Array<[number, string, string | null, string, string | null]> = [
    [1, 'Uchat1', '4901', '2026-11-04T10:00:00', '2026-11-04T10:06:00'],
    [2, 'Uchat2', '4902', '2026-11-07T11:00:00', '2026-11-09T08:40:00'],
    [3, 'Uchat3', null, '2026-11-10T20:00:00', null],
    [4, 'Uchat4', '4901', '2026-10-30T10:00:00', '2026-10-30T10:01:00'],
  ];
  for (const [id, chat, district, requested, reply] of handoffs) {
    await db.query(`INSERT INTO handoff_request (id, chat_id, reason, status, requested_at, district_code) VALUES ($1, $2, 'requested', 'closed', $3, $4)`, [id, chat, at(requested), district]);
    if (reply) await db.query('INSERT INTO handoff_claim (handoff_id, officer_id, claimed_at, first_reply_at) VALUES ($1, 900, $2, $2)', [id, at(reply)]);
  }
  // Ratings: B 5 with a comment, A 2, the chat h2 4 with a comment, D (confidential) 1 with a comment, E not rated (0).
  const surveys: Array<[number, number | null, string, string, number, string | null, string]> = [
    [1, 2, 'Ub', 'case', 5, 'ขอบคุณมากค่ะ', '2026-11-11T10:00:00'],
    [2, 1, 'Ua', 'case', 2, null, '2026-11-06T10:00:00'],
    [3, null, 'Uchat2', 'chat', 4, 'รอนานไปหน่อย', '2026-11-09T09:00:00'],
    [4, 4, 'Ud', 'case', 1, 'เรื่องลับ', '2026-11-25T10:00:00'],
    [5, 5, 'Ue', 'case', 0, null, '2026-11-30T10:00:00'],
  ];
  for (const [id, caseId, chat, subject, rating, comment, when] of surveys) {
    await db.query('INSERT INTO survey_response (id, case_id, chat_id, subject, rating, comment, at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [id, caseId, chat, subject, rating, cipher.encryptOptional(comment), at(when)]);
  }
}

