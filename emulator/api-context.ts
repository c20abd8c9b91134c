/** The request and response shapes shared by the /v2 handlers, and the body parsing they all do the same way. */
import type { IncomingHttpHeaders } from 'node:http';
import { jsonErrorPosition } from './json-error-position';
import { LineApiError, lineErrors } from './line-errors';
import type { ValidateFn } from './openapi-validator';

export interface ApiCall {
  method: string;
  /** Without the query string. */
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
  /** Set by the handler once it has parsed the body: what the call log records. */
  parsedBody?: unknown;
}

export interface ApiResponse {
  status: number;
  json?: unknown;
  bytes?: { data: Buffer; contentType: string };
  headers?: Record<string, string>;
}

const JSON_LIMIT = 2 * 1024 * 1024; // LINE refuses request bodies over 2 MB with 413

export function header(call: ApiCall, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Parse a JSON body as LINE does (content type, size, syntax) and check it against the operation's schema. */
export function parseJsonBody<T>(call: ApiCall, validate: ValidateFn): T {
  const type = header(call, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw lineErrors.unsupportedContentType(type);
  if (call.body.length > JSON_LIMIT) throw lineErrors.tooLarge();
  const text = call.body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    call.parsedBody = text;
    const { line, column } = jsonErrorPosition(text);
    throw lineErrors.notJson(line, column);
  }
  call.parsedBody = value;
  const details = validate(value);
  if (details.length > 0) throw lineErrors.schema(details);
  return value as T;
}

export function ok(json: unknown, status = 200, headers?: Record<string, string>): ApiResponse {
  return headers === undefined ? { status, json } : { status, json, headers };
}

export { LineApiError };
