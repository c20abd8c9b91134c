import { normalize } from '../inputs/normalize';
import { codeOf, levelOf, placeOf, places, type Place, type PlaceLevel } from './data';

/**
 * Reading a typed place. The text is cut where people mark a level (ต./ตำบล/แขวง, อ./อำเภอ/เขต, จ./จังหวัด); every
 * known name found in it becomes a span (Thai by substring, since Thai has no spaces; English by word n-grams,
 * typo-tolerant); then the spans that agree on one province > district > subdistrict chain are put together, and
 * a chain counts only when its names cover (nearly) all of what was typed, so a sentence that happens to contain
 * "นา" or "บ่อ" is not a place.
 */

export interface PlaceMatch {
  place: Place;
  level: PlaceLevel;
  /** 0-1: the share of the typed text the names explain, less a little per typo and per extra name. */
  score: number;
}

export interface Within {
  provinceCode?: string;
  districtCode?: string;
}

interface Entry {
  code: string;
  level: PlaceLevel;
  /** "เมือง" / "Mueang" alone: the capital district of whichever province the rest of the text names. */
  generic?: boolean;
}

interface Span {
  entry: Entry;
  start: number;
  end: number;
  edits: number;
}

const LEVEL_RANK: Record<PlaceLevel, number> = { province: 0, district: 1, subdistrict: 2 };
const MIN_SCORE = 0.8;

// Thai keys: no spaces, dots, hyphens or ฯ; a bracketed alternative name ("ปอภาร (ปอพาน)") is a key of its own.
const thaiKey = (name: string) => name.toLowerCase().replace(/\(.*?\)|[\s.\-ฯ]/g, '');

/**
 * English keys forgive the ways people romanise Thai: aspirated or not (ph/p, th/t, kh/k), muang/mueang, koh/ko,
 * oo/u, ee/i, j/ch, v/w, doubled letters.
 */
export function englishKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/m(?:ueang|uang|eung|ueng|eaung|aung)/g, 'mueang')
    .replace(/koh/g, 'ko')
    .replace(/([kptb])h/g, '$1')
    .replace(/j/g, 'ch')
    .replace(/v/g, 'w')
    .replace(/ue|eu/g, 'u')
    .replace(/oo/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/(.)\1+/g, '$1');
}

// Names people use instead of the official one.
const ALIASES: Record<string, string[]> = {
  '10': ['กรุงเทพ', 'กทม', 'บางกอก', 'bkk', 'krungthep', 'krung thep', 'bangkok metropolis'],
  '14': ['อยุธยา', 'กรุงเก่า', 'ayutthaya', 'ayuthaya'],
  '30': ['โคราช', 'korat', 'khorat'],
  '77': ['ประจวบ'],
  '80': ['นครศรี'],
  '34': ['อุบล', 'ubon'],
  '84': ['สุราษฎร์', 'สุราษ'],
};

/** Thai keys as a trie of UTF-16 code units: every key found at a position in one walk, not 8,000 indexOf calls. */
interface TrieNode {
  next: Map<number, TrieNode>;
  /** The key ending here, if one does. */
  key?: string;
}

interface SearchIndex {
  thai: Map<string, Entry[]>;
  thaiTrie: TrieNode;
  english: Map<string, Entry[]>;
  thaiByLength: Map<number, LengthBucket>;
  englishByLength: Map<number, LengthBucket>;
}

let index: SearchIndex | undefined;

function add(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  if (key === '') return;
  const list = map.get(key) ?? [];
  if (!list.some((e) => e.code === entry.code && e.generic === entry.generic)) list.push(entry);
  map.set(key, list);
}

