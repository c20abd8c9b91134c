/**
 * The OpenAPI validator on its own: small documents that pin down each rule, then LINE's real documents.
 */
import { describe, expect, it } from 'vitest';
import { PROPERTY_LIMITS, withLineLimits } from '../emulator/line-limits';
import { loadOpenApi } from '../emulator/messaging-api-schema';
import { OpenApiCompileError, OpenApiValidator } from '../emulator/openapi-validator';

/** A document shaped like LINE's: a base type with a discriminator mapping, subtypes that allOf the base. */
const doc = {
  paths: {
    '/send': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Send' } } } } },
    },
    '/nobody': { get: {} },
  },
  components: {
    schemas: {
      Send: {
        type: 'object',
        required: ['items'],
        properties: {
          items: { type: 'array', minItems: 1, maxItems: 2, items: { $ref: '#/components/schemas/Shape' } },
          tags: { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
          free: { type: 'object' },
        },
      },
      Shape: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' }, label: { type: 'string', maxLength: 5 } },
        discriminator: {
          propertyName: 'kind',
          mapping: { circle: '#/components/schemas/Circle', group: '#/components/schemas/Group' },
        },
      },
      Circle: {
        type: 'object',
        required: ['radius'],
        allOf: [
          { $ref: '#/components/schemas/Shape' },
          { type: 'object', properties: { radius: { type: 'integer', minimum: 1, maximum: 10 }, unit: { type: 'string', enum: ['cm', 'mm'] } } },
        ],
      },
      Group: {
        type: 'object',
        allOf: [
          { $ref: '#/components/schemas/Shape' },
          { properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Shape' } }, link: { type: 'string', format: 'uri' } } },
        ],
      },
    },
  },
};

