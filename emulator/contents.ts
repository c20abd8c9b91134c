/** Bytes users "sent" (images, files), served by GET /v2/bot/message/{messageId}/content like api-data.line.me. */
import { MESSAGE_ID } from './ids';

export interface StoredContent {
  bytes: Buffer;
  contentType: string;
}

export class InvalidContentError extends Error {
  override readonly name = 'InvalidContentError';
}

const MAX_ITEMS = 10_000;

export class ContentStore {
  private readonly items = new Map<string, StoredContent>();

  put(messageId: string, bytes: Buffer, contentType: string): void {
    if (!MESSAGE_ID.test(messageId)) throw new InvalidContentError(`messageId must be digits, got '${messageId}'`);
    if (!contentType) throw new InvalidContentError('contentType is required');
    if (this.items.size >= MAX_ITEMS && !this.items.has(messageId)) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    this.items.set(messageId, { bytes, contentType });
  }

  get(messageId: string): StoredContent | undefined {
    return this.items.get(messageId);
  }
}