/** Keys of one length, also by their first and by their last letter (what one typo leaves standing). */
interface LengthBucket {
  all: string[];
  byFirst: Map<number, string[]>;
  byLast: Map<number, string[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function byLength(map: Map<string, Entry[]>): Map<number, LengthBucket> {
  const out = new Map<number, LengthBucket>();
  for (const key of map.keys()) {
    let bucket = out.get(key.length);
    if (!bucket) out.set(key.length, (bucket = { all: [], byFirst: new Map(), byLast: new Map() }));
    bucket.all.push(key);
    push(bucket.byFirst, key.charCodeAt(0), key);
    push(bucket.byLast, key.charCodeAt(key.length - 1), key);
  }
  return out;
}

function searchIndex(): SearchIndex {
  if (index) return index;
  const p = places();
  const thai = new Map<string, Entry[]>();
  const english = new Map<string, Entry[]>();
  const named = (level: PlaceLevel, a: { code: string; th: string; en: string }) => {
    const entry: Entry = { code: a.code, level };
    add(thai, thaiKey(a.th), entry);
    const bracketed = /\((.*?)\)/.exec(a.th)?.[1];
    if (bracketed) add(thai, thaiKey(bracketed), entry);
    add(english, englishKey(a.en), entry);
  };
  for (const a of p.provinces) named('province', a);
  for (const a of p.districts) {
    named('district', a);
    // The capital district, "อำเภอเมือง<province>", is what "อ.เมือง" means once the province is known.
    if (a.code.endsWith('01') && a.th.startsWith('เมือง')) {
      add(thai, 'เมือง', { code: a.code, level: 'district', generic: true });
      add(english, 'mueang', { code: a.code, level: 'district', generic: true });
    }
  }
  for (const a of p.subdistricts) named('subdistrict', a);
  for (const [code, names] of Object.entries(ALIASES)) {
    for (const name of names) {
      const entry: Entry = { code, level: 'province' };
      if (/[a-z]/.test(name)) add(english, englishKey(name), entry);
      else add(thai, thaiKey(name), entry);
    }
  }
  const thaiTrie: TrieNode = { next: new Map() };
  for (const key of thai.keys()) {
    let node = thaiTrie;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: new Map() }));
      node = child;
    }
    node.key = key;
  }
  index = { thai, thaiTrie, english, thaiByLength: byLength(thai), englishByLength: byLength(english) };
  return index;
}

// ---- Reading the text -------------------------------------------------------------------------------------------

interface Token {
  text: string;
  start: number; // offset in the compact text
  latin: boolean;
}

interface Reading {
  /** The text without spaces, level words or noise: what the names must cover. */
  compact: string;
  /** Per character of `compact`: the level its word was marked with. */
  hints: Array<PlaceLevel | null>;
  tokens: Token[];
}

// Level words. "ตำบล" and "เขต" also occur inside names (สามตำบล, สนามชัยเขต), so they count only at a word's start.
const THAI_MARKER = /(?:^|(?<=\s))(?:ตำบล|เขต)|แขวง|กิ่งอำเภอ|อำเภอ|จังหวัด|ต\.|อ\.|จ\./gu;
const MARKER_LEVEL: Record<string, PlaceLevel> = {
  ตำบล: 'subdistrict', 'ต.': 'subdistrict', แขวง: 'subdistrict',
  อำเภอ: 'district', กิ่งอำเภอ: 'district', 'อ.': 'district', เขต: 'district',
  จังหวัด: 'province', 'จ.': 'province',
};
const ENGLISH_NOISE = new Set([
  'tambon', 'khwaeng', 'kwaeng', 'subdistrict', 'sub', 'amphoe', 'amphur', 'amper', 'aumphur', 'ampher', 'khet',
  'district', 'changwat', 'province', 'city', 'in', 'at', 'the', 'of', 'i', 'live', 'from', 'near', 'thailand', 'my',
  'home', 'is', 'area', 'and',
]);
const THAI_NOISE = new Set(['ที่', 'แถว', 'ใน', 'ประเทศไทย', 'และ', 'อยู่', 'อยู่ที่', 'บ้านอยู่', 'บ้านอยู่ที่']);
const LEADING_FILLER = /^(?:บ้าน)?(?:อาศัย)?อยู่(?:ที่)?|^(?:แถว|ที่)(?=.{3})/u;

