/**
 * How the emulator's own routes (/emulator control API, /simulator) answer a failure: the caller's mistake is a
 * 400, the bot's webhook being unreachable a 502, anything else is rethrown to the server's 500.
 */
import type { ServerResponse } from 'node:http';
import { InvalidContentError } from './contents';
import { InvalidFaultError } from './faults';
import { BadControlRequestError, BodyTooLargeError, sendJson } from './http-util';
import { InvalidUserError } from './profiles';
import { WebhookDeliveryError, WebhookNotConfiguredError } from './webhook-delivery';

const CALLER_MISTAKES = [BadControlRequestError, InvalidFaultError, InvalidUserError, InvalidContentError, BodyTooLargeError];

export function answerToolError(res: ServerResponse, err: unknown): void {
  if (err instanceof WebhookDeliveryError || err instanceof WebhookNotConfiguredError) {
    sendJson(res, 502, { error: err.message });
  } else if (CALLER_MISTAKES.some((cls) => err instanceof cls)) {
    sendJson(res, 400, { error: (err as Error).message });
  } else {
    throw err;
  }
}
