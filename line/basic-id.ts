/**
 * The Official Account's basic ID ("@123abcde"), which LINE's URL schemes name it by (a receipt's QR code opens the
 * chat with "ติดตาม <number>" typed: cases/track-link.ts). LINE_BASIC_ID when set (a premium ID the center bought,
 * say), else asked of LINE's bot info API once and kept; a failed ask is asked again next time.
 */
import type { LineApi } from './api';

/** A basic or premium ID as LINE prints it: "@" then letters, digits, dots, dashes or underscores. */
export const BASIC_ID_PATTERN = /^@[a-z0-9._-]{1,30}$/i;

export class BasicIdUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the Official Account's basic ID is not set (LINE_BASIC_ID) and LINE's bot info could not be read: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'BasicIdUnavailableError';
  }
}

export type BasicIdSource = () => Promise<string>;

export function basicIdSource(configured: string | null, line: Pick<LineApi, 'botInfo'>): BasicIdSource {
  let known: string | null = configured;
  return async () => {
    if (known) return known;
    try {
      const info = await line.botInfo();
      if (!BASIC_ID_PATTERN.test(info.basicId)) throw new Error(`LINE answered a basic ID that is not one: ${JSON.stringify(info.basicId)}`);
      known = info.basicId;
      return known;
    } catch (err) {
      throw new BasicIdUnavailableError(err);
    }
  };
}
