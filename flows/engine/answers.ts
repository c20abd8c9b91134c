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
import { BANGKOK, formatPlace, narrowPlace, pickPlace, placeOf, spokenPlace, type Place } from '../places';
import { bangkokDay } from './format';
import type { InputProgress } from './state';
import type { EngineInput, PinPlace, PinPlacer } from './types';

export type Answer =
  | { kind: 'ok'; value: unknown }
  /** `vars` fill in the explanation (a pin's place, the provinces served). */
  | { kind: 'invalid'; reason: string; vars?: Record<string, string> }
  /**
   * Not an answer yet, but a step towards one (a district picked, a photo received, a pin placed to be confirmed).
   * `unplaced`: a pin arrived and no boundaries can place it, so the place is asked by name.
   */
  | { kind: 'progress'; progress: InputProgress; choose?: PlaceChoice; confirm?: PinConfirm; unplaced?: boolean }
  /** Something this question cannot read at all (a sticker at a date question): explain, do not count a retry. */
  | { kind: 'unreadable' };

export interface PlaceChoice {
  level: 'province' | 'district' | 'subdistrict';
  /** What is known so far ("อ.ดงหลวง จ.มุกดาหาร"), to show with the question. */
  known: { th: string; en: string } | null;
  options: Array<{ code: string; th: string; en: string }>;
}

/** A pin placed by the boundaries, for the citizen to confirm (one place) or to choose from (near a border). */
export interface PinConfirm {
  places: Array<{ code: string; spoken: { th: string; en: string }; short: { th: string; en: string } }>;
  /** Just outside every area (in the river, off the coast): the nearest is proposed. */
  off: boolean;
}

export interface Attachment {
  contentId: string;
  mediaType: 'image' | 'video' | 'audio' | 'file';
  fileName?: string;
}

/**
 * A place as a slot holds it: a shared LINE location or a place picked from the address list. A pin carries the
 * codes of the place the citizen confirmed (placed by the boundaries, or typed when none are installed), and its
 * name as `place`.
 */
export type LocationValue =
  | {
      source: 'line';
      latitude: number;
      longitude: number;
      address?: string;
      title?: string;
      label: string;
      province?: string;
      district?: string;
      subdistrict?: string;
      place?: { th: string; en: string };
    }
  | { source: 'typed'; province: string; district?: string; subdistrict?: string; label: { th: string; en: string } };

const SKIP_WORDS = new Set(['ข้าม', 'ไม่มี', 'ไม่มีค่ะ', 'ไม่มีครับ', 'skip', 'no comment', 'none', '-']);
const DONE_WORDS = new Set(['เสร็จ', 'เสร็จแล้ว', 'พอแล้ว', 'แค่นี้', 'จบ', 'ส่ง', 'done', 'finish', 'finished', 'that is all', "that's all"]);
const NONE_WORDS = new Set(['ไม่มี', 'ข้าม', 'ไม่ส่ง', 'none', 'no', 'skip', 'ไม่']);

const fromParse = (r: ParseResult<unknown>): Answer => (r.ok ? { kind: 'ok', value: r.value } : { kind: 'invalid', reason: r.reason });

/** The date a date picker sends back in a postback ("input=date"), else null. */
function pickedDate(input: EngineInput): string | null {
  return input.type === 'postback' && input.params?.date ? input.params.date : null;
}

