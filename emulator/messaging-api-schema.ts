/**
 * LINE's Messaging API description (vendored in ./openapi), with the documented limits added, compiled once per
 * process: every emulator instance shares these validators, and nothing is read per call.
 */
import { readFileSync } from 'node:fs';
import { withLineLimits } from './line-limits';
import { OpenApiValidator, type ValidateFn } from './openapi-validator';

export interface RequestValidators {
  reply: ValidateFn;
  push: ValidateFn;
  multicast: ValidateFn;
  broadcast: ValidateFn;
  validateMessages: ValidateFn;
  loading: ValidateFn;
  markAsRead: ValidateFn;
  richMenu: ValidateFn;
}

let compiled: RequestValidators | undefined;

export function loadOpenApi(file: 'messaging-api.json' | 'webhook.json'): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./openapi/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export function requestValidators(): RequestValidators {
  if (compiled !== undefined) return compiled;
  const v = new OpenApiValidator(withLineLimits(loadOpenApi('messaging-api.json')));
  const body = (method: string, path: string): ValidateFn => {
    const fn = v.requestBody(method, path);
    if (fn === undefined) throw new Error(`LINE's OpenAPI gives ${method} ${path} no JSON body`);
    return fn;
  };
  compiled = {
    reply: body('post', '/v2/bot/message/reply'),
    push: body('post', '/v2/bot/message/push'),
    multicast: body('post', '/v2/bot/message/multicast'),
    broadcast: body('post', '/v2/bot/message/broadcast'),
    validateMessages: body('post', '/v2/bot/message/validate/reply'),
    loading: body('post', '/v2/bot/chat/loading/start'),
    markAsRead: body('post', '/v2/bot/chat/markAsRead'),
    richMenu: body('post', '/v2/bot/richmenu'),
  };
  return compiled;
}
