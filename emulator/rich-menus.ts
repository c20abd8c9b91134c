/**
 * Rich menus, kept simple but with LINE's rules: create (validated against RichMenuRequest), upload one image
 * (PNG or JPEG, once, at most 1 MB), set as default or link per user (only once it has an image), list, get, delete.
 */
import { type ApiCall, type ApiResponse, LineApiError, header, ok, parseJsonBody } from './api-context';
import { USER_ID, newRichMenuId } from './ids';
import { lineErrors } from './line-errors';
import type { ValidateFn } from './openapi-validator';

interface RichMenu {
  richMenuId: string;
  request: Record<string, unknown>;
  image?: { data: Buffer; contentType: string };
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg']);
const MAX_IMAGE_BYTES = 1024 * 1024;

export class RichMenus {
  private readonly menus = new Map<string, RichMenu>();
  private defaultId: string | undefined;
  private readonly perUser = new Map<string, string>();

  constructor(private readonly validate: ValidateFn) {}

  /** The rich menu a user sees: their own link first, then the default. */
  effectiveFor(userId: string): { richMenuId: string; request: Record<string, unknown>; hasImage: boolean } | undefined {
    const id = this.perUser.get(userId) ?? this.defaultId;
    const m = id === undefined ? undefined : this.menus.get(id);
    return m === undefined ? undefined : { richMenuId: m.richMenuId, request: m.request, hasImage: m.image !== undefined };
  }

  image(richMenuId: string): { data: Buffer; contentType: string } | undefined {
    return this.menus.get(richMenuId)?.image;
  }

  /** Undefined when the path is not a rich menu route. */
  handle(call: ApiCall): ApiResponse | undefined {
    const { method, path } = call;
    if (path === '/v2/bot/richmenu' && method === 'POST') return this.create(call);
    if (path === '/v2/bot/richmenu/validate' && method === 'POST') {
      parseJsonBody(call, this.validate);
      return ok({});
    }
    if (path === '/v2/bot/richmenu/list' && method === 'GET') {
      return ok({ richmenus: [...this.menus.values()].map(describe) });
    }
    if (path === '/v2/bot/user/all/richmenu') {
      if (method === 'GET') return this.defaultId === undefined ? notFound() : ok({ richMenuId: this.defaultId });
      if (method === 'DELETE') {
        this.defaultId = undefined;
        return ok({});
      }
    }
    let m = /^\/v2\/bot\/user\/all\/richmenu\/([^/]+)$/.exec(path);
    if (m && method === 'POST') {
      this.defaultId = this.linkable(m[1]!).richMenuId;
      return ok({});
    }
    m = /^\/v2\/bot\/richmenu\/([^/]+)\/content$/.exec(path);
    if (m) {
      const menu = this.find(m[1]!);
      if (method === 'POST') return this.upload(call, menu);
      if (method === 'GET') return menu.image ? { status: 200, bytes: menu.image } : notFound();
    }
    m = /^\/v2\/bot\/richmenu\/([^/]+)$/.exec(path);
    if (m) {
      const menu = this.find(m[1]!);
      if (method === 'GET') return ok(describe(menu));
      if (method === 'DELETE') {
        this.menus.delete(menu.richMenuId);
        if (this.defaultId === menu.richMenuId) this.defaultId = undefined;
        for (const [u, id] of this.perUser) if (id === menu.richMenuId) this.perUser.delete(u);
        return ok({});
      }
    }
    m = /^\/v2\/bot\/user\/([^/]+)\/richmenu(?:\/([^/]+))?$/.exec(path);
    if (m) {
      const userId = m[1]!;
      if (!USER_ID.test(userId)) throw lineErrors.invalidPathParameter('userId');
      if (m[2] !== undefined && method === 'POST') {
        this.perUser.set(userId, this.linkable(m[2]).richMenuId);
        return ok({});
      }
      if (m[2] === undefined && method === 'GET') {
        const id = this.perUser.get(userId);
        return id === undefined ? notFound() : ok({ richMenuId: id });
      }
      if (m[2] === undefined && method === 'DELETE') {
        this.perUser.delete(userId);
        return ok({});
      }
    }
    return undefined;
  }

  private create(call: ApiCall): ApiResponse {
    const request = parseJsonBody<Record<string, unknown>>(call, this.validate);
    const richMenuId = newRichMenuId();
    this.menus.set(richMenuId, { richMenuId, request });
    return ok({ richMenuId });
  }

  private upload(call: ApiCall, menu: RichMenu): ApiResponse {
    const type = (header(call, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMAGE_TYPES.has(type)) throw lineErrors.unsupportedContentType(type);
    call.parsedBody = { bytes: call.body.length, contentType: type };
    if (call.body.length > MAX_IMAGE_BYTES) throw lineErrors.tooLarge();
    if (menu.image !== undefined) {
      throw new LineApiError(400, { message: 'An image has already been uploaded to the richmenu' });
    }
    menu.image = { data: call.body, contentType: type };
    return ok({});
  }

  private find(id: string): RichMenu {
    const menu = this.menus.get(id);
    if (menu === undefined) throw lineErrors.notFound();
    return menu;
  }

  private linkable(id: string): RichMenu {
    const menu = this.find(id);
    if (menu.image === undefined) {
      throw new LineApiError(400, { message: 'must upload richmenu image before applying it to user' });
    }
    return menu;
  }
}

function describe(m: RichMenu): Record<string, unknown> {
  return { richMenuId: m.richMenuId, ...m.request };
}

function notFound(): never {
  throw lineErrors.notFound();
}