export function readAnswer(node: AskNode, input: EngineInput, progress: InputProgress | null, now: number, placePin?: PinPlacer): Answer {
  const options = node.input.options ?? {};
  const type = node.input.type;
  if (type === 'location') return readLocation(input, progress, placePin);
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

type Pin = Extract<LocationValue, { source: 'line' }>;

/** A pin with the place the citizen confirmed: its codes for the case, its name for the summary. */
function placedPin(pin: Pin, place: Place): LocationValue {
  return {
    ...pin,
    province: place.province.code,
    ...(place.district ? { district: place.district.code } : {}),
    ...(place.subdistrict ? { subdistrict: place.subdistrict.code } : {}),
    place: { th: formatPlace(place, 'th'), en: formatPlace(place, 'en') },
  };
}

const placeOfPin = (p: PinPlace): Place | null => placeOf(p.subdistrict ?? p.district);
const both = (f: (l: 'th' | 'en') => string) => ({ th: f('th'), en: f('en') });

/** What the boundaries say of a pin, as an answer: a place to confirm, places to choose from, or why not. */
function placePinAnswer(pin: Pin, placePin: PinPlacer): Answer {
  const placement = placePin(pin.latitude, pin.longitude);
  if (placement.kind === 'nowhere') return { kind: 'invalid', reason: 'pin_nowhere' };
  if (placement.kind === 'elsewhere') {
    const place = placeOfPin(placement.place);
    const served = placement.served.map((c) => placeOf(c)).filter((p): p is Place => !!p);
    if (!place) return { kind: 'invalid', reason: 'pin_nowhere' };
    return {
      kind: 'invalid',
      reason: 'pin_elsewhere',
      vars: { place: formatPlace(place, 'th'), placeEn: formatPlace(place, 'en'), served: served.map((p) => formatPlace(p, 'th')).join(', '), servedEn: served.map((p) => formatPlace(p, 'en')).join(', ') },
    };
  }
  const places = placement.places.map(placeOfPin).filter((p): p is Place => !!p);
  if (places.length === 0) return { kind: 'invalid', reason: 'pin_nowhere' };
  const codes = places.map((p) => (p.subdistrict ?? p.district ?? p.province).code);
  return {
    kind: 'progress',
    progress: { kind: 'pin', pin, options: codes, ...(placement.off ? { off: true } : {}) },
    confirm: confirmOf(places, placement.off),
  };
}

function confirmOf(places: Place[], off: boolean): PinConfirm {
  return {
    off,
    places: places.map((p) => ({
      code: (p.subdistrict ?? p.district ?? p.province).code,
      spoken: both((l) => spokenPlace(p, l)),
      short: both((l) => (p.district ? (l === 'en' ? p.district.en : `${p.province.code === BANGKOK ? 'เขต' : 'อ.'}${p.district.th}`) : p.province[l])),
    })),
  };
}

/** The question a pin waiting for confirmation asks, again (after a sticker, "help", or "yes" near a border). */
export function pinConfirmOf(progress: Extract<InputProgress, { kind: 'pin' }>): PinConfirm {
  return confirmOf(progress.options.map((c) => placeOf(c)).filter((p): p is Place => !!p), progress.off === true);
}

/** The answer to "ตำบล… อำเภอ… ใช่ไหมคะ": yes takes the place, no asks for it by name, a place tapped or typed is taken. */
function readPinConfirmation(input: EngineInput, progress: Extract<InputProgress, { kind: 'pin' }>): Answer {
  const pin = progress.pin as Pin;
  const first = progress.options[0];
  const askByName = (): Answer => {
    // Not there: the districts of the province the pin is in, or any place typed.
    const province = first ? placeOf(first.slice(0, 2)) : null;
    const result = province ? narrowPlace('', province) : { kind: 'none' as const };
    return narrowed(result, pin, { fromNo: true });
  };
  if (input.type === 'postback') {
    const code = new URLSearchParams(input.data).get('place');
    if (code === 'other') return askByName();
    const picked = code ? pickPlace(code) : null;
    if (!picked) return { kind: 'invalid', reason: 'unknown_place' };
    // A district without the subdistrict (a re-drawn Bangkok khet) is enough when it was offered for the pin.
    if (progress.options.includes(code!)) return { kind: 'ok', value: placedPin(pin, picked) };
    return narrowed(picked.subdistrict ? { kind: 'done', place: picked } : narrowPlace('', picked), pin);
  }
  if (input.type !== 'text') return { kind: 'unreadable' };
  const yesNo = parseYesNo(input.text);
  if (yesNo.ok && !yesNo.value) return askByName();
  if (yesNo.ok && yesNo.value) {
    const only = progress.options.length === 1 ? placeOf(first!) : null;
    // Near a border "yes" does not say which side: the question is asked again.
    return only ? { kind: 'ok', value: placedPin(pin, only) } : { kind: 'invalid', reason: 'pin_which' };
  }
  // Neither yes nor no: a place typed instead ("ไม่ใช่ ต.ดอนตาล"), else the question again.
  const typed = narrowPlace(input.text, null);
  return typed.kind === 'none' ? { kind: 'invalid', reason: 'pin_confirm' } : narrowed(typed, pin);
}

/** A step of narrowing a place, with the pin it will be joined to (if any). */
function narrowed(result: ReturnType<typeof narrowPlace>, pin: Pin | null, o: { fromNo?: boolean } = {}): Answer {
  if (result.kind === 'done') return { kind: 'ok', value: pin ? placedPin(pin, result.place) : placeValue(result.place) };
  if (result.kind === 'none') {
    // "No" with nothing to offer (an unknown province): type the name.
    if (o.fromNo && pin) return { kind: 'progress', progress: { kind: 'place', place: null, pin }, unplaced: true };
    return { kind: 'invalid', reason: 'unknown_place' };
  }
  return {
    kind: 'progress',
    progress: { kind: 'place', place: result.place, ...(pin ? { pin } : {}) },
    choose: {
      level: result.level,
      known: result.place ? { th: formatPlace(result.place, 'th'), en: formatPlace(result.place, 'en') } : null,
      options: result.options,
    },
  };
}

function readLocation(input: EngineInput, progress: InputProgress | null, placePin: PinPlacer | undefined): Answer {
  if (input.type === 'location') {
    const label = input.title || input.address || `${input.latitude.toFixed(5)}, ${input.longitude.toFixed(5)}`;
    const pin: Pin = {
      source: 'line',
      latitude: input.latitude,
      longitude: input.longitude,
      ...(input.address ? { address: input.address } : {}),
      ...(input.title ? { title: input.title } : {}),
      label,
    };
    if (placePin) return placePinAnswer(pin, placePin);
    // No boundaries installed: the pin is kept, and its place asked by name.
    return { kind: 'progress', progress: { kind: 'place', place: null, pin }, unplaced: true };
  }
  if (progress?.kind === 'pin') return readPinConfirmation(input, progress);
  const sofar = progress?.kind === 'place' ? (progress.place as Place | null) : null;
  const pin = progress?.kind === 'place' && progress.pin ? (progress.pin as Pin) : null;
  if (input.type === 'postback') {
    const code = new URLSearchParams(input.data).get('place');
    const picked = code ? pickPlace(code) : null;
    if (!picked) return { kind: 'invalid', reason: 'unknown_place' };
    return narrowed(picked.subdistrict ? { kind: 'done', place: picked } : narrowPlace('', picked), pin);
  }
  if (input.type !== 'text') return { kind: 'unreadable' };
  return narrowed(narrowPlace(input.text, sofar), pin);
}
