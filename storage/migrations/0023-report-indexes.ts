import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the reports (reports/) read, indexed, so that every figure stays an exact count over the rows and still
 * answers in under a second on a province's five years (500,000 cases, 2 million events; `npm run bench:reports`):
 *
 * - cases.first_notice_at: when the citizen was first told something after filing (a public event by an officer or
 *   the system: a status change, a progress notice; never the receipt, never the citizen's own additions). Kept by
 *   the database itself, a trigger on case_event, so no code path that adds an event can forget it, and filled here
 *   for the cases already there. The 15-day share is then a column compared, not two million events searched.
 * - cases received in a period, with what they are counted by beside the filing time, so the count reads the index
 *   alone (cases_received); an officer's district by its own index (cases_district_created);
 * - cases ended in a period, and those open at a moment: an open case has no closed_at, so "open at T" is closed_at
 *   IS NULL or closed_at >= T, each a range of cases_closed (which carries the rest the figures need);
 * - a case's province as the reach reads it (cases_province, on COALESCE(province_code, district's first two digits)):
 *   seldom used to find rows, but PostgreSQL keeps statistics on an indexed expression, and without them it guesses
 *   that a province holds 0.5 % of the cases and plans a year's counts as for a handful (sorting to disk);
 * - the overdue list: open cases by their deadline (cases_open_due);
 * - chats asked for in a period, and ratings given in one (handoff_request_requested, survey_response_at), and a case's
 *   ratings (survey_response_case: the case list shows each case's latest rating, and exports every row of it).
 */
export class ReportIndexes1766300000000 implements MigrationInterface {
  name = 'ReportIndexes1766300000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const isPublic = pg ? 'public' : 'public = 1';
    await q.query('ALTER TABLE cases ADD COLUMN first_notice_at BIGINT');
    await q.query(`UPDATE cases SET first_notice_at = (
      SELECT MIN(v.at) FROM case_event v WHERE v.case_id = cases.id AND v.${isPublic} AND v.kind <> 'created' AND v.actor_type <> 'citizen')`);
    if (pg) {
      await q.query(`CREATE FUNCTION case_first_notice() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE cases SET first_notice_at = NEW.at WHERE id = NEW.case_id AND (first_notice_at IS NULL OR first_notice_at > NEW.at);
          RETURN NULL;
        END $$`);
      await q.query(`CREATE TRIGGER case_event_first_notice AFTER INSERT ON case_event FOR EACH ROW
        WHEN (NEW.public AND NEW.kind <> 'created' AND NEW.actor_type <> 'citizen') EXECUTE FUNCTION case_first_notice()`);
    } else {
      await q.query(`CREATE TRIGGER case_event_first_notice AFTER INSERT ON case_event
        WHEN NEW.public = 1 AND NEW.kind <> 'created' AND NEW.actor_type <> 'citizen'
        BEGIN
          UPDATE cases SET first_notice_at = NEW.at WHERE id = NEW.case_id AND (first_notice_at IS NULL OR first_notice_at > NEW.at);
        END`);
    }
    await q.query(`CREATE INDEX cases_received ON cases
      (created_at, province_code, district_code, confidential, category, channel, topic, subdistrict_code, first_notice_at)`);
    await q.query('CREATE INDEX cases_district_created ON cases (district_code, created_at)');
    await q.query(`CREATE INDEX cases_closed ON cases
      (closed_at, created_at, province_code, district_code, confidential, due_at, status, close_reason)`);
    await q.query('CREATE INDEX cases_province ON cases ((COALESCE(province_code, SUBSTR(district_code, 1, 2))))');
    await q.query('CREATE INDEX cases_open_due ON cases (due_at) WHERE closed_at IS NULL');
    await q.query('CREATE INDEX handoff_request_requested ON handoff_request (requested_at)');
    await q.query('CREATE INDEX survey_response_at ON survey_response (at)');
    await q.query('CREATE INDEX survey_response_case ON survey_response (case_id, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    for (const i of ['survey_response_case', 'survey_response_at', 'handoff_request_requested', 'cases_open_due', 'cases_province', 'cases_closed', 'cases_district_created', 'cases_received']) {
      await q.query(`DROP INDEX ${i}`);
    }
    await q.query(pg ? 'DROP TRIGGER case_event_first_notice ON case_event' : 'DROP TRIGGER case_event_first_notice');
    if (pg) await q.query('DROP FUNCTION case_first_notice()');
    await q.query('ALTER TABLE cases DROP COLUMN first_notice_at');
  }
}
