/**
 * Reading a citizen's answer to an `ask` node, by the node's input type. Pure: every parser returns a value or a
 * reason code, and the engine turns the reason into a kind reprompt. Location and attachments may take several
 * messages (a place narrowed province > district > subdistrict; photos until "done"), so they can also report
 * progress without an answer yet.
 */
import type { AskNode } from '../definition/types';
import {
  normalize,
  parseDate,
  parseEmail,
  parseNationalId,
  parseNumber,
  parsePhone,
  parseText,
  parseYesNo,
  type ParseResult,
} from '../inputs';
import { parseTime } from '../inputs/time';
import { parseConsent } from '../inputs/consent';
import { parseTrackingNumber } from '../inputs/tracking-number';
import { formatPlace, narrowPlace, pickPlace, type Place } from '../places';
import { bangkokDay } from './format';
import type { InputProgress } from './state';
import type { EngineInput } from './types';

export type Answer =
  | { kind: 'ok'; value: unknown }
  | { kind: 'invalid'; reason: string }
  /** Not an answer yet, but a step towards one (a district picked, a photo received). */
  | { kind: 'progress'; progress: InputProgress; choose?: PlaceChoice }
  /** Something this question cannot read at all (a sticker at a date question): explain, do not count a retry. */
  | { kind: 'unreadable' };

export interface PlaceChoice {
  level: 'province' | 'district' | 'subdistrict';
  /** What is known so far ("อ.ดงหลวง จ.มุกดาหาร"), to show with the question. */
  known: { th: string; en: string } | null;
  options: Array<{ code: string; th: string; en: string }>;
}

export interface Attachment {
  contentId: string;
  mediaType: 'image' | 'video' | 'audio' | 'file';
  fileName?: string;
}

/** A place as a slot holds it: a shared LINE location or a place picked from the address list. */
export type LocationValue =
  | { source: 'line'; latitude: number; longitude: number; address?: string; title?: string; label: string }
  | { source: 'typed'; province: string; district?: string; subdistrict?: string; label: { th: string; en: string } };

const SKIP_WORDS = new Set(['ข้าม', 'ไม่มี', 'ไม่มีค่ะ', 'ไม่มีครับ', 'skip', 'no comment', 'none', '-']);
const DONE_WORDS = new Set(['เสร็จ', 'เสร็จแล้ว', 'พอแล้ว', 'แค่นี้', 'จบ', 'ส่ง', 'done', 'finish', 'finished', 'that is all', "that's all"]);
const NONE_WORDS = new Set(['ไม่มี', 'ข้าม', 'ไม่ส่ง', 'none', 'no', 'skip', 'ไม่']);

const fromParse = (r: ParseResult<unknown>): Answer => (r.ok ? { kind: 'ok', value: r.value } : { kind: 'invalid', reason: r.reason });

/** The date a date picker sends back in a postback ("input=date"), else null. */
function pickedDate(input: EngineInput): string | null {
  return input.type === 'postback' && input.params?.date ? input.params.date : null;
}

