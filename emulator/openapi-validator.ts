/**
 * A small validator for the subset of OpenAPI 3.0 schemas that LINE's own descriptions use: $ref, allOf, discriminator
 * with mapping, type, enum, required, properties, additionalProperties, items, min/max (length, items, value),
 * pattern, format uri, plus `multipleOf` for the documented limits the file lacks (see line-limits.ts).
 *
 * Why hand-written and not ajv: LINE's base types (Message, Action, FlexComponent, ...) carry a `discriminator`
 * whose subtypes `allOf` the base, which plain JSON Schema cannot express without rewriting the document, and the
 * error details must come out in LINE's own shape (`messages[0].quickReply.items[0].action.data`, "Length must be
 * between 0 and 300"). Everything is compiled once into closures, so validating a reply is a handful of calls.
 */

export interface ValidationDetail {
  message: string;
  property: string;
}

/** The document (or an overlay) is not what this validator understands: fail at start-up, saying where. */
export class OpenApiCompileError extends Error {
  override readonly name = 'OpenApiCompileError';
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(`${message} (at ${pointer})`);
  }
}

export type ValidateFn = (value: unknown) => ValidationDetail[];

type Schema = Record<string, unknown>;
interface Ctx {
  path: Array<string | number>;
  out: ValidationDetail[];
}
type Check = (value: unknown, ctx: Ctx) => void;

/** Flattened view of an object schema and its allOf members. */
interface Flat {
  type?: string;
  properties: Map<string, Schema[]>;
  required: Set<string>;
  /** undefined: unknown properties are refused when the schema lists properties (the spec's closed shapes). */
  additional?: boolean | Schema;
  scalars: Schema;
}

const SCALAR_KEYWORDS = [
  'enum',
  'maxLength',
  'minLength',
  'pattern',
  'minimum',
  'maximum',
  'multipleOf',
  'maxItems',
  'minItems',
  'items',
  'format',
] as const;

export function formatPath(path: ReadonlyArray<string | number>): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s === '' ? seg : `.${seg}`;
  }
  return s;
}

