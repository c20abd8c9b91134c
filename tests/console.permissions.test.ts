import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ACTIONS, can, type Action, type Actor, type Role, type Target } from '../console/auth/permissions';
import { createConsoleAuth, requirePermission } from '../console/api/auth';
import { CLI_ACTOR } from '../console/auth/officers';
import { createLogger } from '../runtime/logger';
import type { Database } from '../storage/database';
import { newTestDatabase, type TestDatabase } from './support/databases';

const ACTORS: Record<Role, Actor> = {
  officer: { role: 'officer', districtCode: '4901', provinceCode: '49' }, // Mueang Mukdahan
  supervisor: { role: 'supervisor', districtCode: null, provinceCode: '49' }, // Mukdahan province
  admin: { role: 'admin', districtCode: null, provinceCode: null },
};

const TARGETS = {
  ownDistrict: { districtCode: '4901' },
  sameProvince: { districtCode: '4903' }, // Don Tan, Mukdahan
  otherProvince: { districtCode: '3401' }, // Mueang Ubon Ratchathani
  confidential: { districtCode: '4901', confidential: true }, // official_conduct in the officer's own district
} satisfies Record<string, Target>;
type TargetName = keyof typeof TARGETS;
const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];

// Per action and role, allow (Y) or deny (N) for: own district, same province, other province, confidential.
const CASE = { officer: 'YNNN', supervisor: 'YYNY', admin: 'YYYY' };
const ADMIN_ONLY = { officer: 'NNNN', supervisor: 'NNNN', admin: 'YYYY' };
const TABLE: Record<Action, Record<Role, string>> = {
  'case.list': CASE,
  'case.view': CASE,
  'case.view_personal': CASE,
  'case.update_status': CASE,
  'case.note': CASE,
  'case.assign': CASE,
  'case.move': CASE,
  'case.record': CASE,
  'handoff.claim': CASE,
  'handoff.reply': CASE,
  'officer.create': ADMIN_ONLY,
  'officer.disable': ADMIN_ONLY,
  'audit.read': ADMIN_ONLY,
  'flow.publish': ADMIN_ONLY,
  'faq.edit': ADMIN_ONLY,
  'category.edit': ADMIN_ONLY,
  'language.review': ADMIN_ONLY,
  'district.bind_group': { officer: 'NNNN', supervisor: 'YYNY', admin: 'YYYY' },
  'district.configure': { officer: 'NNNN', supervisor: 'YYNY', admin: 'YYYY' },
  'privacy.requests': { officer: 'NNNN', supervisor: 'YYNY', admin: 'YYYY' },
  'petition.register': { officer: 'NNNN', supervisor: 'YYNY', admin: 'YYYY' },
  'retention.read': { officer: 'NNNN', supervisor: 'YYYY', admin: 'YYYY' },
  'retention.run': ADMIN_ONLY,
  'flow.read': { officer: 'NNNN', supervisor: 'YYYY', admin: 'YYYY' },
};

const ROWS = ACTIONS.flatMap((action) =>
  (Object.keys(ACTORS) as Role[]).flatMap((role) =>
    TARGET_NAMES.map((target, i) => ({ action, role, target, allowed: TABLE[action][role][i] === 'Y' })),
  ),
);

