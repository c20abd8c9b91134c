/**
 * Open data (Open311 GeoReport v2, read only) against the real server on the hand-computed register: off unless
 * OPEN_DATA=on; then services, requests by id, status and dates, with public fields only: no name, phone, address,
 * story or note anywhere in an answer, and the confidential case (a complaint about an official) not at all. Both
 * engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { COMPLAINANT, REGISTER_NOW, seedRegister } from './support/report-register';

describe.each(engines())('open data as Open311 GeoReport v2 (%s)', (engine) => {
  let on: TestServer;
  let off: TestServer;
  const get = async (server: TestServer, path: string) => {
    const r = await fetch(`${server.url}/open311/v2${path}`);
    return { status: r.status, body: (await r.json()) as any, cors: r.headers.get('access-control-allow-origin') };
  };

  beforeAll(async () => {
    on = await startTestServer(engine, { CENTER_DISTRICT: '4901', OPEN_DATA: 'on' }, { conversationClock: () => REGISTER_NOW });
    off = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    await seedRegister(on.db, on.cipher);
  }, 60_000);
  afterAll(async () => {
    await on?.stop();
    await off?.stop();
  });

  it('is off by default', async () => {
    expect((await get(off, '/services.json')).status).toBe(404);
    expect((await get(off, '/requests.json')).status).toBe(404);
  });

  it('lists the categories as services, without complaints about officials', async () => {
    const r = await get(on, '/services.json');
    expect(r.status).toBe(200);
    expect(r.cors).toBe('*');
    expect(r.body.map((s: { service_code: string }) => s.service_code)).toEqual(['complaint', 'assistance', 'justice', 'tip_off', 'information', 'consultation', 'suggestion']);
  });

  it('answers requests of the last 90 days with public fields only, the confidential case left out', async () => {
    const r = await get(on, '/requests.json');
    expect(r.status).toBe(200);
    // Filed within 90 days of 20 Dec 2026: A (20 Oct), B, C, D (confidential: left out), E, F, H (28 Oct); not G (1 Sep).
    expect(r.body.map((x: { service_request_id: string }) => x.service_request_id)).toEqual([
      'MDH-2569-000006-0',
      'MDH-2569-000005-0',
      'MDH-2569-000003-0',
      'MDH-2569-000002-0',
      'MDH-2569-000008-0',
      'MDH-2569-000001-0',
    ]);
    expect(r.body[3]).toEqual({
      service_request_id: 'MDH-2569-000002-0',
      status: 'closed',
      status_notes: null,
      service_name: 'ขอความช่วยเหลือ',
      service_code: 'assistance',
      description: null,
      agency_responsible: 'ศูนย์ดำรงธรรมอำเภอเมืองมุกดาหาร',
      service_notice: null,
      requested_datetime: '2026-11-03T09:00:00+07:00',
      updated_datetime: '2026-11-03T09:00:00+07:00',
      expected_datetime: null,
      address: 'เมืองมุกดาหาร, มุกดาหาร',
      address_id: '4901',
      zipcode: '49000',
      media_url: null,
    });
    const text = JSON.stringify(r.body);
    for (const secret of [COMPLAINANT, '0812345678', '+66812345678', 'หมู่ 3', 'เรื่อง"', 'official_conduct']) expect(text).not.toContain(secret);
  });

  it('filters by id, status, service and dates, and names a bad parameter', async () => {
    expect((await get(on, '/requests/MDH-2569-000003-0.json')).body).toMatchObject([{ status: 'open', expected_datetime: '2026-11-30T12:00:00+07:00' }]);
    expect((await get(on, '/requests/MDH-2569-000004-0.json')).status).toBe(404);
    const open = await get(on, '/requests.json?status=open&start_date=2026-11-01T00:00:00%2B07:00&end_date=2026-12-01T00:00:00%2B07:00');
    expect(open.body.map((x: { service_request_id: string }) => x.service_request_id)).toEqual(['MDH-2569-000003-0']);
    const some = await get(on, '/requests.json?service_request_id=MDH-2569-000001-0,MDH-2569-000004-0,MDH-2569-000007-0&service_code=complaint');
    expect(some.body.map((x: { service_request_id: string }) => x.service_request_id)).toEqual(['MDH-2569-000001-0', 'MDH-2569-000007-0']);
    const bad = await get(on, '/requests.json?status=pending');
    expect(bad).toMatchObject({ status: 400, body: [{ code: 400, description: 'status: must be open or closed' }] });
  });
});