describe('the OpenAPI validator', () => {
  const validate = new OpenApiValidator(doc).requestBody('post', '/send')!;

  it('accepts a valid body, dispatching each item to its subtype by the discriminator', () => {
    expect(
      validate({
        items: [
          { kind: 'circle', radius: 3, unit: 'cm', label: 'sun' },
          { kind: 'group', children: [{ kind: 'circle', radius: 1 }, { kind: 'group', children: [] }], link: 'https://x.y' },
        ],
        tags: { a: 'abc' },
        free: { anything: [1, 2] },
      }),
    ).toEqual([]);
  });

  it('names properties the way LINE does: dotted, with [index] for arrays', () => {
    const details = validate({ items: [{ kind: 'group', children: [{ kind: 'group', children: [{ kind: 'circle', radius: 11 }] }] }] });
    expect(details).toEqual([{ message: 'Must be less than or equal to 10', property: 'items[0].children[0].children[0].radius' }]);
  });

  it.each([
    ['a missing required property of the subtype', { items: [{ kind: 'circle' }] }, 'must be specified', 'items[0].radius'],
    ['a missing discriminator', { items: [{ radius: 1 }] }, 'must be specified', 'items[0].kind'],
    ['an unmapped discriminator value', { items: [{ kind: 'square' }] }, 'Must be one of the following values: [circle,group]', 'items[0].kind'],
    ['a base property over its maxLength', { items: [{ kind: 'circle', radius: 1, label: 'toolong' }] }, 'Length must be between 0 and 5', 'items[0].label'],
    ['a value outside the enum', { items: [{ kind: 'circle', radius: 1, unit: 'km' }] }, 'Must be one of the following values: [cm,mm]', 'items[0].unit'],
    ['a non-integer', { items: [{ kind: 'circle', radius: 1.5 }] }, 'Must be an integer', 'items[0].radius'],
    ['a number below minimum', { items: [{ kind: 'circle', radius: 0 }] }, 'Must be greater than or equal to 1', 'items[0].radius'],
    ['an array over maxItems', { items: [{ kind: 'group' }, { kind: 'group' }, { kind: 'group' }] }, 'Size must be between 1 and 2', 'items'],
    ['an empty array under minItems', { items: [] }, 'Size must be between 1 and 2', 'items'],
    ['a property neither the subtype nor the base declares', { items: [{ kind: 'circle', radius: 1, color: 'red' }] }, 'Unrecognized property', 'items[0].color'],
    ['an unknown top-level property', { items: [{ kind: 'group' }], extra: true }, 'Unrecognized property', 'extra'],
    ['a map value against additionalProperties', { items: [{ kind: 'group' }], tags: { a: 'abcd' } }, 'Length must be between 0 and 3', 'tags.a'],
    ['an invalid uri', { items: [{ kind: 'group', link: 'not a uri' }] }, 'invalid uri', 'items[0].link'],
    ['a string where an array belongs', { items: 'x' }, 'Must be an array', 'items'],
    ['a null array item', { items: [null] }, 'must be specified', 'items[0]'],
    ['a missing required top-level property', {}, 'must be specified', 'items'],
  ])('reports %s', (_name, body, message, property) => {
    expect(validate(body)).toEqual([{ message, property }]);
  });

  it('reports the body itself when it is not an object', () => {
    expect(validate([1])).toEqual([{ message: 'Must be an object', property: '' }]);
  });

  it('has no body validator for an operation without a JSON body, and fails loudly for an unknown one', () => {
    const v = new OpenApiValidator(doc);
    expect(v.requestBody('get', '/nobody')).toBeUndefined();
    expect(() => v.requestBody('post', '/missing')).toThrow(OpenApiCompileError);
  });

  it('fails at compile time on a dangling $ref or an unsupported keyword, saying where', () => {
    const dangling = { components: { schemas: { A: { type: 'object', properties: { b: { $ref: '#/components/schemas/Nope' } } } } } };
    expect(() => new OpenApiValidator(dangling).schema('A')).toThrow(/points nowhere.*#\/components\/schemas\/A/);
    const oneOf = { components: { schemas: { A: { oneOf: [{ type: 'string' }] } } } };
    expect(() => new OpenApiValidator(oneOf).schema('A')).toThrow(/oneOf/);
  });
});

describe("LINE's documents", () => {
  it('compiles every schema of the Messaging API and the webhook descriptions', () => {
    expect(new OpenApiValidator(withLineLimits(loadOpenApi('messaging-api.json'))).compileAll()).toBeGreaterThan(200);
    expect(new OpenApiValidator(loadOpenApi('webhook.json')).compileAll()).toBeGreaterThan(50);
  });

  it('adds the documented limits to a copy, leaving the loaded document as it was', () => {
    const original = loadOpenApi('messaging-api.json');
    const before = JSON.stringify(original);
    const limited = withLineLimits(original);
    expect(JSON.stringify(original)).toBe(before);
    const text = (limited as any).components.schemas.TextMessage.allOf[1].properties.text;
    expect(text).toMatchObject({ minLength: 1, maxLength: 5000 });
    expect(PROPERTY_LIMITS.length).toBeGreaterThan(10);
  });

  it('refuses a limit whose property the document no longer has', () => {
    const doc2 = loadOpenApi('messaging-api.json') as any;
    delete doc2.components.schemas.TextMessage.allOf[1].properties.text;
    expect(() => withLineLimits(doc2)).toThrow(OpenApiCompileError);
  });

  it('checks a reply in microseconds (the benchmark sends 1,000+ a second)', () => {
    const validate = new OpenApiValidator(withLineLimits(loadOpenApi('messaging-api.json'))).requestBody('post', '/v2/bot/message/reply')!;
    const body = {
      replyToken: 'x',
      messages: [
        { type: 'text', text: 'รับเรื่องแล้ว', quickReply: { items: [{ type: 'action', action: { type: 'message', label: 'ok', text: 'ok' } }] } },
        { type: 'flex', altText: 'x', contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'x' }] } } },
      ],
    };
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) validate(body);
    const perCallUs = ((performance.now() - started) / 10_000) * 1000;
    expect(perCallUs).toBeLessThan(100);
  });
});
