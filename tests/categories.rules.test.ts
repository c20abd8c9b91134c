/**
 * The rules that go with the case categories, as pure functions: which code a new case may take, who may see a
 * case, its deadline; what the flow validator says of a choice or a branch that names a category; the counter's
 * form under a category's rules; the monthly report's columns and open data's services.
 */
import { describe, expect, it } from 'vitest';
import { validateFlow } from '../flows/definition';
import { validationContext } from '../flows/registry';
import { categoryChoices } from '../flows/definition/categories';
import { deadlineDaysOf, forFiling, isConfidentialCase, SHIPPED_CATEGORIES, type CaseCategory } from '../categories';
import { categoryInput } from '../categories/schema';
import { readCounterCase } from '../cases/counter';
import { monthlyColumns } from '../reports/monthly';
import { open311ServiceCodes, open311Services } from '../reports/open311';

const NOW = Date.parse('2026-11-26T10:00:00+07:00');
const land: CaseCategory = { ...SHIPPED_CATEGORIES[0]!, code: 'land_dispute', name: { th: 'ข้อพิพาทที่ดิน', en: 'Land dispute' }, nationalIdRequired: true, deadlineDays: 7, sortOrder: 90 };
const retired: CaseCategory = { ...SHIPPED_CATEGORIES[7]!, retiredAt: NOW - 1000 };
const LIST: CaseCategory[] = [...SHIPPED_CATEGORIES.slice(0, 7), retired, land];
const known = LIST.map((c) => ({ code: c.code, retired: c.retiredAt !== null }));

/** A small flow that files into what its choice keeps in the `category` slot. */
function flow(values: string[], branch: unknown = { equals: ['category', 'tip_off'] }) {
  const labels = Object.fromEntries(values.map((_, i) => [`c${i}`, `choice ${i}`]));
  return {
    id: 'intake',
    version: 1,
    start: 'pick',
    texts: { th: { ask: 'ประเภทใดคะ', done: 'ได้รับแล้ว', ...labels }, en: { ask: 'Which kind?', done: 'Received.', ...labels } },
    nodes: {
      pick: { kind: 'choose', prompt: 'ask', slot: 'category', options: values.map((v, i) => ({ label: `c${i}`, value: v, next: 'route' })) },
      route: { kind: 'branch', cases: [{ when: branch, next: 'file' }], otherwise: 'file' },
      file: { kind: 'action', action: 'case.file', outcomes: { ok: 'done' } },
      done: { kind: 'end', message: 'done' },
    },
  };
}
const check = (def: unknown, categories = known) => validateFlow(def, validationContext('intake.yaml', ['intake'], categories));

describe('a flow that files into a category', () => {
  it('passes when every choice names a category in use', () => {
    expect(check(flow(['complaint', 'land_dispute']))).toMatchObject({ ok: true });
  });

  it('refuses a choice naming no category, with the nearest code as the fix', () => {
    const r = check(flow(['complaint', 'land_disput']));
    expect(r).toEqual({ ok: false, errors: [{ file: 'intake.yaml', path: 'nodes.pick.options.1.value', message: 'unknown category "land_disput"', suggestion: 'did you mean "land_dispute"?' }] });
    const far = check(flow(['roads']));
    expect(far.ok ? [] : far.errors[0]!.suggestion).toContain('add it on the categories page first, or use one of: complaint, assistance');
  });

  it('refuses a choice filing into a retired category, but lets a branch still name one', () => {
    const r = check(flow(['suggestion'], { in: ['category', ['suggestion', 'land_dispute']] }));
    expect(r.ok ? [] : r.errors).toEqual([expect.objectContaining({ path: 'nodes.pick.options.0.value', message: 'category "suggestion" is retired: no new case is filed under it' })]);
  });

  it('refuses a branch on a category that does not exist', () => {
    const r = check(flow(['complaint'], { or: [{ equals: ['category', 'tipoff'] }, { in: ['category', ['complaint', 'nope']] }] }));
    expect(r.ok ? [] : r.errors.map((e) => [e.path, e.message, e.suggestion])).toEqual([
      ['nodes.route.cases.0.when.or.0.equals.1', 'unknown category "tipoff"', 'did you mean "tip_off"?'],
      ['nodes.route.cases.0.when.or.1.in.1.1', 'unknown category "nope"', expect.stringContaining('add it on the categories page first')],
    ]);
  });

  it('takes a choice without a value as filing its label, and checks nothing without the list', () => {
    const def = flow(['complaint']);
    delete (def.nodes.pick.options[0] as { value?: string }).value;
    expect(categoryChoices(def as never)).toEqual([{ code: 'c0', path: 'nodes.pick.options.0.value', node: 'pick' }]);
    expect(check(def).ok).toBe(false);
    expect(validateFlow(def, validationContext('intake.yaml', ['intake'])).ok).toBe(true);
  });
});

