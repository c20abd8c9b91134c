/**
 * The link a walk-in's receipt carries as a QR code: LINE's URL scheme that opens a chat with the center's Official
 * Account with "ติดตาม <number>" typed and ready to send (https://line.me/R/oaMessage/{basic id}/?{text}). The bot
 * reads it as tracking that number, and asks for the phone's last four digits, as for any number not the chat's own.
 */
import QRCode from 'qrcode';
import { BASIC_ID_PATTERN } from '../line/basic-id';

export class InvalidBasicIdError extends Error {
  constructor(readonly basicId: string) {
    super(`${JSON.stringify(basicId)} is not a LINE basic ID such as @123abcde`);
    this.name = 'InvalidBasicIdError';
  }
}

/** What the citizen's phone types into the chat: the words the bot reads as "track this number". */
export const trackingMessage = (trackingNumber: string) => `ติดตาม ${trackingNumber}`;

/** Pure: the oaMessage URL for the number. The "@" stays as LINE writes it; the message is percent-encoded. */
export function trackingLineUrl(basicId: string, trackingNumber: string): string {
  if (!BASIC_ID_PATTERN.test(basicId)) throw new InvalidBasicIdError(basicId);
  return `https://line.me/R/oaMessage/${basicId}/?${encodeURIComponent(trackingMessage(trackingNumber))}`;
}

/** The URL as an SVG QR code (medium error correction: it still scans from a creased, photocopied slip). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
}
