import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { i18n, LOCALES, localeFrom } from '../locales/i18n';
import { shippedFlows } from './support/engine-run';

const dir = join(import.meta.dirname, '..', 'locales');

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

function load(lng: string, ns: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, lng, `${ns}.json`), 'utf8'));
}

describe('every user-facing string exists in Thai and in English', () => {
  const namespaces = readdirSync(join(dir, 'th')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));

  it('has the same namespaces in every language', () => {
    for (const lng of LOCALES) expect(readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json')).sort()).toEqual(namespaces.map((n) => `${n}.json`).sort());
  });

  it.each(namespaces)('namespace %s has the same keys, none empty, with the same {{variables}}', (ns) => {
    const th = load('th', ns);
    const en = load('en', ns);
    expect(keys(en).sort()).toEqual(keys(th).sort());
    for (const key of keys(th)) {
      const get = (o: Record<string, unknown>) => key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o) as string;
      const [a, b] = [get(th), get(en)];
      expect(typeof a === 'string' && a.trim().length > 0, `th ${key}`).toBe(true);
      expect(typeof b === 'string' && b.trim().length > 0, `en ${key}`).toBe(true);
      const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
      expect(vars(b), `variables of ${key}`).toEqual(vars(a));
    }
  });

  it('speaks Thai by default and follows the LINE profile language', () => {
    expect(localeFrom(undefined)).toBe('th');
    expect(localeFrom('ja')).toBe('th');
    expect(localeFrom('en-US')).toBe('en');
    expect(i18n.getFixedT('th', 'engine')('welcome', { name: 'สมศรี' })).toMatch(/^สวัสดีค่ะ คุณสมศรี/);
    expect(i18n.getFixedT('en', 'engine')('welcome', { name: 'Jane' })).toMatch(/^Hello Jane/);
  });
});

describe('every shipped flow speaks Thai and English', () => {
  it.each(shippedFlows().map((f) => [f.id, f] as const))('flow %s has the same texts, none empty, with the same {{variables}}', (_id, flow) => {
    expect(Object.keys(flow.texts.en).sort()).toEqual(Object.keys(flow.texts.th).sort());
    const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    for (const [key, th] of Object.entries(flow.texts.th)) {
      const en = flow.texts.en[key]!;
      expect(th.trim(), `th ${key}`).not.toBe('');
      expect(en.trim(), `en ${key}`).not.toBe('');
      expect(vars(en), `variables of ${key}`).toEqual(vars(th));
    }
  });
});