describe('the rules of a category', () => {
  it('files a new case only under a category in use', () => {
    expect(forFiling(LIST, 'land_dispute')).toMatchObject({ ok: true, category: { code: 'land_dispute' } });
    expect(forFiling(LIST, 'suggestion')).toEqual({ ok: false, code: 'suggestion', reason: 'retired' });
    expect(forFiling(LIST, 'roads')).toEqual({ ok: false, code: 'roads', reason: 'unknown' });
  });

  it("keeps a case from its district when its row says so, or its category is confidential now", () => {
    expect(isConfidentialCase({ category: 'official_conduct', confidential: false }, LIST)).toBe(true);
    expect(isConfidentialCase({ category: 'complaint', confidential: 1 }, LIST)).toBe(true);
    expect(isConfidentialCase({ category: 'complaint', confidential: 0 }, LIST)).toBe(false);
    expect(isConfidentialCase({ category: 'gone_since', confidential: false }, LIST)).toBe(false);
  });

  it("gives a case its category's own deadline, else the center's", () => {
    expect(deadlineDaysOf(land, 15)).toBe(7);
    expect(deadlineDaysOf(SHIPPED_CATEGORIES[0], 15)).toBe(15);
    expect(deadlineDaysOf(undefined, 10)).toBe(10);
  });

  it('takes a code of a-z, 0-9 and _, and names of at most 80 characters', () => {
    const good = { code: 'land_dispute', name: { th: ' ข้อพิพาท  ที่ดิน ', en: 'Land dispute' }, confidential: false, consentRequired: false, nationalIdRequired: false, anonymousAllowed: false, deadlineDays: null };
    expect(categoryInput.parse(good).name.th).toBe('ข้อพิพาท ที่ดิน');
    for (const code of ['Land', '1land', 'l', 'land-dispute', 'x'.repeat(33)]) expect(categoryInput.safeParse({ ...good, code }).success).toBe(false);
    expect(categoryInput.safeParse({ ...good, name: { th: 'ก'.repeat(81), en: 'x' } }).success).toBe(false);
    expect(categoryInput.safeParse({ ...good, deadlineDays: 366 }).success).toBe(false);
  });
});

describe("the counter's form under a category's rules", () => {
  const form = {
    channel: 'walk_in',
    districtCode: '4901',
    story: 'เพื่อนบ้านล้อมรั้วรุกเข้ามาในที่ดินสองเมตร',
    fullName: 'บุญมี ขยันดี',
    phone: '0812341234',
    address: '99 หมู่ 2 ต.ศรีบุญเรือง',
  };
  const errors = (f: Record<string, unknown>) => {
    const r = readCounterCase({ ...form, category: 'complaint', ...f } as never, NOW, LIST);
    return r.ok ? [] : r.errors;
  };

  it("asks what the category needs: its national ID, consent, a name unless it may be anonymous", () => {
    expect(errors({ category: 'land_dispute' })).toEqual([{ path: 'nationalId', reason: 'empty' }]);
    expect(errors({ category: 'land_dispute', nationalId: '1-1017-00230-70-8' })).toEqual([]);
    expect(errors({ category: 'assistance' })).toEqual([{ path: 'consent', reason: 'consent_required' }]);
    expect(errors({ category: 'complaint', anonymous: true })).toEqual([{ path: 'anonymous', reason: 'anonymous_not_allowed' }]);
    expect(errors({ category: 'tip_off', anonymous: true, fullName: undefined, phone: undefined, address: undefined })).toEqual([]);
  });

  it('refuses a retired or unknown category', () => {
    expect(errors({ category: 'suggestion' })).toEqual([{ path: 'category', reason: 'retired_category' }]);
    expect(errors({ category: 'roads' })).toEqual([{ path: 'category', reason: 'unknown_category' }]);
  });
});

describe('reports and open data', () => {
  it("gives the monthly report a column for each category in use, and a retired one's only while it counts cases", () => {
    expect(monthlyColumns(LIST, {})).toEqual(['complaint', 'assistance', 'justice', 'official_conduct', 'tip_off', 'information', 'consultation', 'land_dispute']);
    expect(monthlyColumns(LIST, { suggestion: 2, complaint: 1 })).toContain('suggestion');
    expect(monthlyColumns(LIST, { since_deleted: 1 }).at(-1)).toBe('since_deleted');
  });

  it('offers the categories in use that are not confidential as services, and lets old requests of a retired one be asked for', () => {
    const services = open311Services(LIST, 'en');
    expect(services.map((s) => s.service_code)).toEqual(['complaint', 'assistance', 'justice', 'tip_off', 'information', 'consultation', 'land_dispute']);
    expect(services.at(-1)).toMatchObject({ service_name: 'Land dispute' });
    expect(open311ServiceCodes(LIST)).toContain('suggestion');
    expect(open311ServiceCodes(LIST)).not.toContain('official_conduct');
  });
});
