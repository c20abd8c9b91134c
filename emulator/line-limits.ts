/**
 * Limits LINE documents in its Messaging API reference (https://developers.line.biz/en/reference/messaging-api/)
 * but does not encode in its OpenAPI file: without them the emulator would accept a 6,000-character text that the
 * real platform refuses. Applied to an in-memory copy of the document at start-up; an overlay that no longer finds
 * its schema or property throws, so an updated OpenAPI file cannot silently drop a limit.
 */
import { OpenApiCompileError } from './openapi-validator';

type Schema = Record<string, unknown>;

interface PropertyLimit {
  schema: string;
  property: string;
  set: Schema;
}
interface RequiredLimit {
  schema: string;
  required: string[];
}

export const PROPERTY_LIMITS: readonly PropertyLimit[] = [
  { schema: 'TextMessage', property: 'text', set: { minLength: 1, maxLength: 5000 } },
  { schema: 'TextMessageV2', property: 'text', set: { minLength: 1, maxLength: 5000 } },
  { schema: 'TemplateMessage', property: 'altText', set: { minLength: 1, maxLength: 1500 } },
  { schema: 'FlexMessage', property: 'altText', set: { minLength: 1, maxLength: 1500 } },
  { schema: 'ImagemapMessage', property: 'altText', set: { minLength: 1, maxLength: 1500 } },
  { schema: 'ImageMessage', property: 'originalContentUrl', set: { maxLength: 2000 } },
  { schema: 'ImageMessage', property: 'previewImageUrl', set: { maxLength: 2000 } },
  { schema: 'LocationMessage', property: 'title', set: { maxLength: 100 } },
  { schema: 'LocationMessage', property: 'address', set: { maxLength: 100 } },
  { schema: 'FlexCarousel', property: 'contents', set: { minItems: 1, maxItems: 12 } },
  { schema: 'ButtonsTemplate', property: 'actions', set: { minItems: 1, maxItems: 4 } },
  { schema: 'ButtonsTemplate', property: 'title', set: { maxLength: 40 } },
  { schema: 'ButtonsTemplate', property: 'text', set: { maxLength: 160 } },
  { schema: 'ConfirmTemplate', property: 'actions', set: { minItems: 2, maxItems: 2 } },
  { schema: 'ConfirmTemplate', property: 'text', set: { maxLength: 240 } },
  { schema: 'CarouselTemplate', property: 'columns', set: { minItems: 1, maxItems: 10 } },
  { schema: 'CarouselColumn', property: 'actions', set: { minItems: 1, maxItems: 3 } },
  { schema: 'CarouselColumn', property: 'title', set: { maxLength: 40 } },
  { schema: 'CarouselColumn', property: 'text', set: { maxLength: 120 } },
  { schema: 'ImageCarouselTemplate', property: 'columns', set: { minItems: 1, maxItems: 10 } },
  { schema: 'MessageAction', property: 'text', set: { maxLength: 300 } },
  { schema: 'PostbackAction', property: 'displayText', set: { maxLength: 300 } },
  { schema: 'URIAction', property: 'uri', set: { maxLength: 1000 } },
  { schema: 'RichMenuRequest', property: 'areas', set: { maxItems: 20 } },
  { schema: 'ShowLoadingAnimationRequest', property: 'loadingSeconds', set: { multipleOf: 5 } },
];

export const REQUIRED_LIMITS: readonly RequiredLimit[] = [
  { schema: 'QuickReply', required: ['items'] },
  { schema: 'QuickReplyItem', required: ['action'] },
  { schema: 'Action', required: ['type'] },
  { schema: 'PostbackAction', required: ['data'] },
  { schema: 'MessageAction', required: ['text'] },
  { schema: 'URIAction', required: ['uri'] },
  { schema: 'DatetimePickerAction', required: ['data', 'mode'] },
  { schema: 'RichMenuRequest', required: ['size', 'selected', 'name', 'chatBarText', 'areas'] },
  { schema: 'RichMenuArea', required: ['bounds', 'action'] },
  { schema: 'RichMenuSize', required: ['width', 'height'] },
  { schema: 'RichMenuBounds', required: ['x', 'y', 'width', 'height'] },
];

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The property's schema in `schema.properties` or in one of its inline allOf members. */
function findProperty(schema: Schema, property: string): Schema | undefined {
  const own = schema['properties'];
  if (isObject(own) && isObject(own[property])) return own[property];
  const allOf = schema['allOf'];
  if (!Array.isArray(allOf)) return undefined;
  for (const m of allOf) {
    if (!isObject(m) || m['$ref'] !== undefined) continue;
    const found = findProperty(m, property);
    if (found) return found;
  }
  return undefined;
}

/** A deep copy of the document with LINE's documented limits added. The input is not modified. */
export function withLineLimits(doc: Schema): Schema {
  const copy = structuredClone(doc);
  const schemas = (copy['components'] as { schemas?: Record<string, Schema> } | undefined)?.schemas ?? {};
  for (const limit of PROPERTY_LIMITS) {
    const at = `#/components/schemas/${limit.schema}/${limit.property}`;
    const s = schemas[limit.schema];
    if (!s) throw new OpenApiCompileError(`limit for unknown schema '${limit.schema}'`, at);
    const prop = findProperty(s, limit.property);
    if (!prop) throw new OpenApiCompileError(`limit for unknown property '${limit.property}'`, at);
    if (prop['$ref'] !== undefined) throw new OpenApiCompileError('cannot add a limit next to a $ref', at);
    Object.assign(prop, limit.set);
  }
  for (const limit of REQUIRED_LIMITS) {
    const at = `#/components/schemas/${limit.schema}`;
    const s = schemas[limit.schema];
    if (!s) throw new OpenApiCompileError(`limit for unknown schema '${limit.schema}'`, at);
    for (const r of limit.required) {
      if (!findProperty(s, r)) throw new OpenApiCompileError(`required limit for unknown property '${r}'`, at);
    }
    const req = Array.isArray(s['required']) ? (s['required'] as string[]) : [];
    s['required'] = [...new Set([...req, ...limit.required])];
  }
  return copy;
}
