/**
 * LINE's error answers, word for word where LINE documents them
 * (https://developers.line.biz/en/reference/messaging-api/#error-responses).
 */
import { STATUS_CODES } from 'node:http';
import type { ValidationDetail } from './openapi-validator';

/** "The API said no": a status, LINE's JSON body and any extra headers. Thrown by handlers, answered by the server. */
export class LineApiError extends Error {
  override readonly name = 'LineApiError';
  constructor(
    readonly status: number,
    readonly body: { message: string; [k: string]: unknown },
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${body.message}`);
  }
}

export const AUTH_FAILED = 'Authentication failed. Confirm that the access token in the authorization header is valid.';

export const lineErrors = {
  unauthorized: () => new LineApiError(401, { message: AUTH_FAILED }),
  notFound: () => new LineApiError(404, { message: 'Not found' }),
  invalidReplyToken: () => new LineApiError(400, { message: 'Invalid reply token' }),
  invalidRetryKey: () => new LineApiError(400, { message: "The value for the 'X-Line-Retry-Key' header is invalid" }),
  invalidProperty: (property: string) =>
    new LineApiError(400, { message: `The property, '${property}', in the request body is invalid (line: -, column: -)` }),
  invalidPathParameter: (name: string) =>
    new LineApiError(400, { message: `The value for the '${name}' parameter is invalid` }),
  notJson: (line: number, column: number) =>
    new LineApiError(400, { message: `The request body could not be parsed as JSON (line: ${line}, column: ${column})` }),
  unsupportedContentType: (type: string) =>
    new LineApiError(415, { message: `The content type, ${type || '(none)'}, is not supported` }),
  tooLarge: () => new LineApiError(413, { message: 'Request Entity Too Large' }),
  methodNotAllowed: () => new LineApiError(405, { message: 'Method Not Allowed' }),
  schema: (details: ValidationDetail[]) =>
    new LineApiError(400, { message: `The request body has ${details.length} error(s)`, details }),
} as const;

/** The body LINE answers with for a status, used when a fault injects that status. */
export function faultBody(status: number): { message: string } {
  switch (status) {
    case 400:
      return { message: 'The request body has 1 error(s)' };
    case 401:
      return { message: AUTH_FAILED };
    case 403:
      return { message: 'Access to this API is not available for your account' };
    case 404:
      return { message: 'Not found' };
    case 429:
      return { message: 'The API rate limit has been exceeded. Try again later.' };
    case 500:
      return { message: 'Internal server error' };
    default:
      return { message: STATUS_CODES[status] ?? `HTTP ${status}` };
  }
}