function report(ctx: Ctx, message: string, extra?: string): void {
  if (extra === undefined) {
    ctx.out.push({ message, property: formatPath(ctx.path) });
    return;
  }
  ctx.path.push(extra);
  ctx.out.push({ message, property: formatPath(ctx.path) });
  ctx.path.pop();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TYPE_TESTS: Record<string, [(v: unknown) => boolean, string]> = {
  string: [(v) => typeof v === 'string', 'Must be a string'],
  integer: [(v) => Number.isInteger(v), 'Must be an integer'],
  number: [(v) => typeof v === 'number' && Number.isFinite(v), 'Must be a number'],
  boolean: [(v) => typeof v === 'boolean', 'Must be a boolean'],
  array: [Array.isArray, 'Must be an array'],
  object: [isObject, 'Must be an object'],
};

export class OpenApiValidator {
  private readonly compiled = new Map<Schema, Check>();
  private readonly schemas: Record<string, Schema>;

  constructor(private readonly doc: Schema) {
    const components = doc['components'];
    const schemas = isObject(components) ? components['schemas'] : undefined;
    if (!isObject(schemas)) throw new OpenApiCompileError('no components.schemas', '#/components/schemas');
    this.schemas = schemas as Record<string, Schema>;
  }

  /** A validator for a named schema under components.schemas; compiles eagerly so a bad document fails now. */
  schema(name: string): ValidateFn {
    const s = this.schemas[name];
    if (s === undefined) throw new OpenApiCompileError(`unknown schema '${name}'`, `#/components/schemas/${name}`);
    return this.wrap(this.compile(s, `#/components/schemas/${name}`));
  }

  /** The validator for an operation's JSON request body, or undefined when the operation takes none. */
  requestBody(method: string, pathTemplate: string): ValidateFn | undefined {
    const paths = this.doc['paths'];
    const op = isObject(paths) && isObject(paths[pathTemplate]) ? paths[pathTemplate][method.toLowerCase()] : undefined;
    if (!isObject(op)) throw new OpenApiCompileError(`no operation ${method} ${pathTemplate}`, '#/paths');
    const body = op['requestBody'];
    const content = isObject(body) ? body['content'] : undefined;
    const json = isObject(content) ? content['application/json'] : undefined;
    if (!isObject(json) || !isObject(json['schema'])) return undefined;
    return this.wrap(this.compile(json['schema'], `#/paths/${pathTemplate}/${method}`));
  }

  /** Every schema in the document, compiled: used by tests to prove the whole file is understood. */
  compileAll(): number {
    for (const [name, s] of Object.entries(this.schemas)) this.compile(s, `#/components/schemas/${name}`);
    return this.compiled.size;
  }

  private wrap(check: Check): ValidateFn {
    return (value) => {
      const ctx: Ctx = { path: [], out: [] };
      check(value, ctx);
      return ctx.out;
    };
  }

  private resolve(ref: string, at: string): Schema {
    if (!ref.startsWith('#/')) throw new OpenApiCompileError(`only local $ref is supported, got '${ref}'`, at);
    let node: unknown = this.doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) ? node[key] : undefined;
    }
    if (!isObject(node)) throw new OpenApiCompileError(`$ref '${ref}' points nowhere`, at);
    return node;
  }

  private deref(schema: Schema, at: string): Schema {
    let s = schema;
    for (let hops = 0; typeof s['$ref'] === 'string'; hops++) {
      if (hops > 32) throw new OpenApiCompileError('$ref cycle', at);
      s = this.resolve(s['$ref'], at);
    }
    return s;
  }

  /** Compiled checks are cached per schema object; the trampoline lets recursive schemas (FlexBox) refer to themselves. */
  private compile(schema: Schema, at: string): Check {
    const target = this.deref(schema, at);
    const known = this.compiled.get(target);
    if (known !== undefined) return known;
    let impl: Check = () => {
      throw new OpenApiCompileError('schema used before it was compiled', at);
    };
    const trampoline: Check = (v, ctx) => impl(v, ctx);
    this.compiled.set(target, trampoline);
    impl = this.build(target, at);
    this.compiled.set(target, impl);
    return impl;
  }

  private build(schema: Schema, at: string): Check {
    const disc = schema['discriminator'];
    if (isObject(disc) && isObject(disc['mapping'])) return this.buildDispatch(schema, disc, at);
    return this.buildPlain(this.flatten(schema, at), at);
  }

  /**
   * A base type with a discriminator: pick the subtype by the tag and validate against it. The subtype `allOf`s
   * the base, so the base's own properties are checked there (flatten() ignores the base's discriminator).
   */
  private buildDispatch(schema: Schema, disc: Schema, at: string): Check {
    const prop = disc['propertyName'];
    if (typeof prop !== 'string') throw new OpenApiCompileError('discriminator without propertyName', at);
    const subtypes = new Map<string, Check>();
    for (const [tag, ref] of Object.entries(disc['mapping'] as Record<string, unknown>)) {
      if (typeof ref !== 'string') throw new OpenApiCompileError(`mapping for '${tag}' is not a $ref`, at);
      const sub = this.resolve(ref, `${at}/discriminator/mapping/${tag}`);
      if (sub === schema) throw new OpenApiCompileError(`mapping for '${tag}' points to the base itself`, at);
      subtypes.set(tag, this.compile(sub, ref));
    }
    const allowed = `Must be one of the following values: [${[...subtypes.keys()].join(',')}]`;
    const notObject = TYPE_TESTS['object']![1];
    return (v, ctx) => {
      if (!isObject(v)) return report(ctx, notObject);
      const tag = v[prop];
      if (tag === undefined || tag === null) return report(ctx, 'must be specified', prop);
      const sub = typeof tag === 'string' ? subtypes.get(tag) : undefined;
      if (sub === undefined) return report(ctx, allowed, prop);
      sub(v, ctx);
    };
  }

  private flatten(schema: Schema, at: string, into?: Flat): Flat {
    const flat: Flat = into ?? { properties: new Map(), required: new Set(), scalars: {} };
    const s = this.deref(schema, at);
    if (typeof s['type'] === 'string') flat.type = s['type'];
    const props = s['properties'];
    if (isObject(props)) {
      for (const [name, p] of Object.entries(props)) {
        if (!isObject(p)) throw new OpenApiCompileError(`property '${name}' is not a schema`, at);
        const list = flat.properties.get(name) ?? [];
        list.push(p);
        flat.properties.set(name, list);
      }
    }
    if (Array.isArray(s['required'])) for (const r of s['required']) flat.required.add(String(r));
    const ap = s['additionalProperties'];
    if (typeof ap === 'boolean' || isObject(ap)) flat.additional = ap;
    for (const k of SCALAR_KEYWORDS) if (s[k] !== undefined) flat.scalars[k] = s[k];
    const allOf = s['allOf'];
    if (Array.isArray(allOf)) {
      allOf.forEach((member, i) => {
        if (!isObject(member)) throw new OpenApiCompileError('allOf member is not a schema', `${at}/allOf/${i}`);
        this.flatten(member, `${at}/allOf/${i}`, flat);
      });
    }
    for (const k of ['oneOf', 'anyOf', 'not'] as const) {
      if (s[k] !== undefined) throw new OpenApiCompileError(`keyword '${k}' is not supported`, at);
    }
    return flat;
  }

  private buildPlain(flat: Flat, at: string): Check {
    const checks: Check[] = [];
    const typeName = flat.type ?? (flat.properties.size > 0 ? 'object' : undefined);
    let typeTest: ((v: unknown) => boolean) | undefined;
    let typeMessage = '';
    if (typeName !== undefined) {
      const t = TYPE_TESTS[typeName];
      if (t === undefined) throw new OpenApiCompileError(`unknown type '${typeName}'`, at);
      [typeTest, typeMessage] = t;
    }
    const sc = flat.scalars;
    if (Array.isArray(sc['enum'])) {
      const values = new Set(sc['enum']);
      const msg = `Must be one of the following values: [${sc['enum'].join(',')}]`;
      checks.push((v, ctx) => {
        if (!values.has(v)) report(ctx, msg);
      });
    }
    if (sc['maxLength'] !== undefined || sc['minLength'] !== undefined) {
      const min = Number(sc['minLength'] ?? 0);
      const max = sc['maxLength'] === undefined ? Infinity : Number(sc['maxLength']);
      // LINE words "not empty" and "too long" separately: minLength 1 reads "May not be empty", and the range
      // message then starts at 0 ("Length must be between 0 and 5000"), as LINE's own answers do.
      const shown = min === 1 ? 0 : min;
      const msg = max === Infinity ? `Length must be at least ${min}` : `Length must be between ${shown} and ${max}`;
      checks.push((v, ctx) => {
        if (typeof v !== 'string') return;
        if (v.length === 0 && min > 0) report(ctx, 'May not be empty');
        else if (v.length < min || v.length > max) report(ctx, msg);
      });
    }
    if (typeof sc['pattern'] === 'string') {
      const re = new RegExp(sc['pattern'], 'u');
      const msg = `Must match the pattern ${sc['pattern']}`;
      checks.push((v, ctx) => {
        if (typeof v === 'string' && !re.test(v)) report(ctx, msg);
      });
    }
    if (sc['format'] === 'uri') {
      checks.push((v, ctx) => {
        if (typeof v === 'string' && !URL.canParse(v)) report(ctx, 'invalid uri');
      });
    }
    if (typeof sc['minimum'] === 'number') {
      const min = sc['minimum'];
      checks.push((v, ctx) => {
        if (typeof v === 'number' && v < min) report(ctx, `Must be greater than or equal to ${min}`);
      });
    }
    if (typeof sc['maximum'] === 'number') {
      const max = sc['maximum'];
      checks.push((v, ctx) => {
        if (typeof v === 'number' && v > max) report(ctx, `Must be less than or equal to ${max}`);
      });
    }
    if (typeof sc['multipleOf'] === 'number') {
      const m = sc['multipleOf'];
      checks.push((v, ctx) => {
        if (typeof v === 'number' && v % m !== 0) report(ctx, `Must be a multiple of ${m}`);
      });
    }
    if (sc['maxItems'] !== undefined || sc['minItems'] !== undefined) {
      const min = Number(sc['minItems'] ?? 0);
      const max = sc['maxItems'] === undefined ? Infinity : Number(sc['maxItems']);
      const msg = max === Infinity ? `Size must be at least ${min}` : `Size must be between ${min} and ${max}`;
      checks.push((v, ctx) => {
        if (Array.isArray(v) && (v.length < min || v.length > max)) report(ctx, msg);
      });
    }
    if (isObject(sc['items'])) {
      const item = this.compile(sc['items'], `${at}/items`);
      checks.push((v, ctx) => {
        if (!Array.isArray(v)) return;
        for (let i = 0; i < v.length; i++) {
          ctx.path.push(i);
          if (v[i] === null || v[i] === undefined) report(ctx, 'must be specified');
          else item(v[i], ctx);
          ctx.path.pop();
        }
      });
    }
    if (typeName === 'object') checks.push(this.buildObject(flat, at));

    return (v, ctx) => {
      if (typeTest !== undefined && !typeTest(v)) return report(ctx, typeMessage);
      for (let i = 0; i < checks.length; i++) checks[i]!(v, ctx);
    };
  }

  private buildObject(flat: Flat, at: string): Check {
    const props = new Map<string, Check>();
    for (const [name, list] of flat.properties) {
      const parts = list.map((p) => this.compile(p, `${at}/properties/${name}`));
      props.set(name, parts.length === 1 ? parts[0]! : (v, ctx) => parts.forEach((c) => c(v, ctx)));
    }
    const required = [...flat.required];
    // A schema that lists no properties is a free-form object ({"type":"object"}): anything goes.
    const ap = flat.additional;
    const extra: Check | 'allow' | 'refuse' =
      ap === true || (ap === undefined && props.size === 0)
        ? 'allow'
        : ap === false || ap === undefined
          ? 'refuse'
          : this.compile(ap, `${at}/additionalProperties`);
    return (v, ctx) => {
      const o = v as Record<string, unknown>;
      for (let i = 0; i < required.length; i++) {
        const name = required[i]!;
        const val = o[name];
        if (val === undefined || val === null) report(ctx, 'must be specified', name);
      }
      for (const key in o) {
        const val = o[key];
        const check = props.get(key);
        if (check !== undefined) {
          if (val === null || val === undefined) continue; // absent; `required` above already spoke
          ctx.path.push(key);
          check(val, ctx);
          ctx.path.pop();
        } else if (extra === 'refuse') {
          report(ctx, 'Unrecognized property', key);
        } else if (extra !== 'allow') {
          ctx.path.push(key);
          extra(val, ctx);
          ctx.path.pop();
        }
      }
    };
  }
}