describe('the permission rules', () => {
  it('cover every action', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(ROWS)('$role: $action on $target → $allowed', ({ action, role, target, allowed }) => {
    expect(can(ACTORS[role], action, TARGETS[target])).toBe(allowed);
  });

  it('refuse an officer a whole province, and a case whose district is not known', () => {
    expect(can(ACTORS.officer, 'case.list', { provinceCode: '49' })).toBe(false);
    expect(can(ACTORS.officer, 'case.view', {})).toBe(false);
    expect(can(ACTORS.supervisor, 'case.view', {})).toBe(false);
    expect(can(ACTORS.admin, 'case.view', {})).toBe(true);
  });

  it('let a supervisor list the whole province, confidential cases included, but not another province', () => {
    expect(can(ACTORS.supervisor, 'case.list', { provinceCode: '49', confidential: true })).toBe(true);
    expect(can(ACTORS.supervisor, 'case.list', { provinceCode: '34' })).toBe(false);
    expect(can(ACTORS.supervisor, 'case.view', { districtCode: '3401', confidential: true })).toBe(false);
  });

  it('refuse a target whose province and district disagree', () => {
    expect(can(ACTORS.supervisor, 'case.view', { districtCode: '3401', provinceCode: '49' })).toBe(false);
    expect(can(ACTORS.officer, 'case.view', { districtCode: '4901', provinceCode: '34' })).toBe(false);
  });

  it('refuse an account missing its district or province, and an unknown role', () => {
    expect(can({ role: 'officer', districtCode: null, provinceCode: '49' }, 'case.view', TARGETS.ownDistrict)).toBe(false);
    expect(can({ role: 'supervisor', districtCode: null, provinceCode: null }, 'case.view', TARGETS.ownDistrict)).toBe(false);
    expect(can({ role: 'root' as Role, districtCode: null, provinceCode: null }, 'case.view', TARGETS.ownDistrict)).toBe(false);
    expect(can(ACTORS.admin, 'case.delete' as Action, {})).toBe(false);
  });
});

describe('the same rules enforced by the server over HTTP', () => {
  let t: TestDatabase;
  let db: Database;
  let server: Server;
  let base: string;
  const cookies: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    t = newTestDatabase('sqlite');
    db = await t.open();
    const auth = createConsoleAuth({ db, logger: createLogger('silent'), limits: { apiPerSessionPerMinute: 10_000 } });
    // A demo route as other console routers will write them: the target is the server's, the rule is can().
    const probe = express.Router();
    probe.get('/:action/:district', auth.requireOfficer(), (req, res, next) =>
      requirePermission(req.params.action as Action, (r) => ({
        districtCode: String(r.params.district),
        confidential: r.query.confidential === '1',
      }))(req, res, next),
      (_req, res) => void res.json({ ok: true }),
    );
    const app = express();
    app.use('/console/api', auth.router);
    app.use('/console/api/_probe', probe);
    app.use((err: { status?: number; message: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
      void res.status(err.status ?? 500).json({ message: err.message }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const password = 'a long enough password';
    await auth.officers.create(CLI_ACTOR, { username: 'admin', displayName: 'Admin', role: 'admin', password });
    await auth.officers.create(CLI_ACTOR, { username: 'off4901', displayName: 'Officer', role: 'officer', districtCode: '4901', password });
    await auth.officers.create(CLI_ACTOR, { username: 'sup49', displayName: 'Supervisor', role: 'supervisor', provinceCode: '49', password });
    for (const [role, username] of [['admin', 'admin'], ['officer', 'off4901'], ['supervisor', 'sup49']] as const) {
      const res = await fetch(`${base}/console/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(res.status).toBe(200);
      cookies[role] = res.headers.get('set-cookie')!.split(';')[0]!;
    }
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await db?.close();
    await t?.drop();
  });

  it('answers 401 to a request without a session', async () => {
    expect((await fetch(`${base}/console/api/_probe/case.view/4901`)).status).toBe(401);
  });

  it('answers every row of the table: 200 when allowed, 403 when not', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const row of ROWS) {
      const { districtCode, confidential } = TARGETS[row.target] as Target;
      const res = await fetch(`${base}/console/api/_probe/${row.action}/${districtCode}${confidential ? '?confidential=1' : ''}`, {
        headers: { cookie: cookies[row.role]! },
      });
      got.push(`${row.role} ${row.action} ${row.target} ${res.status}`);
      want.push(`${row.role} ${row.action} ${row.target} ${row.allowed ? 200 : 403}`);
    }
    expect(got).toEqual(want);
    expect(got).toHaveLength(ACTIONS.length * 3 * 4);
  });
});
