/**
 * A LINE webhook event as the flow engine reads it: the engine knows texts, postbacks, places, media and stickers,
 * not LINE's event shapes.
 */
import type { webhook } from '@line/bot-sdk';
import type { LineProfile } from '../line/api';
import type { EngineInput } from '../flows/engine';

/** A LINE webhook event as the engine reads it; null for events that say nothing to a conversation. */
export function engineInput(event: webhook.Event, profile?: LineProfile): EngineInput | null {
  switch (event.type) {
    case 'follow':
      return profile?.displayName ? { type: 'follow', displayName: profile.displayName } : { type: 'follow' };
    case 'postback': {
      const p = event.postback;
      const params = p.params as { date?: string; time?: string; datetime?: string } | undefined;
      return { type: 'postback', data: p.data, ...(params ? { params } : {}) };
    }
    case 'message': {
      const m = event.message;
      switch (m.type) {
        case 'text':
          return { type: 'text', text: (m as webhook.TextMessageContent).text };
        case 'location': {
          const l = m as webhook.LocationMessageContent;
          return { type: 'location', latitude: l.latitude, longitude: l.longitude, ...(l.address ? { address: l.address } : {}), ...(l.title ? { title: l.title } : {}) };
        }
        case 'image':
        case 'video':
        case 'audio':
        case 'file':
          return { type: 'media', mediaType: m.type, contentId: m.id, ...(m.type === 'file' ? { fileName: (m as webhook.FileMessageContent).fileName } : {}) };
        case 'sticker':
          return { type: 'sticker' };
      }
      return null;
    }
  }
  return null;
}