export function readAnswer(node: AskNode, input: EngineInput, progress: InputProgress | null, now: number): Answer {
  const options = node.input.options ?? {};
  const type = node.input.type;
  if (type === 'location') return readLocation(input, progress);
  if (type === 'attachments') return readAttachments(input, progress, options);

  let text: string | null = input.type === 'text' ? input.text : null;
  if (type === 'date' && pickedDate(input)) text = pickedDate(input);
  if (type === 'time' && input.type === 'postback' && input.params?.time) text = input.params.time;
  if (text === null) return { kind: 'unreadable' };

  switch (type) {
    case 'text':
      // An optional question ("any comment?") takes "ข้าม"/"skip" as no answer.
      if (options.optional === true && SKIP_WORDS.has(normalize(text).toLowerCase())) return { kind: 'ok', value: '' };
      return fromParse(parseText(text, { min: num(options.min), max: num(options.max) }));
    case 'tracking-number': {
      const r = parseTrackingNumber(text);
      return r.ok ? { kind: 'ok', value: r.value.text } : { kind: 'invalid', reason: r.reason };
    }
    case 'number':
      return fromParse(parseNumber(text, { min: num(options.min), max: num(options.max), integer: options.integer === true }));
    case 'date': {
      const [y, m, d] = bangkokDay(now).split('-').map(Number) as [number, number, number];
      return fromParse(parseDate(text, { today: { y, m, d }, allowFuture: options.allowFuture === true }));
    }
    case 'time':
      return fromParse(parseTime(text));
    case 'phone':
      return fromParse(parsePhone(text));
    case 'email':
      return fromParse(parseEmail(text));
    case 'national-id':
      return fromParse(parseNationalId(text));
    case 'yes-no':
      return fromParse(parseYesNo(text));
    case 'consent':
      return fromParse(parseConsent(text));
  }
  return { kind: 'invalid', reason: 'unknown_type' };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function readAttachments(input: EngineInput, progress: InputProgress | null, options: Record<string, unknown>): Answer {
  const items = progress?.kind === 'attachments' ? (progress.items as Attachment[]) : [];
  const min = num(options.min) ?? 0;
  const max = num(options.max) ?? 5;
  if (input.type === 'media') {
    const next = [...items, { contentId: input.contentId, mediaType: input.mediaType, ...(input.fileName ? { fileName: input.fileName } : {}) }];
    if (next.length >= max) return { kind: 'ok', value: next };
    return { kind: 'progress', progress: { kind: 'attachments', items: next } };
  }
  if (input.type !== 'text') return { kind: 'unreadable' };
  const word = normalize(input.text).toLowerCase();
  if (DONE_WORDS.has(word) || (items.length === 0 && NONE_WORDS.has(word))) {
    return items.length >= min ? { kind: 'ok', value: items } : { kind: 'invalid', reason: 'too_few' };
  }
  return { kind: 'invalid', reason: 'not_media' };
}

export function placeValue(place: Place): LocationValue {
  return {
    source: 'typed',
    province: place.province.code,
    ...(place.district ? { district: place.district.code } : {}),
    ...(place.subdistrict ? { subdistrict: place.subdistrict.code } : {}),
    label: { th: formatPlace(place, 'th'), en: formatPlace(place, 'en') },
  };
}

function readLocation(input: EngineInput, progress: InputProgress | null): Answer {
  if (input.type === 'location') {
    const label = input.title || input.address || `${input.latitude.toFixed(5)}, ${input.longitude.toFixed(5)}`;
    const value: LocationValue = {
      source: 'line',
      latitude: input.latitude,
      longitude: input.longitude,
      ...(input.address ? { address: input.address } : {}),
      ...(input.title ? { title: input.title } : {}),
      label,
    };
    return { kind: 'ok', value };
  }
  const sofar = progress?.kind === 'place' ? (progress.place as Place | null) : null;
  let result;
  if (input.type === 'postback') {
    const code = new URLSearchParams(input.data).get('place');
    const picked = code ? pickPlace(code) : null;
    if (!picked) return { kind: 'invalid', reason: 'unknown_place' };
    result = picked.subdistrict ? { kind: 'done' as const, place: picked } : narrowPlace('', picked);
  } else if (input.type === 'text') {
    result = narrowPlace(input.text, sofar);
  } else {
    return { kind: 'unreadable' };
  }
  if (result.kind === 'done') return { kind: 'ok', value: placeValue(result.place) };
  if (result.kind === 'none') return { kind: 'invalid', reason: 'unknown_place' };
  return {
    kind: 'progress',
    progress: { kind: 'place', place: result.place },
    choose: {
      level: result.level,
      known: result.place ? { th: formatPlace(result.place, 'th'), en: formatPlace(result.place, 'en') } : null,
      options: result.options,
    },
  };
}
