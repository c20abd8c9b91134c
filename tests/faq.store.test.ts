import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../storage/database';
import { FaqEntryNotFoundError, FaqStore } from '../faq/store';
import { FaqDefaultsInvalidError, faqMatcher, type FaqEntryInput } from '../faq';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';

const DEFAULTS = fileURLToPath(new URL('../faq/defaults.yaml', import.meta.url));

const parking: FaqEntryInput = {
  question: { th: 'มีที่จอดรถไหมคะ', en: 'Is there parking?' },
  answer: { th: 'มีที่จอดรถหน้าที่ว่าการอำเภอค่ะ', en: 'Yes, in front of the district office.' },
  keywords: { th: ['ที่จอดรถ', 'จอดรถ'], en: ['parking', 'car park'] },
};

describe.each(engines())('the FAQ store on %s', (engine) => {
  let t: TestDatabase;
  const opened: Database[] = [];
  afterEach(async () => {
    while (opened.length) await opened.pop()!.close();
    await t?.drop();
  });
  const open = async () => {
    const db = await t.open();
    opened.push(db);
    return db;
  };
  const start = async (clock = { now: 1_000_000 }) => {
    t = newTestDatabase(engine);
    const db = await open();
    return { db, clock, store: new FaqStore(db, { now: () => clock.now }) };
  };

  it('stores the shipped defaults in an empty table, once however often it starts', async () => {
    const { store } = await start();
    const first = await store.seedDefaults(DEFAULTS);
    expect(first.stored).toBeGreaterThanOrEqual(10);
    expect(await store.seedDefaults(DEFAULTS)).toEqual({ stored: 0 });
    const all = await store.list();
    expect(all).toHaveLength(first.stored);
    expect(all[0]).toMatchObject({ key: 'hours', active: true, updatedBy: 'shipped', sortOrder: 10 });
    expect(all.map((e) => e.sortOrder)).toEqual([...all.map((e) => e.sortOrder)].sort((a, b) => a - b));
  });

  it('stores each default once when two processes start on an empty table at the same moment', async () => {
    const { store } = await start();
    const other = new FaqStore(await open());
    const results = await Promise.all([store.seedDefaults(DEFAULTS), other.seedDefaults(DEFAULTS), store.seedDefaults(DEFAULTS)]);
    const list = await store.list();
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(list.length);
    expect(new Set(list.map((e) => e.key)).size).toBe(list.length);
  });

  it('never seeds over an admin’s work', async () => {
    const { store } = await start();
    await store.create(parking, 'somchai');
    expect(await store.seedDefaults(DEFAULTS)).toEqual({ stored: 0 });
    expect((await store.list()).map((e) => e.question.th)).toEqual([parking.question.th]);
  });

  it('refuses a broken defaults file and stores nothing of it', async () => {
    const { store } = await start();
    const file = join(mkdtempSync(join(tmpdir(), 'faq-')), 'defaults.yaml');
    writeFileSync(file, 'entries:\n  - key: x\n    question: {th: ถาม}\n');
    await expect(store.seedDefaults(file)).rejects.toThrow(FaqDefaultsInvalidError);
    await expect(store.seedDefaults(file)).rejects.toThrow(/defaults\.yaml[\s\S]*entries\.0\.question\.en/);
    expect(await store.list()).toEqual([]);
  });

  it('keeps Thai text and keywords as written, with who changed them and when', async () => {
    const { store, clock } = await start();
    const created = await store.create(parking, 'สมชาย ใจดี');
    expect(created).toEqual({
      id: expect.any(Number),
      key: null,
      ...parking,
      active: true,
      sortOrder: 10,
      createdAt: clock.now,
      updatedAt: clock.now,
      updatedBy: 'สมชาย ใจดี',
    });
    expect(await store.get(created.id)).toEqual(created);
  });

  it('puts a new entry last unless it says where', async () => {
    const { store } = await start();
    await store.seedDefaults(DEFAULTS);
    const last = Math.max(...(await store.list()).map((e) => e.sortOrder));
    expect((await store.create(parking, 'a')).sortOrder).toBe(last + 10);
    expect((await store.create({ ...parking, sortOrder: 1 }, 'a')).sortOrder).toBe(1);
    expect((await store.list())[0]!.sortOrder).toBe(1);
  });

  it('replaces an entry’s texts, keeping its place and state unless told', async () => {
    const { store, clock } = await start();
    const e = await store.create({ ...parking, sortOrder: 5 }, 'a');
    clock.now += 60_000;
    const changed = { ...parking, answer: { th: 'จอดได้ที่ลานด้านข้างค่ะ', en: 'Park at the side.' } };
    const updated = await store.update(e.id, changed, 'b');
    expect(updated).toMatchObject({ ...changed, active: true, sortOrder: 5, createdAt: e.createdAt, updatedAt: clock.now, updatedBy: 'b' });
    expect((await store.update(e.id, { ...changed, sortOrder: 7 }, 'b')).sortOrder).toBe(7);
  });

  it('removes an entry from matching but keeps the row, and an update can bring it back', async () => {
    const { store } = await start();
    const e = await store.create(parking, 'a');
    const removed = await store.remove(e.id, 'b');
    expect(removed).toMatchObject({ id: e.id, active: false, updatedBy: 'b' });
    expect(await store.active()).toEqual([]);
    expect(await store.list()).toEqual([removed]);
    expect((await store.update(e.id, { ...parking, active: true }, 'c')).active).toBe(true);
    expect((await store.active()).map((x) => x.id)).toEqual([e.id]);
  });

  it('says which entry does not exist', async () => {
    const { store } = await start();
    await expect(store.get(404)).rejects.toThrow(FaqEntryNotFoundError);
    await expect(store.update(404, parking, 'a')).rejects.toThrow(new FaqEntryNotFoundError(404));
    await expect(store.remove(404, 'a')).rejects.toThrow('FAQ entry 404 does not exist');
  });

  it('serves the active entries from a cache: the same array while fresh, so the matcher keeps its index', async () => {
    const { store } = await start();
    await store.seedDefaults(DEFAULTS);
    const a = await store.active();
    const [b, c] = await Promise.all([store.active(), store.active()]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(faqMatcher(a).answer('เปิดกี่โมงคะ', 'th')).toContain('08:30');
  });

  it('hands out the same array after the cache time when nothing changed, a new one when something did', async () => {
    const clock = { now: 1_000_000 };
    const { store } = await start(clock);
    await store.seedDefaults(DEFAULTS);
    const a = await store.active();
    clock.now += 10_000;
    expect(await store.active()).toBe(a);
    const e = await store.create(parking, 'a');
    const b = await store.active();
    expect(b).not.toBe(a);
    // An edit within the same millisecond as the one before it is still seen.
    await store.update(e.id, { ...parking, answer: { th: 'ที่จอดรถอยู่ด้านหลังค่ะ', en: 'Parking is at the back.' } }, 'a');
    expect(faqMatcher(await store.active()).answer('มีที่จอดรถไหม', 'th')).toBe('ที่จอดรถอยู่ด้านหลังค่ะ');
  });

  it('shows its own edits at once, and another process’s within the cache time', async () => {
    const clock = { now: 1_000_000 };
    const { store } = await start(clock);
    const other = new FaqStore(await open(), { now: () => clock.now });
    expect(await store.active()).toEqual([]);
    const e = await other.create(parking, 'a');
    expect((await other.active()).map((x) => x.id)).toEqual([e.id]);
    clock.now += 4_000;
    expect(await store.active()).toEqual([]);
    clock.now += 1_000;
    expect((await store.active()).map((x) => x.id)).toEqual([e.id]);
    expect(faqMatcher(await store.active()).answer('มีที่จอดรถไหมครับ', 'th')).toBe(parking.answer.th);
  });

  it('reads inside a transaction through that transaction (SQLite’s group commit would wait on itself)', async () => {
    const { db, store } = await start();
    await store.seedDefaults(DEFAULTS);
    const answer = await db.transaction(async (tx) => faqMatcher(await store.active(tx)).answer('ต้องใช้เอกสารอะไรบ้างคะ', 'th'));
    expect(answer).toContain('สำเนาบัตรประชาชน');
  });
});