function read(text: string): Reading {
  const t = normalize(text)
    .toLowerCase()
    .replace(/(?:หมู่ที่|หมู่|ม\.)\s*\d+/gu, ' ')
    .replace(/บ้านเลขที่|เลขที่/gu, ' ')
    .replace(/\S*\d\S*/g, ' ') // house numbers, postcodes
    .replace(/[,;:()[\]"'“”‘’/\\!?|]+/g, ' ')
    // English speakers' Thai particles ("Mukdahan ka"), which normalize() leaves alone.
    .replace(/\s+(?:na\s?)?(?:ka|kha|krub|krab|khrap|khrub|ja|please|pls)$/u, '');
  const pieces: Array<{ text: string; hint: PlaceLevel | null }> = [];
  let last = 0;
  let marked: PlaceLevel | null = null;
  for (const match of t.matchAll(THAI_MARKER)) {
    pieces.push({ text: t.slice(last, match.index), hint: marked });
    marked = MARKER_LEVEL[match[0]] ?? null;
    last = match.index + match[0].length;
  }
  pieces.push({ text: t.slice(last), hint: marked });

  const tokens: Token[] = [];
  let compact = '';
  const hints: Array<PlaceLevel | null> = [];
  for (const piece of pieces) {
    // A level word marks the word after it: in "เขตบางรัก กรุงเทพมหานคร" the province is not a เขต.
    let hint = piece.hint;
    for (let word of piece.text.replace(/[.\-ฯ]/g, '').split(/\s+/)) {
      if (word === '' || ENGLISH_NOISE.has(word) || THAI_NOISE.has(word)) continue;
      if (hint === null) word = word.replace(LEADING_FILLER, '');
      if (word === '') continue;
      tokens.push({ text: word, start: compact.length, latin: /^[a-z]+$/.test(word) });
      compact += word;
      for (let i = 0; i < word.length; i++) hints.push(hint);
      hint = null;
    }
  }
  return { compact, hints, tokens };
}

// ---- Finding names ----------------------------------------------------------------------------------------------

// Two rows reused by every call: the fuzzy search calls distance() thousands of times per text.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Levenshtein distance, giving up (returning max + 1) once it must exceed `max`. Over UTF-16 code units: Thai and
 * Latin letters are one unit each, so that is over letters here.
 */
function distance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (rowA.length <= m) {
    rowA = new Int32Array(m + 1);
    rowB = new Int32Array(m + 1);
  }
  let prev = rowA;
  let row = rowB;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    row[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      row[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    const swap = prev;
    prev = row;
    row = swap;
  }
  return prev[m]!;
}

const allowedEdits = (length: number, latin: boolean) =>
  latin ? (length >= 9 ? 2 : length >= 5 ? 1 : 0) : length >= 10 ? 2 : length >= 5 ? 1 : 0;

/**
 * near() by key, for each of the two indexes: the same words and runs of words come back in message after message
 * (หน้าบ้าน, ถนน, ไฟดับ), and their typo search, a few hundred edit distances each, was the largest single cost of
 * reading a place (the benchmark's profile). Its result depends on the key alone. Bounded; cleared when full.
 */
const NEAR_CACHE_SIZE = 20_000;
const nearCache = new WeakMap<Map<number, LengthBucket>, Map<string, Array<[string, number]>>>();

function near(key: string, byLen: Map<number, LengthBucket>, latin: boolean): Array<[string, number]> {
  let cache = nearCache.get(byLen);
  if (!cache) nearCache.set(byLen, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  if (cache.size >= NEAR_CACHE_SIZE) cache.clear();
  const found = nearUncached(key, byLen, latin);
  cache.set(key, found);
  return found;
}

/** Keys within the allowed typo distance of `key`, closest first. */
function nearUncached(key: string, byLen: Map<number, LengthBucket>, latin: boolean): Array<[string, number]> {
  const n = key.length;
  const max = allowedEdits(n, latin);
  if (max === 0) return [];
  const found: Array<[string, number]> = [];
  const consider = (candidate: string) => {
    const d = distance(key, candidate, max);
    if (d <= max && d > 0) found.push([candidate, d]);
  };
  const first = key.charCodeAt(0);
  const last = key.charCodeAt(n - 1);
  for (let len = n - max; len <= n + max; len++) {
    const bucket = byLen.get(len);
    if (!bucket) continue;
    if (max === 1) {
      // One edit leaves the first or the last letter standing: only keys that share one of them can be near.
      for (const candidate of bucket.byFirst.get(first) ?? []) consider(candidate);
      for (const candidate of bucket.byLast.get(last) ?? []) if (candidate.charCodeAt(0) !== first) consider(candidate);
    } else {
      for (const candidate of bucket.all) consider(candidate);
    }
  }
  const best = Math.min(...found.map(([, d]) => d));
  return found.filter(([, d]) => d === best);
}

function spans(r: Reading): Span[] {
  const { thai, thaiTrie, english, thaiByLength, englishByLength } = searchIndex();
  const out: Span[] = [];
  const push = (entries: Entry[] | undefined, start: number, end: number, edits: number) => {
    for (const entry of entries ?? []) out.push({ entry, start, end, edits });
  };
  // Thai: every key found anywhere in the compact text. Keys of one or two letters only as a whole word.
  const wholeWords = new Set(r.tokens.map((t) => `${t.start}:${t.text}`));
  for (let at = 0; at < r.compact.length; at++) {
    let node: TrieNode | undefined = thaiTrie;
    for (let i = at; node && i < r.compact.length; i++) {
      node = node.next.get(r.compact.charCodeAt(i));
      const key = node?.key;
      if (key === undefined) continue;
      if (key.length <= 2 && !wholeWords.has(`${at}:${key}`)) continue;
      push(thai.get(key), at, at + key.length, 0);
    }
  }
  // Words and runs of up to four words, matched whole: English always, Thai when nothing exact covers them.
  for (let i = 0; i < r.tokens.length; i++) {
    for (let j = i; j < Math.min(r.tokens.length, i + 4); j++) {
      const run = r.tokens.slice(i, j + 1);
      const first = run[0];
      const lastToken = run[run.length - 1];
      if (!first || !lastToken || run.some((t) => t.latin !== first.latin)) break;
      const start = first.start;
      const end = lastToken.start + lastToken.text.length;
      if (first.latin) {
        const key = englishKey(run.map((t) => t.text).join(''));
        const exact = english.get(key);
        if (exact) push(exact, start, end, 0);
        else for (const [k, d] of near(key, englishByLength, true)) push(english.get(k), start, end, d);
      } else {
        const key = run.map((t) => t.text).join('');
        if (out.some((s) => s.start <= start && s.end >= end && s.edits === 0)) continue;
        for (const [k, d] of near(key, thaiByLength, false)) push(thai.get(k), start, end, d);
      }
    }
  }
  // A name marked with another level's word ("อ.หนองบัว" is not ต.หนองบัว) does not count.
  return out.filter((s) => r.hints.slice(s.start, s.end).every((h) => h === null || h === s.entry.level));
}

// ---- Putting names together -------------------------------------------------------------------------------------

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** The longest span in `pool` naming `code` that overlaps none of `taken`. */
function bestFor(code: string | undefined, pool: Span[], taken: Span[]): Span | undefined {
  if (!code) return undefined;
  const worth = (s: Span) => s.end - s.start - s.edits - (s.entry.generic ? 0.5 : 0);
  let best: Span | undefined;
  for (const s of pool) {
    if (s.entry.code !== code || taken.some((t) => overlaps(s, t))) continue;
    if (!best || worth(s) > worth(best)) best = s;
  }
  return best;
}

function inside(code: string, within: Within | undefined): boolean {
  if (within?.districtCode) return code.startsWith(within.districtCode);
  if (within?.provinceCode) return code.startsWith(within.provinceCode);
  return true;
}

/** Places the text names, best first. Pure: reads only the bundled list. */
export function searchPlaces(text: string, within?: Within): PlaceMatch[] {
  const r = read(text);
  const total = r.compact.length;
  if (total === 0) return [];
  const all = spans(r);
  const byLevel = (level: PlaceLevel) => all.filter((s) => s.entry.level === level);
  const provinceSpans = byLevel('province');
  const districtSpans = byLevel('district');

  const best = new Map<string, PlaceMatch>();
  const consider = (anchor: Span) => {
    const code = anchor.entry.code;
    if (!inside(code, within)) return;
    const place = placeOf(code);
    if (!place) return;
    const chosen = [anchor];
    const level = anchor.entry.level;
    const district = level === 'subdistrict' ? bestFor(place.district?.code, districtSpans, chosen) : undefined;
    if (district) chosen.push(district);
    const province = level !== 'province' ? bestFor(place.province.code, provinceSpans, chosen) : undefined;
    if (province) chosen.push(province);
    // A bare "เมือง" means the capital of a province named in the text or already known, or confirms the district
    // of a subdistrict named with it ("ต.บางทรายใหญ่ อ.เมือง"); alone it names nothing.
    if (anchor.entry.generic && !province && !within?.provinceCode && !within?.districtCode) return;
    const covered = chosen.reduce((n, s) => n + (s.end - s.start), 0);
    const penalty = chosen.reduce((n, s) => n + s.edits * 1.5, 0) + (chosen.length - 1) * 0.1;
    const score = Math.max(0, (covered - penalty) / total) + (level === 'province' ? 0.001 : 0);
    if (score < MIN_SCORE) return;
    const rounded = Math.min(1, Math.round(score * 1000) / 1000);
    const key = codeOf(place);
    const known = best.get(key);
    if (!known || known.score < rounded) best.set(key, { place, level: levelOf(place), score: rounded });
  };
  for (const s of all) consider(s);

  const rank = (a: PlaceMatch, b: PlaceMatch) =>
    b.score - a.score || LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || codeOf(a.place).localeCompare(codeOf(b.place));
  return [...best.values()].sort(rank);
}
