import { createHash } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';
import type { EventContext, EventHandler } from './event-handler';
import type { LineMessage } from './message-limits';
import { localeFrom, tFor, type Locale } from './i18n';
import type { LineProfile } from './line-api';
import type { Tx } from '../storage/database';

/** Photos and files larger than this are not kept (LINE allows up to 300 MB for a video; we keep evidence). */
export const MAX_CONTENT_BYTES = 25 * 1024 * 1024;

interface Prepared {
  profile?: LineProfile;
  content?: { messageId: string; bytes: Buffer; contentType: string };
}

/**
 * The bot's answers before the flow engine: a welcome on follow, an acknowledgement with the main choices for a
 * message, and photos, videos, audio and files fetched from LINE at once and kept. Locale: the user's LINE
 * profile language when known, Thai otherwise.
 */
export class BasicResponder implements EventHandler<Prepared> {
  /** Profile languages seen, so a message does not cost a profile call each time. */
  private readonly locales = new Map<string, Locale>();

  async prepare(ctx: EventContext): Promise<Prepared> {
    const { event } = ctx;
    const out: Prepared = {};
    if (event.type === 'follow' && event.source?.type === 'user' && event.source.userId) {
      out.profile = await ctx.line.getProfile(event.source.userId).catch(() => undefined);
      if (out.profile) this.remember(event.source.userId, localeFrom(out.profile.language));
    }
    if (event.type === 'message' && ['image', 'video', 'audio', 'file'].includes(event.message.type)) {
      const m = event.message as { id: string; contentProvider?: { type?: string } };
      // Content held elsewhere (contentProvider.type "external") is not on LINE's servers to fetch.
      if (m.contentProvider?.type !== 'external') {
        const { bytes, contentType } = await ctx.line.getContent(m.id, MAX_CONTENT_BYTES);
        out.content = { messageId: m.id, bytes, contentType };
      }
    }
    return out;
  }

  async apply(ctx: EventContext, prepared: Prepared, tx: Tx): Promise<LineMessage[]> {
    const { event } = ctx;
    const userId = event.source?.type === 'user' ? event.source.userId : undefined;
    const t = tFor((userId && this.locales.get(userId)) || 'th');
    if (prepared.content) await storeContent(tx, ctx.chatId, prepared.content, ctx.now);
    switch (event.type) {
      case 'follow': {
        const name = prepared.profile?.displayName;
        return [{ type: 'text', text: name ? t('welcome', { name }) : t('welcomeNoName'), quickReply: menu(t) }];
      }
      case 'join':
        return [{ type: 'text', text: t('groupHello') }];
      case 'postback':
        return [{ type: 'text', text: t('postback'), quickReply: menu(t) }];
      case 'message':
        return this.answerMessage(event, prepared, t);
      default:
        return [];
    }
  }

  private answerMessage(event: webhook.MessageEvent, prepared: Prepared, t: ReturnType<typeof tFor>): LineMessage[] {
    const m = event.message;
    switch (m.type) {
      case 'text':
        return [{ type: 'text', text: t('received'), quickReply: menu(t) }];
      case 'image':
      case 'video':
      case 'audio':
      case 'file':
        return [{ type: 'text', text: t('receivedMedia', { kind: t(`media.${m.type}`) }) }];
      case 'location': {
        const place = (m as webhook.LocationMessageContent).title || (m as webhook.LocationMessageContent).address || t('locationUnnamed');
        return [{ type: 'text', text: t('receivedLocation', { place }) }];
      }
      case 'sticker':
        return [{ type: 'text', text: t('sticker'), quickReply: menu(t) }];
      default:
        return [];
    }
  }

  private remember(userId: string, locale: Locale) {
    if (this.locales.size > 50_000) this.locales.clear();
    this.locales.set(userId, locale);
  }
}

const menus = new Map<ReturnType<typeof tFor>, ReturnType<typeof buildMenu>>();

/** The quick-reply menu is the same for every message in a locale: built once per t function. */
function menu(t: ReturnType<typeof tFor>) {
  let m = menus.get(t);
  if (!m) menus.set(t, (m = buildMenu(t)));
  return m;
}

function buildMenu(t: ReturnType<typeof tFor>) {
  return {
    items: (['complain', 'track', 'officer', 'help'] as const).map((k) => ({
      type: 'action',
      action: { type: 'message', label: t(`menu.${k}`), text: t(`menu.${k}`) },
    })),
  };
}

async function storeContent(tx: Tx, chatId: string, c: NonNullable<Prepared['content']>, now: number) {
  await tx.query(
    `INSERT INTO line_content (message_id, chat_id, content_type, size, sha256, bytes, fetched_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO NOTHING`,
    [c.messageId, chatId, c.contentType.slice(0, 128), c.bytes.length, createHash('sha256').update(c.bytes).digest('hex'), c.bytes, now],
  );
}
